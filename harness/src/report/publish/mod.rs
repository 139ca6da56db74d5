//! `pqbench report`: a static, self-contained report for publication.
//!
//! From one or more results files (merged files included) it builds
//! `index.html` (inline CSS and SVG, no script, no external URL), every
//! figure as a standalone SVG under `figures/`, the tables as CSV and LaTeX
//! under `tables/`, and a standalone `report.tex`. Figures are drawn with
//! plotters' SVG backend; the same input gives the same bytes.
//!
//! Sections: methods (generated from the files), comparison (forest plot
//! of `pqbench compare`'s rows, same verdicts), hardware comparison (every
//! benchmark across targets and machines, published anchors labelled), and
//! per benchmark the HDR percentile plot and the per-replication ECDF.

mod bars;
mod chart;
mod figures;
pub mod html;
pub mod latex;
pub mod methods;
pub mod numfmt;
mod series;
mod stats;
mod tables;

pub use series::{Benchmark, Source, benchmarks};
pub use stats::{SeriesStats, series_stats};
pub use tables::{comparison_table, hardware_table, to_csv};

use crate::compare::{Comparison, Options, compare};
use crate::report::anchors::Anchor;
use html::{Figure, Section, esc};
use std::path::Path;

/// Settings of a report.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Title of the page and the LaTeX document.
    pub title: String,
    /// Comparison options (the same as `pqbench compare`'s).
    pub compare: Options,
    /// Published anchors shown next to the measurements.
    pub anchors: Vec<Anchor>,
}

/// Which comparisons a report makes: every input against `--baseline`, or
/// with exactly two inputs and no baseline, the second against the first.
pub fn comparisons(
    sources: &[Source],
    baseline: Option<&Source>,
    options: &Options,
) -> Vec<(String, Comparison)> {
    match baseline {
        Some(b) => sources
            .iter()
            .map(|s| {
                (
                    format!("{} vs {}", s.label, b.label),
                    compare(&b.file, &s.file, options),
                )
            })
            .collect(),
        None if sources.len() == 2 => vec![(
            format!("{} vs {}", sources[1].label, sources[0].label),
            compare(&sources[0].file, &sources[1].file, options),
        )],
        None => Vec::new(),
    }
}

/// A built report: relative paths and their bytes.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// `index.html`, `figures/*.svg`, `tables/*.csv`, `tables/*.tex`,
    /// `report.tex`, in a fixed order.
    pub files: Vec<(String, Vec<u8>)>,
    /// Number of figures.
    pub figures: usize,
    /// Number of benchmarks.
    pub benchmarks: usize,
    /// Comparison rows over all comparisons.
    pub compared: usize,
}

impl Report {
    /// Writes every file under `dir` (created if needed).
    pub fn write_to(&self, dir: &Path) -> anyhow::Result<()> {
        for (rel, bytes) in &self.files {
            let p = dir.join(rel);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| anyhow::anyhow!("creating {}: {e}", parent.display()))?;
            }
            std::fs::write(&p, bytes)
                .map_err(|e| anyhow::anyhow!("writing {}: {e}", p.display()))?;
        }
        Ok(())
    }
}

