//! The verdict, its tolerance check and its test refer to one quantity; a
//! test that cannot reach alpha is reported, not silent; degenerate rows
//! leave the correction family. Library-level, on constructed files.

use crate::common::Noise;
use pqbench::compare::{Method, Options, compare};
use pqbench::env::Environment;
use pqbench::results::{BenchResult, ProcessSamples, Recording, ResultsFile, Unit};
use pqbench_stats::{Correction, PrimaryTest, Verdict};

/// One process: `n` samples around `center` (±`spread` relative).
fn process(center: f64, n: usize, spread: f64, noise: &mut Noise) -> ProcessSamples {
    ProcessSamples {
        samples: (0..n)
            .map(|_| center * (1.0 + spread * noise.next()))
            .collect(),
    }
}

fn bench(id: &str, processes: Vec<ProcessSamples>) -> BenchResult {
    BenchResult::measured(
        id.into(),
        "host".into(),
        Unit::Ns,
        Recording::SingleOp,
        1,
        processes,
    )
    .unwrap()
}

fn file(results: Vec<BenchResult>) -> ResultsFile {
    let mut f = ResultsFile::new(Environment::default());
    f.complete = true;
    f.results = results;
    f
}

fn options(primary: PrimaryTest, correction: Correction, alpha: f64) -> Options {
    let mut o = Options {
        primary,
        correction,
        alpha,
        ..Options::default()
    };
    o.bootstrap.resamples = 200;
    o
}

/// The audit's contradiction: 20 short replications about 1 % faster and
/// one long replication (most of the samples) 2 % slower. Per replication
/// the new side is faster (Welch on log medians: significant, about -0.9 %);
/// pooled over samples (weighted by sample count) it looks 2 % slower.
#[test]
fn the_verdict_follows_the_tested_estimate_not_the_pooled_median() {
    let mut n = Noise(0x1234_5678_9abc_def1);
    let base: Vec<ProcessSamples> = (0..21)
        .map(|_| process(100.0 * (1.0 + 0.001 * n.next()), 50, 0.002, &mut n))
        .collect();
    let mut new: Vec<ProcessSamples> = (0..20)
        .map(|_| process(99.0 * (1.0 + 0.001 * n.next()), 10, 0.002, &mut n))
        .collect();
    new.push(process(102.0, 5_000, 0.002, &mut n));
    let c = compare(
        &file(vec![bench("x/contradiction/a/b", base)]),
        &file(vec![bench("x/contradiction/a/b", new)]),
        &options(PrimaryTest::Welch, Correction::Holm, 0.05),
    );
    let r = &c.rows[0];
    let s = r.stats.as_ref().unwrap();
    let w = s.welch.unwrap();
    // The data really do contain the contradiction.
    assert!(s.ratios.median.estimate > 1.015, "{:?}", s.ratios.median);
    assert!(w.t < -5.0 && w.estimate < -0.005, "{w:?}");
    // The verdict is about the tested quantity: faster, beyond 0.5 %.
    assert!((s.estimate.estimate - w.estimate.exp()).abs() < 1e-12);
    assert!(s.estimate.hi < 1.0, "{:?}", s.estimate);
    assert_eq!(r.verdict, Verdict::Improved, "{r:?}");
    assert!(r.undecidable.is_none());
}

/// 10 benchmarks, 5 vs 5 replications, 2 of them 10 % slower.
fn suite(shifted: f64) -> (ResultsFile, ResultsFile) {
    let mut n = Noise(0x0bad_cafe_d00d_f00d);
    let mut base = Vec::new();
    let mut new = Vec::new();
    for b in 0..10 {
        let id = format!("x/b{b}/a/b");
        let c = 1000.0 * (b + 1) as f64;
        let k = if b < 2 { shifted } else { 1.0 };
        let side = |f: f64, n: &mut Noise| {
            (0..5)
                .map(|_| process(c * f * (1.0 + 0.005 * n.next()), 100, 0.02, n))
                .collect()
        };
        base.push(bench(&id, side(1.0, &mut n)));
        new.push(bench(&id, side(k, &mut n)));
    }
    (file(base), file(new))
}

#[test]
fn a_test_that_cannot_reach_alpha_makes_the_rows_undecidable() {
    let (base, new) = suite(1.10);
    // Mann-Whitney at 5 vs 5: smallest p = 2/252 = 0.0079; Holm over 10
    // makes it 0.079 > 0.05: no row can be significant.
    let mw = compare(
        &base,
        &new,
        &options(PrimaryTest::MannWhitney, Correction::Holm, 0.05),
    );
    assert_eq!(mw.undecidable().count(), 10);
    let why = mw.rows[0].undecidable.as_deref().unwrap();
    assert!(
        why.contains("cannot reach alpha") && why.contains("0.079"),
        "{why}"
    );
    assert!(mw.rows.iter().all(|r| r.verdict == Verdict::Inconclusive));
    // Negative control: without the correction 0.0079 < 0.05 is reachable,
    // and Welch catches both shifted rows under Holm.
    let none = compare(
        &base,
        &new,
        &options(PrimaryTest::MannWhitney, Correction::None, 0.05),
    );
    assert_eq!(none.undecidable().count(), 0);
    let welch = compare(
        &base,
        &new,
        &options(PrimaryTest::Welch, Correction::Holm, 0.05),
    );
    assert_eq!(welch.undecidable().count(), 0);
    let flagged: Vec<&str> = welch.regressions().map(|r| r.id.as_str()).collect();
    assert_eq!(flagged, ["x/b0/a/b", "x/b1/a/b"]);
}

