//! `pqbench devices`.

use std::process::ExitCode;

/// Arguments of `pqbench devices`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `pqbench devices`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`pqbench devices` is not built yet")
}
