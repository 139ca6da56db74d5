//! PQClean vs RustCrypto (and libcrux when enabled): cross decapsulation,
//! secret keys exchanged in the FIPS encodings, cross verification of ML-DSA,
//! and PQClean's SPHINCS+ (round 3.1) shown not to be FIPS 205 SLH-DSA.

use super::*;
#[allow(deprecated)] // the FIPS 203 expanded decapsulation key is PQClean's format
use ml_kem::ExpandedKeyEncoding;
use pqbench_workloads::pqc::pqclean as pq;

macro_rules! kem_interop {
    ($test:ident, $rc:ident, $pq:ident, $lc:ident, $p:ty, $sizes:expr) => {
        #[test]
        fn $test() {
            for seed in SEEDS {
                // PQClean key pair (OS randomness); sizes are the FIPS 203 ones.
                let (pq_ek, pq_dk) = pq::mlkem::$pq::key_pair();
                assert_eq!(pq_ek.len() as u64, $sizes.public_key);
                assert_eq!(pq_dk.len() as u64, $sizes.secret_key);
                // RustCrypto encapsulates to PQClean's key; PQClean decapsulates.
                let ek = ml_kem::EncapsulationKey::<$p>::new(
                    &pq_ek.as_slice().try_into().expect("ek size"),
                )
                .expect("PQClean's encapsulation key passes the FIPS 203 check");
                let m = bytes::<32>(&mut rng10(seed, 99));
                let (ct, k) = rc::mlkem::$rc::encaps(&ek, m);
                assert_eq!(pq::mlkem::$pq::decaps(&pq_dk, &ct), Some(k));
                // PQClean's decapsulation key, loaded into RustCrypto, decapsulates too.
                #[allow(deprecated)]
                let rc_dk = ml_kem::DecapsulationKey::<$p>::from_expanded_bytes(
                    &pq_dk.as_slice().try_into().expect("dk size"),
                )
                .expect("PQClean's decapsulation key passes the FIPS 203 checks");
                // PQClean encapsulates (its own randomness); RustCrypto decapsulates.
                let (ct2, k2) = pq::mlkem::$pq::encaps(&pq_ek).expect("ek length");
                assert_eq!(ct2.len() as u64, $sizes.ciphertext);
                assert_eq!(rc::mlkem::$rc::decaps(&rc_dk, &ct2), Some(k2));
                // Implicit rejection: same pseudo-random key from both.
                let mut bad = ct2.clone();
                let last = bad.len() - 1;
                bad[last] ^= 0x80;
                let r = pq::mlkem::$pq::decaps(&pq_dk, &bad);
                assert!(r.is_some() && r != Some(k2));
                assert_eq!(r, rc::mlkem::$rc::decaps(&rc_dk, &bad));
                // The seeded RustCrypto key, in PQClean's format, decapsulates
                // PQClean ciphertexts made for its encapsulation key.
                let dk = rc::mlkem::$rc::key_pair(seed);
                #[allow(deprecated)]
                let dk_bytes = dk.to_expanded_bytes().to_vec();
                let (ct3, k3) = pq::mlkem::$pq::encaps(&rc::mlkem::$rc::ek_bytes(&dk)).expect("ek");
                assert_eq!(rc::mlkem::$rc::decaps(&dk, &ct3), Some(k3));
                assert_eq!(pq::mlkem::$pq::decaps(&dk_bytes, &ct3), Some(k3));
                #[cfg(feature = "libcrux")]
                {
                    use pqbench_workloads::pqc::libcrux as lc;
                    let kp = lc::mlkem::$lc::key_pair(seed);
                    assert_eq!(kp.sk().as_slice(), dk_bytes.as_slice());
                    assert_eq!(lc::mlkem::$lc::decaps(&kp, &ct3), Some(k3));
                    let (ct4, k4) = lc::mlkem::$lc::encaps(&pq_ek, m).expect("ek length");
                    assert_eq!(pq::mlkem::$pq::decaps(&pq_dk, &ct4), Some(k4));
                }
                // Wrong lengths are rejected, not panics.
                assert_eq!(pq::mlkem::$pq::decaps(&pq_dk, &ct[1..]), None);
                assert_eq!(pq::mlkem::$pq::decaps(&pq_dk[1..], &ct), None);
                assert_eq!(pq::mlkem::$pq::encaps(&pq_ek[1..]), None);
            }
        }
    };
}

kem_interop!(
    ml_kem_512_pqclean,
    p512,
    mlkem512,
    mlkem512,
    ml_kem::MlKem512,
    sizes::ML_KEM_512
);
kem_interop!(
    ml_kem_768_pqclean,
    p768,
    mlkem768,
    mlkem768,
    ml_kem::MlKem768,
    sizes::ML_KEM_768
);
kem_interop!(
    ml_kem_1024_pqclean,
    p1024,
    mlkem1024,
    mlkem1024,
    ml_kem::MlKem1024,
    sizes::ML_KEM_1024
);

