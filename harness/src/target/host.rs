//! The host CPU back end: runs `pqbench-workloads` in re-executed processes.

/// The host back end.
pub fn backend() -> anyhow::Result<Box<dyn super::Backend>> {
    anyhow::bail!("the host back end is not built yet")
}
