//! Finding and loading LiteRT's C library (`libLiteRt.so`) at run time.
//!
//! Discovery order (the first that loads wins), as for TFLite
//! ([`crate::library`]):
//!
//! 1. an explicit path (`--litert-lib PATH`);
//! 2. the environment variable [`ENV_LITERT_LIB`] (`PQBENCH_LITERT_LIB`);
//! 3. `libLiteRt.so` through the system loader (`LD_LIBRARY_PATH`,
//!    `ld.so.cache`);
//! 4. `/usr/local/lib`, `/usr/lib`, `/usr/lib/<arch>-linux-gnu`;
//! 5. `$HOME/.local/lib`;
//! 6. `${XDG_DATA_HOME:-$HOME/.local/share}/pqbench/lib/libLiteRt.so`;
//! 7. `scripts/.cache/litert/` under the current directory (a checkout);
//! 8. `scripts/.cache/litert/` of the checkout this pqbench was built from.
//!
//! Steps 1 and 2 are final. The library has no version call: the version is
//! that of the PyPI wheel `scripts/setup` extracts it from, recognised by
//! the file's SHA-256 ([`PINNED`]), else read from the `libLiteRt.so.version`
//! file beside it, else "unknown".
//!
//! Prototypes: `litert/c/*.h` of google-ai-edge/LiteRT (checked unchanged
//! between v2.2.0 and the August 2026 main branch that 2.3.0 was cut from,
//! for every function used here), against the symbols `nm -D` lists in the
//! 2.3.0 wheel's library.

use crate::error::{Result, TfliteError};
use std::ffi::{c_char, c_int, c_void};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Environment variable naming the LiteRT C library file.
pub const ENV_LITERT_LIB: &str = "PQBENCH_LITERT_LIB";

/// File name of the LiteRT C library.
pub const LIB_NAME: &str = "libLiteRt.so";

/// Where `scripts/setup.d/71-litert.sh` puts the library, relative to the
/// repository root.
pub const SETUP_RELATIVE: &str = "scripts/.cache/litert/libLiteRt.so";

/// Per-user copy, relative to `${XDG_DATA_HOME:-$HOME/.local/share}`.
pub const USER_DATA_RELATIVE: &str = "pqbench/lib/libLiteRt.so";

/// The library builds pqbench knows by SHA-256: (sha256 of `libLiteRt.so`,
/// version of the wheel it ships in). `scripts/setup.d/71-litert.sh` pins
/// the same file.
pub const PINNED: &[(&str, &str)] = &[(
    "eec47eb35e2924b3166015887e652a58edc9af823ae38e02bf83bef2548300bb",
    "2.3.0",
)];

/// Where the LiteRT library is looked for.
pub(crate) const PLACES: crate::discovery::Places = crate::discovery::Places {
    lib_name: LIB_NAME,
    env_var: ENV_LITERT_LIB,
    setup_relative: SETUP_RELATIVE,
    user_relative: USER_DATA_RELATIVE,
};

/// `LiteRtStatus` (an `int` enum; 0 is `kLiteRtStatusOk`).
pub(crate) type Status = c_int;
/// `LiteRtParamIndex` (`size_t`).
pub(crate) type ParamIndex = usize;
/// Any LiteRT handle (`struct LiteRt…T*`): opaque pointers.
pub(crate) type Handle = *mut c_void;

/// `LITERT_TENSOR_MAX_RANK`.
pub(crate) const MAX_RANK: usize = 8;

/// `LiteRtLayout` (`litert_layout.h`): a 32-bit word holding the bit fields
/// `rank : 7` and `has_strides : 1`, then `int32_t dimensions[8]` and
/// `uint32_t strides[8]`; the header asserts size 68, dimensions at 4,
/// strides at 36.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Layout {
    /// Bits 0..7: rank; bit 7: has_strides (GCC/Clang bit-field order on
    /// little-endian x86-64 and AArch64).
    pub rank_bits: u32,
    pub dimensions: [i32; MAX_RANK],
    pub strides: [u32; MAX_RANK],
}

impl Layout {
    /// The rank, from the 7-bit field.
    pub fn rank(&self) -> usize {
        (self.rank_bits & 0x7f) as usize
    }
}

