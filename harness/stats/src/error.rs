//! Errors of the statistics functions.

/// Why a statistic could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    /// Not enough values (e.g. a variance needs two).
    #[error("need at least {needed} values, got {got}")]
    TooFewValues {
        /// Minimum required.
        needed: usize,
        /// How many there were.
        got: usize,
    },
    /// A value was NaN or infinite.
    #[error("non-finite value in input")]
    NonFinite,
    /// A value that must be positive (a time, to take its logarithm) was not.
    #[error("value {0} is not positive (times must be > 0 to take logarithms)")]
    NonPositive(f64),
    /// A parameter was out of range.
    #[error("invalid parameter: {0}")]
    InvalidParameter(String),
}

pub(crate) fn check_finite(xs: &[f64]) -> Result<(), StatsError> {
    if xs.iter().all(|x| x.is_finite()) {
        Ok(())
    } else {
        Err(StatsError::NonFinite)
    }
}

pub(crate) fn check_len(xs: &[f64], needed: usize) -> Result<(), StatsError> {
    if xs.len() < needed {
        Err(StatsError::TooFewValues {
            needed,
            got: xs.len(),
        })
    } else {
        Ok(())
    }
}
