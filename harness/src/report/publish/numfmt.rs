//! Numbers for publication: a value and its confidence interval rounded to
//! the digits the interval supports, in a scaled unit.

use crate::results::Unit;

/// A value with its interval, all in `unit`, as text with the digits the
/// interval supports.
#[derive(Clone, Debug, PartialEq)]
pub struct Rounded {
    /// The value.
    pub value: String,
    /// Lower bound (empty without an interval).
    pub lo: String,
    /// Upper bound (empty without an interval).
    pub hi: String,
    /// The unit the three are in (`ns`, `µs`, `ms`, `s`, `cycles`, …).
    pub unit: &'static str,
}

/// The unit scale for nanosecond values of magnitude `v`: (divisor, name).
pub fn ns_scale(v: f64) -> (f64, &'static str) {
    let a = v.abs();
    if a < 1e3 {
        (1.0, "ns")
    } else if a < 1e6 {
        (1e3, "µs")
    } else if a < 1e9 {
        (1e6, "ms")
    } else {
        (1e9, "s")
    }
}

/// The power of ten of the last significant digit for an interval of
/// half-width `half`: one significant digit of the uncertainty, two when it
/// starts with 1 or 2 (the usual rule for reporting uncertainties).
pub fn decimal_exponent(half: f64) -> i32 {
    if !(half.is_finite() && half > 0.0) {
        return 0;
    }
    let e = half.log10().floor() as i32;
    let lead = half / 10f64.powi(e);
    if lead < 3.0 { e - 1 } else { e }
}

fn round_at(v: f64, exp: i32) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    if exp >= 0 {
        let q = 10f64.powi(exp);
        format!("{:.0}", (v / q).round() * q)
    } else {
        format!("{:.*}", (-exp) as usize, v)
    }
}

/// Rounds `v` and its interval `ci` (same unit as `unit`) to the digits the
/// interval supports; without an interval, four significant digits.
pub fn round_with_ci(v: f64, ci: Option<(f64, f64)>, unit: Unit) -> Rounded {
    let (div, name) = match unit {
        Unit::Ns => ns_scale(v),
        Unit::Cycles => (1.0, "cycles"),
        Unit::Instructions => (1.0, "instructions"),
    };
    let x = v / div;
    let counts = matches!(unit, Unit::Cycles | Unit::Instructions);
    let rounded = rounded_in(x, ci, div, name);
    if counts {
        // Whole counts read better grouped, as in every other table.
        let group = |s: String| match s.parse::<f64>() {
            Ok(n) if !s.contains('.') => crate::report::format::thousands(n),
            _ => s,
        };
        Rounded {
            value: group(rounded.value),
            lo: group(rounded.lo),
            hi: group(rounded.hi),
            unit: rounded.unit,
        }
    } else {
        rounded
    }
}

fn rounded_in(x: f64, ci: Option<(f64, f64)>, div: f64, name: &'static str) -> Rounded {
    match ci {
        Some((lo, hi)) if lo.is_finite() && hi.is_finite() && hi > lo => {
            let exp = decimal_exponent((hi - lo) / 2.0 / div);
            Rounded {
                value: round_at(x, exp),
                lo: round_at(lo / div, exp),
                hi: round_at(hi / div, exp),
                unit: name,
            }
        }
        _ => {
            let exp = if x.abs() > 0.0 {
                (x.abs().log10().floor() as i32 - 3).min(0)
            } else {
                0
            };
            Rounded {
                value: round_at(x, exp),
                lo: String::new(),
                hi: String::new(),
                unit: name,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_follow_the_interval() {
        // half-width 0.05 µs -> two decimals of µs
        let r = round_with_ci(1234.5678, Some((1184.0, 1284.0)), Unit::Ns);
        assert_eq!((r.value.as_str(), r.unit), ("1.23", "µs"));
        assert_eq!((r.lo.as_str(), r.hi.as_str()), ("1.18", "1.28"));
        // half-width 12 cycles (leading 1) -> two digits of it: units
        let r = round_with_ci(98765.0, Some((98753.0, 98777.0)), Unit::Cycles);
        assert_eq!(r.value, "98,765");
        let r = round_with_ci(98765.0, Some((98665.0, 98865.0)), Unit::Cycles);
        assert_eq!(r.value, "98,770");
        // narrow interval -> more digits
        let r = round_with_ci(1234.5678, Some((1234.5, 1234.64)), Unit::Ns);
        assert_eq!(r.value, "1.23457");
        // no interval -> four significant digits
        let r = round_with_ci(512.3456, None, Unit::Ns);
        assert_eq!((r.value.as_str(), r.lo.as_str()), ("512.3", ""));
    }

    #[test]
    fn exponent_rule() {
        assert_eq!(decimal_exponent(0.05), -2);
        assert_eq!(decimal_exponent(0.15), -2);
        assert_eq!(decimal_exponent(0.5), -1);
        assert_eq!(decimal_exponent(12.0), 0);
        assert_eq!(decimal_exponent(450.0), 2);
    }
}
