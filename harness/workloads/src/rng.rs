//! Deterministic input generation: the same seed gives the same inputs.

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// A ChaCha20 generator seeded from `seed` (and a per-workload `stream` so
/// that two workloads given the same seed do not share inputs).
///
/// Workloads draw every input and every "random" choice (keys, nonces,
/// messages) from this generator, so a run is reproducible from its seed.
pub fn seeded_rng(seed: u64, stream: u64) -> ChaCha20Rng {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}
