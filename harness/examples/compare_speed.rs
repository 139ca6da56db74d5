//! Speed of `pqbench compare`/`gate` on the main job's shapes: writes two
//! synthetic results files per shape (fixed seed; 2 % log-normal sample
//! noise, 0.5 % replication noise, every 10th benchmark 1 % slower), then
//! times loading both and comparing them with the defaults (2,000 bootstrap
//! resamples), rendering the table and the JSON verdict, as the CLI does.
//!
//! ```text
//! RAYON_NUM_THREADS=1 cargo run --release -p pqbench --example compare_speed -- [DIR]
//! ```
//!
//! Shapes: 120 benchmarks x 2 replications x 5,000 samples per side, 120 x
//! 10 x 1,000 (the `run` default), and 1 benchmark x 10 x 100,000 (10^6
//! samples per side). DIR (default: a temporary directory) keeps the files,
//! so the real binary can be timed on them too:
//! `RAYON_NUM_THREADS=1 target/release/pqbench gate DIR/120x2x5000-base.json DIR/120x2x5000-new.json`.

use pqbench::compare::{Options, compare, render_gate};
use pqbench::env::Environment;
use pqbench::report::MarkupStyle;
use pqbench::results::{
    BenchResult, ProcessSamples, Recording, ResultsFile, Unit, load, write_atomic,
};
use pqbench_stats::power::issue_model;
use pqbench_stats::simulate::{SimRng, side};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Writes one side of a shape: `benchmarks` results of `reps` x `samples`.
fn write_side(
    path: &Path,
    benchmarks: usize,
    reps: usize,
    samples: usize,
    slower: f64,
    seed: u64,
) -> anyhow::Result<()> {
    let s = issue_model(reps, samples, 0.0);
    let mut rng = SimRng::new(seed, 0);
    let mut f = ResultsFile::new(Environment::default());
    f.complete = true;
    for b in 0..benchmarks {
        let scale = 1000.0 * (1.0 + b as f64 / 10.0) * if b % 10 == 0 { slower } else { 1.0 };
        let processes = side(&s, scale, &mut rng)
            .into_iter()
            .map(|samples| ProcessSamples { samples })
            .collect();
        f.results.push(BenchResult::measured(
            format!("synthetic/bench{b:03}/x/1"),
            "host".into(),
            Unit::Ns,
            Recording::SingleOp,
            1,
            processes,
        )?);
    }
    write_atomic(path, &f)?;
    Ok(())
}

/// CPU time of this process (all threads) in seconds, from Linux
/// `/proc/self/stat` (user + system, 10 ms ticks assumed); `NaN` elsewhere.
/// On a busy machine the wall time also counts waiting for a core.
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the parenthesised command name; utime and stime
            // are fields 14 and 15 of the whole line.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / 100.0)
        })
        .unwrap_or(f64::NAN)
}

fn main() -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let threads = rayon::current_num_threads();
    println!(
        "compare/gate with the defaults, {threads} rayon thread(s); files in {}",
        dir.display()
    );
    for (b, r, n) in [(120, 2, 5_000), (120, 10, 1_000), (1, 10, 100_000)] {
        let name = format!("{b}x{r}x{n}");
        let (bp, np) = (
            dir.join(format!("{name}-base.json")),
            dir.join(format!("{name}-new.json")),
        );
        write_side(&bp, b, r, n, 1.0, 11)?;
        write_side(&np, b, r, n, 1.01, 12)?;
        let options = Options {
            alpha: 0.01,
            ..Options::default()
        };
        let (t0, c0) = (Instant::now(), cpu());
        let (base, new) = (load(&bp)?, load(&np)?);
        let (t1, c1) = (Instant::now(), cpu());
        let c = compare(&base, &new, &options);
        let (t2, c2) = (Instant::now(), cpu());
        std::hint::black_box(render_gate(&c, MarkupStyle::Plain));
        std::hint::black_box(pqbench::results::nonfinite::to_vec_pretty(&c)?);
        let (t3, c3) = (Instant::now(), cpu());
        println!(
            "{b} benchmarks x {r} replications x {n} samples per side: wall {:.3} s (load both {:.3}, compare {:.3}, render + JSON {:.3}); CPU of the process {:.2} s (load {:.2}, compare {:.2}); {} regressed",
            (t3 - t0).as_secs_f64(),
            (t1 - t0).as_secs_f64(),
            (t2 - t1).as_secs_f64(),
            (t3 - t2).as_secs_f64(),
            c3 - c0,
            c1 - c0,
            c2 - c1,
            c.regressions().count()
        );
    }
    Ok(())
}
