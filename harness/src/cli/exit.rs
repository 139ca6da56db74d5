//! Exit codes of `pqbench`, documented in the README and `--help`.

/// Success; for `gate`: no regression.
pub const OK: u8 = 0;
/// `gate`/`ab`: a regression was found.
pub const REGRESSION: u8 = 1;
/// Usage or input error: bad arguments, missing/corrupt/foreign file,
/// environment mismatch under `--strict-env`.
pub const USAGE: u8 = 2;
/// `run`: some benchmarks failed (results still written).
pub const RUN_FAILED: u8 = 3;
/// Interrupted by SIGINT; completed results were written.
pub const INTERRUPTED: u8 = crate::runner::Interrupt::Sigint.exit_code();
/// Terminated by SIGTERM; completed results were written.
pub const TERMINATED: u8 = crate::runner::Interrupt::Sigterm.exit_code();
