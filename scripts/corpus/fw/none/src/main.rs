//! Negative control: a sensor-frame parser with no cryptography at all.
#![cfg_attr(target_os = "none", no_std, no_main)]
use core::fmt::Write;

struct Buf {
    data: [u8; 64],
    len: usize,
}

impl Write for Buf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        for b in s.bytes() {
            if self.len == self.data.len() {
                return Err(core::fmt::Error);
            }
            self.data[self.len] = b;
            self.len += 1;
        }
        Ok(())
    }
}

fn work(input: &[u8; 64]) -> [u8; 64] {
    let mut fields = [0u16; 16];
    for (i, c) in input.chunks(4).enumerate() {
        fields[i] = u16::from_le_bytes([c[0], c[1]]) ^ u16::from(c[2]);
    }
    fields.sort_unstable();
    let mut buf = Buf { data: [0; 64], len: 0 };
    let _ = write!(buf, "temp={} hum={} max={}", fields[0], fields[7], fields[15]);
    buf.data
}

fw_common::fw_main!(work);
