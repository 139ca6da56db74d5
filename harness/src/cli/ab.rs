//! `pqbench ab`: paired A/B. Runs a baseline and a candidate
//! pqbench-compatible command alternately, round after round, with the same
//! benchmarks and seeds, and analyses the per-round ratios (drift of a
//! shared machine cancels within a round). Without `--candidate` it is a
//! repeated-run mode: the baseline is run round after round and the rounds
//! are merged into one results file (one process per round).
//!
//! Each invocation is `CMD run --processes 1 --seed S --bench-time T
//! -o TMPFILE [--filter F]… [--suite S]… [--run-arg A]…`. The loop is
//! [`crate::ab`]'s; this module parses and prints.
//!
//! With `--in-process --baseline-lib A.so --candidate-lib B.so`, both
//! builds' workload libraries (crate `pqbench-abi`) are loaded into one
//! process and sampled alternately in a random order, replicated over
//! processes ([`crate::ab::inprocess`]).

use super::compare::{CorrectionArg, FormatArg, write_json};
use super::exit;
use super::run::parse_duration;
use crate::ab::inprocess::{self, InProcessConfig, InProcessReport};
use crate::ab::{
    AbReport, CommandExecutor, Invocation, MonotonicClock, Plan, Progress, regressed, run_rounds,
};
use crate::compare::paired::{PairedOptions, PairedTest, render};
use crate::compare::{Override, Tolerances, parse_percent};
use crate::results::write_atomic;
use anyhow::{Context, bail};
use pqbench_stats::{BootstrapConfig, Correction};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Paired test on the command line.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum PairedTestArg {
    /// Wilcoxon signed-rank on log block ratios.
    Wilcoxon,
    /// Exact sign test.
    Sign,
    /// One-sample t-test on log block ratios.
    T,
    /// 20 % trimmed one-sample t-test on log block ratios (robust to a few
    /// outlying rounds or replications).
    Trimmed,
}

