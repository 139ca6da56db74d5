//! `pqbench run`.

use std::process::ExitCode;

/// Arguments of `pqbench run`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `pqbench run`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`pqbench run` is not built yet")
}
