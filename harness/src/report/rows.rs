//! The rows every report of a results file is made of.

use super::{Align, Table, format_rate, format_value};
use crate::results::{BenchResult, Environment, Recording, ResultsFile, ThroughputSpec};
use serde::Serialize;

/// One result flattened for CSV and JSON export. Exact statistics come from
/// the raw samples (`summary`); `hdr_*` are read back from the embedded
/// histogram (3 significant digits), so other HdrHistogram tools can be
/// checked against them.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ResultRow {
    /// Benchmark id.
    pub id: String,
    /// Target spec.
    pub target: String,
    /// Unit of every value.
    pub unit: String,
    /// `ok`, `failed`, `skipped`, `does_not_fit`.
    pub status: String,
    /// Why the status is not `ok`.
    pub message: Option<String>,
    /// `single_op` or `batch_mean`.
    pub recording: String,
    /// Operations per timed sample.
    pub iterations_per_sample: u64,
    /// Samples over all processes.
    pub samples: Option<u64>,
    /// Processes.
    pub processes: Option<u64>,
    /// Minimum.
    pub min: Option<f64>,
    /// Mean.
    pub mean: Option<f64>,
    /// Sample standard deviation.
    pub stddev: Option<f64>,
    /// Median.
    pub median: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
    /// 99th percentile.
    pub p99: Option<f64>,
    /// 99.9th percentile.
    pub p999: Option<f64>,
    /// Maximum.
    pub max: Option<f64>,
    /// Median absolute deviation.
    pub mad: Option<f64>,
    /// Values in the embedded histogram.
    pub hdr_count: Option<u64>,
    /// Histogram median.
    pub hdr_p50: Option<u64>,
    /// Histogram 90th percentile.
    pub hdr_p90: Option<u64>,
    /// Histogram 99th percentile.
    pub hdr_p99: Option<u64>,
    /// Histogram 99.9th percentile.
    pub hdr_p999: Option<u64>,
    /// Histogram maximum.
    pub hdr_max: Option<u64>,
    /// `bytes` or `elements`.
    pub throughput_kind: Option<String>,
    /// Work per operation.
    pub throughput_per_op: Option<u64>,
    /// Work per second at the median (nanosecond results only).
    pub throughput_per_second: Option<f64>,
    /// Timer overhead (result's unit).
    pub timer_overhead: Option<f64>,
    /// Timer resolution (result's unit).
    pub timer_resolution: Option<f64>,
}

impl ResultRow {
    /// Flattens `r`. A histogram that does not decode leaves the `hdr_*`
    /// fields empty (files are validated when loaded).
    pub fn from_result(r: &BenchResult) -> ResultRow {
        let s = r.summary;
        let h = r.decoded_histogram().and_then(Result::ok);
        let hq = |q: f64| h.as_ref().map(|h| h.value_at_quantile(q));
        let (kind, per_op) = match r.throughput {
            Some(ThroughputSpec::Bytes(b)) => (Some("bytes".to_string()), Some(b)),
            Some(ThroughputSpec::Elements(e)) => (Some("elements".to_string()), Some(e)),
            None => (None, None),
        };
        let per_second = match (per_op, s, r.unit) {
            (Some(w), Some(s), crate::results::Unit::Ns) if s.median > 0.0 => {
                Some(w as f64 / (s.median / 1e9))
            }
            _ => None,
        };
        ResultRow {
            id: r.id.clone(),
            target: r.target.clone(),
            unit: r.unit.to_string(),
            status: r.status.label().to_string(),
            message: r.status.message().map(str::to_string),
            recording: recording_label(r.recording).to_string(),
            iterations_per_sample: r.iterations_per_sample,
            samples: s.map(|s| s.samples),
            processes: s.map(|s| s.processes),
            min: s.map(|s| s.min),
            mean: s.map(|s| s.mean),
            stddev: s.map(|s| s.stddev),
            median: s.map(|s| s.median),
            p90: s.map(|s| s.p90),
            p99: s.map(|s| s.p99),
            p999: s.map(|s| s.p999),
            max: s.map(|s| s.max),
            mad: s.map(|s| s.mad),
            hdr_count: h.as_ref().map(|h| h.len()),
            hdr_p50: hq(0.5),
            hdr_p90: hq(0.9),
            hdr_p99: hq(0.99),
            hdr_p999: hq(0.999),
            hdr_max: h.as_ref().map(|h| h.max()),
            throughput_kind: kind,
            throughput_per_op: per_op,
            throughput_per_second: per_second,
            timer_overhead: r.timer.map(|t| t.overhead),
            timer_resolution: r.timer.map(|t| t.resolution),
        }
    }
}

