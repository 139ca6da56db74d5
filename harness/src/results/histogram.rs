//! HDR histograms embedded in results files: base64 of HdrHistogram's V2
//! deflate-compressed encoding, which the Java, C, Go, Python and JavaScript
//! HdrHistogram implementations decode.

use super::{ProcessSamples, ResultsError};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Deserializer, Serializer as _, V2DeflateSerializer};

/// Significant decimal digits kept by every histogram pqbench writes.
pub const SIGNIFICANT_DIGITS: u8 = 3;

/// Builds the merged histogram of all processes' samples. Values are rounded
/// to integers in the result's unit and clamped to at least 1 (HdrHistogram
/// records positive integers); non-finite values are skipped.
pub fn build_histogram(processes: &[ProcessSamples]) -> Result<Histogram<u64>, ResultsError> {
    let mut h = Histogram::<u64>::new(SIGNIFICANT_DIGITS)
        .map_err(|e| ResultsError::Histogram(format!("{e:?}")))?;
    for v in processes.iter().flat_map(|p| p.samples.iter()) {
        if !v.is_finite() {
            continue;
        }
        let value = if *v >= u64::MAX as f64 {
            u64::MAX / 2
        } else {
            (v.round() as u64).max(1)
        };
        h.record(value)
            .map_err(|e| ResultsError::Histogram(format!("recording {v}: {e:?}")))?;
    }
    Ok(h)
}

/// Encodes a histogram as base64 of its V2 deflate encoding.
pub fn encode(h: &Histogram<u64>) -> Result<String, ResultsError> {
    let mut bytes = Vec::new();
    V2DeflateSerializer::new()
        .serialize(h, &mut bytes)
        .map_err(|e| ResultsError::Histogram(format!("encoding: {e:?}")))?;
    Ok(STANDARD.encode(bytes))
}

/// The merged histogram of all samples, encoded for a results file
/// (see [`build_histogram`] for how values are recorded).
pub fn encode_histogram(processes: &[ProcessSamples]) -> Result<String, ResultsError> {
    encode(&build_histogram(processes)?)
}

/// Decodes a histogram written by [`encode_histogram`] (or by any
/// HdrHistogram implementation's V2 / V2-deflate encoder, base64).
pub fn decode_histogram(b64: &str) -> Result<Histogram<u64>, ResultsError> {
    let bytes = STANDARD
        .decode(b64.trim())
        .map_err(|e| ResultsError::Histogram(format!("not base64: {e}")))?;
    Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .map_err(|e| ResultsError::Histogram(format!("not an HdrHistogram V2 encoding: {e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_counts_and_quantiles() {
        let samples: Vec<f64> = (1..=10_000).map(|i| i as f64 * 1.7).collect();
        let p = [ProcessSamples { samples }];
        let h = build_histogram(&p).unwrap();
        let d = decode_histogram(&encode_histogram(&p).unwrap()).unwrap();
        assert_eq!(d.len(), 10_000);
        assert_eq!(d, h);
        for q in [0.0, 0.5, 0.9, 0.99, 0.999, 1.0] {
            assert_eq!(d.value_at_quantile(q), h.value_at_quantile(q));
        }
        // 3 significant digits: the p50 bucket holds the true median.
        let median = 5000.5 * 1.7;
        assert!((d.value_at_quantile(0.5) as f64 - median).abs() <= median / 1000.0 + 2.0);
    }

    #[test]
    fn values_are_clamped_to_one() {
        let p = [ProcessSamples {
            samples: vec![0.0, 0.2, -3.0, f64::NAN],
        }];
        let h = build_histogram(&p).unwrap();
        assert_eq!(h.len(), 3);
        assert_eq!(h.min(), 1);
    }

    #[test]
    fn garbage_is_rejected() {
        assert!(decode_histogram("not base64!").is_err());
        assert!(decode_histogram("AAAA").is_err());
    }
}
