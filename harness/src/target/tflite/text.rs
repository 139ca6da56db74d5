//! Terminal text for TFLite results: a latency histogram.

use pqbench_accel::scenario::{self, MIN_QUERIES_P90, MIN_QUERIES_P99};

/// A text latency histogram (log-spaced buckets from the HDR histogram) and
/// the percentiles, for the terminal.
pub fn latency_histogram(id: &str, first_ns: f64, l: &scenario::Latencies) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let n = l.samples_ns.len();
    let _ = writeln!(
        out,
        "{id}: {n} queries; first inference {:.1} us (separate); p50 {:.1} us, p90 {}, p99 {}",
        first_ns / 1e3,
        l.p50_ns / 1e3,
        l.p90_ns.map_or_else(
            || format!("insufficient (<{MIN_QUERIES_P90})"),
            |v| format!("{:.1} us", v / 1e3)
        ),
        l.p99_ns.map_or_else(
            || format!("insufficient (<{MIN_QUERIES_P99})"),
            |v| format!("{:.1} us", v / 1e3)
        ),
    );
    if n == 0 {
        return out;
    }
    let lo = l
        .samples_ns
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .max(1.0);
    let hi = l.samples_ns.iter().copied().fold(0.0, f64::max).max(lo);
    let buckets = 12usize;
    let ratio = (hi / lo).max(1.0001).powf(1.0 / buckets as f64);
    let edges: Vec<f64> = (0..=buckets).map(|i| lo * ratio.powi(i as i32)).collect();
    let mut counts = vec![0u64; buckets];
    for x in &l.samples_ns {
        let b = ((x.max(lo) / lo).ln() / ratio.ln()).floor() as usize;
        counts[b.min(buckets - 1)] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(1).max(1);
    for (i, c) in counts.iter().enumerate() {
        let bar = "#".repeat(((*c as f64 / most as f64) * 40.0).round() as usize);
        let _ = writeln!(
            out,
            "  {:>9.1} - {:>9.1} us | {:>7} {bar}",
            edges[i] / 1e3,
            edges[i + 1] / 1e3,
            c
        );
    }
    out
}
