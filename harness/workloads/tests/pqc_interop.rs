//! Cross-implementation correctness of the PQC workloads.
//!
//! * RustCrypto vs libcrux (feature `libcrux`): byte-identical keys,
//!   ciphertexts and deterministic ML-DSA signatures from the same seed; cross
//!   decapsulation and cross verification; implicit rejection agrees.
//! * PQClean (feature `pqclean`) vs RustCrypto (and libcrux when enabled):
//!   ciphertexts made by either side decapsulate to the same shared secret on
//!   the other; secret keys move between them in the FIPS encodings; hedged
//!   PQClean ML-DSA signatures verify in RustCrypto / libcrux and the
//!   deterministic RustCrypto ones verify in PQClean; PQClean's SPHINCS+
//!   (round 3.1) is shown *not* to be FIPS 205 SLH-DSA.
//! * liboqs (feature `liboqs`) vs RustCrypto: identical ML-KEM keys from the
//!   same seed, cross decapsulation, cross verification of ML-DSA.
//! * `fips205` (feature `fips205`) vs RustCrypto SLH-DSA (SHA2-128f,
//!   SHAKE-128f, SHA2-128s): identical keys from the same seeds, byte-identical
//!   deterministic signatures, cross verification, tampered signatures
//!   rejected, secret keys exchanged in the FIPS 205 encoding.
//! * Known answers (always for RustCrypto, also for libcrux when enabled): the
//!   first NIST-format KAT record of ML-KEM-512/768/1024 and ML-DSA-44/65/87,
//!   generated with the NIST AES-256 CTR_DRBG exactly as PQClean's
//!   `test/crypto_{kem,sign}/nistkat.c` does, hashed with SHA-256 and compared
//!   with the `nistkat-sha256` value in PQClean's `META.yml` for the scheme.
//! * SLH-DSA round trips, sizes against the encodings, and every registered
//!   workload runs once.
#![cfg(feature = "pqc")]

use pqbench_workloads::pqc::{rustcrypto as rc, sizes};
use pqbench_workloads::pqc_op::{bytes, rng10};

/// Seeds tried (one: debug builds of the crypto crates are slow; the
/// benches exercise many more).
#[cfg(any(feature = "libcrux", feature = "pqclean", feature = "liboqs"))]
const SEEDS: [u64; 1] = [0xdead_beef];

#[cfg(feature = "libcrux")]
mod libcrux_vs_rustcrypto {
    use super::*;
    use pqbench_workloads::pqc::libcrux as lc;

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
}

#[cfg(feature = "pqclean")]
mod pqclean_vs_rustcrypto {
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
                    let (ct3, k3) =
                        pq::mlkem::$pq::encaps(&rc::mlkem::$rc::ek_bytes(&dk)).expect("ek");
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
}

#[cfg(feature = "fips205")]
mod fips205_vs_rustcrypto {
    use super::*;
    use pqbench_workloads::pqc::fips205 as fi;
    use pqbench_workloads::pqc::rustcrypto::messages;
    use slh_dsa::signature::Keypair;

