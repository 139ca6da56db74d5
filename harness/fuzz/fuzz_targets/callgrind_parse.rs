//! Any text given to the Callgrind output parser of `pqbench import
//! gungraun` gives totals or an error, never a panic; totals have one count
//! per event.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(t) = pqbench::import::callgrind::parse(&text) {
        assert_eq!(t.events.len(), t.totals.len());
        assert!(!t.events.is_empty());
    }
    let name = text.lines().next().unwrap_or("");
    let _ = pqbench::import::gungraun::is_callgrind_out(name, None);
    let _ = pqbench::import::gungraun::is_callgrind_out(name, Some("main"));
});
