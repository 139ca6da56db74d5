//! The gate of `--baseline NAME` and `pqbench baseline compare`: the same
//! comparison and decision as `pqbench gate` (Welch on per-replication
//! medians, Holm over the suite, alpha 0.01, 0.5 % tolerance; fail on a
//! regression, and fail closed on a row present on both sides that cannot
//! be decided unless inconclusive rows are allowed).

use crate::compare::{Comparison, Options, compare, render_gate};
use crate::report::MarkupStyle;
use crate::results::ResultsFile;
use pqbench_stats::Verdict;

/// Exit codes of bench binaries (and `pqbench baseline`), as `pqbench`'s.
pub mod exit {
    /// Success; no regression.
    pub const OK: u8 = 0;
    /// A regression, or a benchmark the gate could not decide.
    pub const REGRESSION: u8 = 1;
    /// Usage error, or a missing or unreadable baseline.
    pub const USAGE: u8 = 2;
    /// Some benchmark failed to measure.
    pub const FAILED: u8 = 3;
    /// A benchmark failed when run once as a test (libtest's code).
    pub const TEST_FAILED: u8 = 101;
}

/// The significance level `pqbench gate` uses when none is given.
pub const GATE_ALPHA: f64 = 0.01;

/// The comparison options of the gate: `pqbench gate`'s defaults, with the
/// tolerance and alpha given (when given).
pub fn options(tolerance: Option<f64>, alpha: Option<f64>) -> Options {
    let mut o = Options {
        alpha: alpha.unwrap_or(GATE_ALPHA),
        ..Options::default()
    };
    if let Some(t) = tolerance {
        o.tolerances.default = t;
    }
    o
}

/// What the gate decided.
#[derive(Debug)]
pub struct GateOutcome {
    /// [`exit::OK`] or [`exit::REGRESSION`].
    pub code: u8,
    /// The comparison.
    pub comparison: Comparison,
    /// Why it failed (empty when it passed).
    pub reasons: Vec<String>,
}

impl GateOutcome {
    /// The compact table (as `pqbench gate` prints it).
    pub fn table(&self) -> String {
        render_gate(&self.comparison, MarkupStyle::Plain)
    }

    /// The last line: `gate: pass…` or `gate: FAIL: reasons`.
    pub fn verdict_line(&self) -> String {
        if self.code != exit::OK {
            return format!("gate: FAIL: {}", self.reasons.join("; "));
        }
        let open = self
            .comparison
            .rows
            .iter()
            .filter(|r| r.undecidable.is_none() && r.verdict == Verdict::Inconclusive)
            .count();
        if open == 0 {
            "gate: pass".into()
        } else {
            format!(
                "gate: pass: no significant regression, but {open} benchmark(s) inconclusive \
                 (interval wider than the tolerance; more replications would decide them)"
            )
        }
    }
}

/// Compares `new` with `base` and decides.
pub fn gate(
    base: &ResultsFile,
    new: &ResultsFile,
    options: &Options,
    allow_inconclusive: bool,
) -> GateOutcome {
    let comparison = compare(base, new, options);
    let mut reasons = Vec::new();
    let regressed: Vec<String> = comparison.regressions().map(|r| r.key()).collect();
    if !regressed.is_empty() {
        reasons.push(format!(
            "{} benchmark(s) regressed: {}",
            regressed.len(),
            regressed.join(", ")
        ));
    }
    let undecidable: Vec<String> = comparison.undecidable().map(|(r, _)| r.key()).collect();
    if !undecidable.is_empty() && !allow_inconclusive {
        reasons.push(format!(
            "{} benchmark(s) could not be decided (fail closed; --allow-inconclusive to accept): {}",
            undecidable.len(),
            undecidable.join(", ")
        ));
    }
    if comparison.rows.is_empty() && !allow_inconclusive {
        reasons.push("no benchmark is present in both the baseline and this run".into());
    }
    GateOutcome {
        code: if reasons.is_empty() {
            exit::OK
        } else {
            exit::REGRESSION
        },
        comparison,
        reasons,
    }
}
