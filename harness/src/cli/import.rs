//! `pqbench import criterion|gungraun DIR... -o OUT`.

use crate::import::{self, ImportOptions};
use crate::results;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pqbench import`.
#[derive(clap::Args, Debug)]
#[command(after_long_help = "\
Examples:
  cargo bench --bench mybench && pqbench import criterion target/criterion -o new.json
  for i in 1 2 3; do CRITERION_HOME=crit/$i cargo bench; done
  pqbench import criterion crit/1 crit/2 crit/3 -o new.json   # 3 replications
  pqbench import gungraun target/gungraun -o instructions.json
  pqbench gate base.json new.json

Each DIRECTORY is one run of the other harness and becomes one replication
of every benchmark it holds: `gate` needs at least 2 per side for timings
(instruction counts are compared exactly and need one).")]
pub struct Args {
    /// The harness whose output to read.
    #[arg(value_enum)]
    format: Format,
    /// One directory per run: a criterion home (target/criterion,
    /// $CRITERION_HOME) or a gungraun output directory (target/gungraun).
    #[arg(required = true, value_name = "DIRECTORY")]
    dirs: Vec<PathBuf>,
    /// Write the results file here (atomically).
    #[arg(long, short = 'o')]
    output: PathBuf,
    /// Read a saved baseline instead of the latest run (criterion:
    /// `--save-baseline NAME`; gungraun: `--save-baseline=NAME`).
    #[arg(long, value_name = "NAME")]
    baseline: Option<String>,
}

/// The harnesses `pqbench import` reads.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Format {
    /// criterion.rs: per-sample times (ns per iteration).
    Criterion,
    /// gungraun / iai-callgrind: Callgrind instruction counts.
    Gungraun,
}

/// Runs `pqbench import`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = ImportOptions {
        baseline: args.baseline,
    };
    let file = match args.format {
        Format::Criterion => import::criterion::import(&args.dirs, &options)?,
        Format::Gungraun => import::gungraun::import(&args.dirs, &options)?,
    };
    results::write_atomic(&args.output, &file)?;
    eprintln!(
        "imported {} benchmark(s) from {} run(s) into {}",
        file.results.len(),
        args.dirs.len(),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
