//! PE/COFF images (PE32 and PE32+): one segment per section with raw data,
//! at `ImageBase + VirtualAddress`; the machine is reported in ELF numbering
//! (x86-64 = 62, AArch64 = 183, i386 = 3, ARM = 40).

use super::read::{Budget, slice, u16le, u32le, u64le};
use super::{Format, Image, LoadError, Segment};
use alloc::borrow::Cow;
use alloc::vec::Vec;

/// Offset of the `PE\0\0` signature when `bytes` is a PE image.
pub fn pe_signature_offset(bytes: &[u8]) -> Option<u64> {
    if !bytes.starts_with(b"MZ") {
        return None;
    }
    let off = u64::from(u32le(bytes, 0x3c, "e_lfanew").ok()?);
    (slice(bytes, off, 4, "PE signature").ok()? == b"PE\0\0").then_some(off)
}

/// ELF `e_machine` for a COFF machine type.
fn machine(m: u16) -> Option<u16> {
    match m {
        0x8664 => Some(62),
        0xaa64 => Some(183),
        0x014c => Some(3),
        0x01c0 | 0x01c2 | 0x01c4 => Some(40),
        _ => None,
    }
}

/// Loads a PE32 or PE32+ image.
pub fn load_pe(bytes: &[u8]) -> Result<Image<'_>, LoadError> {
    if !bytes.starts_with(b"MZ") {
        return Err(LoadError::Malformed("no MZ magic"));
    }
    let pe = u64::from(u32le(bytes, 0x3c, "e_lfanew")?);
    if slice(bytes, pe, 4, "PE signature")? != b"PE\0\0" {
        return Err(LoadError::Malformed("no PE signature at e_lfanew"));
    }
    let coff = pe + 4;
    let mach = u16le(bytes, coff, "COFF header")?;
    let nsec = u64::from(u16le(bytes, coff + 2, "COFF header")?);
    let opt_size = u64::from(u16le(bytes, coff + 16, "COFF header")?);
    let opt = coff + 20;
    let magic = u16le(bytes, opt, "optional header")?;
    let (entry, base) = match magic {
        0x10b => (
            u32le(bytes, opt + 16, "optional header")?,
            u64::from(u32le(bytes, opt + 28, "optional header")?),
        ),
        0x20b => (
            u32le(bytes, opt + 16, "optional header")?,
            u64le(bytes, opt + 24, "optional header")?,
        ),
        _ => {
            return Err(LoadError::Malformed(
                "optional header magic is not PE32/PE32+",
            ));
        }
    };
    if opt_size < 28 {
        return Err(LoadError::Malformed("SizeOfOptionalHeader too small"));
    }
    let table = opt + opt_size;
    slice(bytes, table, nsec * 40, "section table")?;
    let mut budget = Budget::new(bytes.len());
    let mut segments = Vec::new();
    for i in 0..nsec {
        let h = table + 40 * i;
        let vaddr = u32le(bytes, h + 12, "section header")?;
        let raw_size = u32le(bytes, h + 16, "section header")?;
        let raw_off = u32le(bytes, h + 20, "section header")?;
        if raw_size == 0 || raw_off == 0 {
            continue; // uninitialised data (.bss)
        }
        let data = slice(
            bytes,
            u64::from(raw_off),
            u64::from(raw_size),
            "section raw data beyond input",
        )?;
        budget.take(data.len())?;
        segments.push(Segment {
            address: Some(base.wrapping_add(u64::from(vaddr))),
            file_offset: Some(u64::from(raw_off)),
            data: Cow::Borrowed(data),
        });
    }
    Ok(Image {
        format: Format::Pe,
        machine: machine(mach),
        entry: (entry != 0).then(|| base.wrapping_add(u64::from(entry))),
        segments,
    })
}
