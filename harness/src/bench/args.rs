//! The command line of a bench binary: libtest's conventions (what `cargo
//! bench`, `cargo test --benches` and IDEs pass) plus pqbench's own options.
//!
//! `cargo bench -- ARGS` runs `BINARY ARGS --bench`; `cargo test --benches`
//! runs it without `--bench`, which makes every benchmark run once as a
//! smoke test. libtest options without meaning here (`--nocapture`,
//! `--test-threads N`, …) are accepted and ignored; unknown options are an
//! error (exit 2), as in libtest.

use crate::runner::parse_duration;
use std::time::Duration;

/// When to colour the output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Color {
    /// When stdout is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// What a bench binary was asked to do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Args {
    /// Positional filters: a benchmark runs when its name contains any of
    /// them (equals, with `exact`); none = all.
    pub filters: Vec<String>,
    /// `--exact`: filters match whole names.
    pub exact: bool,
    /// `--skip PATTERN` (repeatable): names containing it (equal to it,
    /// with `exact`) are left out.
    pub skip: Vec<String>,
    /// `--list`: print the names (`name: benchmark`) and exit.
    pub list: bool,
    /// `--format terse` (with `--list`: no summary line).
    pub terse: bool,
    /// `--bench` (cargo bench): measure. Without it, each benchmark runs
    /// once as a test.
    pub bench: bool,
    /// `--ignored`: run only ignored benchmarks (there are none).
    pub ignored: bool,
    /// `-q`, `--quiet`: no line per benchmark.
    pub quiet: bool,
    /// `--color auto|always|never`.
    pub color: Color,
    /// `-h`, `--help`.
    pub help: bool,
    /// `--save-baseline NAME`: store the results as baseline NAME.
    pub save_baseline: Option<String>,
    /// `--baseline NAME`: gate the results against baseline NAME.
    pub baseline: Option<String>,
    /// `--bench-time DURATION`: budget per benchmark, all replications.
    pub bench_time: Option<Duration>,
    /// `-p`, `--replications N`: worker processes per benchmark.
    pub replications: Option<u32>,
    /// `--max-samples N`: sample cap per replication.
    pub max_samples: Option<usize>,
    /// `--tolerance PERCENT`: the gate's practical threshold.
    pub tolerance: Option<f64>,
    /// `--alpha A`: the gate's significance level.
    pub alpha: Option<f64>,
    /// `--allow-inconclusive`: the gate passes rows it cannot decide.
    pub allow_inconclusive: bool,
    /// `--paired` (with `--baseline NAME`): run the baseline's saved
    /// executable and this build in lockstep instead of comparing with the
    /// baseline's stored results (the default when the baseline has a saved
    /// executable and no baseline is being saved; this flag makes a missing
    /// executable an error).
    pub paired: bool,
    /// `--unpaired`: compare with the baseline's stored results even when
    /// it has a saved executable.
    pub unpaired: bool,
    /// `--candidate-slowdown PCT` (harness validation, with `--paired`):
    /// slow this build's side down by that fraction.
    pub candidate_slowdown: Option<f64>,
}

/// libtest flags accepted and ignored.
const IGNORED_FLAGS: &[&str] = &[
    "--nocapture",
    "--no-capture",
    "--show-output",
    "--include-ignored",
    "--test",
    "--force-run-in-process",
    "--report-time",
    "--ensure-time",
    "--shuffle",
    "--fail-fast",
];
/// libtest options with a value, accepted and ignored.
const IGNORED_OPTIONS: &[&str] = &["--test-threads", "--logfile", "--shuffle-seed", "-Z"];

/// The help text (`--help`).
pub const HELP: &str = "\
Usage: cargo bench [--bench NAME] -- [OPTIONS] [FILTERS...]

A benchmark binary built on pqbench: each benchmark is measured in fresh
processes of this binary (--replications, default 16), calibrated, its
samples kept as an HDR histogram in a pqbench results file (format v1).
Without --bench (cargo test --benches) every benchmark runs once, as a test.

Selection (libtest):
  FILTERS               run benchmarks whose name contains a filter
  --exact               filters and --skip match whole names
  --skip PATTERN        leave out names containing PATTERN (repeatable)
  --list                print names as `NAME: benchmark` and exit
  --format terse        with --list: names only, no summary line
  -q, --quiet           no line per benchmark
  --color WHEN          auto, always or never

Measurement:
  --bench-time DUR      budget per benchmark, all replications [2s]
  -p, --replications N  worker processes per benchmark [16; --paired: 10 pairs]
  --max-samples N       sample cap per replication [1000]

