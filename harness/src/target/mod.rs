//! Where benchmarks run. Every back end implements
//! [`runner::Backend`](crate::runner::Backend) (one replication of one
//! benchmark at a time) and produces results in the one results format.
//!
//! Target specs on the command line: `host`, `qemu:<board>`, `board:<id>`,
//! `tflite-cpu`, `tflite-xnnpack`, `litert-cpu[:threads=N][:kernels=builtin]`,
//! `edgetpu:<n>`.

pub mod cortexm;
pub mod host;
pub mod job;
pub mod tflite;

pub use crate::runner::{Listing, RunPlan, Target};

/// Builds the back end for a target spec.
pub fn from_spec(spec: &str) -> anyhow::Result<Box<dyn Target>> {
    match spec.split_once(':') {
        None if spec == "host" => host::backend(),
        Some(("qemu", board)) => cortexm::qemu_backend(board),
        Some(("board", board)) => cortexm::board_backend(board),
        None if spec == "tflite-cpu" || spec == "tflite-xnnpack" => tflite::backend(spec),
        Some(("edgetpu", _)) => tflite::backend(spec),
        _ if spec == "litert-cpu" || spec.starts_with("litert-cpu:") => tflite::backend(spec),
        _ => anyhow::bail!(
            "unknown target {spec:?}; expected host, qemu:<board>, board:<id>, tflite-cpu, tflite-xnnpack, litert-cpu[:threads=N] or edgetpu:<n> (see `pqbench list --targets`)"
        ),
    }
}
