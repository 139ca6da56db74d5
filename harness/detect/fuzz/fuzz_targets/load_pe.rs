//! PE loader: errors, never panics; allocation bounded by twice the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pqbench_detect::loader::load_pe;

fuzz_target!(|data: &[u8]| {
    let mut v = b"MZ".to_vec();
    v.extend_from_slice(data);
    if let Ok(img) = load_pe(&v) {
        assert!(img.len() <= 2 * v.len());
    }
});
