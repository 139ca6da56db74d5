//! `pqbench __worker` (hidden): one replication of one benchmark in a fresh
//! process (host or TFLite). See [`crate::target::job`].

use super::exit;
use std::io::Write;
use std::process::ExitCode;

/// Arguments of the hidden worker subcommand.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The request, as JSON.
    #[arg(long)]
    request: String,
}

/// Runs one replication and prints the report as one JSON line.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // The parent decides when to stop: a terminal's SIGINT goes to the whole
    // process group, and the parent kills its worker itself (SIGKILL).
    crate::runner::signals::ignore_in_worker()?;
    let line = crate::target::job::serve(&args.request)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(ExitCode::from(exit::OK))
}
