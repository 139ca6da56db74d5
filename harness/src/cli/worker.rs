//! `pqbench __worker` (hidden): one process of process-level repetition.
//! See [`crate::measure::worker`].

use super::exit;
use crate::measure::worker::{WorkerRequest, serve};
use std::io::Write;
use std::process::ExitCode;

/// Arguments of the hidden worker subcommand.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The request, as JSON.
    #[arg(long)]
    request: String,
}

/// Measures one benchmark and prints the report as one JSON line.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // The parent decides when to stop: a terminal's SIGINT goes to the whole
    // process group, and the parent kills its worker itself.
    let _ = ctrlc::set_handler(|| {});
    let request: WorkerRequest = serde_json::from_str(&args.request)
        .map_err(|e| anyhow::anyhow!("bad worker request: {e}"))?;
    let report = serve(&request)?;
    let line = serde_json::to_string(&report)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(ExitCode::from(exit::OK))
}
