//! RSA and ECC key containers: DER OIDs, AlgorithmIdentifiers,
//! SubjectPublicKeyInfo and PKCS#1 prefixes, DigestInfo prefixes, PEM headers.

use super::emit::{Out, hex};
use crate::sigdb::Family;
use std::format;

pub(super) fn containers(o: &mut Out) {
    let r = Family::Rsa;
    let e = Family::Ecc;
    // OIDs and AlgorithmIdentifiers (DER).
    o.push(
        "rsa",
        "oid.rsaEncryption",
        r,
        "der",
        400,
        hex("06092a864886f70d010101"),
    );
    o.push(
        "rsa",
        "algid.rsaEncryption",
        r,
        "der",
        600,
        hex("300d06092a864886f70d0101010500"),
    );
    o.push(
        "rsa",
        "pkcs8.rsa-prefix",
        r,
        "der",
        700,
        hex("020100300d06092a864886f70d010101050004"),
    );
    o.push(
        "rsa",
        "oid.sha256WithRSAEncryption",
        r,
        "der",
        400,
        hex("06092a864886f70d01010b"),
    );
    o.push(
        "rsa",
        "oid.rsassa-pss",
        r,
        "der",
        400,
        hex("06092a864886f70d01010a"),
    );
    o.push(
        "rsa",
        "pkcs1.pub-2048",
        r,
        "der",
        400,
        hex("3082010a0282010100"),
    );
    o.push(
        "rsa",
        "pkcs1.priv-2048",
        r,
        "der",
        400,
        hex("020100028201010000"),
    );
    for (name, prefix) in [
        ("digestinfo.md5", "3020300c06082a864886f70d020505000410"),
        ("digestinfo.sha1", "3021300906052b0e03021a05000414"),
        (
            "digestinfo.sha224",
            "302d300d06096086480165030402040500041c",
        ),
        (
            "digestinfo.sha256",
            "3031300d060960864801650304020105000420",
        ),
        (
            "digestinfo.sha384",
            "3041300d060960864801650304020205000430",
        ),
        (
            "digestinfo.sha512",
            "3051300d060960864801650304020305000440",
        ),
    ] {
        o.push("rsa-pkcs1v15", name, r, "der", 700, hex(prefix));
    }
    o.push(
        "ecdsa",
        "algid.ec-p256",
        e,
        "der",
        700,
        hex("301306072a8648ce3d020106082a8648ce3d030107"),
    );
    o.push(
        "ecdsa",
        "algid.ec-p384",
        e,
        "der",
        700,
        hex("301006072a8648ce3d020106052b81040022"),
    );
    o.push(
        "ecdsa",
        "algid.ec-p521",
        e,
        "der",
        700,
        hex("301006072a8648ce3d020106052b81040023"),
    );
    o.push(
        "ecdsa",
        "algid.ec-secp256k1",
        e,
        "der",
        700,
        hex("301006072a8648ce3d020106052b8104000a"),
    );
    o.push(
        "ecdsa",
        "spki.p256",
        e,
        "der",
        800,
        hex("3059301306072a8648ce3d020106082a8648ce3d030107034200"),
    );
    o.push(
        "ecdsa",
        "oid.ecdsa-with-sha256",
        e,
        "der",
        400,
        hex("06082a8648ce3d040302"),
    );
    o.push(
        "x25519",
        "spki.x25519",
        e,
        "der",
        700,
        hex("302a300506032b656e032100"),
    );
    o.push(
        "ed25519",
        "spki.ed25519",
        e,
        "der",
        700,
        hex("302a300506032b6570032100"),
    );
    o.push(
        "ecdsa",
        "oid.prime256v1",
        e,
        "der",
        400,
        hex("06082a8648ce3d030107"),
    );
    for (alg, fam, pem) in [
        ("rsa", r, "-----BEGIN RSA PUBLIC KEY-----"),
        ("rsa", r, "-----BEGIN RSA PRIVATE KEY-----"),
        ("ecdsa", e, "-----BEGIN EC PRIVATE KEY-----"),
        ("ecdsa", e, "-----BEGIN EC PARAMETERS-----"),
    ] {
        o.push(
            alg,
            &format!(
                "pem.{}",
                &pem[11..pem.len() - 5]
                    .to_ascii_lowercase()
                    .replace(' ', "-")
            ),
            fam,
            "ascii",
            700,
            pem.as_bytes().to_vec(),
        );
    }
}
