//! Host <-> board wire protocol for pqbench.
//!
//! `no_std`, no allocation: the firmware and the host runner share this crate.
//!
//! # Framing
//!
//! A frame on the wire is `COBS(payload ‖ CRC-32(payload)) ‖ 0x00`:
//! the payload is a [`Message`] encoded by [`Message::encode`], followed by its
//! CRC-32 (ISO-HDLC, little endian), the whole COBS-encoded so that the only
//! zero byte is the frame delimiter. A receiver resynchronises at the next zero
//! after any garbage; a frame whose checksum does not match is reported as
//! [`FrameError::Checksum`], never silently accepted.
//!
//! # Versioning
//!
//! The first exchange is [`Message::Hello`] both ways, carrying
//! [`PROTOCOL_VERSION`]. A peer that speaks another version answers
//! [`Message::Error`] with [`ErrorCode::VersionMismatch`]; the host refuses to
//! go on and tells the user to rebuild the firmware.

#![no_std]

pub mod cobs;
pub mod frame;
pub mod message;

pub use frame::{FrameDecoder, FrameError, MAX_FRAME, MAX_PAYLOAD, encode_frame};
pub use message::{Counter, DecodeError, ErrorCode, Message, NO_INDEX};

/// Version of the message set. Bump on any incompatible change.
pub const PROTOCOL_VERSION: u16 = 1;
