//! `pqbench report FILE... -o DIR`: a static HTML + SVG + CSV + LaTeX report.

use super::compare::AnalysisArgs;
use crate::report::anchors::{embedded_anchors, load_anchors};
use crate::report::publish::{Settings, Source, build};
use crate::results::load;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `pqbench report`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Results files (from `pqbench run` or `pqbench merge`). With exactly
    /// two files and no --baseline, the second is compared against the first.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output directory (created; existing files of the same names are
    /// replaced).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Compare every FILE against this baseline (forest plot, verdicts as
    /// `pqbench compare`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Title of the report.
    #[arg(long, default_value = "pqbench report")]
    pub title: String,
    /// Published anchors from FILE (format of results/anchors.json) instead
    /// of the built-in copy.
    #[arg(long, value_name = "FILE")]
    pub anchors: Option<PathBuf>,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

fn label(path: &Path, taken: &[Source]) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    if taken.iter().any(|s| s.label == stem) {
        format!("{stem}#{}", taken.len() + 1)
    } else {
        stem
    }
}

/// Runs `pqbench report`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = args.analysis.options(0.05)?;
    let anchors = match &args.anchors {
        Some(p) => load_anchors(p)?,
        None => embedded_anchors()?.to_vec(),
    };
    let mut sources: Vec<Source> = Vec::new();
    for p in &args.files {
        let file = load(p).with_context(|| format!("results file {}", p.display()))?;
        let label = label(p, &sources);
        sources.push(Source { label, file });
    }
    let baseline = match &args.baseline {
        Some(p) => Some(Source {
            label: label(p, &sources),
            file: load(p).with_context(|| format!("baseline file {}", p.display()))?,
        }),
        None => None,
    };
    let settings = Settings {
        title: args.title.clone(),
        compare: options,
        anchors,
    };
    let report = build(&sources, baseline.as_ref(), &settings)?;
    report.write_to(&args.output)?;
    println!(
        "{}: {} benchmarks, {} figures, {} compared rows, {} files; open {}",
        args.output.display(),
        report.benchmarks,
        report.figures,
        report.compared,
        report.files.len(),
        args.output.join("index.html").display()
    );
    Ok(ExitCode::SUCCESS)
}
