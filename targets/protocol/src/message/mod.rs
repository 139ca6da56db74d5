//! The messages exchanged between host and board, and their byte encoding
//! (a tag byte, then fields in little endian; strings as `u16` length + UTF-8).
//!
//! * `types`: [`Message`], its field types and [`DecodeError`];
//! * `encode`: [`Message::encode`], the writer of payloads;
//! * `decode`: [`Message::decode`], the reader of payloads.

mod decode;
mod encode;
mod types;

#[cfg(test)]
mod tests;

pub use types::{Counter, DecodeError, ErrorCode, Message, NO_INDEX, throughput};

/// Tag bytes, the first byte of every encoded message.
mod tag {
    pub const HOST_HELLO: u8 = 0x01;
    pub const BOARD_HELLO: u8 = 0x02;
    pub const LIST: u8 = 0x03;
    pub const WORKLOAD_INFO: u8 = 0x04;
    pub const LIST_END: u8 = 0x05;
    pub const RUN: u8 = 0x06;
    pub const SAMPLE: u8 = 0x07;
    pub const METRIC: u8 = 0x08;
    pub const RUN_DONE: u8 = 0x09;
    pub const CALIBRATE: u8 = 0x0A;
    pub const CALIBRATE_DONE: u8 = 0x0B;
    pub const SHUTDOWN: u8 = 0x0C;
    pub const ERROR: u8 = 0x7F;
}
