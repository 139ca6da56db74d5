use std::prelude::rust_2024::*;
use std::vec;

use super::*;
use crate::analyze::Detector;
use crate::report::labels::read_labels;
use crate::report::testutil::planted;

fn with(fams: &[(Family, Counts)]) -> Evaluation {
    let mut ev = Evaluation::default();
    for &(f, c) in fams {
        let i = EVALUATED.iter().position(|&x| x == f).expect("evaluated");
        ev.counts[i] = c;
    }
    ev
}

const fn c(tp: usize, fp: usize, fn_: usize) -> Counts {
    Counts { tp, fp, fn_ }
}

#[test]
fn evaluated_families_are_all_but_lib_in_order() {
    let want: Vec<Family> = Family::ALL
        .into_iter()
        .filter(|f| *f != Family::Lib)
        .collect();
    assert_eq!(EVALUATED.to_vec(), want);
}

#[test]
fn planted_image_and_control_score_perfectly_and_unlabelled_families_are_na() {
    let det = Detector::builtin();
    let (dir, results) = planted(&det);
    let l = dir.path().join("labels.tsv");
    std::fs::write(&l, "fw.bin\tecc\nctl.bin\tnone\n").expect("labels");
    let labels = read_labels(&l).expect("parse");
    let ev = evaluate(&results, &labels);
    assert_eq!(ev.images, 2, "gone.bin has no label and is ignored");
    assert_eq!(ev.counts(Family::Ecc), c(1, 0, 0));
    assert_eq!(ev.recall(Family::Ecc), Some(1.0));
    assert!(ev.controls_clean());
    assert_eq!(ev.quantum_vulnerable().precision(), Some(1.0));
    // Nothing labelled or predicted sha: undefined, not 1.
    assert_eq!(
        (ev.precision(Family::Sha), ev.recall(Family::Sha)),
        (None, None)
    );
    let text = ev.render();
    assert!(text.contains("| sha | 0 | 0 | 0 | n/a | n/a |"), "{text}");
    assert!(
        text.contains("| ecc | 1 | 0 | 0 | 1.000 | 1.000 |"),
        "{text}"
    );
    assert!(ev.check(&Floors::default()).is_empty());
}

#[test]
fn macro_averages_leave_out_undefined_families() {
    let ev = with(&[
        (Family::Ecc, c(1, 0, 0)), // precision 1, recall 1
        (Family::Sha, c(0, 1, 0)), // precision 0, recall n/a
        (Family::Aes, c(0, 0, 1)), // precision n/a, recall 0
    ]);
    assert_eq!(ev.macro_average(), (Some(0.5), Some(0.5)));
    assert_eq!(Evaluation::default().macro_average(), (None, None));
    assert_eq!(ev.micro(), c(1, 1, 1));
    assert!(
        ev.render()
            .contains("| **overall (macro, families with a value)** | | | | 0.500 | 0.500 |")
    );
}

#[test]
fn floors_on_families_without_labelled_images_fail_with_the_reason() {
    let ev = with(&[(Family::Ecc, c(3, 0, 1)), (Family::Sha, c(0, 2, 0))]);
    let floors = Floors {
        family_precision: vec![(Family::Aes, 0.5), (Family::Sha, 0.0)],
        family_recall: vec![(Family::Aes, 0.5), (Family::Ecc, 0.7)],
        ..Floors::default()
    };
    let fails = ev.check(&floors);
    assert_eq!(fails.len(), 3, "{fails:?}");
    assert!(
        fails[0].contains("aes precision") && fails[0].contains("no labelled images of family aes")
    );
    assert!(
        fails[1].contains("sha precision") && fails[1].contains("no labelled images of family sha")
    );
    assert!(
        fails[2].contains("aes recall") && fails[2].contains("no labelled images of family aes")
    );
    // ecc recall 0.75 >= 0.7 passes; raise it and it fails with the value.
    let fails = ev.check(&Floors {
        family_recall: vec![(Family::Ecc, 0.8)],
        ..Floors::default()
    });
    assert_eq!(fails, ["FAIL: ecc recall 0.750 < 0.8"]);
}

#[test]
fn precision_floor_on_a_never_predicted_family_fails() {
    let ev = with(&[(Family::Aes, c(0, 0, 4))]);
    let fails = ev.check(&Floors {
        family_precision: vec![(Family::Aes, 0.9)],
        ..Floors::default()
    });
    assert_eq!(fails.len(), 1);
    assert!(fails[0].contains("no image was predicted aes"), "{fails:?}");
}

#[test]
fn quantum_vulnerable_floors_and_controls() {
    let mut ev = with(&[(Family::Aes, c(1, 0, 0))]);
    let floors = Floors {
        qv_precision: Some(0.9),
        qv_recall: Some(0.9),
        ..Floors::default()
    };
    let fails = ev.check(&floors);
    assert_eq!(fails.len(), 2, "{fails:?}");
    assert!(
        fails
            .iter()
            .all(|f| f.contains("no labelled images of family rsa, ecc or dh"))
    );
    ev.counts[0] = c(8, 2, 0); // rsa
    ev.counts[1] = c(1, 0, 0); // ecc
    assert_eq!(
        ev.check(&floors),
        ["FAIL: rsa+ecc+dh precision 0.818 < 0.9"]
    );
    ev.qv_on_controls.push("ctl.bin".into());
    assert_eq!(ev.check(&Floors::default()).len(), 1);
    assert!(
        ev.render()
            .contains("crypto-free controls marked rsa/ecc/dh: ctl.bin")
    );
}

#[test]
fn unanalysable_labelled_images_count_as_predicting_nothing() {
    let det = Detector::builtin();
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.elf");
    std::fs::write(&bad, b"\x7fELF\x01\x01\x01truncated").expect("write");
    let l = dir.path().join("labels.tsv");
    std::fs::write(&l, "bad.elf\tsha\n").expect("labels");
    let labels = read_labels(&l).expect("parse");
    let results = crate::report::scan_files(&det, &labels.paths());
    assert!(results[0].result.is_err(), "a truncated ELF does not load");
    let ev = evaluate(&results, &labels);
    assert_eq!(ev.images, 1);
    assert_eq!(ev.counts(Family::Sha), c(0, 0, 1));
    assert!(
        ev.misclassified
            .iter()
            .any(|m| m.contains("bad.elf: cannot load")),
        "{:?}",
        ev.misclassified
    );
    assert!(
        ev.misclassified
            .iter()
            .any(|m| m.ends_with("bad.elf: -sha"))
    );
}
