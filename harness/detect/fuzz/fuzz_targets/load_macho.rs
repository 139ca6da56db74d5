//! Mach-O loader (thin and fat): errors, never panics; allocation bounded by
//! twice the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pqbench_detect::loader::{load_macho, load_macho_slice};

fuzz_target!(|data: &[u8]| {
    // The first byte picks thin (MH_MAGIC_64) or fat framing.
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let mut v = if pick & 1 == 0 {
        0xfeed_facfu32.to_le_bytes().to_vec()
    } else {
        0xcafe_babeu32.to_be_bytes().to_vec()
    };
    v.extend_from_slice(rest);
    if let Ok(img) = load_macho(&v) {
        assert!(img.len() <= 2 * v.len());
    }
    if let Ok(img) = load_macho_slice(&v, usize::from(pick >> 1) % 4) {
        assert!(img.len() <= 2 * v.len());
    }
});
