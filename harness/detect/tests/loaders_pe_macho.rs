//! PE and Mach-O loaders: real Mach-O objects (rustc for aarch64-apple-darwin,
//! `tests/data/limbs/make.py`), fat files and PE32/PE32+ images assembled
//! around real x86-64 code; findings carry load addresses.

use pqbench_detect::analyze::Detector;
use pqbench_detect::loader::{
    Format, LoadError, detect_format, fat_slices, load, load_elf, load_macho, load_macho_slice,
    load_pe,
};

fn fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/limbs")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The `.text` bytes of the x86-64 ELF object (the P-256 functions).
fn x86_text() -> Vec<u8> {
    let obj = fixture("limbs-x86_64.o");
    let img = load_elf(&obj).expect("elf");
    let needle = 0xf3b9_cac2_fc63_2551u64.to_le_bytes();
    img.segments
        .into_iter()
        .find(|s| s.data.windows(8).any(|w| w == needle))
        .expect("text section")
        .data
        .into_owned()
}

/// A PE image: DOS stub, COFF header, optional header (PE32 or PE32+), one
/// `.text` section at RVA 0x1000 holding `code` at file offset 0x200.
fn tiny_pe(wide: bool, machine: u16, base: u64, code: &[u8]) -> Vec<u8> {
    let mut b = vec![0u8; 0x200];
    b[..2].copy_from_slice(b"MZ");
    b[0x3c..0x40].copy_from_slice(&0x40u32.to_le_bytes());
    b[0x40..0x44].copy_from_slice(b"PE\0\0");
    let coff = 0x44;
    let opt_size: u16 = if wide { 240 } else { 224 };
    b[coff..coff + 2].copy_from_slice(&machine.to_le_bytes());
    b[coff + 2..coff + 4].copy_from_slice(&1u16.to_le_bytes());
    b[coff + 16..coff + 18].copy_from_slice(&opt_size.to_le_bytes());
    let opt = coff + 20;
    b[opt..opt + 2].copy_from_slice(&(if wide { 0x20bu16 } else { 0x10b }).to_le_bytes());
    b[opt + 16..opt + 20].copy_from_slice(&0x1010u32.to_le_bytes());
    if wide {
        b[opt + 24..opt + 32].copy_from_slice(&base.to_le_bytes());
    } else {
        b[opt + 28..opt + 32].copy_from_slice(&(base as u32).to_le_bytes());
    }
    let sh = opt + usize::from(opt_size);
    b[sh..sh + 5].copy_from_slice(b".text");
    b[sh + 8..sh + 12].copy_from_slice(&(code.len() as u32).to_le_bytes());
    b[sh + 12..sh + 16].copy_from_slice(&0x1000u32.to_le_bytes());
    b[sh + 16..sh + 20].copy_from_slice(&(code.len() as u32).to_le_bytes());
    b[sh + 20..sh + 24].copy_from_slice(&0x200u32.to_le_bytes());
    b.extend_from_slice(code);
    b
}

/// A fat file with `slices` (cputype, thin file), each aligned to 4 KiB.
fn fat(slices: &[(u32, &[u8])]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend(0xcafe_babeu32.to_be_bytes());
    b.extend((slices.len() as u32).to_be_bytes());
    let mut off = 0x1000u32;
    let mut body = Vec::new();
    for (cpu, thin) in slices {
        b.extend(cpu.to_be_bytes());
        b.extend(0u32.to_be_bytes());
        b.extend(off.to_be_bytes());
        b.extend((thin.len() as u32).to_be_bytes());
        b.extend(12u32.to_be_bytes());
        body.resize(off as usize - 0x1000, 0);
        body.extend_from_slice(thin);
        off = (0x1000 + body.len() as u32).next_multiple_of(0x1000);
    }
    b.resize(0x1000, 0);
    b.extend(body);
    b
}