    /// Both crates implement pure, deterministic FIPS 205 signing (empty
    /// context, `opt_rand = PK.seed`), so the same seed must give identical
    /// keys and byte-identical signatures; each verifies the other's output,
    /// rejects a tampered one and takes the other's encoded secret key.
    macro_rules! slh_interop {
        ($test:ident, $m:ident, $p:ty, $other:ident, $sizes:expr) => {
            #[test]
            fn $test() {
                let seed = 0xdead_beef;
                // Keys: the same 48 seeded bytes give the same encodings.
                let rc_sk = rc::slhdsa::$m::key_pair(seed);
                let rc_pk = rc_sk.verifying_key().to_bytes().to_vec();
                let rc_skb = rc_sk.to_bytes().to_vec();
                let (fi_pk, fi_sk) = fi::slhdsa::$m::key_pair(seed);
                let fi_pkb = fi::slhdsa::$m::pk_bytes(&fi_pk);
                let fi_skb = fi::slhdsa::$m::sk_bytes(&fi_sk);
                assert_eq!(fi_pkb.len() as u64, $sizes.public_key);
                assert_eq!(fi_skb.len() as u64, $sizes.secret_key);
                assert_eq!(rc_pk, fi_pkb, "public keys differ");
                assert_eq!(rc_skb, fi_skb, "secret keys differ");

                // Signatures over the workloads' first message.
                let msg = messages(seed, 0x534c_4801)[0];
                let rc_sig = rc::slhdsa::$m::sign(&rc_sk, &msg).expect("rustcrypto signs");
                let fi_sig = fi::slhdsa::$m::sign(&fi_sk, &msg).expect("fips205 signs");
                assert_eq!(fi_sig.len() as u64, $sizes.signature);
                assert!(rc_sig == fi_sig, "deterministic signatures differ");

                // Cross verification; the other side's tampered signature,
                // another message and another parameter set are rejected.
                assert!(fi::slhdsa::$m::verify(&rc_pk, &msg, &rc_sig));
                assert!(rc::slhdsa::$m::verify(&fi_pkb, &msg, &fi_sig));
                let mut bad = rc_sig.clone();
                let last = bad.len() - 1;
                bad[last] ^= 1;
                assert!(!fi::slhdsa::$m::verify(&rc_pk, &msg, &bad));
                assert!(!rc::slhdsa::$m::verify(&fi_pkb, &msg, &bad));
                assert!(!fi::slhdsa::$m::verify(&rc_pk, &msg[1..], &rc_sig));
                assert!(!fi::slhdsa::$m::verify(&rc_pk, &msg, &rc_sig[1..]));
                assert!(!fi::slhdsa::$other::verify(&rc_pk, &msg, &rc_sig));

                // RustCrypto's encoded secret key signs in fips205 (which
                // checks PK.root on decode) and vice versa, same signature.
                let fi_sk2 = fi::slhdsa::$m::sk_from_bytes(&rc_skb).expect("fips205 decodes");
                let msg2 = messages(seed, 0x534c_4801)[1];
                let fi_sig2 = fi::slhdsa::$m::sign(&fi_sk2, &msg2).expect("fips205 signs");
                let rc_sk2 =
                    slh_dsa::SigningKey::<$p>::try_from(&fi_skb[..]).expect("rustcrypto decodes");
                let rc_sig2 = rc::slhdsa::$m::sign(&rc_sk2, &msg2).expect("rustcrypto signs");
                assert!(rc_sig2 == fi_sig2, "signatures with exchanged keys differ");
                assert!(rc_sig2 != rc_sig, "two messages gave one signature");
                // A secret key whose PK.root does not match its seeds is refused.
                let mut bad_sk = rc_skb.clone();
                bad_sk[$sizes.secret_key as usize - 1] ^= 1;
                assert!(fi::slhdsa::$m::sk_from_bytes(&bad_sk).is_none());
            }
        };
    }

    slh_interop!(
        slh_dsa_sha2_128f_fips205,
        sha2_128f,
        slh_dsa::Sha2_128f,
        shake_128f,
        sizes::SLH_DSA_128F
    );
    slh_interop!(
        slh_dsa_shake_128f_fips205,
        shake_128f,
        slh_dsa::Shake128f,
        sha2_128f,
        sizes::SLH_DSA_128F
    );
    slh_interop!(
        slh_dsa_sha2_128s_fips205,
        sha2_128s,
        slh_dsa::Sha2_128s,
        sha2_128f,
        sizes::SLH_DSA_128S
    );
}

#[cfg(feature = "liboqs")]
mod liboqs_vs_rustcrypto {
    use super::*;
    #[allow(deprecated)] // the FIPS 203 expanded decapsulation key is liboqs's format
    use ml_kem::ExpandedKeyEncoding;
    use pqbench_workloads::pqc::liboqs as oq;

