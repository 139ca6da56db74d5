//! TFLite (CPU, XNNPACK) and Edge TPU back ends, via `pqbench-accel`.

/// A TFLite or Edge TPU target.
pub fn backend(spec: &str) -> anyhow::Result<Box<dyn super::Backend>> {
    anyhow::bail!("{spec}: the TFLite back end is not built yet")
}
