//! `pqbench ab`.

use std::process::ExitCode;

/// Arguments of `pqbench ab`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `pqbench ab`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`pqbench ab` is not built yet")
}
