//! The environment a run happened in, stored in every results file, and the
//! differences that make two results files hard to compare.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where and how a run happened. Every field is optional on read so that
/// files from other versions (or other writers) still load; fields this
/// version does not know are kept in [`extra`](Environment::extra).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Environment {
    /// CPU model name (`/proc/cpuinfo` `model name`).
    pub cpu_model: Option<String>,
    /// Logical CPUs the OS offers.
    pub logical_cores: Option<u32>,
    /// Physical cores (distinct core ids per package), where readable.
    pub physical_cores: Option<u32>,
    /// cpufreq scaling governor of CPU 0 (`performance`, `powersave`, …).
    pub governor: Option<String>,
    /// Turbo/boost enabled, where the kernel says.
    pub turbo: Option<bool>,
    /// Kernel release (`uname -r`).
    pub kernel: Option<String>,
    /// OS name (`/etc/os-release` `PRETTY_NAME`).
    pub os: Option<String>,
    /// CPU architecture (`x86_64`, `aarch64`).
    pub arch: Option<String>,
    /// Host name of the machine.
    pub hostname: Option<String>,
    /// `rustc -V` of the compiler that built pqbench.
    pub rustc: Option<String>,
    /// Cargo profile (`release`, `debug`) pqbench was built with.
    pub profile: Option<String>,
    /// Optimisation level (`0`..`3`, `s`, `z`).
    pub opt_level: Option<String>,
    /// Target triple.
    pub target_triple: Option<String>,
    /// Cargo features of the `pqbench` crate.
    pub features: Vec<String>,
    /// Git commit of the source tree pqbench was built from.
    pub git_commit: Option<String>,
    /// Uncommitted changes in that tree.
    pub git_dirty: Option<bool>,
    /// Start of the run, RFC 3339 UTC.
    pub time: Option<String>,
    /// Seconds since the Unix epoch at the start of the run.
    pub unix_time: Option<u64>,
    /// The command line of the run.
    pub command: Option<Vec<String>>,
    /// Timer overhead and resolution measured by `pqbench run` at its start
    /// (each result also stores those of its own worker processes).
    pub host_timer: Option<crate::results::TimerInfo>,
    /// Fields written by other versions, kept as they were.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Environment {
    /// Captures the environment of this process now. Facts that cannot be
    /// read (no `/proc`, no git) stay `None`; capture never fails.
    pub fn capture() -> Environment {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .ok();
        Environment {
            cpu_model: cpuinfo_field(&cpuinfo, "model name")
                .or_else(|| cpuinfo_field(&cpuinfo, "Model"))
                .or_else(|| cpuinfo_field(&cpuinfo, "Hardware")),
            logical_cores: std::thread::available_parallelism()
                .ok()
                .map(|n| n.get() as u32),
            physical_cores: physical_cores(&cpuinfo),
            governor: read_trim("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"),
            turbo: turbo(),
            kernel: read_trim("/proc/sys/kernel/osrelease"),
            os: os_release(),
            arch: Some(std::env::consts::ARCH.to_string()),
            hostname: read_trim("/proc/sys/kernel/hostname"),
            rustc: non_empty(env!("PQBENCH_RUSTC_VERSION")),
            profile: non_empty(env!("PQBENCH_PROFILE")),
            opt_level: non_empty(env!("PQBENCH_OPT_LEVEL")),
            target_triple: non_empty(env!("PQBENCH_TARGET")),
            features: build_features(),
            git_commit: Some(BUILD_GIT_COMMIT.to_string()),
            git_dirty: build_git_dirty(),
            time: now.map(rfc3339_utc),
            unix_time: now,
            command: Some(std::env::args().collect()),
            host_timer: None,
            extra: injected_slowdown()
                .map(|v| (INJECT_SLOWDOWN_VAR.to_string(), v.into()))
                .into_iter()
                .chain(linked_libraries())
                .collect(),
        }
    }
}

/// Git commit of the checkout this binary was built from, embedded at build
/// time by `harness/build.rs`; `unknown` when it was built outside a git
/// checkout (e.g. from a source tarball). Never read from git at run time,
/// so a binary run after a checkout, or from another repository, still
/// names its own commit.
pub const BUILD_GIT_COMMIT: &str = env!("PQBENCH_GIT_COMMIT");

