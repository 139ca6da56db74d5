//! Statistics for pqbench: bootstrap confidence intervals, rank and t tests,
//! effect sizes and multiple-comparison control, on per-process samples.
//!
//! This crate knows nothing about results files. Its inputs are plain slices
//! of samples, or [`Groups`]: the samples of each process (or A/B round) of one
//! side of a comparison. The **statistical unit is the process** (or the A/B
//! round), never one sample: the tests ([`mann_whitney_u`], [`welch_t`],
//! [`hodges_lehmann`], [`cliffs_delta`]) are meant to be applied to one value
//! per process — pqbench uses the per-process median — and the bootstrap
//! ([`bootstrap_ratios`]) resamples whole processes (the cluster bootstrap),
//! so the within-process correlation is respected.
//!
//! Every deterministic method is cross-checked against SciPy/NumPy on
//! committed datasets (`scripts/stats-ref/datasets.json`, reference values
//! in `scripts/stats-ref/reference.json` produced by
//! `scripts/stats-ref/make_reference.py`; test `tests/scipy_reference.rs`).
//! The decision procedure is validated by simulation ([`simulate`]): A/A
//! false-alarm rates and power against injected shifts.

mod bootstrap;
pub mod changepoint;
mod cluster;
mod correction;
mod describe;
mod effect;
mod error;
mod hodges_lehmann;
mod mann_whitney;
mod paired;
pub mod power;
mod replication_noise;
mod rng;
pub mod simulate;
mod t_power;
mod ttest;
mod two_sample;
mod verdict;
mod wilcoxon;
mod yuen;

pub use bootstrap::{
    BootstrapConfig, BootstrapRatios, Groups, RatioCi, bootstrap_median, bootstrap_ratios,
};
pub use changepoint::{ChangePoint, EDivisiveConfig, e_divisive};
pub use correction::{Correction, adjust_p_values, benjamini_hochberg, holm, min_adjusted_p};
pub use describe::{geometric_mean, mean, median, quantile, quantile_sorted, variance};
pub use effect::cliffs_delta;
pub use error::StatsError;
pub use hodges_lehmann::{ShiftEstimate, hodges_lehmann};
pub use mann_whitney::{MannWhitney, MwMethod, mann_whitney_u};
pub use paired::{PairedAnalysis, paired_ratios};
pub use replication_noise::{MAX_REPLICATIONS, ReplicationNoise, replication_noise};
pub use rng::{Rng, bounded};
pub use t_power::{detectable_nc, noncentral_t_cdf, replications_needed, t_test_power, welch_df};
pub use ttest::{TTest, one_sample_t, welch_t};
pub use two_sample::{PrimaryTest, Tests, TwoSample, YUEN_TRIM, tests, two_sample};
pub use verdict::{Threshold, Verdict, VerdictInput, decide};
pub use wilcoxon::{SignTest, Wilcoxon, WilcoxonMethod, sign_test, wilcoxon_signed_rank};
pub use yuen::{trimmed_mean_half_width, trimmed_one_sample_t, yuen_t};
