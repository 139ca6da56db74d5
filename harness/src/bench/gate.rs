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
        pass_line(
            self.comparison
                .rows
                .iter()
                .filter(|r| r.undecidable.is_none() && r.verdict == Verdict::Inconclusive)
                .count(),
        )
    }
}

/// The line of a gate that passed with `open` rows tested but inconclusive
/// (not significant, interval wider than the tolerance: no regression was
/// shown, which is not the same as none exists).
pub fn pass_line(open: usize) -> String {
    if open == 0 {
        "gate: pass".into()
    } else {
        format!(
            "gate: pass: no significant regression, but {open} benchmark(s) inconclusive \
             (interval wider than the tolerance; more replications would decide them)"
        )
    }
}

/// Why a gate fails (empty: it passes): benchmarks that regressed; unless
/// `allow_inconclusive`, benchmarks it could not decide, and `nothing`
/// (what to say when no benchmark was compared at all).
pub fn fail_reasons(
    regressed: &[String],
    undecidable: &[String],
    nothing: Option<&str>,
    allow_inconclusive: bool,
) -> Vec<String> {
    let mut reasons = Vec::new();
    if !regressed.is_empty() {
        reasons.push(format!(
            "{} benchmark(s) regressed: {}",
            regressed.len(),
            regressed.join(", ")
        ));
    }
    if !allow_inconclusive {
        if !undecidable.is_empty() {
            reasons.push(format!(
                "{} benchmark(s) could not be decided (fail closed; --allow-inconclusive to accept): {}",
                undecidable.len(),
                undecidable.join(", ")
            ));
        }
        reasons.extend(nothing.map(str::to_string));
    }
    reasons
}

/// Compares `new` with `base` and decides.
pub fn gate(
    base: &ResultsFile,
    new: &ResultsFile,
    options: &Options,
    allow_inconclusive: bool,
) -> GateOutcome {
    let comparison = compare(base, new, options);
    let regressed: Vec<String> = comparison.regressions().map(|r| r.key()).collect();
    let undecidable: Vec<String> = comparison.undecidable().map(|(r, _)| r.key()).collect();
    let reasons = fail_reasons(
        &regressed,
        &undecidable,
        comparison
            .rows
            .is_empty()
            .then_some("no benchmark is present in both the baseline and this run"),
        allow_inconclusive,
    );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Environment;
    use crate::results::{BenchResult, ProcessSamples, Recording, Unit};

    /// A file with benchmark `id` measured in 8 replications whose medians
    /// spread by a few per cent around `center` ns.
    fn file(id: &str, center: f64) -> ResultsFile {
        let processes = (0..8)
            .map(|k| ProcessSamples {
                samples: (0..20)
                    .map(|i| center * (1.0 + 0.004 * f64::from(k % 4) + 0.001 * f64::from(i % 3)))
                    .collect(),
            })
            .collect();
        let r = BenchResult::measured(
            id.into(),
            "host".into(),
            Unit::Ns,
            Recording::SingleOp,
            1,
            processes,
        )
        .unwrap();
        let mut f = ResultsFile::new(Environment::default());
        f.results.push(r);
        f.complete = true;
        f
    }

    #[test]
    fn a_real_slowdown_fails_and_an_equal_run_passes() {
        let base = file("t/sum/p/-", 1000.0);
        let slow = gate(
            &base,
            &file("t/sum/p/-", 1300.0),
            &options(Some(0.05), None),
            false,
        );
        assert_eq!(slow.code, exit::REGRESSION, "{}", slow.table());
        assert!(
            slow.verdict_line()
                .starts_with("gate: FAIL: 1 benchmark(s) regressed")
        );
        let same = gate(
            &base,
            &file("t/sum/p/-", 1000.0),
            &options(Some(0.05), None),
            false,
        );
        assert_eq!(same.code, exit::OK, "{}", same.table());
        assert_eq!(same.verdict_line(), "gate: pass");
        // Negative control of the threshold: the same 30 % slowdown under a
        // 50 % tolerance is not a regression.
        let tolerated = gate(
            &base,
            &file("t/sum/p/-", 1300.0),
            &options(Some(0.5), None),
            false,
        );
        assert_eq!(tolerated.code, exit::OK, "{}", tolerated.table());
    }

    #[test]
    fn nothing_in_common_fails_unless_allowed() {
        let base = file("t/sum/p/-", 1000.0);
        let other = file("t/other/p/-", 1000.0);
        let g = gate(&base, &other, &options(None, None), false);
        assert_eq!(g.code, exit::REGRESSION);
        assert!(g.verdict_line().contains("no benchmark is present in both"));
        assert_eq!(
            gate(&base, &other, &options(None, None), true).code,
            exit::OK
        );
    }

    #[test]
    fn saved_baselines_compare_per_target() {
        let dir = tempfile::tempdir().unwrap();
        let store = super::super::baseline::Store::at(dir.path());
        store.save("main", "t", &file("t/sum/p/-", 1000.0)).unwrap();
        store.save("pr", "t", &file("t/sum/p/-", 2000.0)).unwrap();
        store
            .save("pr", "only-pr", &file("only-pr/x/p/-", 1.0))
            .unwrap();
        let o = options(None, None);
        let c = compare_saved(&store, "main", "pr", &o, false).unwrap();
        assert_eq!(c.targets.len(), 1);
        assert_eq!(c.code(), exit::REGRESSION);
        assert_eq!(c.one_side_only, ["only-pr (only in \"pr\")"]);
        assert_eq!(
            compare_saved(&store, "main", "main", &o, false)
                .unwrap()
                .code(),
            exit::OK
        );
        assert!(compare_saved(&store, "main", "nope", &o, false).is_err());
        store.save("lone", "z", &file("z/x/p/-", 1.0)).unwrap();
        assert_eq!(
            compare_saved(&store, "main", "lone", &o, false)
                .unwrap()
                .code(),
            exit::USAGE
        );
    }
}
