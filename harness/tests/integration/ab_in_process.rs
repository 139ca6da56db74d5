//! `pqbench ab --in-process` with real workload libraries: the `pqbench-abi`
//! cdylib is built once per test binary (its own target directory under
//! `CARGO_TARGET_TMPDIR`, hash suite only), and once more with the
//! `abi-test-mismatch` feature (another ABI version). An A/A run (one build
//! twice) is not flagged; a 10 % slowdown of the candidate library only is
//! flagged (exit 1) with the ratio near 1.10; mismatched ABIs, a file that
//! is not a library, a library without the symbols and a missing file are
//! refused with exit 2 and a message naming the problem; SIGINT keeps the
//! completed replications (exit 130).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const BENCH: &str = "hash/sha256.digest/rustcrypto/1KiB";

struct Libs {
    _dir: tempfile::TempDir,
    good: PathBuf,
    mismatch: PathBuf,
}

/// Builds the cdylib (default features, then `abi-test-mismatch`) and keeps
/// a copy of each.
fn libs() -> &'static Libs {
    static LIBS: OnceLock<Libs> = OnceLock::new();
    LIBS.get_or_init(|| {
        let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("abi-build");
        let dir = tempfile::tempdir().unwrap();
        let build = |features: &[&str], name: &str| -> PathBuf {
            let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
            c.args([
                "build",
                "-q",
                "--locked",
                "-p",
                "pqbench-abi",
                "--target-dir",
            ])
            .arg(&target)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
            for f in features {
                c.args(["--features", f]);
            }
            let out = c.output().unwrap();
            assert!(
                out.status.success(),
                "building pqbench-abi: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let to = dir.path().join(name);
            std::fs::copy(target.join("debug/libpqbench_abi.so"), &to).unwrap();
            to
        };
        let good = build(&[], "good.so");
        let mismatch = build(&["abi-test-mismatch"], "mismatch.so");
        Libs {
            _dir: dir,
            good,
            mismatch,
        }
    })
}

fn ab(a: &Path, b: &Path, extra: &[&str], json: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .env_remove("PQBENCH_INJECT_SLOWDOWN_PCT")
        .args(["ab", "--in-process", "-f", BENCH, "--baseline-lib"])
        .arg(a)
        .arg("--candidate-lib")
        .arg(b)
        .args(["--replications", "6", "--bench-time", "150ms", "--json"])
        .arg(json)
        .args(extra)
        .output()
        .unwrap()
}

fn report(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_a_is_not_flagged_and_the_report_has_the_pairs() {
    let l = libs();
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("aa.json");
    let out = ab(&l.good, &l.good, &["--placement", "random"], &json);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = report(&json);
    assert_eq!(r["mode"], "in-process");
    assert_eq!(r["candidate_slowdown_pct"], 0.0);
    assert_eq!(r["stop"]["reason"], "round_limit");
    let row = &r["rows"][0];
    assert_eq!(row["id"], BENCH);
    assert_ne!(row["verdict"], "regressed");
    assert_eq!(row["ratios"].as_array().unwrap().len(), 6);
    let ratio = row["analysis"]["geomean"]["estimate"].as_f64().unwrap();
    assert!((0.98..1.02).contains(&ratio), "A/A ratio {ratio}");
    let reps = r["replications"].as_array().unwrap();
    assert_eq!(reps.len(), 6);
    let pids: std::collections::BTreeSet<u64> =
        reps.iter().map(|p| p["pid"].as_u64().unwrap()).collect();
    assert_eq!(pids.len(), 6, "one process per replication");
    // With --placement random, each replication process gets its own
    // placement, drawn from the seed.
    let placements: std::collections::BTreeSet<String> = reps
        .iter()
        .map(|p| p["placement"]["env_pad"].to_string())
        .collect();
    assert!(
        placements.len() >= 5 && !placements.contains("null"),
        "{placements:?}"
    );
    for p in reps {
        let b = &p["benches"][0];
        let blocks = b["blocks"].as_u64().unwrap();
        let first = b["baseline_first"].as_u64().unwrap();
        assert!(blocks >= 10, "{b}");
        // Random order: both orders occur, roughly half each.
        assert!(first > blocks / 5 && first < blocks * 4 / 5, "{b}");
    }
}

#[test]
fn a_slowed_candidate_is_flagged() {
    let l = libs();
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("slow.json");
    let out = ab(&l.good, &l.good, &["--candidate-slowdown", "10%"], &json);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("harness validation"),
        "{}",
        stderr(&out)
    );
    let r = report(&json);
    assert_eq!(r["candidate_slowdown_pct"], 10.0);
    assert_eq!(r["rows"][0]["verdict"], "regressed");
    assert_eq!(r["regressed"][0], format!("{BENCH}@host"));
    let ratio = r["rows"][0]["analysis"]["geomean"]["estimate"]
        .as_f64()
        .unwrap();
    assert!((1.06..1.16).contains(&ratio), "ratio {ratio}");
}

