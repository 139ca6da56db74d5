//! Which inference runtime (and version) produced the results of each
//! inference target: one line per distinct target and runtime, for `show`
//! and the report's methods.

use crate::results::BenchResult;
use std::collections::BTreeSet;

/// `"<target>: <runtime> <version>, <delegate>, <n> thread(s)"` for every
/// distinct combination in `results` (only results that record
/// `details.runtime`: the TFLite, LiteRT and Edge TPU targets).
pub fn runtime_lines<'a>(results: impl IntoIterator<Item = &'a BenchResult>) -> Vec<String> {
    let mut set = BTreeSet::new();
    for r in results {
        let d = &r.details;
        let s = |k: &str| d.get(k).and_then(|v| v.as_str());
        // Files written before `runtime` existed record only `tflite_version`.
        let (runtime, version) = match (s("runtime"), s("tflite_version")) {
            (Some(rt), _) => (rt, s("runtime_version").unwrap_or("?")),
            (None, Some(v)) => ("TensorFlow Lite", v),
            (None, None) => continue,
        };
        let threads = d
            .get("threads")
            .and_then(|v| v.as_u64())
            .map_or_else(|| "?".into(), |n| n.to_string());
        set.insert(format!(
            "{}: {runtime} {version}, {}, {threads} thread(s)",
            r.target,
            s("delegate").unwrap_or("?")
        ));
    }
    set.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Status, Unit};
    use serde_json::json;

    #[test]
    fn one_line_per_target_and_runtime() {
        let mut a = BenchResult::not_ok("x/load".into(), "litert-cpu".into(), Unit::Ns, Status::Ok);
        a.details.insert("runtime".into(), json!("LiteRT"));
        a.details.insert("runtime_version".into(), json!("2.3.0"));
        a.details.insert("delegate".into(), json!("xnnpack"));
        a.details.insert("threads".into(), json!(1));
        let mut b = a.clone();
        b.id = "x/offline".into();
        let mut old = BenchResult::not_ok("y".into(), "tflite-cpu".into(), Unit::Ns, Status::Ok);
        old.details.insert("tflite_version".into(), json!("2.6.0"));
        old.details.insert("delegate".into(), json!("none"));
        old.details.insert("threads".into(), json!(1));
        let host = BenchResult::not_ok("h".into(), "host".into(), Unit::Ns, Status::Ok);
        assert_eq!(
            runtime_lines([&a, &b, &old, &host]),
            vec![
                "litert-cpu: LiteRT 2.3.0, xnnpack, 1 thread(s)".to_string(),
                "tflite-cpu: TensorFlow Lite 2.6.0, none, 1 thread(s)".to_string()
            ]
        );
    }
}