fn recording_label(r: Recording) -> &'static str {
    match r {
        Recording::SingleOp => "single_op",
        Recording::BatchMean => "batch_mean",
    }
}

/// The table `show` prints and `export --format md` writes: one row per
/// result with percentiles, spread, throughput and timer overhead.
pub fn results_table(file: &ResultsFile) -> Table {
    use Align::{Left, Right};
    let mut t = Table::new([
        "benchmark",
        "target",
        "status",
        "recording",
        "samples",
        "min",
        "p50",
        "p90",
        "p99",
        "p99.9",
        "max",
        "mean ± sd",
        "MAD",
        "throughput",
        "timer ovh/res",
    ])
    .align([
        Left, Left, Left, Left, Right, Right, Right, Right, Right, Right, Right, Right, Right,
        Right, Right,
    ]);
    for r in &file.results {
        let u = r.unit;
        let f = |v: f64| format_value(v, u);
        let recording = match r.recording {
            Recording::SingleOp => "single op".to_string(),
            Recording::BatchMean => format!("mean of {}", r.iterations_per_sample),
        };
        let timer = r
            .timer
            .map(|t| format!("{} / {}", f(t.overhead), f(t.resolution)))
            .unwrap_or_else(|| "-".into());
        let status = match r.status.message() {
            None => r.status.label().to_string(),
            Some(m) => format!("{}: {m}", r.status.label()),
        };
        match r.summary {
            Some(s) => {
                let rate = r
                    .throughput
                    .map(|t| format_rate(t, s.median, u))
                    .unwrap_or_else(|| "-".into());
                t.push_row([
                    r.id.clone(),
                    r.target.clone(),
                    status,
                    recording,
                    format!("{} × {}p", s.samples / s.processes.max(1), s.processes),
                    f(s.min),
                    f(s.median),
                    f(s.p90),
                    f(s.p99),
                    f(s.p999),
                    f(s.max),
                    format!("{} ± {}", f(s.mean), f(s.stddev)),
                    f(s.mad),
                    rate,
                    timer,
                ]);
            }
            None => t.push_row([r.id.clone(), r.target.clone(), status]),
        }
    }
    t
}

/// The environment as (label, value) lines, for `show` and reports.
pub fn environment_lines(e: &Environment) -> Vec<(String, String)> {
    let o = |v: &Option<String>| v.clone().unwrap_or_else(|| "unknown".into());
    let cores = match (e.logical_cores, e.physical_cores) {
        (Some(l), Some(p)) => format!("{l} logical, {p} physical"),
        (Some(l), None) => format!("{l} logical"),
        _ => "unknown".into(),
    };
    let turbo = match e.turbo {
        Some(true) => "on",
        Some(false) => "off",
        None => "unknown",
    };
    let git = match (&e.git_commit, e.git_dirty) {
        (Some(c), Some(true)) => format!("{c} (dirty)"),
        (Some(c), _) => c.clone(),
        _ => "unknown".into(),
    };
    let features = if e.features.is_empty() {
        "none".to_string()
    } else {
        e.features.join(",")
    };
    let mut lines = vec![
        ("CPU".into(), o(&e.cpu_model)),
        ("cores".into(), cores),
        (
            "governor / turbo".into(),
            format!("{} / {turbo}", o(&e.governor)),
        ),
        (
            "OS / kernel".into(),
            format!("{} / {} ({})", o(&e.os), o(&e.kernel), o(&e.arch)),
        ),
        ("rustc".into(), o(&e.rustc)),
        (
            "build".into(),
            format!(
                "profile {}, opt-level {}, features {features}",
                o(&e.profile),
                o(&e.opt_level)
            ),
        ),
        ("git".into(), git),
        ("time".into(), o(&e.time)),
    ];
    if let Some(v) = e.extra.get(crate::env::INJECT_SLOWDOWN_VAR) {
        lines.push((
            "WARNING".into(),
            format!(
                "{}={v}: artificial slowdown, not a real measurement",
                crate::env::INJECT_SLOWDOWN_VAR
            ),
        ));
    }
    lines
}
