//! Known answers: the first NIST-format KAT record of ML-KEM-512/768/1024
//! and ML-DSA-44/65/87, generated with the NIST DRBG as PQClean's
//! `nistkat.c` does, hashed with SHA-256 and compared with PQClean's
//! `nistkat-sha256` (RustCrypto always, libcrux when enabled).

use super::*;

/// `fprintBstr` of `nistkat.c`: `label` then upper-case hex, newline.
fn hex_line(out: &mut String, label: &str, data: &[u8]) {
    use std::fmt::Write;
    out.push_str(label);
    for b in data {
        let _ = write!(out, "{b:02X}");
    }
    out.push('\n');
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The inputs of the first ML-KEM KAT record: (seed, d‖z, m).
fn ml_kem_kat_inputs() -> ([u8; 48], [u8; 64], [u8; 32]) {
    let seed = nist_drbg::kat_master().bytes::<48>();
    let mut drbg = nist_drbg::Drbg::new(&seed);
    // crypto_kem_keypair: randombytes(coins, 64) = d ‖ z; crypto_kem_enc: randombytes(m, 32).
    let coins = drbg.bytes::<64>();
    let m = drbg.bytes::<32>();
    (seed, coins, m)
}

/// The record as `test/crypto_kem/nistkat.c` prints it.
fn ml_kem_kat_record(seed: &[u8], pk: &[u8], sk: &[u8], ct: &[u8], ss: &[u8]) -> String {
    let mut out = String::from("count = 0\n");
    hex_line(&mut out, "seed = ", seed);
    hex_line(&mut out, "pk = ", pk);
    hex_line(&mut out, "sk = ", sk);
    hex_line(&mut out, "ct = ", ct);
    hex_line(&mut out, "ss = ", ss);
    out
}

// Expected values: `nistkat-sha256` in PQClean's
// `crypto_kem/ml-kem-{512,768,1024}/META.yml`, as shipped inside the published
// `pqcrypto-mlkem` 0.1.1 crate (`pqclean/` directory of the package); liboqs
// 0.13.0 (`oqs-sys` 0.11.0 crate, `liboqs/tests/KATs/kem/kats.json`, key
// "single") lists the same three values.
macro_rules! ml_kem_kat {
    ($test:ident, $rc:ident, $p:ty, $lc:ident, $expected:literal) => {
        #[test]
        fn $test() {
            #[allow(deprecated)]
            use ml_kem::ExpandedKeyEncoding;
            let (seed, coins, m) = ml_kem_kat_inputs();
            let dk = ml_kem::DecapsulationKey::<$p>::from_seed(coins.into());
            let (ct, ss) = rc::mlkem::$rc::encaps(dk.encapsulation_key(), m);
            #[allow(deprecated)]
            let sk = dk.to_expanded_bytes();
            let ek = rc::mlkem::$rc::ek_bytes(&dk);
            let rec = ml_kem_kat_record(&seed, &ek, &sk, &ct, &ss);
            assert_eq!(sha256_hex(&rec), $expected, "RustCrypto ml-kem");
            #[cfg(feature = "libcrux")]
            {
                use libcrux_ml_kem::$lc as k;
                let kp = k::generate_key_pair(coins);
                let (ct, ss) = k::encapsulate(kp.public_key(), m);
                let rec = ml_kem_kat_record(
                    &seed,
                    kp.pk().as_slice(),
                    kp.sk().as_slice(),
                    ct.as_slice(),
                    &ss,
                );
                assert_eq!(sha256_hex(&rec), $expected, "libcrux-ml-kem");
            }
            // AWS-LC has no seeded keygen / encapsulation: it loads the KAT
            // secret key and decapsulates the KAT ciphertext; the record
            // with its shared secret must hash to the same value.
            #[cfg(feature = "aws-lc")]
            {
                use pqbench_workloads::pqc::aws_lc as a;
                let alg = a::alg(stringify!($lc)).expect("parameter set");
                let ss_a = a::decaps(alg, &sk, &ct).expect("aws-lc decapsulates");
                let rec = ml_kem_kat_record(&seed, &ek, &sk, &ct, &ss_a);
                assert_eq!(sha256_hex(&rec), $expected, "aws-lc decapsulation");
            }
        }
    };
}

ml_kem_kat!(
    ml_kem_512_nist_kat,
    p512,
    ml_kem::MlKem512,
    mlkem512,
    "c70041a761e01cd6426fa60e9fd6a4412c2be817386c8d0f3334898082512782"
);
ml_kem_kat!(
    ml_kem_768_nist_kat,
    p768,
    ml_kem::MlKem768,
    mlkem768,
    "5352539586b6c3df58be6158a6250aeff402bd73060b0a3de68850ac074c17c3"
);
ml_kem_kat!(
    ml_kem_1024_nist_kat,
    p1024,
    ml_kem::MlKem1024,
    mlkem1024,
    "f580d851e5fb27e6876e5e203fa18be4cdbfd49e05d48fec3d3992c8f43a13e6"
);

/// The record as `test/crypto_sign/nistkat.c` prints it (`sm` = signature ‖ message).
fn ml_dsa_kat_record(seed: &[u8], msg: &[u8], pk: &[u8], sk: &[u8], sig: &[u8]) -> String {
    let mut out = String::from("count = 0\n");
    hex_line(&mut out, "seed = ", seed);
    out.push_str(&format!("mlen = {}\n", msg.len()));
    hex_line(&mut out, "msg = ", msg);
    hex_line(&mut out, "pk = ", pk);
    hex_line(&mut out, "sk = ", sk);
    out.push_str(&format!("smlen = {}\n", sig.len() + msg.len()));
    let sm: Vec<u8> = sig.iter().chain(msg).copied().collect();
    hex_line(&mut out, "sm = ", &sm);
    out
}

/// The inputs of the first ML-DSA KAT record: (seed, 33-byte message, ξ, rnd).
fn ml_dsa_kat_inputs() -> ([u8; 48], [u8; 33], [u8; 32], [u8; 32]) {
    let mut master = nist_drbg::kat_master();
    let seed = master.bytes::<48>();
    let msg = master.bytes::<33>();
    let mut drbg = nist_drbg::Drbg::new(&seed);
    // crypto_sign_keypair: randombytes(ξ, 32); crypto_sign (hedged, empty
    // context): randombytes(rnd, 32).
    let xi = drbg.bytes::<32>();
    let rnd = drbg.bytes::<32>();
    (seed, msg, xi, rnd)
}

// Expected values: `nistkat-sha256` in PQClean's
// `crypto_sign/ml-dsa-{44,65,87}/META.yml`, as shipped inside the published
// `pqcrypto-mldsa` 0.1.2 crate (`pqclean/` directory of the package); liboqs
// 0.13.0 (`oqs-sys` 0.11.0 crate, `liboqs/tests/KATs/sig/kats.json`, key
// "single") lists the same three values.
macro_rules! ml_dsa_kat {
    ($test:ident, $p:ty, $lc:ident, $expected:literal) => {
        #[test]
        fn $test() {
            use ml_dsa::Keypair as _;
            let (seed, msg, xi, rnd) = ml_dsa_kat_inputs();
            let sk = ml_dsa::SigningKey::<$p>::from_seed(&xi.into());
            let vk = sk.verifying_key().encode();
            #[allow(deprecated)]
            let sk_bytes = sk.expanded_key().to_expanded();
            // FIPS 204 ML-DSA.Sign with an empty context: M' = 0 ‖ 0 ‖ M.
            let sig = sk
                .expanded_key()
                .sign_internal(&[&[0u8, 0u8], &msg], &rnd.into())
                .encode();
            let rec = ml_dsa_kat_record(&seed, &msg, &vk, &sk_bytes, &sig);
            assert_eq!(sha256_hex(&rec), $expected, "RustCrypto ml-dsa");
            #[cfg(feature = "libcrux")]
            {
                use libcrux_ml_dsa::$lc as d;
                let kp = d::generate_key_pair(xi);
                let sig = d::sign(&kp.signing_key, &msg, b"", rnd).expect("libcrux signs");
                let rec = ml_dsa_kat_record(
                    &seed,
                    &msg,
                    kp.verification_key.as_slice(),
                    kp.signing_key.as_slice(),
                    sig.as_slice(),
                );
                assert_eq!(sha256_hex(&rec), $expected, "libcrux-ml-dsa");
            }
        }
    };
}

ml_dsa_kat!(
    ml_dsa_44_nist_kat,
    ml_dsa::MlDsa44,
    ml_dsa_44,
    "9a196e7fb32fbc93757dc2d8dc1924460eab66303c0c08aeb8b798fb8d8f8cf3"
);
ml_dsa_kat!(
    ml_dsa_65_nist_kat,
    ml_dsa::MlDsa65,
    ml_dsa_65,
    "7cb96242eac9907a55b5c84c202f0ebd552419c50b2e986dc2e28f07ecebf072"
);
ml_dsa_kat!(
    ml_dsa_87_nist_kat,
    ml_dsa::MlDsa87,
    ml_dsa_87,
    "4537905d2aabcf302fab2f242baed293459ecda7c230e6a67063b02c7e2840ed"
);
