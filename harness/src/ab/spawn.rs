//! The parent side of one in-process replication: re-executes this binary
//! as `pqbench ab --in-process-worker JSON`, watches the cancel flag and a
//! watchdog, and reads the one-line JSON reply.

use super::interleave::{ReplicationReply, ReplicationRequest};
use crate::measure::repeat::{GRACE, WorkerOutcome};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The hidden flag of `pqbench ab` that makes it a replication process.
pub const WORKER_FLAG: &str = "--in-process-worker";

/// Runs one replication process and waits for it, polling `cancel` every
/// 10 ms (the process is killed when it is raised) and killing it after
/// `budget` plus [`GRACE`].
pub fn replicate(
    exe: &Path,
    request: &ReplicationRequest,
    budget: Duration,
    cancel: &AtomicBool,
) -> WorkerOutcome<ReplicationReply> {
    let json = match serde_json::to_string(request) {
        Ok(j) => j,
        Err(e) => return WorkerOutcome::Failed(format!("encoding the request: {e}")),
    };
    let mut child = match Command::new(exe)
        .arg("ab")
        .arg(WORKER_FLAG)
        .arg(&json)
        .envs(crate::measure::clock::child_env())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return WorkerOutcome::Failed(format!("cannot start {}: {e}", exe.display())),
    };
    let _live = pqbench_targets::children::Registered::new(child.id());
    let reader = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut r) = r {
                let _ = r.read_to_string(&mut s);
            }
            s
        })
    };
    let out = reader(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err = reader(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + budget + GRACE;
    let status = loop {
        if cancel.load(Ordering::SeqCst) {
            let _ = child.kill();
            let _ = child.wait();
            return WorkerOutcome::Cancelled;
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return WorkerOutcome::Failed(format!(
                    "the replication did not finish within its budget + {} s and was killed",
                    GRACE.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return WorkerOutcome::Failed(format!("waiting for the replication: {e}")),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        if cancel.load(Ordering::SeqCst) {
            return WorkerOutcome::Cancelled;
        }
        let tail: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        let tail = tail[tail.len().saturating_sub(5)..].join(" | ");
        return WorkerOutcome::Failed(format!("replication process {status}: {tail}"));
    }
    match stdout.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(line) => match serde_json::from_str(line) {
            Ok(r) => WorkerOutcome::Done(Box::new(r)),
            Err(e) => WorkerOutcome::Failed(format!("unreadable replication reply: {e}")),
        },
        None => WorkerOutcome::Failed("the replication process printed no reply".into()),
    }
}
