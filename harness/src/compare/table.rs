//! Tables of a [`Comparison`](super::Comparison), rendered with the shared
//! [`crate::report`] table model in any markup style.

use super::{Comparison, Method, Row};
use crate::report::{Align, MarkupStyle, Table};
use pqbench_stats::{Correction, RatioCi};
use std::fmt::Write as _;

/// A ratio as a signed percent change with its interval:
/// `+2.31% [+1.02, +3.70]`.
pub fn pct_ci(r: &RatioCi) -> String {
    format!(
        "{:+.2}% [{:+.2}, {:+.2}]",
        (r.estimate - 1.0) * 100.0,
        (r.lo - 1.0) * 100.0,
        (r.hi - 1.0) * 100.0
    )
}

/// A p-value for a table (`-` when it could not be computed).
pub fn p_fmt(p: f64) -> String {
    if !p.is_finite() {
        "-".into()
    } else if p < 1e-4 {
        format!("{p:.1e}")
    } else {
        format!("{p:.4}")
    }
}

pub(super) fn correction_name(c: Correction) -> &'static str {
    match c {
        Correction::Holm => "Holm (family-wise error)",
        Correction::BenjaminiHochberg => "Benjamini-Hochberg (false discovery rate)",
        Correction::None => "none",
    }
}

fn side(procs: usize, samples: usize) -> String {
    format!("{procs}x{samples}")
}

