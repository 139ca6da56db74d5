//! `pqbench export --format bmf|gab|gbench` on a constructed results file:
//! the values are the file's own statistics (median, the suite table's
//! bootstrap CI of the median, replication means), not recomputed
//! differently per format. The JSON schemas of BMF and gab are checked on
//! real exports by scripts/test.d/35-import.sh (Python jsonschema).

use pqbench::env::Environment;
use pqbench::report::ExportFormat;
use pqbench::results::{BenchResult, Metric, ProcessSamples, Recording, ResultsFile, Status, Unit};
use serde_json::Value;

fn file() -> ResultsFile {
    let timing = BenchResult::measured(
        "hash/sha256.digest/rustcrypto/1KiB".into(),
        "host".into(),
        Unit::Ns,
        Recording::SingleOp,
        1,
        (0..4)
            .map(|p| ProcessSamples {
                samples: (0..50).map(|i| 1000.0 + (p * 7 + i % 11) as f64).collect(),
            })
            .collect(),
    )
    .unwrap();
    let mut counts = BenchResult::measured(
        "pqc/ml-kem.keygen/rustcrypto/768".into(),
        "qemu:mps2-an386".into(),
        Unit::Instructions,
        Recording::SingleOp,
        1,
        vec![
            ProcessSamples {
                samples: vec![500.0, 520.0]
            };
            2
        ],
    )
    .unwrap();
    counts.static_metrics.insert(
        "code_size_bytes".into(),
        Metric {
            value: 12345.0,
            unit: "bytes".into(),
        },
    );
    let skipped = BenchResult::not_measured(
        "pqc/x/y/z".into(),
        "host".into(),
        Unit::Ns,
        Status::Skipped {
            message: "n/a".into(),
        },
    );
    let mut f = ResultsFile::new(Environment::default());
    f.results = vec![timing, counts, skipped];
    f.complete = true;
    f
}

fn export(f: &ResultsFile, format: ExportFormat) -> Value {
    serde_json::from_slice(&format.exporter().serialize(f).unwrap()).unwrap()
}

#[test]
fn bmf_latency_with_the_median_ci_and_counters_with_their_range() {
    let f = file();
    let v = export(&f, ExportFormat::Bmf);
    let obj = v.as_object().unwrap();
    assert_eq!(obj.len(), 2, "skipped results are left out");
    let lat = &v["hash/sha256.digest/rustcrypto/1KiB@host"]["latency"];
    let (lo, hi) = pqbench::report::suite::median_ci(&f.results[0]).unwrap();
    assert_eq!(
        lat["value"].as_f64(),
        Some(f.results[0].summary.unwrap().median)
    );
    assert_eq!(lat["lower_value"].as_f64(), Some(lo));
    assert_eq!(lat["upper_value"].as_f64(), Some(hi));
    assert!(lo <= lat["value"].as_f64().unwrap() && lat["value"].as_f64().unwrap() <= hi);
    let q = &v["pqc/ml-kem.keygen/rustcrypto/768@qemu:mps2-an386"];
    assert_eq!(q["instructions"]["value"].as_f64(), Some(510.0));
    assert_eq!(q["instructions"]["lower_value"].as_f64(), Some(500.0));
    assert_eq!(q["instructions"]["upper_value"].as_f64(), Some(520.0));
    assert_eq!(q["code_size_bytes"]["value"].as_f64(), Some(12345.0));
}

#[test]
fn gab_entries_per_result_and_static_metric() {
    let v = export(&file(), ExportFormat::Gab);
    let a = v.as_array().unwrap();
    assert_eq!(a.len(), 3);
    assert_eq!(a[0]["unit"], "ns");
    assert!(a[0]["range"].as_str().unwrap().starts_with("± "));
    assert!(a[0]["extra"].as_str().unwrap().contains("95% CI"));
    assert_eq!(a[1]["unit"], "instructions");
    assert_eq!(a[1]["range"], "± 10");
    assert_eq!(
        a[2]["name"],
        "pqc/ml-kem.keygen/rustcrypto/768@qemu:mps2-an386: code_size_bytes"
    );
    assert_eq!(a[2]["unit"], "bytes");
}

#[test]
fn gbench_one_iteration_entry_per_replication_and_aggregates() {
    let f = file();
    let v = export(&f, ExportFormat::Gbench);
    let b = v["benchmarks"].as_array().unwrap();
    // Only the ns result: 4 replications + mean, median, stddev.
    assert_eq!(b.len(), 7);
    let means: Vec<f64> = f.results[0]
        .processes
        .iter()
        .map(|p| p.samples.iter().sum::<f64>() / p.samples.len() as f64)
        .collect();
    for (k, m) in means.iter().enumerate() {
        assert_eq!(b[k]["run_type"], "iteration");
        assert_eq!(b[k]["repetition_index"], k);
        assert_eq!(b[k]["iterations"], 50);
        assert!((b[k]["real_time"].as_f64().unwrap() - m).abs() < 1e-9);
        assert_eq!(b[k]["time_unit"], "ns");
    }
    let mean = means.iter().sum::<f64>() / 4.0;
    assert_eq!(b[4]["aggregate_name"], "mean");
    assert!((b[4]["real_time"].as_f64().unwrap() - mean).abs() < 1e-9);
    assert_eq!(
        b[5]["name"],
        "hash/sha256.digest/rustcrypto/1KiB@host_median"
    );
    assert_eq!(b[6]["aggregate_name"], "stddev");
    assert!(v["context"]["num_cpus"].is_u64());
}
