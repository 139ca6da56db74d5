//! Typed errors of the TFLite and LiteRT runtimes and the Edge TPU delegate.

use crate::inspect::InspectError;
use std::path::PathBuf;

/// A non-OK `TfLiteStatus` returned by the C library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CStatus {
    /// `kTfLiteError`: generic runtime error.
    Error,
    /// `kTfLiteDelegateError`: a delegate failed.
    DelegateError,
    /// `kTfLiteApplicationError`: e.g. delegate applied to an incompatible
    /// interpreter state.
    ApplicationError,
    /// `kTfLiteDelegateDataNotFound`.
    DelegateDataNotFound,
    /// `kTfLiteDelegateDataWriteError`.
    DelegateDataWriteError,
    /// `kTfLiteDelegateDataReadError`.
    DelegateDataReadError,
    /// `kTfLiteUnresolvedOps`: the model uses operators the library lacks.
    UnresolvedOps,
    /// `kTfLiteCancelled`.
    Cancelled,
    /// A value this wrapper does not know.
    Other(i32),
}

impl CStatus {
    /// Maps a raw `TfLiteStatus`; `None` for `kTfLiteOk` (0).
    pub fn from_raw(raw: i32) -> Option<CStatus> {
        Some(match raw {
            0 => return None,
            1 => CStatus::Error,
            2 => CStatus::DelegateError,
            3 => CStatus::ApplicationError,
            4 => CStatus::DelegateDataNotFound,
            5 => CStatus::DelegateDataWriteError,
            6 => CStatus::DelegateDataReadError,
            7 => CStatus::UnresolvedOps,
            8 => CStatus::Cancelled,
            other => CStatus::Other(other),
        })
    }
}

impl std::fmt::Display for CStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CStatus::Error => f.write_str("kTfLiteError"),
            CStatus::DelegateError => f.write_str("kTfLiteDelegateError"),
            CStatus::ApplicationError => f.write_str("kTfLiteApplicationError"),
            CStatus::DelegateDataNotFound => f.write_str("kTfLiteDelegateDataNotFound"),
            CStatus::DelegateDataWriteError => f.write_str("kTfLiteDelegateDataWriteError"),
            CStatus::DelegateDataReadError => f.write_str("kTfLiteDelegateDataReadError"),
            CStatus::UnresolvedOps => f.write_str("kTfLiteUnresolvedOps"),
            CStatus::Cancelled => f.write_str("kTfLiteCancelled"),
            CStatus::Other(v) => write!(f, "TfLiteStatus {v}"),
        }
    }
}

