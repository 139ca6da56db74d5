//! Bounds-checked little/big-endian field reads shared by the PE and Mach-O
//! loaders: a field beyond the input is [`LoadError::Truncated`].

use super::LoadError;

fn field<const N: usize>(b: &[u8], off: u64, what: &'static str) -> Result<[u8; N], LoadError> {
    let start = usize::try_from(off).map_err(|_| LoadError::Truncated(what))?;
    let s = start
        .checked_add(N)
        .and_then(|end| b.get(start..end))
        .ok_or(LoadError::Truncated(what))?;
    let mut a = [0u8; N];
    a.copy_from_slice(s);
    Ok(a)
}

pub(super) fn u16le(b: &[u8], off: u64, what: &'static str) -> Result<u16, LoadError> {
    field(b, off, what).map(u16::from_le_bytes)
}

pub(super) fn u32le(b: &[u8], off: u64, what: &'static str) -> Result<u32, LoadError> {
    field(b, off, what).map(u32::from_le_bytes)
}

pub(super) fn u64le(b: &[u8], off: u64, what: &'static str) -> Result<u64, LoadError> {
    field(b, off, what).map(u64::from_le_bytes)
}

pub(super) fn u32be(b: &[u8], off: u64, what: &'static str) -> Result<u32, LoadError> {
    field(b, off, what).map(u32::from_be_bytes)
}

pub(super) fn u64be(b: &[u8], off: u64, what: &'static str) -> Result<u64, LoadError> {
    field(b, off, what).map(u64::from_be_bytes)
}

/// `len` bytes at `off`, or `Truncated(what)`.
pub(super) fn slice<'a>(
    b: &'a [u8],
    off: u64,
    len: u64,
    what: &'static str,
) -> Result<&'a [u8], LoadError> {
    let start = usize::try_from(off).map_err(|_| LoadError::Truncated(what))?;
    let len = usize::try_from(len).map_err(|_| LoadError::Truncated(what))?;
    start
        .checked_add(len)
        .and_then(|end| b.get(start..end))
        .ok_or(LoadError::Truncated(what))
}

/// Segments pushed while the total stays within twice the input size.
pub(super) struct Budget {
    left: usize,
}

impl Budget {
    /// A budget of twice `input_len` bytes.
    pub(super) fn new(input_len: usize) -> Self {
        Budget {
            left: input_len.saturating_mul(2),
        }
    }

    /// Takes `n` bytes, or [`LoadError::TooLarge`].
    pub(super) fn take(&mut self, n: usize) -> Result<(), LoadError> {
        self.left = self.left.checked_sub(n).ok_or(LoadError::TooLarge)?;
        Ok(())
    }
}
