//! Host measurement engine: timers, warm-up, calibration, process-level repetition.