Baselines (stored under target/pqbench/baselines, or $PQBENCH_BASELINE_DIR):
  --save-baseline NAME  store this run as baseline NAME
  --baseline NAME       gate this build against baseline NAME: exit 1 on a
                        regression or an undecidable benchmark, 2 when the
                        baseline is missing or unreadable. By default the
                        executable saved with NAME and this build run side
                        by side, taking samples in turn (paired, immune to
                        drift between two runs); with --unpaired, or when
                        NAME has no executable or --save-baseline is given,
                        this run is measured and compared with NAME's
                        stored results, like `pqbench gate`
  --tolerance PCT       practical threshold of the gate [0.5%]
  --alpha A             significance level of the gate [0.01]
  --allow-inconclusive  pass although some benchmark cannot be decided
  --paired              require the paired comparison (an error when NAME
                        has no saved executable)
  --unpaired            compare with NAME's stored results instead
  --candidate-slowdown PCT
                        harness validation with --paired: slow this build
                        down by PCT (busy work in each timed batch)

Exit codes: 0 ok, 1 regression, 2 usage or baseline error, 3 a benchmark
failed, 101 a test (run without --bench) failed, 130/143 interrupted.
";

/// Why the command line was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0} (see --help)")]
pub struct ArgsError(pub String);

impl Args {
    /// Parses the arguments after the program name.
    pub fn parse<I, S>(args: I) -> Result<Args, ArgsError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut a = Args::default();
        let mut it = args.into_iter().map(Into::into);
        let mut positional_only = false;
        while let Some(arg) = it.next() {
            if positional_only || !arg.starts_with('-') || arg == "-" {
                a.filters.push(arg);
                continue;
            }
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| -> Result<String, ArgsError> {
                match inline.clone().or_else(|| it.next()) {
                    Some(v) => Ok(v),
                    None => Err(ArgsError(format!("{name} needs a value"))),
                }
            };
            match flag.as_str() {
                "--" => positional_only = true,
                "--exact" => a.exact = true,
                "--skip" => a.skip.push(value("--skip")?),
                "--list" => a.list = true,
                "--bench" => a.bench = true,
                "--ignored" => a.ignored = true,
                "-q" | "--quiet" => a.quiet = true,
                "-h" | "--help" => a.help = true,
                "--allow-inconclusive" => a.allow_inconclusive = true,
                "--paired" => a.paired = true,
                "--unpaired" => a.unpaired = true,
                "--candidate-slowdown" => {
                    let v = value(&flag)?;
                    let t = crate::compare::parse_percent(&v)
                        .map_err(|e| ArgsError(format!("--candidate-slowdown: {e}")))?;
                    if !(t > 0.0 && t <= 1.0) {
                        return Err(ArgsError(format!(
                            "--candidate-slowdown {v:?}: expected a percentage in (0, 100]"
                        )));
                    }
                    a.candidate_slowdown = Some(t);
                }
                "--format" => {
                    let v = value("--format")?;
                    match v.as_str() {
                        "terse" => a.terse = true,
                        "pretty" | "json" | "junit" => a.terse = false,
                        _ => {
                            return Err(ArgsError(format!(
                                "--format {v:?}: expected pretty or terse"
                            )));
                        }
                    }
                }
                "--color" => {
                    let v = value("--color")?;
                    a.color = match v.as_str() {
                        "auto" => Color::Auto,
                        "always" => Color::Always,
                        "never" => Color::Never,
                        _ => {
                            return Err(ArgsError(format!(
                                "--color {v:?}: expected auto, always or never"
                            )));
                        }
                    };
                }
                "--save-baseline" => a.save_baseline = Some(baseline_name(value(&flag)?)?),
                "--baseline" => a.baseline = Some(baseline_name(value(&flag)?)?),
                "--bench-time" => {
                    let v = value(&flag)?;
                    let d =
                        parse_duration(&v).map_err(|e| ArgsError(format!("--bench-time: {e}")))?;
                    if d.is_zero() {
                        return Err(ArgsError("--bench-time must be above zero".into()));
                    }
                    a.bench_time = Some(d);
                }
                "-p" | "--replications" => {
                    let v = value(&flag)?;
                    match v.parse::<u32>() {
                        Ok(n) if n >= 1 => a.replications = Some(n),
                        _ => {
                            return Err(ArgsError(format!(
                                "{flag} {v:?}: expected a whole number >= 1"
                            )));
                        }
                    }
                }
                "--max-samples" => {
                    let v = value(&flag)?;
                    match v.parse::<usize>() {
                        Ok(n) if n >= 1 => a.max_samples = Some(n),
                        _ => {
                            return Err(ArgsError(format!(
                                "--max-samples {v:?}: expected a whole number >= 1"
                            )));
                        }
                    }
                }
                "--tolerance" => {
                    let v = value(&flag)?;
                    let t = crate::compare::parse_percent(&v)
                        .map_err(|e| ArgsError(format!("--tolerance: {e}")))?;
                    a.tolerance = Some(t);
                }
                "--alpha" => {
                    let v = value(&flag)?;
                    match v.parse::<f64>() {
                        Ok(x) if x > 0.0 && x < 1.0 => a.alpha = Some(x),
                        _ => {
                            return Err(ArgsError(format!(
                                "--alpha {v:?}: expected a number in (0, 1)"
                            )));
                        }
                    }
                }
                f if IGNORED_FLAGS.contains(&f) => {}
                f if IGNORED_OPTIONS.contains(&f) => {
                    value(f)?;
                }
                f => return Err(ArgsError(format!("unknown option {f:?}"))),
            }
        }
        if a.paired && a.unpaired {
            return Err(ArgsError(
                "--paired and --unpaired exclude each other".into(),
            ));
        }
        if a.candidate_slowdown.is_some() && !a.paired {
            return Err(ArgsError("--candidate-slowdown needs --paired".into()));
        }
        Ok(a)
    }

    /// True when `name` is selected by the filters and `--skip`.
    pub fn selects(&self, name: &str) -> bool {
        let matches = |p: &String| {
            if self.exact {
                name == p
            } else {
                name.contains(p.as_str())
            }
        };
        !self.ignored
            && (self.filters.is_empty() || self.filters.iter().any(matches))
            && !self.skip.iter().any(matches)
    }
}

