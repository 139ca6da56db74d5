//! Exporters: a whole results file to JSON rows, CSV rows, a markup table,
//! or a CI service's format (Bencher, github-action-benchmark, Google
//! Benchmark: one module each).

use super::{MarkupStyle, ResultRow, results_table};
use crate::results::ResultsFile;

/// Turns a results file into the bytes of one export format.
pub trait Exporter {
    /// Serialises `file`.
    fn serialize(&self, file: &ResultsFile) -> anyhow::Result<Vec<u8>>;
}

/// Formats of `pqbench export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// `{"environment": …, "complete": …, "rows": [ResultRow…]}`.
    Json,
    /// One [`ResultRow`] per line, with a header line.
    Csv,
    /// A Markdown table (the table of `pqbench show`).
    #[value(alias = "markdown")]
    Md,
    /// An AsciiDoc table.
    #[value(alias = "asciidoc")]
    Adoc,
    /// An Org-mode table.
    Org,
    /// Bencher Metric Format (`bencher run --adapter json`).
    Bmf,
    /// github-action-benchmark, tool `customSmallerIsBetter`.
    Gab,
    /// Google Benchmark JSON (`--benchmark_format=json`).
    #[value(alias = "google-benchmark")]
    Gbench,
}

impl ExportFormat {
    /// The exporter of this format.
    pub fn exporter(self) -> Box<dyn Exporter> {
        match self {
            ExportFormat::Json => Box::new(JsonExporter),
            ExportFormat::Csv => Box::new(CsvExporter),
            ExportFormat::Md => Box::new(MarkupExporter(MarkupStyle::Markdown)),
            ExportFormat::Adoc => Box::new(MarkupExporter(MarkupStyle::AsciiDoc)),
            ExportFormat::Org => Box::new(MarkupExporter(MarkupStyle::Org)),
            ExportFormat::Bmf => Box::new(super::bmf::BmfExporter),
            ExportFormat::Gab => Box::new(super::gab::GabExporter),
            ExportFormat::Gbench => Box::new(super::gbench::GbenchExporter),
        }
    }
}

/// JSON rows with the environment.
pub struct JsonExporter;
/// CSV rows.
pub struct CsvExporter;
/// A markup table of the results (see [`results_table`]).
pub struct MarkupExporter(pub MarkupStyle);

fn rows(file: &ResultsFile) -> Vec<ResultRow> {
    file.results.iter().map(ResultRow::from_result).collect()
}

impl Exporter for JsonExporter {
    fn serialize(&self, file: &ResultsFile) -> anyhow::Result<Vec<u8>> {
        let v = serde_json::json!({
            "schema_version": file.schema_version,
            "complete": file.complete,
            "environment": file.environment,
            "rows": rows(file),
        });
        let mut out = serde_json::to_vec_pretty(&v)?;
        out.push(b'\n');
        Ok(out)
    }
}

impl Exporter for CsvExporter {
    fn serialize(&self, file: &ResultsFile) -> anyhow::Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in rows(file) {
            w.serialize(r)?;
        }
        w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
    }
}

impl Exporter for MarkupExporter {
    fn serialize(&self, file: &ResultsFile) -> anyhow::Result<Vec<u8>> {
        Ok(self.0.render(&results_table(file)).into_bytes())
    }
}
