//! AWS-LC (aws-lc-rs) vs RustCrypto ML-KEM: keys move between them in the
//! FIPS 203 encodings; ciphertexts made by either side decapsulate to the
//! same shared secret on the other; implicit rejection agrees; an AWS-LC
//! generated key works in RustCrypto. (No seeded keygen or encapsulation in
//! aws-lc-rs, so no byte-identical comparison of those; the KAT test checks
//! AWS-LC's decapsulation of the NIST record.)

use super::*;
use pqbench_workloads::pqc::aws_lc as a;

macro_rules! kem_interop {
    ($test:ident, $rc:ident, $p:ty, $alg:literal, $sizes:expr) => {
        #[test]
        fn $test() {
            #[allow(deprecated)]
            use ml_kem::ExpandedKeyEncoding;
            let alg = a::alg($alg).expect("parameter set");
            for seed in SEEDS {
                let dk = rc::mlkem::$rc::key_pair(seed);
                let ek = rc::mlkem::$rc::ek_bytes(&dk);
                #[allow(deprecated)]
                let dkb = dk.to_expanded_bytes().to_vec();
                // AWS-LC encapsulates to the RustCrypto key; RustCrypto decapsulates.
                let (ct, k1) = a::encaps(alg, &ek).expect("aws-lc encapsulates");
                assert_eq!(ct.len() as u64, $sizes.ciphertext);
                assert_eq!(
                    rc::mlkem::$rc::decaps(&dk, &ct).map(|k| k.to_vec()),
                    Some(k1.clone())
                );
                // RustCrypto encapsulates; AWS-LC decapsulates with the imported key.
                let m = bytes::<32>(&mut rng10(seed, 99));
                let (ct2, k2) = rc::mlkem::$rc::encaps(dk.encapsulation_key(), m);
                assert_eq!(a::decaps(alg, &dkb, &ct2), Some(k2.to_vec()));
                // Implicit rejection: the same pseudo-random key in both.
                let mut bad = ct2.clone();
                bad[0] ^= 1;
                let r1 = rc::mlkem::$rc::decaps(&dk, &bad).map(|k| k.to_vec());
                assert_ne!(r1, Some(k2.to_vec()));
                assert_eq!(r1, a::decaps(alg, &dkb, &bad));
                // Wrong lengths are errors.
                assert_eq!(a::decaps(alg, &dkb, &ct2[1..]), None);
                assert_eq!(a::decaps(alg, &dkb[1..], &ct2), None);
                // An AWS-LC key pair, used by RustCrypto to encapsulate.
                let (ek_a, dk_a) = a::generate(alg).expect("aws-lc keygen");
                assert_eq!(ek_a.len() as u64, $sizes.public_key);
                assert_eq!(dk_a.len() as u64, $sizes.secret_key);
                let ek_rc = ml_kem::EncapsulationKey::<$p>::new(
                    &ek_a.as_slice().try_into().expect("ek length"),
                )
                .expect("AWS-LC's encapsulation key passes the FIPS 203 check");
                let (ct3, k3) = rc::mlkem::$rc::encaps(&ek_rc, m);
                assert_eq!(a::decaps(alg, &dk_a, &ct3), Some(k3.to_vec()));
            }
        }
    };
}

kem_interop!(
    ml_kem_512_interop,
    p512,
    ml_kem::MlKem512,
    "mlkem512",
    sizes::ML_KEM_512
);
kem_interop!(
    ml_kem_768_interop,
    p768,
    ml_kem::MlKem768,
    "mlkem768",
    sizes::ML_KEM_768
);
kem_interop!(
    ml_kem_1024_interop,
    p1024,
    ml_kem::MlKem1024,
    "mlkem1024",
    sizes::ML_KEM_1024
);
