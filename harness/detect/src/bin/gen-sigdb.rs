//! Regenerates `src/sigdb/generated.rs` and `src/sigdb/sigdb.bin` from the
//! canonical constants. Run after changing `src/sigdb/generator/`:
//! `cargo run -p pqbench-detect --bin gen-sigdb`.
use std::path::Path;

fn main() -> std::io::Result<()> {
    let sigs = pqbench_detect::sigdb::generator::generate();
    let sets = pqbench_detect::sigdb::generator::generate_word_sets();
    let (rs, blob) = pqbench_detect::sigdb::generator::render(&sigs, &sets);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sigdb");
    std::fs::write(dir.join("sigdb.bin"), &blob)?;
    std::fs::write(dir.join("generated.rs"), rs)?;
    println!(
        "{} signatures, {} word sets, {} pattern bytes",
        sigs.len(),
        sets.len(),
        blob.len()
    );
    Ok(())
}
