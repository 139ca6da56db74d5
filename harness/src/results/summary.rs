//! Summary statistics of raw samples (exact, from the samples themselves;
//! the histogram is only an approximation to 3 significant digits).

use super::{ProcessSamples, Summary};

/// Type-7 quantile of sorted data: the one implementation lives in
/// `pqbench-stats` and is re-exported here for the results code.
pub use pqbench_stats::quantile_sorted;

/// Summary of all samples of all processes; `None` when there are no
/// (finite) samples at all. Non-finite values are ignored.
pub fn summarize(processes: &[ProcessSamples]) -> Option<Summary> {
    let mut all: Vec<f64> = processes
        .iter()
        .flat_map(|p| p.samples.iter().copied())
        .filter(|v| v.is_finite())
        .collect();
    if all.is_empty() {
        return None;
    }
    all.sort_by(f64::total_cmp);
    let n = all.len();
    let mean = all.iter().sum::<f64>() / n as f64;
    let stddev = if n > 1 {
        let ss: f64 = all.iter().map(|v| (v - mean) * (v - mean)).sum();
        (ss / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    let median = quantile_sorted(&all, 0.5);
    let mut dev: Vec<f64> = all.iter().map(|v| (v - median).abs()).collect();
    dev.sort_by(f64::total_cmp);
    Some(Summary {
        min: all[0],
        mean,
        stddev,
        median,
        p90: quantile_sorted(&all, 0.90),
        p99: quantile_sorted(&all, 0.99),
        p999: quantile_sorted(&all, 0.999),
        max: all[n - 1],
        mad: quantile_sorted(&dev, 0.5),
        samples: n as u64,
        processes: processes.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ps(v: &[f64]) -> ProcessSamples {
        ProcessSamples {
            samples: v.to_vec(),
        }
    }

    #[test]
    fn empty_is_none() {
        assert!(summarize(&[]).is_none());
        assert!(summarize(&[ps(&[])]).is_none());
    }

    #[test]
    fn known_values() {
        // 1..=10 over two processes; values cross-checked with numpy
        // (np.percentile default 'linear', np.std(ddof=1)).
        let s = summarize(&[ps(&[1., 2., 3., 4., 5.]), ps(&[6., 7., 8., 9., 10.])]).unwrap();
        assert_eq!(s.min, 1.0);
        assert_eq!(s.max, 10.0);
        assert_eq!(s.mean, 5.5);
        assert_eq!(s.median, 5.5);
        assert!((s.p90 - 9.1).abs() < 1e-12);
        assert!((s.p99 - 9.91).abs() < 1e-12);
        assert!((s.stddev - 3.0276503540974917).abs() < 1e-12);
        assert_eq!(s.mad, 2.5);
        assert_eq!(s.samples, 10);
        assert_eq!(s.processes, 2);
    }

    #[test]
    fn single_sample() {
        let s = summarize(&[ps(&[42.0])]).unwrap();
        assert_eq!(
            (s.min, s.median, s.p999, s.max, s.stddev),
            (42., 42., 42., 42., 0.)
        );
    }
}