    macro_rules! kem_interop {
        ($test:ident, $rc:ident, $alg:ident, $sizes:expr) => {
            #[test]
            fn $test() {
                let kem = oq::mlkem::kem(oqs::kem::Algorithm::$alg);
                for seed in SEEDS {
                    // Same d‖z, same keys (FIPS 203 KeyGen_internal in both).
                    let d_z = bytes::<64>(&mut rng10(seed, 0x4b45_4d00));
                    let (ek, dk) = oq::mlkem::key_pair_derand(&kem, &d_z).expect("derand keygen");
                    let rdk = rc::mlkem::$rc::key_pair(seed);
                    assert_eq!(ek, rc::mlkem::$rc::ek_bytes(&rdk));
                    #[allow(deprecated)]
                    let rdk_bytes = rdk.to_expanded_bytes().to_vec();
                    assert_eq!(dk, rdk_bytes);
                    assert_eq!(dk.len() as u64, $sizes.secret_key);
                    // RustCrypto encapsulates, liboqs decapsulates.
                    let m = bytes::<32>(&mut rng10(seed, 99));
                    let (ct, k) = rc::mlkem::$rc::encaps(rdk.encapsulation_key(), m);
                    assert_eq!(oq::mlkem::decaps(&kem, &dk, &ct), Some(k.to_vec()));
                    // liboqs encapsulates (its own randomness), RustCrypto decapsulates.
                    let (ct2, k2) = oq::mlkem::encaps(&kem, &ek).expect("ek length");
                    assert_eq!(ct2.len() as u64, $sizes.ciphertext);
                    assert_eq!(
                        rc::mlkem::$rc::decaps(&rdk, &ct2).map(|k| k.to_vec()),
                        Some(k2)
                    );
                    // Implicit rejection agrees.
                    let mut bad = ct2.clone();
                    bad[3] ^= 4;
                    let r = oq::mlkem::decaps(&kem, &dk, &bad);
                    assert_eq!(r, rc::mlkem::$rc::decaps(&rdk, &bad).map(|k| k.to_vec()));
                    // Wrong lengths are rejected, not panics.
                    assert_eq!(oq::mlkem::decaps(&kem, &dk, &ct[1..]), None);
                    assert_eq!(oq::mlkem::encaps(&kem, &ek[1..]), None);
                }
            }
        };
    }

    kem_interop!(ml_kem_512_liboqs, p512, MlKem512, sizes::ML_KEM_512);
    kem_interop!(ml_kem_768_liboqs, p768, MlKem768, sizes::ML_KEM_768);
    kem_interop!(ml_kem_1024_liboqs, p1024, MlKem1024, sizes::ML_KEM_1024);

    macro_rules! dsa_interop {
        ($test:ident, $rc:ident, $alg:ident, $sizes:expr) => {
            #[test]
            fn $test() {
                let d = oq::mldsa::sig(oqs::sig::Algorithm::$alg);
                for seed in SEEDS {
                    let msg = bytes::<32>(&mut rng10(seed, 7));
                    let mut bad = msg;
                    bad[0] ^= 1;
                    // liboqs keys and signatures verify in RustCrypto.
                    let (vk, sk) = oq::mldsa::key_pair(&d).expect("keygen");
                    assert_eq!(vk.len() as u64, $sizes.public_key);
                    assert_eq!(sk.len() as u64, $sizes.secret_key);
                    let s = oq::mldsa::sign(&d, &sk, &msg).expect("liboqs signs");
                    assert_eq!(s.len() as u64, $sizes.signature);
                    assert!(oq::mldsa::verify(&d, &vk, &msg, &s));
                    assert!(
                        rc::mldsa::$rc::verify(&vk, &msg, &s),
                        "RustCrypto verifies liboqs"
                    );
                    assert!(!rc::mldsa::$rc::verify(&vk, &bad, &s));
                    // RustCrypto's deterministic signature verifies in liboqs; liboqs
                    // signs with RustCrypto's encoded signing key.
                    let rsk = rc::mldsa::$rc::key_pair(seed);
                    let rvk = rc::mldsa::$rc::vk_bytes(&rsk);
                    let r = rc::mldsa::$rc::sign(&rsk, &msg).expect("RustCrypto signs");
                    assert!(
                        oq::mldsa::verify(&d, &rvk, &msg, &r),
                        "liboqs verifies RustCrypto"
                    );
                    assert!(!oq::mldsa::verify(&d, &rvk, &bad, &r));
                    assert!(!oq::mldsa::verify(&d, &vk, &msg, &r), "wrong key");
                    #[allow(deprecated)]
                    let rsk_bytes = rsk.expanded_key().to_expanded().to_vec();
                    let h = oq::mldsa::sign(&d, &rsk_bytes, &msg).expect("liboqs signs");
                    assert!(rc::mldsa::$rc::verify(&rvk, &msg, &h));
                    // Malformed inputs are rejected, not panics.
                    assert!(!oq::mldsa::verify(&d, &rvk, &msg, &r[1..]));
                    assert!(!oq::mldsa::verify(&d, &rvk[1..], &msg, &r));
                    assert_eq!(oq::mldsa::sign(&d, &rsk_bytes[1..], &msg), None);
                }
            }
        };
    }

    dsa_interop!(ml_dsa_44_liboqs, p44, MlDsa44, sizes::ML_DSA_44);
    dsa_interop!(ml_dsa_65_liboqs, p65, MlDsa65, sizes::ML_DSA_65);
    dsa_interop!(ml_dsa_87_liboqs, p87, MlDsa87, sizes::ML_DSA_87);
}

