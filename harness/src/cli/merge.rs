//! `pqbench merge A.json B.json ... -o all.json`: one file from many
//! machines and targets, each result keeping its environment.

use crate::results::{Prefer, load, merge, write_atomic};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

/// Which input wins for a duplicate benchmark + target + machine.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum PreferArg {
    /// The earlier file on the command line.
    First,
    /// The later file on the command line.
    Last,
}

/// Arguments of `pqbench merge`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Results files to merge (merged files too), in order.
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// The merged file (written atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Resolve duplicates (same benchmark, target and machine) instead of
    /// refusing them.
    #[arg(long, value_enum)]
    pub prefer: Option<PreferArg>,
}

/// Runs `pqbench merge`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut inputs = Vec::new();
    for p in &args.files {
        let f = load(p).with_context(|| format!("results file {}", p.display()))?;
        inputs.push((p.display().to_string(), f));
    }
    let prefer = match args.prefer {
        None => Prefer::Neither,
        Some(PreferArg::First) => Prefer::First,
        Some(PreferArg::Last) => Prefer::Last,
    };
    let (merged, summary) = merge(&inputs, prefer)?;
    write_atomic(&args.output, &merged)
        .with_context(|| format!("writing {}", args.output.display()))?;
    for r in &summary.replaced {
        println!("duplicate: {r}");
    }
    println!(
        "{}: {} results from {} files, {} environments",
        args.output.display(),
        summary.results,
        inputs.len(),
        summary.environments
    );
    Ok(ExitCode::SUCCESS)
}
