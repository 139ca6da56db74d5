//! Provenance: a results file names the commit the binary was *built* from,
//! not the commit of whatever git repository it happens to run in.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn run_inside_another_repository_names_the_build_commit() {
    let built_from = pqbench::env::BUILD_GIT_COMMIT;
    // Cross-check the embedded value against the checkout this test was
    // compiled from (the same build): they must agree when git is there.
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Ok(o) = Command::new("git")
        .arg("-C")
        .arg(src)
        .args(["rev-parse", "HEAD"])
        .output()
        && o.status.success()
    {
        assert_eq!(built_from, String::from_utf8_lossy(&o.stdout).trim());
    }

    // Another repository with its own commit, used as cwd and PQBENCH_ROOT.
    let other = tempfile::tempdir().unwrap();
    git(other.path(), &["init", "-q"]);
    std::fs::write(other.path().join("README"), "another project\n").unwrap();
    git(other.path(), &["add", "README"]);
    git(other.path(), &["commit", "-q", "-m", "unrelated"]);
    // Uncommitted change to a tracked file: the other repo is dirty.
    std::fs::write(other.path().join("README"), "changed\n").unwrap();
    let other_head = git(other.path(), &["rev-parse", "HEAD"]);
    assert_ne!(other_head, built_from);

    // A `git` first on PATH that answers every question with the other
    // repository's HEAD: a binary that still asked git at run time (in any
    // directory) would record that commit.
    let bin = tempfile::tempdir().unwrap();
    let fake = bin.path().join("git");
    std::fs::write(&fake, format!("#!/bin/sh\necho {other_head}\n")).unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = std::env::join_paths(std::iter::once(bin.path().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();

    let out_path = other.path().join("out.json");
    let out = Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .current_dir(other.path())
        .env("PQBENCH_ROOT", other.path())
        .env("PATH", path)
        .env("CI", "1")
        .args([
            "run",
            "-f",
            "hash/sha256.digest/rustcrypto/1KiB",
            "--bench-time",
            "100ms",
            "-p",
            "1",
            "-o",
        ])
        .arg(&out_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pqbench run failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let file = pqbench::results::load(&out_path).unwrap();
    let env = &file.environment;
    assert_eq!(env.git_commit.as_deref(), Some(built_from));
    assert_ne!(env.git_commit.as_deref(), Some(other_head.as_str()));
    assert_eq!(env.git_dirty, pqbench::env::build_git_dirty());
    assert!(
        env.features.iter().any(|f| f == "pqbench-workloads/hash"),
        "{:?}",
        env.features
    );
}
