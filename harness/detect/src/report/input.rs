//! The bytes of one input: a read-only memory map of the file (so that a
//! large image costs address space and page cache, not heap), or the bytes
//! read into the heap for standard input and files that cannot be mapped.
//!
//! A mapped page stays in the process's resident set once read, so a large
//! file's analysis [releases](Input::release) the pages it has finished
//! with ([`crate::analyze::Detector::analyze_releasing`]): the peak resident
//! set is then about the chunks in flight, not the file's size.

use super::files::{MAX_FILE, STDIN};
use core::ops::Range;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::string::String;
use std::vec::Vec;
use std::{format, ops::Deref};

/// Mapped inputs of at least this many bytes release the pages the
/// analysis has finished with ([`Input::releases`]); below, a release would
/// save little and cost system calls.
pub const RELEASE_FROM: usize = 16 << 20;

/// The size of a memory page (bytes): released ranges are cut inwards to
/// whole pages.
#[allow(unsafe_code)]
pub fn page_size() -> usize {
    // SAFETY: sysconf(3) takes a plain integer, has no preconditions and
    // touches no memory of ours. Should it fail, 4 KiB: on a system with
    // larger pages madvise then acts on the whole pages around the range,
    // which costs the neighbouring bytes' readers a page fault, no more.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(p).ok().filter(|&p| p > 0).unwrap_or(4096)
}

/// An input's bytes.
#[derive(Debug)]
pub enum Input {
    /// A read-only mapping of a regular file (`PROT_READ`, `MAP_SHARED`).
    Mapped(memmap2::Mmap),
    /// Bytes read into the heap (at most [`MAX_FILE`]).
    Read(Vec<u8>),
}

impl Deref for Input {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Input::Mapped(m) => m,
            Input::Read(v) => v,
        }
    }
}

impl Input {
    /// Opens `path` ([`STDIN`]: standard input): maps a non-empty regular
    /// file, reads anything else (a pipe, a device, a procfs file, a file
    /// the kernel will not map) up to [`MAX_FILE`] bytes.
    pub fn open(path: &Path) -> Result<Input, String> {
        if path.as_os_str() == STDIN {
            return read_bounded(io::stdin().lock()).map(Input::Read);
        }
        let file = File::open(path).map_err(|e| format!("cannot read: {e}"))?;
        let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
        if meta.is_file()
            && meta.len() > 0
            && let Ok(m) = map(&file)
        {
            // Mostly forward reads: ask for read-ahead (advice only).
            let _ = m.advise(memmap2::Advice::Sequential);
            return Ok(Input::Mapped(m));
        }
        read_bounded(file).map(Input::Read)
    }

    /// True when the bytes are mapped, not in the heap.
    pub fn is_mapped(&self) -> bool {
        matches!(self, Input::Mapped(_))
    }

    /// True when the analysis should [`release`](Self::release) what it has
    /// finished with: a mapping of at least [`RELEASE_FROM`] bytes.
    pub fn releases(&self) -> bool {
        matches!(self, Input::Mapped(m) if m.len() >= RELEASE_FROM)
    }

    /// Drops the mapped pages wholly inside `range` (offsets) from this
    /// process's resident set.
    /// They stay in the page cache, and a later read of them maps them again
    /// (the same bytes: see `release_pages`). Nothing for bytes in the heap.
    pub fn release(&self, range: Range<usize>) {
        let Input::Mapped(m) = self else {
            return;
        };
        // The mapping starts on a page.
        let page = page_size();
        let start = range.start.div_ceil(page) * page;
        let end = range.end.min(m.len()) / page * page;
        if start < end {
            release_pages(m, start, end - start);
        }
    }
}

/// Maps `file` read-only.
#[allow(unsafe_code)]
fn map(file: &File) -> io::Result<memmap2::Mmap> {
    // SAFETY: the mapping is read-only and private, and no `&mut` to it is
    // ever made. What `Mmap::map` cannot rule out is another process
    // writing or truncating the file while it is scanned: the bytes may
    // then change underneath the `&[u8]` (the loaders and kernels read every
    // byte with bounds checks and never assume two reads agree, so a change
    // yields a wrong finding at worst), and truncation can end the process
    // with SIGBUS. Scan a private copy (or pipe it to `-`) when the image may
    // change during the scan.
    unsafe { memmap2::Mmap::map(file) }
}

