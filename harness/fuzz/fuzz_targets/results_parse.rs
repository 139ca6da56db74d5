//! Any bytes given to the results-file parser give a value or an error that
//! names the file, never a panic; a file that parses survives a write/parse
//! round trip unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.json");
    match pqbench::results::parse(path, text) {
        Ok(file) => {
            let json = serde_json::to_string(&file).expect("a parsed file serialises");
            let again = pqbench::results::parse(path, &json).expect("a written file parses");
            assert_eq!(
                serde_json::to_value(&again).ok(),
                serde_json::to_value(&file).ok()
            );
        }
        Err(e) => assert!(e.to_string().starts_with("fuzz.json: ")),
    }
});
