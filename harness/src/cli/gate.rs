//! `pqbench gate`: compare, then exit 0 (no regression), 1 (regression, or
//! a benchmark present in both files that cannot be decided — the gate
//! fails closed unless `--allow-inconclusive`) or 2 (usage or input error).

use super::compare::{AnalysisArgs, load_and_compare, write_json};
use super::exit;
use crate::compare::{Comparison, render_gate};
use pqbench_stats::Verdict;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pqbench gate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Baseline results file.
    pub base: PathBuf,
    /// New results file.
    pub new: PathBuf,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Write the machine-readable verdict as JSON (atomically).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write a Markdown job summary (regressions first, undecidable next,
    /// other rows folded); also appended to $GITHUB_STEP_SUMMARY when set.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Treat an environment mismatch (CPU, profile, opt level, rustc, …) as
    /// an input error (exit 2) instead of a warning.
    #[arg(long)]
    pub strict_env: bool,
    /// Fail (exit 1) when a benchmark is present on one side only, or
    /// measured on neither side.
    #[arg(long)]
    pub fail_on_missing: bool,
    /// Pass although some benchmark present in both files cannot be decided
    /// (too few replications, no finite statistic, unit mismatch, not
    /// measured on one side, different seeds for input-dependent counts, …).
    /// By default the gate fails closed on such rows (exit 1).
    #[arg(long)]
    pub allow_inconclusive: bool,
}

/// A benchmark the gate could not decide.
#[derive(Serialize)]
pub struct Undecided {
    /// `id@target`.
    pub benchmark: String,
    /// Why.
    pub reason: String,
}

/// The machine-readable verdict of `pqbench gate --json`.
#[derive(Serialize)]
pub struct GateVerdict<'a> {
    /// `pass` or `fail`.
    pub result: &'static str,
    /// The exit code.
    pub exit_code: u8,
    /// Why it failed, if it did.
    pub reasons: Vec<String>,
    /// Benchmarks judged regressed.
    pub regressed: Vec<String>,
    /// Benchmarks present in both files that could not be decided, with
    /// the reason (they fail the gate unless `allow_inconclusive`).
    pub undecidable: Vec<Undecided>,
    /// Whether `--allow-inconclusive` was given.
    pub allow_inconclusive: bool,
    /// The full comparison.
    pub comparison: &'a Comparison,
}

/// Runs `pqbench gate`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = args.analysis.options(0.01)?;
    let c = load_and_compare(&args.base, &args.new, &options)?;
    if args.strict_env && !c.environment_mismatches.is_empty() {
        anyhow::bail!(
            "environment mismatch under --strict-env: {}",
            c.environment_mismatches.join("; ")
        );
    }
    print!("{}", render_gate(&c, args.analysis.format.style()));
    let regressed: Vec<String> = c.regressions().map(|r| r.key()).collect();
    let mut reasons = Vec::new();
    if !regressed.is_empty() {
        reasons.push(format!("{} benchmark(s) regressed", regressed.len()));
    }
    let undecidable: Vec<Undecided> = c
        .undecidable()
        .map(|(r, why)| Undecided {
            benchmark: r.key(),
            reason: why.to_string(),
        })
        .collect();
    if !undecidable.is_empty() && !args.allow_inconclusive {
        reasons.push(format!(
            "{} benchmark(s) could not be decided (fail closed; --allow-inconclusive to accept): {}",
            undecidable.len(),
            undecidable
                .iter()
                .map(|u| u.benchmark.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if args.fail_on_missing {
        let missing = c.only_in_base.len() + c.only_in_new.len() + c.not_compared.len();
        if missing > 0 {
            reasons.push(format!(
                "{missing} benchmark(s) on one side only or measured on neither (--fail-on-missing)"
            ));
        }
    }
    let code = if reasons.is_empty() {
        exit::OK
    } else {
        exit::REGRESSION
    };
    if let Some(p) = &args.json {
        write_json(
            p,
            &GateVerdict {
                result: if code == exit::OK { "pass" } else { "fail" },
                exit_code: code,
                reasons: reasons.clone(),
                regressed,
                undecidable,
                allow_inconclusive: args.allow_inconclusive,
                comparison: &c,
            },
        )?;
    }
    if let Some(p) = &args.summary {
        let text = crate::compare::summary::render_summary(&c, code == exit::OK, &reasons);
        let step = std::env::var_os("GITHUB_STEP_SUMMARY")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let own = (step.as_deref() != Some(p.as_path())).then_some(p.as_path());
        crate::compare::summary::write_summary(own, step.as_deref(), &text)?;
    }
    if code == exit::OK {
        let open = c
            .rows
            .iter()
            .filter(|r| r.undecidable.is_none() && r.verdict == Verdict::Inconclusive)
            .count();
        println!("{}", crate::bench::gate::pass_line(open));
    } else {
        println!("gate: FAIL: {}", reasons.join("; "));
    }
    Ok(ExitCode::from(code))
}
