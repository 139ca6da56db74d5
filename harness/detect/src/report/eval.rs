//! Precision and recall of the detector against a labelled corpus
//! (`pqbench scan --eval`), per family, on the quantum-vulnerable families
//! together and overall, and the floors that gate them.
//!
//! A ratio with an empty denominator is undefined, never 1: a family with
//! no labelled image has no recall, a family never predicted no precision.
//! Undefined values show as `n/a`, are left out of the macro averages, and
//! a floor on them fails with the reason instead of passing.

use super::labels::Labels;
use super::{FileResult, predicted};
use crate::sigdb::Family;
use std::collections::{BTreeSet, HashMap};
use std::format;
use std::path::Path;
use std::string::{String, ToString};
use std::vec::Vec;

/// The families `--eval` scores: [`Family::ALL`] without [`Family::Lib`]
/// (a library fingerprint is not labelled), in the same order.
pub const EVALUATED: [Family; Family::ALL.len() - 1] = {
    let mut out = [Family::Rsa; Family::ALL.len() - 1];
    let (mut i, mut j) = (0, 0);
    while i < Family::ALL.len() {
        if !matches!(Family::ALL[i], Family::Lib) {
            out[j] = Family::ALL[i];
            j += 1;
        }
        i += 1;
    }
    out
};

/// True positives, false positives and false negatives (in images).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Labelled and predicted.
    pub tp: usize,
    /// Predicted, not labelled.
    pub fp: usize,
    /// Labelled, not predicted.
    pub fn_: usize,
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

impl Counts {
    /// Labelled images (`tp + fn`).
    pub fn support(self) -> usize {
        self.tp + self.fn_
    }

    /// Predicted images (`tp + fp`).
    pub fn predicted(self) -> usize {
        self.tp + self.fp
    }

    /// `tp / (tp + fp)`; `None` when nothing was predicted.
    pub fn precision(self) -> Option<f64> {
        ratio(self.tp, self.predicted())
    }

    /// `tp / (tp + fn)`; `None` when no image is labelled.
    pub fn recall(self) -> Option<f64> {
        ratio(self.tp, self.support())
    }

    fn sum(it: impl IntoIterator<Item = Counts>) -> Counts {
        it.into_iter().fold(Counts::default(), |a, c| Counts {
            tp: a.tp + c.tp,
            fp: a.fp + c.fp,
            fn_: a.fn_ + c.fn_,
        })
    }
}

/// Shows a ratio with three decimals, `n/a` when undefined.
pub fn show(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".into(), |v| format!("{v:.3}"))
}

/// Mean of the defined values; `None` when there is none.
fn mean(v: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let v: Vec<f64> = v.into_iter().flatten().collect();
    ratio(1, v.len()).map(|inv| v.iter().sum::<f64>() * inv)
}

/// The result of an evaluation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evaluation {
    /// Labelled images that were scanned and scored.
    pub images: usize,
    /// Counts per family, in [`EVALUATED`] order.
    pub counts: [Counts; EVALUATED.len()],
    /// Crypto-free controls (no label) predicted rsa, ecc or dh.
    pub qv_on_controls: Vec<String>,
    /// `path: +fp -fn …` per misclassified image, and images that could not
    /// be analysed.
    pub misclassified: Vec<String>,
}

/// Floors an evaluation must reach.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Floors {
    /// Precision on rsa+ecc+dh together.
    pub qv_precision: Option<f64>,
    /// Recall on rsa+ecc+dh together.
    pub qv_recall: Option<f64>,
    /// Per-family precision floors.
    pub family_precision: Vec<(Family, f64)>,
    /// Per-family recall floors.
    pub family_recall: Vec<(Family, f64)>,
}

/// Scores `results` against `labels` (files without a label are ignored).
pub fn evaluate(results: &[FileResult], labels: &Labels) -> Evaluation {
    let truth: HashMap<&Path, &BTreeSet<Family>> = labels
        .entries
        .iter()
        .map(|l| (l.path.as_path(), &l.families))
        .collect();
    let mut ev = Evaluation::default();
    for r in results {
        let Some(&want) = truth.get(r.path.as_path()) else {
            continue;
        };
        let got = match &r.result {
            Ok(a) => predicted(a),
            Err(e) => {
                ev.misclassified.push(format!("{}: {e}", r.path.display()));
                BTreeSet::new()
            }
        };
        ev.images += 1;
        if want.is_empty() && got.iter().any(|f| f.quantum_vulnerable()) {
            ev.qv_on_controls.push(r.path.display().to_string());
        }
        let mut diffs = Vec::new();
        for (c, fam) in ev.counts.iter_mut().zip(EVALUATED) {
            match (want.contains(&fam), got.contains(&fam)) {
                (true, true) => c.tp += 1,
                (false, true) => {
                    c.fp += 1;
                    diffs.push(format!("+{fam}"));
                }
                (true, false) => {
                    c.fn_ += 1;
                    diffs.push(format!("-{fam}"));
                }
                (false, false) => {}
            }
        }
        if !diffs.is_empty() {
            ev.misclassified
                .push(format!("{}: {}", r.path.display(), diffs.join(" ")));
        }
    }
    ev
}

