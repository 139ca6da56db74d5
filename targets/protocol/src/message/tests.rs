//! Round trips of every message through a frame, and rejection of malformed
//! payloads.

use super::*;
use crate::{FrameDecoder, MAX_FRAME, MAX_PAYLOAD, encode_frame};

fn all() -> [Message<'static>; 14] {
    [
        Message::Shutdown,
        Message::HostHello { version: 1 },
        Message::BoardHello {
            version: 1,
            counter: Counter::SysTick,
            clock_hz: 25_000_000,
            workloads: 6,
            stack_bytes: 65536,
            heap_bytes: 1 << 20,
            board: "mps2-an386",
            features: "hash,pqc",
        },
        Message::List,
        Message::WorkloadInfo {
            index: 3,
            id: "hash/sha256.digest/rustcrypto/1KiB",
            throughput_kind: throughput::BYTES,
            throughput: 1024,
        },
        Message::ListEnd { count: 6 },
        Message::Run {
            index: 2,
            seed: 0xDEAD_BEEF_0123_4567,
            iterations: 10,
        },
        Message::Sample {
            index: 2,
            iteration: 9,
            ticks: u64::MAX - 1,
        },
        Message::Metric {
            index: 2,
            name: "public_key_bytes",
            value: 1184,
            unit: "bytes",
        },
        Message::RunDone {
            index: 2,
            stack_setup_bytes: 100,
            stack_run_bytes: 2000,
            heap_peak_bytes: 3000,
            timer_overhead_ticks: 1,
        },
        Message::Calibrate { loops: 1000 },
        Message::CalibrateDone {
            loops: 1000,
            instructions: 3000,
            ticks: 75,
        },
        Message::Error {
            code: ErrorCode::DoesNotFitHeap,
            index: 2,
            message: "allocation of 1048576 bytes failed",
        },
        Message::Error {
            code: ErrorCode::VersionMismatch,
            index: NO_INDEX,
            message: "ü non-ascii ok",
        },
    ]
}

#[test]
fn every_message_round_trips_through_a_frame() {
    for m in all() {
        let mut payload = [0u8; MAX_PAYLOAD];
        let n = m.encode(&mut payload).unwrap();
        let mut wire = [0u8; MAX_FRAME];
        let f = encode_frame(&payload[..n], &mut wire).unwrap();
        let mut dec = FrameDecoder::new();
        let mut seen = 0;
        for &b in &wire[..f] {
            if let Some(r) = dec.push(b) {
                assert_eq!(Message::decode(r.unwrap()), Ok(m));
                seen += 1;
            }
        }
        assert_eq!(seen, 1);
    }
}

#[test]
fn truncated_and_padded_payloads_are_rejected() {
    for m in all() {
        let mut payload = [0u8; MAX_PAYLOAD];
        let n = m.encode(&mut payload).unwrap();
        for cut in 0..n {
            assert!(
                Message::decode(&payload[..cut]).is_err(),
                "{m:?} cut at {cut}"
            );
        }
        assert_eq!(
            Message::decode(&payload[..n + 1]),
            Err(DecodeError::TrailingBytes)
        );
    }
    assert_eq!(Message::decode(&[0x55]), Err(DecodeError::UnknownTag(0x55)));
    assert_eq!(
        Message::decode(&[0x7F, 99, 0, 0, 0, 0]),
        Err(DecodeError::BadValue)
    );
    assert_eq!(
        Message::decode(&[0x7F, 1, 0, 0, 1, 0, 0xFF]),
        Err(DecodeError::BadUtf8)
    );
}

#[test]
fn long_error_messages_are_shortened_to_fit() {
    let long = "é".repeat(1000);
    let m = Message::Error {
        code: ErrorCode::Panic,
        index: 0,
        message: &long,
    };
    let mut payload = [0u8; MAX_PAYLOAD];
    let n = m.encode(&mut payload).unwrap();
    assert_eq!(n % 2, 0, "cut inside a 2-byte char: {n}");
    match Message::decode(&payload[..n]).unwrap() {
        Message::Error { message, .. } => {
            assert!(message.len() > 400 && long.starts_with(message))
        }
        other => panic!("{other:?}"),
    }
}
