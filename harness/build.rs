//! Records build facts for the environment block of results files, so that
//! a results file names what the *binary* was built from, wherever and
//! whenever it runs:
//!
//! * rustc version, profile, optimisation level, target triple, the
//!   `pqbench` crate's features (`CARGO_FEATURE_*`);
//! * the git commit and dirty flag (uncommitted changes to tracked files) of
//!   the checkout being built, or `unknown` when the sources are not a git
//!   checkout (a crates.io-style tarball, an export) or git is missing.
//!
//! Nothing time-dependent (no build timestamp) is embedded, so two builds of
//! the same tree with the same toolchain embed the same facts.
//!
//! Rebuild triggers: `HEAD`, the current branch's ref (loose and packed),
//! the index, and every tracked file (so an edit that makes the tree dirty,
//! or undoes it, re-runs this script). Worktrees, where `.git` is a file
//! pointing at `<common>/worktrees/<name>`, are followed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(&rustc)
        .arg("-V")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!("cargo:rustc-env=PQBENCH_RUSTC_VERSION={version}");
    for (key, var) in [
        ("PQBENCH_PROFILE", "PROFILE"),
        ("PQBENCH_OPT_LEVEL", "OPT_LEVEL"),
        ("PQBENCH_TARGET", "TARGET"),
        ("PQBENCH_DEBUG", "DEBUG"),
    ] {
        println!(
            "cargo:rustc-env={key}={}",
            std::env::var(var).unwrap_or_default()
        );
    }
    let mut features: Vec<String> = std::env::vars()
        .filter_map(|(k, _)| {
            k.strip_prefix("CARGO_FEATURE_")
                .map(|f| f.to_lowercase().replace('_', "-"))
        })
        .collect();
    features.sort();
    println!("cargo:rustc-env=PQBENCH_FEATURES={}", features.join(","));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");

    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let git = git_facts(&manifest);
    let (commit, dirty) = match &git {
        Some(g) => (g.commit.as_str(), if g.dirty { "true" } else { "false" }),
        None => ("unknown", "unknown"),
    };
    println!("cargo:rustc-env=PQBENCH_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=PQBENCH_GIT_DIRTY={dirty}");
    if let Some(g) = git {
        for f in g.watch {
            println!("cargo:rerun-if-changed={}", f.display());
        }
    }
}

/// What git says about the checkout being built.
struct GitFacts {
    commit: String,
    dirty: bool,
    /// Files whose change must re-run this script.
    watch: Vec<PathBuf>,
}

/// `None` when `dir` is not inside a git checkout that tracks this crate, or
/// git is unavailable.
fn git_facts(dir: &Path) -> Option<GitFacts> {
    // Only trust a checkout that tracks this very file: sources unpacked
    // inside some other repository must not take that repository's commit.
    let tracked = git(dir, &["ls-files", "--", "build.rs"])?;
    if tracked.is_empty() {
        return None;
    }
    let commit = git(dir, &["rev-parse", "HEAD"]).filter(|c| !c.is_empty())?;
    let status = git(
        dir,
        &[
            "--no-optional-locks",
            "status",
            "--porcelain",
            "--untracked-files=no",
        ],
    )?;
    let top = PathBuf::from(git(dir, &["rev-parse", "--show-toplevel"])?);
    let mut watch = git_metadata_files(&top);
    if let Some(files) = git(&top, &["ls-files", "-z"]) {
        watch.extend(
            files
                .split('\0')
                .filter(|f| !f.is_empty())
                .map(|f| top.join(f)),
        );
    }
    Some(GitFacts {
        commit,
        dirty: !status.is_empty(),
        watch,
    })
}

/// `HEAD`, the index, the current ref (loose file and `packed-refs`) of the
/// checkout at `top`, following a `.git` *file* (worktrees, submodules) to
/// its git directory and a `commondir` to the shared refs.
fn git_metadata_files(top: &Path) -> Vec<PathBuf> {
    let dot_git = top.join(".git");
    let git_dir = if dot_git.is_file() {
        let Some(target) = std::fs::read_to_string(&dot_git).ok().and_then(|s| {
            s.trim()
                .strip_prefix("gitdir:")
                .map(|p| p.trim().to_string())
        }) else {
            return vec![dot_git];
        };
        let p = PathBuf::from(target);
        if p.is_absolute() { p } else { top.join(p) }
    } else {
        dot_git
    };
    let common = std::fs::read_to_string(git_dir.join("commondir"))
        .ok()
        .map(|c| {
            let p = PathBuf::from(c.trim());
            if p.is_absolute() { p } else { git_dir.join(p) }
        })
        .unwrap_or_else(|| git_dir.clone());
    let mut files = vec![git_dir.join("HEAD"), git_dir.join("index")];
    if let Some(r) = std::fs::read_to_string(git_dir.join("HEAD"))
        .ok()
        .and_then(|h| h.trim().strip_prefix("ref:").map(|r| r.trim().to_string()))
    {
        // Branch refs live in the common dir. A packed ref gets a loose
        // file when it moves, which changes its directory: watch the
        // directory then (cargo re-runs on every build when a watched path
        // does not exist, so only existing paths are listed).
        let loose = common.join(&r);
        if loose.is_file() {
            files.push(loose);
        } else if let Some(parent) = loose.parent().filter(|p| p.is_dir()) {
            files.push(parent.to_path_buf());
        }
        files.push(common.join("packed-refs"));
    }
    files.retain(|f| f.exists());
    files
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
