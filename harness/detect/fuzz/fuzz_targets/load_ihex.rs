//! Intel HEX loader: errors, never panics; output no larger than the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pqbench_detect::loader::load_ihex;

fuzz_target!(|data: &[u8]| {
    if let Ok(img) = load_ihex(data) {
        assert!(img.len() <= data.len());
    }
});
