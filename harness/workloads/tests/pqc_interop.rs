//! Cross-implementation correctness: RustCrypto vs libcrux for ML-KEM and
//! ML-DSA (byte-identical keys, ciphertexts and deterministic signatures from
//! the same seed; cross decapsulation and cross verification; implicit
//! rejection agrees), SLH-DSA round trips, and the sizes the static metrics
//! report checked against the encodings.
#![cfg(all(feature = "pqc", feature = "libcrux"))]

use pqbench_workloads::pqc::{libcrux as lc, rustcrypto as rc, sizes};
use pqbench_workloads::pqc_op::{bytes, rng10};

/// Seeds tried (one: debug builds of the crypto crates are slow; the
/// benches exercise many more).
const SEEDS: [u64; 1] = [0xdead_beef];

macro_rules! kem_interop {
    ($test:ident, $rc:ident, $lc:ident, $sizes:expr) => {
        #[test]
        fn $test() {
            for seed in SEEDS {
                let dk = rc::mlkem::$rc::key_pair(seed);
                let kp = lc::mlkem::$lc::key_pair(seed);
                let ek = rc::mlkem::$rc::ek_bytes(&dk);
                assert_eq!(ek.len() as u64, $sizes.public_key);
                assert_eq!(
                    ek.as_slice(),
                    kp.pk().as_slice(),
                    "same seed, same encapsulation key"
                );
                assert_eq!(kp.sk().len() as u64, $sizes.secret_key);
                let m = bytes::<32>(&mut rng10(seed, 99));
                // RustCrypto encapsulates, libcrux decapsulates.
                let (ct, k1) = rc::mlkem::$rc::encaps(dk.encapsulation_key(), m);
                assert_eq!(ct.len() as u64, $sizes.ciphertext);
                assert_eq!(lc::mlkem::$lc::decaps(&kp, &ct), Some(k1));
                // libcrux encapsulates, RustCrypto decapsulates.
                let (ct2, k2) = lc::mlkem::$lc::encaps(&ek, m).expect("ek length");
                assert_eq!(ct2, ct, "deterministic encapsulation agrees byte for byte");
                assert_eq!(rc::mlkem::$rc::decaps(&dk, &ct2), Some(k2));
                // A corrupted ciphertext gives the implicit-rejection key, the same in both.
                let mut bad = ct.clone();
                bad[0] ^= 1;
                let r1 = rc::mlkem::$rc::decaps(&dk, &bad);
                assert_ne!(r1, Some(k1));
                assert_eq!(r1, lc::mlkem::$lc::decaps(&kp, &bad));
                // Wrong lengths are rejected, not panics.
                assert_eq!(rc::mlkem::$rc::decaps(&dk, &ct[1..]), None);
                assert_eq!(lc::mlkem::$lc::decaps(&kp, &ct[1..]), None);
            }
        }
    };
}

kem_interop!(ml_kem_512_interop, p512, mlkem512, sizes::ML_KEM_512);
kem_interop!(ml_kem_768_interop, p768, mlkem768, sizes::ML_KEM_768);
kem_interop!(ml_kem_1024_interop, p1024, mlkem1024, sizes::ML_KEM_1024);

macro_rules! dsa_interop {
    ($test:ident, $rc:ident, $lc:ident, $sizes:expr) => {
        #[test]
        fn $test() {
            for seed in SEEDS {
                let sk = rc::mldsa::$rc::key_pair(seed);
                let kp = lc::mldsa::$lc::key_pair(seed);
                let vk = rc::mldsa::$rc::vk_bytes(&sk);
                assert_eq!(vk.len() as u64, $sizes.public_key);
                assert_eq!(vk.as_slice(), kp.verification_key.as_slice());
                assert_eq!(kp.signing_key.as_slice().len() as u64, $sizes.secret_key);
                let msg = bytes::<32>(&mut rng10(seed, 7));
                let s1 = rc::mldsa::$rc::sign(&sk, &msg).expect("rustcrypto signs");
                let s2 = lc::mldsa::$lc::sign(&kp, &msg).expect("libcrux signs");
                assert_eq!(s1.len() as u64, $sizes.signature);
                assert_eq!(s1, s2, "deterministic signatures agree byte for byte");
                assert!(
                    lc::mldsa::$lc::verify(&vk, &msg, &s1),
                    "libcrux verifies RustCrypto"
                );
                assert!(
                    rc::mldsa::$rc::verify(&vk, &msg, &s2),
                    "RustCrypto verifies libcrux"
                );
                let mut bad = msg;
                bad[0] ^= 1;
                assert!(!rc::mldsa::$rc::verify(&vk, &bad, &s2));
                assert!(!lc::mldsa::$lc::verify(&vk, &bad, &s1));
                assert!(!rc::mldsa::$rc::verify(&vk, &msg, &s1[1..]));
                assert!(!lc::mldsa::$lc::verify(&vk, &msg, &s1[1..]));
            }
        }
    };
}

dsa_interop!(ml_dsa_44_interop, p44, ml_dsa_44, sizes::ML_DSA_44);
dsa_interop!(ml_dsa_65_interop, p65, ml_dsa_65, sizes::ML_DSA_65);
dsa_interop!(ml_dsa_87_interop, p87, ml_dsa_87, sizes::ML_DSA_87);

#[test]
fn slh_dsa_128f_sign_verify_and_sizes() {
    use slh_dsa::signature::Keypair;
    {
        let seed = 5u64;
        let sk = rc::slhdsa::sha2_128f::key_pair(seed);
        let vk = sk.verifying_key().to_bytes().to_vec();
        assert_eq!(vk.len() as u64, sizes::SLH_DSA_128F.public_key);
        assert_eq!(sk.to_bytes().len() as u64, sizes::SLH_DSA_128F.secret_key);
        let msg = bytes::<32>(&mut rng10(seed, 3));
        let sig = rc::slhdsa::sha2_128f::sign(&sk, &msg).expect("sign");
        assert_eq!(sig.len() as u64, sizes::SLH_DSA_128F.signature);
        assert!(rc::slhdsa::sha2_128f::verify(&vk, &msg, &sig));
        assert!(!rc::slhdsa::sha2_128f::verify(&vk, &msg[1..], &sig));
        // The SHAKE instance must not accept a SHA2 signature.
        assert!(!rc::slhdsa::shake_128f::verify(&vk, &msg, &sig));
    }
}

/// Every registered PQC and classical workload sets up and runs once, and
/// reports the sizes of its scheme (quick ones only; RSA keygen is excluded).
#[test]
fn every_workload_runs_once_with_sizes() {
    let mut all = pqbench_workloads::pqc::workloads();
    all.extend(pqbench_workloads::classical::workloads());
    let mut n = 0;
    for mut w in all {
        let id = w.id();
        // SLH-DSA signing and RSA private-key operations take seconds in
        // unoptimised test builds; the round trips above and the benches cover them.
        if id.name == "slh-dsa.sign" || id.name == "rsa.sign" || id.name == "rsa.decrypt" {
            continue;
        }
        w.setup(1);
        w.run();
        let m = w.static_metrics();
        assert!(
            m.iter()
                .any(|m| m.name == "public_key_bytes" && m.value > 0),
            "{id}"
        );
        n += 1;
    }
    assert!(n >= 50, "only {n} workloads");
}