/// Five replications whose samples are all `v` (identical medians).
fn constant(id: &str, v: f64) -> BenchResult {
    bench(
        id,
        (0..5)
            .map(|_| ProcessSamples {
                samples: vec![v; 20],
            })
            .collect(),
    )
}

/// Per-replication medians identical within each side (a stable function
/// timed with batch means repeats its median to the stored digit): no test
/// can run on zero spread (Welch is SciPy's NaN or ±inf there), so the row
/// is decided by the ratio within the resolution, outside the family —
/// equal sides are unchanged (they used to be undecidable, failing every
/// A/A gate of such a function), a 10 % step is a change either way, and a
/// ratio whose resolution band straddles the tolerance stays undecidable.
#[test]
fn constant_medians_are_decided_by_their_ratio_out_of_the_family() {
    let (mut base, mut new) = suite(1.10);
    for (id, b, n) in [
        ("x/equal/a/b", 7.0, 7.0),
        ("x/slower/a/b", 7.0, 7.7),
        ("x/faster/a/b", 7.0, 6.3),
        // 7.03 / 7.0 = +0.43 %, resolution 0.01 / 7 per side = ±0.29 %:
        // the band [+0.14, +0.71] % straddles the 0.5 % tolerance.
        ("x/straddles/a/b", 7.0, 7.03),
    ] {
        base.results.push(constant(id, b));
        new.results.push(constant(id, n));
    }
    let c = compare(
        &base,
        &new,
        &options(PrimaryTest::Welch, Correction::Holm, 0.05),
    );
    assert_eq!(c.family_size, 10, "constant rows are not tested");
    let row = |id: &str| c.rows.iter().find(|r| r.id == id).unwrap();
    for (id, want) in [
        ("x/equal/a/b", Some(Verdict::Unchanged)),
        ("x/slower/a/b", Some(Verdict::Regressed)),
        ("x/faster/a/b", Some(Verdict::Improved)),
        ("x/straddles/a/b", None),
    ] {
        let r = row(id);
        assert_eq!(r.method, Method::Exact, "{r:?}");
        assert!(r.p_adjusted.is_nan(), "{r:?}");
        let e = r.exact.as_ref().unwrap();
        assert_eq!(e.class, "constant_medians");
        let step = 0.01 / e.base_total + 0.01 / e.new_total;
        assert!((e.resolution - step).abs() < 1e-12, "{e:?}");
        match want {
            Some(v) => {
                assert_eq!(r.verdict, v, "{r:?}");
                assert!(r.undecidable.is_none(), "{r:?}");
            }
            None => {
                assert_eq!(r.verdict, Verdict::Inconclusive, "{r:?}");
                assert!(
                    r.undecidable.as_ref().unwrap().contains("straddles"),
                    "{r:?}"
                );
            }
        }
    }
    // One replication per side is constant trivially: still undecidable.
    let one = |v: f64| {
        bench(
            "x/one/a/b",
            vec![ProcessSamples {
                samples: vec![v; 20],
            }],
        )
    };
    let c = compare(
        &file(vec![one(7.0)]),
        &file(vec![one(7.0)]),
        &options(PrimaryTest::Welch, Correction::Holm, 0.05),
    );
    assert_eq!(c.rows[0].method, Method::Statistical);
    assert!(c.rows[0].undecidable.is_some(), "{:?}", c.rows[0]);
}

#[test]
fn every_benchmark_draws_its_own_bootstrap_streams() {
    // Two benchmarks with identical data: with shared streams their
    // bootstrap intervals would be identical too.
    let mut n = Noise(42);
    let procs: Vec<ProcessSamples> = (0..4).map(|_| process(100.0, 60, 0.05, &mut n)).collect();
    let twin = |id: &str| bench(id, procs.clone());
    let base = file(vec![twin("x/one/a/b"), twin("x/two/a/b")]);
    let mut m = Noise(43);
    let later: Vec<ProcessSamples> = (0..4).map(|_| process(101.0, 60, 0.05, &mut m)).collect();
    let new = file(vec![
        bench("x/one/a/b", later.clone()),
        bench("x/two/a/b", later),
    ]);
    let o = options(PrimaryTest::Welch, Correction::Holm, 0.05);
    let c = compare(&base, &new, &o);
    let ci = |c: &pqbench::compare::Comparison, i: usize| {
        c.rows[i].stats.as_ref().unwrap().ratios.median
    };
    assert_ne!(ci(&c, 0), ci(&c, 1), "independent streams per benchmark");
    // Still reproducible: same seed, same intervals.
    let again = compare(&base, &new, &o);
    assert_eq!(ci(&c, 0), ci(&again, 0));
    assert_eq!(ci(&c, 1), ci(&again, 1));
}
