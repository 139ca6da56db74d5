//! `--baseline NAME --paired`: the baseline's saved executable and this
//! build paired in lockstep ([`super::lockstep`]), the verdict printed as a
//! gate and written to `target/pqbench/paired/TARGET.json`; and the worker
//! side (`BINARY __lockstep --request JSON`).

use super::args::Args;
use super::baseline::{Store, target_dir};
use super::bencher::{Bencher, Mode};
use super::gate::{GATE_ALPHA, exit, fail_reasons, options, pass_line};
use super::lockstep::worker::{LockstepRequest, PROTOCOL};
use super::lockstep::{self, PairedOutcome, PairedPlan};
use super::registry::{Entry, Registry};
use crate::compare::paired::{PairedOptions, PairedRow, PairedTest, render};
use crate::report::MarkupStyle;
use crate::runner::{self, CancelToken};
use pqbench_stats::{BootstrapConfig, Correction, Verdict};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// `BINARY __lockstep --request JSON`: one lockstep worker; exit 0 after
/// serving (or after `missing` for an id this binary does not have), 2 on
/// a bad request or a protocol error (message on stderr).
pub(super) fn worker(registry: &Registry, argv: &[String]) -> u8 {
    let request = match argv {
        [flag, json] if flag == "--request" => serde_json::from_str::<LockstepRequest>(json)
            .map_err(|e| format!("bad lockstep request: {e}")),
        _ => Err(format!(
            "usage: {} --request JSON (internal)",
            lockstep::worker::SUBCOMMAND
        )),
    };
    let served = request.and_then(|r| {
        if r.protocol != PROTOCOL {
            return Err(format!(
                "lockstep protocol {} requested, this binary speaks {PROTOCOL}",
                r.protocol
            ));
        }
        let Some(entry) = registry.by_id(&r.id) else {
            println!("missing {PROTOCOL}");
            return Ok(());
        };
        let placement = crate::measure::placement::from_env().map_err(|e| e.to_string())?;
        let mut b = Bencher::new(Mode::Lockstep(r));
        crate::measure::placement::with_placement(placement, || (entry.run)(&mut b));
        b.finish().map(|_| ())
    });
    match served {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("error: {e}");
            exit::USAGE
        }
    }
}

/// Whether `args` ask for the paired comparison: `--paired`, or
/// `--baseline NAME` alone (no `--save-baseline`, no `--unpaired`) when
/// NAME has a saved executable for this bench target. Without one the
/// stored results are compared, with a note.
pub(super) fn wanted(registry: &Registry, args: &Args) -> bool {
    if args.paired {
        return true;
    }
    let Some(name) = &args.baseline else {
        return false;
    };
    if args.unpaired || args.save_baseline.is_some() {
        return false;
    }
    let store = Store::from_env();
    let target = &registry.origin().target;
    let has_exe = store.exe_path(name, target).is_file();
    if !has_exe && store.path(name, target).is_file() {
        eprintln!(
            "note: baseline {name:?} has no saved executable for {target} (saved by an older \
             pqbench?): comparing with its stored results; save it again to pair"
        );
    }
    has_exe
}

/// The JSON report of a paired run (`target/pqbench/paired/TARGET.json`).
#[derive(Serialize)]
struct Report<'a> {
    mode: &'static str,
    baseline: &'a str,
    baseline_exe: &'a Path,
    candidate_exe: &'a Path,
    /// Harness validation: the candidate's injected slowdown (percent; 0 =
    /// a real measurement).
    candidate_slowdown_pct: f64,
    bench_time_s: f64,
    options: &'a PairedOptions,
    #[serde(flatten)]
    outcome: &'a PairedOutcome,
    regressed: Vec<String>,
    undecidable: Vec<String>,
}

/// The analysis settings of `--paired`: the gate's alpha and tolerance,
/// the 20 % trimmed one-sample t-test on the log ratios (a pair of
/// processes whose layouts differ anyway is an outlier it trims), Holm over
/// the benchmarks.
fn paired_options(args: &Args) -> PairedOptions {
    let o = options(args.tolerance, args.alpha);
    PairedOptions {
        alpha: args.alpha.unwrap_or(GATE_ALPHA),
        correction: Correction::Holm,
        tolerances: o.tolerances,
        confidence: 0.95,
        resamples: 2000,
        seed: BootstrapConfig::default().seed,
        test: PairedTest::Trimmed,
    }
}

