//! Shared helpers for the criterion and gungraun benches.
