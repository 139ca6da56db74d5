//! Finding and loading the TensorFlow Lite C library at run time.
//!
//! Discovery order (the first that loads wins):
//!
//! 1. an explicit path (`--tflite-lib PATH`);
//! 2. the environment variable [`ENV_TFLITE_LIB`] (`PQBENCH_TFLITE_LIB`);
//! 3. `libtensorflowlite_c.so` through the system loader (`LD_LIBRARY_PATH`,
//!    `ld.so.cache`);
//! 4. `/usr/local/lib`, `/usr/lib`, `/usr/lib/<arch>-linux-gnu`;
//! 5. `$HOME/.local/lib`;
//! 6. the per-user copy `scripts/setup` installs:
//!    `${XDG_DATA_HOME:-$HOME/.local/share}/pqbench/lib/libtensorflowlite_c.so`
//!    (found by an installed binary run from anywhere);
//! 7. `scripts/.cache/tflite/` under the current directory (a checkout);
//! 8. `scripts/.cache/tflite/` of the checkout this pqbench was built from.
//!
//! Steps 1 and 2 are final: a library named there that does not load is an
//! error, not a reason to look further. When nothing loads, the error lists
//! every place searched and how to point at a library.

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

/// Where `scripts/setup.d/70-accel.sh` also installs the library, relative
/// to the per-user data directory (`${XDG_DATA_HOME:-$HOME/.local/share}`).
pub const USER_DATA_RELATIVE: &str = "pqbench/lib/libtensorflowlite_c.so";

/// Where the TFLite library is looked for.
pub(crate) const PLACES: crate::discovery::Places = crate::discovery::Places {
    lib_name: LIB_NAME,
    env_var: ENV_TFLITE_LIB,
    setup_relative: SETUP_RELATIVE,
    user_relative: USER_DATA_RELATIVE,
};

/// The per-user library path:
/// `${XDG_DATA_HOME:-$HOME/.local/share}/pqbench/lib/libtensorflowlite_c.so`
/// (a relative `XDG_DATA_HOME` is ignored, as the XDG spec asks). `None`
/// without either variable.
pub fn user_library_path() -> Option<PathBuf> {
    crate::discovery::user_data_lib(
        std::env::var_os("XDG_DATA_HOME"),
        std::env::var_os("HOME"),
        USER_DATA_RELATIVE,
    )
}

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

/// TFLite versions (exact `TfLiteVersion()` strings) whose
/// `TfLiteXNNPackDelegateOptions` layout has been checked against that
/// version's `tensorflow/lite/delegates/xnnpack/xnnpack_delegate.h`. Only
/// these get XNNPACK options from pqbench; any other version is refused
/// (the struct changed size and meaning across releases: `num_threads` only
/// up to 2.5, `num_threads` + `bool` in 2.6, `num_threads` + `flags` later,
/// then pointers and more fields).
pub const XNNPACK_CHECKED_VERSIONS: &[&str] = &[XNNPACK_V2_6];

/// The version [`XnnOptionsV2_6`] describes.
const XNNPACK_V2_6: &str = "2.6.0";

/// `TfLiteXNNPackDelegateOptions` of TFLite 2.6.0.
///
/// Source: `tensorflow/lite/delegates/xnnpack/xnnpack_delegate.h` of
/// TensorFlow 2.6.0:
///
/// ```c
/// typedef struct {
///   int32_t num_threads;
///   bool enable_int8_weights_unpacking;
/// } TfLiteXNNPackDelegateOptions;
/// ```
///
/// Checked against the bindgen output generated from that header for the
/// very library `scripts/setup` installs (crates.io `tflitec` 0.6.0,
/// `build-res/docsrs_res.zip` → `bindings.rs`: size 8, align 4, offsets 0
/// and 4), and against the library itself:
/// `TfLiteXNNPackDelegateOptionsDefault` is `xor eax,eax; ret` (the 8-byte
/// struct returned in RAX, all zero). The C `bool` is read as a `u8`, so
/// no byte pattern the library returns can be an invalid Rust value.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct XnnOptionsV2_6 {
    /// Threads of XNNPACK's pool (0 or negative: no pool).
    pub num_threads: i32,
    /// C `bool`; 0 unless the library was built with
    /// `ENABLE_TFLITE_XNNPACK_DEQUANTIZED_INT8_WEIGHTS`.
    pub enable_int8_weights_unpacking: u8,
}

/// The XNNPACK delegate C API of a TFLite 2.6.0 library, with the
/// prototypes of that version's `xnnpack_delegate.h`.
#[derive(Clone, Copy)]
pub(crate) struct XnnApiV2_6 {
    /// `TfLiteXNNPackDelegateOptionsDefault` (optional: options are built
    /// from the known fields when absent).
    pub options_default: Option<unsafe extern "C" fn() -> XnnOptionsV2_6>,
    /// `TfLiteXNNPackDelegateCreate`.
    pub create: unsafe extern "C" fn(*const XnnOptionsV2_6) -> *mut TfLiteDelegate,
    /// `TfLiteXNNPackDelegateDelete`.
    pub delete: unsafe extern "C" fn(*mut TfLiteDelegate),
}

