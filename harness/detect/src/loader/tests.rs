use super::*;
use alloc::borrow::Cow;
use alloc::vec;
use alloc::vec::Vec;

/// A minimal ELF with one PT_LOAD segment and a section table with one
/// non-alloc string table.
pub(crate) fn tiny_elf(wide: bool, le: bool, paddr: u64, payload: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    let w16 = |b: &mut Vec<u8>, v: u16| {
        b.extend_from_slice(&if le { v.to_le_bytes() } else { v.to_be_bytes() })
    };
    let w32 = |b: &mut Vec<u8>, v: u32| {
        b.extend_from_slice(&if le { v.to_le_bytes() } else { v.to_be_bytes() })
    };
    let w64 = |b: &mut Vec<u8>, v: u64| {
        b.extend_from_slice(&if le { v.to_le_bytes() } else { v.to_be_bytes() })
    };
    let word = |b: &mut Vec<u8>, v: u64| if wide { w64(b, v) } else { w32(b, v as u32) };
    let (eh, ph, sh) = if wide {
        (64u64, 56u64, 64u64)
    } else {
        (52, 32, 40)
    };
    let data_off = eh + ph;
    let str_off = data_off + payload.len() as u64;
    let strtab = b"\0mbedtls_ecp_group_load\0";
    let sh_off = str_off + strtab.len() as u64;
    b.extend_from_slice(b"\x7fELF");
    b.extend_from_slice(&[if wide { 2 } else { 1 }, if le { 1 } else { 2 }, 1, 0]);
    b.extend_from_slice(&[0; 8]);
    w16(&mut b, 2);
    w16(&mut b, if wide { 62 } else { 40 });
    w32(&mut b, 1);
    word(&mut b, paddr + 1);
    word(&mut b, eh);
    word(&mut b, sh_off);
    w32(&mut b, 0);
    w16(&mut b, eh as u16);
    w16(&mut b, ph as u16);
    w16(&mut b, 1);
    w16(&mut b, sh as u16);
    w16(&mut b, 2);
    w16(&mut b, 0);
    assert_eq!(b.len() as u64, eh);
    // program header
    w32(&mut b, 1);
    if wide {
        w32(&mut b, 5);
        w64(&mut b, data_off);
        w64(&mut b, paddr + 0x1000);
        w64(&mut b, paddr);
        w64(&mut b, payload.len() as u64);
        w64(&mut b, payload.len() as u64);
        w64(&mut b, 4);
    } else {
        w32(&mut b, data_off as u32);
        w32(&mut b, (paddr + 0x1000) as u32);
        w32(&mut b, paddr as u32);
        w32(&mut b, payload.len() as u32);
        w32(&mut b, payload.len() as u32);
        w32(&mut b, 5);
        w32(&mut b, 4);
    }
    b.extend_from_slice(payload);
    b.extend_from_slice(strtab);
    // section 0: null; section 1: .strtab (non-alloc)
    b.extend(core::iter::repeat_n(0u8, sh as usize));
    w32(&mut b, 0);
    w32(&mut b, 3);
    word(&mut b, 0);
    word(&mut b, 0);
    word(&mut b, str_off);
    word(&mut b, strtab.len() as u64);
    b.extend(core::iter::repeat_n(
        0u8,
        sh as usize - if wide { 40 } else { 24 },
    ));
    b
}

#[test]
fn elf_all_classes_and_byte_orders() {
    for wide in [false, true] {
        for le in [true, false] {
            let elf = tiny_elf(wide, le, 0x0800_0000, b"firmware payload");
            assert_eq!(detect_format(&elf), Format::Elf);
            let img = load(&elf).expect("valid ELF");
            assert_eq!(img.entry, Some(0x0800_0001));
            assert_eq!(img.segments.len(), 2, "wide={wide} le={le}");
            assert_eq!(img.segments[0].address, Some(0x0800_0000));
            assert_eq!(&*img.segments[0].data, b"firmware payload");
            // Stored verbatim: borrowed from the input, not copied.
            assert!(matches!(img.segments[0].data, Cow::Borrowed(_)));
            assert_eq!(
                img.segments[0].file_offset,
                Some(if wide { 120 } else { 84 })
            );
            assert_eq!(img.segments[1].address, None);
            assert!(img.segments[1].data.windows(8).any(|w| w == b"mbedtls_"));
        }
    }
}

