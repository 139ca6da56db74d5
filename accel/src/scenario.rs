//! MLPerf LoadGen–style scenarios over any "run one inference" closure.
//!
//! * single-stream: one query at a time; latency HDR histogram; the first
//!   inference (which includes model and parameter loading work) is kept
//!   apart; p90 is reported only from [`MIN_QUERIES_P90`] queries, p99 from
//!   [`MIN_QUERIES_P99`] (LoadGen's early-stopping minimums), otherwise the
//!   percentile is marked insufficient (`None`).
//! * offline: back-to-back inferences, throughput in inferences/s.
//! * server: Poisson arrivals at a target rate; latency measured from each
//!   query's *scheduled* arrival, so a slow query delays the ones behind it
//!   and that delay is counted (coordinated omission corrected); a search
//!   finds the highest rate whose p99 stays under a bound.

use hdrhistogram::Histogram;
use rand::SeedableRng;
use rand_distr::{Distribution, Exp};
use std::time::{Duration, Instant};

/// Queries needed before p90 is reported.
pub const MIN_QUERIES_P90: usize = 64;
/// Queries needed before p99 is reported.
pub const MIN_QUERIES_P99: usize = 662;

/// Latency percentiles with the early-stopping minimums applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Latencies {
    /// Every latency, in nanoseconds, in query order.
    pub samples_ns: Vec<f64>,
    /// HDR histogram of the latencies (ns, 3 significant digits).
    pub histogram: Histogram<u64>,
    /// Median (ns).
    pub p50_ns: f64,
    /// p90 (ns); `None` when fewer than [`MIN_QUERIES_P90`] queries.
    pub p90_ns: Option<f64>,
    /// p99 (ns); `None` when fewer than [`MIN_QUERIES_P99`] queries.
    pub p99_ns: Option<f64>,
}

impl Latencies {
    /// Builds the histogram and the percentiles (type-7 quantiles of the
    /// exact samples, like NumPy's default, from [`pqbench_stats::quantile`]).
    pub fn from_samples(samples_ns: Vec<f64>) -> Option<Latencies> {
        if samples_ns.is_empty() || samples_ns.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let mut histogram = Histogram::<u64>::new(3).ok()?;
        for v in &samples_ns {
            histogram.saturating_record(v.round().max(1.0) as u64);
        }
        let n = samples_ns.len();
        let q = |q: f64| pqbench_stats::quantile(&samples_ns, q).ok();
        Some(Latencies {
            p50_ns: q(0.5)?,
            p90_ns: if n >= MIN_QUERIES_P90 {
                Some(q(0.9)?)
            } else {
                None
            },
            p99_ns: if n >= MIN_QUERIES_P99 {
                Some(q(0.99)?)
            } else {
                None
            },
            samples_ns,
            histogram,
        })
    }
}

/// Result of [`single_stream`].
#[derive(Debug, Clone)]
pub struct SingleStream {
    /// Latency of the very first inference (ns), not in `latencies`.
    pub first_ns: f64,
    /// The following queries.
    pub latencies: Latencies,
}

/// Runs `infer` once (the first inference, timed alone), then repeatedly
/// until `budget` has passed or `max_queries` were issued (at least
/// `min_queries` when the budget allows nothing else).
pub fn single_stream<E>(
    mut infer: impl FnMut() -> Result<(), E>,
    budget: Duration,
    min_queries: usize,
    max_queries: usize,
) -> Result<SingleStream, E> {
    let t = Instant::now();
    infer()?;
    let first_ns = t.elapsed().as_nanos() as f64;
    let start = Instant::now();
    let mut samples = Vec::new();
    while samples.len() < max_queries.max(1)
        && (samples.len() < min_queries.max(1) || start.elapsed() < budget)
    {
        let t = Instant::now();
        infer()?;
        samples.push(t.elapsed().as_nanos() as f64);
    }
    let latencies = Latencies::from_samples(samples).unwrap_or_else(|| Latencies {
        samples_ns: Vec::new(),
        histogram: Histogram::new(3).unwrap_or_else(|_| unreachable_hist()),
        p50_ns: 0.0,
        p90_ns: None,
        p99_ns: None,
    });
    Ok(SingleStream {
        first_ns,
        latencies,
    })
}

fn unreachable_hist() -> Histogram<u64> {
    // 3 significant digits is always a valid precision; this is never reached.
    Histogram::new_with_max(2, 2).unwrap_or_else(|_| std::process::abort())
}

/// Result of [`offline`].
#[derive(Debug, Clone)]
pub struct Offline {
    /// Inferences completed.
    pub inferences: u64,
    /// Wall time of all of them.
    pub elapsed: Duration,
    /// Mean ns per inference over each batch of `batch` inferences.
    pub batch_means_ns: Vec<f64>,
    /// Inferences per batch.
    pub batch: u64,
}

impl Offline {
    /// Inferences per second.
    pub fn throughput(&self) -> f64 {
        self.inferences as f64 / self.elapsed.as_secs_f64().max(1e-12)
    }
}

