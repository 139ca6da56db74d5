//! `pqbench show FILE | head`: a reader that closes the pipe early ends a
//! printing command quietly (no panic message, no backtrace).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

#[test]
fn show_into_a_closed_pipe_ends_without_a_panic() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../results/reports/host-main.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .arg("show")
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close our end, as `head -1` does.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("results"), "{first}");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
}
