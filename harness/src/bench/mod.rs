//! Library API for `cargo bench`.
