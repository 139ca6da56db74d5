//! `pqbench ab`: paired A/B. Runs a baseline and a candidate
//! pqbench-compatible command alternately, round after round, with the same
//! benchmarks and seeds, and analyses the per-round ratios (drift of a
//! shared machine cancels within a round). Without `--candidate` it is a
//! repeated-run mode: the baseline is run round after round and the rounds
//! are merged into one results file (one process per round).
//!
//! Each invocation is `CMD run --processes 1 --seed S --bench-time T
//! -o TMPFILE [--filter F]… [--suite S]… [--run-arg A]…`.

use super::compare::{CorrectionArg, FormatArg, write_json};
use super::exit;
use super::run::parse_duration;
use crate::compare::paired::{
    PairedOptions, PairedRow, PairedTest, Rounds, analyse, render, worst_half_width,
};
use crate::compare::{Override, Tolerances, parse_percent, pct_ci};
use crate::report::{Align, Table};
use crate::results::{BenchResult, ResultsFile, load, write_atomic};
use anyhow::{Context, bail};
use pqbench_stats::{BootstrapConfig, Correction, Groups, bootstrap_median};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// Paired test on the command line.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum PairedTestArg {
    /// Wilcoxon signed-rank on log block ratios.
    Wilcoxon,
    /// Exact sign test.
    Sign,
    /// One-sample t-test on log block ratios.
    T,
}

/// Arguments of `pqbench ab`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Baseline command: a pqbench-compatible binary, optionally with
    /// arguments before `run` (split on whitespace), e.g. `./main/pqbench`.
    #[arg(long, value_name = "CMD")]
    pub baseline: String,
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
    /// Repeated-run mode: write the merged results file here.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

/// Why the loop stopped.
#[derive(Clone, Debug, Serialize)]
pub struct Stop {
    /// `target_ci`, `time_cap` or `round_limit`.
    pub reason: &'static str,
    /// Human sentence.
    pub detail: String,
    /// Rounds completed.
    pub rounds: usize,
    /// Wall-clock seconds.
    pub elapsed_s: f64,
}

#[derive(Serialize)]
struct AbReport<'a> {
    stop: &'a Stop,
    options: &'a PairedOptions,
    rows: &'a [PairedRow],
    gaps: &'a [String],
    regressed: Vec<String>,
}

fn split_cmd(cmd: &str) -> anyhow::Result<(String, Vec<String>)> {
    let mut parts = cmd.split_whitespace().map(str::to_string);
    let Some(prog) = parts.next() else {
        bail!("empty command");
    };
    Ok((prog, parts.collect()))
}

