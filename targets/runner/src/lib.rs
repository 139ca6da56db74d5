//! Cortex-M targets: boards as data, firmware builds, QEMU and serial transports.
