//! Bencher Metric Format (BMF) JSON, what `bencher run --adapter json`
//! reads: `{"<benchmark>": {"<measure>": {"value": V, "lower_value": L,
//! "upper_value": U}, …}, …}` (schema: `results/schemas/bmf.schema.json`).
//!
//! Per measured result `id@target`:
//! * `latency` (unit `ns`): the median in ns, lower/upper the 95 %
//!   hierarchical-bootstrap confidence interval of the median (absent with
//!   one replication);
//! * `instructions` or `cycles` (counter units): the median count,
//!   lower/upper the smallest and largest sample;
//! * every static metric under its own key (`code_size_bytes`,
//!   `stack_bytes`, `heap_peak_bytes`, `callgrind_Dr`, …), value only.
//!
//! Failed, skipped and does-not-fit results are left out.

use super::Exporter;
use super::ci_common::{bench_name, measured};
use crate::results::{ResultsFile, Unit};
use serde_json::{Map, Value, json};

/// BMF JSON.
pub struct BmfExporter;

impl Exporter for BmfExporter {
    fn serialize(&self, file: &ResultsFile) -> anyhow::Result<Vec<u8>> {
        let mut out = Map::new();
        for (r, c) in measured(file) {
            let mut measures = Map::new();
            let mut metric = Map::new();
            metric.insert("value".into(), json!(c.value));
            if let (Some(lo), Some(hi)) = (c.lower, c.upper) {
                metric.insert("lower_value".into(), json!(lo));
                metric.insert("upper_value".into(), json!(hi));
            }
            let measure = match r.unit {
                Unit::Ns => "latency",
                Unit::Instructions => "instructions",
                Unit::Cycles => "cycles",
            };
            measures.insert(measure.into(), Value::Object(metric));
            for (k, m) in &r.static_metrics {
                if m.value.is_finite() && !measures.contains_key(k) {
                    measures.insert(k.clone(), json!({ "value": m.value }));
                }
            }
            out.insert(bench_name(file, r), Value::Object(measures));
        }
        let mut bytes = serde_json::to_vec_pretty(&Value::Object(out))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}
