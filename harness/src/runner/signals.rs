//! SIGINT and SIGTERM: the first raises the run's [`CancelToken`] (the
//! current benchmark is stopped and dropped, finished ones are kept); a
//! second one exits at once with 130 (SIGINT) or 143 (SIGTERM), after any
//! results write in progress has finished (see [`super::writer::WRITE_LOCK`]),
//! so no temporary file is left behind, and after killing any worker process
//! or emulator still running.

use super::cancel::{CancelToken, Interrupt};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};

/// The installed handler; dropping it stops listening (the signals' default
/// actions stay replaced for the life of the process).
pub struct SignalGuard {
    handle: Handle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for SignalGuard {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Installs the handler for a `run`.
pub fn install(cancel: CancelToken) -> anyhow::Result<SignalGuard> {
    let mut signals = Signals::new([SIGINT, SIGTERM])
        .map_err(|e| anyhow::anyhow!("cannot install the SIGINT/SIGTERM handler: {e}"))?;
    let handle = signals.handle();
    let thread = std::thread::Builder::new()
        .name("pqbench-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                let why = if signal == SIGTERM {
                    Interrupt::Sigterm
                } else {
                    Interrupt::Sigint
                };
                if cancel.cancel(why) {
                    // Second signal: the user insists. Wait for a write in
                    // progress (and keep any new one from starting), then go;
                    // finished results are on disk already.
                    let _guard = super::writer::lock_writes();
                    #[cfg(feature = "full")]
                    pqbench_targets::children::kill_all();
                    std::process::exit(i32::from(why.exit_code()));
                }
            }
        })
        .map_err(|e| anyhow::anyhow!("cannot start the signal thread: {e}"))?;
    Ok(SignalGuard {
        handle,
        thread: Some(thread),
    })
}

/// For worker processes: SIGINT and SIGTERM from the terminal's process
/// group do nothing; the parent decides when a worker stops (it kills it
/// with SIGKILL).
pub fn ignore_in_worker() -> anyhow::Result<()> {
    let ignored = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for s in [SIGINT, SIGTERM] {
        signal_hook::flag::register(s, std::sync::Arc::clone(&ignored))
            .map_err(|e| anyhow::anyhow!("cannot set the worker's signal handler: {e}"))?;
    }
    Ok(())
}
