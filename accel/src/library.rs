//! Finding and loading the TensorFlow Lite C library at run time.
//!
//! Order: an explicit path (`--tflite-lib`), then the environment variable
//! [`ENV_TFLITE_LIB`], then the standard library names and directories, then
//! the library `scripts/setup` installs (TFLite 2.6.0 extracted from the
//! `tflitec` crates.io package into `scripts/.cache/tflite/`).

use crate::error::{Result, TfliteError};
use std::ffi::{CStr, c_char, c_int, c_void};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Environment variable naming the TFLite C library file.
pub const ENV_TFLITE_LIB: &str = "PQBENCH_TFLITE_LIB";

/// File name of the TFLite C library on Linux.
pub const LIB_NAME: &str = "libtensorflowlite_c.so";

/// Where `scripts/setup.d/70-accel.sh` puts the library, relative to the
/// repository root.
pub const SETUP_RELATIVE: &str = "scripts/.cache/tflite/libtensorflowlite_c.so";

/// Opaque C types.
#[repr(C)]
pub(crate) struct TfLiteModel {
    _p: [u8; 0],
}
#[repr(C)]
pub(crate) struct TfLiteInterpreterOptions {
    _p: [u8; 0],
}
#[repr(C)]
pub(crate) struct TfLiteInterpreter {
    _p: [u8; 0],
}
#[repr(C)]
pub(crate) struct TfLiteTensor {
    _p: [u8; 0],
}
/// Opaque `TfLiteDelegate`.
#[repr(C)]
pub struct TfLiteDelegate {
    _p: [u8; 0],
}

/// `TfLiteQuantizationParams`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct QuantParams {
    pub scale: f32,
    pub zero_point: i32,
}

/// `TfLiteXNNPackDelegateOptions` as laid out by TFLite <= 2.6 (8 bytes,
/// returned in a register by `TfLiteXNNPackDelegateOptionsDefault`).
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct XnnOptions26 {
    pub num_threads: i32,
    pub enable_int8_weights_unpacking: bool,
}

/// `TfLiteXNNPackDelegateOptions` of later versions, passed by pointer only:
/// `num_threads`, then `flags` (u32), then fields left zero (their defaults).
#[repr(C, align(8))]
#[derive(Clone, Copy)]
pub(crate) struct XnnOptionsLater {
    pub num_threads: i32,
    pub flags: u32,
    pub rest: [u8; 248],
}

/// The C API functions, copied out of the loaded library. Valid as long as
/// the owning [`TfliteLibrary`] (which keeps the `libloading::Library`) lives.
pub(crate) struct Api {
    pub version: unsafe extern "C" fn() -> *const c_char,
    pub model_create: unsafe extern "C" fn(*const c_void, usize) -> *mut TfLiteModel,
    pub model_delete: unsafe extern "C" fn(*mut TfLiteModel),
    pub options_create: unsafe extern "C" fn() -> *mut TfLiteInterpreterOptions,
    pub options_delete: unsafe extern "C" fn(*mut TfLiteInterpreterOptions),
    pub options_set_num_threads: unsafe extern "C" fn(*mut TfLiteInterpreterOptions, i32),
    pub options_add_delegate:
        unsafe extern "C" fn(*mut TfLiteInterpreterOptions, *mut TfLiteDelegate),
    pub interpreter_create: unsafe extern "C" fn(
        *const TfLiteModel,
        *const TfLiteInterpreterOptions,
    ) -> *mut TfLiteInterpreter,
    pub interpreter_delete: unsafe extern "C" fn(*mut TfLiteInterpreter),
    pub allocate_tensors: unsafe extern "C" fn(*mut TfLiteInterpreter) -> c_int,
    pub invoke: unsafe extern "C" fn(*mut TfLiteInterpreter) -> c_int,
    pub input_count: unsafe extern "C" fn(*const TfLiteInterpreter) -> i32,
    pub input_tensor: unsafe extern "C" fn(*const TfLiteInterpreter, i32) -> *mut TfLiteTensor,
    pub output_count: unsafe extern "C" fn(*const TfLiteInterpreter) -> i32,
    pub output_tensor: unsafe extern "C" fn(*const TfLiteInterpreter, i32) -> *const TfLiteTensor,
    pub tensor_type: unsafe extern "C" fn(*const TfLiteTensor) -> c_int,
    pub tensor_num_dims: unsafe extern "C" fn(*const TfLiteTensor) -> i32,
    pub tensor_dim: unsafe extern "C" fn(*const TfLiteTensor, i32) -> i32,
    pub tensor_byte_size: unsafe extern "C" fn(*const TfLiteTensor) -> usize,
    pub tensor_name: unsafe extern "C" fn(*const TfLiteTensor) -> *const c_char,
    pub tensor_quant: unsafe extern "C" fn(*const TfLiteTensor) -> QuantParams,
    pub tensor_copy_from: unsafe extern "C" fn(*mut TfLiteTensor, *const c_void, usize) -> c_int,
    pub tensor_copy_to: unsafe extern "C" fn(*const TfLiteTensor, *mut c_void, usize) -> c_int,
    pub xnn_options_default: Option<unsafe extern "C" fn() -> XnnOptions26>,
    pub xnn_create: Option<unsafe extern "C" fn(*const c_void) -> *mut TfLiteDelegate>,
    pub xnn_delete: Option<unsafe extern "C" fn(*mut TfLiteDelegate)>,
}

