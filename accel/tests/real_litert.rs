//! Real inference through LiteRT's C library (installed by
//! `scripts/setup.d/71-litert.sh`), and agreement with TFLite 2.6.0 on the
//! same inputs (and with Python's LiteRT interpreter, through the committed
//! `accel/models/pk_detect_int8.runtimes.json`). Fails when either library is missing, unless
//! `PQBENCH_SKIP_TFLITE=1` says to skip (with a loud message).

use pqbench_accel::litert::{CompiledModel, Kernels, LiteRtLibrary};
use pqbench_accel::{ElementType, Engine, Interpreter, Model, Options, TfliteError, TfliteLibrary};
use std::sync::Arc;

/// `None` (a loud skip) when `PQBENCH_SKIP_TFLITE=1`, else a panic.
fn skip<T>(e: &dyn std::fmt::Display) -> Option<T> {
    if std::env::var("PQBENCH_SKIP_TFLITE").as_deref() == Ok("1") {
        eprintln!("!!! SKIPPING real LiteRT test because PQBENCH_SKIP_TFLITE=1: {e}");
        return None;
    }
    panic!("{e}\n(set PQBENCH_SKIP_TFLITE=1 to skip these tests explicitly)")
}

fn litert() -> Option<Arc<LiteRtLibrary>> {
    LiteRtLibrary::discover(None).map_or_else(|e| skip(&e), Some)
}

fn tflite() -> Option<Arc<TfliteLibrary>> {
    TfliteLibrary::discover(None).map_or_else(|e| skip(&e), Some)
}

fn model_bytes() -> Vec<u8> {
    std::fs::read(pqbench_accel::default_model_path()).expect("committed model")
}

#[test]
fn pinned_library_is_recognised() {
    let Some(lib) = litert() else { return };
    let (version, sha) = lib.identify();
    assert_eq!(sha.len(), 64);
    // setup.d/71-litert.sh installs the pinned 2.3.0 file.
    assert_eq!(version, "2.3.0", "{} (sha256 {sha})", lib.path().display());
}

#[test]
fn detection_model_tensors_match_tflite() {
    let (Some(lr), Some(tf)) = (litert(), tflite()) else {
        return;
    };
    let c = CompiledModel::new(&lr, model_bytes(), 1).unwrap();
    let m = Model::from_bytes(&tf, model_bytes()).unwrap();
    let it = Interpreter::new(&m, Options::default()).unwrap();
    assert_eq!(c.inputs().len(), 1);
    assert_eq!(c.inputs()[0].dtype, ElementType::I8);
    assert_eq!(c.inputs()[0].shape, vec![1, 512]);
    for (a, b) in c
        .inputs()
        .iter()
        .zip(it.inputs())
        .chain(c.outputs().iter().zip(it.outputs()))
    {
        assert_eq!((a.dtype, &a.shape, a.bytes), (b.dtype, &b.shape, b.bytes));
        assert_eq!(
            (a.scale, a.zero_point),
            (b.scale, b.zero_point),
            "{}",
            a.name
        );
    }
}

/// Inputs, in the order of `scripts/model/runtime_outputs.py` (which made
/// `accel/models/pk_detect_int8.runtimes.json` with Python's LiteRT
/// interpreter): TensorFlow's reference windows sorted by name, the
/// labelled corpus windows and 200 seeded xorshift64 windows.
fn inputs() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let r: serde_json::Value = serde_json::from_slice(
        &std::fs::read(pqbench_accel::default_model_path().with_extension("reference.json"))
            .unwrap(),
    )
    .unwrap();
    let windows = r["windows"].as_object().unwrap();
    let mut names: Vec<&String> = windows.keys().collect();
    names.sort();
    let mut v: Vec<Vec<u8>> = names
        .iter()
        .map(|n| {
            windows[n.as_str()]["input_int8"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_i64().unwrap() as i8 as u8)
                .collect()
        })
        .collect();
    let bin = std::fs::read(dir.join("tests/data/pk_windows.bin")).unwrap();
    // Bytes b -> real b/255 -> int8 (scale 1/255, zero point -128): b - 128.
    v.extend(
        bin.chunks_exact(512)
            .map(|w| w.iter().map(|&b| b.wrapping_sub(128)).collect()),
    );
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..200 {
        v.push(
            (0..512)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect(),
        );
    }
    v
}

/// Python's LiteRT interpreter's outputs (`builtin`, `xnnpack`) on
/// [`inputs`], committed.
fn python_outputs(mode: &str) -> Vec<i8> {
    let p = pqbench_accel::default_model_path().with_extension("runtimes.json");
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    r[mode]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap() as i8)
        .collect()
}

