//! The CycloneDX 1.6 cryptography bill of materials of `pqbench scan
//! --format cbom`: one `firmware` component per image, one
//! `cryptographic-asset` per detected algorithm (a `library` per library
//! fingerprint) with its occurrences as evidence, and the image's
//! dependencies on them.

use super::FileResult;
use crate::sigdb::{Family, Signature};
use serde_json::{Value, json};
use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

/// CycloneDX fields of a detected algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlgorithmMeta {
    /// Human-readable name.
    pub name: &'static str,
    /// CycloneDX `primitive`.
    pub primitive: &'static str,
    /// NIST quantum security level (0: broken by a quantum computer or not
    /// applicable).
    pub level: u8,
    /// Object identifier, when the algorithm has one.
    pub oid: Option<&'static str>,
    /// Curve name, for elliptic curves.
    pub curve: Option<&'static str>,
}

const fn meta(
    name: &'static str,
    primitive: &'static str,
    level: u8,
    oid: Option<&'static str>,
    curve: Option<&'static str>,
) -> AlgorithmMeta {
    AlgorithmMeta {
        name,
        primitive,
        level,
        oid,
        curve,
    }
}

/// The CycloneDX fields for an algorithm name of the signature database
/// (`unknown` for a name it does not know).
pub fn algorithm_meta(alg: &str) -> AlgorithmMeta {
    const DH_OID: Option<&str> = Some("1.2.840.10046.2.1");
    match alg {
        "p-256" => meta(
            "EC P-256 (ECDSA/ECDH)",
            "other",
            0,
            Some("1.2.840.10045.3.1.7"),
            Some("secp256r1"),
        ),
        "p-384" => meta(
            "EC P-384 (ECDSA/ECDH)",
            "other",
            0,
            Some("1.3.132.0.34"),
            Some("secp384r1"),
        ),
        "p-521" => meta(
            "EC P-521 (ECDSA/ECDH)",
            "other",
            0,
            Some("1.3.132.0.35"),
            Some("secp521r1"),
        ),
        "secp256k1" => meta(
            "EC secp256k1 (ECDSA/ECDH)",
            "other",
            0,
            Some("1.3.132.0.10"),
            Some("secp256k1"),
        ),
        "brainpoolp256r1" => meta(
            "EC brainpoolP256r1",
            "other",
            0,
            Some("1.3.36.3.3.2.8.1.1.7"),
            Some("brainpoolP256r1"),
        ),
        "brainpoolp384r1" => meta(
            "EC brainpoolP384r1",
            "other",
            0,
            Some("1.3.36.3.3.2.8.1.1.11"),
            Some("brainpoolP384r1"),
        ),
        "curve25519" | "x25519" => meta(
            "X25519",
            "key-agree",
            0,
            Some("1.3.101.110"),
            Some("Curve25519"),
        ),
        "ed25519" => meta(
            "Ed25519",
            "signature",
            0,
            Some("1.3.101.112"),
            Some("Edwards25519"),
        ),
        "curve448" | "x448" => meta(
            "X448",
            "key-agree",
            0,
            Some("1.3.101.111"),
            Some("Curve448"),
        ),
        "ed448" => meta(
            "Ed448",
            "signature",
            0,
            Some("1.3.101.113"),
            Some("Edwards448"),
        ),
        "ecdsa" => meta("ECDSA", "signature", 0, Some("1.2.840.10045.2.1"), None),
        "rsa" => meta("RSA", "pke", 0, Some("1.2.840.113549.1.1.1"), None),
        "rsa-pkcs1v15" => meta("RSASSA-PKCS1-v1_5", "signature", 0, None, None),
        "modp-dh" => meta("DH (RFC 2409/3526 MODP)", "key-agree", 0, DH_OID, None),
        "ffdhe" => meta("DH (RFC 7919 ffdhe)", "key-agree", 0, DH_OID, None),
        "dh" => meta("DH", "key-agree", 0, DH_OID, None),
        "dsa" => meta("DSA", "signature", 0, Some("1.2.840.10040.4.1"), None),
        "aes" => meta("AES", "block-cipher", 1, Some("2.16.840.1.101.3.4.1"), None),
        "sha-1" => meta("SHA-1", "hash", 0, Some("1.3.14.3.2.26"), None),
        "sha-256" => meta("SHA-256", "hash", 2, Some("2.16.840.1.101.3.4.2.1"), None),
        "sha-384" => meta("SHA-384", "hash", 4, Some("2.16.840.1.101.3.4.2.2"), None),
        "sha-512" => meta("SHA-512", "hash", 5, Some("2.16.840.1.101.3.4.2.3"), None),
        "md5" => meta("MD5", "hash", 0, Some("1.2.840.113549.2.5"), None),
        "keccak" => meta("Keccak / SHA-3", "hash", 2, None, None),
        "crc32" => meta("CRC-32 (not cryptographic)", "other", 0, None, None),
        "ml-kem" => meta("ML-KEM", "kem", 1, Some("2.16.840.1.101.3.4.4"), None),
        "ml-dsa" => meta("ML-DSA", "signature", 2, Some("2.16.840.1.101.3.4.3"), None),
        _ => meta("unknown", "unknown", 0, None, None),
    }
}

