//! The parent side of process-level repetition: spawn a worker, watch the
//! cancel flag and a watchdog, collect the report.

use super::worker::WorkerReport;
use serde::de::DeserializeOwned;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How a worker process ended.
#[derive(Debug)]
pub enum WorkerOutcome<R> {
    /// It measured and reported.
    Done(Box<R>),
    /// The cancel flag was raised; the worker was killed.
    Cancelled,
    /// It failed: the message says how (exit status, stderr, bad report).
    Failed(String),
}

impl<R> From<WorkerOutcome<R>> for crate::runner::Outcome<R> {
    /// A worker's end as the runner sees a replication: a failed worker
    /// stops its benchmark with status `failed`, keeping nothing.
    fn from(o: WorkerOutcome<R>) -> Self {
        match o {
            WorkerOutcome::Done(r) => crate::runner::Outcome::Done(*r),
            WorkerOutcome::Cancelled => crate::runner::Outcome::Cancelled,
            WorkerOutcome::Failed(message) => crate::runner::Outcome::Stopped {
                status: crate::results::Status::Failed { message },
                partial: None,
            },
        }
    }
}

/// Extra time a worker may take beyond its budget (setup, a long single
/// operation, process start) before the watchdog kills it.
pub const GRACE: Duration = Duration::from_secs(120);

/// The argument a re-executed binary sees first when it is to act as a
/// worker (`pqbench __worker`, or a `cargo bench` binary built on
/// [`crate::bench`]).
pub const SUBCOMMAND: &str = "__worker";

/// A worker's report: one JSON line naming its benchmark.
pub trait Reply: DeserializeOwned {
    /// The benchmark id the report is for.
    fn id(&self) -> &str;
}

impl Reply for WorkerReport {
    fn id(&self) -> &str {
        &self.id
    }
}

/// How a child process watched by [`watch_child`] ended.
pub enum ChildEnd {
    /// It exited with success; its last non-empty line of standard output.
    Line(String),
    /// It exited with success and printed nothing.
    Silent,
    /// The cancel flag was raised; it was killed.
    Cancelled,
    /// It could not start, failed, or overran; why.
    Failed(String),
}

/// Starts `cmd` (standard input closed, output read, the clock's settings
/// in its environment: [`super::clock::child_env`]; placement and pinning:
/// [`super::placement::apply`]) and waits for it,
/// polling `cancel` every 10 ms (the child is killed when it is raised) and
/// killing it after `budget` plus [`GRACE`]. `what` names the child in
/// messages ("worker for ID", "the replication process").
pub fn watch_child(
    mut cmd: Command,
    what: &str,
    budget: Duration,
    cancel: &AtomicBool,
) -> ChildEnd {
    let program = cmd.get_program().to_string_lossy().into_owned();
    super::placement::apply(&mut cmd);
    let mut child = match cmd
        .envs(super::clock::child_env())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return ChildEnd::Failed(format!("cannot start {what}: {program}: {e}")),
    };
    // Killed with the rest on a second SIGINT/SIGTERM of `pqbench run`. (A
    // `cargo bench` binary installs no handler: its workers die with it.)
    #[cfg(feature = "full")]
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
            return ChildEnd::Cancelled;
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return ChildEnd::Failed(format!(
                    "{what} did not finish within its budget + {} s and was killed",
                    GRACE.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return ChildEnd::Failed(format!("waiting for {what}: {e}")),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        if cancel.load(Ordering::SeqCst) {
            return ChildEnd::Cancelled;
        }
        return ChildEnd::Failed(format!("{what} {status}: {}", stderr_tail(&stderr)));
    }
    match stdout.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(line) => ChildEnd::Line(line.to_string()),
        None => ChildEnd::Silent,
    }
}

/// The last five non-empty lines of a child's standard error, joined with
/// ` | ` (what a failure message quotes).
pub fn stderr_tail(stderr: &str) -> String {
    let mut tail: Vec<&str> = stderr
        .lines()
        .rev()
        .filter(|l| !l.trim().is_empty())
        .take(5)
        .collect();
    tail.reverse();
    tail.join(" | ")
}

/// Runs `exe __worker --request JSON` for benchmark `id` and waits for it
/// ([`watch_child`]).
pub fn run_worker<R: Reply>(
    exe: &Path,
    request: &impl serde::Serialize,
    id: &str,
    budget: Duration,
    cancel: &AtomicBool,
) -> WorkerOutcome<R> {
    let json = match serde_json::to_string(request) {
        Ok(j) => j,
        Err(e) => return WorkerOutcome::Failed(format!("encoding the request: {e}")),
    };
    let mut cmd = Command::new(exe);
    cmd.arg(SUBCOMMAND).arg("--request").arg(&json);
    let line = match watch_child(cmd, &format!("worker for {id}"), budget, cancel) {
        ChildEnd::Line(l) => l,
        ChildEnd::Silent => return WorkerOutcome::Failed("worker printed no report".into()),
        ChildEnd::Cancelled => return WorkerOutcome::Cancelled,
        ChildEnd::Failed(m) => return WorkerOutcome::Failed(m),
    };
    match serde_json::from_str::<R>(&line) {
        Ok(report) if report.id() == id => WorkerOutcome::Done(Box::new(report)),
        Ok(report) => WorkerOutcome::Failed(format!(
            "worker reported {:?}, expected {id:?}",
            report.id()
        )),
        Err(e) => WorkerOutcome::Failed(format!("unreadable worker report: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::worker::WorkerRequest;

    type Outcome = WorkerOutcome<WorkerReport>;

    fn run(exe: &str, cancel: &AtomicBool) -> Outcome {
        let r = request();
        run_worker(Path::new(exe), &r, &r.id, Duration::from_millis(1), cancel)
    }

    fn request() -> WorkerRequest {
        WorkerRequest {
            id: "hash/sha256.digest/rustcrypto/1KiB".into(),
            seed: 0,
            budget_ns: 1_000_000,
            max_samples: 10,
            forced: None,
        }
    }

    #[test]
    fn non_zero_exit_and_garbage_reports_are_failures() {
        let no = AtomicBool::new(false);
        match run("false", &no) {
            WorkerOutcome::Failed(m) => assert!(
                m.starts_with("worker for hash/sha256.digest/rustcrypto/1KiB exit status: 1"),
                "{m}"
            ),
            other => panic!("{other:?}"),
        }
        // `echo` prints its arguments: not a report.
        match run("echo", &no) {
            WorkerOutcome::Failed(m) => assert!(m.contains("unreadable worker report"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cancel_kills_the_worker() {
        // `yes` would print forever.
        let cancel = AtomicBool::new(true);
        let t = Instant::now();
        assert!(matches!(run("yes", &cancel), WorkerOutcome::Cancelled));
        assert!(t.elapsed() < Duration::from_secs(5));
    }
}