macro_rules! dsa_interop {
    ($test:ident, $rc:ident, $pq:ident, $lc:ident, $sizes:expr) => {
        #[test]
        fn $test() {
            for seed in SEEDS {
                let msg = bytes::<32>(&mut rng10(seed, 7));
                let mut bad = msg;
                bad[0] ^= 1;
                // PQClean key pair and hedged signatures: two signatures of the
                // same message differ (fresh randomness) and both verify everywhere.
                let (pq_vk, pq_sk) = pq::mldsa::$pq::key_pair();
                assert_eq!(pq_vk.len() as u64, $sizes.public_key);
                assert_eq!(pq_sk.len() as u64, $sizes.secret_key);
                let s1 = pq::mldsa::$pq::sign(&pq_sk, &msg).expect("PQClean signs");
                let s2 = pq::mldsa::$pq::sign(&pq_sk, &msg).expect("PQClean signs");
                assert_eq!(s1.len() as u64, $sizes.signature);
                assert_ne!(s1, s2, "PQClean signing is hedged");
                for s in [&s1, &s2] {
                    assert!(pq::mldsa::$pq::verify(&pq_vk, &msg, s));
                    assert!(
                        rc::mldsa::$rc::verify(&pq_vk, &msg, s),
                        "RustCrypto verifies PQClean"
                    );
                    assert!(!rc::mldsa::$rc::verify(&pq_vk, &bad, s));
                }
                // The seeded RustCrypto key: its deterministic signature verifies
                // in PQClean; PQClean signs with RustCrypto's encoded signing key.
                let sk = rc::mldsa::$rc::key_pair(seed);
                let vk = rc::mldsa::$rc::vk_bytes(&sk);
                let d = rc::mldsa::$rc::sign(&sk, &msg).expect("RustCrypto signs");
                assert!(
                    pq::mldsa::$pq::verify(&vk, &msg, &d),
                    "PQClean verifies RustCrypto"
                );
                assert!(!pq::mldsa::$pq::verify(&vk, &bad, &d));
                assert!(!pq::mldsa::$pq::verify(&pq_vk, &msg, &d), "wrong key");
                #[allow(deprecated)]
                let sk_bytes = sk.expanded_key().to_expanded().to_vec();
                let h = pq::mldsa::$pq::sign(&sk_bytes, &msg).expect("PQClean signs");
                assert!(rc::mldsa::$rc::verify(&vk, &msg, &h));
                #[cfg(feature = "libcrux")]
                {
                    use pqbench_workloads::pqc::libcrux as lc;
                    assert!(
                        lc::mldsa::$lc::verify(&pq_vk, &msg, &s1),
                        "libcrux verifies PQClean"
                    );
                    assert!(lc::mldsa::$lc::verify(&vk, &msg, &h));
                    let kp = lc::mldsa::$lc::key_pair(seed);
                    assert_eq!(kp.signing_key.as_slice(), sk_bytes.as_slice());
                    let l = lc::mldsa::$lc::sign(&kp, &msg).expect("libcrux signs");
                    assert!(
                        pq::mldsa::$pq::verify(&vk, &msg, &l),
                        "PQClean verifies libcrux"
                    );
                }
                // Malformed inputs are rejected, not panics.
                assert!(!pq::mldsa::$pq::verify(&vk, &msg, &d[1..]));
                assert!(!pq::mldsa::$pq::verify(&vk[1..], &msg, &d));
                assert_eq!(pq::mldsa::$pq::sign(&sk_bytes[1..], &msg), None);
            }
        }
    };
}

dsa_interop!(ml_dsa_44_pqclean, p44, mldsa44, ml_dsa_44, sizes::ML_DSA_44);
dsa_interop!(ml_dsa_65_pqclean, p65, mldsa65, ml_dsa_65, sizes::ML_DSA_65);
dsa_interop!(ml_dsa_87_pqclean, p87, mldsa87, ml_dsa_87, sizes::ML_DSA_87);

/// PQClean's SPHINCS+ is round 3.1, not FIPS 205: its signatures verify
/// with itself and have SLH-DSA's sizes, but SLH-DSA rejects them.
#[test]
fn sphincsplus_round_trips_but_is_not_slh_dsa() {
    let sp = &pq::sphincsplus::sphincssha2128fsimple::key_pair;
    let (pk, sk) = sp();
    assert_eq!(pk.len() as u64, sizes::SLH_DSA_128F.public_key);
    assert_eq!(sk.len() as u64, sizes::SLH_DSA_128F.secret_key);
    let msg = bytes::<32>(&mut rng10(11, 3));
    let sig = pq::sphincsplus::sphincssha2128fsimple::sign(&sk, &msg).expect("signs");
    assert_eq!(sig.len() as u64, sizes::SLH_DSA_128F.signature);
    assert!(pq::sphincsplus::sphincssha2128fsimple::verify(
        &pk, &msg, &sig
    ));
    assert!(!pq::sphincsplus::sphincssha2128fsimple::verify(
        &pk,
        &msg[1..],
        &sig
    ));
    assert!(!pq::sphincsplus::sphincssha2128fsimple::verify(
        &pk,
        &msg,
        &sig[1..]
    ));
    assert!(
        !rc::slhdsa::sha2_128f::verify(&pk, &msg, &sig),
        "FIPS 205 SLH-DSA must not accept a SPHINCS+ round-3.1 signature"
    );
}