/// CycloneDX `implementationPlatform` for an ELF machine number.
pub fn platform(machine: Option<u16>) -> &'static str {
    match machine {
        Some(40) => "armv7-m",
        Some(62) => "x86_64",
        Some(3) => "x86_32",
        Some(183) => "armv8-a",
        Some(_) => "other",
        None => "unknown",
    }
}

/// A fresh random serial number, `urn:uuid:` + a version 4 UUID.
pub fn serial_number() -> String {
    uuid::Uuid::new_v4().urn().to_string()
}

/// The current time as an RFC 3339 UTC timestamp, in whole seconds.
pub fn timestamp() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

fn algorithm_component(
    family: Family,
    alg: &crate::evidence::AlgorithmFinding,
    bom_ref: String,
    machine: Option<u16>,
    occurrences: Vec<Value>,
) -> Value {
    if family == Family::Lib {
        return json!({
            "type": "library",
            "bom-ref": bom_ref,
            "name": alg.algorithm,
            "evidence": { "occurrences": occurrences },
        });
    }
    let m = algorithm_meta(alg.algorithm);
    let mut props = json!({
        "primitive": m.primitive,
        "executionEnvironment": "software-plain-ram",
        "implementationPlatform": platform(machine),
        "nistQuantumSecurityLevel": m.level,
    });
    if let Some(c) = m.curve {
        props["curve"] = json!(c);
    }
    let mut crypto = json!({ "assetType": "algorithm", "algorithmProperties": props });
    if let Some(o) = m.oid {
        crypto["oid"] = json!(o);
    }
    json!({
        "type": "cryptographic-asset",
        "bom-ref": bom_ref,
        "name": m.name,
        "cryptoProperties": crypto,
        "properties": [
            {"name": "pqbench:family", "value": family.name()},
            {"name": "pqbench:quantumVulnerable", "value": family.quantum_vulnerable().to_string()},
            {"name": "pqbench:confidence", "value": format!("{:.3}", alg.confidence)},
        ],
        "evidence": { "occurrences": occurrences },
    })
}

