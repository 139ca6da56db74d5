//! `pqbench show`.

use std::process::ExitCode;

/// Arguments of `pqbench show`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `pqbench show`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`pqbench show` is not built yet")
}