/// Checks a baseline name: a directory name, not a path.
pub fn baseline_name(name: String) -> Result<String, ArgsError> {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(name)
    } else {
        Err(ArgsError(format!(
            "baseline name {name:?}: use letters, digits, '-', '_' and '.' only"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Args, ArgsError> {
        Args::parse(s.split_whitespace())
    }

    #[test]
    fn cargo_bench_and_cargo_test_invocations() {
        // `cargo bench -- sum` runs `BIN sum --bench`.
        let a = parse("sum --bench").unwrap();
        assert!(a.bench && !a.list);
        assert_eq!(a.filters, ["sum"]);
        // `cargo test --benches` passes no --bench: smoke-test mode.
        assert!(!parse("").unwrap().bench);
        // What IDEs and `cargo test -- --list` pass.
        let a = parse("--list --format terse").unwrap();
        assert!(a.list && a.terse);
        let a = parse("--list --format=pretty -Z unstable-options --test-threads 1").unwrap();
        assert!(a.list && !a.terse);
        assert_eq!(a.filters, Vec::<String>::new());
    }

    #[test]
    fn filters_exact_and_skip() {
        let a = parse("check --skip sum/64").unwrap();
        assert!(a.selects("checksum/4096"));
        assert!(!a.selects("checksum/64"));
        assert!(!a.selects("parse"));
        let a = parse("--exact checksum/64").unwrap();
        assert!(a.selects("checksum/64"));
        assert!(!a.selects("checksum/640"));
        assert!(parse("").unwrap().selects("anything"));
        assert!(!parse("--ignored").unwrap().selects("anything"));
        // After `--`, everything is a filter.
        assert_eq!(parse("-- --exact").unwrap().filters, ["--exact"]);
    }

    #[test]
    fn pqbench_options() {
        let a = parse(
            "--bench --save-baseline main --baseline=before --bench-time 200ms -p 5 \
             --max-samples 50 --tolerance 2% --alpha 0.05 --allow-inconclusive -q --color never",
        )
        .unwrap();
        assert_eq!(a.save_baseline.as_deref(), Some("main"));
        assert_eq!(a.baseline.as_deref(), Some("before"));
        assert_eq!(a.bench_time, Some(Duration::from_millis(200)));
        assert_eq!(a.replications, Some(5));
        assert_eq!(a.max_samples, Some(50));
        assert_eq!(a.tolerance, Some(0.02));
        assert_eq!(a.alpha, Some(0.05));
        assert!(a.allow_inconclusive && a.quiet);
        assert_eq!(a.color, Color::Never);
        let a = parse("--bench --baseline main --paired --candidate-slowdown 2%").unwrap();
        assert!(a.paired && !a.unpaired);
        assert_eq!(a.candidate_slowdown, Some(0.02));
        assert!(parse("--baseline main --unpaired").unwrap().unpaired);
    }

    #[test]
    fn bad_arguments_are_refused_with_the_reason() {
        for (args, why) in [
            ("--frobnicate", "unknown option \"--frobnicate\""),
            ("--baseline", "--baseline needs a value"),
            ("--baseline ../x", "baseline name \"../x\""),
            ("--save-baseline a/b", "baseline name \"a/b\""),
            ("-p 0", "expected a whole number >= 1"),
            ("--bench-time fast", "--bench-time"),
            ("--bench-time 0s", "above zero"),
            ("--color sometimes", "--color"),
            ("--format xml", "--format"),
            ("--alpha 1.5", "--alpha"),
            ("--tolerance lots", "--tolerance"),
            ("--candidate-slowdown 2%", "needs --paired"),
            (
                "--paired --candidate-slowdown 0%",
                "expected a percentage in (0, 100]",
            ),
            ("--paired --unpaired", "exclude each other"),
        ] {
            let e = parse(args).unwrap_err().to_string();
            assert!(e.contains(why), "{args}: {e}");
        }
    }
}