/// The CBOM of every analysed file (files that failed are left out);
/// `tool_version` names the producer.
pub fn cbom(results: &[FileResult], db: &[Signature], tool_version: &str) -> Value {
    let mut components = Vec::new();
    let mut dependencies = Vec::new();
    for (fi, r) in results.iter().enumerate() {
        let Ok(a) = &r.result else { continue };
        let file_ref = format!("firmware-{fi}");
        let location = r.path.display().to_string();
        let mut deps = Vec::new();
        components.push(json!({
            "type": "firmware",
            "bom-ref": file_ref,
            "name": location,
            "properties": [
                {"name": "pqbench:format", "value": a.format.name()},
                {"name": "pqbench:bytes", "value": a.bytes.to_string()},
                {"name": "pqbench:quantumVulnerable", "value": a.findings.iter().any(|f| f.family.quantum_vulnerable()).to_string()},
            ],
        }));
        for f in &a.findings {
            for alg in &f.algorithms {
                let occurrences: Vec<Value> = alg
                    .hits
                    .iter()
                    .filter_map(|h| {
                        let sig = db.get(h.sig as usize)?;
                        let addr = h.address.map(|x| format!(", address {x:#x}")).unwrap_or_default();
                        Some(json!({
                            "location": location,
                            "offset": h.offset,
                            "additionalContext": format!("{} ({} layout, {} bytes{addr})", sig.constant, sig.layout, sig.bytes.len()),
                        }))
                    })
                    .collect();
                let bom_ref = format!("{file_ref}/{}/{}", f.family.name(), alg.algorithm);
                deps.push(bom_ref.clone());
                components.push(algorithm_component(
                    f.family,
                    alg,
                    bom_ref,
                    a.machine,
                    occurrences,
                ));
            }
        }
        dependencies.push(json!({ "ref": file_ref, "dependsOn": deps }));
    }
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial_number(),
        "version": 1,
        "metadata": {
            "timestamp": timestamp(),
            "tools": { "components": [{ "type": "application", "name": "pqbench", "version": tool_version }] },
        },
        "components": components,
        "dependencies": dependencies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::Detector;
    use crate::report::testutil::planted;

    #[test]
    fn cbom_has_one_asset_per_algorithm_with_evidence() {
        let det = Detector::builtin();
        let (_dir, results) = planted(&det);
        let bom = cbom(&results, det.db(), "1.2.3");
        assert_eq!(bom["specVersion"], "1.6");
        assert_eq!(
            bom["metadata"]["tools"]["components"][0]["version"],
            "1.2.3"
        );
        let comps = bom["components"].as_array().expect("components");
        // fw.bin and ctl.bin (the unreadable file is left out), one asset.
        assert_eq!(comps.iter().filter(|c| c["type"] == "firmware").count(), 2);
        let assets: Vec<&Value> = comps
            .iter()
            .filter(|c| c["type"] == "cryptographic-asset")
            .collect();
        assert_eq!(assets.len(), 1);
        let a = assets[0];
        assert_eq!(a["name"], "EC P-256 (ECDSA/ECDH)");
        let props = &a["cryptoProperties"]["algorithmProperties"];
        assert_eq!(props["nistQuantumSecurityLevel"], 0);
        assert_eq!(props["curve"], "secp256r1");
        assert_eq!(a["cryptoProperties"]["oid"], "1.2.840.10045.3.1.7");
        assert_eq!(a["evidence"]["occurrences"][0]["offset"], 4096);
        assert_eq!(bom["dependencies"][0]["dependsOn"][0], a["bom-ref"]);
    }

    #[test]
    fn serial_numbers_are_fresh_v4_urns_and_timestamps_rfc3339() {
        let (a, b) = (serial_number(), serial_number());
        assert_ne!(a, b);
        let u = a.strip_prefix("urn:uuid:").expect("urn");
        let parsed = uuid::Uuid::parse_str(u).expect("uuid");
        assert_eq!(parsed.get_version_num(), 4);
        let t = timestamp();
        assert_eq!(t.len(), 20, "{t}");
        assert!(humantime::parse_rfc3339(&t).is_ok(), "{t}");
    }

    #[test]
    fn every_database_algorithm_but_libraries_has_metadata() {
        for s in crate::sigdb::builtin() {
            if s.family != Family::Lib {
                assert_ne!(
                    algorithm_meta(s.algorithm).name,
                    "unknown",
                    "{}",
                    s.algorithm
                );
            }
        }
        assert_eq!(algorithm_meta("nonsense").primitive, "unknown");
        assert_eq!(platform(Some(40)), "armv7-m");
        assert_eq!(platform(None), "unknown");
    }
}