/// `--baseline NAME --paired`: pairs the selected benchmarks with the
/// baseline's saved executable and gates on the result.
pub(super) fn measure_paired(
    registry: &Registry,
    selected: &[&Entry],
    args: &Args,
) -> anyhow::Result<u8> {
    let target = &registry.origin().target;
    let Some(name) = &args.baseline else {
        anyhow::bail!(
            "--paired needs --baseline NAME (the baseline whose executable to pair with)"
        );
    };
    if args.save_baseline.is_some() {
        anyhow::bail!("--paired compares only: save baselines in a run without --paired");
    }
    // A missing baseline executable is an input error before anything runs.
    let baseline_exe = Store::from_env().exe(name, target)?;
    if selected.is_empty() {
        println!("no benchmark matches the filters (see --list)");
        return Ok(exit::OK);
    }
    let candidate_exe = std::env::current_exe()
        .map_err(|e| anyhow::anyhow!("cannot find this bench binary to re-run: {e}"))?;
    // Both run from private copies at paths of equal length: the path is
    // copied onto the initial stack twice (argv[0] and the exec file name),
    // so paths of different lengths would shift one side's stack.
    let copies =
        tempfile::tempdir().map_err(|e| anyhow::anyhow!("creating a temporary directory: {e}"))?;
    let copy = |from: &Path, side: &str| -> anyhow::Result<PathBuf> {
        let dir = copies.path().join(side);
        let to = dir.join(target);
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::copy(from, &to))
            .map_err(|e| anyhow::anyhow!("copying {} to {}: {e}", from.display(), to.display()))?;
        Ok(to)
    };
    let plan = PairedPlan {
        baseline_exe: copy(&baseline_exe, "a")?,
        candidate_exe: copy(&candidate_exe, "b")?,
        ids: selected.iter().map(|e| e.id.clone()).collect(),
        replications: args
            .replications
            .unwrap_or(lockstep::DEFAULT_REPLICATIONS)
            .max(2),
        bench_time: args.bench_time.unwrap_or(super::DEFAULT_BENCH_TIME),
        max_blocks: 200_000,
        seed: 0x5eed,
        candidate_slowdown_pct: args.candidate_slowdown.unwrap_or(0.0) * 100.0,
        // Both workers of a pair on one CPU: with the two free to run on
        // either CPU, pairs of the 64-byte example differed by several
        // percent for their processes' lives; on one CPU they agree
        // (docs/cargo-bench.md).
        cpus: crate::measure::placement::allowed_cpus().unwrap_or_default(),
    };
    let options = paired_options(args);
    let timer = crate::measure::measure_timer()?;
    let cancel = CancelToken::new();
    let _signals = runner::signals::install(cancel.clone())?;
    if plan.candidate_slowdown_pct > 0.0 {
        eprintln!(
            "warning: harness validation: this build is slowed down by {}% \
             (--candidate-slowdown): not a real measurement",
            plan.candidate_slowdown_pct
        );
    }
    if !args.quiet {
        println!(
            "\npairing {} benchmarks with baseline {name:?}: {} replications of {:?} each \
             (the baseline's executable and this one in lockstep)",
            plan.ids.len(),
            plan.replications,
            plan.bench_time
        );
    }
    let quiet = args.quiet;
    let out = lockstep::run(&plan, &options, &timer, cancel.flag(), |i, t| {
        if !quiet {
            eprintln!(
                "replication {i}/{}: {:.1}s",
                plan.replications,
                t.as_secs_f64()
            );
        }
    })?;
    print!("{}", render(&out.rows, MarkupStyle::Plain));
    println!(
        "paired with baseline {name:?}: ratio this build / baseline per replication = exp(median \
         log ratio of its blocks) (+ = slower); verdict: 20 % trimmed t over replications, its \
         trimmed mean and interval against the tolerance, Holm, alpha {}",
        options.alpha
    );
    for id in &out.not_in_baseline {
        println!("not compared: {id} (not in the baseline's executable)");
    }
    let regressed = crate::compare::paired::regressed(&out.rows);
    let undecidable: Vec<String> = out
        .rows
        .iter()
        .filter(|r| r.analysis.is_none() || !r.p_value.is_finite())
        .map(PairedRow::key)
        .collect();
    let dir = target_dir().join("pqbench").join("paired");
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(format!("{target}.json"));
    let report = Report {
        mode: "lockstep",
        baseline: name,
        baseline_exe: &baseline_exe,
        candidate_exe: &candidate_exe,
        candidate_slowdown_pct: plan.candidate_slowdown_pct,
        bench_time_s: plan.bench_time.as_secs_f64(),
        options: &options,
        outcome: &out,
        regressed: regressed.clone(),
        undecidable: undecidable.clone(),
    };
    crate::results::write_json_atomic(&path, &report)?;
    if !args.quiet {
        println!("report: {}", path.display());
    }
    if let Some(why) = cancel.reason() {
        eprintln!("interrupted: the completed replications are analysed above");
        return Ok(why.exit_code());
    }
    let reasons = fail_reasons(
        &regressed,
        &undecidable,
        out.compared
            .is_empty()
            .then_some("no benchmark is present in both the baseline's executable and this one"),
        args.allow_inconclusive,
    );
    if !reasons.is_empty() {
        println!("gate: FAIL: {}", reasons.join("; "));
        return Ok(exit::REGRESSION);
    }
    let open = out
        .rows
        .iter()
        .filter(|r| r.verdict == Verdict::Inconclusive && r.analysis.is_some())
        .count();
    println!("{}", pass_line(open));
    Ok(exit::OK)
}
