//! `pqbench list`.

use std::process::ExitCode;

/// Arguments of `pqbench list`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `pqbench list`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`pqbench list` is not built yet")
}
