//! Edge TPU: clear errors without hardware (always run), and real inference
//! on an attached Edge TPU when `PQBENCH_EDGETPU=1`.

use pqbench_accel::edgetpu::{DelegateOptions, EdgeTpuError, EdgeTpuLibrary};
use pqbench_accel::{Delegate, Interpreter, Model, Options, TfliteError, TfliteLibrary};

fn hardware() -> bool {
    std::env::var("PQBENCH_EDGETPU").as_deref() == Ok("1")
}

#[test]
fn absent_runtime_or_device_is_a_clear_error() {
    if hardware() {
        eprintln!("PQBENCH_EDGETPU=1: absence test not applicable");
        return;
    }
    match EdgeTpuLibrary::load(None) {
        Err(e) => {
            assert!(matches!(e, EdgeTpuError::LibraryMissing { .. }), "{e}");
            assert!(e.to_string().contains("libedgetpu not found"), "{e}");
        }
        Ok(lib) => {
            // Runtime installed but (per PQBENCH_EDGETPU unset) no device.
            let n = lib.devices().len();
            let err = lib.open(n, DelegateOptions::default()).unwrap_err();
            assert!(err.to_string().contains("no Edge TPU attached"), "{err}");
        }
    }
    let missing = EdgeTpuLibrary::load(Some(std::path::Path::new("/nonexistent/libedgetpu.so.1")));
    assert!(matches!(missing, Err(EdgeTpuError::LibraryMissing { .. })));
}

#[test]
fn edgetpu_hardware_inference() {
    if !hardware() {
        eprintln!(
            "skipping Edge TPU hardware test: set PQBENCH_EDGETPU=1 with a Coral device attached \
             (optionally PQBENCH_EDGETPU_MODEL=<model>_edgetpu.tflite from edgetpu_compiler)"
        );
        return;
    }
    let lib = TfliteLibrary::discover(None).unwrap();
    let etpu = EdgeTpuLibrary::load(None).unwrap();
    let devices = etpu.devices();
    assert!(
        !devices.is_empty(),
        "PQBENCH_EDGETPU=1 but no device listed"
    );
    let path = std::env::var_os("PQBENCH_EDGETPU_MODEL")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(pqbench_accel::default_model_path);
    let model = Model::from_file(&lib, &path).unwrap();
    if model.info().is_edgetpu_compiled() {
        // Without the delegate it must be refused.
        let e = Interpreter::new(&model, Options::default()).err();
        assert!(matches!(
            e,
            Some(TfliteError::EdgeTpuModelWithoutDelegate { .. })
        ));
    }
    let d = etpu.open(0, DelegateOptions::default()).unwrap();
    eprintln!(
        "edgetpu {} {:?} {}; {}",
        etpu.version(),
        d.device().kind,
        d.device().path,
        model.info().placement()
    );
    let mut it = Interpreter::new(
        &model,
        Options {
            threads: 1,
            delegate: Delegate::EdgeTpu(d),
        },
    )
    .unwrap();
    let n = it.inputs()[0].bytes;
    it.set_input_bytes(0, &vec![0u8; n]).unwrap();
    for _ in 0..100 {
        it.invoke().unwrap();
    }
    assert!(it.edgetpu().is_some());
}
