//! `pqbench compare`.

use crate::compare::{
    Comparison, Options, Override, Tolerances, compare, parse_percent, render_compare,
};
use crate::report::MarkupStyle;
use crate::results::load;
use anyhow::Context;
use pqbench_stats::{BootstrapConfig, Correction, PrimaryTest};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Multiple-comparison correction on the command line.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum CorrectionArg {
    /// Holm step-down: family-wise error rate.
    Holm,
    /// Benjamini-Hochberg: false discovery rate.
    Bh,
    /// No correction.
    None,
}

/// The test whose p-value drives the verdict.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum TestArg {
    /// Yuen's 20 % trimmed-mean t-test on log per-replication medians
    /// (Welch's df on winsorized variances): robust to a replication
    /// disturbed as a whole.
    Yuen,
    /// Welch's t-test on log per-process medians.
    Welch,
    /// Mann-Whitney U on per-process medians.
    MannWhitney,
}

/// Analysis settings shared by `compare` and `gate`.
#[derive(clap::Args, Debug, Clone)]
pub struct AnalysisArgs {
    /// Significance level for the adjusted p-values [default: 0.05 for
    /// compare, 0.01 for gate].
    #[arg(long)]
    pub alpha: Option<f64>,
    /// Multiple-comparison correction over the suite.
    #[arg(long, value_enum, default_value = "holm")]
    pub correction: CorrectionArg,
    /// Practical threshold (noise tolerance): a change smaller than this is
    /// "unchanged" even when significant. Percent, e.g. `1%`. The default
    /// 0.5 % lets the default design (16 replications per side) flag a 1 %
    /// shift more often than not (see docs/evidence.md, power curve).
    #[arg(long, default_value = "0.5%", value_parser = parse_percent)]
    pub tolerance: f64,
    /// Per-benchmark tolerance `GLOB=PERCENT` (e.g. `'pqc/*=5%'`);
    /// repeatable, the last match wins.
    #[arg(long = "tolerance-for", value_name = "GLOB=PERCENT")]
    pub tolerance_for: Vec<Override>,
    /// Test driving the verdict.
    #[arg(long, value_enum, default_value = "yuen")]
    pub test: TestArg,
    /// Bootstrap resamples.
    #[arg(long, default_value_t = 2000)]
    pub resamples: usize,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// Seed of the bootstrap (same seed, same intervals).
    #[arg(long, default_value_t = BootstrapConfig::default().seed)]
    pub seed: u64,
    /// Table markup.
    #[arg(long, value_enum, default_value = "plain")]
    pub format: FormatArg,
}

/// Table markup on the command line.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum FormatArg {
    /// Aligned columns for a terminal.
    Plain,
    /// GitHub Markdown.
    Markdown,
}

impl FormatArg {
    /// The report style.
    pub fn style(self) -> MarkupStyle {
        match self {
            FormatArg::Plain => MarkupStyle::Plain,
            FormatArg::Markdown => MarkupStyle::Markdown,
        }
    }
}

impl AnalysisArgs {
    /// The comparison options, with `default_alpha` when `--alpha` is absent.
    pub fn options(&self, default_alpha: f64) -> anyhow::Result<Options> {
        let alpha = self.alpha.unwrap_or(default_alpha);
        if !(alpha > 0.0 && alpha < 1.0) {
            anyhow::bail!("--alpha {alpha} must be in (0, 1)");
        }
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            anyhow::bail!("--confidence {} must be in (0, 1)", self.confidence);
        }
        if self.resamples < 100 {
            anyhow::bail!("--resamples {} is too few (need >= 100)", self.resamples);
        }
        Ok(Options {
            alpha,
            correction: match self.correction {
                CorrectionArg::Holm => Correction::Holm,
                CorrectionArg::Bh => Correction::BenjaminiHochberg,
                CorrectionArg::None => Correction::None,
            },
            tolerances: Tolerances {
                default: self.tolerance,
                overrides: self.tolerance_for.clone(),
            },
            bootstrap: BootstrapConfig {
                resamples: self.resamples,
                confidence: self.confidence,
                seed: self.seed,
                ..BootstrapConfig::default()
            },
            primary: match self.test {
                TestArg::Yuen => PrimaryTest::Yuen,
                TestArg::Welch => PrimaryTest::Welch,
                TestArg::MannWhitney => PrimaryTest::MannWhitney,
            },
        })
    }
}

/// Arguments of `pqbench compare`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Baseline results file.
    pub base: PathBuf,
    /// New results file.
    pub new: PathBuf,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Also write the full comparison as JSON (atomically).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// Loads both files and compares them.
pub fn load_and_compare(base: &Path, new: &Path, options: &Options) -> anyhow::Result<Comparison> {
    let b = load(base).with_context(|| format!("base file {}", base.display()))?;
    let n = load(new).with_context(|| format!("new file {}", new.display()))?;
    Ok(compare(&b, &n, options))
}

/// Writes `value` as pretty JSON to `path` atomically (non-finite numbers
/// as `"inf"`, `"-inf"`, `"nan"`).
pub fn write_json(path: &Path, value: &impl serde::Serialize) -> anyhow::Result<()> {
    crate::results::write_json_atomic(path, value)
        .with_context(|| format!("writing {}", path.display()))
}

/// Runs `pqbench compare`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = args.analysis.options(0.05)?;
    let c = load_and_compare(&args.base, &args.new, &options)?;
    print!("{}", render_compare(&c, args.analysis.format.style()));
    if let Some(p) = &args.json {
        write_json(p, &c)?;
    }
    Ok(ExitCode::SUCCESS)
}
