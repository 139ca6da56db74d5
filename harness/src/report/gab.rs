//! github-action-benchmark's `customSmallerIsBetter` input: a JSON array of
//! `{"name", "unit", "value", "range"?, "extra"?}` (schema:
//! `results/schemas/gab.schema.json`).
//!
//! One entry per measured result (`id@target`, unit `ns`, `instructions` or
//! `cycles`, value the median; `range` `± H` with H the larger distance
//! from the median to a bound of its interval: the 95 % bootstrap CI for
//! timings, min/max for counters; `extra` the interval and the
//! replications), then one per static metric (`id@target: key`, its unit).

use super::Exporter;
use super::ci_common::{bench_name, measured};
use crate::results::ResultsFile;
use serde_json::{Value, json};

/// `customSmallerIsBetter` JSON.
pub struct GabExporter;

impl Exporter for GabExporter {
    fn serialize(&self, file: &ResultsFile) -> anyhow::Result<Vec<u8>> {
        let mut out = Vec::new();
        for (r, c) in measured(file) {
            let name = bench_name(file, r);
            let processes = r.processes.len();
            let samples: usize = r.processes.iter().map(|p| p.samples.len()).sum();
            let mut entry = json!({
                "name": name,
                "unit": r.unit.as_str(),
                "value": c.value,
            });
            let interval = match (c.lower, c.upper) {
                (Some(lo), Some(hi)) => {
                    entry["range"] =
                        json!(format!("± {}", short((hi - c.value).max(c.value - lo))));
                    match r.unit {
                        crate::results::Unit::Ns => {
                            format!("median, 95% CI [{}, {}]; ", short(lo), short(hi))
                        }
                        _ => format!("median, min {} max {}; ", short(lo), short(hi)),
                    }
                }
                _ => "median (one replication: no interval); ".into(),
            };
            entry["extra"] = json!(format!(
                "{interval}{processes} replication(s), {samples} sample(s)"
            ));
            out.push(entry);
            for (k, m) in &r.static_metrics {
                if m.value.is_finite() {
                    out.push(json!({
                        "name": format!("{name}: {k}"),
                        "unit": m.unit,
                        "value": m.value,
                    }));
                }
            }
        }
        let mut bytes = serde_json::to_vec_pretty(&Value::Array(out))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// A number with at most 4 significant decimals, no exponent.
fn short(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}
