//! ELF (32/64-bit, little/big endian): `PT_LOAD` segments at their physical
//! (load) address; objects without program headers fall back to allocated
//! `SHT_PROGBITS` sections. Non-allocated string tables (symbol names, build
//! notes) are added without an address: they carry library fingerprints.

use super::{Format, Image, LoadError, Segment};
use alloc::borrow::Cow;
use alloc::vec::Vec;

struct Reader<'a> {
    b: &'a [u8],
    le: bool,
    wide: bool,
}

impl<'a> Reader<'a> {
    fn bytes<const N: usize>(&self, off: u64) -> Result<[u8; N], LoadError> {
        let start =
            usize::try_from(off).map_err(|_| LoadError::Truncated("offset beyond input"))?;
        let end = start
            .checked_add(N)
            .ok_or(LoadError::Truncated("offset overflow"))?;
        let s = self
            .b
            .get(start..end)
            .ok_or(LoadError::Truncated("header field beyond input"))?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
    fn u16(&self, off: u64) -> Result<u16, LoadError> {
        let a = self.bytes::<2>(off)?;
        Ok(if self.le {
            u16::from_le_bytes(a)
        } else {
            u16::from_be_bytes(a)
        })
    }
    fn u32(&self, off: u64) -> Result<u32, LoadError> {
        let a = self.bytes::<4>(off)?;
        Ok(if self.le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    }
    fn u64(&self, off: u64) -> Result<u64, LoadError> {
        let a = self.bytes::<8>(off)?;
        Ok(if self.le {
            u64::from_le_bytes(a)
        } else {
            u64::from_be_bytes(a)
        })
    }
    /// A word: 32 or 64 bits by class.
    fn word(&self, off: u64) -> Result<u64, LoadError> {
        if self.wide {
            self.u64(off)
        } else {
            self.u32(off).map(u64::from)
        }
    }
    fn slice(&self, off: u64, len: u64) -> Result<&'a [u8], LoadError> {
        let start = usize::try_from(off).map_err(|_| LoadError::Truncated("data beyond input"))?;
        let len = usize::try_from(len).map_err(|_| LoadError::Truncated("data beyond input"))?;
        let end = start
            .checked_add(len)
            .ok_or(LoadError::Truncated("data offset overflow"))?;
        self.b
            .get(start..end)
            .ok_or(LoadError::Truncated("segment or section data beyond input"))
    }
}

const PT_LOAD: u32 = 1;
const SHT_PROGBITS: u32 = 1;
const SHT_STRTAB: u32 = 3;
const SHF_ALLOC: u64 = 2;

/// Checks that a header table lies inside the input (so that field offsets
/// computed inside it cannot overflow).
fn table_fits(bytes: &[u8], off: u64, num: u64, size: u64) -> Result<(), LoadError> {
    match off.checked_add(num * size) {
        Some(end) if end <= bytes.len() as u64 => Ok(()),
        _ => Err(LoadError::Truncated("header table beyond input")),
    }
}

/// Loads an ELF file.
pub fn load_elf<'a>(bytes: &'a [u8]) -> Result<Image<'a>, LoadError> {
    if !bytes.starts_with(b"\x7fELF") {
        return Err(LoadError::Malformed("no ELF magic"));
    }
    let ident = bytes
        .get(..16)
        .ok_or(LoadError::Truncated("ELF identification"))?;
    let wide = match ident[4] {
        1 => false,
        2 => true,
        _ => return Err(LoadError::Malformed("EI_CLASS is neither 32 nor 64-bit")),
    };
    let le = match ident[5] {
        1 => true,
        2 => false,
        _ => {
            return Err(LoadError::Malformed(
                "EI_DATA is neither little nor big endian",
            ));
        }
    };
    let r = Reader { b: bytes, le, wide };
    let machine = r.u16(18)?;
    let entry = r.word(24)?;
    let (phoff, shoff, rest) = if wide {
        (r.u64(32)?, r.u64(40)?, 52)
    } else {
        (u64::from(r.u32(28)?), u64::from(r.u32(32)?), 40)
    };
    let phentsize = u64::from(r.u16(rest + 2)?);
    let phnum = u64::from(r.u16(rest + 4)?);
    let shentsize = u64::from(r.u16(rest + 6)?);
    let shnum = u64::from(r.u16(rest + 8)?);
    let budget = bytes.len().saturating_mul(2);
    let mut used = 0usize;
    let mut segments = Vec::new();
    let mut push =
        |segments: &mut Vec<Segment<'a>>, address: Option<u64>, off: u64, data: &'a [u8]| {
            used = used.saturating_add(data.len());
            if used > budget {
                return Err(LoadError::TooLarge);
            }
            segments.push(Segment {
                address,
                file_offset: Some(off),
                data: Cow::Borrowed(data),
            });
            Ok(())
        };
    let min_ph = if wide { 56 } else { 32 };
    if phnum > 0 && phoff != 0 {
        if phentsize < min_ph {
            return Err(LoadError::Malformed("e_phentsize too small"));
        }
        table_fits(bytes, phoff, phnum, phentsize)?;
        for i in 0..phnum {
            let ph = phoff
                .checked_add(i * phentsize)
                .ok_or(LoadError::Truncated("program header offset"))?;
            let p_type = r.u32(ph)?;
            let (off, paddr, filesz) = if wide {
                (r.u64(ph + 8)?, r.u64(ph + 24)?, r.u64(ph + 32)?)
            } else {
                (
                    u64::from(r.u32(ph + 4)?),
                    u64::from(r.u32(ph + 12)?),
                    u64::from(r.u32(ph + 16)?),
                )
            };
            if p_type == PT_LOAD && filesz > 0 {
                let data = r.slice(off, filesz)?;
                push(&mut segments, Some(paddr), off, data)?;
            }
        }
    }
    let have_load = !segments.is_empty();
    let min_sh = if wide { 64 } else { 40 };
    if shnum > 0 && shoff != 0 {
        if shentsize < min_sh {
            return Err(LoadError::Malformed("e_shentsize too small"));
        }
        table_fits(bytes, shoff, shnum, shentsize)?;
        for i in 0..shnum {
            let sh = shoff
                .checked_add(i * shentsize)
                .ok_or(LoadError::Truncated("section header offset"))?;
            let sh_type = r.u32(sh + 4)?;
            let (flags, addr, off, size) = if wide {
                (
                    r.u64(sh + 8)?,
                    r.u64(sh + 16)?,
                    r.u64(sh + 24)?,
                    r.u64(sh + 32)?,
                )
            } else {
                (
                    u64::from(r.u32(sh + 8)?),
                    u64::from(r.u32(sh + 12)?),
                    u64::from(r.u32(sh + 16)?),
                    u64::from(r.u32(sh + 20)?),
                )
            };
            let alloc = flags & SHF_ALLOC != 0;
            let wanted = (!have_load && alloc && sh_type == SHT_PROGBITS)
                || (!alloc && matches!(sh_type, SHT_PROGBITS | SHT_STRTAB));
            if wanted && size > 0 {
                let data = r.slice(off, size)?;
                push(
                    &mut segments,
                    if alloc { Some(addr) } else { None },
                    off,
                    data,
                )?;
            }
        }
    }
    Ok(Image {
        format: Format::Elf,
        machine: Some(machine),
        entry: Some(entry),
        segments,
    })
}
