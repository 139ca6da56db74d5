//! The worker side of the lockstep protocol: a bench binary re-executed as
//! `BINARY __lockstep --request JSON` runs one benchmark's setup, warms its
//! operation up, then times batches of it when the parent asks, one at a
//! time, and sleeps on its standard input in between, so that the other
//! build's worker has the machine while this one waits.
//!
//! Lines from the worker (stdout): `ready PROTOCOL ESTIMATE_NS` after setup
//! and warm-up (the cheapest per-operation cost seen), `missing PROTOCOL`
//! when the binary has no benchmark with the requested id, `ns T` after each
//! batch. Lines from the parent (stdin): `run N` (time N operations); end of
//! input ends the worker.

use crate::measure::clock;
use crate::measure::engine::WARMUP_SHARE;
use crate::measure::pairs::warm_up;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

/// The first argument of a lockstep worker.
pub const SUBCOMMAND: &str = "__lockstep";

/// Version of the line protocol; a worker refuses a request of another
/// version, and the parent a reply of another version.
pub const PROTOCOL: u32 = 1;

/// What the parent asks a lockstep worker to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LockstepRequest {
    /// [`PROTOCOL`] of the parent.
    pub protocol: u32,
    /// Benchmark id.
    pub id: String,
    /// Warm-up before the `ready` line, nanoseconds.
    pub warmup_ns: u64,
    /// Harness validation: busy work after each timed batch lasting this
    /// share (percent) of it, inside the timed region (0: none).
    pub slowdown_pct: f64,
}

impl LockstepRequest {
    /// The request for benchmark `id` with a replication budget of `budget`
    /// (the worker warms up for [`WARMUP_SHARE`] of it).
    pub fn new(id: &str, budget: Duration, slowdown_pct: f64) -> LockstepRequest {
        LockstepRequest {
            protocol: PROTOCOL,
            id: id.to_string(),
            warmup_ns: budget
                .mul_f64(WARMUP_SHARE)
                .as_nanos()
                .min(u128::from(u64::MAX)) as u64,
            slowdown_pct,
        }
    }
}

/// Warms `routine` up, announces the estimate on `output`, then times
/// `run N` requests from `input` until its end. `Err` on an I/O error or a
/// line that is not a request.
pub(crate) fn serve_routine(
    routine: &mut dyn FnMut(),
    request: &LockstepRequest,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
) -> Result<(), String> {
    let clock = clock::current();
    let io = |e: std::io::Error| format!("lockstep worker: {e}");
    let estimate = warm_up::<()>(
        Instant::now(),
        Duration::from_nanos(request.warmup_ns),
        |n, record| {
            let t = clock.now();
            for _ in 0..n {
                routine();
            }
            record(clock.elapsed_ns(t));
            Ok(())
        },
    )
    .unwrap_or(f64::NAN);
    writeln!(output, "ready {PROTOCOL} {estimate}").map_err(io)?;
    output.flush().map_err(io)?;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line).map_err(io)? == 0 {
            return Ok(());
        }
        let n = match line.trim().strip_prefix("run ").map(str::parse::<u64>) {
            Some(Ok(n)) if n >= 1 => n,
            _ => {
                return Err(format!(
                    "lockstep worker: unexpected request {:?}",
                    line.trim()
                ));
            }
        };
        let start = Instant::now();
        let t = clock.now();
        for _ in 0..n {
            routine();
        }
        if request.slowdown_pct > 0.0 {
            crate::measure::slowdown::after(start, request.slowdown_pct);
        }
        let ns = clock.elapsed_ns(t);
        writeln!(output, "ns {ns}").map_err(io)?;
        output.flush().map_err(io)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(slowdown_pct: f64) -> LockstepRequest {
        LockstepRequest::new("t/x/p/-", Duration::from_millis(10), slowdown_pct)
    }

    fn spin(us: u64) {
        let t = Instant::now();
        while t.elapsed() < Duration::from_micros(us) {
            std::hint::spin_loop();
        }
    }

    #[test]
    fn announces_then_times_each_request() {
        let mut calls = 0u64;
        let mut out = Vec::new();
        let mut input = "run 3\nrun 1\n".as_bytes();
        serve_routine(
            &mut || {
                calls += 1;
                spin(50);
            },
            &request(0.0),
            &mut input,
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        let est: f64 = lines[0].strip_prefix("ready 1 ").unwrap().parse().unwrap();
        assert!(est >= 50_000.0, "{est}");
        let ns: Vec<f64> = lines[1..]
            .iter()
            .map(|l| l.strip_prefix("ns ").unwrap().parse().unwrap())
            .collect();
        // Every operation spins >= 50 µs.
        assert!(ns[0] >= 150_000.0 && ns[1] >= 50_000.0, "{ns:?}");
        // Warm-up took at least one call; the requests 4 more.
        assert!(calls >= 5, "{calls}");
    }

    #[test]
    fn the_slowdown_lengthens_every_batch() {
        let mut out = Vec::new();
        serve_routine(
            &mut || spin(200),
            &request(50.0),
            &mut "run 2\n".as_bytes(),
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let ns: f64 = text.lines().nth(1).unwrap()[3..].parse().unwrap();
        assert!(ns >= 600_000.0, "{ns}");
    }

    #[test]
    fn garbage_requests_are_errors() {
        for bad in ["walk 3\n", "run 0\n", "run x\n"] {
            let e = serve_routine(
                &mut || (),
                &request(0.0),
                &mut bad.as_bytes(),
                &mut Vec::new(),
            )
            .unwrap_err();
            assert!(e.contains("unexpected request"), "{e}");
        }
    }
}
