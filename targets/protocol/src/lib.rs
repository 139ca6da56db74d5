//! Host <-> board wire protocol.
#![no_std]
