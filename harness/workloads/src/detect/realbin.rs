//! Detection workloads over the real-binary corpus (host, `std`): Debian 12
//! shared libraries for six ISAs and both byte orders, pinned and fetched by
//! `scripts/corpus/realbin.py fetch` (about 116 MB of compiled code, crypto
//! and non-crypto libraries). The synthetic images of the parent module stay
//! as the labelled best case; these are the real-input numbers.
//!
//! * `detect/scan.multi-pattern/pqbench/realbin`: the pqbench scanner over
//!   every file of the corpus, file by file, every hit;
//! * `detect/scan.multi-pattern/aho-corasick/realbin`: the same pattern set
//!   in `aho-corasick` (DFA, overlapping), the peer;
//! * `detect/analyze.image/pqbench/realbin`: `Detector::analyze` of every
//!   file (ELF load + scan + words + limbs + entropy + evidence), one core.
//!
//! The corpus directory is `$PQBENCH_REALBIN_DIR`, else
//! `${XDG_CACHE_HOME:-$HOME/.cache}/pqbench/realbin` (where the script puts
//! it); it counts as present when its `MANIFEST.json` (written by the script
//! after a complete, verified fetch) exists. Without it the workloads say so
//! through [`Workload::unavailable`] (the host lists them as unavailable
//! and does not run them), and `setup` panics with the same message.

use crate::{BenchId, StaticMetric, Throughput, Workload};
use aho_corasick::AhoCorasick;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::hint::black_box;
use pqbench_detect::analyze::Detector;
use pqbench_detect::scan::Scanner;
use pqbench_detect::sigdb;
use std::path::{Path, PathBuf};

/// The id's parameter of every real-corpus workload.
pub const PARAM: &str = "realbin";

/// The corpus directory (whether or not it exists).
pub fn corpus_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("PQBENCH_REALBIN_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))?;
    Some(base.join("pqbench").join("realbin"))
}

/// Why the corpus cannot be used, or `None` when it is present.
pub fn missing() -> Option<String> {
    missing_in(corpus_dir())
}

/// Why `dir` is not a usable corpus (`None` when it is).
fn missing_in(dir: Option<PathBuf>) -> Option<String> {
    let fetch = "fetch it with `scripts/corpus/realbin.py fetch` (or set PQBENCH_REALBIN_DIR)";
    match dir {
        None => Some(std::format!(
            "no real-binary corpus: HOME is not set; {fetch}"
        )),
        Some(d) if !d.join("MANIFEST.json").is_file() => Some(std::format!(
            "no real-binary corpus in {} (no MANIFEST.json); {fetch}",
            d.display()
        )),
        Some(_) => None,
    }
}

/// Every corpus file's bytes, in path order (names starting with '.' and
/// the manifest skipped).
pub fn load(dir: &Path) -> std::io::Result<Vec<Vec<u8>>> {
    let mut paths = Vec::new();
    walk(dir, &mut paths)?;
    paths.sort();
    paths.iter().map(std::fs::read).collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        let skip = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_none_or(|n| n.starts_with('.') || n == "MANIFEST.json");
        if skip {
            continue;
        }
        let m = std::fs::symlink_metadata(&p)?;
        if m.is_dir() {
            walk(&p, out)?;
        } else if m.is_file() {
            out.push(p);
        }
    }
    Ok(())
}

/// The kernels timed over the corpus.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kernel {
    Scan,
    AhoCorasick,
    Analyze,
}

enum State {
    Empty,
    Scan(Box<Scanner>),
    Ac(AhoCorasick),
    Analyze(Box<Detector>),
}

struct RealbinWorkload {
    kernel: Kernel,
    files: Vec<Vec<u8>>,
    state: State,
}