/// Arguments of `pqbench ab`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Baseline command: a pqbench-compatible binary, optionally with
    /// arguments before `run` (split on whitespace), e.g. `./main/pqbench`.
    #[arg(long, value_name = "CMD", required_unless_present_any = ["in_process", "in_process_worker"])]
    pub baseline: Option<String>,
    /// Candidate command. Omit for the repeated-run mode.
    #[arg(long, value_name = "CMD")]
    pub candidate: Option<String>,
    /// Most rounds (each runs the baseline once and the candidate once;
    /// the order alternates A B, B A, …; two rounds form an order-balanced
    /// block, the unit of the statistics).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub rounds: u32,
    /// Rounds always run before adaptive stopping may stop.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub min_rounds: u32,
    /// Adaptive stopping: stop once every benchmark's CI half-width of the
    /// ratio (A/B) or of the median (repeated-run mode) is at most this,
    /// e.g. `1%`.
    #[arg(long, value_parser = parse_percent)]
    pub target_ci: Option<f64>,
    /// Time cap: no round starts when it would end after this.
    #[arg(long, value_parser = parse_duration, default_value = "30m")]
    pub max_time: Duration,
    /// Benchmarks (substring filter, repeatable), passed to `run`.
    #[arg(long, short = 'f')]
    pub filter: Vec<String>,
    /// Suites, passed to `run`.
    #[arg(long, short = 's')]
    pub suite: Vec<String>,
    /// Seed of the inputs, the same for both commands in every round.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Time budget per benchmark per invocation, passed to `run`.
    #[arg(long, value_parser = parse_duration, default_value = "1s")]
    pub bench_time: Duration,
    /// Extra argument for `run` (repeatable), e.g. `--run-arg=--max-samples=2000`.
    #[arg(long = "run-arg", allow_hyphen_values = true)]
    pub run_arg: Vec<String>,
    /// Significance level of the adjusted p-values.
    #[arg(long, default_value_t = 0.01)]
    pub alpha: f64,
    /// Multiple-comparison correction over the benchmarks.
    #[arg(long, value_enum, default_value = "holm")]
    pub correction: CorrectionArg,
    /// Practical threshold, e.g. `1%`.
    #[arg(long, default_value = "1%", value_parser = parse_percent)]
    pub tolerance: f64,
    /// Per-benchmark threshold `GLOB=PERCENT` (repeatable).
    #[arg(long = "tolerance-for", value_name = "GLOB=PERCENT")]
    pub tolerance_for: Vec<Override>,
    /// Paired test driving the verdicts (on the order-balanced blocks of
    /// two rounds; Wilcoxon and sign tests need >= 6 blocks to reach
    /// p < 0.05).
    #[arg(long, value_enum, default_value = "t")]
    pub test: PairedTestArg,
    /// Bootstrap resamples.
    #[arg(long, default_value_t = 2000)]
    pub resamples: usize,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// Table markup.
    #[arg(long, value_enum, default_value = "plain")]
    pub format: FormatArg,
    /// Write the analysis as JSON (atomically).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Keep every round's results files in this directory.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Repeated-run mode: write the merged results file here. In-process
    /// mode: write the report here (as `--json`).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// In-process A/B: load the baseline's and the candidate's workload
    /// libraries into one process and alternate their samples in a random
    /// order, replicated over processes (`--replications`); `--bench-time`
    /// is per benchmark per replication. Build each library with `cargo
    /// build --release -p pqbench-abi` in its tree.
    #[arg(long, requires_all = ["baseline_lib", "candidate_lib"], conflicts_with_all = ["baseline", "candidate", "keep", "run_arg"])]
    pub in_process: bool,
    /// With --in-process: `random` gives every replication process a fresh
    /// placement (environment padding, stack and heap offsets under 4 KiB,
    /// drawn from --seed; reported per replication); `fixed` (default):
    /// none.
    #[arg(long, value_enum, default_value = "fixed", requires = "in_process")]
    pub placement: super::run::PlacementArg,
    /// In-process mode: the baseline's `libpqbench_abi.so`.
    #[arg(long, value_name = "LIB", requires = "in_process")]
    pub baseline_lib: Option<PathBuf>,
    /// In-process mode: the candidate's `libpqbench_abi.so` (the same file
    /// as the baseline's for an A/A run).
    #[arg(long, value_name = "LIB", requires = "in_process")]
    pub candidate_lib: Option<PathBuf>,
    /// In-process mode: most replications (processes; the unit of the test).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub replications: u32,
    /// In-process mode: most A/B blocks per benchmark per replication.
    #[arg(long, default_value_t = 200_000)]
    pub max_blocks: usize,
    /// In-process mode, harness validation only: slow the candidate
    /// library down by this much (CPU work after every sample, in that
    /// library only), e.g. `2%`. Recorded in the report.
    #[arg(long, value_parser = parse_percent, requires = "in_process")]
    pub candidate_slowdown: Option<f64>,
    /// Internal: run one in-process replication (JSON request).
    #[arg(long = "in-process-worker", hide = true, value_name = "JSON")]
    pub in_process_worker: Option<String>,
}

fn options(args: &Args) -> anyhow::Result<PairedOptions> {
    if !(args.alpha > 0.0 && args.alpha < 1.0 && args.confidence > 0.0 && args.confidence < 1.0) {
        bail!("--alpha and --confidence must be in (0, 1)");
    }
    if args.resamples < 100 {
        bail!("--resamples {} is too few (need >= 100)", args.resamples);
    }
    Ok(PairedOptions {
        alpha: args.alpha,
        correction: match args.correction {
            CorrectionArg::Holm => Correction::Holm,
            CorrectionArg::Bh => Correction::BenjaminiHochberg,
            CorrectionArg::None => Correction::None,
        },
        tolerances: Tolerances {
            default: args.tolerance,
            overrides: args.tolerance_for.clone(),
        },
        confidence: args.confidence,
        resamples: args.resamples,
        seed: BootstrapConfig::default().seed,
        test: match args.test {
            PairedTestArg::Wilcoxon => PairedTest::Wilcoxon,
            PairedTestArg::Sign => PairedTest::Sign,
            PairedTestArg::T => PairedTest::T,
            PairedTestArg::Trimmed => PairedTest::Trimmed,
        },
    })
}