/// Builds the report of `sources` (compared against `baseline` when given;
/// the baseline's results are then plotted and tabulated first).
pub fn build(
    sources: &[Source],
    baseline: Option<&Source>,
    settings: &Settings,
) -> anyhow::Result<Report> {
    let shown: Vec<Source> = baseline.into_iter().chain(sources).cloned().collect();
    let benches = benchmarks(&shown);
    let stats = series_stats(&benches);
    let per_bench = figures::all_figures(&benches, &stats, &settings.anchors)?;
    let comps = comparisons(sources, baseline, &settings.compare);
    let paragraphs = methods::methods(&shown, comps.first().map(|(_, c)| c));
    let mut report = Report {
        benchmarks: benches.len(),
        ..Report::default()
    };
    let mut figures: Vec<Figure> = Vec::new();
    let mut sections = vec![Section {
        id: "methods".into(),
        title: "Methods".into(),
        body: html::methods(&paragraphs),
    }];
    let mut tex_tables: Vec<String> = Vec::new();
    for (k, (name, c)) in comps.iter().enumerate() {
        report.compared += c.rows.len();
        let mut body = String::new();
        let correction = methods::correction_name(c.options.correction);
        if let Some(svg) = bars::forest_svg(c, correction)? {
            let f = Figure {
                stem: format!("compare-{k}-forest"),
                kind: "forest",
                caption: format!(
                    "{name}: ratio of medians with 95 % CI per benchmark, tolerance band in grey, colour = verdict of pqbench compare ({correction} correction, alpha {})",
                    c.options.alpha
                ),
                svg,
            };
            body.push_str(&html::figure(&f));
            figures.push(f);
        } else {
            body.push_str("<p class=\"note\">No benchmark in common with a ratio to plot.</p>\n");
        }
        let t = comparison_table(c);
        body.push_str(&html::table(&t, None, Some(6)));
        report
            .files
            .push((format!("tables/compare-{k}.csv"), to_csv(&t)?));
        let tex = latex::comparison_table(c);
        report
            .files
            .push((format!("tables/compare-{k}.tex"), tex.clone().into_bytes()));
        tex_tables.push(tex);
        sections.push(Section {
            id: format!("compare-{k}"),
            title: format!("Comparison: {name}"),
            body,
        });
    }
    let hw = hardware_table(&stats, &settings.anchors);
    let mut body = html::table(&hw, Some(10), None);
    for (hwf, _) in &per_bench {
        for f in hwf {
            body.push_str(&html::figure(f));
        }
    }
    report
        .files
        .push(("tables/hardware.csv".into(), to_csv(&hw)?));
    let results_tex = latex::results_table(&stats);
    report.files.push((
        "tables/results.tex".into(),
        results_tex.clone().into_bytes(),
    ));
    report.files.push((
        "tables/hardware.tex".into(),
        latex::booktabs(&hw, "Across hardware (published rows: not measured here)").into_bytes(),
    ));
    sections.push(Section {
        id: "hardware".into(),
        title: "Hardware comparison".into(),
        body,
    });
    // Same code as pqm4: PQClean instruction counts on an M4 beside pqm4's
    // published `clean` cycles (one table per file that has them).
    for (k, src) in shown.iter().enumerate() {
        let Some(t) = crate::report::pqm4::same_code_table(&src.file) else {
            continue;
        };
        let body = format!(
            "<p class=\"note\">{}: emulated Cortex-M4 instructions of PQClean's clean C beside pqm4's published cycles for the same code on a real M4 (not measured here), their ratio, and estimates for other implementations (instructions × the scheme's median ratio, smallest–largest range; signing left out of the ratios).</p>\n{}",
            html::esc(&src.label),
            html::table(&t, None, None)
        );
        report
            .files
            .push((format!("tables/pqm4-same-code-{k}.csv"), to_csv(&t)?));
        sections.push(Section {
            id: format!("pqm4-same-code-{k}"),
            title: format!("Same code as pqm4: {}", src.label),
            body,
        });
    }
    // Stack and code size like pqm4, same code (PQClean clean on an M4).
    for (k, src) in shown.iter().enumerate() {
        let Some(t) = crate::report::pqm4_memory::memory_table(&src.file) else {
            continue;
        };
        let body = format!(
            "<p class=\"note\">{}: {}.</p>\n{}",
            html::esc(&src.label),
            html::esc(crate::report::pqm4_memory::CAPTION),
            html::table(&t, None, None)
        );
        report
            .files
            .push((format!("tables/pqm4-memory-{k}.csv"), to_csv(&t)?));
        sections.push(Section {
            id: format!("pqm4-memory-{k}"),
            title: format!("Stack and size like pqm4: {}", src.label),
            body,
        });
    }
    let mut body = String::new();
    for (b, (hwf, bf)) in benches.iter().zip(&per_bench) {
        figures.extend(hwf.iter().cloned());
        if bf.is_empty() {
            continue;
        }
        body.push_str(&format!(
            "<h3 id=\"b-{}\">{}</h3>\n<div class=\"pair\">\n",
            esc(&series::slug(&b.id)),
            esc(&b.id)
        ));
        for f in bf {
            body.push_str(&html::figure(f));
        }
        body.push_str("</div>\n");
        figures.extend(bf.iter().cloned());
    }
    sections.push(Section {
        id: "benchmarks".into(),
        title: "Per benchmark".into(),
        body,
    });
    let methods_tex = latex::methods(&paragraphs);
    report.files.push((
        "tables/methods.tex".into(),
        methods_tex.clone().into_bytes(),
    ));
    tex_tables.insert(0, results_tex);
    let refs: Vec<&str> = tex_tables.iter().map(String::as_str).collect();
    report.files.push((
        "report.tex".into(),
        latex::standalone(&settings.title, &methods_tex, &refs).into_bytes(),
    ));
    let intro = format!(
        "{} benchmarks from {}; {} figures. Generated by pqbench {} from the results files alone; published figures are labelled as such and were not measured here.",
        benches.len(),
        shown
            .iter()
            .map(|s| s.label.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        figures.len(),
        env!("CARGO_PKG_VERSION"),
    );
    let page = html::page(&settings.title, &intro, &sections);
    report.figures = figures.len();
    for f in &figures {
        report.files.push((
            format!("figures/{}.svg", f.stem),
            f.svg.clone().into_bytes(),
        ));
    }
    report
        .files
        .insert(0, ("index.html".into(), page.into_bytes()));
    Ok(report)
}
