//! One lockstep worker process seen from the parent: started with piped
//! standard streams, its lines read by a thread into a channel (so every
//! wait has a deadline and watches the cancel flag), killed when dropped.

use super::worker::{LockstepRequest, PROTOCOL, SUBCOMMAND};
use crate::measure::placement::Placement;
use crate::measure::repeat::{GRACE, stderr_tail};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Why a worker could not go on.
#[derive(Debug)]
pub enum Stop {
    /// The cancel flag was raised (the worker was killed).
    Cancelled,
    /// It failed, hung or broke the protocol: how.
    Failed(String),
}

/// What a worker said once it was ready.
#[derive(Debug, PartialEq)]
pub enum Ready {
    /// Warmed up; the cheapest per-operation cost it saw (ns).
    Estimate(f64),
    /// Its binary has no benchmark with the requested id.
    Missing,
}

/// A running lockstep worker.
pub struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr: Option<JoinHandle<String>>,
    what: String,
}

impl Worker {
    /// Starts `exe __lockstep --request JSON`; `what` names it in messages
    /// ("the baseline's worker for ID").
    /// Both workers of a pair get the same `placement` and CPU
    /// ([`crate::measure::placement::apply_matched`]).
    pub fn spawn(
        exe: &Path,
        request: &LockstepRequest,
        placement: Placement,
        cpu: Option<usize>,
        what: String,
    ) -> Result<Worker, Stop> {
        let json = serde_json::to_string(request)
            .map_err(|e| Stop::Failed(format!("encoding the request: {e}")))?;
        let mut cmd = Command::new(exe);
        cmd.arg(SUBCOMMAND).arg("--request").arg(json);
        crate::measure::placement::apply_matched(&mut cmd, placement, cpu);
        let mut child = cmd
            .envs(crate::measure::clock::child_env())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Stop::Failed(format!("cannot start {what}: {}: {e}", exe.display())))?;
        let (tx, lines) = channel();
        if let Some(out) = child.stdout.take() {
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let stderr = child.stderr.take().map(|mut e| {
            std::thread::spawn(move || {
                let mut s = String::new();
                let _ = e.read_to_string(&mut s);
                s
            })
        });
        Ok(Worker {
            stdin: child.stdin.take(),
            child,
            lines,
            stderr,
            what,
        })
    }

    /// The next line, waiting at most `patience` and watching `cancel`.
    fn line(&mut self, patience: Duration, cancel: &AtomicBool) -> Result<String, Stop> {
        let deadline = Instant::now() + patience;
        loop {
            if cancel.load(Ordering::SeqCst) {
                return Err(Stop::Cancelled);
            }
            match self.lines.recv_timeout(Duration::from_millis(20)) {
                Ok(line) => return Ok(line),
                Err(RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
                Err(RecvTimeoutError::Timeout) => {
                    return Err(Stop::Failed(format!(
                        "{} did not answer within {} s and was killed",
                        self.what,
                        patience.as_secs()
                    )));
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.ended()),
            }
        }
    }

    /// The error for a worker whose output ended: its exit status and the
    /// last lines of its standard error.
    fn ended(&mut self) -> Stop {
        // Its output is closed; give it a moment to exit, then kill it.
        let deadline = Instant::now() + Duration::from_secs(2);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let status = self.child.wait();
        let stderr = self
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        let status = status.map_or_else(|e| e.to_string(), |s| s.to_string());
        Stop::Failed(format!(
            "{} ended ({status}) without answering: {}",
            self.what,
            stderr_tail(&stderr)
        ))
    }

    /// Waits for the `ready` (or `missing`) line: setup and warm-up may take
    /// `budget` plus [`GRACE`].
    pub fn ready(&mut self, budget: Duration, cancel: &AtomicBool) -> Result<Ready, Stop> {
        let line = self.line(budget + GRACE, cancel)?;
        let mut words = line.split_whitespace();
        let (kind, version) = (words.next(), words.next().map(str::parse::<u32>));
        match (kind, version) {
            (Some(_), Some(Ok(v))) if v != PROTOCOL => Err(Stop::Failed(format!(
                "{} speaks lockstep protocol {v}, this binary {PROTOCOL}: rebuild the baseline \
                 with this pqbench (--save-baseline)",
                self.what
            ))),
            (Some("missing"), Some(Ok(_))) => Ok(Ready::Missing),
            (Some("ready"), Some(Ok(_))) => match words.next().map(str::parse::<f64>) {
                Some(Ok(e)) => Ok(Ready::Estimate(e)),
                _ => Err(self.garbage(&line)),
            },
            _ => Err(self.garbage(&line)),
        }
    }

    fn garbage(&self, line: &str) -> Stop {
        Stop::Failed(format!(
            "{} broke the lockstep protocol: {line:?} (a binary built on another pqbench?)",
            self.what
        ))
    }

    /// Times `iterations` operations in the worker; nanoseconds. A batch may
    /// take [`GRACE`] at most.
    pub fn sample(&mut self, iterations: u64, cancel: &AtomicBool) -> Result<f64, Stop> {
        let sent = self
            .stdin
            .as_mut()
            .map(|w| writeln!(w, "run {iterations}").and_then(|()| w.flush()));
        if !matches!(sent, Some(Ok(()))) {
            return Err(self.ended());
        }
        let line = self.line(GRACE, cancel)?;
        match line.strip_prefix("ns ").map(str::parse::<f64>) {
            Some(Ok(ns)) => Ok(ns),
            _ => Err(self.garbage(&line)),
        }
    }

    /// Ends the worker (end of its input) and checks that it exited cleanly.
    pub fn finish(mut self, cancel: &AtomicBool) -> Result<(), Stop> {
        drop(self.stdin.take());
        let deadline = Instant::now() + GRACE;
        loop {
            if cancel.load(Ordering::SeqCst) {
                return Err(Stop::Cancelled);
            }
            match self.child.try_wait() {
                Ok(Some(s)) if s.success() => return Ok(()),
                Ok(Some(_)) => return Err(self.ended()),
                Ok(None) if Instant::now() > deadline => {
                    return Err(Stop::Failed(format!(
                        "{} did not exit after its last batch and was killed",
                        self.what
                    )));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(1)),
                Err(e) => return Err(Stop::Failed(format!("waiting for {}: {e}", self.what))),
            }
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