/// What the loaded library offers of the XNNPACK delegate.
#[derive(Clone, Copy)]
pub(crate) enum Xnnpack {
    /// `TfLiteXNNPackDelegateCreate`/`Delete` are not exported.
    Absent,
    /// Exported, but this TFLite version's options layout is not among
    /// [`XNNPACK_CHECKED_VERSIONS`]: never called.
    Unchecked,
    /// TFLite 2.6.0.
    V2_6(XnnApiV2_6),
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
    pub xnnpack: Xnnpack,
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
    /// Finds and loads the library in the order of the [module
    /// documentation](self): `explicit`, then [`ENV_TFLITE_LIB`], then the
    /// system loader and standard directories, then the per-user and
    /// checkout copies `scripts/setup` installs.
    pub fn discover(explicit: Option<&Path>) -> Result<Arc<TfliteLibrary>> {
        crate::discovery::discover(
            &PLACES,
            explicit,
            |p| TfliteLibrary::load(p).map(Arc::new),
            |e| match e {
                TfliteError::LibraryLoad { message, .. } => Some(message.clone()),
                _ => None,
            },
            |tried| TfliteError::LibraryNotFound { tried },
        )
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
                // tensorflow/lite/c/c_api.h (TFLite 2.x, stable ABI), or for the
                // XNNPACK symbols in xnnpack_delegate.h of the version checked
                // before the lookup; the pointer is used only while `lib` is
                // alive (kept in `Self`).
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
                // SAFETY: as for `sym!`. Where the version is not yet known
                // the symbol is typed `fn()` only to test its presence and is
                // never called through that type.
                unsafe { lib.get(concat!($name, "\0").as_bytes()) }
                    .ok()
                    .map(|s| *s)
            }};
        }
        let mut api = Api {
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
            xnnpack: Xnnpack::Absent,
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
        // The XNNPACK prototypes depend on the version: typed only once the
        // version is known to be one whose header was checked.
        let create: Option<unsafe extern "C" fn()> = opt_sym!("TfLiteXNNPackDelegateCreate");
        let delete: Option<unsafe extern "C" fn()> = opt_sym!("TfLiteXNNPackDelegateDelete");
        api.xnnpack = match (create, delete) {
            (Some(_), Some(_)) if version == XNNPACK_V2_6 => Xnnpack::V2_6(XnnApiV2_6 {
                options_default: opt_sym!("TfLiteXNNPackDelegateOptionsDefault"),
                create: sym!("TfLiteXNNPackDelegateCreate"),
                delete: sym!("TfLiteXNNPackDelegateDelete"),
            }),
            (Some(_), Some(_)) => Xnnpack::Unchecked,
            _ => Xnnpack::Absent,
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

    /// True when the library exports the XNNPACK delegate C API *and* its
    /// version is one of [`XNNPACK_CHECKED_VERSIONS`] (the only case in which
    /// pqbench creates the delegate).
    pub fn has_xnnpack(&self) -> bool {
        matches!(self.api.xnnpack, Xnnpack::V2_6(_))
    }

    /// True when the library exports the XNNPACK delegate C API, whatever
    /// its version.
    pub fn exports_xnnpack(&self) -> bool {
        !matches!(self.api.xnnpack, Xnnpack::Absent)
    }
}

/// The places [`TfliteLibrary::discover`] searches after `--tflite-lib` and
/// [`ENV_TFLITE_LIB`], in order (steps 3 to 8 of the module documentation).
pub fn search_paths() -> Vec<PathBuf> {
    crate::discovery::search_paths(&PLACES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xnnpack_2_6_layout_matches_the_header() {
        // tflitec 0.6.0 bindings.rs (bindgen of TFLite 2.6.0's header):
        // size 8, align 4, num_threads at 0, enable_int8_weights_unpacking at 4.
        assert_eq!(std::mem::size_of::<XnnOptionsV2_6>(), 8);
        assert_eq!(std::mem::align_of::<XnnOptionsV2_6>(), 4);
        assert_eq!(std::mem::offset_of!(XnnOptionsV2_6, num_threads), 0);
        assert_eq!(
            std::mem::offset_of!(XnnOptionsV2_6, enable_int8_weights_unpacking),
            4
        );
    }

    #[test]
    fn unchecked_xnnpack_version_is_named() {
        let e = TfliteError::XnnpackUnchecked {
            version: "2.9.1".into(),
            checked: XNNPACK_CHECKED_VERSIONS.join(", "),
        }
        .to_string();
        assert!(e.contains("2.9.1") && e.contains("2.6.0"), "{e}");
    }

    #[test]
    fn search_order_ends_with_the_setup_copies() {
        let v = search_paths();
        assert_eq!(v[0], PathBuf::from(LIB_NAME));
        assert!(v.last().unwrap().ends_with(SETUP_RELATIVE));
    }

    #[test]
    fn not_found_names_every_place_and_the_ways_out() {
        let e = TfliteError::LibraryNotFound {
            tried: vec!["/a (absent)".into(), "/b (absent)".into()],
        }
        .to_string();
        for want in [
            "/a (absent)",
            "/b (absent)",
            "--tflite-lib",
            "PQBENCH_TFLITE_LIB",
        ] {
            assert!(e.contains(want), "{want} missing: {e}");
        }
    }
}
