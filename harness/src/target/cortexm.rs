//! Cortex-M back ends: QEMU-emulated boards and real boards, via
//! `pqbench-targets`.

/// A QEMU-emulated board.
pub fn qemu_backend(board: &str) -> anyhow::Result<Box<dyn super::Backend>> {
    anyhow::bail!("qemu:{board}: the Cortex-M back end is not built yet")
}

/// A real board attached over USB.
pub fn board_backend(board: &str) -> anyhow::Result<Box<dyn super::Backend>> {
    anyhow::bail!("board:{board}: the Cortex-M back end is not built yet")
}
