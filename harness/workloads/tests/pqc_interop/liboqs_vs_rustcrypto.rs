//! liboqs vs RustCrypto: identical ML-KEM keys from the same seed, cross
//! decapsulation, cross verification of ML-DSA.

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