#[test]
fn pe32_and_pe32_plus_sections_carry_addresses_and_findings() {
    let code = x86_text();
    let det = Detector::builtin();
    for (wide, base) in [(true, 0x1_4000_0000u64), (false, 0x40_0000)] {
        let pe = tiny_pe(wide, 0x8664, base, &code);
        assert_eq!(detect_format(&pe), Format::Pe);
        let img = load_pe(&pe).expect("pe");
        assert_eq!(img.machine, Some(62));
        assert_eq!(img.entry, Some(base + 0x1010));
        assert_eq!(img.segments.len(), 1);
        assert_eq!(img.segments[0].address, Some(base + 0x1000));
        assert_eq!(img.segments[0].file_offset, Some(0x200));
        let a = det.analyze(&pe).expect("analyze");
        assert_eq!(a.format, Format::Pe);
        let ecc = a
            .findings
            .iter()
            .find(|f| f.family.name() == "ecc")
            .expect("ecc finding");
        let hit = ecc
            .algorithms
            .iter()
            .flat_map(|x| &x.hits)
            .next()
            .expect("hit");
        let addr = hit.address.expect("address");
        assert!(addr >= base + 0x1000 && addr < base + 0x1000 + code.len() as u64);
        assert_eq!(addr - (base + 0x1000), hit.offset - 0x200);
    }
}

#[test]
fn malformed_pe_is_an_error_with_a_reason() {
    let code = x86_text();
    let pe = tiny_pe(true, 0x8664, 0x1_4000_0000, &code);
    // Cut inside the section data, the section table, the optional header.
    for cut in [pe.len() - 1, 0x44 + 20 + 240 + 10, 0x60] {
        match load_pe(&pe[..cut]) {
            Err(LoadError::Truncated(why)) => assert!(!why.is_empty()),
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    let mut bad = pe.clone();
    bad[0x44 + 20] = 0x99; // optional header magic
    assert!(matches!(load_pe(&bad), Err(LoadError::Malformed(_))));
    // A section claiming 4 GiB of raw data.
    let mut huge = pe.clone();
    let sh = 0x44 + 20 + 240;
    huge[sh + 16..sh + 20].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(load_pe(&huge).is_err());
    // "MZ" without a PE signature is not PE: loaded raw.
    let mut mz = vec![0u8; 128];
    mz[..2].copy_from_slice(b"MZ");
    assert_eq!(detect_format(&mz), Format::Raw);
}

#[test]
fn real_macho_object_sections_load_with_addresses() {
    let obj = fixture("limbs-aarch64-macho.o");
    assert_eq!(detect_format(&obj), Format::MachO);
    let img = load_macho(&obj).expect("macho");
    assert_eq!(img.machine, Some(183));
    assert!(img.segments.len() >= 2, "{}", img.segments.len());
    for s in &img.segments {
        let off = s.file_offset.expect("offset") as usize;
        assert_eq!(&obj[off..off + s.data.len()], &s.data[..]);
        assert!(s.address.is_some());
    }
    let a = Detector::builtin().analyze(&obj).expect("analyze");
    assert_eq!(a.format, Format::MachO);
    assert!(a.hits.iter().all(|h| h.address.is_some()));
    assert!(a.findings.iter().any(|f| f.family.name() == "ecc"));
}

#[test]
fn fat_files_load_every_slice_or_one() {
    let obj = fixture("limbs-aarch64-macho.o");
    let f = fat(&[(0x0100_000c, &obj), (0x0100_0007, &obj)]);
    assert_eq!(detect_format(&f), Format::MachO);
    let slices = fat_slices(&f).expect("fat").expect("slices");
    assert_eq!(slices.len(), 2);
    let thin = load_macho(&obj).expect("thin");
    let all = load_macho(&f).expect("fat");
    assert_eq!(all.segments.len(), 2 * thin.segments.len());
    // The machine comes from each slice's own header (both arm64 here).
    assert_eq!(all.machine, Some(183));
    let second = load_macho_slice(&f, 1).expect("slice 1");
    assert_eq!(second.segments.len(), thin.segments.len());
    let (_, off, _) = slices[1];
    for (a, b) in second.segments.iter().zip(&thin.segments) {
        assert_eq!(a.file_offset, b.file_offset.map(|o| o + off));
        assert_eq!(a.address, b.address);
    }
    assert!(load_macho_slice(&f, 2).is_err());
    // A slice beyond the input, a truncated thin file, a Java class file.
    let mut bad = f.clone();
    bad[16..20].copy_from_slice(&0xffff_0000u32.to_be_bytes());
    assert!(matches!(load_macho(&bad), Err(LoadError::Truncated(_))));
    assert!(load_macho(&obj[..obj.len() / 2]).is_err());
    let java = [0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34, 0, 0];
    assert_eq!(detect_format(&java), Format::Raw);
    assert!(load(&java).is_ok());
}
