//! `pqbench gate --summary FILE`: the Markdown job summary puts the
//! regressions first, the undecidable rows next and folds the rest, and is
//! appended to `$GITHUB_STEP_SUMMARY` when that is set. Real binary,
//! constructed files.

use pqbench::env::Environment;
use pqbench::results::{BenchResult, ProcessSamples, Recording, ResultsFile, Unit, write_atomic};
use std::path::{Path, PathBuf};
use std::process::Command;

fn timing(id: &str, processes: usize, scale: f64) -> BenchResult {
    BenchResult::measured(
        id.into(),
        "host".into(),
        Unit::Ns,
        Recording::SingleOp,
        1,
        (0..processes)
            .map(|p| ProcessSamples {
                samples: (0..40)
                    .map(|i| scale * (1000.0 + ((p * 13 + i * 7) % 17) as f64))
                    .collect(),
            })
            .collect(),
    )
    .unwrap()
}

fn file(dir: &Path, name: &str, slow: f64) -> PathBuf {
    let mut f = ResultsFile::new(Environment::default());
    f.complete = true;
    f.results = vec![
        timing("suite/same/impl/-", 6, 1.0),
        timing("suite/slow/impl/-", 6, slow),
        timing("suite/single/impl/-", 1, 1.0),
    ];
    let p = dir.join(name);
    write_atomic(&p, &f).unwrap();
    p
}

#[test]
fn summary_orders_regressions_undecidable_then_folded_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let base = file(tmp.path(), "base.json", 1.0);
    let new = file(tmp.path(), "new.json", 1.3);
    let summary = tmp.path().join("summary.md");
    let step = tmp.path().join("step.md");
    std::fs::write(&step, "earlier step\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .args([
            "gate",
            base.to_str().unwrap(),
            new.to_str().unwrap(),
            "--resamples",
            "200",
        ])
        .arg("--summary")
        .arg(&summary)
        .env("GITHUB_STEP_SUMMARY", &step)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("## pqbench gate: FAIL"), "{md}");
    let at = |s: &str| {
        md.find(s)
            .unwrap_or_else(|| panic!("{s:?} missing in\n{md}"))
    };
    assert!(at("### Regressions (1)") < at("`suite/slow/impl/-@host`"));
    assert!(at("`suite/slow/impl/-@host`") < at("### Undecidable (1)"));
    assert!(at("### Undecidable (1)") < at("`suite/single/impl/-@host`"));
    assert!(at("`suite/single/impl/-@host`") < at("<details>"));
    assert!(at("<details>") < at("`suite/same/impl/-@host`"));
    assert!(at("`suite/same/impl/-@host`") < at("</details>"));
    assert!(md.contains("fewer than 2 replications"));
    assert!(md.contains("alpha 0.01") && md.contains("tolerance 0.50%") && md.contains("Holm"));
    let appended = std::fs::read_to_string(&step).unwrap();
    assert_eq!(appended, format!("earlier step\n{md}\n"));
}

#[test]
fn passing_summary_without_github_actions() {
    let tmp = tempfile::tempdir().unwrap();
    let base = file(tmp.path(), "base.json", 1.0);
    let new = file(tmp.path(), "new.json", 1.0);
    let summary = tmp.path().join("s.md");
    let out = Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .args([
            "gate",
            base.to_str().unwrap(),
            new.to_str().unwrap(),
            "--resamples",
            "200",
        ])
        .args(["--allow-inconclusive", "--summary"])
        .arg(&summary)
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("## pqbench gate: pass"), "{md}");
    assert!(md.contains("### Regressions (0)\n\nNone."), "{md}");
}
