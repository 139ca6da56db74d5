//! `pqbench gate`: compare, then exit 0 (no regression), 1 (regression) or
//! 2 (usage or input error).

use super::compare::{AnalysisArgs, load_and_compare, write_json};
use super::exit;
use crate::compare::{Comparison, render_gate};
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
    /// Treat an environment mismatch (CPU, profile, opt level, rustc, …) as
    /// an input error (exit 2) instead of a warning.
    #[arg(long)]
    pub strict_env: bool,
    /// Fail (exit 1) when a benchmark is present on one side only, or
    /// cannot be compared.
    #[arg(long)]
    pub fail_on_missing: bool,
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
    let regressed: Vec<String> = c
        .regressions()
        .map(|r| format!("{}@{}", r.id, r.target))
        .collect();
    let mut reasons = Vec::new();
    if !regressed.is_empty() {
        reasons.push(format!("{} benchmark(s) regressed", regressed.len()));
    }
    if args.fail_on_missing {
        let missing = c.only_in_base.len() + c.only_in_new.len() + c.not_compared.len();
        if missing > 0 {
            reasons.push(format!(
                "{missing} benchmark(s) on one side only or not comparable (--fail-on-missing)"
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
                comparison: &c,
            },
        )?;
    }
    if code == exit::OK {
        println!("gate: pass");
    } else {
        println!("gate: FAIL: {}", reasons.join("; "));
    }
    Ok(ExitCode::from(code))
}
