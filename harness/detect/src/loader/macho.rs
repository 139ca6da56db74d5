//! Mach-O images: 64-bit little-endian (`MH_MAGIC_64`, executables, dylibs
//! and object files alike) and fat/universal files (32- and 64-bit fat
//! headers) whose slices are loaded one after the other. One segment per
//! section with file contents (zero-fill sections have none), at its
//! address; the CPU type is reported in ELF numbering (x86-64 = 62, arm64 =
//! 183) when every slice agrees.

use super::read::{Budget, slice, u32be, u32le, u64be, u64le};
use super::{Format, Image, LoadError, Segment};
use alloc::borrow::Cow;
use alloc::vec::Vec;

const MH_MAGIC_64: u32 = 0xfeed_facf;
const FAT_MAGIC: u32 = 0xcafe_babe;
const FAT_MAGIC_64: u32 = 0xcafe_babf;
const LC_SEGMENT_64: u32 = 0x19;
/// Most slices a fat header may declare (Java class files share its magic
/// and have a version of 45 or more where the count would be).
pub const MAX_FAT_SLICES: u32 = 16;

/// True when `bytes` starts like a 64-bit LE Mach-O or a fat file.
pub fn is_macho(bytes: &[u8]) -> bool {
    match u32le(bytes, 0, "magic") {
        Ok(MH_MAGIC_64) => true,
        _ => {
            matches!(u32be(bytes, 0, "magic"), Ok(FAT_MAGIC | FAT_MAGIC_64))
                && u32be(bytes, 4, "nfat_arch").is_ok_and(|n| (1..=MAX_FAT_SLICES).contains(&n))
        }
    }
}

fn machine(cputype: u32) -> Option<u16> {
    match cputype {
        0x0100_0007 => Some(62),
        0x0100_000c => Some(183),
        _ => None,
    }
}

/// One slice of a fat file: (cputype, offset, size).
pub type FatSlice = (u32, u64, u64);

/// The slices of a fat file; `None` for a thin file.
pub fn fat_slices(bytes: &[u8]) -> Result<Option<Vec<FatSlice>>, LoadError> {
    let magic = u32be(bytes, 0, "fat header")?;
    let wide = match magic {
        FAT_MAGIC => false,
        FAT_MAGIC_64 => true,
        _ => return Ok(None),
    };
    let n = u32be(bytes, 4, "fat header")?;
    if n == 0 || n > MAX_FAT_SLICES {
        return Err(LoadError::Malformed("fat header slice count"));
    }
    let mut out = Vec::new();
    for i in 0..u64::from(n) {
        let (h, entry) = if wide {
            (8 + 32 * i, true)
        } else {
            (8 + 20 * i, false)
        };
        let cpu = u32be(bytes, h, "fat_arch")?;
        let (off, size) = if entry {
            (
                u64be(bytes, h + 8, "fat_arch")?,
                u64be(bytes, h + 16, "fat_arch")?,
            )
        } else {
            (
                u64::from(u32be(bytes, h + 8, "fat_arch")?),
                u64::from(u32be(bytes, h + 12, "fat_arch")?),
            )
        };
        slice(bytes, off, size, "fat slice beyond input")?;
        out.push((cpu, off, size));
    }
    Ok(Some(out))
}

/// Loads a thin 64-bit Mach-O at `base` (its offset in the file) into `segs`.
fn load_thin<'a>(
    bytes: &'a [u8],
    base: u64,
    budget: &mut Budget,
    segs: &mut Vec<Segment<'a>>,
) -> Result<(Option<u16>, u32), LoadError> {
    if u32le(bytes, 0, "Mach-O header")? != MH_MAGIC_64 {
        return Err(LoadError::Malformed(
            "not a 64-bit little-endian Mach-O (only MH_MAGIC_64 is read)",
        ));
    }
    let cpu = u32le(bytes, 4, "Mach-O header")?;
    let ncmds = u64::from(u32le(bytes, 16, "Mach-O header")?);
    let sizeofcmds = u64::from(u32le(bytes, 20, "Mach-O header")?);
    slice(bytes, 32, sizeofcmds, "load commands beyond input")?;
    let end = 32 + sizeofcmds;
    let mut lc = 32u64;
    for _ in 0..ncmds {
        let cmd = u32le(bytes, lc, "load command")?;
        let size = u64::from(u32le(bytes, lc + 4, "load command")?);
        if size < 8 || lc + size > end {
            return Err(LoadError::Malformed("load command size"));
        }
        if cmd == LC_SEGMENT_64 {
            if size < 72 {
                return Err(LoadError::Malformed("LC_SEGMENT_64 too small"));
            }
            let nsects = u64::from(u32le(bytes, lc + 64, "segment command")?);
            if 72 + 80 * nsects > size {
                return Err(LoadError::Malformed("sections beyond LC_SEGMENT_64"));
            }
            for k in 0..nsects {
                let s = lc + 72 + 80 * k;
                let addr = u64le(bytes, s + 32, "section")?;
                let len = u64le(bytes, s + 40, "section")?;
                let off = u64::from(u32le(bytes, s + 48, "section")?);
                let flags = u32le(bytes, s + 64, "section")?;
                // S_ZEROFILL, S_GB_ZEROFILL, S_THREAD_LOCAL_ZEROFILL: no bytes.
                if len == 0 || off == 0 || matches!(flags & 0xff, 0x01 | 0x0c | 0x12) {
                    continue;
                }
                let data = slice(bytes, off, len, "section data beyond input")?;
                budget.take(data.len())?;
                segs.push(Segment {
                    address: Some(addr),
                    file_offset: Some(base + off),
                    data: Cow::Borrowed(data),
                });
            }
        }
        lc += size;
    }
    Ok((machine(cpu), cpu))
}

/// Loads a 64-bit LE Mach-O, or every slice of a fat file.
pub fn load_macho(bytes: &[u8]) -> Result<Image<'_>, LoadError> {
    let mut budget = Budget::new(bytes.len());
    let mut segments = Vec::new();
    let machine = match fat_slices(bytes)? {
        None => load_thin(bytes, 0, &mut budget, &mut segments)?.0,
        Some(slices) => {
            let mut machines = Vec::new();
            for (_, off, size) in slices {
                let thin = slice(bytes, off, size, "fat slice beyond input")?;
                machines.push(load_thin(thin, off, &mut budget, &mut segments)?.0);
            }
            let first = machines.first().copied().flatten();
            machines
                .iter()
                .all(|&m| m == first)
                .then_some(first)
                .flatten()
        }
    };
    Ok(Image {
        format: Format::MachO,
        machine,
        entry: None,
        segments,
    })
}

/// Loads slice `index` of a fat file (or the thin file itself for index 0).
pub fn load_macho_slice(bytes: &[u8], index: usize) -> Result<Image<'_>, LoadError> {
    let (thin, base) = match fat_slices(bytes)? {
        None if index == 0 => (bytes, 0),
        None => return Err(LoadError::Malformed("not a fat file: only slice 0")),
        Some(slices) => {
            let &(_, off, size) = slices
                .get(index)
                .ok_or(LoadError::Malformed("no such fat slice"))?;
            (slice(bytes, off, size, "fat slice beyond input")?, off)
        }
    };
    let mut budget = Budget::new(bytes.len());
    let mut segments = Vec::new();
    let (machine, _) = load_thin(thin, base, &mut budget, &mut segments)?;
    Ok(Image {
        format: Format::MachO,
        machine,
        entry: None,
        segments,
    })
}
