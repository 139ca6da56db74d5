//! `pqbench export FILE --format json|csv|md|adoc|org|bmf|gab|gbench [-o OUT]`.

use crate::report::ExportFormat;
use crate::results;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pqbench export`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The results file (written by `pqbench run`).
    file: PathBuf,
    /// Output format: json and csv give one row per result with exact and
    /// histogram percentiles; md, adoc and org give the table of `show`;
    /// bmf (Bencher), gab (github-action-benchmark customSmallerIsBetter)
    /// and gbench (Google Benchmark JSON) feed CI services.
    #[arg(long, short = 'F', value_enum)]
    format: ExportFormat,
    /// Write here (atomically) instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
}

/// Runs `pqbench export`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let file = results::load(&args.file)?;
    let bytes = args.format.exporter().serialize(&file)?;
    match &args.output {
        Some(out) => {
            results::write_atomic_with(out, |w| w.write_all(&bytes))?;
            eprintln!("wrote {}", out.display());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
