//! Firmware crypto-detection kernels.
#![no_std]
extern crate alloc;
