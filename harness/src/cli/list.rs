//! `pqbench list`: benchmarks and targets.

use crate::target::{self, RunPlan};
use std::process::ExitCode;

/// Arguments of `pqbench list`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Show what this target can run (host, qemu:<board>, board:<id>,
    /// tflite-cpu, tflite-xnnpack, edgetpu:<n>).
    #[arg(long, short = 't', default_value = "host")]
    target: String,
    /// Only these suites (comma-separated: hash, detect, pqc, classical, …).
    #[arg(long, short = 's', value_delimiter = ',')]
    suite: Vec<String>,
    /// Only ids containing one of these substrings.
    #[arg(long, short = 'f')]
    filter: Vec<String>,
    /// List the kinds of targets instead of benchmarks.
    #[arg(long)]
    targets: bool,
}

/// The target specs `run --target` accepts, with a description.
pub const TARGET_KINDS: [(&str, &str); 7] = [
    (
        "host",
        "this machine's CPU, wall-clock ns; replications: fresh worker processes",
    ),
    (
        "qemu:<board>",
        "a Cortex-M board emulated by qemu-system-arm, instructions; replications: fresh QEMU launches",
    ),
    (
        "board:<id>",
        "a real Cortex-M board over USB/serial, cycles; replications: board resets",
    ),
    (
        "tflite-cpu",
        "TensorFlow Lite C library on the CPU, ns; replications: fresh worker processes",
    ),
    (
        "tflite-xnnpack",
        "TensorFlow Lite with the XNNPACK delegate, ns; likewise",
    ),
    (
        "litert-cpu",
        "LiteRT 2.3.0 C API (CompiledModel, XNNPACK) on the CPU, ns; likewise; options :threads=N, :kernels=builtin",
    ),
    (
        "edgetpu:<n>",
        "Coral Edge TPU number n through libedgetpu, ns; likewise",
    ),
];

/// Runs `pqbench list`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.targets {
        println!("Targets (use with `pqbench run --target SPEC[,SPEC…]`):");
        for (spec, what) in TARGET_KINDS {
            println!("  {spec:<16} {what}");
        }
        println!("Attached hardware: `pqbench devices`.");
        return Ok(ExitCode::SUCCESS);
    }
    let plan = RunPlan {
        suites: args.suite,
        filters: args.filter,
        ..RunPlan::new()
    };
    let backend = target::from_spec(&args.target)?;
    let listing = backend.list(&plan)?;
    println!("{} benchmarks on {}:", listing.len(), backend.name());
    for l in &listing {
        match &l.unavailable {
            None => println!("  {}", l.id),
            Some(why) => println!("  {}  (unavailable: {why})", l.id),
        }
    }
    println!("Other targets: `pqbench list --targets`.");
    Ok(ExitCode::SUCCESS)
}