/// Whether tracked files had uncommitted changes at build time: `true`,
/// `false`, or `unknown` (no git checkout).
pub const BUILD_GIT_DIRTY: &str = env!("PQBENCH_GIT_DIRTY");

/// [`BUILD_GIT_DIRTY`] as a flag; `None` when unknown.
pub fn build_git_dirty() -> Option<bool> {
    match BUILD_GIT_DIRTY {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The Cargo features of every pqbench crate linked into this binary: the
/// `pqbench` crate's own features unprefixed (`probe`), then each library
/// crate's as `crate/feature` (`pqbench-workloads/pqc`,
/// `pqbench-detect/std`, `pqbench-targets/probe`).
pub fn build_features() -> Vec<String> {
    let own = env!("PQBENCH_FEATURES")
        .split(',')
        .filter(|f| !f.is_empty())
        .map(str::to_string);
    #[cfg(feature = "full")]
    let crates: [(&str, &[&str]); 3] = [
        ("pqbench-workloads", pqbench_workloads::ENABLED_FEATURES),
        ("pqbench-detect", pqbench_detect::ENABLED_FEATURES),
        ("pqbench-targets", pqbench_targets::ENABLED_FEATURES),
    ];
    #[cfg(not(feature = "full"))]
    let crates: [(&str, &[&str]); 1] = [("pqbench-workloads", pqbench_workloads::ENABLED_FEATURES)];
    own.chain(
        crates
            .into_iter()
            .flat_map(|(c, fs)| fs.iter().map(move |f| format!("{c}/{f}"))),
    )
    .collect()
}

/// Versions of the system libraries the workloads link (`openssl_version`:
/// the OpenSSL the `openssl` classical rows measured), for [`Environment::extra`].
fn linked_libraries() -> Vec<(String, serde_json::Value)> {
    #[cfg(feature = "full")]
    {
        let v = pqbench_workloads::classical::openssl::version();
        vec![("openssl_version".to_string(), v.into())]
    }
    #[cfg(not(feature = "full"))]
    Vec::new()
}

/// Environment variable of the harness-validation knob (a real, artificial
/// slowdown of every workload: [`crate::measure::slowdown`]). When set, its
/// value is recorded in [`Environment::extra`] under this name and `run`
/// warns, so such a file is never mistaken for a real measurement.
pub const INJECT_SLOWDOWN_VAR: &str = "PQBENCH_INJECT_SLOWDOWN_PCT";

/// The value of [`INJECT_SLOWDOWN_VAR`], when set and not empty.
pub fn injected_slowdown() -> Option<String> {
    std::env::var(INJECT_SLOWDOWN_VAR)
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// Differences between two environments that make a comparison of their
/// results questionable: CPU model, build profile, optimisation level,
/// target triple, rustc version, architecture. Each entry is a sentence for
/// a warning; empty when none. Facts unknown on either side are not
/// reported.
pub fn environment_mismatches(a: &Environment, b: &Environment) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |what: &str, x: &Option<String>, y: &Option<String>| {
        if let (Some(x), Some(y)) = (x, y)
            && x != y
        {
            out.push(format!("{what} differs: {x:?} vs {y:?}"));
        }
    };
    check("CPU model", &a.cpu_model, &b.cpu_model);
    check("build profile", &a.profile, &b.profile);
    check("optimisation level", &a.opt_level, &b.opt_level);
    check("architecture", &a.arch, &b.arch);
    check("target triple", &a.target_triple, &b.target_triple);
    check("rustc", &a.rustc, &b.rustc);
    for (side, e) in [("base", a), ("new", b)] {
        if let Some(v) = e.extra.get(INJECT_SLOWDOWN_VAR) {
            out.push(format!(
                "{side} was measured with the harness-validation slowdown {INJECT_SLOWDOWN_VAR}={v}: not a real measurement"
            ));
        }
    }
    out
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn read_trim(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn cpuinfo_field(cpuinfo: &str, key: &str) -> Option<String> {
    cpuinfo.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k.trim() == key).then(|| v.trim().to_string())
    })
}

/// Distinct (physical id, core id) pairs in `/proc/cpuinfo`.
fn physical_cores(cpuinfo: &str) -> Option<u32> {
    let mut pairs = std::collections::BTreeSet::new();
    for block in cpuinfo.split("\n\n") {
        let pkg = cpuinfo_field(block, "physical id");
        let core = cpuinfo_field(block, "core id");
        if let (Some(p), Some(c)) = (pkg, core) {
            pairs.insert((p, c));
        }
    }
    (!pairs.is_empty()).then_some(pairs.len() as u32)
}

fn turbo() -> Option<bool> {
    // intel_pstate: no_turbo = 1 means turbo off; acpi-cpufreq: boost = 1 on.
    if let Some(v) = read_trim("/sys/devices/system/cpu/intel_pstate/no_turbo") {
        return Some(v == "0");
    }
    read_trim("/sys/devices/system/cpu/cpufreq/boost").map(|v| v == "1")
}

fn os_release() -> Option<String> {
    let text = std::fs::read_to_string("/etc/os-release").ok()?;
    text.lines().find_map(|l| {
        l.strip_prefix("PRETTY_NAME=")
            .map(|v| v.trim_matches('"').to_string())
    })
}

/// Formats seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (era-based
/// conversion: 400-year eras of 146,097 days).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_dates() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        // `date -u -d @951782400` = 2000-02-29 00:00:00 (leap day).
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
        // `date -u -d @1700000000` = 2023-11-14 22:13:20.
        assert_eq!(rfc3339_utc(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn capture_reads_this_machine() {
        let e = Environment::capture();
        assert!(e.logical_cores.unwrap_or(0) >= 1);
        assert!(e.rustc.as_deref().unwrap_or("").starts_with("rustc "));
        assert!(e.profile.is_some());
        assert!(e.time.is_some());
    }

    #[test]
    #[cfg(feature = "full")]
    fn features_name_every_linked_crate() {
        let f = build_features();
        // harness/Cargo.toml enables these on its dependencies.
        for want in [
            "pqbench-workloads/std",
            "pqbench-workloads/pqc",
            "pqbench-workloads/fips205",
            "pqbench-detect/std",
        ] {
            assert!(f.iter().any(|x| x == want), "{want} missing from {f:?}");
        }
        assert!(!f.iter().any(|x| x == "pqbench-workloads/liboqs"), "{f:?}");
        assert_eq!(
            f.iter().any(|x| x == "probe"),
            f.iter().any(|x| x == "pqbench-targets/probe"),
            "{f:?}"
        );
    }

    #[test]
    fn git_facts_are_embedded() {
        let e = Environment::capture();
        assert_eq!(e.git_commit.as_deref(), Some(BUILD_GIT_COMMIT));
        // A 40-hex commit (this test runs from a checkout) or `unknown`.
        assert!(
            BUILD_GIT_COMMIT == "unknown"
                || (BUILD_GIT_COMMIT.len() == 40
                    && BUILD_GIT_COMMIT.bytes().all(|b| b.is_ascii_hexdigit())),
            "{BUILD_GIT_COMMIT}"
        );
        assert_eq!(e.git_dirty.is_none(), BUILD_GIT_DIRTY == "unknown");
    }

    #[test]
    fn mismatches_name_cpu_and_profile() {
        let a = Environment {
            cpu_model: Some("A".into()),
            profile: Some("release".into()),
            ..Default::default()
        };
        let mut b = a.clone();
        assert!(environment_mismatches(&a, &b).is_empty());
        b.cpu_model = Some("B".into());
        b.profile = Some("debug".into());
        let m = environment_mismatches(&a, &b);
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].contains("CPU model"));
        assert!(m[1].contains("profile"));
    }

    #[test]
    fn injected_slowdown_is_a_mismatch() {
        let a = Environment::default();
        let mut b = a.clone();
        b.extra.insert(
            INJECT_SLOWDOWN_VAR.to_string(),
            serde_json::Value::from("2"),
        );
        let m = environment_mismatches(&a, &b);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("new was measured") && m[0].contains("=\"2\""),
            "{m:?}"
        );
    }

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let json = r#"{"cpu_model":"X","future_field":{"a":1}}"#;
        let e: Environment = serde_json::from_str(json).unwrap();
        assert_eq!(e.cpu_model.as_deref(), Some("X"));
        assert!(e.extra.contains_key("future_field"));
        let back = serde_json::to_value(&e).unwrap();
        assert_eq!(back["future_field"]["a"], 1);
    }
}