fn outputs(e: &mut dyn Engine, inputs: &[Vec<u8>]) -> Vec<i8> {
    inputs
        .iter()
        .map(|inp| {
            e.write_input(0, inp).unwrap();
            e.invoke().unwrap();
            e.read_output(0).unwrap()[0] as i8
        })
        .collect()
}

/// Largest difference, in output LSB (1/256 of probability), allowed
/// between LiteRT's XNNPACK kernels and TFLite 2.6.0's built-in kernels.
/// Measured on the 268 inputs below: 33 differ, by at most 3 (XNNPACK
/// requantizes each layer with its own rounding; the built-in kernels of
/// LiteRT agree exactly, see below). A wrong binding (bad scale, wrong
/// buffer, stale input) moves outputs by tens of LSB or makes them constant.
const XNNPACK_TOLERANCE_LSB: i32 = 3;

fn compare(got: &[i8], want: &[i8]) -> (Vec<(usize, i8, i8)>, i32) {
    let differ: Vec<(usize, i8, i8)> = got
        .iter()
        .zip(want)
        .enumerate()
        .filter(|(_, (g, w))| g != w)
        .map(|(i, (g, w))| (i, *g, *w))
        .collect();
    let max = differ
        .iter()
        .map(|(_, g, w)| (i32::from(*g) - i32::from(*w)).abs())
        .max()
        .unwrap_or(0);
    (differ, max)
}

#[test]
fn int8_outputs_agree_across_runtimes() {
    let (Some(lr), Some(tf)) = (litert(), tflite()) else {
        return;
    };
    let ins = inputs();
    let (py_builtin, py_xnnpack) = (python_outputs("builtin"), python_outputs("xnnpack"));
    assert_eq!((py_builtin.len(), py_xnnpack.len()), (ins.len(), ins.len()));
    let m = Model::from_bytes(&tf, model_bytes()).unwrap();
    let mut it = Interpreter::new(&m, Options::default()).unwrap();
    let tflite = outputs(&mut it, &ins);
    // TFLite 2.6.0's kernels and Python LiteRT's built-in kernels: exact.
    let (differ, _) = compare(&tflite, &py_builtin);
    assert!(
        differ.is_empty(),
        "TFLite 2.6.0 vs Python LiteRT builtin: {differ:?}"
    );
    for threads in [1, 2] {
        // LiteRT C API, built-in kernels: bit-exact with TFLite 2.6.0.
        let mut c =
            CompiledModel::with_kernels(&lr, model_bytes(), threads, Kernels::Builtin).unwrap();
        let (differ, _) = compare(&outputs(&mut c, &ins), &tflite);
        assert!(
            differ.is_empty(),
            "LiteRT builtin ({threads} threads) and TFLite 2.6.0 disagree on {} of {} inputs: {differ:?}",
            differ.len(),
            ins.len()
        );
        // LiteRT C API, XNNPACK (the litert-cpu default): exact with
        // Python's interpreter under XNNPACK, within the tolerance of the
        // built-in kernels.
        let mut c = CompiledModel::new(&lr, model_bytes(), threads).unwrap();
        let got = outputs(&mut c, &ins);
        let (differ, _) = compare(&got, &py_xnnpack);
        assert!(
            differ.is_empty(),
            "LiteRT C API vs Python, XNNPACK, {threads} threads: {differ:?}"
        );
        let (differ, max) = compare(&got, &tflite);
        eprintln!(
            "LiteRT XNNPACK, {threads} thread(s): {} of {} outputs differ from TFLite 2.6.0, by at most {max} LSB",
            differ.len(),
            ins.len()
        );
        assert!(max <= XNNPACK_TOLERANCE_LSB, "{differ:?}");
    }
    // Negative controls: the outputs vary with the input, and the check
    // sees a shift of one input's output.
    let distinct: std::collections::HashSet<i8> = tflite.iter().copied().collect();
    assert!(distinct.len() > 3, "outputs barely vary: {distinct:?}");
    let mut shifted = tflite.clone();
    shifted[0] = shifted[0].wrapping_add(4);
    assert!(compare(&shifted, &tflite).1 > XNNPACK_TOLERANCE_LSB);
}

