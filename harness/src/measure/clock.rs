//! The clock the engine's timed loops read: the x86-64 time-stamp counter
//! when the CPU has an invariant one, otherwise [`Instant`].
//!
//! A [`Clock`] reads raw ticks ([`Clock::now`]) and converts tick
//! differences to nanoseconds ([`Clock::ns`]). It is chosen once per
//! process ([`selected`]) from the environment variable [`CLOCK_VAR`]:
//!
//! * unset, empty or `auto`: **TSC** on x86-64 when CPUID leaf
//!   `0x8000_0007` reports an invariant TSC (EDX bit 8: constant rate in
//!   every P-, C- and T-state) and its frequency, calibrated against
//!   [`Instant`] over two windows of [`CALIBRATION_WINDOW`], agrees between
//!   the windows within [`AGREEMENT`]; otherwise **monotonic**;
//! * `tsc`: the TSC, or an error when the CPU reports no invariant TSC or
//!   the calibration windows disagree;
//! * `monotonic`: [`Instant`].
//!
//! `pqbench run` passes its choice to its worker processes
//! ([`child_env`]): the same clock, and for the TSC the parent's frequency
//! ([`TSC_HZ_VAR`]), so workers skip the calibration and all replications
//! of a run convert ticks alike.

use crate::results::ClockKind;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Environment variable that forces a clock: `auto`, `tsc` or `monotonic`.
pub const CLOCK_VAR: &str = "PQBENCH_CLOCK";
/// Environment variable with a TSC frequency in Hz measured by a parent
/// process (set by `pqbench run` for its workers).
pub const TSC_HZ_VAR: &str = "PQBENCH_TSC_HZ";
/// Length of each of the two calibration windows.
pub const CALIBRATION_WINDOW: Duration = Duration::from_millis(15);
/// Largest relative difference of the two windows' frequencies.
pub const AGREEMENT: f64 = 1e-3;
/// A paired (Instant, TSC) read is kept only when the two `Instant` reads
/// around the TSC read are at most this far apart: the pairing error is
/// then below 2 µs / 15 ms ≈ 1.3e-4 per window.
const PAIR_WIDTH: Duration = Duration::from_micros(1);
/// Plausible TSC frequencies: 100 MHz to 100 GHz.
const HZ_RANGE: std::ops::RangeInclusive<f64> = 1e8..=1e11;

/// Why a clock could not be chosen (the example `clock_overhead` measures
/// both clocks).
#[derive(Clone, Debug, PartialEq)]
pub struct ClockError(String);

impl std::fmt::Display for ClockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ClockError {}

/// A clock: raw ticks and their conversion to nanoseconds.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    kind: ClockKind,
    /// Nanoseconds per tick (1 for the monotonic clock).
    ns_per_tick: f64,
    /// TSC frequency, for the TSC.
    hz: Option<f64>,
    /// Origin of the monotonic clock's ticks.
    origin: Instant,
}

impl Clock {
    /// [`Instant`]; a tick is one nanosecond since the clock was made.
    pub fn monotonic() -> Clock {
        Clock {
            kind: ClockKind::Monotonic,
            ns_per_tick: 1.0,
            hz: None,
            origin: Instant::now(),
        }
    }

    /// The TSC with its frequency calibrated now (about 30 ms). Fails when
    /// the CPU reports no invariant TSC or the two windows disagree.
    pub fn tsc() -> Result<Clock, ClockError> {
        require_invariant(invariant_tsc())?;
        Clock::tsc_at(calibrate_hz(CALIBRATION_WINDOW)?)
    }

    /// The TSC at a known frequency (Hz). Fails without an invariant TSC or
    /// for an implausible frequency.
    pub fn tsc_with_hz(hz: f64) -> Result<Clock, ClockError> {
        require_invariant(invariant_tsc())?;
        Clock::tsc_at(hz)
    }