/// Everything that can go wrong between a model file and an inference.
#[derive(Debug, thiserror::Error)]
pub enum TfliteError {
    /// No TFLite C library at any place looked at.
    #[error(
        "TensorFlow Lite C library (libtensorflowlite_c.so) not found. Searched:\n  - {}\nPoint at a library with --tflite-lib PATH or PQBENCH_TFLITE_LIB=PATH, or run scripts/setup in a pqbench checkout (installs TFLite 2.6.0 to ${{XDG_DATA_HOME:-$HOME/.local/share}}/pqbench/lib/ and scripts/.cache/tflite/)",
        tried.join("\n  - ")
    )]
    LibraryNotFound {
        /// Every candidate tried, with why it failed.
        tried: Vec<String>,
    },
    /// The library file exists but `dlopen` refused it.
    #[error("cannot load TensorFlow Lite C library {}: {message}", path.display())]
    LibraryLoad {
        /// The file.
        path: PathBuf,
        /// The loader's message.
        message: String,
    },
    /// A required C API function is missing (not a TFLite C library, or too old).
    #[error("{} is not a usable TensorFlow Lite C library: symbol {symbol} missing", path.display())]
    MissingSymbol {
        /// The library.
        path: PathBuf,
        /// The symbol.
        symbol: &'static str,
    },
    /// Reading the model file failed.
    #[error("cannot read model {}: {source}", path.display())]
    ModelRead {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The model failed inspection; the C library never saw it.
    #[error(transparent)]
    ModelRejected(#[from] InspectError),
    /// The model was compiled for the Edge TPU and no Edge TPU delegate was given.
    #[error(
        "this model was compiled by edgetpu_compiler ({placement}) and needs the Edge TPU delegate: run it with --target edgetpu:N, or use the CPU model (without _edgetpu) for tflite-cpu / tflite-xnnpack"
    )]
    EdgeTpuModelWithoutDelegate {
        /// "N ops on Edge TPU, M on CPU".
        placement: String,
    },
    /// A C constructor returned NULL.
    #[error("TFLite {what} returned NULL{hint}")]
    Null {
        /// Which call.
        what: &'static str,
        /// What it usually means.
        hint: &'static str,
    },
    /// A C call returned a non-OK status.
    #[error("TFLite {call} failed: {status}")]
    Status {
        /// Which call.
        call: &'static str,
        /// The status.
        status: CStatus,
    },
    /// Tensor index out of range.
    #[error("no {kind} tensor {index} (the model has {count})")]
    NoTensor {
        /// `input` or `output`.
        kind: &'static str,
        /// Requested index.
        index: usize,
        /// How many there are.
        count: usize,
    },
    /// Typed access with the wrong element type.
    #[error("tensor {name:?} has type {actual}, not {requested}")]
    TypeMismatch {
        /// Tensor name.
        name: String,
        /// Type in the model.
        actual: &'static str,
        /// Type asked for.
        requested: &'static str,
    },
    /// A buffer of the wrong length.
    #[error("tensor {name:?} holds {expected} bytes, buffer has {actual}")]
    SizeMismatch {
        /// Tensor name.
        name: String,
        /// Tensor size.
        expected: usize,
        /// Buffer size.
        actual: usize,
    },
    /// The library exports XNNPACK, but its version's options struct layout
    /// was not checked: pqbench will not guess it.
    #[error(
        "the XNNPACK delegate of TensorFlow Lite {version} is not supported: its TfLiteXNNPackDelegateOptions layout (tensorflow/lite/delegates/xnnpack/xnnpack_delegate.h) changes between releases and was checked only for TFLite {checked}; use --target tflite-cpu, or a checked library (--tflite-lib PATH or PQBENCH_TFLITE_LIB)"
    )]
    XnnpackUnchecked {
        /// `TfLiteVersion()` of the loaded library.
        version: String,
        /// The checked versions, comma-separated.
        checked: String,
    },
    /// No LiteRT C library at any place looked at.
    #[error(
        "LiteRT C library (libLiteRt.so) not found. Searched:\n  - {}\nPoint at a library with --litert-lib PATH or PQBENCH_LITERT_LIB=PATH, or run scripts/setup in a pqbench checkout (extracts libLiteRt.so from the pinned PyPI wheel ai-edge-litert 2.3.0 into scripts/.cache/litert/)",
        tried.join("\n  - ")
    )]
    LiteRtNotFound {
        /// Every candidate tried, with why it failed.
        tried: Vec<String>,
    },
    /// The LiteRT library file exists but `dlopen` refused it.
    #[error("cannot load LiteRT C library {}: {message}", path.display())]
    LiteRtLoad {
        /// The file.
        path: PathBuf,
        /// The loader's message.
        message: String,
    },
    /// A required LiteRT C API function is missing.
    #[error("{} is not a usable LiteRT C library: symbol {symbol} missing", path.display())]
    LiteRtMissingSymbol {
        /// The library.
        path: PathBuf,
        /// The symbol.
        symbol: &'static str,
    },
    /// A LiteRT C call returned a status other than `kLiteRtStatusOk`.
    #[error("LiteRT {call} failed: LiteRtStatus {code}{hint}")]
    LiteRtStatus {
        /// Which call.
        call: &'static str,
        /// The raw `LiteRtStatus`.
        code: i32,
        /// What it usually means.
        hint: &'static str,
    },
    /// Invalid options (e.g. zero threads).
    #[error("invalid interpreter options: {0}")]
    Options(String),
    /// An Edge TPU problem.
    #[error(transparent)]
    EdgeTpu(#[from] crate::edgetpu::EdgeTpuError),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, TfliteError>;
