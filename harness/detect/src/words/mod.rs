//! Constants encoded in instructions: the second detection kernel.
//!
//! Compilers rarely keep small constant tables (SHA-1's K, MD5's T, SHA-256's
//! K when the rounds are unrolled, the masks of fixsliced AES) as contiguous
//! bytes: on Thumb-2 a 32-bit constant becomes a `MOVW Rd, #lo16` /
//! `MOVT Rd, #hi16` pair (the halves scattered over the instruction
//! encoding), on x86-64 an `imm32`/`disp32` operand (`add`, `lea`) or the
//! `imm64` of `movabs`, on Thumb-1 and elsewhere a literal-pool word next to
//! the code. The byte-pattern scanner ([`crate::scan`]) cannot see them: its
//! patterns are at least 11 contiguous bytes.
//!
//! [`WordMatcher`] looks for the words of each [`WordSet`](crate::sigdb::WordSet) in one pass over a
//! segment, reading one halfword per even offset: a 64 Ki-bit table says
//! whether it is one of the two 16-bit grams indexed per word (every
//! occurrence of a word, at any byte offset, contains exactly one of them at
//! an even offset; candidates are verified against the whole word), or the
//! first halfword of a Thumb instruction that writes a register's low half
//! (`MOVW`, `MOV.W`, `MOVS`) or its high half (`MOVT`): a `MOVT` completing
//! a low-half write of the same register at most [`MOVW_MOVT_REACH`] bytes
//! before yields the 32-bit value the pair loads. [`WordMatcher::qualify`]
//! then keeps only the matches of sets of which `min_distinct` distinct words
//! lie within [`WINDOW`] bytes of each other, so that a lone word (which
//! random data or unrelated code can contain) is never reported.
//!
//! * `thumb`: decoding and encoding of Thumb-2 `MOVW`/`MOVT` and the pairing
//!   of a low-half write with the `MOVT` that completes it;
//! * `matcher`: [`WordMatcher`], the gram table, the one-pass scan and the
//!   window qualification.
//! * [`imm64`], [`riscv`] and [`limbs`]: public-key limbs (word sets of the
//!   rsa/ecc families, width 8, which [`WordMatcher`] ignores) loaded by
//!   x86-64 and AArch64 move-immediate instructions and built by RV64
//!   `lui`/`addi`/`slli` sequences, with their own chance guard
//!   ([`LimbMatcher`]).

pub mod imm64;
pub mod limbs;
mod matcher;
pub mod riscv;
mod thumb;

#[cfg(test)]
mod tests;

pub use limbs::{LimbMatcher, is_limb_set};
pub use matcher::WordMatcher;
pub use thumb::{Mov16, decode_mov16, encode_mov16, movw_movt_pairs, thumb_expand_imm};

/// Bytes within which a set's `min_distinct` words must lie.
pub const WINDOW: u64 = 1 << 16;
/// Largest distance (bytes) from a MOVW to the MOVT of the same register
/// that completes it (compilers schedule the pair within a few instructions).
pub const MOVW_MOVT_REACH: usize = 64;

/// How a word was encoded where it was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Encoding {
    /// A Thumb-2 `MOVW Rd, #lo16` + `MOVT Rd, #hi16` pair (offset of the MOVW).
    MovwMovt,
    /// Four little-endian bytes at any offset: an x86 `imm32`/`disp32`
    /// operand, a literal-pool or data word.
    Le32,
    /// Eight little-endian bytes at any offset: x86-64 `movabs` `imm64`, a
    /// 64-bit literal or data word.
    Le64,
    /// A public-key limb loaded by an x86-64 `mov` ([`imm64`]).
    X86Mov,
    /// A public-key limb built by AArch64 `MOVZ`/`MOVN`/`MOVK`/`ORR` ([`imm64`]).
    A64Mov,
    /// A public-key limb built by RV64 `lui`/`li`/`addi(w)`/`slli`/`add`
    /// sequences ([`riscv`]).
    RvLi,
}

impl Encoding {
    /// Layout name used in signatures and reports.
    pub fn layout(self) -> &'static str {
        match self {
            Encoding::MovwMovt => "thumb2-movw-movt",
            Encoding::Le32 => "imm32-le",
            Encoding::Le64 => "imm64-le",
            Encoding::X86Mov => "x86-64-mov-imm",
            Encoding::A64Mov => "aarch64-movz-movk",
            Encoding::RvLi => "riscv64-li",
        }
    }

    /// The encodings the words of `set` are looked for in: decoded
    /// instructions for public-key limb sets ([`limbs`]), else by width.
    pub fn for_set(set: &crate::sigdb::WordSet) -> &'static [Encoding] {
        if is_limb_set(set) {
            &[Encoding::X86Mov, Encoding::A64Mov, Encoding::RvLi]
        } else {
            Self::for_width(set.width)
        }
    }

    /// The encodings a word of `width` bytes is looked for in.
    pub fn for_width(width: u8) -> &'static [Encoding] {
        match width {
            4 => &[Encoding::MovwMovt, Encoding::Le32],
            8 => &[Encoding::Le64],
            _ => &[],
        }
    }
}

/// One occurrence of a word of a set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WordMatch {
    /// Offset in the scanned buffer (for pairs: of the low-half write).
    pub offset: usize,
    /// Index of the set.
    pub set: u32,
    /// Index of the word in the set.
    pub word: u32,
    /// How it was encoded.
    pub encoding: Encoding,
}
