//! Section sizes of a static library, the way `arm-none-eabi-size -t` sums
//! them in its default (Berkeley) format — what pqm4's size benchmark
//! reports for a scheme's library: over every object of the archive, every
//! allocated section (`SHF_ALLOC`) counts as `text` when it is executable or
//! read-only, as `data` when it is writable with contents, and as `bss` when
//! it is writable without contents (`SHT_NOBITS`).

use object::Endianness;
use object::elf::{SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS};
use object::read::archive::ArchiveFile;
use object::read::elf::{ElfFile32, FileHeader, SectionHeader};
use std::path::Path;

/// `.text`, `.data` and `.bss` bytes (Berkeley classes) of one library.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sizes {
    /// Executable or read-only allocated sections.
    pub text: u64,
    /// Writable allocated sections with contents.
    pub data: u64,
    /// Writable allocated sections without contents.
    pub bss: u64,
}

/// Sums the sections of every ELF object in the archive at `path`.
pub fn of_archive(path: &Path) -> Result<Sizes, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let ar = ArchiveFile::parse(&*bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut s = Sizes::default();
    for member in ar.members() {
        let member = member.map_err(|e| format!("{}: {e}", path.display()))?;
        let data = member
            .data(&*bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        // Archive members are only 2-byte aligned; the ELF reader wants its
        // headers aligned: a fresh allocation (malloc's alignment) is.
        let data = data.to_vec();
        let data = data.as_slice();
        let elf = ElfFile32::<Endianness>::parse(data).map_err(|e| {
            let name = String::from_utf8_lossy(member.name());
            format!("{} member {name}: {e}", path.display())
        })?;
        let endian = elf.endian();
        let sections = elf
            .elf_header()
            .sections(endian, data)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        for sh in sections.iter() {
            let flags = sh.sh_flags(endian);
            if flags & SHF_ALLOC == 0 {
                continue;
            }
            let size = u64::from(sh.sh_size(endian));
            if flags & SHF_EXECINSTR != 0 || flags & SHF_WRITE == 0 {
                s.text += size;
            } else if sh.sh_type(endian) != SHT_NOBITS {
                s.data += size;
            } else {
                s.bss += size;
            }
        }
    }
    Ok(s)
}