fn footer(c: &Comparison, out: &mut String) {
    let _ = writeln!(
        out,
        "\nratios new/base (+ = slower); the verdict, its tolerance check and its test refer to one estimate (Yuen/Welch: ratio of trimmed/plain geometric means of per-replication medians with its t interval; Mann-Whitney: Hodges-Lehmann with its Moses interval); \
median/mean/p99: descriptive {:.0}% bootstrap CIs, replications resampled whole ({} resamples, seed {}); tests on per-replication medians; \
primary test: {}; correction: {} over {} tests; alpha {}; tolerance {:.2}%{}",
        c.options.bootstrap.confidence * 100.0,
        c.options.bootstrap.resamples,
        c.options.bootstrap.seed,
        c.options.primary.label(),
        correction_name(c.options.correction),
        c.family_size,
        c.options.alpha,
        c.options.tolerances.default * 100.0,
        if c.options.tolerances.overrides.is_empty() {
            String::new()
        } else {
            format!(
                " (overrides: {})",
                c.options
                    .tolerances
                    .overrides
                    .iter()
                    .map(|o| format!("{}={:.2}%", o.pattern, o.tolerance * 100.0))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    let exact = c.rows.iter().filter(|r| r.method == Method::Exact).count();
    if exact > 0 {
        let _ = writeln!(
            out,
            "{exact} row(s) decided by an exact ratio (deterministic counts, or medians identical in every replication; no test, not in the correction family)"
        );
    }
    for r in &c.rows {
        if let Some(n) = &r.note {
            let _ = writeln!(out, "note: {}@{}: {n}", r.id, r.target);
        }
        if let Some(n) = super::noise::note(r) {
            let _ = writeln!(out, "note: {}@{}: {n}", r.id, r.target);
        }
    }
    if c.rows.iter().any(|r| r.replication_noise.is_some()) {
        let _ = writeln!(
            out,
            "rep. noise: SD of log per-replication medians, pooled over both sides (x: ratio to what the samples' own noise explains; ~1 = replications exchangeable)"
        );
    }
    for (r, why) in c.undecidable() {
        let _ = writeln!(out, "undecidable: {}@{}: {why}", r.id, r.target);
    }
    for n in &c.not_compared {
        let _ = writeln!(out, "not compared: {}@{}: {}", n.id, n.target, n.reason);
    }
    for k in &c.only_in_base {
        let _ = writeln!(out, "only in base: {k}");
    }
    for k in &c.only_in_new {
        let _ = writeln!(out, "only in new: {k}");
    }
    for m in &c.environment_mismatches {
        let _ = writeln!(out, "warning: environment mismatch: {m}");
    }
    let counts = c
        .counts()
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    let undecidable = c.undecidable().count();
    let _ = writeln!(
        out,
        "summary: {}{}",
        if counts.is_empty() {
            "nothing compared".into()
        } else {
            counts
        },
        if undecidable > 0 {
            format!(" ({undecidable} of them undecidable)")
        } else {
            String::new()
        }
    );
}

/// The change cell of a row: exact ratio, the primary test's estimate with
/// its interval (the quantity the verdict is about), or `-`.
pub(super) fn change(r: &Row) -> String {
    match (&r.exact, &r.stats) {
        (Some(e), _) if e.class == "constant" => {
            format!("{:+.3}% exact", (e.ratio - 1.0) * 100.0)
        }
        (Some(e), _) if e.class == super::constant::CLASS => format!(
            "{:+.3}% ±{:.3} (constant)",
            (e.ratio - 1.0) * 100.0,
            e.resolution * 100.0
        ),
        (Some(e), _) => format!(
            "{:+.3}% exact, {} inputs [{:+.2}, {:+.2}]",
            (e.ratio - 1.0) * 100.0,
            e.inputs,
            (e.min_ratio - 1.0) * 100.0,
            (e.max_ratio - 1.0) * 100.0
        ),
        (None, Some(s)) if s.estimate.estimate.is_finite() => pct_ci(&s.estimate),
        (None, Some(s)) => pct_ci(&s.ratios.median),
        (None, None) => "-".into(),
    }
}

fn name(r: &Row) -> String {
    let base = if r.target == "host" {
        r.id.clone()
    } else {
        format!("{}@{}", r.id, r.target)
    };
    match &r.machine {
        Some(m) => format!("{base} on {m}"),
        None => base,
    }
}

/// The full table of `pqbench compare`, with the notes below it.
pub fn render_compare(c: &Comparison, style: MarkupStyle) -> String {
    let header = [
        "benchmark",
        "base p x s",
        "new p x s",
        "verdict estimate",
        "median",
        "mean",
        "p99",
        "Hodges-Lehmann",
        "Cliff d",
        "p MW",
        "p Welch",
        "p adj",
        "rep. noise",
        "verdict",
    ];
    let rows: Vec<Vec<String>> = c
        .rows
        .iter()
        .map(|r| {
            let Some(s) = &r.stats else {
                let mut v = vec![
                    name(r),
                    r.base_processes.to_string(),
                    r.new_processes.to_string(),
                    change(r),
                ];
                v.extend(std::iter::repeat_n("-".to_string(), 9));
                v.push(r.verdict.as_str().to_string());
                return v;
            };
            vec![
                name(r),
                side(s.base_processes, s.base_samples),
                side(s.new_processes, s.new_samples),
                change(r),
                pct_ci(&s.ratios.median),
                pct_ci(&s.ratios.mean),
                pct_ci(&s.ratios.tail),
                pct_ci(&s.hodges_lehmann),
                format!("{:+.2}", s.cliffs_delta),
                if s.base_processes >= 2 && s.new_processes >= 2 {
                    p_fmt(s.mann_whitney.p_value)
                } else {
                    "-".into()
                },
                p_fmt(s.welch.map_or(f64::NAN, |w| w.p_value)),
                p_fmt(r.p_adjusted),
                super::noise::cell(r),
                r.verdict.as_str().to_string(),
            ]
        })
        .collect();
    let mut t = Table::new(header).align(
        [Align::Left, Align::Right, Align::Right]
            .into_iter()
            .chain(std::iter::repeat_n(Align::Right, 10))
            .chain([Align::Left]),
    );
    t.rows = rows;
    let mut out = t.render(style);
    footer(c, &mut out);
    out
}

/// The compact table of `pqbench gate`, with the notes below it.
pub fn render_gate(c: &Comparison, style: MarkupStyle) -> String {
    let header = [
        "benchmark",
        "procs b/n",
        "change [CI | exact]",
        "p adj",
        "tol",
        "rep. noise",
        "verdict",
    ];
    let rows: Vec<Vec<String>> = c
        .rows
        .iter()
        .map(|r| {
            vec![
                name(r),
                format!("{}/{}", r.base_processes, r.new_processes),
                change(r),
                p_fmt(r.p_adjusted),
                format!("{:.1}%", r.tolerance * 100.0),
                super::noise::cell(r),
                match &r.undecidable {
                    Some(why) => format!("{} (undecidable: {why})", r.verdict.as_str()),
                    None => r.verdict.as_str().to_string(),
                },
            ]
        })
        .collect();
    let mut t = Table::new(header).align([
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Left,
    ]);
    t.rows = rows;
    let mut out = t.render(style);
    footer(c, &mut out);
    out
}
