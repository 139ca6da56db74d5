//! `pqbench gate`.

use std::process::ExitCode;

/// Arguments of `pqbench gate`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `pqbench gate`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`pqbench gate` is not built yet")
}