    /// The TSC at `hz`, invariance already checked.
    fn tsc_at(hz: f64) -> Result<Clock, ClockError> {
        if !HZ_RANGE.contains(&hz) {
            return Err(ClockError(format!(
                "TSC frequency {hz} Hz is outside 100 MHz..100 GHz"
            )));
        }
        Ok(Clock {
            kind: ClockKind::Tsc,
            ns_per_tick: 1e9 / hz,
            hz: Some(hz),
            origin: Instant::now(),
        })
    }

    /// Chooses a clock from the values of [`CLOCK_VAR`] (`setting`) and
    /// [`TSC_HZ_VAR`] (`inherited_hz`), as described in the module docs.
    pub fn from_setting(
        setting: Option<&str>,
        inherited_hz: Option<&str>,
    ) -> Result<Clock, ClockError> {
        Clock::choose(setting, inherited_hz, invariant_tsc())
    }

    /// [`Clock::from_setting`] on a CPU that has an invariant TSC or not.
    fn choose(
        setting: Option<&str>,
        inherited_hz: Option<&str>,
        invariant: bool,
    ) -> Result<Clock, ClockError> {
        let inherited =
            match inherited_hz.map(str::trim).filter(|s| !s.is_empty()) {
                None => None,
                Some(s) => Some(s.parse::<f64>().map_err(|_| {
                    ClockError(format!("{TSC_HZ_VAR}={s:?} is not a frequency in Hz"))
                })?),
            };
        let tsc = || {
            require_invariant(invariant)?;
            match inherited {
                Some(hz) => Clock::tsc_at(hz),
                None => Clock::tsc_at(calibrate_hz(CALIBRATION_WINDOW)?),
            }
        };
        match setting.map(str::trim).unwrap_or("") {
            "" | "auto" => Ok(tsc().unwrap_or_else(|_| Clock::monotonic())),
            "tsc" => tsc().map_err(|e| ClockError(format!("{CLOCK_VAR}=tsc: {e}"))),
            "monotonic" => Ok(Clock::monotonic()),
            other => Err(ClockError(format!(
                "{CLOCK_VAR} must be auto, tsc or monotonic, not {other:?}"
            ))),
        }
    }

    /// Which clock this is.
    pub fn kind(&self) -> ClockKind {
        self.kind
    }

    /// The TSC frequency in Hz (`None` for the monotonic clock).
    pub fn hz(&self) -> Option<f64> {
        self.hz
    }

    /// The current time in raw ticks.
    #[inline(always)]
    pub fn now(&self) -> u64 {
        match self.kind {
            ClockKind::Tsc => read_tsc(),
            ClockKind::Monotonic => self.origin.elapsed().as_nanos() as u64,
        }
    }

    /// Nanoseconds in `ticks` (a difference of two [`Clock::now`] reads).
    #[inline(always)]
    pub fn ns(&self, ticks: u64) -> f64 {
        ticks as f64 * self.ns_per_tick
    }

    /// Nanoseconds since `start` (a [`Clock::now`] read).
    #[inline(always)]
    pub fn elapsed_ns(&self, start: u64) -> f64 {
        self.ns(self.now().wrapping_sub(start))
    }
}