#[test]
fn different_abi_versions_are_refused() {
    let l = libs();
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("x.json");
    let out = ab(&l.good, &l.mismatch, &[], &json);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(e.contains("incompatible workload libraries"), "{e}");
    assert!(e.contains("ABI version 0x0001"), "{e}");
    assert!(e.contains("has 0x7fff"), "{e}");
    assert!(!json.exists());
    // Both sides of the same foreign ABI: named against this pqbench's.
    let out = ab(&l.mismatch, &l.mismatch, &[], &json);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("this pqbench speaks 0x0001"),
        "{}",
        stderr(&out)
    );
}

/// The C library this test process has loaded: a real shared library
/// without the pqbench symbols.
fn libc_path() -> PathBuf {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    maps.lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .find(|p| p.contains("/libc.so") || p.contains("/libc-"))
        .map(PathBuf::from)
        .expect("libc in /proc/self/maps")
}

#[test]
fn files_that_are_not_workload_libraries_are_refused() {
    let l = libs();
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("x.json");
    let text = dir.path().join("not-a-lib.so");
    std::fs::write(&text, "hello").unwrap();
    let cases: [(PathBuf, &str); 3] = [
        (text, "cannot load"),
        (libc_path(), "is not a pqbench workload library"),
        (dir.path().join("missing.so"), "no such file"),
    ];
    for (bad, want) in cases {
        for (a, b) in [(&l.good, &bad), (&bad, &l.good)] {
            let out = ab(a, b, &[], &json);
            assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
            let e = stderr(&out);
            assert!(e.contains(want), "{bad:?}: {e}");
            assert!(e.contains(&bad.display().to_string()), "{e}");
        }
    }
}

#[test]
fn sigint_keeps_the_completed_replications() {
    let l = libs();
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("int.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .env_remove("PQBENCH_INJECT_SLOWDOWN_PCT")
        .args(["ab", "--in-process", "-f", BENCH, "--baseline-lib"])
        .arg(&l.good)
        .arg("--candidate-lib")
        .arg(&l.good)
        .args(["--replications", "1000", "--bench-time", "100ms", "--json"])
        .arg(&json)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for two replications (progress lines on stderr), then SIGINT.
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut seen = 0;
    let mut line = String::new();
    while seen < 2 {
        line.clear();
        assert!(
            std::io::BufRead::read_line(&mut err, &mut line).unwrap() > 0,
            "no progress"
        );
        seen += usize::from(line.starts_with("replication "));
    }
    // SAFETY: signalling our own child process by its id.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let t = std::time::Instant::now();
    let status = child.wait().unwrap();
    assert!(t.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(status.code(), Some(130));
    let r = report(&json);
    assert_eq!(r["stop"]["reason"], "interrupted");
    let n = r["replications"].as_array().unwrap().len();
    assert!((2..1000).contains(&n), "{n}");
    assert_eq!(r["rows"][0]["ratios"].as_array().unwrap().len(), n);
}
