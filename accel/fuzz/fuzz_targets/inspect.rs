//! Fuzz the TFLite model inspector: arbitrary bytes must give a `ModelInfo`
//! or an `InspectError`, never a panic, hang or out-of-bounds read.
//!
//! Run: `cd accel/fuzz && cargo +nightly fuzz run inspect -- -max_total_time=60`
//! (seed the corpus with `accel/models/*.tflite` for deep coverage).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = pqbench_accel::inspect::inspect(data) {
        // The summary must be internally consistent.
        assert_eq!(
            info.operators.values().sum::<usize>(),
            info.edgetpu_ops + info.cpu_ops
        );
        let _ = info.to_string();
    }
});
