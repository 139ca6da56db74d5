//! The real-board path: flash with a debug probe and talk over RTT.
//!
//! Built with the `probe` feature (it pulls in `probe-rs`); without it,
//! `board:<name>` targets fail with a message saying how to enable it.

#[cfg(not(feature = "probe"))]
use crate::{Error, board::Board, transport::Transport};

/// Flashes `elf` to `board`, resets it and attaches to its RTT channels.
#[cfg(not(feature = "probe"))]
pub fn connect(board: &Board, _elf: &std::path::Path) -> Result<Box<dyn Transport>, Error> {
    Err(Error::Hardware(format!(
        "board:{}: this pqbench was built without debug-probe support; rebuild with `cargo build --release -p pqbench --features probe` (uses probe-rs) and attach the board's probe ({})",
        board.name,
        board
            .probe
            .as_ref()
            .map(|p| p.usb.join(", "))
            .unwrap_or_default()
    )))
}

#[cfg(feature = "probe")]
pub use imp::connect;

#[cfg(feature = "probe")]
mod imp {
    include!("probe_rs_impl.rs");
}
