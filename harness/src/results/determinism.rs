//! Is a counter result deterministic? Classification of results in the
//! units `instructions` and `cycles`, made when the result is built
//! ([`super::BenchResult::measured`]) and stored in the results file.
//!
//! **Why pairing by sample index is valid.** On Cortex-M targets (QEMU and
//! boards) every replication is one session: the firmware's `run_workload`
//! (`targets/firmware/src/session.rs`) builds a fresh workload, calls
//! `setup(seed)` with the host's seed, then runs the operation
//! `iterations` times and sends sample `i` for run `i`. The workloads
//! (`targets/firmware/src/workloads/`) derive every key, message and coin
//! from the seed in `setup` and reset their per-run state there (e.g.
//! ML-DSA signing numbers its messages 1, 2, … from a counter reset to 0 in
//! `setup`), so the k-th sample of every session measures the k-th input
//! derived from the seed, and the host runner
//! (`targets/runner/src/session.rs`) records samples in arrival order. The
//! same seed therefore gives the same input for sample k in every
//! replication and on both sides of a comparison. A session that lost a
//! frame (`details.corrupted_frames`) breaks that alignment; `compare`
//! refuses input-by-input pairing for such a result.

use super::ProcessSamples;
use serde::{Deserialize, Serialize};

/// How deterministic a counter result is, with the spread observed.
///
/// JSON: an object tagged by `class`:
/// * `{"class": "constant", "value": V}`: every sample of every replication
///   equals `V`;
/// * `{"class": "input_dependent", "inputs": N, "min": A, "max": B}`: for
///   every input index k < N (N = the shortest replication), sample k is
///   equal in every replication, but the values differ across k (from `A`
///   to `B`);
/// * `{"class": "varies", "inputs": N, "inputs_differing": D,
///   "max_relative_difference": R, "worst_input": K}`: for `D` of the `N`
///   input indices the replications disagree; the largest disagreement is
///   `R = (max - min) / min` over replications, at input index `K`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "class", rename_all = "snake_case")]
pub enum Determinism {
    /// Every sample equal.
    Constant {
        /// The one value.
        #[serde(deserialize_with = "super::nonfinite::real")]
        value: f64,
    },
    /// Sample k equal across replications for every k, different across k.
    InputDependent {
        /// Input indices compared (length of the shortest replication).
        inputs: u64,
        /// Smallest per-input value.
        #[serde(deserialize_with = "super::nonfinite::real")]
        min: f64,
        /// Largest per-input value.
        #[serde(deserialize_with = "super::nonfinite::real")]
        max: f64,
    },
    /// Replications differ for the same input index.
    Varies {
        /// Input indices compared (length of the shortest replication).
        inputs: u64,
        /// How many of them differ across replications.
        inputs_differing: u64,
        /// Largest `(max - min) / min` over replications at one input.
        #[serde(deserialize_with = "super::nonfinite::real")]
        max_relative_difference: f64,
        /// The input index (0-based) where it occurs.
        worst_input: u64,
    },
}

impl Determinism {
    /// `constant`, `input_dependent` or `varies`.
    pub fn label(&self) -> &'static str {
        match self {
            Determinism::Constant { .. } => "constant",
            Determinism::InputDependent { .. } => "input_dependent",
            Determinism::Varies { .. } => "varies",
        }
    }
}

/// Classifies the samples of a counter result. `None` when there is nothing
/// to classify (no samples), or when a single replication holds unequal
/// samples (input dependence and run-to-run variation cannot be told apart
/// without a second replication).
pub fn classify(processes: &[ProcessSamples]) -> Option<Determinism> {
    let inputs = processes.iter().map(|p| p.samples.len()).min()?;
    let first = *processes.first()?.samples.first()?;
    if processes
        .iter()
        .flat_map(|p| p.samples.iter())
        .all(|v| *v == first)
    {
        return Some(Determinism::Constant { value: first });
    }
    if processes.len() < 2 || inputs == 0 {
        return None;
    }
    let mut differing = 0u64;
    let mut worst = (0.0f64, 0u64);
    let (mut lo_all, mut hi_all) = (f64::INFINITY, f64::NEG_INFINITY);
    for k in 0..inputs {
        let (lo, hi) = processes
            .iter()
            .map(|p| p.samples[k])
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                (l.min(v), h.max(v))
            });
        lo_all = lo_all.min(lo);
        hi_all = hi_all.max(hi);
        if lo != hi {
            differing += 1;
            let rel = if lo > 0.0 {
                (hi - lo) / lo
            } else {
                f64::INFINITY
            };
            if rel > worst.0 || differing == 1 {
                worst = (rel, k as u64);
            }
        }
    }
    Some(if differing == 0 {
        Determinism::InputDependent {
            inputs: inputs as u64,
            min: lo_all,
            max: hi_all,
        }
    } else {
        Determinism::Varies {
            inputs: inputs as u64,
            inputs_differing: differing,
            max_relative_difference: worst.0,
            worst_input: worst.1,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: &[f64]) -> ProcessSamples {
        ProcessSamples {
            samples: v.to_vec(),
        }
    }

    #[test]
    fn the_three_classes() {
        assert_eq!(
            classify(&[p(&[5.0, 5.0]), p(&[5.0, 5.0, 5.0])]),
            Some(Determinism::Constant { value: 5.0 })
        );
        // One replication of equal samples is constant too.
        assert_eq!(
            classify(&[p(&[7.0; 4])]),
            Some(Determinism::Constant { value: 7.0 })
        );
        assert_eq!(
            classify(&[p(&[1.0, 3.0, 2.0]), p(&[1.0, 3.0, 2.0, 9.0])]),
            Some(Determinism::InputDependent {
                inputs: 3,
                min: 1.0,
                max: 3.0
            })
        );
        assert_eq!(
            classify(&[p(&[100.0, 300.0, 200.0]), p(&[100.0, 303.0, 201.0])]),
            Some(Determinism::Varies {
                inputs: 3,
                inputs_differing: 2,
                max_relative_difference: 0.01,
                worst_input: 1
            })
        );
        // Unequal samples in a single replication: undetermined.
        assert_eq!(classify(&[p(&[1.0, 2.0])]), None);
        assert_eq!(classify(&[]), None);
        assert_eq!(classify(&[p(&[])]), None);
    }

    #[test]
    fn json_shape() {
        let d = Determinism::InputDependent {
            inputs: 3,
            min: 1.0,
            max: 2.5,
        };
        let v = serde_json::to_value(d).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"class": "input_dependent", "inputs": 3, "min": 1.0, "max": 2.5})
        );
        assert_eq!(serde_json::from_value::<Determinism>(v).unwrap(), d);
    }
}
