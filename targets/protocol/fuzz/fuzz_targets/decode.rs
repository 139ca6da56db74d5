//! Feeds arbitrary bytes (what a board or a noisy link may send) through the
//! frame decoder and the message decoder: nothing may panic, and every
//! accepted frame must re-encode to a frame that decodes to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pqbench_protocol::{FrameDecoder, MAX_FRAME, MAX_PAYLOAD, Message, encode_frame};

fuzz_target!(|data: &[u8]| {
    let mut dec = FrameDecoder::new();
    for &b in data {
        if let Some(Ok(payload)) = dec.push(b) {
            let payload = payload.to_vec();
            if let Ok(msg) = Message::decode(&payload) {
                let mut buf = [0u8; MAX_PAYLOAD];
                let n = msg.encode(&mut buf).expect("a decoded message re-encodes");
                assert_eq!(Message::decode(&buf[..n]), Ok(msg));
                let mut wire = [0u8; MAX_FRAME];
                encode_frame(&buf[..n], &mut wire).expect("fits a frame");
            }
        }
    }
});
