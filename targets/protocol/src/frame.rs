//! Frames: `COBS(payload ‖ CRC-32(payload)) ‖ 0x00`.

use crate::cobs;
use crc::{CRC_32_ISO_HDLC, Crc};

/// Largest payload (an encoded [`Message`](crate::Message)) in bytes.
pub const MAX_PAYLOAD: usize = 512;

/// Largest frame on the wire, delimiter included.
pub const MAX_FRAME: usize = cobs::max_encoded_len(MAX_PAYLOAD + 4) + 1;

const CRC32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);

/// CRC-32 (ISO-HDLC, the one of zlib and Ethernet) of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    CRC32.checksum(data)
}

/// Why a frame was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// The payload is longer than [`MAX_PAYLOAD`] or the output buffer too small.
    TooLong,
    /// The COBS encoding is invalid (a corrupted or truncated frame).
    Cobs,
    /// Shorter than the 4-byte checksum.
    TooShort,
    /// The CRC-32 does not match: the frame was corrupted in transit.
    Checksum {
        /// CRC-32 carried by the frame.
        expected: u32,
        /// CRC-32 computed over the received payload.
        actual: u32,
    },
}

impl core::fmt::Display for FrameError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            FrameError::TooLong => write!(f, "frame longer than {MAX_PAYLOAD} payload bytes"),
            FrameError::Cobs => write!(f, "invalid COBS encoding (corrupted frame)"),
            FrameError::TooShort => write!(f, "frame shorter than its checksum"),
            FrameError::Checksum { expected, actual } => write!(
                f,
                "CRC-32 mismatch (frame says {expected:08x}, payload has {actual:08x}): corrupted frame"
            ),
        }
    }
}

/// Writes the frame for `payload` into `out`; returns its length, delimiter
/// included.
pub fn encode_frame(payload: &[u8], out: &mut [u8]) -> Result<usize, FrameError> {
    if payload.len() > MAX_PAYLOAD {
        return Err(FrameError::TooLong);
    }
    let mut raw = [0u8; MAX_PAYLOAD + 4];
    raw[..payload.len()].copy_from_slice(payload);
    raw[payload.len()..payload.len() + 4].copy_from_slice(&crc32(payload).to_le_bytes());
    let n = cobs::encode(&raw[..payload.len() + 4], out).ok_or(FrameError::TooLong)?;
    *out.get_mut(n).ok_or(FrameError::TooLong)? = 0;
    Ok(n + 1)
}

/// Incremental frame decoder: feed it bytes as they arrive.
pub struct FrameDecoder {
    buf: [u8; MAX_FRAME],
    len: usize,
    overflow: bool,
    payload: [u8; MAX_PAYLOAD + 4],
}

impl Default for FrameDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameDecoder {
    /// An empty decoder.
    pub const fn new() -> Self {
        Self {
            buf: [0; MAX_FRAME],
            len: 0,
            overflow: false,
            payload: [0; MAX_PAYLOAD + 4],
        }
    }

    /// Discards any partial frame.
    pub fn reset(&mut self) {
        self.len = 0;
        self.overflow = false;
    }

    /// Feeds one byte. Returns `Some` at the end of a frame: the payload, or
    /// why the frame was rejected. Empty frames (two delimiters in a row) are
    /// skipped.
    pub fn push(&mut self, byte: u8) -> Option<Result<&[u8], FrameError>> {
        if byte != 0 {
            if self.len < self.buf.len() {
                self.buf[self.len] = byte;
                self.len += 1;
            } else {
                self.overflow = true;
            }
            return None;
        }
        let len = core::mem::replace(&mut self.len, 0);
        if core::mem::replace(&mut self.overflow, false) {
            return Some(Err(FrameError::TooLong));
        }
        if len == 0 {
            return None;
        }
        Some(self.finish(len))
    }

    fn finish(&mut self, len: usize) -> Result<&[u8], FrameError> {
        let n = cobs::decode(&self.buf[..len], &mut self.payload).map_err(|e| match e {
            cobs::CobsError::TooLong => FrameError::TooLong,
            _ => FrameError::Cobs,
        })?;
        if n < 4 {
            return Err(FrameError::TooShort);
        }
        let (body, tail) = self.payload[..n].split_at(n - 4);
        let expected = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]);
        let actual = crc32(body);
        if expected != actual {
            return Err(FrameError::Checksum { expected, actual });
        }
        Ok(&self.payload[..n - 4])
    }
}

#[cfg(test)]
mod tests {
    /// Up to four decoded pieces of a byte stream: `None` when absent.
    type Decoded = [Option<Result<([u8; 64], usize), FrameError>>; 4];

    use super::*;

