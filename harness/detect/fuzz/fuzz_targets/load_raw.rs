//! Raw loader: one segment holding the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pqbench_detect::loader::{Format, load_as};

fuzz_target!(|data: &[u8]| {
    let img = load_as(data, Format::Raw).expect("raw never fails");
    assert_eq!(img.len(), data.len());
});
