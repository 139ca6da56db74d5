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

/// Gates saved baseline `new` against saved baseline `base` without
/// re-running: one [`GateOutcome`] per bench target present in both (sorted
/// by target), plus the targets present on one side only. `Err` when a
/// baseline is missing or unreadable, or when they share no bench target.
pub fn compare_saved(
    store: &super::baseline::Store,
    base: &str,
    new: &str,
    options: &Options,
    allow_inconclusive: bool,
) -> Result<SavedComparison, super::baseline::BaselineError> {
    let base_files = store.files(base)?;
    let new_files = store.files(new)?;
    let mut out = SavedComparison::default();
    for b in &base_files {
        if !new_files.iter().any(|n| n.target == b.target) {
            out.one_side_only
                .push(format!("{} (only in {base:?})", b.target));
            continue;
        }
        let bf = store.load(base, &b.target)?;
        let nf = store.load(new, &b.target)?;
        out.targets.push((
            b.target.clone(),
            gate(&bf, &nf, options, allow_inconclusive),
        ));
    }
    for n in &new_files {
        if !base_files.iter().any(|b| b.target == n.target) {
            out.one_side_only
                .push(format!("{} (only in {new:?})", n.target));
        }
    }
    Ok(out)
}

/// What [`compare_saved`] found.
#[derive(Debug, Default)]
pub struct SavedComparison {
    /// Per bench target in both baselines: the gate's outcome.
    pub targets: Vec<(String, GateOutcome)>,
    /// Bench targets saved in one baseline only.
    pub one_side_only: Vec<String>,
}

impl SavedComparison {
    /// The exit code: the worst of the targets', [`exit::USAGE`] when no
    /// bench target is in both.
    pub fn code(&self) -> u8 {
        if self.targets.is_empty() {
            return exit::USAGE;
        }
        self.targets
            .iter()
            .map(|(_, g)| g.code)
            .max()
            .unwrap_or(exit::OK)
    }
}
