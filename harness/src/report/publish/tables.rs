//! The report's tables in the shared [`Table`] model, and their CSV form.

use super::numfmt::round_with_ci;
use super::stats::SeriesStats;
use crate::compare::{Comparison, p_fmt, pct_ci};
use crate::report::anchors::Anchor;
use crate::report::{Align, Table, format_value};

/// Value with its interval, digits from the interval: `1.23 [1.18, 1.28] µs`.
pub fn value_ci(s: &SeriesStats) -> String {
    let Some(m) = s.median else {
        return "-".into();
    };
    let r = round_with_ci(m, s.ci.as_ref().ok().copied(), s.unit);
    if r.lo.is_empty() {
        format!("{} {}", r.value, r.unit)
    } else {
        format!("{} [{}, {}] {}", r.value, r.lo, r.hi, r.unit)
    }
}

fn bytes(v: Option<f64>) -> String {
    v.map_or(String::new(), |b| {
        format!("{} B", crate::report::format::thousands(b))
    })
}

/// The hardware comparison table: every benchmark across targets and
/// machines, with published anchors as rows marked `published`.
pub fn hardware_table(stats: &[Vec<SeriesStats>], anchors: &[Anchor]) -> Table {
    let mut t = Table::new([
        "benchmark",
        "target",
        "machine",
        "median [95% CI]",
        "p99",
        "reps x samples",
        "time at clock",
        "code size",
        "stack",
        "vs classical",
        "source",
    ])
    .align([
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Left,
        Align::Left,
    ]);
    for group in stats {
        let Some(first) = group.first() else { continue };
        for s in group {
            let measured = s.median.is_some();
            t.push_row([
                s.id.clone(),
                s.target.clone(),
                s.machine.clone(),
                if measured {
                    value_ci(s)
                } else {
                    s.status.clone()
                },
                s.p99.map_or(String::new(), |v| format_value(v, s.unit)),
                format!("{} x {}", s.replications, s.samples),
                s.time_at_clock()
                    .zip(s.clock_hz)
                    .map_or(String::new(), |(t, hz)| {
                        format!(
                            "{} @ {:.0} MHz",
                            format_value(t * 1e9, crate::results::Unit::Ns),
                            hz / 1e6
                        )
                    }),
                bytes(s.code_size),
                bytes(s.stack),
                s.retrofit.join(", "),
                "measured".into(),
            ]);
        }
        for a in anchors_for(&first.id, anchors) {
            t.push_row([
                first.id.clone(),
                "published".into(),
                a.hardware.clone(),
                anchor_value(a),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                format!("published: {}", a.source),
            ]);
        }
    }
    t
}

/// A published figure with its unit; whole counts grouped (`988,722 cycles`).
fn anchor_value(a: &Anchor) -> String {
    if a.value.fract() == 0.0 && matches!(a.unit.as_str(), "cycles" | "instructions") {
        format!("{} {}", crate::report::format::thousands(a.value), a.unit)
    } else {
        format!("{} {}", a.value, a.unit)
    }
}

/// Published anchors for benchmark `id`: same suite, operation and
/// parameters, any implementation.
pub fn anchors_for<'a>(id: &str, anchors: &'a [Anchor]) -> Vec<&'a Anchor> {
    let key = |s: &str| {
        let p: Vec<&str> = s.split('/').collect();
        (p.len() == 4).then(|| (p[0].to_string(), p[1].to_string(), p[3].to_string()))
    };
    let Some(k) = key(id) else { return Vec::new() };
    anchors
        .iter()
        .filter(|a| key(&a.id).as_ref() == Some(&k))
        .collect()
}

/// The comparison as a table: ratio of medians with CI, adjusted p, verdict.
pub fn comparison_table(c: &Comparison) -> Table {
    let mut t = Table::new([
        "benchmark",
        "target",
        "method",
        "change [95% CI]",
        "p (adjusted)",
        "tolerance",
        "verdict",
    ])
    .align([
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Left,
    ]);
    for r in &c.rows {
        let change = match (&r.exact, &r.stats) {
            (Some(e), _) => format!("{:+.3}% exact", (e.ratio - 1.0) * 100.0),
            (None, Some(s)) => pct_ci(&s.ratios.median),
            _ => "-".into(),
        };
        t.push_row([
            r.id.clone(),
            r.target.clone(),
            format!("{:?}", r.method).to_lowercase(),
            change,
            p_fmt(r.p_adjusted),
            format!("{:.2}%", r.tolerance * 100.0),
            r.verdict.as_str().to_string(),
        ]);
    }
    t
}

/// A table as CSV bytes (header row first).
pub fn to_csv(t: &Table) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&t.headers)?;
    for r in &t.rows {
        let mut row = r.clone();
        row.resize(t.headers.len(), String::new());
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}
