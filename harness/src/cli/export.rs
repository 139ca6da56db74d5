//! `pqbench export`.

use std::process::ExitCode;

/// Arguments of `pqbench export`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `pqbench export`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`pqbench export` is not built yet")
}
