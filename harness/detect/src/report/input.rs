//! The bytes of one input: a read-only memory map of the file (so that a
//! large image costs address space and page cache, not heap), or the bytes
//! read into the heap for standard input and files that cannot be mapped.

use super::files::{MAX_FILE, STDIN};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::string::String;
use std::vec::Vec;
use std::{format, ops::Deref};

/// An input's bytes.
#[derive(Debug)]
pub enum Input {
    /// A read-only private mapping of a regular file.
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
}
