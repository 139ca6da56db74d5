//! RustCrypto vs libcrux: byte-identical ML-KEM keys and ciphertexts and
//! deterministic ML-DSA signatures from the same seed, cross decapsulation
//! and verification, the same implicit-rejection key.

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
