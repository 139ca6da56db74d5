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

/// Compiles `harness/build.rs` on its own and runs it with
/// `CARGO_MANIFEST_DIR` = `manifest`, returning its `cargo:` lines.
fn run_build_script(bin: &Path, manifest: &Path) -> Vec<String> {
    let out = Command::new(bin)
        .env("CARGO_MANIFEST_DIR", manifest)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn value<'a>(lines: &'a [String], key: &str) -> &'a str {
    let prefix = format!("cargo:rustc-env={key}=");
    lines
        .iter()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{key} not emitted: {lines:?}"))
}

#[test]
fn build_script_handles_tarballs_foreign_repos_and_worktrees() {
    let tmp = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("build.rs");
    let bin = tmp.path().join("build-script");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let st = Command::new(rustc)
        .args(["--edition", "2024", "-o"])
        .arg(&bin)
        .arg(&src)
        .status()
        .unwrap();
    assert!(st.success());

    // 1. A tarball: no git anywhere above the sources.
    let tarball = tmp.path().join("tarball/harness");
    std::fs::create_dir_all(&tarball).unwrap();
    std::fs::copy(&src, tarball.join("build.rs")).unwrap();
    let l = run_build_script(&bin, &tarball);
    assert_eq!(value(&l, "PQBENCH_GIT_COMMIT"), "unknown");
    assert_eq!(value(&l, "PQBENCH_GIT_DIRTY"), "unknown");

    // 2. The same sources unpacked inside someone else's repository, which
    //    does not track them: still unknown, never that repository's commit.
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir_all(foreign.join("vendor/harness")).unwrap();
    git(&foreign, &["init", "-q"]);
    std::fs::write(foreign.join("README"), "x\n").unwrap();
    git(&foreign, &["add", "README"]);
    git(&foreign, &["commit", "-q", "-m", "x"]);
    std::fs::copy(&src, foreign.join("vendor/harness/build.rs")).unwrap();
    let l = run_build_script(&bin, &foreign.join("vendor/harness"));
    assert_eq!(value(&l, "PQBENCH_GIT_COMMIT"), "unknown");

    // 3. A checkout that tracks the sources, built from a linked worktree
    //    (`.git` is a file there): its commit, clean then dirty, and the
    //    worktree's HEAD, index and branch ref are watched.
    let main = tmp.path().join("main");
    std::fs::create_dir_all(main.join("harness")).unwrap();
    git(&main, &["init", "-q", "-b", "trunk"]);
    std::fs::copy(&src, main.join("harness/build.rs")).unwrap();
    git(&main, &["add", "harness/build.rs"]);
    git(&main, &["commit", "-q", "-m", "sources"]);
    let wt = tmp.path().join("wt");
    git(
        &main,
        &["worktree", "add", "-q", "-b", "side", wt.to_str().unwrap()],
    );
    assert!(wt.join(".git").is_file());
    let head = git(&wt, &["rev-parse", "HEAD"]);
    let l = run_build_script(&bin, &wt.join("harness"));
    assert_eq!(value(&l, "PQBENCH_GIT_COMMIT"), head);
    assert_eq!(value(&l, "PQBENCH_GIT_DIRTY"), "false");
    let gitdir = std::fs::canonicalize(main.join(".git")).unwrap();
    let watched: Vec<std::path::PathBuf> = l
        .iter()
        .filter_map(|x| x.strip_prefix("cargo:rerun-if-changed="))
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    for want in [
        gitdir.join("worktrees/wt/HEAD"),
        gitdir.join("worktrees/wt/index"),
        gitdir.join("refs/heads/side"),
        std::fs::canonicalize(wt.join("harness/build.rs")).unwrap(),
    ] {
        assert!(
            watched.contains(&want),
            "{} not watched: {watched:?}",
            want.display()
        );
    }
    std::fs::write(wt.join("harness/build.rs"), "// edited\n").unwrap();
    let l = run_build_script(&bin, &wt.join("harness"));
    assert_eq!(value(&l, "PQBENCH_GIT_DIRTY"), "true");
}
