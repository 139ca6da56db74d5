//! The `fips205` crate vs RustCrypto SLH-DSA (SHA2-128f, SHAKE-128f,
//! SHA2-128s): identical keys, byte-identical deterministic signatures, cross
//! verification, tampered signatures rejected, secret keys exchanged.

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
