//! Integration tests of `pqbench scan` on the real binary: `--eval` with
//! missing labelled images, `--skip-missing`, families without labelled
//! images; `--no-entropy`.

use std::path::Path;
use std::process::{Command, Output};

/// A temporary corpus: `fw.bin` (two P-256 constants planted), `ctl.bin`
/// (zeros), and `labels.tsv` with the given extra lines.
fn corpus(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut img = vec![0x5au8; 4096];
    for s in pqbench_detect::sigdb::builtin()
        .iter()
        .filter(|s| s.constant == "p-256.p" || s.constant == "p-256.b")
        .take(2)
    {
        img.extend_from_slice(s.bytes);
        img.extend_from_slice(&[0x11; 64]);
    }
    std::fs::write(dir.path().join("fw.bin"), &img).expect("write image");
    std::fs::write(dir.path().join("ctl.bin"), [0u8; 5000]).expect("write control");
    std::fs::write(
        dir.path().join("labels.tsv"),
        format!("# test corpus\nfw.bin\tecc\nctl.bin\tnone\n{extra}"),
    )
    .expect("write labels");
    dir
}

fn scan(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .arg("scan")
        .arg("--eval")
        .arg(dir.join("labels.tsv"))
        .args(args)
        .output()
        .expect("run pqbench");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_clean_corpus_passes_its_floors() {
    let dir = corpus("");
    let (code, out, err) = scan(
        dir.path(),
        &[
            "--min-precision",
            "1",
            "--min-recall",
            "1",
            "--min-family-recall",
            "ecc=1",
        ],
    );
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(out.contains("images evaluated: 2"), "{out}");
    assert!(out.contains("| ecc | 1 | 0 | 0 | 1.000 | 1.000 |"), "{out}");
}

#[test]
fn a_missing_labelled_image_is_an_error_naming_file_and_line() {
    let dir = corpus("gone.elf\tsha\n");
    let (code, out, err) = scan(dir.path(), &[]);
    assert_eq!(code, Some(2), "{out}\n{err}");
    assert!(err.contains("labels.tsv:4: labelled image"), "{err}");
    assert!(err.contains("gone.elf does not exist"), "{err}");
    assert!(out.is_empty(), "no report on error: {out}");
}

#[test]
fn skip_missing_evaluates_the_rest_and_says_how_many_were_skipped() {
    let dir = corpus("gone.elf\tsha\nalso-gone.elf\tecc\n");
    let (code, out, err) = scan(dir.path(), &["--skip-missing"]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(out.contains("images evaluated: 2"), "{out}");
    assert!(out.contains("2 labelled image(s) skipped"), "{out}");
    assert!(
        out.contains("labels.tsv:4: gone.elf does not exist"),
        "{out}"
    );
    assert!(
        out.contains("labels.tsv:5: also-gone.elf does not exist"),
        "{out}"
    );
}

#[test]
fn families_without_labelled_images_are_na_and_their_floors_fail() {
    let dir = corpus("");
    let (code, out, err) = scan(dir.path(), &[]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(out.contains("| sha | 0 | 0 | 0 | n/a | n/a |"), "{out}");
    assert!(!out.contains("| sha | 0 | 0 | 0 | 1.000"), "{out}");
    for floor in ["--min-family-recall", "--min-family-precision"] {
        let (code, out, err) = scan(dir.path(), &[floor, "sha=0.5"]);
        assert_eq!(code, Some(1), "{floor}: {out}\n{err}");
        assert!(out.contains("no labelled images of family sha"), "{out}");
    }
}

/// `--no-entropy`: the same findings and hits, and a report that says the
/// map was not made (JSON `null`, table "entropy not mapped").
#[test]
fn no_entropy_keeps_the_findings_and_says_the_map_was_not_made() {
    let dir = corpus("");
    let fw = dir.path().join("fw.bin");
    let mut img = std::fs::read(&fw).expect("read image");
    let mut x = 0x2545_f491_4f6c_dd1du64;
    img.extend((0..8192).map(|_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 32) as u8
    }));
    std::fs::write(&fw, &img).expect("write image");
    let json = |extra: &[&str]| -> serde_json::Value {
        let out = Command::new(env!("CARGO_BIN_EXE_pqbench"))
            .args(["scan", "--format", "json"])
            .args(extra)
            .arg(&fw)
            .output()
            .expect("run pqbench");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        serde_json::from_slice(&out.stdout).expect("JSON report")
    };
    let (full, fast) = (json(&[]), json(&["--no-entropy"]));
    let (full, fast) = (&full["files"][0], &fast["files"][0]);
    assert!(
        full["high_entropy"]
            .as_array()
            .is_some_and(|v| !v.is_empty()),
        "{full}"
    );
    assert!(fast["high_entropy"].is_null(), "{fast}");
    assert_eq!(full["families"], serde_json::json!(["ecc"]));
    for key in ["findings", "hits", "families", "bytes"] {
        assert_eq!(full[key], fast[key], "{key}");
    }
    let table = Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .args(["scan", "--no-entropy"])
        .arg(&fw)
        .output()
        .expect("run pqbench");
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("entropy not mapped"), "{text}");
}
