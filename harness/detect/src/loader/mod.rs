//! Firmware image loaders: raw binary, ELF, PE/COFF, Mach-O, Intel HEX,
//! Motorola S-record.
//!
//! Every loader returns memory [`Segment`]s with their load address when the
//! format knows it. Malformed input is a [`LoadError`], never a panic; the
//! bytes a loader allocates are bounded by a small multiple of the input size.

mod elf;
mod ihex;
mod macho;
mod pe;
mod read;
mod srec;

use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::fmt;

pub use elf::load_elf;
pub use ihex::load_ihex;
pub use macho::{FatSlice, MAX_FAT_SLICES, fat_slices, is_macho, load_macho, load_macho_slice};
pub use pe::{load_pe, pe_signature_offset};
pub use srec::load_srec;

/// Image formats the loaders understand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Raw bytes (flash dump, blob) with no address information.
    Raw,
    /// ELF, 32 or 64-bit, little or big endian.
    Elf,
    /// PE/COFF (PE32, PE32+): Windows executables and DLLs.
    Pe,
    /// Mach-O (64-bit little-endian, fat/universal).
    MachO,
    /// Intel HEX text.
    IntelHex,
    /// Motorola S-record text.
    SRecord,
}

impl Format {
    /// Short lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Raw => "raw",
            Format::Elf => "elf",
            Format::Pe => "pe",
            Format::MachO => "macho",
            Format::IntelHex => "ihex",
            Format::SRecord => "srec",
        }
    }
}

/// A contiguous run of bytes of the image.
///
/// Formats that store the bytes verbatim (raw, ELF, PE, Mach-O) borrow them
/// from the input (so a memory-mapped file is never copied into the heap);
/// the text formats (Intel HEX, S-record) decode into owned bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment<'a> {
    /// Load address of the first byte, when the format records it.
    pub address: Option<u64>,
    /// Offset of the first byte in the input file, when the bytes are stored
    /// verbatim in it (raw, ELF).
    pub file_offset: Option<u64>,
    /// The bytes: borrowed from the input, or decoded.
    pub data: Cow<'a, [u8]>,
}

/// A loaded image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image<'a> {
    /// Format it was read as.
    pub format: Format,
    /// ELF `e_machine` (e.g. 40 = ARM, 62 = x86-64, 183 = AArch64), when
    /// known; PE and Mach-O CPU types are mapped to it.
    pub machine: Option<u16>,
    /// Entry point / start address, when the format records it.
    pub entry: Option<u64>,
    /// Memory segments in file order.
    pub segments: Vec<Segment<'a>>,
}

impl Image<'_> {
    /// Total bytes over all segments.
    pub fn len(&self) -> usize {
        self.segments.iter().map(|s| s.data.len()).sum()
    }

    /// True if no segment holds a byte.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why an image could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The input ends inside a structure.
    Truncated(&'static str),
    /// A header field has an unsupported or impossible value.
    Malformed(&'static str),
    /// A text record is invalid (1-based line number).
    BadRecord {
        /// Line number, starting at 1.
        line: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The segments would need more memory than the input bounds allow.
    TooLarge,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Truncated(what) => write!(f, "truncated input: {what}"),
            LoadError::Malformed(what) => write!(f, "malformed image: {what}"),
            LoadError::BadRecord { line, reason } => write!(f, "line {line}: {reason}"),
            LoadError::TooLarge => {
                f.write_str("segments exceed the allocation bound (twice the input size)")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for LoadError {}

/// Guesses the format from the first bytes.
pub fn detect_format(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"\x7fELF") {
        return Format::Elf;
    }
    if pe::pe_signature_offset(bytes).is_some() {
        return Format::Pe;
    }
    if macho::is_macho(bytes) {
        return Format::MachO;
    }
    let text = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &bytes[i..]);
    match text {
        Some([b':', rest @ ..])
            if rest.len() >= 10 && rest[..10].iter().all(u8::is_ascii_hexdigit) =>
        {
            Format::IntelHex
        }
        Some([b'S', d, rest @ ..])
            if d.is_ascii_digit()
                && rest.len() >= 2
                && rest[..2].iter().all(u8::is_ascii_hexdigit) =>
        {
            Format::SRecord
        }
        _ => Format::Raw,
    }
}

/// A raw image: one segment, no address (or `base` if given).
pub fn load_raw(bytes: &[u8], base: Option<u64>) -> Image<'_> {
    Image {
        format: Format::Raw,
        machine: None,
        entry: None,
        segments: alloc::vec![Segment {
            address: base,
            file_offset: Some(0),
            data: Cow::Borrowed(bytes)
        }],
    }
}

/// Loads `bytes` as `format`.
pub fn load_as(bytes: &[u8], format: Format) -> Result<Image<'_>, LoadError> {
    match format {
        Format::Raw => Ok(load_raw(bytes, None)),
        Format::Elf => load_elf(bytes),
        Format::Pe => load_pe(bytes),
        Format::MachO => load_macho(bytes),
        Format::IntelHex => load_ihex(bytes),
        Format::SRecord => load_srec(bytes),
    }
}

/// Detects the format and loads the image.
pub fn load(bytes: &[u8]) -> Result<Image<'_>, LoadError> {
    load_as(bytes, detect_format(bytes))
}

/// Appends `data` at `addr` to `segs`, extending the last segment when
/// contiguous. Shared by the text formats.
fn append(segs: &mut Vec<Segment<'static>>, addr: u64, data: &[u8]) {
    if let Some(last) = segs.last_mut()
        && let Some(a) = last.address
        && a.checked_add(last.data.len() as u64) == Some(addr)
    {
        last.data.to_mut().extend_from_slice(data);
        return;
    }
    segs.push(Segment {
        address: Some(addr),
        file_offset: None,
        data: Cow::Owned(data.to_vec()),
    });
}

/// Iterates text lines with 1-based numbers, without line terminators,
/// skipping empty lines.
fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)))
        .map(|(i, l)| (i, l.trim_ascii()))
        .filter(|(_, l)| !l.is_empty())
}

/// Decodes hex pairs into `out` (cleared first). False on a non-hex digit or odd length.
fn decode_hex(s: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    if !s.len().is_multiple_of(2) {
        return false;
    }
    for pair in s.chunks_exact(2) {
        let v = |c: u8| (c as char).to_digit(16);
        match (v(pair[0]), v(pair[1])) {
            (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
pub(crate) mod tests;
