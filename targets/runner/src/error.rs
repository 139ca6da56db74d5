//! Errors of the Cortex-M runner. Every message says what happened and, where
//! there is one, what to do.

use std::time::Duration;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A board file is malformed.
    #[error("board file {file}: {message}")]
    BoardFile {
        /// File name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// No board of that name.
    #[error("unknown board {name:?}; known boards: {known}")]
    UnknownBoard {
        /// Name asked for.
        name: String,
        /// Known names.
        known: String,
    },
    /// A file or process operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A required external tool is missing.
    #[error("{tool} not found: {hint}")]
    ToolMissing {
        /// The program.
        tool: String,
        /// How to install it.
        hint: String,
    },
    /// `cargo build` of the firmware failed.
    #[error("firmware build for {board} ({triple}) failed:\n{log}")]
    FirmwareBuild {
        /// Board.
        board: String,
        /// Target triple.
        triple: String,
        /// Tail of cargo's output.
        log: String,
    },
    /// The board did not answer in time.
    #[error("timed out after {:.1} s waiting for {waiting_for}{}", .after.as_secs_f64(), fmt_detail(.detail))]
    Timeout {
        /// What the host waited for.
        waiting_for: String,
        /// How long it waited.
        after: Duration,
        /// Extra context (emulator output).
        detail: String,
    },
    /// The link closed (QEMU exited, probe detached).
    #[error("the board went away while waiting for {waiting_for}{}", fmt_detail(.detail))]
    Closed {
        /// What the host waited for.
        waiting_for: String,
        /// Exit status and emulator output.
        detail: String,
    },
    /// The firmware speaks another protocol version.
    #[error(
        "protocol version mismatch: the firmware speaks version {firmware}, this pqbench speaks {host}; rebuild the firmware (delete the firmware cache or run `pqbench run` again, which rebuilds it)"
    )]
    VersionMismatch {
        /// Firmware's version.
        firmware: u16,
        /// Host's version.
        host: u16,
    },
    /// The board sent something that is not the protocol.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// A real-board path could not be used.
    #[error("{0}")]
    Hardware(String),
    /// The caller's cancel flag was raised (SIGINT/SIGTERM): the session was
    /// ended (the emulator killed) while waiting for {waiting_for}.
    #[error("cancelled while waiting for {waiting_for}")]
    Cancelled {
        /// What the host waited for.
        waiting_for: String,
    },
}

fn fmt_detail(d: &str) -> String {
    if d.is_empty() {
        String::new()
    } else {
        format!(" ({d})")
    }
}

impl Error {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            what: what.into(),
            source,
        }
    }
}