#[test]
fn elf_truncations_and_corruptions_are_errors_not_panics() {
    let elf = tiny_elf(false, true, 0x100, b"0123456789abcdef");
    for n in 0..elf.len() {
        let _ = load(&elf[..n]);
    }
    let mut x = 0x9e37_79b9u32;
    for _ in 0..3000 {
        let mut e = elf.clone();
        for _ in 0..3 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let i = x as usize % e.len();
            e[i] = (x >> 8) as u8;
        }
        if let Ok(img) = load(&e) {
            assert!(img.len() <= 2 * e.len());
        }
    }
    let mut huge = elf.clone();
    huge[44] = 0xff; // phnum = 0x00ff with the same phoff: reads beyond input
    huge[45] = 0xff;
    assert!(load(&huge).is_err());
}

#[test]
fn intel_hex_with_extended_linear_addresses() {
    let text = b":020000040800F2\r\n:10000000000102030405060708090A0B0C0D0E0F78\n:0400100010111213A6\n:04000005080000C12E\n:00000001FF\n";
    assert_eq!(detect_format(text), Format::IntelHex);
    let img = load(text).expect("valid HEX");
    assert_eq!(img.segments.len(), 1);
    assert_eq!(img.segments[0].address, Some(0x0800_0000));
    assert_eq!(img.segments[0].data, (0u8..20).collect::<Vec<_>>());
    assert_eq!(img.entry, Some(0x0800_00c1));
    assert!(matches!(
        load(b":10000000000102030405060708090A0B0C0D0E0F77\n"),
        Err(LoadError::BadRecord { line: 1, .. })
    ));
    assert!(load_ihex(b":0100\n").is_err());
    assert!(load_ihex(b"garbage\n").is_err());
}

#[test]
fn srecord_s1_s2_s3() {
    let text =
        b"S00600004844521B\nS1130000285F245F2212226A000424290008237C2A\nS5030001FB\nS9030000FC\n";
    assert_eq!(detect_format(text), Format::SRecord);
    let img = load(text).expect("valid S19");
    assert_eq!(img.segments[0].address, Some(0));
    assert_eq!(img.segments[0].data.len(), 16);
    assert_eq!(img.segments[0].data[..4], [0x28, 0x5f, 0x24, 0x5f]);
    let s3 = b"S30908000000DEADBEEFB6\nS70508000000F2\n";
    let img = load(s3).expect("valid S37");
    assert_eq!(img.segments[0].address, Some(0x0800_0000));
    assert_eq!(&*img.segments[0].data, [0xde, 0xad, 0xbe, 0xef]);
    assert!(matches!(img.segments[0].data, Cow::Owned(_)));
    assert_eq!(img.entry, Some(0x0800_0000));
    assert!(load(b"S30908000000DEADBEEFA7\n").is_err());
    assert!(load(b"S1FF00\n").is_err());
}

#[test]
fn raw_and_random_inputs_never_panic() {
    assert_eq!(detect_format(b"\x00\x01binary"), Format::Raw);
    let raw = load(b"plain").expect("raw");
    assert_eq!(&*raw.segments[0].data, b"plain");
    assert!(matches!(raw.segments[0].data, Cow::Borrowed(_)));
    let mut x = 7u64;
    for len in 0..400 {
        let mut v = vec![0u8; len];
        for b in v.iter_mut() {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            *b = (x >> 56) as u8;
        }
        for prefix in [&b"\x7fELF"[..], b":", b"S3"] {
            let mut w = prefix.to_vec();
            w.extend_from_slice(&v);
            for f in [Format::Elf, Format::IntelHex, Format::SRecord] {
                let _ = load_as(&w, f);
            }
        }
    }
}

#[test]
fn elf_header_tables_near_u64_max_are_errors() {
    // Regression: found by the `load_elf` fuzz target (offset overflow).
    for field in [32usize, 40] {
        let mut elf = tiny_elf(true, true, 0x1000, b"payload");
        elf[field..field + 8].copy_from_slice(&0xffff_ffff_ffff_fff0u64.to_le_bytes());
        assert!(load(&elf).is_err(), "field at {field}");
    }
}
