//! Integration tests of the `pqbench` binary: real runs with tiny budgets,
//! real signals, real corrupt files.

use pqbench::results::{self, Recording, Status};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn pqbench() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pqbench"));
    c.env("CI", "1");
    c
}

fn run_ok(args: &[&str]) -> Output {
    let out = pqbench().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "pqbench {args:?} failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Waits until `path` holds a results file with at least `n` results.
fn wait_for_results(child: &mut Child, path: &Path, n: usize) {
    let start = Instant::now();
    loop {
        if let Ok(f) = results::load(path)
            && f.results.len() >= n
        {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("pqbench exited early with {status}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no results after 60 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .arg(sig)
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(ok.success());
}

#[test]
fn run_then_show_and_export() {
    let dir = tmp();
    let out_path = dir.path().join("out.json");
    let out = out_path.to_str().unwrap();
    let run = run_ok(&[
        "run",
        "-f",
        "hash/sha256.digest/rustcrypto/1KiB",
        "--bench-time",
        "200ms",
        "-o",
        out,
    ]);
    assert!(text(&run.stdout).contains("hash/sha256.digest/rustcrypto/1KiB"));

    let file = results::load(&out_path).unwrap();
    assert!(file.complete);
    assert_eq!(file.results.len(), 1);
    let r = &file.results[0];
    assert_eq!(r.status, Status::Ok);
    // 16 replications by default (was 2, then 10; the power simulation in
    // pqbench-stats's `power` module and real runs chose 16, see
    // docs/evidence.md).
    assert_eq!(r.processes.len(), 16, "sixteen replications by default");
    assert!(r.processes.iter().all(|p| !p.samples.is_empty()));
    assert!(r.processes.iter().all(|p| p.samples.len() <= 1_000));
    let s = r.summary.unwrap();
    assert_eq!(s.processes, 16);
    let h = r.decoded_histogram().unwrap().unwrap();
    assert_eq!(h.len(), s.samples);
    let timer = r.timer.unwrap();
    assert!(timer.overhead > 0.0 && timer.resolution >= 1.0);
    assert!(file.environment.host_timer.is_some());
    assert!(file.environment.cpu_model.is_some());
    // Every process uses the first one's calibration; each is a fresh one.
    let per_process = r.details["per_process"].as_array().unwrap();
    assert_eq!(per_process.len(), 16);
    let pids: std::collections::BTreeSet<String> =
        per_process.iter().map(|p| p["pid"].to_string()).collect();
    assert_eq!(pids.len(), 16, "one fresh worker per replication");
    if r.recording == Recording::SingleOp {
        assert_eq!(r.iterations_per_sample, 1);
    } else {
        assert!(r.iterations_per_sample >= 2);
    }

    let show = text(&run_ok(&["show", out]).stdout);
    for needle in [
        "p50", "p90", "p99", "p99.9", "max", "timer", "overhead", "CPU", "rustc",
    ] {
        assert!(show.contains(needle), "show lacks {needle}:\n{show}");
    }

    let csv = text(&run_ok(&["export", out, "--format", "csv"]).stdout);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("id,target,unit,status,"));
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("hash/sha256.digest/rustcrypto/1KiB,host,ns,ok,")
    );

    let md = text(&run_ok(&["export", out, "--format", "md"]).stdout);
    assert!(md.lines().nth(1).unwrap().starts_with("|----"), "{md}");

    let json_path = dir.path().join("rows.json");
    run_ok(&[
        "export",
        out,
        "--format",
        "json",
        "-o",
        json_path.to_str().unwrap(),
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let row = &v["rows"][0];
    assert_eq!(row["hdr_count"], s.samples);
    assert_eq!(row["hdr_p50"], h.value_at_quantile(0.5));
}

#[test]
fn sigint_saves_completed_benchmarks_and_exits_130() {
    let dir = tmp();
    let out_path = dir.path().join("partial.json");
    let mut child = pqbench()
        .args(["run", "--suite", "hash", "--bench-time", "400ms", "-o"])
        .arg(&out_path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_results(&mut child, &out_path, 1);
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("interrupted"));
    let file = results::load(&out_path).unwrap();
    assert!(!file.complete, "an interrupted run is marked incomplete");
    assert!(!file.results.is_empty() && file.results.len() < 6);
    for r in &file.results {
        assert_eq!(r.status, Status::Ok, "only whole benchmarks are saved");
        // The default replication count (16).
        assert_eq!(r.processes.len(), 16);
    }
}

#[test]
fn sigkill_leaves_a_loadable_file() {
    let dir = tmp();
    let out_path = dir.path().join("killed.json");
    let mut child = pqbench()
        .args(["run", "--suite", "hash", "--bench-time", "300ms", "-o"])
        .arg(&out_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_results(&mut child, &out_path, 1);
    signal(&child, "-KILL");
    let _ = child.wait();
    let file = results::load(&out_path).unwrap();
    assert!(!file.complete);
    assert!(!file.results.is_empty());
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

#[test]
fn corrupt_and_foreign_files_are_rejected_by_name() {
    let dir = tmp();
    let cases = [
        ("garbage.json", "\u{7f}ELF\u{2}\u{1}", "not a JSON file"),
        (
            "truncated.json",
            "{\"schema_version\": \"1.0\", \"resu",
            "not a JSON file",
        ),
        (
            "package.json",
            "{\"name\": \"left-pad\"}",
            "no \"schema_version\"",
        ),
        (
            "future.json",
            "{\"schema_version\": \"9.0\", \"results\": []}",
            "unsupported results schema version \"9.0\"",
        ),
    ];
    for (name, content, problem) in cases {
        let p = write(dir.path(), name, content);
        for cmd in [&["show"][..], &["export", "--format", "csv"][..]] {
            let out = pqbench().args(cmd).arg(&p).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{name}");
            let err = text(&out.stderr);
            assert!(err.contains(&*p.to_string_lossy()), "{name}: {err}");
            assert!(err.contains(problem), "{name}: {err}");
        }
    }
    let out = pqbench()
        .args(["show", "/nonexistent.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent.json: reading"));
}

#[test]
fn help_list_and_usage_errors() {
    let help = text(&run_ok(&["--help"]).stdout);
    assert!(
        help.contains("Exit codes:") && help.contains("130") && help.contains("143"),
        "{help}"
    );
    assert!(
        help.contains("fresh QEMU launches / board resets on")
            && help.contains("fresh worker processes on the host and TFLite"),
        "{help}"
    );
    let run_help = text(&run_ok(&["run", "--help"]).stdout);
    assert!(run_help.contains("--replications"), "{run_help}");
    assert!(help.contains("Examples:"));

    let list = text(&run_ok(&["list", "--suite", "hash"]).stdout);
    assert!(
        list.contains("hash/sha3-256.digest/rustcrypto/1MiB"),
        "{list}"
    );
    let targets = text(&run_ok(&["list", "--targets"]).stdout);
    assert!(targets.contains("qemu:<board>") && targets.contains("edgetpu:<n>"));

    let dir = tmp();
    let out = dir.path().join("x.json");
    let bad_target = pqbench()
        .args(["run", "--target", "mars", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(bad_target.status.code(), Some(2));
    assert!(text(&bad_target.stderr).contains("unknown target \"mars\""));
    let nothing = pqbench()
        .args(["run", "-f", "no-such-benchmark", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(nothing.status.code(), Some(2));
    assert!(text(&nothing.stderr).contains("no benchmark matches"));
    assert!(!out.exists(), "nothing run, nothing written");
    let to_dir = pqbench()
        .args(["run", "-f", "sha256", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(to_dir.status.code(), Some(2));
    assert!(text(&to_dir.stderr).contains("is a directory"));
    let worker = pqbench()
        .args([
            "__worker",
            "--request",
            r#"{"kind":"host","id":"no/such/bench/x","seed":0,"budget_ns":1000,"max_samples":1,"forced":null}"#,
        ])
        .output()
        .unwrap();
    assert_eq!(worker.status.code(), Some(2));
    assert!(text(&worker.stderr).contains("no workload with id \"no/such/bench/x\""));
    let bad_budget = pqbench()
        .args(["run", "--bench-time", "soon"])
        .output()
        .unwrap();
    assert_eq!(bad_budget.status.code(), Some(2));
    for (args, says) in [
        (
            &["run", "--precision", "0.5%", "--order", "interleaved"][..],
            "needs --order sequential",
        ),
        (&["run", "--precision", "0%"][..], "above 0%"),
        (&["run", "--max-replications", "8"][..], "--precision"),
    ] {
        let out = pqbench().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains(says),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_workload_without_its_input_is_listed_unavailable_and_not_run() {
    let corpus = tmp();
    let list = |dir: &Path| {
        let out = pqbench()
            .env("PQBENCH_REALBIN_DIR", dir)
            .args(["list", "--suite", "detect"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let l = list(corpus.path());
    let line = l
        .lines()
        .find(|s| s.contains("detect/analyze.image/pqbench/realbin"))
        .unwrap_or_else(|| panic!("{l}"));
    assert!(
        line.contains("(unavailable: no real-binary corpus") && line.contains("realbin.py fetch"),
        "{line}"
    );
    let out = corpus.path().join("r.json");
    let run = pqbench()
        .env("PQBENCH_REALBIN_DIR", corpus.path())
        .args(["run", "-f", "realbin", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!run.status.success());
    assert!(
        text(&run.stderr).contains("realbin.py fetch"),
        "{}",
        text(&run.stderr)
    );
    // Control: a corpus with its manifest is available.
    std::fs::create_dir_all(corpus.path().join("amd64")).unwrap();
    std::fs::write(corpus.path().join("amd64/lib.so"), b"\x7fELF").unwrap();
    std::fs::write(corpus.path().join("MANIFEST.json"), b"{}").unwrap();
    let l = list(corpus.path());
    assert!(l.contains("detect/analyze.image/pqbench/realbin"), "{l}");
    assert!(!l.contains("unavailable: no real-binary corpus"), "{l}");
}
