//! Cortex-M targets for pqbench: boards as data (`targets/boards/*.toml`),
//! firmware builds per board, the QEMU transport (semihosting over the
//! emulator's stdio, with timeouts), the serial transport for real boards
//! (a UART through a tty), the debug-probe transport (feature `probe`), the host side of the wire protocol, and USB discovery
//! for `pqbench devices`.

pub mod board;
pub mod children;
pub mod codesize;
pub mod devices;
mod error;
pub mod firmware;
pub mod probe;
pub mod runner;
pub mod serial;
pub mod session;
pub mod transport;

pub use board::Board;
pub use error::Error;
pub use runner::{CodeSize, Measured, Outcome, Prepared, RunConfig};

/// The Cargo features this crate was compiled with (`pqbench` records them
/// in every results file).
pub const ENABLED_FEATURES: &[&str] = if cfg!(feature = "probe") {
    &["probe"]
} else {
    &[]
};