/// Runs batches of `batch` inferences back to back for `budget` (at least
/// one batch).
pub fn offline<E>(
    mut infer: impl FnMut() -> Result<(), E>,
    budget: Duration,
    batch: u64,
) -> Result<Offline, E> {
    let batch = batch.max(1);
    let start = Instant::now();
    let mut means = Vec::new();
    let mut n = 0u64;
    loop {
        let t = Instant::now();
        for _ in 0..batch {
            infer()?;
        }
        means.push(t.elapsed().as_nanos() as f64 / batch as f64);
        n += batch;
        if start.elapsed() >= budget {
            break;
        }
    }
    Ok(Offline {
        inferences: n,
        elapsed: start.elapsed(),
        batch_means_ns: means,
        batch,
    })
}

/// Result of one server run at a fixed rate.
#[derive(Debug, Clone)]
pub struct ServerRun {
    /// Target arrival rate (queries/s).
    pub target_qps: f64,
    /// Queries issued.
    pub queries: usize,
    /// Achieved completion rate (queries/s).
    pub achieved_qps: f64,
    /// Latency from scheduled arrival to completion.
    pub latencies: Latencies,
}

/// Issues `queries` queries with exponential inter-arrival times at `qps`
/// (seeded), each started when both it has arrived and the previous one is
/// done; latency = completion − scheduled arrival.
pub fn server_at<E>(
    infer: &mut impl FnMut() -> Result<(), E>,
    qps: f64,
    queries: usize,
    seed: u64,
) -> Result<ServerRun, E> {
    let queries = queries.max(1);
    let rate = if qps.is_finite() && qps > 0.0 {
        qps
    } else {
        1.0
    };
    let exp = Exp::new(rate).unwrap_or_else(|_| unreachable_exp());
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let start = Instant::now();
    let mut arrival = 0.0f64;
    let mut samples = Vec::with_capacity(queries);
    for _ in 0..queries {
        arrival += exp.sample(&mut rng);
        let due = start + Duration::from_secs_f64(arrival);
        wait_until(due);
        infer()?;
        let done = Instant::now();
        samples.push(done.saturating_duration_since(due).as_nanos() as f64);
    }
    let elapsed = start.elapsed().as_secs_f64().max(1e-12);
    let latencies = Latencies::from_samples(samples).unwrap_or_else(|| Latencies {
        samples_ns: Vec::new(),
        histogram: unreachable_hist(),
        p50_ns: 0.0,
        p90_ns: None,
        p99_ns: None,
    });
    Ok(ServerRun {
        target_qps: rate,
        queries,
        achieved_qps: queries as f64 / elapsed,
        latencies,
    })
}

fn unreachable_exp() -> Exp<f64> {
    // Exp::new(1.0) is always valid.
    Exp::new(1.0).unwrap_or_else(|_| std::process::abort())
}

fn wait_until(due: Instant) {
    loop {
        let now = Instant::now();
        if now >= due {
            return;
        }
        let left = due - now;
        if left > Duration::from_micros(200) {
            std::thread::sleep(left - Duration::from_micros(100));
        } else {
            std::hint::spin_loop();
        }
    }
}

/// Result of [`server_search`].
#[derive(Debug, Clone)]
pub struct ServerSearch {
    /// p99 bound (ns).
    pub p99_bound_ns: f64,
    /// Every rate tried, in order.
    pub tried: Vec<ServerRun>,
    /// Index in `tried` of the highest rate whose p99 met the bound.
    pub best: Option<usize>,
}

/// Binary search on the rate between `lo_qps` and `hi_qps` (`steps` runs of
/// `queries` queries each, `queries` >= [`MIN_QUERIES_P99`] so that p99 is
/// defined) for the highest rate with p99 <= `p99_bound_ns`.
pub fn server_search<E>(
    mut infer: impl FnMut() -> Result<(), E>,
    lo_qps: f64,
    hi_qps: f64,
    p99_bound_ns: f64,
    queries: usize,
    steps: usize,
    seed: u64,
) -> Result<ServerSearch, E> {
    let queries = queries.max(MIN_QUERIES_P99);
    let (mut lo, mut hi) = (lo_qps.max(1e-3), hi_qps.max(lo_qps.max(1e-3) * 1.01));
    let mut tried = Vec::new();
    let mut best: Option<usize> = None;
    // First check the low end; if it fails nothing higher can pass.
    for step in 0..steps.max(1) {
        let rate = if step == 0 { lo } else { (lo + hi) / 2.0 };
        let run = server_at(&mut infer, rate, queries, seed.wrapping_add(step as u64))?;
        let ok = run.latencies.p99_ns.is_some_and(|p| p <= p99_bound_ns);
        tried.push(run);
        if ok {
            best = Some(tried.len() - 1);
            lo = rate;
        } else if step == 0 {
            break;
        } else {
            hi = rate;
        }
    }
    Ok(ServerSearch {
        p99_bound_ns,
        tried,
        best,
    })
}
