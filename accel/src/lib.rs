//! TensorFlow Lite, LiteRT and Edge TPU back end for pqbench.
//!
//! * [`library`]: finds and loads the TFLite C library at run time.
//! * [`interpreter`]: safe model / interpreter / typed tensor wrapper.
//! * [`edgetpu`]: `libedgetpu.so.1`, device listing, the delegate.
//! * [`inspect`]: flatbuffer verification and operator census before the C
//!   library sees a file.
//! * [`litert`]: LiteRT's C API (CompiledModel) loaded at run time.
//! * [`engine`]: what both runtimes offer the scenarios.
//! * [`scenario`]: MLPerf LoadGen–style single-stream, offline and server
//!   scenarios.

mod discovery;
pub mod edgetpu;
pub mod engine;
pub mod error;
pub mod inspect;
pub mod interpreter;
pub mod library;
pub mod litert;
pub mod scenario;

pub use engine::Engine;
pub use error::{CStatus, Result, TfliteError};
pub use interpreter::{Delegate, ElementType, Interpreter, Model, Options, TensorInfo};
pub use library::TfliteLibrary;

/// The project's detection model, committed in `accel/models/` (made by
/// `scripts/model/train.py`). Where the file sits in a checkout; the same
/// bytes are embedded in the binary as [`DEFAULT_MODEL`].
pub fn default_model_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/pk_detect_int8.tflite")
}

/// Name (file stem) of the embedded default model.
pub const DEFAULT_MODEL_NAME: &str = "pk_detect_int8";

/// The default model's bytes, embedded at build time so the TFLite targets
/// work from any directory, without a checkout. Load it with
/// [`Model::from_bytes`].
pub static DEFAULT_MODEL: &[u8] = include_bytes!("../models/pk_detect_int8.tflite");

/// Lower-case hex SHA-256 of `bytes` (recorded with every TFLite result to
/// name the exact model measured).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_model_is_the_committed_file() {
        let file = std::fs::read(super::default_model_path()).unwrap();
        assert_eq!(file, super::DEFAULT_MODEL);
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(super::sha256_hex(super::DEFAULT_MODEL).len(), 64);
    }
}
