//! Consistent Overhead Byte Stuffing: removes every zero byte from a buffer
//! with at most one byte of overhead per 254 bytes.

/// Worst-case encoded length of `len` input bytes (without the delimiter).
pub const fn max_encoded_len(len: usize) -> usize {
    len + len / 254 + 1
}

/// Encodes `input` into `out`; returns the encoded length, or `None` when `out`
/// is too small. The output contains no zero byte.
pub fn encode(input: &[u8], out: &mut [u8]) -> Option<usize> {
    if out.len() < max_encoded_len(input.len()) {
        return None;
    }
    let mut code_at = 0; // where the current block's code byte goes
    let mut o = 1;
    let mut code: u8 = 1;
    for &b in input {
        if b == 0 {
            out[code_at] = code;
            code_at = o;
            o += 1;
            code = 1;
        } else {
            out[o] = b;
            o += 1;
            code += 1;
            if code == 0xFF {
                out[code_at] = code;
                code_at = o;
                o += 1;
                code = 1;
            }
        }
    }
    out[code_at] = code;
    Some(o)
}

/// Why a COBS block could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CobsError {
    /// A zero byte inside the encoded data.
    ZeroByte,
    /// A code byte points past the end of the data.
    Truncated,
    /// The output buffer is too small.
    TooLong,
}

/// Decodes `input` (without the delimiter) into `out`; returns the decoded length.
pub fn decode(input: &[u8], out: &mut [u8]) -> Result<usize, CobsError> {
    let mut i = 0;
    let mut o = 0;
    while i < input.len() {
        let code = input[i];
        if code == 0 {
            return Err(CobsError::ZeroByte);
        }
        i += 1;
        let n = code as usize - 1;
        if i + n > input.len() {
            return Err(CobsError::Truncated);
        }
        for &b in &input[i..i + n] {
            if b == 0 {
                return Err(CobsError::ZeroByte);
            }
            *out.get_mut(o).ok_or(CobsError::TooLong)? = b;
            o += 1;
        }
        i += n;
        if code != 0xFF && i < input.len() {
            *out.get_mut(o).ok_or(CobsError::TooLong)? = 0;
            o += 1;
        }
    }
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(data: &[u8]) {
        let mut enc = [0u8; 2048];
        let n = encode(data, &mut enc).unwrap();
        assert!(!enc[..n].contains(&0), "encoded data contains zero");
        assert!(n <= max_encoded_len(data.len()));
        let mut dec = [0u8; 2048];
        let m = decode(&enc[..n], &mut dec).unwrap();
        assert_eq!(&dec[..m], data);
    }

    #[test]
    fn known_vectors() {
        // Examples from Cheshire & Baker / Wikipedia.
        let cases: &[(&[u8], &[u8])] = &[
            (&[0x00], &[0x01, 0x01]),
            (&[0x00, 0x00], &[0x01, 0x01, 0x01]),
            (&[0x11, 0x22, 0x00, 0x33], &[0x03, 0x11, 0x22, 0x02, 0x33]),
            (&[0x11, 0x22, 0x33, 0x44], &[0x05, 0x11, 0x22, 0x33, 0x44]),
            (&[0x11, 0x00, 0x00, 0x00], &[0x02, 0x11, 0x01, 0x01, 0x01]),
        ];
        for (raw, enc) in cases {
            let mut out = [0u8; 16];
            let n = encode(raw, &mut out).unwrap();
            assert_eq!(&out[..n], *enc, "encoding {raw:02x?}");
            round_trip(raw);
        }
    }

    #[test]
    fn long_runs_round_trip() {
        let mut buf = [0u8; 1000];
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (i % 255 + 1) as u8;
        }
        round_trip(&buf);
        round_trip(&buf[..254]);
        round_trip(&buf[..255]);
        buf[500] = 0;
        round_trip(&buf);
        round_trip(&[]);
    }

    #[test]
    fn rejects_bad_input() {
        let mut out = [0u8; 16];
        assert_eq!(decode(&[0x05, 0x11], &mut out), Err(CobsError::Truncated));
        assert_eq!(
            decode(&[0x03, 0x00, 0x11], &mut out),
            Err(CobsError::ZeroByte)
        );
        let mut tiny = [0u8; 1];
        assert_eq!(
            decode(&[0x03, 0x11, 0x22], &mut tiny),
            Err(CobsError::TooLong)
        );
    }
}