/// A loaded TensorFlow Lite C library.
pub struct TfliteLibrary {
    pub(crate) api: Api,
    path: PathBuf,
    version: String,
    // Dropped last: the function pointers in `api` point into it.
    _lib: libloading::Library,
}

impl std::fmt::Debug for TfliteLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TfliteLibrary")
            .field("path", &self.path)
            .field("version", &self.version)
            .finish()
    }
}

impl TfliteLibrary {
    /// Finds and loads the library: `explicit`, then [`ENV_TFLITE_LIB`], then
    /// standard names/paths, then the setup-installed default.
    pub fn discover(explicit: Option<&Path>) -> Result<Arc<TfliteLibrary>> {
        if let Some(p) = explicit {
            return TfliteLibrary::load(p).map(Arc::new);
        }
        if let Some(p) = std::env::var_os(ENV_TFLITE_LIB).filter(|v| !v.is_empty()) {
            return TfliteLibrary::load(Path::new(&p)).map(Arc::new);
        }
        let mut tried = Vec::new();
        for cand in candidates() {
            if cand.is_absolute() && !cand.exists() {
                tried.push(format!("{} (absent)", cand.display()));
                continue;
            }
            match TfliteLibrary::load(&cand) {
                Ok(l) => return Ok(Arc::new(l)),
                Err(e) => tried.push(format!("{} ({e})", cand.display())),
            }
        }
        Err(TfliteError::LibraryNotFound { tried })
    }

