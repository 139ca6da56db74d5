//! The parent side of one in-process replication: re-executes this binary
//! as `pqbench ab --in-process-worker JSON`, watches the cancel flag and a
//! watchdog, and reads the one-line JSON reply.

use super::interleave::{ReplicationReply, ReplicationRequest};
use crate::measure::repeat::{ChildEnd, WorkerOutcome, watch_child};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// The hidden flag of `pqbench ab` that makes it a replication process.
pub const WORKER_FLAG: &str = "--in-process-worker";

/// Runs one replication process and waits for it, polling `cancel` every
/// 10 ms (the process is killed when it is raised) and killing it after
/// `budget` plus [`GRACE`](crate::measure::repeat::GRACE).
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
    let mut cmd = Command::new(exe);
    cmd.arg("ab").arg(WORKER_FLAG).arg(&json);
    match watch_child(cmd, "the replication process", budget, cancel) {
        ChildEnd::Line(line) => match serde_json::from_str(&line) {
            Ok(r) => WorkerOutcome::Done(Box::new(r)),
            Err(e) => WorkerOutcome::Failed(format!("unreadable replication reply: {e}")),
        },
        ChildEnd::Silent => {
            WorkerOutcome::Failed("the replication process printed no reply".into())
        }
        ChildEnd::Cancelled => WorkerOutcome::Cancelled,
        ChildEnd::Failed(m) => WorkerOutcome::Failed(m),
    }
}
