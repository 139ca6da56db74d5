//! `compare` on merged files that hold the same benchmark and target from
//! several machines: results are paired machine by machine (never machine A
//! with machine B), and a single-machine file compared with a merged one
//! pairs with its own machine only.

use crate::history_common;

use history_common::{file, write};
use std::process::Command;

fn pqbench(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pqbench"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn merged_files_are_compared_machine_by_machine() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Machine A is 20 % slower in the new run; machine B (2x faster hardware,
    // a different level) is unchanged. Three replications each.
    let a0 = write(d, "a0.json", &file("cpu A", 0, 1000.0, 1, 200));
    let b0 = write(d, "b0.json", &file("cpu B", 0, 500.0, 1, 200));
    let a1 = write(d, "a1.json", &file("cpu A", 1, 1200.0, 1, 200));
    let b1 = write(d, "b1.json", &file("cpu B", 1, 500.0, 1, 200));
    let (base, new) = (d.join("base.json"), d.join("new.json"));
    for (out, ins) in [(&base, [&a0, &b0]), (&new, [&a1, &b1])] {
        let o = pqbench(&[
            "merge".as_ref(),
            ins[0].as_os_str(),
            ins[1].as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
        assert!(o.status.success(), "{o:?}");
    }
    let json = d.join("cmp.json");
    let o = pqbench(&[
        "compare".as_ref(),
        base.as_os_str(),
        new.as_os_str(),
        "--json".as_ref(),
        json.as_os_str(),
    ]);
    assert!(o.status.success(), "{o:?}");
    let c: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let rows = c["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{c}");
    for r in rows {
        // Paired across machines, A (1000) against B (500) would read as
        // "improved" and B against A as "regressed".
        assert_ne!(r["verdict"], "improved", "{r}");
        if r["machine"].as_str().unwrap().contains("cpu A") {
            assert_eq!(r["verdict"], "regressed", "{r}");
        } else {
            assert_ne!(r["verdict"], "regressed", "{r}");
        }
    }
    assert!(c["only_in_base"].as_array().unwrap().is_empty());

    // A single-machine file against the merged base: paired with its own
    // machine; the other machine's result has no partner, by name.
    let o = pqbench(&[
        "compare".as_ref(),
        base.as_os_str(),
        a1.as_os_str(),
        "--json".as_ref(),
        json.as_os_str(),
    ]);
    assert!(o.status.success(), "{o:?}");
    let c: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let rows = c["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{c}");
    assert!(
        rows[0]["machine"].as_str().unwrap().contains("cpu A"),
        "{c}"
    );
    assert_eq!(rows[0]["verdict"], "regressed");
    let only = c["only_in_base"].as_array().unwrap();
    assert_eq!(only.len(), 1, "{c}");
    assert!(only[0].as_str().unwrap().contains("cpu B"), "{c}");
}