/// The NIST known-answer-test generators' AES-256 CTR_DRBG (NIST's `rng.c`,
/// as carried by PQClean in `test/common/nistkatrng.c`), without
/// personalisation string or reseeding.
mod nist_drbg {
    use aes::Aes256;
    use aes::cipher::{BlockEncrypt, KeyInit};

    /// The DRBG state: key and counter block.
    pub struct Drbg {
        key: [u8; 32],
        v: [u8; 16],
    }

    fn increment(v: &mut [u8; 16]) {
        for b in v.iter_mut().rev() {
            *b = b.wrapping_add(1);
            if *b != 0 {
                break;
            }
        }
    }

    fn aes(key: &[u8; 32], block: &[u8; 16]) -> [u8; 16] {
        let mut b = (*block).into();
        Aes256::new(key.into()).encrypt_block(&mut b);
        b.into()
    }

    impl Drbg {
        /// `nist_kat_init(entropy, NULL, 256)`.
        pub fn new(entropy: &[u8; 48]) -> Self {
            let mut d = Drbg {
                key: [0; 32],
                v: [0; 16],
            };
            d.update(Some(entropy));
            d
        }

        fn update(&mut self, provided: Option<&[u8; 48]>) {
            let mut temp = [0u8; 48];
            for chunk in temp.chunks_exact_mut(16) {
                increment(&mut self.v);
                chunk.copy_from_slice(&aes(&self.key, &self.v));
            }
            if let Some(p) = provided {
                temp.iter_mut().zip(p).for_each(|(t, p)| *t ^= p);
            }
            self.key.copy_from_slice(&temp[..32]);
            self.v.copy_from_slice(&temp[32..]);
        }

        /// `randombytes(buf, N)`.
        pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
            let mut out = [0u8; N];
            for chunk in out.chunks_mut(16) {
                increment(&mut self.v);
                chunk.copy_from_slice(&aes(&self.key, &self.v)[..chunk.len()]);
            }
            self.update(None);
            out
        }
    }

    /// The DRBG seeded with 0, 1, …, 47, as in `nistkat.c`.
    pub fn kat_master() -> Drbg {
        let mut entropy = [0u8; 48];
        entropy
            .iter_mut()
            .enumerate()
            .for_each(|(i, e)| *e = i as u8);
        Drbg::new(&entropy)
    }
}

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

#[test]
fn slh_dsa_128f_sign_verify_and_sizes() {
    use slh_dsa::signature::Keypair;
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

/// Every registered PQC and classical workload sets up and runs once, and
/// reports the sizes of its scheme (quick ones only; RSA keygen is excluded).
#[test]
fn every_workload_runs_once_with_sizes() {
    #[allow(unused_mut)]
    let mut all = pqbench_workloads::pqc::workloads();
    #[cfg(feature = "classical")]
    all.extend(pqbench_workloads::classical::workloads());
    let mut n = 0;
    let mut impls = std::collections::BTreeSet::new();
    let mut ids = std::collections::BTreeSet::new();
    for mut w in all {
        let id = w.id();
        ids.insert(id.to_string());
        // SLH-DSA / SPHINCS+ signing and RSA private-key operations take
        // seconds in unoptimised test builds; the round trips above and the
        // benches cover them.
        if matches!(
            id.name.as_str(),
            "slh-dsa.sign" | "sphincsplus.sign" | "rsa.sign" | "rsa.decrypt"
        ) {
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
        impls.insert(id.implementation.clone());
        n += 1;
    }
    // 27 RustCrypto PQC workloads, minus the 3 skipped SLH-DSA signs.
    assert!(n >= 24, "only {n} workloads");
    assert!(impls.contains("rustcrypto"));
    #[cfg(feature = "libcrux")]
    assert!(impls.contains("libcrux"));
    #[cfg(feature = "pqclean")]
    assert!(impls.contains("pqclean"));
    #[cfg(feature = "liboqs")]
    assert!(impls.contains("liboqs"));
    #[cfg(feature = "fips205")]
    {
        assert!(impls.contains("fips205"));
        // All nine SLH-DSA ids of the second implementation are registered
        // (signing is skipped above but is registered too).
        for op in ["keygen", "sign", "verify"] {
            for p in ["sha2-128f", "shake-128f", "sha2-128s"] {
                let id = format!("pqc/slh-dsa.{op}/fips205/{p}");
                assert!(ids.contains(&id), "{id} missing");
            }
        }
    }
}