/// `madvise(MADV_DONTNEED)` on `len` bytes of `m` from `offset` (whole
/// pages, in bounds); a failure leaves the pages resident (advice only).
#[allow(unsafe_code)]
fn release_pages(m: &memmap2::Mmap, offset: usize, len: usize) {
    // SAFETY: `m` maps a regular file read-only (`PROT_READ`, `MAP_SHARED`,
    // see `map`) and is never written, so each of its pages is the file's
    // page in the page cache, with no private copy. `MADV_DONTNEED` only
    // unmaps those pages from this process: the range stays mapped (every
    // `&[u8]` into it keeps a valid address, also in other threads reading
    // it now), and the next read of a page faults the file's page in again
    // (from the page cache, or from the file if it was evicted): the same
    // bytes as before the release. madvise(2) states this for file
    // mappings; it is anonymous private memory (zero-filled after the
    // release) that would make this unsound. The one way to observe other
    // bytes is the one `map` documents: another process writing or
    // truncating the file during the scan. A shared mapping shows such
    // writes without a release as well, and a read of a truncated page
    // raises SIGBUS on a first fault as on a later one; so the release adds
    // a re-read of the file where that hazard can show, no new kind of one.
    let _ = unsafe { m.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, offset, len) };
}

/// Resident bytes of the mapping that starts at `ptr`, from
/// `/proc/self/smaps` (tests; `None` when not found).
#[cfg(test)]
pub(super) fn resident(ptr: *const u8) -> Option<u64> {
    let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
    let head = format!("{:x}-", ptr as usize);
    let mut lines = smaps.lines().skip_while(|l| !l.starts_with(&head));
    lines.next()?;
    let rss = lines.find_map(|l| l.strip_prefix("Rss:"))?;
    Some(
        rss.trim()
            .trim_end_matches("kB")
            .trim()
            .parse::<u64>()
            .ok()?
            * 1024,
    )
}

/// Reads `r` to the end, failing beyond [`MAX_FILE`] bytes.
fn read_bounded(r: impl Read) -> Result<Vec<u8>, String> {
    let mut v = Vec::new();
    r.take(MAX_FILE + 1)
        .read_to_end(&mut v)
        .map_err(|e| format!("cannot read: {e}"))?;
    if v.len() as u64 > MAX_FILE {
        return Err(format!(
            "input that cannot be mapped is larger than {MAX_FILE} bytes"
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_mapped_and_other_inputs_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("img.bin");
        std::fs::write(&p, b"firmware bytes").expect("write");
        let i = Input::open(&p).expect("open");
        assert!(i.is_mapped());
        assert_eq!(&*i, b"firmware bytes");
        let e = dir.path().join("empty.bin");
        std::fs::write(&e, b"").expect("write");
        let i = Input::open(&e).expect("open");
        assert!(!i.is_mapped() && i.is_empty());
        // A procfs file reports size 0 and cannot be mapped: read instead.
        if cfg!(target_os = "linux") {
            let i = Input::open(Path::new("/proc/self/status")).expect("open");
            assert!(!i.is_mapped() && i.starts_with(b"Name:"));
        }
        assert!(Input::open(&dir.path().join("gone")).is_err());
        assert_eq!(read_bounded(&b"abc"[..]), Ok(b"abc".to_vec()));
    }

    /// A release drops the whole pages inside the range from the resident
    /// set (and nothing else), and the bytes read back unchanged.
    #[test]
    fn release_drops_resident_pages_and_keeps_the_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("big.bin");
        let page = page_size();
        let len = 16 * page;
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + i / 4093) as u8).collect();
        std::fs::write(&p, &bytes).expect("write");
        let i = Input::open(&p).expect("open");
        assert!(i.is_mapped() && !i.releases());
        let touch = |i: &Input| i.iter().step_by(512).map(|&b| u64::from(b)).sum::<u64>();
        std::hint::black_box(touch(&i));
        let Some(all) = resident(i.as_ptr()) else {
            return; // no /proc/self/smaps (not Linux)
        };
        assert_eq!(all, len as u64, "every page read is resident");
        // Less than a page inside: nothing dropped.
        i.release(page + 1..3 * page - 1);
        assert_eq!(resident(i.as_ptr()), Some(len as u64));
        // Pages 2..=5 (the range cut inwards), then everything.
        i.release(page + 1..6 * page + 5);
        assert_eq!(resident(i.as_ptr()), Some((len - 4 * page) as u64));
        i.release(0..usize::MAX);
        assert_eq!(resident(i.as_ptr()), Some(0));
        assert!(*i == *bytes, "the bytes read back after a release");
        assert_eq!(resident(i.as_ptr()), Some(len as u64));
        Input::Read(bytes).release(0..len);
    }
}