/// The clock of this process, chosen on first use from the environment
/// (see the module docs); the same answer every time.
pub fn selected() -> Result<&'static Clock, ClockError> {
    static CHOICE: OnceLock<Result<Clock, ClockError>> = OnceLock::new();
    CHOICE
        .get_or_init(|| {
            let setting = std::env::var(CLOCK_VAR).ok();
            let hz = std::env::var(TSC_HZ_VAR).ok();
            Clock::from_setting(setting.as_deref(), hz.as_deref())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The clock the engine times with: [`selected`], or the monotonic clock
/// when the selection failed (entry points report that error first, through
/// [`super::measure_timer`], so a run never measures with an unwanted clock).
pub fn current() -> &'static Clock {
    static FALLBACK: OnceLock<Clock> = OnceLock::new();
    selected().unwrap_or_else(|_| FALLBACK.get_or_init(Clock::monotonic))
}

/// Environment a worker process needs to use this process's clock (empty
/// until the clock was selected): [`CLOCK_VAR`], and [`TSC_HZ_VAR`] for the
/// TSC.
pub fn child_env() -> Vec<(&'static str, String)> {
    match selected() {
        Ok(c) => match c.hz {
            Some(hz) => vec![(CLOCK_VAR, "tsc".into()), (TSC_HZ_VAR, format!("{hz}"))],
            None => vec![(CLOCK_VAR, "monotonic".into())],
        },
        Err(_) => Vec::new(),
    }
}

fn require_invariant(invariant: bool) -> Result<(), ClockError> {
    if invariant {
        Ok(())
    } else {
        Err(ClockError(
            "this CPU reports no invariant TSC (CPUID 0x8000_0007 EDX bit 8)".into(),
        ))
    }
}

/// One (Instant, TSC) pair read closely together: the TSC read between two
/// `Instant` reads at most [`PAIR_WIDTH`] apart, paired with their middle.
fn paired_read() -> Result<(Instant, u64), ClockError> {
    for _ in 0..1_000 {
        let a = Instant::now();
        let t = read_tsc();
        let b = Instant::now();
        let width = b - a;
        if width <= PAIR_WIDTH {
            return Ok((a + width / 2, t));
        }
    }
    Err(ClockError(
        "cannot read the TSC and the monotonic clock within 1 µs of each other".into(),
    ))
}

/// TSC ticks per second over two consecutive windows of `window`; their
/// frequencies must agree within [`AGREEMENT`]; the result is the frequency
/// over both.
pub fn calibrate_hz(window: Duration) -> Result<f64, ClockError> {
    let p0 = paired_read()?;
    std::thread::sleep(window);
    let p1 = paired_read()?;
    std::thread::sleep(window);
    let p2 = paired_read()?;
    let hz = |(i0, t0): (Instant, u64), (i1, t1): (Instant, u64)| {
        t1.wrapping_sub(t0) as f64 / (i1 - i0).as_secs_f64()
    };
    let (h1, h2) = (hz(p0, p1), hz(p1, p2));
    let spread = (h1 - h2).abs() / h1.max(h2);
    if spread.is_nan() || spread > AGREEMENT {
        return Err(ClockError(format!(
            "TSC calibration windows disagree: {h1:.0} Hz vs {h2:.0} Hz ({:.3} %, limit {:.1} %)",
            spread * 100.0,
            AGREEMENT * 100.0
        )));
    }
    Ok(hz(p0, p2))
}

/// Whether the CPU reports an invariant TSC.
#[cfg(target_arch = "x86_64")]
pub fn invariant_tsc() -> bool {
    use core::arch::x86_64::__cpuid;
    // Leaf 0x8000_0000 gives the highest extended leaf: 0x8000_0007 is only
    // asked for when present. (`__cpuid` is a safe function in this
    // toolchain: CPUID exists on every x86-64 CPU.)
    let max = __cpuid(0x8000_0000).eax;
    if max < 0x8000_0007 {
        return false;
    }
    let edx = __cpuid(0x8000_0007).edx;
    edx & (1 << 8) != 0
}

/// Whether the CPU reports an invariant TSC (never off x86-64).
#[cfg(not(target_arch = "x86_64"))]
pub fn invariant_tsc() -> bool {
    false
}

/// Reads the TSC as `lfence; rdtsc`, the ordered read Linux uses for its
/// own clocks (`rdtsc_ordered`). RDTSC alone is not ordered: the CPU may
/// execute it before earlier instructions finish, so the end of a timed
/// region could leak out of the interval. The LFENCE waits for all earlier
/// instructions to complete (on Intel always; on AMD when LFENCE is
/// dispatch-serializing, which Linux enables). Later instructions may start
/// while RDTSC itself executes (its latency, a few ns): a constant, below
/// the clock's resolution, that a second LFENCE would remove at the price of
/// about 10 ns more per read on the machine this was measured on. `rdtscp`
/// gives the same ordering at the same cost here; `lfence; rdtsc` is used
/// because every x86-64 CPU has it.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn read_tsc() -> u64 {
    use core::arch::x86_64::{_mm_lfence, _rdtsc};
    // SAFETY: LFENCE is SSE2 and RDTSC is base x86-64; both are present on
    // every x86-64 CPU (the target baseline includes SSE2). RDTSC faults only
    // when the OS sets CR4.TSD, which Linux does not for ordinary processes;
    // a TSC clock is only made after CPUID reported an invariant TSC.
    unsafe {
        _mm_lfence();
        _rdtsc()
    }
}