/// One progress line: `WHAT N: T s, worst CI half-width W`.
fn progress_line(what: &str, n: usize, duration: std::time::Duration, width: f64) {
    let width = if width.is_finite() {
        format!("{:.2}%", width * 100.0)
    } else {
        "-".into()
    };
    eprintln!(
        "{what} {n}: {:.1}s, worst CI half-width {width}",
        duration.as_secs_f64()
    );
}

fn print_progress(p: &Progress) {
    progress_line("round", p.round, p.duration, p.width);
}

/// Runs `pqbench ab`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(request) = &args.in_process_worker {
        return in_process_worker(request);
    }
    let options = options(&args)?;
    if args.in_process {
        return in_process(&args, options);
    }
    let Some(baseline) = args.baseline.clone() else {
        bail!("--baseline is required (or --in-process with --baseline-lib/--candidate-lib)");
    };
    let tmp = tempfile::tempdir().context("creating a temporary directory")?;
    let dir = match &args.keep {
        Some(d) => {
            std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
            d.clone()
        }
        None => tmp.path().to_path_buf(),
    };
    let mut exec = CommandExecutor {
        baseline,
        candidate: args.candidate.clone(),
        dir,
        invocation: Invocation {
            seed: args.seed,
            bench_time: args.bench_time,
            filters: args.filter.clone(),
            suites: args.suite.clone(),
            extra: args.run_arg.clone(),
        },
    };
    let plan = Plan {
        paired: args.candidate.is_some(),
        rounds: args.rounds as usize,
        min_rounds: args.min_rounds as usize,
        target_ci: args.target_ci,
        max_time: args.max_time,
    };
    let out = run_rounds(
        &plan,
        &options,
        &mut exec,
        &MonotonicClock::start(),
        print_progress,
    )?;
    let stop = &out.stop;
    let style = args.format.style();
    if !plan.paired {
        print!("{}", out.merged.render(&options, style));
        println!(
            "repeated runs: {} rounds; stopped: {}",
            stop.rounds, stop.detail
        );
        if let Some(path) = &args.output {
            let Some(file) = out.merged.file() else {
                bail!("no round completed");
            };
            write_atomic(path, &file).with_context(|| format!("writing {}", path.display()))?;
            println!("merged results written to {}", path.display());
        }
        return Ok(ExitCode::from(exit::OK));
    }
    print!("{}", render(&out.rows, style));
    for g in &out.rounds.gaps {
        println!("gap: {g}");
    }
    println!(
        "paired A/B: {} rounds (order alternating A B / B A; statistics over blocks of two rounds), \
ratios candidate/baseline of per-round medians (+ = slower); {:.0}% bootstrap CIs over blocks; \
verdict test: {:?}, correction: {:?}, alpha {}; stopped: {}",
        stop.rounds,
        options.confidence * 100.0,
        options.test,
        options.correction,
        options.alpha,
        stop.detail
    );
    let regressed = regressed(&out.rows);
    if let Some(p) = &args.json {
        write_json(
            p,
            &AbReport {
                stop,
                options: &options,
                rows: &out.rows,
                gaps: &out.rounds.gaps,
                regressed: regressed.clone(),
            },
        )?;
    }
    if regressed.is_empty() {
        Ok(ExitCode::from(exit::OK))
    } else {
        println!("ab: {} benchmark(s) regressed", regressed.len());
        Ok(ExitCode::from(exit::REGRESSION))
    }
}

/// One replication process of the in-process mode: prints its reply as one
/// JSON line.
fn in_process_worker(request: &str) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    // The parent decides when to stop (it kills the process).
    crate::runner::signals::ignore_in_worker()?;
    let request: crate::ab::interleave::ReplicationRequest =
        serde_json::from_str(request).context("reading the replication request")?;
    let reply = crate::ab::interleave::serve(&request)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string(&reply)?)?;
    out.flush()?;
    Ok(ExitCode::from(exit::OK))
}