    fn frame(payload: &[u8]) -> ([u8; MAX_FRAME], usize) {
        let mut out = [0u8; MAX_FRAME];
        let n = encode_frame(payload, &mut out).unwrap();
        (out, n)
    }

    fn decode_all(bytes: &[u8]) -> Decoded {
        let mut dec = FrameDecoder::new();
        let mut out = [None, None, None, None];
        let mut k = 0;
        for &b in bytes {
            if let Some(r) = dec.push(b) {
                out[k] = Some(r.map(|p| {
                    let mut a = [0u8; 64];
                    a[..p.len()].copy_from_slice(p);
                    (a, p.len())
                }));
                k += 1;
            }
        }
        out
    }

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn round_trips_and_has_one_zero() {
        let payload = [1u8, 0, 2, 0, 0, 255, 7];
        let (f, n) = frame(&payload);
        assert_eq!(f[..n].iter().filter(|&&b| b == 0).count(), 1);
        assert_eq!(f[n - 1], 0);
        let r = decode_all(&f[..n]);
        let (p, len) = r[0].unwrap().unwrap();
        assert_eq!(&p[..len], &payload);
    }

    #[test]
    fn every_single_bit_flip_is_detected() {
        let payload = *b"pqc/ml-kem.keygen/rustcrypto/768";
        let (f, n) = frame(&payload);
        for i in 0..n - 1 {
            for bit in 0..8 {
                let mut g = f;
                g[i] ^= 1 << bit;
                let r = decode_all(&g[..n]);
                // A flip may create a zero (splitting the frame): every piece
                // must then be rejected, never accepted as the original.
                if let Some((p, len)) = r.iter().flatten().flatten().next() {
                    panic!(
                        "corrupted frame (byte {i} bit {bit}) accepted: {:?}",
                        &p[..*len]
                    );
                }
                assert!(
                    r[0].is_some(),
                    "flip at byte {i} bit {bit} produced no verdict"
                );
            }
        }
    }

    #[test]
    fn garbage_before_a_frame_is_reported_then_the_frame_decodes() {
        let (f, n) = frame(b"hello");
        let mut wire = [0u8; 80];
        wire[..4].copy_from_slice(&[0x13, 0x37, 0x42, 0x00]);
        wire[4..4 + n].copy_from_slice(&f[..n]);
        let r = decode_all(&wire[..4 + n]);
        assert!(r[0].unwrap().is_err());
        let (p, len) = r[1].unwrap().unwrap();
        assert_eq!(&p[..len], b"hello");
    }

    #[test]
    fn overlong_frames_are_rejected_and_the_decoder_recovers() {
        let mut dec = FrameDecoder::new();
        for _ in 0..MAX_FRAME + 10 {
            assert!(dec.push(1).is_none());
        }
        assert_eq!(dec.push(0), Some(Err(FrameError::TooLong)));
        let (f, n) = frame(b"ok");
        let mut got = None;
        for &b in &f[..n] {
            if let Some(r) = dec.push(b) {
                got = Some(r.map(|p| p.len()));
            }
        }
        assert_eq!(got, Some(Ok(2)));
        assert_eq!(
            encode_frame(&[1u8; MAX_PAYLOAD + 1], &mut [0u8; 2 * MAX_FRAME]),
            Err(FrameError::TooLong)
        );
    }

    #[test]
    fn truncated_frames_are_rejected() {
        let (f, n) = frame(b"a longer payload of some bytes");
        let mut wire = [0u8; MAX_FRAME];
        wire[..n - 6].copy_from_slice(&f[..n - 6]);
        wire[n - 6] = 0;
        let r = decode_all(&wire[..n - 5]);
        assert!(r[0].unwrap().is_err());
    }
}

#[cfg(test)]
mod noise {
    use super::*;
    use crate::Message;

    /// Deterministic pseudo-random bytes (xorshift), so the test is stable.
    fn noise(seed: u64, n: usize) -> impl Iterator<Item = u8> {
        let mut x = seed | 1;
        (0..n).map(move |_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Many zeros, so that many short frames are attempted.
            if x.is_multiple_of(7) {
                0
            } else {
                (x >> 24) as u8
            }
        })
    }

    #[test]
    fn random_bytes_never_panic_and_rarely_pass_the_crc() {
        let mut accepted = 0;
        let mut frames = 0;
        for seed in 1..50u64 {
            let mut dec = FrameDecoder::new();
            for b in noise(seed, 20_000) {
                if let Some(r) = dec.push(b) {
                    frames += 1;
                    if let Ok(p) = r {
                        accepted += 1;
                        let _ = Message::decode(p);
                    }
                }
            }
        }
        assert!(frames > 10_000, "{frames}");
        // A random frame passes CRC-32 with probability 2^-32.
        assert_eq!(accepted, 0);
    }
}
