//! Finite-field Diffie-Hellman and DSA: the prefixes of the standard primes,
//! PEM headers and OIDs.

use super::emit::{Out, big, hex, words_u32, words_u64};
use crate::sigdb::Family;
use std::format;

/// Leading 256 bits of the RFC 2409/3526 MODP primes (every size shares them:
/// 2^64 ones, then the binary expansion of pi).
pub const MODP_PREFIX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74";
/// Leading 256 bits of the RFC 7919 ffdhe primes (2^64 ones, then e).
pub const FFDHE_PREFIX: &str = "ffffffffffffffffadf85458a2bb4a9aafdc5620273d3cf1d8b9c583ce2d3695";

pub(super) fn ffdh(o: &mut Out) {
    for (alg, prefix) in [("modp-dh", MODP_PREFIX), ("ffdhe", FFDHE_PREFIX)] {
        let v = big(prefix);
        let cst = format!("{alg}.p-prefix");
        // A prefix of a longer prime: only layouts where it stays contiguous.
        o.push(alg, &cst, Family::Dh, "be", 1000, v.to_be(32));
        o.push(alg, &cst, Family::Dh, "le", 1000, v.to_le(32));
        o.push(
            alg,
            &cst,
            Family::Dh,
            "be32-limbs",
            1000,
            words_u32(&v.limbs(32, 8), true),
        );
        o.push(
            alg,
            &cst,
            Family::Dh,
            "be64-limbs",
            1000,
            words_u64(&v.limbs(64, 4), true),
        );
        o.push(
            alg,
            &cst,
            Family::Dh,
            "ascii-hex-upper",
            1000,
            prefix.to_ascii_uppercase().into_bytes(),
        );
        o.push(
            alg,
            &cst,
            Family::Dh,
            "ascii-hex-lower",
            1000,
            prefix.to_ascii_lowercase().into_bytes(),
        );
    }
    o.push(
        "dh",
        "pem.dh-params",
        Family::Dh,
        "ascii",
        700,
        b"-----BEGIN DH PARAMETERS-----".to_vec(),
    );
    o.push(
        "dsa",
        "pem.dsa-key",
        Family::Dh,
        "ascii",
        700,
        b"-----BEGIN DSA PRIVATE KEY-----".to_vec(),
    );
    // DER AlgorithmIdentifier of dhpublicnumber (1.2.840.10046.2.1) and id-dsa (1.2.840.10040.4.1).
    o.push(
        "dh",
        "oid.dhpublicnumber",
        Family::Dh,
        "der",
        400,
        hex("06072a8648ce3e0201"),
    );
    o.push(
        "dsa",
        "oid.id-dsa",
        Family::Dh,
        "der",
        400,
        hex("06072a8648ce380401"),
    );
}