fn print_replication(p: &inprocess::Progress) {
    progress_line("replication", p.replication, p.duration, p.width);
}

/// `pqbench ab --in-process`.
fn in_process(args: &Args, options: PairedOptions) -> anyhow::Result<ExitCode> {
    let (Some(baseline_lib), Some(candidate_lib)) = (&args.baseline_lib, &args.candidate_lib)
    else {
        bail!("--in-process needs --baseline-lib and --candidate-lib");
    };
    // `--placement random`: a fresh placement (environment padding, stack
    // and heap offsets) per replication process, drawn from the seed, so
    // layout effects shared by both sides of a process average out.
    crate::measure::placement::configure(crate::measure::placement::SpawnPolicy {
        randomise: args.placement == super::run::PlacementArg::Random,
        seed: args.seed,
        pin: None,
    })?;
    let slowdown = args.candidate_slowdown.unwrap_or(0.0) * 100.0;
    let cfg = InProcessConfig {
        baseline_lib: baseline_lib.clone(),
        candidate_lib: candidate_lib.clone(),
        filters: args.filter.clone(),
        suites: args.suite.clone(),
        seed: args.seed,
        bench_time: args.bench_time,
        max_blocks: args.max_blocks,
        candidate_slowdown_pct: slowdown,
        plan: Plan {
            paired: true,
            rounds: args.replications as usize,
            min_rounds: (args.min_rounds as usize).min(args.replications as usize),
            target_ci: args.target_ci,
            max_time: args.max_time,
        },
    };
    let prepared = inprocess::prepare(&cfg)?;
    for s in &prepared.skipped {
        eprintln!("skipped: {s}");
    }
    if slowdown > 0.0 {
        eprintln!(
            "warning: harness validation: the candidate library is slowed down by {slowdown}% \
(--candidate-slowdown): not a real measurement"
        );
    }
    let exe = std::env::current_exe().context("locating the pqbench binary")?;
    let cancel = crate::runner::CancelToken::new();
    let _signals = crate::runner::signals::install(cancel.clone())?;
    let out = inprocess::run(
        &cfg,
        &prepared,
        &options,
        &exe,
        cancel.flag(),
        &MonotonicClock::start(),
        print_replication,
    )?;
    let stop = &out.stop;
    print!("{}", render(&out.rows, args.format.style()));
    println!(
        "in-process A/B (workload ABI {:#010x}): {} replications (processes; the \"rounds\" column), \
each alternating baseline and candidate samples in random order; ratio candidate/baseline \
per replication = exp(median log ratio of its blocks) (+ = slower); {:.0}% bootstrap CIs over \
replications; verdict test: {:?}, correction: {:?}, alpha {}; stopped: {}",
        prepared.abi_version,
        stop.rounds,
        options.confidence * 100.0,
        options.test,
        options.correction,
        options.alpha,
        stop.detail
    );
    let regressed = regressed(&out.rows);
    for path in [&args.json, &args.output].into_iter().flatten() {
        write_json(
            path,
            &InProcessReport {
                mode: "in-process",
                abi_version: prepared.abi_version,
                baseline_lib,
                candidate_lib,
                candidate_slowdown_pct: slowdown,
                bench_time_s: args.bench_time.as_secs_f64(),
                stop,
                options: &options,
                replications: &out.replications,
                rows: &out.rows,
                skipped: &prepared.skipped,
                regressed: regressed.clone(),
            },
        )?;
    }
    if let Some(why) = cancel.reason() {
        return Ok(ExitCode::from(why.exit_code()));
    }
    if regressed.is_empty() {
        Ok(ExitCode::from(exit::OK))
    } else {
        println!("ab: {} benchmark(s) regressed", regressed.len());
        Ok(ExitCode::from(exit::REGRESSION))
    }
}
