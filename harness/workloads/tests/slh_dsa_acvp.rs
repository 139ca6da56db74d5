//! SLH-DSA key generation against NIST ACVP known answers.
//!
//! `tests/data/acvp-slh-dsa-keygen.json` holds the ACVP-Server sample
//! vectors for SLH-DSA keyGen (FIPS 205), as shipped in the crates.io
//! package `fips205` 0.5.0, reduced to the parameter sets pqbench registers
//! (SHA2-128s, SHA2-128f, SHAKE-128f; ten cases each). For every case, the
//! key pair generated from (SK.seed, SK.prf, PK.seed) by each implementation
//! must encode to exactly the expected `pk` and `sk`.

#![cfg(feature = "pqc")]

use serde_json::Value;

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd-length hex string");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

/// One keyGen case: the three seeds (concatenated in FIPS 205 order:
/// SK.seed, SK.prf, PK.seed) and the expected encodings.
struct Case {
    tc_id: u64,
    seeds: [u8; 48],
    pk: Vec<u8>,
    sk: Vec<u8>,
}

fn cases(parameter_set: &str) -> Vec<Case> {
    let text = include_str!("data/acvp-slh-dsa-keygen.json");
    let doc: Value = serde_json::from_str(text).expect("vector file parses");
    let group = doc["testGroups"]
        .as_array()
        .expect("testGroups")
        .iter()
        .find(|g| g["parameterSet"] == parameter_set)
        .unwrap_or_else(|| panic!("no group for {parameter_set}"));
    let out: Vec<Case> = group["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .map(|t| {
            let field = |k: &str| hex(t[k].as_str().unwrap_or_else(|| panic!("field {k}")));
            let mut seeds = [0u8; 48];
            for (i, k) in ["skSeed", "skPrf", "pkSeed"].iter().enumerate() {
                let v = field(k);
                assert_eq!(v.len(), 16, "{k} of a 128-bit parameter set");
                seeds[16 * i..16 * (i + 1)].copy_from_slice(&v);
            }
            Case {
                tc_id: t["tcId"].as_u64().expect("tcId"),
                seeds,
                pk: field("pk"),
                sk: field("sk"),
            }
        })
        .collect();
    assert_eq!(out.len(), 10, "{parameter_set}: ten ACVP cases expected");
    out
}

macro_rules! rustcrypto_case {
    ($test:ident, $p:ty, $set:literal) => {
        #[test]
        fn $test() {
            use slh_dsa::signature::Keypair;
            for c in cases($set) {
                let sk = slh_dsa::SigningKey::<$p>::slh_keygen_internal(
                    &c.seeds[..16],
                    &c.seeds[16..32],
                    &c.seeds[32..],
                );
                assert_eq!(
                    sk.verifying_key().to_bytes().to_vec(),
                    c.pk,
                    "{} tcId {}: public key",
                    $set,
                    c.tc_id
                );
                assert_eq!(
                    sk.to_bytes().to_vec(),
                    c.sk,
                    "{} tcId {}: secret key",
                    $set,
                    c.tc_id
                );
            }
        }
    };
}

rustcrypto_case!(
    rustcrypto_sha2_128s,
    slh_dsa::Sha2_128s,
    "SLH-DSA-SHA2-128s"
);
rustcrypto_case!(
    rustcrypto_sha2_128f,
    slh_dsa::Sha2_128f,
    "SLH-DSA-SHA2-128f"
);
rustcrypto_case!(
    rustcrypto_shake_128f,
    slh_dsa::Shake128f,
    "SLH-DSA-SHAKE-128f"
);

#[cfg(feature = "fips205")]
mod fips205 {
    use super::cases;
    use pqbench_workloads::pqc::fips205::slhdsa;

    macro_rules! fips205_case {
        ($test:ident, $m:ident, $set:literal) => {
            #[test]
            fn $test() {
                for c in cases($set) {
                    let (pk, sk) = slhdsa::$m::key_pair_from_seed(&c.seeds);
                    assert_eq!(
                        slhdsa::$m::pk_bytes(&pk),
                        c.pk,
                        "{} tcId {}: public key",
                        $set,
                        c.tc_id
                    );
                    assert_eq!(
                        slhdsa::$m::sk_bytes(&sk),
                        c.sk,
                        "{} tcId {}: secret key",
                        $set,
                        c.tc_id
                    );
                }
            }
        };
    }

    fips205_case!(sha2_128s, sha2_128s, "SLH-DSA-SHA2-128s");
    fips205_case!(sha2_128f, sha2_128f, "SLH-DSA-SHA2-128f");
    fips205_case!(shake_128f, shake_128f, "SLH-DSA-SHAKE-128f");
}
