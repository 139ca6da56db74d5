//! Post-quantum workloads: ML-KEM (FIPS 203), ML-DSA (FIPS 204) and SLH-DSA
//! (FIPS 205), from several implementations.
//!
//! Ids are `pqc/<scheme>.<op>/<implementation>/<params>`:
//! `scheme` in `ml-kem`, `ml-dsa`, `slh-dsa`; `op` in `keygen`, `encaps`,
//! `decaps`, `sign`, `verify`; `implementation` in `rustcrypto` (always,
//! `no_std`) and `libcrux` (feature `libcrux`, host only); `params` is the
//! parameter set (`512`, `768`, `1024`, `44`, `65`, `87`, `sha2-128f`,
//! `shake-128f`, `sha2-128s`).
//!
//! Static metrics (`public_key_bytes`, `secret_key_bytes`, `ciphertext_bytes`,
//! `signature_bytes`, `shared_secret_bytes`) are the FIPS sizes, checked
//! against the implementations' encodings in tests.

#[cfg(feature = "libcrux")]
pub mod libcrux;
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
    out
}
