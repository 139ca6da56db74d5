//! Diagnostic: which data grams hit the scanner's filter most (database tuning).
use pqbench_detect::{scan::Scanner, sigdb, synth};
fn main() {
    let db = sigdb::builtin();
    let data = match std::env::args().nth(1) {
        Some(f) => std::fs::read(f).unwrap_or_default(),
        None => synth::firmware(42, 8 << 20, &db).0,
    };
    let sc = Scanner::new(&db);
    let (p, h, top) = sc.probe_stats(&data);
    println!(
        "probes {p}, filter hits {h} ({:.3}%), index {} KiB",
        100.0 * h as f64 / p as f64,
        sc.index_bytes() / 1024
    );
    for (g, n) in top {
        println!("{n:8} {:02x?}", g.to_le_bytes());
    }
}