/// `LiteRtRankedTensorType` (`litert_model_types.h`): `LiteRtElementType`
/// (an `int` enum with `TfLiteType`'s values) then the layout; the header
/// asserts size 72, layout at 4.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RankedTensorType {
    pub element_type: c_int,
    pub layout: Layout,
}

/// `LiteRtQuantizationPerTensor`: `float scale; int64_t zero_point;`
/// (header: size 16, zero_point at 8).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PerTensor {
    pub scale: f32,
    pub zero_point: i64,
}

/// `kLiteRtHwAcceleratorCpu`.
pub(crate) const HW_CPU: c_int = 1;
/// `kLiteRtTensorBufferLockModeRead`.
pub(crate) const LOCK_READ: c_int = 0;
/// `kLiteRtTensorBufferLockModeWrite`.
pub(crate) const LOCK_WRITE: c_int = 1;
/// `kLiteRtQuantizationPerTensor`.
pub(crate) const QUANT_PER_TENSOR: c_int = 1;

/// The C API functions used, copied out of the loaded library; valid while
/// the owning [`LiteRtLibrary`] lives.
#[allow(clippy::type_complexity)]
pub(crate) struct Api {
    pub create_environment: unsafe extern "C" fn(c_int, *const c_void, *mut Handle) -> Status,
    pub destroy_environment: unsafe extern "C" fn(Handle),
    pub create_model_from_buffer:
        unsafe extern "C" fn(Handle, *const c_void, usize, *mut Handle) -> Status,
    pub destroy_model: unsafe extern "C" fn(Handle),
    pub num_signatures: unsafe extern "C" fn(Handle, *mut ParamIndex) -> Status,
    pub model_signature: unsafe extern "C" fn(Handle, ParamIndex, *mut Handle) -> Status,
    pub num_signature_inputs: unsafe extern "C" fn(Handle, *mut ParamIndex) -> Status,
    pub num_signature_outputs: unsafe extern "C" fn(Handle, *mut ParamIndex) -> Status,
    pub signature_input: unsafe extern "C" fn(Handle, ParamIndex, *mut Handle) -> Status,
    pub signature_output: unsafe extern "C" fn(Handle, ParamIndex, *mut Handle) -> Status,
    pub tensor_name: unsafe extern "C" fn(Handle, *mut *const c_char) -> Status,
    pub ranked_type: unsafe extern "C" fn(Handle, *mut RankedTensorType) -> Status,
    pub quant_type: unsafe extern "C" fn(Handle, *mut c_int) -> Status,
    pub per_tensor: unsafe extern "C" fn(Handle, *mut PerTensor) -> Status,
    pub create_options: unsafe extern "C" fn(*mut Handle) -> Status,
    pub destroy_options: unsafe extern "C" fn(Handle),
    pub set_accelerators: unsafe extern "C" fn(Handle, c_int) -> Status,
    pub create_opaque: unsafe extern "C" fn(
        *const c_char,
        *mut c_void,
        Option<unsafe extern "C" fn(*mut c_void)>,
        *mut Handle,
    ) -> Status,
    pub destroy_opaque: unsafe extern "C" fn(Handle),
    pub add_opaque: unsafe extern "C" fn(Handle, Handle) -> Status,
    pub create_compiled: unsafe extern "C" fn(Handle, Handle, Handle, *mut Handle) -> Status,
    pub destroy_compiled: unsafe extern "C" fn(Handle),
    pub input_requirements:
        unsafe extern "C" fn(Handle, ParamIndex, ParamIndex, *mut Handle) -> Status,
    pub output_requirements:
        unsafe extern "C" fn(Handle, ParamIndex, ParamIndex, *mut Handle) -> Status,
    pub create_buffer:
        unsafe extern "C" fn(Handle, *const RankedTensorType, Handle, *mut Handle) -> Status,
    pub destroy_buffer: unsafe extern "C" fn(Handle),
    pub buffer_size: unsafe extern "C" fn(Handle, *mut usize) -> Status,
    pub lock: unsafe extern "C" fn(Handle, *mut *mut c_void, c_int) -> Status,
    pub unlock: unsafe extern "C" fn(Handle) -> Status,
    pub run:
        unsafe extern "C" fn(Handle, ParamIndex, usize, *mut Handle, usize, *mut Handle) -> Status,
}