    /// Loads the library at `path` (a bare file name is looked up by the
    /// system loader) and resolves the C API.
    pub fn load(path: &Path) -> Result<TfliteLibrary> {
        // SAFETY: loading a shared library runs its initialisers; the TFLite C
        // library's are self-contained (no global state of ours is touched).
        let lib =
            unsafe { libloading::Library::new(path) }.map_err(|e| TfliteError::LibraryLoad {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        macro_rules! sym {
            ($name:literal) => {{
                // SAFETY: the type is the one of the function's C prototype in
                // tensorflow/lite/c/c_api.h (TFLite 2.x, stable ABI); the
                // pointer is used only while `lib` is alive (kept in `Self`).
                match unsafe { lib.get(concat!($name, "\0").as_bytes()) } {
                    Ok(s) => *s,
                    Err(_) => {
                        return Err(TfliteError::MissingSymbol {
                            path: path.to_path_buf(),
                            symbol: $name,
                        });
                    }
                }
            }};
        }
        macro_rules! opt_sym {
            ($name:literal) => {{
                // SAFETY: as for `sym!`; prototypes from delegates/xnnpack/xnnpack_delegate.h.
                unsafe { lib.get(concat!($name, "\0").as_bytes()) }
                    .ok()
                    .map(|s| *s)
            }};
        }
        let api = Api {
            version: sym!("TfLiteVersion"),
            model_create: sym!("TfLiteModelCreate"),
            model_delete: sym!("TfLiteModelDelete"),
            options_create: sym!("TfLiteInterpreterOptionsCreate"),
            options_delete: sym!("TfLiteInterpreterOptionsDelete"),
            options_set_num_threads: sym!("TfLiteInterpreterOptionsSetNumThreads"),
            options_add_delegate: sym!("TfLiteInterpreterOptionsAddDelegate"),
            interpreter_create: sym!("TfLiteInterpreterCreate"),
            interpreter_delete: sym!("TfLiteInterpreterDelete"),
            allocate_tensors: sym!("TfLiteInterpreterAllocateTensors"),
            invoke: sym!("TfLiteInterpreterInvoke"),
            input_count: sym!("TfLiteInterpreterGetInputTensorCount"),
            input_tensor: sym!("TfLiteInterpreterGetInputTensor"),
            output_count: sym!("TfLiteInterpreterGetOutputTensorCount"),
            output_tensor: sym!("TfLiteInterpreterGetOutputTensor"),
            tensor_type: sym!("TfLiteTensorType"),
            tensor_num_dims: sym!("TfLiteTensorNumDims"),
            tensor_dim: sym!("TfLiteTensorDim"),
            tensor_byte_size: sym!("TfLiteTensorByteSize"),
            tensor_name: sym!("TfLiteTensorName"),
            tensor_quant: sym!("TfLiteTensorQuantizationParams"),
            tensor_copy_from: sym!("TfLiteTensorCopyFromBuffer"),
            tensor_copy_to: sym!("TfLiteTensorCopyToBuffer"),
            xnn_options_default: opt_sym!("TfLiteXNNPackDelegateOptionsDefault"),
            xnn_create: opt_sym!("TfLiteXNNPackDelegateCreate"),
            xnn_delete: opt_sym!("TfLiteXNNPackDelegateDelete"),
        };
        // SAFETY: TfLiteVersion takes no arguments and returns a pointer to a
        // static NUL-terminated string (or NULL, handled).
        let vp = unsafe { (api.version)() };
        let version = if vp.is_null() {
            "unknown".to_string()
        } else {
            // SAFETY: non-NULL, static, NUL-terminated (c_api.h contract).
            unsafe { CStr::from_ptr(vp) }.to_string_lossy().into_owned()
        };
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(TfliteLibrary {
            api,
            path,
            version,
            _lib: lib,
        })
    }

    /// `TfLiteVersion()`, e.g. `2.6.0`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The file loaded (canonical when it could be resolved).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when the library exports the XNNPACK delegate C API.
    pub fn has_xnnpack(&self) -> bool {
        self.api.xnn_create.is_some()
            && self.api.xnn_delete.is_some()
            && self.api.xnn_options_default.is_some()
    }
}

/// Standard places, then the setup-installed default.
fn candidates() -> Vec<PathBuf> {
    let mut v = vec![PathBuf::from(LIB_NAME)];
    for dir in ["/usr/local/lib", "/usr/lib", "/usr/lib/x86_64-linux-gnu"] {
        v.push(Path::new(dir).join(LIB_NAME));
    }
    if let Some(home) = std::env::var_os("HOME") {
        v.push(Path::new(&home).join(".local/lib").join(LIB_NAME));
    }
    if let Ok(cwd) = std::env::current_dir() {
        v.push(cwd.join(SETUP_RELATIVE));
    }
    // The repository this crate was built from (accel/ is one level down).
    v.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(SETUP_RELATIVE),
    );
    v
}
