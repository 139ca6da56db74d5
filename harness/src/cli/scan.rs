//! `pqbench scan`.

use std::process::ExitCode;

/// Arguments of `pqbench scan`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `pqbench scan`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`pqbench scan` is not built yet")
}