/// A loaded LiteRT C library.
pub struct LiteRtLibrary {
    pub(crate) api: Api,
    path: PathBuf,
    // Never unloaded: libLiteRt.so registers exit-time handlers (seen as a
    // SIGSEGV at process exit after a dlclose), so the mapping must stay
    // for the life of the process. The function pointers in `api` point
    // into it.
    _lib: std::mem::ManuallyDrop<libloading::Library>,
}

impl std::fmt::Debug for LiteRtLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiteRtLibrary")
            .field("path", &self.path)
            .finish()
    }
}

impl LiteRtLibrary {
    /// Finds and loads the library in the order of the [module
    /// documentation](self).
    pub fn discover(explicit: Option<&Path>) -> Result<Arc<LiteRtLibrary>> {
        crate::discovery::discover(
            &PLACES,
            explicit,
            |p| LiteRtLibrary::load(p).map(Arc::new),
            |e| match e {
                TfliteError::LiteRtLoad { message, .. } => Some(message.clone()),
                _ => None,
            },
            |tried| TfliteError::LiteRtNotFound { tried },
        )
    }

    /// Loads the library at `path` (a bare file name goes to the system
    /// loader) and resolves the C API.
    pub fn load(path: &Path) -> Result<LiteRtLibrary> {
        // SAFETY: loading a shared library runs its initialisers; LiteRT's
        // register its built-in accelerators in its own globals only.
        let lib =
            unsafe { libloading::Library::new(path) }.map_err(|e| TfliteError::LiteRtLoad {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        macro_rules! sym {
            ($name:literal) => {{
                // SAFETY: the field's type is the function's prototype in
                // LiteRT's litert/c/*.h (see the module documentation); the
                // pointer is used only while `lib` lives (kept in `Self`).
                match unsafe { lib.get(concat!($name, "\0").as_bytes()) } {
                    Ok(s) => *s,
                    Err(_) => {
                        return Err(TfliteError::LiteRtMissingSymbol {
                            path: path.to_path_buf(),
                            symbol: $name,
                        });
                    }
                }
            }};
        }
        let api = Api {
            create_environment: sym!("LiteRtCreateEnvironment"),
            destroy_environment: sym!("LiteRtDestroyEnvironment"),
            create_model_from_buffer: sym!("LiteRtCreateModelFromBuffer"),
            destroy_model: sym!("LiteRtDestroyModel"),
            num_signatures: sym!("LiteRtGetNumModelSignatures"),
            model_signature: sym!("LiteRtGetModelSignature"),
            num_signature_inputs: sym!("LiteRtGetNumSignatureInputs"),
            num_signature_outputs: sym!("LiteRtGetNumSignatureOutputs"),
            signature_input: sym!("LiteRtGetSignatureInputTensorByIndex"),
            signature_output: sym!("LiteRtGetSignatureOutputTensorByIndex"),
            tensor_name: sym!("LiteRtGetTensorName"),
            ranked_type: sym!("LiteRtGetRankedTensorType"),
            quant_type: sym!("LiteRtGetQuantizationTypeId"),
            per_tensor: sym!("LiteRtGetPerTensorQuantization"),
            create_options: sym!("LiteRtCreateOptions"),
            destroy_options: sym!("LiteRtDestroyOptions"),
            set_accelerators: sym!("LiteRtSetOptionsHardwareAccelerators"),
            create_opaque: sym!("LiteRtCreateOpaqueOptions"),
            destroy_opaque: sym!("LiteRtDestroyOpaqueOptions"),
            add_opaque: sym!("LiteRtAddOpaqueOptions"),
            create_compiled: sym!("LiteRtCreateCompiledModel"),
            destroy_compiled: sym!("LiteRtDestroyCompiledModel"),
            input_requirements: sym!("LiteRtGetCompiledModelInputBufferRequirements"),
            output_requirements: sym!("LiteRtGetCompiledModelOutputBufferRequirements"),
            create_buffer: sym!("LiteRtCreateManagedTensorBufferFromRequirements"),
            destroy_buffer: sym!("LiteRtDestroyTensorBuffer"),
            buffer_size: sym!("LiteRtGetTensorBufferSize"),
            lock: sym!("LiteRtLockTensorBuffer"),
            unlock: sym!("LiteRtUnlockTensorBuffer"),
            run: sym!("LiteRtRunCompiledModel"),
        };
        let path = loaded_file(path);
        Ok(LiteRtLibrary {
            api,
            path,
            _lib: std::mem::ManuallyDrop::new(lib),
        })
    }

    /// The file loaded (canonical when it could be resolved).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The library's version and SHA-256: the wheel version of a
    /// [`PINNED`] file, else the first line of `libLiteRt.so.version`
    /// beside it, else `unknown`. Hashes the file (about 8 MB): call once
    /// per run, not per inference process.
    pub fn identify(&self) -> (String, String) {
        let sha = std::fs::read(&self.path)
            .map(|b| crate::sha256_hex(&b))
            .unwrap_or_else(|_| "unreadable".into());
        let version = PINNED
            .iter()
            .find(|(h, _)| *h == sha)
            .map(|(_, v)| v.to_string())
            .or_else(|| {
                let mut side = self.path.clone().into_os_string();
                side.push(".version");
                std::fs::read_to_string(side)
                    .ok()
                    .and_then(|s| s.lines().next().map(|l| l.trim().to_string()))
                    .filter(|s| !s.is_empty())
                    .map(|v| format!("{v} (from libLiteRt.so.version; file not pinned)"))
            })
            .unwrap_or_else(|| "unknown".into());
        (version, sha)
    }
}

/// The file behind a loaded library: `path` itself (canonical) when it
/// names a file, else — a bare name the system loader resolved, possibly to
/// a copy this process had already loaded — the mapping of that name in
/// `/proc/self/maps`.
fn loaded_file(path: &Path) -> PathBuf {
    if path.components().count() > 1 || path.is_absolute() {
        return std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    }
    std::fs::read_to_string("/proc/self/maps")
        .ok()
        .and_then(|maps| {
            maps.lines()
                .filter_map(|l| l.split_whitespace().nth(5))
                .map(PathBuf::from)
                .find(|p| p.file_name() == path.file_name())
        })
        .unwrap_or_else(|| path.to_path_buf())
}

/// The places [`LiteRtLibrary::discover`] searches after the explicit path
/// and [`ENV_LITERT_LIB`], in order.
pub fn search_paths() -> Vec<PathBuf> {
    crate::discovery::search_paths(&PLACES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn struct_layouts_match_the_header_asserts() {
        assert_eq!(std::mem::size_of::<Layout>(), 68);
        assert_eq!(std::mem::offset_of!(Layout, dimensions), 4);
        assert_eq!(std::mem::offset_of!(Layout, strides), 36);
        assert_eq!(std::mem::size_of::<RankedTensorType>(), 72);
        assert_eq!(std::mem::offset_of!(RankedTensorType, layout), 4);
        assert_eq!(std::mem::size_of::<PerTensor>(), 16);
        assert_eq!(std::mem::offset_of!(PerTensor, zero_point), 8);
        let l = Layout {
            rank_bits: 0x80 | 3,
            ..Layout::default()
        };
        assert_eq!(l.rank(), 3);
    }

    #[test]
    fn search_order_ends_with_the_setup_copies() {
        let v = search_paths();
        assert_eq!(v[0], PathBuf::from(LIB_NAME));
        assert!(v.last().unwrap().ends_with(SETUP_RELATIVE));
        assert!(
            v.iter()
                .any(|p| p.ends_with("pqbench/lib/libLiteRt.so") && p.is_absolute())
                || std::env::var_os("HOME").is_none()
        );
    }

    #[test]
    fn not_found_names_every_place_and_the_ways_out() {
        let e = TfliteError::LiteRtNotFound {
            tried: vec!["/a (absent)".into()],
        }
        .to_string();
        for want in [
            "/a (absent)",
            "--litert-lib",
            ENV_LITERT_LIB,
            "scripts/setup",
        ] {
            assert!(e.contains(want), "{want} missing: {e}");
        }
    }
}
