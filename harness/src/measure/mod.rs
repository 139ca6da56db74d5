//! Host measurement engine: timers, warm-up, calibration, process-level
//! repetition.
//!
//! * [`clock`] is the clock of the timed loops: the invariant TSC with a
//!   calibrated frequency, or `Instant` (`PQBENCH_CLOCK` forces one).
//! * [`timer`] measures the cost (overhead) and the smallest visible step
//!   (resolution) of the clock at the start of every process.
//! * [`engine`] measures one workload inside one process: untimed setup,
//!   warm-up, calibration of the iterations per sample, then timed samples
//!   until the process's budget or sample cap is reached.
//! * [`worker`] is the protocol between the parent `pqbench run` and the
//!   worker processes it re-executes (`pqbench __worker`), one per process
//!   and benchmark: the request on the command line, the report as one JSON
//!   line on stdout.
//! * [`repeat`] spawns the workers, watches the cancel flag and collects
//!   their reports; [`assemble`] merges them into one result.
//! * [`pairs`] summarises samples of two builds taken in alternation (the
//!   paired modes: `ab --in-process`, `cargo bench -- --paired`).
//! * [`placement`] draws each worker's stack, heap and environment
//!   placement and pins workers to a CPU (`run --placement`, `--pin`).

pub mod assemble;
pub mod clock;
pub mod engine;
pub mod pairs;
pub mod placement;
pub mod repeat;
pub mod slowdown;
pub mod timer;
pub mod worker;

pub use engine::{Calibration, EngineConfig, Measurement, measure};
pub use timer::{measure_clock, measure_timer};
