//! The JSON report of `pqbench scan --format json` (schema `pqbench-scan/1`).

use super::{FileResult, predicted};
use crate::evidence::Located;
use crate::sigdb::Signature;
use serde_json::{Value, json};
use std::vec::Vec;

/// One hit: where it is and which signature matched.
pub fn hit(db: &[Signature], h: &Located) -> Value {
    let sig = db.get(h.sig as usize);
    json!({
        "offset": h.offset,
        "address": h.address,
        "constant": sig.map(|s| s.constant),
        "layout": sig.map(|s| s.layout),
        "length": sig.map(|s| s.bytes.len()),
        "weight": sig.map(|s| s.weight),
    })
}

/// The report for every file: format, size, families, findings with their
/// algorithms and hits, high-entropy regions (`null` when not mapped,
/// `scan --no-entropy`); a file that could not be
/// analysed has an `error` instead. `tool_version` names the producer.
pub fn report(results: &[FileResult], db: &[Signature], tool_version: &str) -> Value {
    let files: Vec<Value> = results
        .iter()
        .map(|r| match &r.result {
            Err(e) => json!({ "path": r.path, "error": e }),
            Ok(a) => json!({
                "path": r.path,
                "format": a.format.name(),
                "machine": a.machine,
                "bytes": a.bytes,
                "segments": a.segments,
                "hits": a.hits.len(),
                "families": predicted(a).iter().map(|f| f.name()).collect::<Vec<_>>(),
                "quantum_vulnerable": a.findings.iter().any(|f| f.family.quantum_vulnerable()),
                "findings": a.findings.iter().map(|f| json!({
                    "family": f.family.name(),
                    "quantum_vulnerable": f.family.quantum_vulnerable(),
                    "score": f.score,
                    "confidence": f.confidence,
                    "algorithms": f.algorithms.iter().map(|alg| json!({
                        "algorithm": alg.algorithm,
                        "score": alg.score,
                        "confidence": alg.confidence,
                        "constants": alg.constants,
                        "hits": alg.hits.iter().map(|h| hit(db, h)).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "high_entropy": a.high_entropy.as_ref().map(|v| v.iter().map(|(o, l)| json!({"offset": o, "length": l})).collect::<Vec<_>>()),
            }),
        })
        .collect();
    json!({ "schema": "pqbench-scan/1", "tool": { "name": "pqbench", "version": tool_version }, "files": files })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::Detector;
    use crate::report::testutil::planted;

    #[test]
    fn report_lists_findings_hits_and_errors() {
        let det = Detector::builtin();
        let (_dir, results) = planted(&det);
        let v = report(&results, det.db(), "9.9.9");
        assert_eq!(v["schema"], "pqbench-scan/1");
        assert_eq!(v["tool"]["version"], "9.9.9");
        let fw = &v["files"][0];
        assert_eq!(fw["families"], json!(["ecc"]));
        assert_eq!(fw["quantum_vulnerable"], true);
        let alg = &fw["findings"][0]["algorithms"][0];
        assert_eq!(alg["algorithm"], "p-256");
        assert_eq!(alg["hits"][0]["offset"], 4096);
        assert_eq!(v["files"][1]["families"], json!([]));
        assert!(
            v["files"][2]["error"]
                .as_str()
                .is_some_and(|e| e.contains("cannot read"))
        );
    }
}
