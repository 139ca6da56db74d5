//! The Markdown job summary of `pqbench gate --summary FILE` (also appended
//! to `$GITHUB_STEP_SUMMARY` on GitHub Actions): the outcome first, then
//! the regressions, then the rows that could not be decided, with every
//! other row (unchanged, improved, inconclusive) folded in a `<details>`
//! block, and the line that says how the verdicts were reached.

use super::table::{change, correction_name, p_fmt};
use super::{Comparison, Row};
use crate::report::{Align, MarkupStyle, Table};
use pqbench_stats::Verdict;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

fn name(r: &Row) -> String {
    format!("`{}@{}`", r.id, r.target)
}

fn table(rows: &[&Row], last: (&str, fn(&Row) -> String)) -> String {
    let mut t = Table::new([
        "benchmark",
        "replications base/new",
        "change [CI | exact]",
        "p adj",
        "tolerance",
        last.0,
    ])
    .align([
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Left,
    ]);
    for r in rows {
        t.push_row([
            name(r),
            format!("{}/{}", r.base_processes, r.new_processes),
            change(r),
            p_fmt(r.p_adjusted),
            format!("{:.2}%", r.tolerance * 100.0),
            last.1(r),
        ]);
    }
    t.render(MarkupStyle::Markdown)
}

/// The Markdown summary of a gate: `passed` and `reasons` are the gate's
/// outcome (the reasons it failed, empty when it passed).
pub fn render_summary(c: &Comparison, passed: bool, reasons: &[String]) -> String {
    let mut out = String::new();
    let regressed: Vec<&Row> = c.regressions().collect();
    let undecidable: Vec<&Row> = c.rows.iter().filter(|r| r.undecidable.is_some()).collect();
    let other: Vec<&Row> = c
        .rows
        .iter()
        .filter(|r| r.undecidable.is_none() && r.verdict != Verdict::Regressed)
        .collect();
    let _ = writeln!(
        out,
        "## pqbench gate: {}\n",
        if passed { "pass" } else { "FAIL" }
    );
    for why in reasons {
        let _ = writeln!(out, "- {why}");
    }
    if !reasons.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "### Regressions ({})\n", regressed.len());
    if regressed.is_empty() {
        out.push_str("None.\n\n");
    } else {
        out.push_str(&table(
            &regressed,
            ("verdict", |r| r.verdict.as_str().into()),
        ));
        out.push('\n');
    }
    if !undecidable.is_empty() {
        let _ = writeln!(out, "### Undecidable ({})\n", undecidable.len());
        out.push_str(&table(
            &undecidable,
            ("why", |r| r.undecidable.clone().unwrap_or_default()),
        ));
        out.push('\n');
    }
    let counts: Vec<String> = [Verdict::Unchanged, Verdict::Improved, Verdict::Inconclusive]
        .iter()
        .map(|v| (v, other.iter().filter(|r| r.verdict == *v).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(v, n)| format!("{n} {}", v.as_str()))
        .collect();
    if !other.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} other benchmark(s): {}</summary>\n",
            other.len(),
            counts.join(", ")
        );
        out.push_str(&table(&other, ("verdict", |r| r.verdict.as_str().into())));
        out.push_str("\n</details>\n\n");
    }
    for (what, list) in [
        ("only in base", &c.only_in_base),
        ("only in new", &c.only_in_new),
    ] {
        if !list.is_empty() {
            let _ = writeln!(out, "- {what}: {}", list.join(", "));
        }
    }
    for n in &c.not_compared {
        let _ = writeln!(out, "- not compared: {}@{}: {}", n.id, n.target, n.reason);
    }
    for m in &c.environment_mismatches {
        let _ = writeln!(out, "- warning: environment mismatch: {m}");
    }
    let o = &c.options;
    let overrides = if o.tolerances.overrides.is_empty() {
        String::new()
    } else {
        format!(
            " (overrides: {})",
            o.tolerances
                .overrides
                .iter()
                .map(|x| format!("{}={:.2}%", x.pattern, x.tolerance * 100.0))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let _ = writeln!(
        out,
        "\n<sub>change = new/base - 1 (+ = slower) with its {:.0}% interval; {} test on per-replication medians, correction {} over {} test(s), alpha {}, tolerance {:.2}%{}; deterministic counts by their exact ratio.</sub>",
        o.bootstrap.confidence * 100.0,
        o.primary.label(),
        correction_name(o.correction),
        c.family_size,
        o.alpha,
        o.tolerances.default * 100.0,
        overrides
    );
    out
}

/// Writes `text` to `path` (atomically, replacing it) and, when
/// `step_summary` is given (the value of `$GITHUB_STEP_SUMMARY`), appends
/// it to that file as GitHub Actions expects.
pub fn write_summary(
    path: Option<&Path>,
    step_summary: Option<&Path>,
    text: &str,
) -> Result<(), crate::results::ResultsError> {
    if let Some(p) = path {
        crate::results::write_atomic_with(p, |w| w.write_all(text.as_bytes()))?;
    }
    if let Some(p) = step_summary {
        let io = |source| crate::results::ResultsError::Io {
            path: p.to_path_buf(),
            action: "appending the job summary to",
            source,
        };
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
            .map_err(io)?;
        f.write_all(text.as_bytes()).map_err(io)?;
        f.write_all(b"\n").map_err(io)?;
    }
    Ok(())
}