impl Workload for RealbinWorkload {
    fn id(&self) -> BenchId {
        let (name, imp) = match self.kernel {
            Kernel::Scan => ("scan.multi-pattern", "pqbench"),
            Kernel::AhoCorasick => ("scan.multi-pattern", "aho-corasick"),
            Kernel::Analyze => ("analyze.image", "pqbench"),
        };
        BenchId::new("detect", name, imp, PARAM)
    }

    fn unavailable(&self) -> Option<String> {
        missing()
    }

    fn setup(&mut self, _seed: u64) {
        // The corpus is fixed input: the seed does not apply.
        if let Some(why) = missing() {
            panic!("{}: {why}", self.id());
        }
        let dir = corpus_dir().unwrap_or_default();
        self.files = match load(&dir) {
            Ok(f) if !f.is_empty() => f,
            Ok(_) => panic!("{}: no file in {}", self.id(), dir.display()),
            Err(e) => panic!("{}: cannot read {}: {e}", self.id(), dir.display()),
        };
        let db = sigdb::builtin();
        self.state = match self.kernel {
            Kernel::Scan => State::Scan(Box::new(Scanner::new(&db))),
            Kernel::AhoCorasick => match super::database_dfa(&db) {
                Ok(ac) => State::Ac(ac),
                Err(e) => panic!("{}: aho-corasick does not build: {e}", self.id()),
            },
            Kernel::Analyze => State::Analyze(Box::new(Detector::builtin())),
        };
    }

    fn run(&mut self) {
        let files = black_box(&self.files);
        let n: usize = match &self.state {
            State::Scan(sc) => files.iter().map(|f| sc.count(f)).sum(),
            State::Ac(ac) => files
                .iter()
                .map(|f| ac.find_overlapping_iter(&f[..]).count())
                .sum(),
            State::Analyze(d) => files
                .iter()
                .map(|f| d.analyze(f).map(|a| a.findings.len()).unwrap_or(0))
                .sum(),
            State::Empty => 0,
        };
        black_box(n);
    }

    fn throughput(&self) -> Option<Throughput> {
        let bytes: usize = self.files.iter().map(Vec::len).sum();
        (bytes > 0).then_some(Throughput::Bytes(bytes as u64))
    }

    fn static_metrics(&self) -> Vec<StaticMetric> {
        let mut m = Vec::new();
        if !self.files.is_empty() {
            m.push(StaticMetric {
                name: "corpus_files",
                value: self.files.len() as u64,
                unit: "files",
            });
        }
        m
    }
}

/// The real-corpus workloads (listed whether or not the corpus is present).
pub fn workloads() -> Vec<Box<dyn Workload>> {
    [Kernel::Scan, Kernel::AhoCorasick, Kernel::Analyze]
        .into_iter()
        .map(|kernel| -> Box<dyn Workload> {
            Box::new(RealbinWorkload {
                kernel,
                files: Vec::new(),
                state: State::Empty,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn ids_and_the_missing_corpus_message() {
        let ids: Vec<String> = workloads().iter().map(|w| w.id().to_string()).collect();
        assert_eq!(
            ids,
            [
                "detect/scan.multi-pattern/pqbench/realbin",
                "detect/scan.multi-pattern/aho-corasick/realbin",
                "detect/analyze.image/pqbench/realbin"
            ]
        );
        // A directory without a manifest is not a corpus.
        let d = std::env::temp_dir().join(std::format!("pqbench-realbin-{}", std::process::id()));
        std::fs::create_dir_all(d.join("amd64")).unwrap();
        std::fs::write(d.join("amd64").join("lib.so"), b"\x7fELF").unwrap();
        assert!(load(&d).unwrap().len() == 1);
        let why = missing_in(Some(d.clone())).expect("no manifest: missing");
        assert!(why.contains("realbin.py fetch"), "{why}");
        std::fs::write(d.join("MANIFEST.json"), b"{}").unwrap();
        assert_eq!(missing_in(Some(d.clone())), None);
        assert!(
            load(&d).unwrap().len() == 1,
            "the manifest is not a corpus file"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
