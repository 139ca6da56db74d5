//! Crypto library fingerprints: version and characteristic strings.

use super::emit::Out;
use crate::sigdb::Family;
use std::format;

pub(super) fn libraries(o: &mut Out) {
    let l = Family::Lib;
    for (lib, strings) in [
        (
            "mbedtls",
            &[
                "mbed TLS 2.",
                "Mbed TLS 3.",
                "mbedtls_ecp_",
                "mbedtls_rsa_",
                "mbedtls_ssl_",
                "mbedtls_pk_",
                "MBEDTLS_ERR_",
            ][..],
        ),
        (
            "wolfssl",
            &[
                "wolfSSL_Init",
                "wolfCrypt_Init",
                "wolfSSL Entering",
                "wolfSSL error",
                "wolfcrypt/src/",
            ],
        ),
        (
            "openssl",
            &[
                "OpenSSL 1.0.",
                "OpenSSL 1.1.",
                "OpenSSL 3.0.",
                "OpenSSL 3.1.",
                "OpenSSL 3.2.",
                "OPENSSL_init_",
                "crypto/evp/",
            ],
        ),
        (
            "bearssl",
            &[
                "br_ssl_engine_",
                "br_ec_prime_i31",
                "br_rsa_i31_",
                "br_ssl_client_",
            ],
        ),
        (
            "micro-ecc",
            &[
                "uECC_make_key",
                "uECC_shared_secret",
                "uECC_verify",
                "uECC_sign",
            ],
        ),
        (
            "tinycrypt",
            &[
                "tc_aes128_set_encrypt_key",
                "tc_sha256_init",
                "tc_ecc_",
                "tc_hmac_",
            ],
        ),
        (
            "libsodium",
            &[
                "sodium_init",
                "crypto_sign_ed25519",
                "crypto_box_curve25519",
                "libsodium",
            ],
        ),
        (
            "rustcrypto",
            &[
                "/p256-0.13.",
                "/p384-0.13.",
                "/k256-0.13.",
                "/rsa-0.9.",
                "/ml-kem-0.",
                "/ml-dsa-0.",
                "/curve25519-dalek-",
                "/ed25519-dalek-",
                "/x25519-dalek-",
                "/elliptic-curve-0.",
                "/crypto-bigint-0.",
                "/primeorder-0.",
                "/sha2-0.10.",
                "/sha3-0.10.",
                "/keccak-0.1.",
                "/crc32fast-1.",
                "/aes-0.8.",
                "/num-bigint-dig-",
            ],
        ),
    ] {
        for s in strings {
            o.push(
                lib,
                &format!("{lib}.string"),
                l,
                "ascii",
                1000,
                s.as_bytes().to_vec(),
            );
        }
    }
}
