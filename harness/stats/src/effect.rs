//! Effect sizes.

use crate::error::{StatsError, check_finite, check_len};

/// Cliff's delta of `y` over `x`: `(#(y > x) - #(y < x)) / (m n)` over all
/// pairs, in `[-1, 1]`. Positive when `y` tends to be larger (for times:
/// the new side is slower). O((m + n) log m).
pub fn cliffs_delta(x: &[f64], y: &[f64]) -> Result<f64, StatsError> {
    check_len(x, 1)?;
    check_len(y, 1)?;
    check_finite(x)?;
    check_finite(y)?;
    let mut xs = x.to_vec();
    xs.sort_by(f64::total_cmp);
    let mut greater = 0usize;
    let mut less = 0usize;
    for &v in y {
        // number of x strictly below v, and strictly above v
        let below = xs.partition_point(|&a| a < v);
        let not_above = xs.partition_point(|&a| a <= v);
        greater += below;
        less += xs.len() - not_above;
    }
    Ok((greater as f64 - less as f64) / (x.len() * y.len()) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_extremes_and_ties() {
        assert_eq!(cliffs_delta(&[1.0, 2.0], &[3.0, 4.0]).unwrap(), 1.0);
        assert_eq!(cliffs_delta(&[3.0, 4.0], &[1.0, 2.0]).unwrap(), -1.0);
        assert_eq!(cliffs_delta(&[1.0, 2.0], &[1.0, 2.0]).unwrap(), 0.0);
    }
}
