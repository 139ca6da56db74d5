//! Practical thresholds ("noise tolerance"): a suite-wide default and
//! per-benchmark overrides matched by glob patterns.

use anyhow::{Context, bail};
use pqbench_stats::Threshold;
use serde::Serialize;

/// Parses a relative tolerance: `2%`, `0.5%` or `2` (a bare number is a
/// percentage too). Must be finite and in `[0, 100)` percent.
pub fn parse_percent(s: &str) -> anyhow::Result<f64> {
    let t = s.trim();
    let num = t.strip_suffix('%').unwrap_or(t).trim();
    let v: f64 = num
        .parse()
        .with_context(|| format!("{s:?} is not a percentage like `2%`"))?;
    if !v.is_finite() || !(0.0..100.0).contains(&v) {
        bail!("tolerance {s:?} must be between 0% and 100%");
    }
    Ok(v / 100.0)
}

/// One `PATTERN=PERCENT` override.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Override {
    /// Glob over the benchmark id (`*` any run of characters, `?` one).
    pub pattern: String,
    /// Relative tolerance (0.05 for 5 %).
    pub tolerance: f64,
}

impl std::str::FromStr for Override {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> anyhow::Result<Override> {
        let Some((pattern, pct)) = s.rsplit_once('=') else {
            bail!("{s:?}: expected PATTERN=PERCENT, e.g. 'pqc/*=5%'");
        };
        if pattern.is_empty() {
            bail!("{s:?}: empty pattern");
        }
        Ok(Override {
            pattern: pattern.to_string(),
            tolerance: parse_percent(pct)?,
        })
    }
}

/// The tolerance of every benchmark: the last matching override, else the
/// default.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tolerances {
    /// Suite-wide tolerance.
    pub default: f64,
    /// Overrides, later ones win.
    pub overrides: Vec<Override>,
}

impl Tolerances {
    /// The threshold for benchmark `id`.
    pub fn for_id(&self, id: &str) -> Threshold {
        let t = self
            .overrides
            .iter()
            .rev()
            .find(|o| glob_match(&o.pattern, id))
            .map_or(self.default, |o| o.tolerance);
        Threshold(t)
    }
}

/// Glob match of the whole `text`: `*` matches any run of characters
/// (including `/`), `?` exactly one.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_and_globs() {
        assert_eq!(parse_percent("2%").unwrap(), 0.02);
        assert_eq!(parse_percent("0.5").unwrap(), 0.005);
        assert!(parse_percent("-1%").is_err());
        assert!(parse_percent("abc").is_err());
        assert!(glob_match("pqc/*", "pqc/ml-kem-768/keygen/x"));
        assert!(glob_match(
            "*/sha256*",
            "hash/sha256.digest/rustcrypto/1KiB"
        ));
        assert!(!glob_match("pqc/*", "hash/sha256"));
        assert!(glob_match("a?c", "abc") && !glob_match("a?c", "abbc"));
        let t = Tolerances {
            default: 0.01,
            overrides: vec!["pqc/*=5%".parse().unwrap(), "pqc/x=7%".parse().unwrap()],
        };
        assert_eq!(t.for_id("hash/a").0, 0.01);
        assert_eq!(t.for_id("pqc/y").0, 0.05);
        assert_eq!(t.for_id("pqc/x").0, 0.07);
        assert!("nopercent".parse::<Override>().is_err());
    }
}
