//! The files to scan and their analysis, in parallel over files.

use super::input::Input;
use crate::analyze::{Analysis, CHUNK, Detector};
use crate::loader::LoadError;
use rayon::prelude::*;
use std::format;
use std::io;
use std::path::{Path, PathBuf};
use std::string::String;
use std::vec::Vec;

/// Largest input [`analyze_file`] reads into the heap (bytes): standard
/// input, or a file that cannot be mapped. Mapped files have no limit.
pub const MAX_FILE: u64 = 1 << 30;

/// The path that names standard input.
pub const STDIN: &str = "-";

/// One scanned file.
#[derive(Clone, Debug)]
pub struct FileResult {
    /// The path as given (or as found in a directory).
    pub path: PathBuf,
    /// Its analysis, or why it could not be read or loaded.
    pub result: Result<Analysis, String>,
}

/// Expands `paths` into files: a directory contributes its files
/// recursively, in name order; anything else that is not a regular file is
/// skipped. A path that cannot be read is an error naming it.
pub fn collect_files(paths: &[PathBuf]) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    collect_into(paths, &mut out)?;
    Ok(out)
}

fn named(p: &Path, what: &str, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("cannot {what} {}: {e}", p.display()))
}

fn collect_into(paths: &[PathBuf], out: &mut Vec<PathBuf>) -> io::Result<()> {
    for p in paths {
        if p.as_os_str() == STDIN {
            out.push(p.clone());
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| named(p, "read", e))?;
        if meta.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| named(p, "list", e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            collect_into(&entries, out)?;
        } else if meta.is_file() {
            out.push(p.clone());
        }
    }
    Ok(())
}

/// Maps `path` (or reads it: standard input for [`STDIN`], or when the
/// file cannot be mapped) and analyses it; large segments are analysed in
/// parallel chunks ([`crate::analyze::chunks`]).
pub fn analyze_file(det: &Detector, path: &Path) -> Result<Analysis, String> {
    let input = Input::open(path)?;
    analyze_input(det, &input, CHUNK).map_err(|e| format!("cannot load: {e}"))
}

/// Analyses `input` in chunks of `chunk` bytes; a large mapped input
/// ([`Input::releases`]) drops the pages the analysis has finished with
/// from the resident set as it goes.
fn analyze_input(det: &Detector, input: &Input, chunk: usize) -> Result<Analysis, LoadError> {
    if input.releases() {
        det.analyze_releasing(input, chunk, &|r| input.release(r))
    } else {
        det.analyze_chunked(input, chunk)
    }
}

/// Analyses every file on the rayon thread pool; results are in the order
/// of `files`.
pub fn scan_files(det: &Detector, files: &[PathBuf]) -> Vec<FileResult> {
    files
        .par_iter()
        .map(|p| FileResult {
            path: p.clone(),
            result: analyze_file(det, p),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::input::resident;
    use super::*;
    use std::string::ToString;

    /// Analysis of a mapped ELF file whose pages are dropped while it is
    /// analysed (after every chunk, or the whole file at every report, at
    /// chunk sizes from 640 bytes) equals the analysis of its bytes in the
    /// heap; and the release leaves the file's pages out of the resident
    /// set (not so without it).
    #[test]
    fn released_pages_do_not_change_the_analysis() {
        let det = Detector::builtin();
        let mut payload = crate::analyze::tests::image(&det, 11, 1 << 20);
        payload.extend(crate::analyze::tests::limb_image(2));
        let elf = crate::loader::tests::tiny_elf(true, true, 0x4000_0000, &payload);
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("big.elf");
        std::fs::write(&p, &elf).expect("write");
        let input = Input::open(&p).expect("open");
        assert!(input.is_mapped());
        let heap = det.analyze_chunked(&elf, 1 << 16).expect("elf");
        assert!(!heap.findings.is_empty());
        assert!(heap.high_entropy.as_ref().is_some_and(|v| !v.is_empty()));
        let same = |a: &Analysis| {
            a.hits == heap.hits
                && a.findings == heap.findings
                && a.high_entropy == heap.high_entropy
        };
        for chunk in [640, 4096, 1 << 16, 3 << 17] {
            let calls = core::sync::atomic::AtomicUsize::new(0);
            let all = det
                .analyze_releasing(&input, chunk, &|_| {
                    calls.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
                    input.release(0..input.len());
                })
                .expect("elf");
            assert!(same(&all), "whole file released, chunk {chunk}");
            let n = det.plan_for(payload.len(), chunk).chunks.len();
            assert!(calls.into_inner() > n, "chunk {chunk}: a report per chunk");
            let each = det
                .analyze_releasing(&input, chunk, &|r| input.release(r))
                .expect("elf");
            assert!(same(&each), "chunk by chunk, chunk {chunk}");
        }
        // What stays resident: the partial pages at the segment's ends, and
        // what the kernel maps around a fault (64 KiB) when the string table
        // after the segment is read.
        let before = det.analyze_chunked(&input, 3 << 17).expect("elf");
        assert!(same(&before));
        if let Some(kept) = resident(input.as_ptr()) {
            assert!(kept > elf.len() as u64 / 2, "without release: {kept}");
            let after = det
                .analyze_releasing(&input, 3 << 17, &|r| input.release(r))
                .expect("elf");
            assert!(same(&after));
            let kept = resident(input.as_ptr());
            assert!(kept <= Some(128 << 10), "with release: {kept:?}");
        }
        assert!(same(&analyze_input(&det, &input, 1 << 16).expect("elf")));
    }

    #[test]
    fn directories_are_walked_in_name_order_and_missing_paths_are_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).expect("mkdir");
        for p in [
            sub.join("b.bin"),
            sub.join("a.bin"),
            dir.path().join("c.bin"),
        ] {
            std::fs::write(&p, [0u8; 16]).expect("write");
        }
        let files = collect_files(&[dir.path().to_path_buf()]).expect("collect");
        assert_eq!(
            files,
            [
                dir.path().join("c.bin"),
                sub.join("a.bin"),
                sub.join("b.bin")
            ]
        );
        let missing = dir.path().join("nope");
        let e = collect_files(core::slice::from_ref(&missing)).expect_err("missing");
        assert!(e.to_string().contains(&*missing.to_string_lossy()), "{e}");
    }

    #[test]
    fn results_keep_file_order_and_errors_are_per_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ok = dir.path().join("ok.bin");
        std::fs::write(&ok, [0x5au8; 1024]).expect("write");
        let gone = dir.path().join("gone.bin");
        let empty = dir.path().join("empty.bin");
        std::fs::write(&empty, []).expect("write");
        let det = Detector::new(crate::sigdb::builtin());
        let r = scan_files(&det, &[ok.clone(), gone.clone(), empty]);
        assert_eq!(r[2].result.as_ref().map(|a| a.bytes), Ok(0));
        assert_eq!(r[0].path, ok);
        assert_eq!(r[0].result.as_ref().map(|a| a.bytes), Ok(1024));
        assert_eq!(r[1].path, gone);
        assert!(
            r[1].result
                .as_ref()
                .is_err_and(|e| e.starts_with("cannot read"))
        );
    }
}