/// No TSC off x86-64 (no TSC clock can be made there).
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn read_tsc() -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nanoseconds of `clock` and of `Instant` over one sleep of `ms`.
    fn over_sleep(clock: &Clock, ms: u64) -> (f64, f64) {
        let (i, t) = (Instant::now(), clock.now());
        std::thread::sleep(Duration::from_millis(ms));
        let (ns, ins) = (clock.elapsed_ns(t), i.elapsed().as_nanos() as f64);
        (ns, ins)
    }

    #[test]
    fn tsc_agrees_with_instant_over_a_sleep() {
        if !invariant_tsc() {
            assert!(Clock::tsc().is_err());
            return;
        }
        let c = Clock::tsc().expect("calibration on an invariant TSC");
        assert_eq!(c.kind(), ClockKind::Tsc);
        let (ns, ins) = over_sleep(&c, 50);
        assert!(
            (ns / ins - 1.0).abs() < 0.01,
            "tsc {ns} ns vs Instant {ins} ns"
        );
        // Negative control: a frequency 5 % off is caught by the same check.
        let off = Clock::tsc_with_hz(c.hz().unwrap() * 1.05).unwrap();
        let (ns, ins) = over_sleep(&off, 50);
        assert!((ns / ins - 1.0).abs() > 0.01, "{ns} vs {ins}");
    }

    #[test]
    fn monotonic_clock_counts_nanoseconds() {
        let c = Clock::from_setting(Some("monotonic"), Some("3e9")).unwrap();
        assert_eq!(c.kind(), ClockKind::Monotonic);
        assert_eq!(c.hz(), None);
        let (ns, ins) = over_sleep(&c, 5);
        assert!(ns >= 5e6 && ns <= ins, "{ns} vs {ins}");
    }

    #[test]
    fn settings_are_checked() {
        let e = Clock::from_setting(Some("rdtsc"), None).unwrap_err();
        assert!(
            e.to_string()
                .contains("PQBENCH_CLOCK must be auto, tsc or monotonic"),
            "{e}"
        );
        let e = Clock::from_setting(Some("tsc"), Some("fast")).unwrap_err();
        assert!(e.to_string().contains("PQBENCH_TSC_HZ"), "{e}");
        // An inherited frequency is used as given (no calibration).
        match Clock::from_setting(Some("tsc"), Some("2.5e9")) {
            Ok(c) => assert_eq!((c.kind(), c.hz()), (ClockKind::Tsc, Some(2.5e9))),
            Err(e) => {
                assert!(!invariant_tsc());
                assert!(e.to_string().contains("no invariant TSC"), "{e}");
            }
        }
        assert!(Clock::from_setting(Some("tsc"), Some("12")).is_err());
        // A CPU without an invariant TSC: forcing the TSC is an error, auto
        // falls back to the monotonic clock.
        let e = Clock::choose(Some("tsc"), Some("2.5e9"), false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "PQBENCH_CLOCK=tsc: this CPU reports no invariant TSC (CPUID 0x8000_0007 EDX bit 8)"
        );
        let auto = Clock::choose(Some("auto"), None, false).unwrap();
        assert_eq!((auto.kind(), auto.hz()), (ClockKind::Monotonic, None));
        // auto never fails.
        let auto = Clock::from_setting(None, None).unwrap();
        assert_eq!(auto.kind() == ClockKind::Tsc, auto.hz().is_some());
    }
}
