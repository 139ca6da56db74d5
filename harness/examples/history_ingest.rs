//! Ingest benchmark of the history store: writes N synthetic results files
//! (default 10,000; 12 benchmarks x 3 replications x 100 raw samples, with
//! histograms and summaries, about the size of a short `pqbench run`), ingests
//! them one transaction per file as `pqbench history add` does (read, hash,
//! validate, insert), then times one benchmark's series query.
//!
//! ```text
//! cargo run --release -p pqbench --example history_ingest -- [N] [DIR]
//! ```
//!
//! DIR (default: a temporary directory) holds the files and the store.

#[path = "../tests/integration/history_common/mod.rs"]
mod history_common;

use pqbench::history::{self, AddOptions, Filter, HistoryStore, SqliteStore, analysis};
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(10_000);
    let tmp = tempfile::tempdir()?;
    let dir = args
        .next()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let t = Instant::now();
    let mut bytes = 0u64;
    let paths: Vec<_> = (0..n)
        .map(|k| {
            let center = if k < n / 2 { 1000.0 } else { 1030.0 };
            let f = history_common::file("bench cpu", k, center, 12, 100);
            let p = history_common::write(&dir, &format!("r{k:05}.json"), &f);
            bytes += std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            p
        })
        .collect();
    println!(
        "wrote {n} files, {:.1} KiB each on average, in {:.1} s",
        bytes as f64 / n as f64 / 1024.0,
        t.elapsed().as_secs_f64()
    );
    let db = dir.join("history.sqlite");
    let _ = std::fs::remove_file(&db);
    let mut store = SqliteStore::open(&db)?;
    let opts = AddOptions::default();
    let t = Instant::now();
    for p in &paths {
        let prepared = history::prepare(p, &opts)?;
        store.add(&prepared)?;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "ingested {n} files in {secs:.2} s: {:.0} files/s; store {:.1} MiB",
        n as f64 / secs,
        std::fs::metadata(&db)?.len() as f64 / 1048576.0
    );
    let id = "hash/sha256.digest/rustcrypto/0KiB";
    let filter = Filter::default();
    let mut times = Vec::new();
    let mut runs = 0;
    for _ in 0..20 {
        let t = Instant::now();
        runs = store.runs(id, &filter)?.len();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "series query ({runs} runs of one benchmark): median {:.2} ms, max {:.2} ms over 20",
        times[10], times[19]
    );
    let t = Instant::now();
    let pts = analysis::points(store.runs(id, &filter)?);
    println!(
        "series with median and CI per run ({} points): {:.1} ms",
        pts.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}