impl Evaluation {
    /// The counts of `fam` (zero for a family that is not evaluated).
    pub fn counts(&self, fam: Family) -> Counts {
        EVALUATED
            .iter()
            .position(|&f| f == fam)
            .map_or_else(Counts::default, |i| self.counts[i])
    }

    /// Precision of `fam`; `None` when it was never predicted.
    pub fn precision(&self, fam: Family) -> Option<f64> {
        self.counts(fam).precision()
    }

    /// Recall of `fam`; `None` when no image is labelled with it.
    pub fn recall(&self, fam: Family) -> Option<f64> {
        self.counts(fam).recall()
    }

    /// Counts of rsa, ecc and dh together.
    pub fn quantum_vulnerable(&self) -> Counts {
        Counts::sum(
            EVALUATED
                .iter()
                .zip(self.counts)
                .filter(|(f, _)| f.quantum_vulnerable())
                .map(|(_, c)| c),
        )
    }

    /// Counts of every family together (micro average).
    pub fn micro(&self) -> Counts {
        Counts::sum(self.counts)
    }

    /// Macro averages `(precision, recall)`: the mean over the families
    /// where each is defined (`n/a` families are left out).
    pub fn macro_average(&self) -> (Option<f64>, Option<f64>) {
        (
            mean(self.counts.iter().map(|c| c.precision())),
            mean(self.counts.iter().map(|c| c.recall())),
        )
    }

    /// True when no crypto-free control was predicted rsa, ecc or dh.
    pub fn controls_clean(&self) -> bool {
        self.qv_on_controls.is_empty()
    }

    /// The Markdown report: per-family table, quantum-vulnerable, micro and
    /// macro rows, controls, misclassified images.
    pub fn render(&self) -> String {
        let mut s = format!(
            "images evaluated: {}\n\n| family | TP | FP | FN | precision | recall |\n|---|---:|---:|---:|---:|---:|\n",
            self.images
        );
        let row = |name: &str, c: Counts| {
            format!(
                "| {name} | {} | {} | {} | {} | {} |\n",
                c.tp,
                c.fp,
                c.fn_,
                show(c.precision()),
                show(c.recall())
            )
        };
        for (fam, c) in EVALUATED.iter().zip(self.counts) {
            s += &row(fam.name(), c);
        }
        s += &row(
            "**quantum-vulnerable (rsa+ecc+dh)**",
            self.quantum_vulnerable(),
        );
        s += &row("**overall (micro)**", self.micro());
        let (p, r) = self.macro_average();
        s += &format!(
            "| **overall (macro, families with a value)** | | | | {} | {} |\n",
            show(p),
            show(r)
        );
        s += &format!(
            "\ncrypto-free controls marked rsa/ecc/dh: {}\n",
            if self.qv_on_controls.is_empty() {
                "none".to_string()
            } else {
                self.qv_on_controls.join(", ")
            }
        );
        if !self.misclassified.is_empty() {
            s += "\nmisclassified (+ false positive, - missed):\n";
            for e in &self.misclassified {
                s += &format!("  {e}\n");
            }
        }
        s
    }

    /// Checks the floors and the controls; returns one `FAIL: …` line per
    /// failure (empty when everything passes). A floor on something with no
    /// labelled image, or a precision floor on something never predicted,
    /// fails with the reason.
    pub fn check(&self, floors: &Floors) -> Vec<String> {
        let mut fails = Vec::new();
        if !self.controls_clean() {
            fails.push("FAIL: a crypto-free control was marked rsa/ecc/dh".into());
        }
        let qv = self.quantum_vulnerable();
        let qv_none = "no labelled images of family rsa, ecc or dh";
        if let Some(p) = floors.qv_precision {
            fails.extend(precision_floor("rsa+ecc+dh", qv, p, qv_none));
        }
        if let Some(m) = floors.qv_recall {
            fails.extend(recall_floor("rsa+ecc+dh", qv, m, qv_none));
        }
        for &(fam, p) in &floors.family_precision {
            let none = format!("no labelled images of family {fam}");
            fails.extend(precision_floor(fam.name(), self.counts(fam), p, &none));
        }
        for &(fam, m) in &floors.family_recall {
            let none = format!("no labelled images of family {fam}");
            fails.extend(recall_floor(fam.name(), self.counts(fam), m, &none));
        }
        fails
    }
}

fn precision_floor(what: &str, c: Counts, floor: f64, none: &str) -> Option<String> {
    if c.support() == 0 {
        return Some(format!(
            "FAIL: {what} precision floor {floor} cannot be checked: {none}"
        ));
    }
    match c.precision() {
        None => Some(format!(
            "FAIL: {what} precision floor {floor} cannot be checked: no image was predicted {what} \
(recall 0 over {} labelled)",
            c.support()
        )),
        Some(got) if got < floor => Some(format!("FAIL: {what} precision {got:.3} < {floor}")),
        Some(_) => None,
    }
}

fn recall_floor(what: &str, c: Counts, floor: f64, none: &str) -> Option<String> {
    match c.recall() {
        None => Some(format!(
            "FAIL: {what} recall floor {floor} cannot be checked: {none}"
        )),
        Some(got) if got < floor => Some(format!("FAIL: {what} recall {got:.3} < {floor}")),
        Some(_) => None,
    }
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;
