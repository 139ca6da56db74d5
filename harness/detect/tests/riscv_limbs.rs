//! RV64 (RISC-V) decoding for the limb kernel
//! ([`pqbench_detect::words::riscv`]): instructions encoded in the test from
//! the bit layouts of the RISC-V unprivileged ISA spec, checked against the
//! bytes llvm-mc 14 assembles; values checked step by step against plain
//! arithmetic; negative controls (clobbered register, reach exceeded, raw
//! image, one limb); and an end-to-end `riscv64-li` finding in a minimal
//! RISC-V ELF.

use pqbench_detect::analyze::Detector;
use pqbench_detect::words::riscv::riscv64_values;

mod common;
use common::{ecc_algorithms, hits};

// Encoders from the bit layouts of the RISC-V unprivileged ISA spec (RV64I
// base formats and the RVC quadrants), checked against llvm-mc 14 below.

const A0: u32 = 10;
const A1: u32 = 11;
const A2: u32 = 12;
const A5: u32 = 15;
const T0: u32 = 5;
const T1: u32 = 6;

fn rv_i(op: u32, f3: u32, rd: u32, rs1: u32, imm: i32) -> u32 {
    ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op
}
fn rv_r(f7: u32, rs2: u32, rs1: u32, f3: u32, rd: u32) -> u32 {
    (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33
}
fn lui(rd: u32, imm20: u32) -> u32 {
    (imm20 << 12) | (rd << 7) | 0x37
}
fn addi(rd: u32, rs1: u32, imm: i32) -> u32 {
    rv_i(0x13, 0, rd, rs1, imm)
}
fn addiw(rd: u32, rs1: u32, imm: i32) -> u32 {
    rv_i(0x1b, 0, rd, rs1, imm)
}
fn slli(rd: u32, rs1: u32, sh: i32) -> u32 {
    rv_i(0x13, 1, rd, rs1, sh)
}
fn srai(rd: u32, rs1: u32, sh: i32) -> u32 {
    rv_i(0x13, 5, rd, rs1, 0x400 | sh)
}
fn add(rd: u32, rs1: u32, rs2: u32) -> u32 {
    rv_r(0, rs2, rs1, 0, rd)
}
fn ld(rd: u32, rs1: u32, off: i32) -> u32 {
    rv_i(0x03, 3, rd, rs1, off)
}
fn sd(rs2: u32, rs1: u32) -> u32 {
    (rs2 << 20) | (rs1 << 15) | (3 << 12) | 0x23
}
/// c.li, c.lui (imm6 = nzimm[17:12]), c.addi, c.slli: CI format.
fn c_ci(f3: u16, q: u16, rd: u32, imm6: i32) -> u16 {
    let i = imm6 as u16 & 0x3f;
    (f3 << 13) | ((i >> 5) << 12) | ((rd as u16) << 7) | ((i & 31) << 2) | q
}
fn c_srli(rd: u32, sh: u16) -> u16 {
    (0b100 << 13) | ((sh >> 5) << 12) | (((rd - 8) as u16) << 7) | ((sh & 31) << 2) | 1
}
fn c_mv(rd: u32, rs2: u32) -> u16 {
    (0b100 << 13) | ((rd as u16) << 7) | ((rs2 as u16) << 2) | 2
}
fn c_add(rd: u32, rs2: u32) -> u16 {
    c_mv(rd, rs2) | 1 << 12
}
const C_NOP: u16 = 0x0001;

/// Instructions of either length, in order.
enum Rv {
    W(u32),
    H(u16),
}
fn rv(code: &[Rv]) -> Vec<u8> {
    code.iter()
        .flat_map(|x| match x {
            Rv::W(w) => w.to_le_bytes().to_vec(),
            Rv::H(h) => h.to_le_bytes().to_vec(),
        })
        .collect()
}
fn rv_values(code: &[u8]) -> Vec<(usize, u64)> {
    let mut got = Vec::new();
    riscv64_values(code, |o, v| got.push((o, v)));
    got
}

#[test]
fn riscv_encoders_agree_with_llvm_mc() {
    // `llvm-mc -triple=riscv64 -mattr=+c -show-encoding` (LLVM 14).
    let want: [(Rv, &[u8]); 9] = [
        (Rv::W(lui(A0, 1_047_790)), &[0x37, 0xe5, 0xce, 0xff]),
        (Rv::W(addiw(A0, A0, 1835)), &[0x1b, 0x05, 0xb5, 0x72]),
        (Rv::W(addi(A0, A0, 191)), &[0x13, 0x05, 0xf5, 0x0b]),
        (Rv::W(srai(13, A5, 40)), &[0x93, 0xd6, 0x87, 0x42]),
        (Rv::W(slli(14, A5, 63)), &[0x13, 0x97, 0xf7, 0x03]),
        (Rv::H(c_ci(0b010, 1, A5, -1)), &[0xfd, 0x57]), // c.li a5, -1
        (Rv::H(c_srli(A5, 13)), &[0xb5, 0x83]),
        (Rv::H(c_ci(0b011, 1, A1, -2)), &[0xf9, 0x75]), // c.lui a1, 0xffffe
        (Rv::H(c_add(A2, A5)), &[0x3e, 0x96]),
    ];
    for (insn, bytes) in want {
        assert_eq!(rv(&[insn]), bytes);
    }
    assert_eq!(rv(&[Rv::H(c_mv(A2, A1))]), [0x2e, 0x86]);
}

/// `li a0, 0xf3b9cac2fc632551` (P-256 n, limb 0) as llvm-mc 14 expands
/// it with RVC: 8 instructions, 2- and 4-byte, checked step by step.
#[test]
fn riscv_llvm_li_expansion_of_a_p256_limb_decodes_step_by_step() {
    let code = [
        0x37, 0xe5, 0xce, 0xff, // lui a0, 1047790
        0x1b, 0x05, 0xb5, 0x72, // addiw a0, a0, 1835
        0x32, 0x05, // slli a0, a0, 12
        0x13, 0x05, 0xf5, 0x0b, // addi a0, a0, 191
        0x36, 0x05, // slli a0, a0, 13
        0x13, 0x05, 0x95, 0x31, // addi a0, a0, 793
        0x36, 0x05, // slli a0, a0, 13
        0x13, 0x05, 0x15, 0x55, // addi a0, a0, 1361
    ];
    // The same steps in plain arithmetic (ISA semantics).
    let mut v = ((1_047_790u32 << 12) as i32) as i64 as u64;
    let mut want = vec![v];
    v = (v.wrapping_add(1835) as u32 as i32) as i64 as u64;
    want.push(v);
    for (sh, imm) in [(12, 191u64), (13, 793), (13, 1361)] {
        v <<= sh;
        want.push(v);
        v = v.wrapping_add(imm);
        want.push(v);
    }
    assert_eq!(v, 0xf3b9_cac2_fc63_2551);
    let got = rv_values(&code);
    assert_eq!(got, want.iter().map(|&v| (0, v)).collect::<Vec<_>>());
}

/// GCC-style: the two 32-bit halves built in two registers (the high half
/// corrected for the sign of the low one), combined by `slli; add`, with
/// unrelated instructions in between; `li -1; srli` masks (libsodium's
/// 2^51 - 1); ADDIW wrapping; a 4-byte instruction at a 2-byte offset.
#[test]
fn riscv_split_halves_masks_and_wraps_decode() {
    for v in [
        0xf3b9_cac2_fc63_2551u64,
        0xbce6_faad_a717_9e84,
        0xccd1_c8aa_ee00_bc4f,
        0x0007_ffff_ffff_ffed,
    ] {
        let lo = v as u32 as i32 as i64; // sign-extended low half
        let hi = ((v as i64).wrapping_sub(lo) >> 32) as u32;
        // li: lui + addiw with the 12-bit rounding of lui.
        let li = |rd: u32, x: u32| {
            let low = ((x << 20) as i32) >> 20;
            let up = x.wrapping_sub(low as u32) >> 12;
            [Rv::W(lui(rd, up)), Rv::W(addiw(rd, rd, low))]
        };
        let [h0, h1] = li(T0, hi);
        let [l0, l1] = li(T1, lo as u32);
        let code = rv(&[
            h0,
            Rv::W(ld(A2, 2, 8)),
            l0,
            Rv::H(C_NOP),
            h1,
            Rv::W(sd(A2, 2)),
            l1,
            Rv::W(slli(T0, T0, 32)),
            Rv::W(add(A0, T0, T1)),
        ]);
        let got = rv_values(&code);
        assert_eq!(got.last(), Some(&(0, v)), "{v:#x}: {got:x?}");
    }
    // li a5, -1; srli a5, a5, 13; c.lui a1, -2 (0xffffe); srli a1, a1, 12;
    // c.mv a2, a1; c.add a2, a5.
    let code = rv(&[
        Rv::H(c_ci(0b010, 1, A5, -1)),
        Rv::H(c_srli(A5, 13)),
        Rv::H(c_ci(0b011, 1, A1, -2)),
        Rv::H(c_srli(A1, 12)),
        Rv::H(c_mv(A2, A1)),
        Rv::H(c_add(A2, A5)),
    ]);
    let got = rv_values(&code);
    let m51 = (1u64 << 51) - 1;
    let two_p_hi = (1u64 << 52) - 2; // 0xffffffffffffe000 >> 12
    assert_eq!(
        got,
        [
            (0, u64::MAX),
            (0, m51),
            (4, 0xffff_ffff_ffff_e000),
            (4, two_p_hi),
            (4, two_p_hi),
            (0, two_p_hi.wrapping_add(m51)),
        ]
    );
    // ADDIW wraps at 32 bits and sign-extends; ADDI does not; SRAI keeps
    // the sign; SLLI takes a 6-bit shift.
    let code = rv(&[
        Rv::W(lui(A0, 0x80000)),
        Rv::W(addiw(A1, A0, -1)),
        Rv::W(addi(A2, A0, -1)),
        Rv::W(srai(A5, A0, 20)),
        Rv::W(slli(T0, A1, 33)),
    ]);
    let got: Vec<u64> = rv_values(&code).into_iter().map(|x| x.1).collect();
    assert_eq!(
        got,
        [
            0xffff_ffff_8000_0000,
            0x7fff_ffff,
            0xffff_ffff_7fff_ffff,
            0xffff_ffff_ffff_f800,
            0xffff_fffe_0000_0000,
        ]
    );
    // Misaligned for a 4-byte sweep: a compressed nop, then the 4-byte lui.
    let code = rv(&[Rv::H(C_NOP), Rv::W(lui(A0, 0x12345))]);
    assert_eq!(rv_values(&code), [(2, 0x1234_5000)]);
}

/// Negative controls: a register overwritten by a load, a step further
/// than RV_REACH bytes from the last write, and a chain on a register
/// never set produce no (or only the partial) value.
#[test]
fn riscv_clobbered_or_distant_registers_stop_a_chain() {
    use pqbench_detect::words::riscv::RV_REACH;
    let full = [
        Rv::W(lui(A0, 1_047_790)),
        Rv::W(addiw(A0, A0, 1835)),
        Rv::W(slli(A0, A0, 12)),
        Rv::W(addi(A0, A0, 191)),
        Rv::W(slli(A0, A0, 13)),
        Rv::W(addi(A0, A0, 793)),
        Rv::W(slli(A0, A0, 13)),
        Rv::W(addi(A0, A0, 1361)),
    ];
    let limb = 0xf3b9_cac2_fc63_2551u64;
    let has = |code: &[u8]| rv_values(code).iter().any(|x| x.1 == limb);
    assert!(has(&rv(&full)));
    // A load into a0 between two steps.
    let mut clobbered: Vec<u8> = rv(&full[..4]);
    clobbered.extend(rv(&[Rv::W(ld(A0, 2, 16))]));
    clobbered.extend(rv(&full[4..]));
    assert!(!has(&clobbered));
    // The same with the load into another register: still found.
    let mut other: Vec<u8> = rv(&full[..4]);
    other.extend(rv(&[Rv::W(ld(A1, 2, 16))]));
    other.extend(rv(&full[4..]));
    assert!(has(&other));
    // A gap of more than RV_REACH bytes of nops.
    let mut far: Vec<u8> = rv(&full[..4]);
    far.extend(std::iter::repeat_n(C_NOP.to_le_bytes(), RV_REACH / 2 + 1).flatten());
    far.extend(rv(&full[4..]));
    assert!(!has(&far));
    // Exactly at the reach: found.
    let mut near: Vec<u8> = rv(&full[..4]);
    near.extend(std::iter::repeat_n(C_NOP.to_le_bytes(), RV_REACH / 2 - 2).flatten());
    near.extend(rv(&full[4..]));
    assert!(has(&near));
    // Without the lui, a0 is unknown: nothing at all.
    assert!(rv_values(&rv(&full[1..])).is_empty());
}

/// A minimal ELF64 for RISC-V (`e_machine` 243) with one PT_LOAD holding `code`.
fn riscv_elf(code: &[u8]) -> Vec<u8> {
    let mut e = vec![0u8; 128];
    e[..8].copy_from_slice(&[0x7f, b'E', b'L', b'F', 2, 1, 1, 0]);
    e[16..18].copy_from_slice(&3u16.to_le_bytes()); // ET_DYN
    e[18..20].copy_from_slice(&243u16.to_le_bytes());
    e[20..24].copy_from_slice(&1u32.to_le_bytes());
    e[32..40].copy_from_slice(&64u64.to_le_bytes()); // e_phoff
    e[52..54].copy_from_slice(&64u16.to_le_bytes()); // e_ehsize
    e[54..56].copy_from_slice(&56u16.to_le_bytes()); // e_phentsize
    e[56..58].copy_from_slice(&1u16.to_le_bytes()); // e_phnum
    e[58..60].copy_from_slice(&64u16.to_le_bytes()); // e_shentsize
    let ph = 64;
    e[ph..ph + 4].copy_from_slice(&1u32.to_le_bytes()); // PT_LOAD
    e[ph + 4..ph + 8].copy_from_slice(&5u32.to_le_bytes()); // R+X
    e[ph + 8..ph + 16].copy_from_slice(&128u64.to_le_bytes()); // p_offset
    e[ph + 16..ph + 24].copy_from_slice(&0x1000u64.to_le_bytes()); // p_vaddr
    e[ph + 24..ph + 32].copy_from_slice(&0x1000u64.to_le_bytes()); // p_paddr
    e[ph + 32..ph + 40].copy_from_slice(&(code.len() as u64).to_le_bytes());
    e[ph + 40..ph + 48].copy_from_slice(&(code.len() as u64).to_le_bytes());
    e.extend(code);
    e
}

/// LLVM-style `li` chains for the three distinctive P-256 n limbs in a
/// RISC-V ELF make a `riscv64-li` hit and a P-256 finding; the same code as
/// a raw image (RISC-V is decoded only for EM_RISCV) or with one limb
/// makes none.
#[test]
fn p256_limbs_built_by_riscv_code_make_an_ecc_finding() {
    let det = Detector::builtin();
    // li rd, v as LLVM expands it (lui; addiw; then slli/addi pairs).
    fn li(rd: u32, v: u64) -> Vec<Rv> {
        let lo = ((v << 52) as i64 >> 52) as i32;
        let hi = (v as i64).wrapping_sub(i64::from(lo));
        if hi == 0 {
            return vec![Rv::W(addi(rd, 0, lo))];
        }
        if hi == i64::from(hi as i32) && hi & 0xfff == 0 {
            let mut s = vec![Rv::W(lui(rd, ((hi as u64) >> 12) as u32 & 0xfffff))];
            if lo != 0 {
                s.push(Rv::W(addiw(rd, rd, lo)));
            }
            return s;
        }
        let sh = 12 + ((hi >> 12) as u64).trailing_zeros();
        let up = ((hi >> 12) >> (sh - 12)) as u64;
        let mut s = li(rd, up);
        s.push(Rv::W(slli(rd, rd, sh as i32)));
        if lo != 0 {
            s.push(Rv::W(addi(rd, rd, lo)));
        }
        s
    }
    let limbs = [
        0xf3b9_cac2_fc63_2551u64,
        0xbce6_faad_a717_9e84,
        0xccd1_c8aa_ee00_bc4f,
    ];
    for &v in &limbs {
        let got = rv_values(&rv(&li(A0, v)));
        assert_eq!(got.last().map(|x| x.1), Some(v), "{v:#x}");
    }
    let code = |vals: &[u64]| -> Vec<u8> {
        let mut c = Vec::new();
        for (k, &v) in vals.iter().enumerate() {
            c.extend(rv(&li(A0 + k as u32, v)));
            c.extend(rv(&[Rv::W(sd(A0 + k as u32, 2)), Rv::W(ld(A5, 2, 8))]));
            c.extend(std::iter::repeat_n(C_NOP.to_le_bytes(), 40).flatten());
        }
        c
    };
    let limb_hit = |bytes: &[u8]| {
        let a = det.analyze(bytes).expect("image");
        let h = hits(&det, &a);
        (
            h.contains(&("p-256.n-limbs64", "riscv64-li")),
            ecc_algorithms(&a).contains(&"p-256"),
        )
    };
    assert_eq!(limb_hit(&riscv_elf(&code(&limbs))), (true, true));
    assert_eq!(limb_hit(&code(&limbs)), (false, false));
    assert!(!limb_hit(&riscv_elf(&code(&limbs[..1]))).0);
    assert!(!limb_hit(&riscv_elf(&code(&[limbs[0]; 3]))).0);
}

/// Arbitrary bytes (xorshift) decode without panicking, with every value
/// reported at an even offset inside the input, and a sweep cut at any
/// length reports a prefix of the full sweep's values.
#[test]
fn riscv_sweep_of_random_bytes_is_total_and_prefix_stable() {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let data: Vec<u8> = (0..1 << 18)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let all = rv_values(&data);
    assert!(all.len() > 1000, "{}", all.len());
    assert!(all.iter().all(|&(o, _)| o % 2 == 0 && o < data.len()));
    for cut in [1usize, 2, 3, 1001, 65_536, 200_003] {
        let part = rv_values(&data[..cut]);
        assert_eq!(part, all[..part.len()], "cut {cut}");
    }
}
