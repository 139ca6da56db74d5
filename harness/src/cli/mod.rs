//! Command-line interface. One module per subcommand, each with an `Args`
//! struct (clap derive) and a `run(args) -> anyhow::Result<ExitCode>`.

mod ab;
mod compare;
mod devices;
pub mod exit;
mod export;
mod gate;
mod list;
mod run;
mod scan;
mod show;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Benchmark post-quantum crypto and firmware crypto detection on hosts,
/// Edge TPUs and Cortex-M boards, with HDR histograms and statistics that
/// back every optimisation claim.
#[derive(Parser, Debug)]
#[command(name = "pqbench", version, propagate_version = true)]
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
    /// Compare two results files with confidence intervals and tests.
    Compare(compare::Args),
    /// Compare and exit non-zero on a regression (CI gate).
    Gate(gate::Args),
    /// Paired A/B: run baseline and candidate alternately.
    Ab(ab::Args),
    /// Scan firmware images for quantum-vulnerable cryptography.
    Scan(scan::Args),
    /// List attached Edge TPUs, Cortex-M boards and debug probes.
    Devices(devices::Args),
}

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
    let result = match cli.command {
        Command::List(a) => list::run(a),
        Command::Run(a) => run::run(a),
        Command::Show(a) => show::run(a),
        Command::Export(a) => export::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Gate(a) => gate::run(a),
        Command::Ab(a) => ab::run(a),
        Command::Scan(a) => scan::run(a),
        Command::Devices(a) => devices::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit::USAGE)
        }
    }
}