/// Runs one invocation of `cmd run … -o out` and loads the results.
fn invoke(cmd: &str, args: &Args, out: &Path) -> anyhow::Result<ResultsFile> {
    let (prog, pre) = split_cmd(cmd)?;
    let mut c = Command::new(&prog);
    c.args(pre)
        .arg("run")
        .args(["--processes", "1"])
        .args(["--seed", &args.seed.to_string()])
        .args([
            "--bench-time",
            &format!("{}ms", args.bench_time.as_millis().max(1)),
        ])
        .arg("-o")
        .arg(out);
    for f in &args.filter {
        c.args(["--filter", f]);
    }
    for s in &args.suite {
        c.args(["--suite", s]);
    }
    c.args(&args.run_arg);
    let output = c
        .output()
        .with_context(|| format!("starting {prog:?} (from {cmd:?})"))?;
    // `run` exits 0, or 3 when some benchmarks failed (results written).
    match output.status.code() {
        Some(0) | Some(3) => {}
        _ => bail!(
            "{cmd:?} run failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ),
    }
    load(out).with_context(|| format!("results of {cmd:?}"))
}

fn merge(into: &mut BTreeMap<String, BenchResult>, order: &mut Vec<String>, file: &ResultsFile) {
    for r in &file.results {
        let key = format!("{}@{}", r.id, r.target);
        match into.get_mut(&key) {
            Some(m) => m.processes.extend(r.processes.iter().cloned()),
            None => {
                order.push(key.clone());
                into.insert(key, r.clone());
            }
        }
    }
}

/// Runs `pqbench ab`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !(args.alpha > 0.0 && args.alpha < 1.0 && args.confidence > 0.0 && args.confidence < 1.0) {
        bail!("--alpha and --confidence must be in (0, 1)");
    }
    if args.resamples < 100 {
        bail!("--resamples {} is too few (need >= 100)", args.resamples);
    }
    let options = PairedOptions {
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
        },
    };
    let tmp = tempfile::tempdir().context("creating a temporary directory")?;
    let dir = match &args.keep {
        Some(d) => {
            std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
            d.clone()
        }
        None => tmp.path().to_path_buf(),
    };
    let start = Instant::now();
    let mut rounds = Rounds::default();
    let mut merged: BTreeMap<String, BenchResult> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut first: Option<ResultsFile> = None;
    let mut last_round = Duration::ZERO;
    let mut rows: Vec<PairedRow> = Vec::new();
    let mut done = 0usize;
    let stop = loop {
        let elapsed = start.elapsed();
        if done >= args.rounds as usize {
            break Stop {
                reason: "round_limit",
                detail: format!("round limit ({}) reached", args.rounds),
                rounds: done,
                elapsed_s: elapsed.as_secs_f64(),
            };
        }
        if done > 0 && elapsed + last_round > args.max_time {
            break Stop {
                reason: "time_cap",
                detail: format!(
                    "time cap ({:.0}s) reached: another round (~{:.0}s) would exceed it",
                    args.max_time.as_secs_f64(),
                    last_round.as_secs_f64()
                ),
                rounds: done,
                elapsed_s: elapsed.as_secs_f64(),
            };
        }
        let t0 = Instant::now();
        let round = done + 1;
        let a_path = dir.join(format!("round-{round:04}-baseline.json"));
        match &args.candidate {
            Some(cand) => {
                let b_path = dir.join(format!("round-{round:04}-candidate.json"));
                // Alternate the order: A B, B A, A B, …
                let (a, b) = if round % 2 == 1 {
                    let a = invoke(&args.baseline, &args, &a_path)?;
                    (a, invoke(cand, &args, &b_path)?)
                } else {
                    let b = invoke(cand, &args, &b_path)?;
                    (invoke(&args.baseline, &args, &a_path)?, b)
                };
                rounds.add(round, &a, &b);
                if first.is_none() {
                    first = Some(a);
                }
            }
            None => {
                let a = invoke(&args.baseline, &args, &a_path)?;
                merge(&mut merged, &mut order, &a);
                if first.is_none() {
                    first = Some(a);
                }
            }
        }
        done += 1;
        last_round = t0.elapsed();
        let width = if args.candidate.is_some() {
            rows = analyse(&rounds, &options);
            worst_half_width(&rows)
        } else {
            repeated_width(&merged, &options).1
        };
        eprintln!(
            "round {round}: {:.1}s, worst CI half-width {}",
            last_round.as_secs_f64(),
            if width.is_finite() {
                format!("{:.2}%", width * 100.0)
            } else {
                "-".into()
            }
        );
        if let Some(target) = args.target_ci
            && done >= args.min_rounds as usize
            && width <= target
        {
            break Stop {
                reason: "target_ci",
                detail: format!(
                    "target CI reached: worst half-width {:.2}% <= {:.2}%",
                    width * 100.0,
                    target * 100.0
                ),
                rounds: done,
                elapsed_s: start.elapsed().as_secs_f64(),
            };
        }
    };
    let style = args.format.style();
    if args.candidate.is_none() {
        return finish_repeated(&args, &options, merged, order, first, &stop, style);
    }
    print!("{}", render(&rows, style));
    for g in &rounds.gaps {
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
    let regressed: Vec<String> = rows
        .iter()
        .filter(|r| r.verdict == pqbench_stats::Verdict::Regressed)
        .map(|r| format!("{}@{}", r.id, r.target))
        .collect();
    if let Some(p) = &args.json {
        write_json(
            p,
            &AbReport {
                stop: &stop,
                options: &options,
                rows: &rows,
                gaps: &rounds.gaps,
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

/// Repeated-run mode: per benchmark, the hierarchical bootstrap CI of the
/// median over the merged rounds; returns the intervals and the worst
/// relative half-width.
fn repeated_width(
    merged: &BTreeMap<String, BenchResult>,
    o: &PairedOptions,
) -> (BTreeMap<String, pqbench_stats::RatioCi>, f64) {
    let cfg = BootstrapConfig {
        resamples: o.resamples,
        confidence: o.confidence,
        seed: o.seed,
        ..BootstrapConfig::default()
    };
    let mut out = BTreeMap::new();
    let mut worst: f64 = 0.0;
    for (k, r) in merged {
        let g: Vec<Vec<f64>> = r.processes.iter().map(|p| p.samples.clone()).collect();
        let ci = Groups::new(g)
            .ok()
            .filter(|g| g.len() >= 2)
            .and_then(|g| bootstrap_median(&g, &cfg).ok());
        match ci {
            Some(ci) => {
                worst = worst.max(ci.relative_half_width());
                out.insert(k.clone(), ci);
            }
            None => worst = f64::INFINITY,
        }
    }
    if merged.is_empty() {
        worst = f64::INFINITY;
    }
    (out, worst)
}

fn finish_repeated(
    args: &Args,
    o: &PairedOptions,
    merged: BTreeMap<String, BenchResult>,
    order: Vec<String>,
    first: Option<ResultsFile>,
    stop: &Stop,
    style: crate::report::MarkupStyle,
) -> anyhow::Result<ExitCode> {
    let (cis, _) = repeated_width(&merged, o);
    let mut t = Table::new([
        "benchmark",
        "processes",
        "median",
        "CI of median (relative)",
    ])
    .align([Align::Left, Align::Right, Align::Right, Align::Right]);
    for k in &order {
        let Some(r) = merged.get(k) else { continue };
        let ci = cis.get(k);
        t.push_row([
            k.clone(),
            r.processes.len().to_string(),
            ci.map_or("-".into(), |c| {
                crate::report::format_value(c.estimate, r.unit)
            }),
            ci.map_or("-".into(), |c| {
                let rel = pqbench_stats::RatioCi {
                    estimate: 1.0,
                    lo: c.lo / c.estimate,
                    hi: c.hi / c.estimate,
                };
                pct_ci(&rel)
            }),
        ]);
    }
    print!("{}", t.render(style));
    println!(
        "repeated runs: {} rounds; stopped: {}",
        stop.rounds, stop.detail
    );
    if let Some(out) = &args.output {
        let Some(mut file) = first else {
            bail!("no round completed");
        };
        let mut results = Vec::new();
        for k in &order {
            let Some(r) = merged.get(k) else { continue };
            let mut m = match BenchResult::measured(
                r.id.clone(),
                r.target.clone(),
                r.unit,
                r.recording,
                r.iterations_per_sample,
                r.processes.clone(),
            ) {
                Ok(m) => m,
                Err(_) => r.clone(),
            };
            m.status = r.status.clone();
            m.throughput = r.throughput;
            m.static_metrics = r.static_metrics.clone();
            m.timer = r.timer;
            m.details = r.details.clone();
            results.push(m);
        }
        file.results = results;
        file.complete = true;
        write_atomic(out, &file).with_context(|| format!("writing {}", out.display()))?;
        println!("merged results written to {}", out.display());
    }
    Ok(ExitCode::from(exit::OK))
}
