//! TensorFlow Lite and Edge TPU back end for pqbench.
//!
//! * [`library`]: finds and loads the TFLite C library at run time.
//! * [`interpreter`]: safe model / interpreter / typed tensor wrapper.
//! * [`edgetpu`]: `libedgetpu.so.1`, device listing, the delegate.
//! * [`inspect`]: flatbuffer verification and operator census before the C
//!   library sees a file.
//! * [`scenario`]: MLPerf LoadGen–style single-stream, offline and server
//!   scenarios.

pub mod edgetpu;
pub mod error;
pub mod inspect;
pub mod interpreter;
pub mod library;
pub mod scenario;

pub use error::{CStatus, Result, TfliteError};
pub use interpreter::{Delegate, ElementType, Interpreter, Model, Options, TensorInfo};
pub use library::TfliteLibrary;

/// The project's detection model, committed in `accel/models/` (made by
/// `scripts/model/train.py`).
pub fn default_model_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/pk_detect_int8.tflite")
}
