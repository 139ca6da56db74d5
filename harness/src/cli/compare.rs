//! `pqbench compare`.

use std::process::ExitCode;

/// Arguments of `pqbench compare`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `pqbench compare`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`pqbench compare` is not built yet")
}
