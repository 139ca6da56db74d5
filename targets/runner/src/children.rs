//! Child processes that must not outlive pqbench: worker processes of the
//! harness and the QEMU emulators of this crate register here while they
//! run, so that an exit which cannot wait for the usual kill-and-reap (a
//! second SIGINT/SIGTERM) can still kill them all ([`kill_all`]).

use std::process::{Command, Stdio};
use std::sync::Mutex;

/// Pids of the registered children running now.
static LIVE: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Adds `pid` to the live children (see [`kill_all`]).
pub fn register(pid: u32) {
    if let Ok(mut l) = LIVE.lock() {
        l.push(pid);
    }
}

/// Removes `pid` from the live children once it has been reaped.
pub fn unregister(pid: u32) {
    if let Ok(mut l) = LIVE.lock() {
        l.retain(|&p| p != pid);
    }
}

/// Keeps a child registered for as long as the guard lives.
#[derive(Debug)]
pub struct Registered(u32);

impl Registered {
    /// Registers `pid` until the guard is dropped.
    pub fn new(pid: u32) -> Registered {
        register(pid);
        Registered(pid)
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        unregister(self.0);
    }
}

/// Sends SIGKILL to every registered child still running: workers ignore the
/// terminal's signals and emulators run on, so they would otherwise outlive
/// an immediate exit.
pub fn kill_all() {
    let pids: Vec<u32> = LIVE.lock().map(|l| l.clone()).unwrap_or_default();
    for pid in pids {
        let _ = Command::new("kill")
            .arg("-KILL")
            .arg(pid.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guard_registers_until_dropped() {
        let live = |pid| LIVE.lock().unwrap().contains(&pid);
        let g = Registered::new(u32::MAX - 7);
        assert!(live(u32::MAX - 7));
        drop(g);
        assert!(!live(u32::MAX - 7));
    }
}
