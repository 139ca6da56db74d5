//! Human formatting of values in a result's unit.

use crate::results::{ThroughputSpec, Unit};

/// Formats `v` in `unit` for a table: nanoseconds scaled to ns/µs/ms/s
/// with about four significant digits; cycles and instructions as integers
/// with thousands separators.
pub fn format_value(v: f64, unit: Unit) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    match unit {
        Unit::Ns => {
            let (x, u) = if v.abs() < 1e3 {
                (v, "ns")
            } else if v.abs() < 1e6 {
                (v / 1e3, "µs")
            } else if v.abs() < 1e9 {
                (v / 1e6, "ms")
            } else {
                (v / 1e9, "s")
            };
            format!("{} {u}", four_digits(x))
        }
        Unit::Cycles | Unit::Instructions => thousands(v.round()),
    }
}

fn four_digits(x: f64) -> String {
    let a = x.abs();
    if a < 10.0 {
        format!("{x:.3}")
    } else if a < 100.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.1}")
    }
}

/// `v` rounded to an integer with thousands separators: `1,408,440`.
pub fn thousands(v: f64) -> String {
    let neg = v < 0.0;
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg { format!("-{out}") } else { out }
}

/// Throughput at a per-operation cost of `per_op` (in `unit`): bytes or
/// elements per second for nanoseconds, units per byte/element otherwise.
pub fn format_rate(t: ThroughputSpec, per_op: f64, unit: Unit) -> String {
    let (work, what) = match t {
        ThroughputSpec::Bytes(b) => (b as f64, "B"),
        ThroughputSpec::Elements(e) => (e as f64, "elem"),
    };
    if work <= 0.0 || per_op <= 0.0 || !per_op.is_finite() {
        return "-".into();
    }
    match unit {
        Unit::Ns => {
            let per_s = work / (per_op / 1e9);
            if what == "B" {
                let mib = per_s / (1024.0 * 1024.0);
                if mib >= 1024.0 {
                    format!("{} GiB/s", four_digits(mib / 1024.0))
                } else {
                    format!("{} MiB/s", four_digits(mib))
                }
            } else if per_s >= 1e6 {
                format!("{} M{what}/s", four_digits(per_s / 1e6))
            } else if per_s >= 1e3 {
                format!("{} K{what}/s", four_digits(per_s / 1e3))
            } else {
                format!("{} {what}/s", four_digits(per_s))
            }
        }
        Unit::Cycles | Unit::Instructions => {
            format!("{} {}/{what}", four_digits(per_op / work), unit.as_str())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(format_value(12.345, Unit::Ns), "12.35 ns");
        assert_eq!(format_value(2913.0, Unit::Ns), "2.913 µs");
        assert_eq!(format_value(291_300.0, Unit::Ns), "291.3 µs");
        assert_eq!(format_value(1.5e9, Unit::Ns), "1.500 s");
        assert_eq!(format_value(1_423_456.4, Unit::Cycles), "1,423,456");
        assert_eq!(format_value(999.0, Unit::Instructions), "999");
        assert_eq!(format_value(f64::NAN, Unit::Ns), "-");
    }

    #[test]
    fn rates() {
        // 1 MiB in 1 ms = 1000 MiB/s.
        assert_eq!(
            format_rate(ThroughputSpec::Bytes(1 << 20), 1e6, Unit::Ns),
            "1000.0 MiB/s"
        );
        assert_eq!(
            format_rate(ThroughputSpec::Elements(1), 2000.0, Unit::Ns),
            "500.0 Kelem/s"
        );
        assert_eq!(
            format_rate(ThroughputSpec::Bytes(100), 1500.0, Unit::Cycles),
            "15.00 cycles/B"
        );
    }
}
