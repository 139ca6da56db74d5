//! Post-quantum workloads: ML-KEM (FIPS 203), ML-DSA (FIPS 204) and SLH-DSA
//! (FIPS 205), from several implementations.
//!
//! Ids are `pqc/<scheme>.<op>/<implementation>/<params>`:
//! `scheme` in `ml-kem`, `ml-dsa`, `slh-dsa`; `op` in `keygen`, `encaps`,
//! `decaps`, `sign`, `verify`; `implementation` in `rustcrypto` (always,
//! `no_std`), `libcrux` (feature `libcrux`, host only) and `pqclean` (feature
//! `pqclean`, host only, C through the `pqcrypto-*` crates), `liboqs`
//! (feature `liboqs`, host only, opt-in: ML-KEM and ML-DSA) and `fips205`
//! (feature `fips205`, pure Rust, SLH-DSA only), `aws-lc` (feature
//! `aws-lc`, host only: AWS-LC's ML-KEM through `aws-lc-rs`); `params` is the
//! parameter set (`512`, `768`, `1024`, `44`, `65`, `87`, `sha2-128f`,
//! `shake-128f`, `sha2-128s`).
//!
//! PQClean ships SPHINCS+ round 3.1, not FIPS 205 SLH-DSA: its workloads use
//! the scheme name `sphincsplus` (params `sha2-128f-simple`, …) so that they
//! are never mistaken for, or ranked against, SLH-DSA.
//!
//! Static metrics (`public_key_bytes`, `secret_key_bytes`, `ciphertext_bytes`,
//! `signature_bytes`, `shared_secret_bytes`) are the FIPS sizes, checked
//! against the implementations' encodings in tests.

#[cfg(feature = "aws-lc")]
pub mod aws_lc;
#[cfg(feature = "fips205")]
pub mod fips205;
#[cfg(feature = "libcrux")]
pub mod libcrux;
#[cfg(feature = "liboqs")]
pub mod liboqs;
#[cfg(feature = "pqclean")]
pub mod pqclean;
pub use crate::pqc_op as op;
pub mod rustcrypto;
pub mod sizes;

use crate::Workload;
use alloc::boxed::Box;
use alloc::vec::Vec;

/// Every PQC workload of the enabled implementations.
pub fn workloads() -> Vec<Box<dyn Workload>> {
    #[allow(unused_mut)]
    let mut out = rustcrypto::workloads();
    #[cfg(feature = "libcrux")]
    out.extend(libcrux::workloads());
    #[cfg(feature = "pqclean")]
    out.extend(pqclean::workloads());
    #[cfg(feature = "liboqs")]
    out.extend(liboqs::workloads());
    #[cfg(feature = "fips205")]
    out.extend(fips205::workloads());
    #[cfg(feature = "aws-lc")]
    out.extend(aws_lc::workloads());
    out
}
