//! Command-line interface. One module per subcommand, each with an `Args`
//! struct (clap derive) and a `run(args) -> anyhow::Result<ExitCode>`.

mod ab;
mod baseline;
mod compare;
mod devices;
pub mod exit;
mod export;
mod gate;
mod history;
mod import;
mod list;
mod merge;
mod report;
mod run;
mod scan;
mod show;
mod worker;

pub use run::parse_duration;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Benchmark post-quantum crypto and firmware crypto detection on hosts,
/// Edge TPUs and Cortex-M boards, with HDR histograms and statistics that
/// back every optimisation claim.
#[derive(Parser, Debug)]
#[command(
    name = "pqbench",
    version,
    propagate_version = true,
    after_long_help = LONG_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List benchmarks and targets.
    List(list::Args),
    /// Run benchmarks and write a results file.
    Run(run::Args),
    /// Show a results file as a table.
    Show(show::Args),
    /// Export a results file as JSON, CSV or Markdown.
    Export(export::Args),
    /// Import criterion or gungraun output as a results file.
    Import(import::Args),
    /// Compare two results files with confidence intervals and tests.
    Compare(compare::Args),
    /// Compare and exit non-zero on a regression (CI gate).
    Gate(gate::Args),
    /// Results store across commits: add, list, show, change points.
    History(history::Args),
    /// Write a static HTML/SVG/CSV/LaTeX report of results files.
    Report(report::Args),
    /// Merge results files from many machines and targets into one.
    Merge(merge::Args),
    /// Paired A/B: run baseline and candidate alternately.
    Ab(ab::Args),
    /// Named baselines of `cargo bench` (list, show, rm, compare).
    Baseline(baseline::Args),
    /// Scan firmware images for quantum-vulnerable cryptography.
    Scan(scan::Args),
    /// List attached Edge TPUs, Cortex-M boards and debug probes.
    Devices(devices::Args),
    /// Internal: one worker process of `run` (re-executed by pqbench).
    #[command(name = "__worker", hide = true)]
    Worker(worker::Args),
}

const LONG_HELP: &str = "\
Examples:
  pqbench run -o pqbench-results.json          default suites on this host (< 3 min)
  pqbench run --suite hash --bench-time 500ms  one suite, 0.5 s per benchmark
  pqbench run -f sha256 -p 4 --time-budget 30s 4 replications, run within 30 s
  pqbench show pqbench-results.json            percentiles, timer overhead, environment
  pqbench export pqbench-results.json --format csv -o results.csv
  pqbench list --suite pqc                     benchmark ids of a suite
  pqbench list --targets                       target specs for --target

Every benchmark runs in at least 2 independent replications by default
(--replications/-p): fresh worker processes on the host and TFLite / Edge
TPU (pqbench re-executes itself), fresh QEMU launches / board resets on
Cortex-M; `processes` in the results file has one entry per replication.
On the host, samples are single-op latencies when an operation is long
enough to time alone, batch means otherwise. Results files are JSON (format
v1, results/README.md) with an HdrHistogram per benchmark; they are replaced
atomically after every benchmark, so Ctrl-C or SIGTERM keeps everything
completed (a second signal exits at once).

Exit codes:
  0    success (gate: no regression)
  1    gate/ab: a regression was found; gate: a benchmark could not be decided
       (unless --allow-inconclusive)
  2    usage or input error: bad arguments, missing/corrupt/foreign results file
  3    run: some benchmarks or targets failed (the results file is still written)
  130  interrupted (SIGINT); completed benchmarks were written, marked incomplete
  143  terminated (SIGTERM); likewise";

/// Entry point used by `main`.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(exit::USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    if cli.command.prints_for_pipes() {
        die_quietly_on_broken_pipe();
    }
    let result = match cli.command {
        Command::List(a) => list::run(a),
        Command::Run(a) => run::run(a),
        Command::Show(a) => show::run(a),
        Command::Export(a) => export::run(a),
        Command::Import(a) => import::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Gate(a) => gate::run(a),
        Command::History(a) => history::run(a),
        Command::Report(a) => report::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Ab(a) => ab::run(a),
        Command::Baseline(a) => baseline::run(a),
        Command::Scan(a) => scan::run(a),
        Command::Devices(a) => devices::run(a),
        Command::Worker(a) => worker::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit::USAGE)
        }
    }
}

impl Command {
    /// Commands whose whole job is printing (`pqbench show FILE | head`):
    /// a closed pipe ends them quietly, as it does `cat`. Commands that
    /// measure or write files (`run`, `ab`, workers, …) keep the default
    /// Rust behaviour (an error on the broken write), so a closed terminal
    /// never kills a measurement before its results are written.
    fn prints_for_pipes(&self) -> bool {
        matches!(
            self,
            Command::List(_)
                | Command::Show(_)
                | Command::Export(_)
                | Command::Compare(_)
                | Command::Scan(_)
                | Command::Devices(_)
        )
    }
}

/// Restores the default action of SIGPIPE (terminate), which the Rust
/// runtime sets to "ignore": without it `println!` panics on a closed pipe.
#[cfg(unix)]
fn die_quietly_on_broken_pipe() {
    // SAFETY: FFI call setting a signal disposition to the system default,
    // before any thread is started; no handler code of ours is involved.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn die_quietly_on_broken_pipe() {}