#[test]
fn corrupt_model_and_missing_library_fail_clearly() {
    let Some(lr) = litert() else { return };
    let mut bad = model_bytes();
    bad.truncate(bad.len() / 2);
    let e = CompiledModel::new(&lr, bad, 1).unwrap_err();
    assert!(matches!(e, TfliteError::ModelRejected(_)), "{e}");
    let e = CompiledModel::new(&lr, b"not a model at all".to_vec(), 1).unwrap_err();
    assert!(matches!(e, TfliteError::ModelRejected(_)), "{e}");
    let e = LiteRtLibrary::discover(Some(std::path::Path::new("/nonexistent/libLiteRt.so")))
        .unwrap_err();
    assert!(
        e.to_string().contains("cannot load LiteRT C library"),
        "{e}"
    );
    // A real library that is not LiteRT: the missing symbol is named.
    if let Some(tf) = tflite() {
        let e = LiteRtLibrary::load(tf.path()).unwrap_err();
        assert!(
            e.to_string()
                .contains("symbol LiteRtCreateEnvironment missing"),
            "{e}"
        );
    }
    assert!(CompiledModel::new(&lr, model_bytes(), 0).is_err());
}

/// The committed MLPerf Tiny-style DS-CNN (`scripts/model/standard_models.py`,
/// random weights with a fixed seed, int8), 50 seeded inputs, 12 outputs
/// each: LiteRT's built-in kernels within 1 LSB of TFLite 2.6.0 (measured:
/// a few elements differ by 1; the kernels changed between TFLite 2.6 and
/// the TensorFlow LiteRT 2.3 builds on), XNNPACK within
/// [`XNNPACK_TOLERANCE_LSB`]; and both LiteRT configurations exactly as
/// Python's LiteRT interpreter (the committed `ds_cnn_kws_int8.runtimes.json`).
#[test]
fn ds_cnn_int8_outputs_agree_across_runtimes() {
    let (Some(lr), Some(tf)) = (litert(), tflite()) else {
        return;
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models/standard/ds_cnn_kws_int8.tflite");
    let bytes = std::fs::read(path).unwrap();
    let m = Model::from_bytes(&tf, bytes.clone()).unwrap();
    let mut it = Interpreter::new(&m, Options::default()).unwrap();
    let mut builtin = CompiledModel::with_kernels(&lr, bytes.clone(), 1, Kernels::Builtin).unwrap();
    let mut xnn = CompiledModel::new(&lr, bytes, 1).unwrap();
    assert_eq!(it.inputs()[0].shape, vec![1, 49, 10, 1]);
    assert_eq!(xnn.inputs()[0].shape, vec![1, 49, 10, 1]);
    assert_eq!(xnn.inputs()[0].bytes, 490);
    // Python's LiteRT interpreter on the same inputs (scripts/model/runtime_outputs.py).
    let py: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("models/standard/ds_cnn_kws_int8.runtimes.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let py_out = |mode: &str, i: usize| -> Vec<u8> {
        py[mode][i]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap() as i8 as u8)
            .collect()
    };
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let (mut max_xnn, mut max_builtin, mut n_builtin) = (0i32, 0i32, 0usize);
    let mut distinct = std::collections::HashSet::new();
    let diff = |a: &[u8], b: &[u8]| -> Vec<i32> {
        a.iter()
            .zip(b)
            .map(|(x, y)| (i32::from(*x as i8) - i32::from(*y as i8)).abs())
            .collect()
    };
    for i in 0..50 {
        let input: Vec<u8> = (0..490)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let mut outs = Vec::new();
        for e in [&mut it as &mut dyn Engine, &mut builtin, &mut xnn] {
            e.write_input(0, &input).unwrap();
            e.invoke().unwrap();
            outs.push(e.read_output(0).unwrap());
        }
        assert_eq!(outs[0].len(), 12);
        // The C API and Python's interpreter, same kernels: identical.
        assert_eq!(outs[1], py_out("builtin", i), "builtin, input {i}");
        assert_eq!(outs[2], py_out("xnnpack", i), "XNNPACK, input {i}");
        let d = diff(&outs[1], &outs[0]);
        n_builtin += d.iter().filter(|v| **v != 0).count();
        max_builtin = max_builtin.max(d.into_iter().max().unwrap_or(0));
        max_xnn = max_xnn.max(diff(&outs[2], &outs[0]).into_iter().max().unwrap_or(0));
        distinct.insert(outs[0].clone());
    }
    eprintln!(
        "DS-CNN int8 vs TFLite 2.6.0: LiteRT builtin {n_builtin} of 600 elements differ, by at most {max_builtin} LSB; XNNPACK at most {max_xnn} LSB"
    );
    assert!(max_builtin <= 1);
    assert!(max_xnn <= XNNPACK_TOLERANCE_LSB);
    assert!(distinct.len() > 10, "outputs barely vary with the input");
}
