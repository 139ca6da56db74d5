//! Cancellation: a token every back end polls, raised by SIGINT/SIGTERM
//! (see [`super::signals`]) or by a test.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

/// Why a run was stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interrupt {
    /// SIGINT (Ctrl-C).
    Sigint,
    /// SIGTERM.
    Sigterm,
}

impl Interrupt {
    /// The shell's convention, 128 + signal number: 130 for SIGINT, 143 for
    /// SIGTERM.
    pub const fn exit_code(self) -> u8 {
        match self {
            Interrupt::Sigint => 128 + 2,
            Interrupt::Sigterm => 128 + 15,
        }
    }

    fn code(self) -> u8 {
        match self {
            Interrupt::Sigint => 1,
            Interrupt::Sigterm => 2,
        }
    }
}

/// A cancel flag shared by the runner, the signal handler and the back
/// ends. Cheap to clone; every clone sees the same flag.
#[derive(Clone, Debug, Default)]
pub struct CancelToken {
    flag: Arc<AtomicBool>,
    why: Arc<AtomicU8>,
}

impl CancelToken {
    /// A token not raised.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Raises the token; the first reason given is kept. Returns true when
    /// it was already raised.
    pub fn cancel(&self, why: Interrupt) -> bool {
        let _ = self
            .why
            .compare_exchange(0, why.code(), Ordering::SeqCst, Ordering::SeqCst);
        self.flag.swap(true, Ordering::SeqCst)
    }

    /// True once raised.
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Why it was raised, once it was.
    pub fn reason(&self) -> Option<Interrupt> {
        match self.why.load(Ordering::SeqCst) {
            1 => Some(Interrupt::Sigint),
            2 => Some(Interrupt::Sigterm),
            _ => None,
        }
    }

    /// The raw flag, for code that polls an `AtomicBool` (worker watchdogs,
    /// `pqbench-targets` sessions).
    pub fn flag(&self) -> &Arc<AtomicBool> {
        &self.flag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_reason_wins_and_clones_share_the_flag() {
        let t = CancelToken::new();
        let c = t.clone();
        assert!(!t.is_cancelled() && t.reason().is_none());
        assert!(!c.cancel(Interrupt::Sigterm));
        assert!(t.cancel(Interrupt::Sigint));
        assert!(t.is_cancelled());
        assert_eq!(t.reason(), Some(Interrupt::Sigterm));
        assert!(t.flag().load(Ordering::SeqCst));
        assert_eq!(Interrupt::Sigint.exit_code(), 130);
        assert_eq!(Interrupt::Sigterm.exit_code(), 143);
    }
}
