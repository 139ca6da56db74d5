//! Seeded random numbers for resampling (ChaCha8 from `rand_chacha`).

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// The generator used by every resampling method: ChaCha8, seeded.
pub type Rng = ChaCha8Rng;

/// A generator for replicate `index` of a computation seeded with `seed`:
/// independent streams, so results do not depend on the thread count.
pub(crate) fn stream(seed: u64, index: u64) -> Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    rng
}

/// A uniform integer in `0..n` (`n > 0`), unbiased (Lemire's method with
/// rejection).
pub fn bounded(rng: &mut impl RngCore, n: usize) -> usize {
    let n = n as u64;
    loop {
        let m = u128::from(rng.next_u64()) * u128::from(n);
        let low = m as u64;
        if low >= n.wrapping_neg() % n {
            return (m >> 64) as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_is_in_range_and_covers_it() {
        let mut rng = stream(1, 0);
        let mut seen = [0u32; 7];
        for _ in 0..7000 {
            seen[bounded(&mut rng, 7)] += 1;
        }
        assert!(seen.iter().all(|&c| c > 800 && c < 1200), "{seen:?}");
    }
}
