//! Coral Edge TPU through `libedgetpu.so.1`, loaded at run time.
//!
//! C API (`edgetpu_c.h`): `edgetpu_list_devices`, `edgetpu_free_devices`,
//! `edgetpu_create_delegate(type, name, options, n)`, `edgetpu_free_delegate`,
//! `edgetpu_version`. The delegate is created with explicit options
//! (`Performance`, `Usb.MaxBulkInQueueLength`) and a non-NULL name, and is
//! freed only after the interpreter that uses it.

use crate::library::TfLiteDelegate;
use std::ffi::{CStr, CString, c_char};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Environment variable naming `libedgetpu.so.1`.
pub const ENV_EDGETPU_LIB: &str = "PQBENCH_EDGETPU_LIB";

/// Soname of Coral's runtime (`libedgetpu1-std` / `libedgetpu1-max`).
pub const EDGETPU_LIB_NAME: &str = "libedgetpu.so.1";

/// Edge TPU failures, each with what to do about it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EdgeTpuError {
    /// `libedgetpu.so.1` could not be loaded.
    #[error(
        "libedgetpu not found ({detail}); install Coral's runtime (apt: libedgetpu1-std or libedgetpu1-max from packages.cloud.google.com/apt coral-edgetpu-stable) or set PQBENCH_EDGETPU_LIB"
    )]
    LibraryMissing {
        /// Loader message(s).
        detail: String,
    },
    /// The library lacks an expected symbol.
    #[error("{path} is not a usable libedgetpu: symbol {symbol} missing")]
    MissingSymbol {
        /// The library.
        path: String,
        /// The symbol.
        symbol: &'static str,
    },
    /// No device, or fewer than asked for.
    #[error(
        "no Edge TPU attached at index {index} ({found} found by edgetpu_list_devices); check the USB cable / PCIe driver (/dev/apex_*), udev rules (scripts/udev/99-pqbench.rules) and `pqbench devices`"
    )]
    NoDevice {
        /// Requested index.
        index: usize,
        /// Devices present.
        found: usize,
    },
    /// `edgetpu_create_delegate` returned NULL although the device is listed.
    #[error(
        "could not open Edge TPU {path} ({kind}): edgetpu_create_delegate returned NULL; the device is busy (another process holds it), or libedgetpu and the TFLite library versions do not match (libedgetpu {edgetpu_version}; TFLite <= 2.11 is known to work)"
    )]
    OpenFailed {
        /// Device path.
        path: String,
        /// `usb` or `pci`.
        kind: &'static str,
        /// `edgetpu_version()`.
        edgetpu_version: String,
    },
    /// Bad option value.
    #[error("invalid Edge TPU option: {0}")]
    Option(String),
}

/// `enum edgetpu_device_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceType {
    /// `EDGETPU_APEX_PCI` (M.2 / mini PCIe, `/dev/apex_N`).
    Pci,
    /// `EDGETPU_APEX_USB` (USB Accelerator).
    Usb,
}

impl DeviceType {
    fn raw(self) -> i32 {
        match self {
            DeviceType::Pci => 0,
            DeviceType::Usb => 1,
        }
    }

    /// `pci` or `usb`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceType::Pci => "pci",
            DeviceType::Usb => "usb",
        }
    }
}

/// A device listed by `edgetpu_list_devices`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Bus type.
    pub kind: DeviceType,
    /// Path (e.g. `/dev/apex_0` or `/sys/bus/usb/devices/2-1`).
    pub path: String,
}

#[repr(C)]
struct RawDevice {
    kind: i32,
    path: *const c_char,
}

#[repr(C)]
struct RawOption {
    name: *const c_char,
    value: *const c_char,
}

/// `Performance` option: clock setting of the Edge TPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Performance {
    /// `Low`.
    Low,
    /// `Medium`.
    Medium,
    /// `High`.
    High,
    /// `Max` (needs the max runtime for the full clock).
    Max,
}

impl Performance {
    fn as_str(self) -> &'static str {
        match self {
            Performance::Low => "Low",
            Performance::Medium => "Medium",
            Performance::High => "High",
            Performance::Max => "Max",
        }
    }
}

/// Delegate options passed explicitly to `edgetpu_create_delegate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelegateOptions {
    /// `Performance`.
    pub performance: Performance,
    /// `Usb.MaxBulkInQueueLength` (USB devices only).
    pub usb_max_bulk_in_queue_length: u32,
}

impl Default for DelegateOptions {
    fn default() -> Self {
        DelegateOptions {
            performance: Performance::Max,
            usb_max_bulk_in_queue_length: 32,
        }
    }
}

struct Api {
    list: unsafe extern "C" fn(*mut usize) -> *mut RawDevice,
    free_devices: unsafe extern "C" fn(*mut RawDevice),
    create:
        unsafe extern "C" fn(i32, *const c_char, *const RawOption, usize) -> *mut TfLiteDelegate,
    free_delegate: unsafe extern "C" fn(*mut TfLiteDelegate),
    version: unsafe extern "C" fn() -> *const c_char,
}

/// A loaded `libedgetpu.so.1`.
pub struct EdgeTpuLibrary {
    api: Api,
    path: String,
    version: String,
    _lib: libloading::Library,
}

impl std::fmt::Debug for EdgeTpuLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EdgeTpuLibrary")
            .field("path", &self.path)
            .field("version", &self.version)
            .finish()
    }
}

impl EdgeTpuLibrary {
    /// Loads `explicit`, else [`ENV_EDGETPU_LIB`], else `libedgetpu.so.1`
    /// from the system loader's path.
    pub fn load(explicit: Option<&Path>) -> Result<Arc<EdgeTpuLibrary>, EdgeTpuError> {
        let env = std::env::var_os(ENV_EDGETPU_LIB).filter(|v| !v.is_empty());
        let (path, source): (PathBuf, String) = match (explicit, env) {
            (Some(p), _) => (p.to_path_buf(), "the path given".into()),
            (None, Some(v)) => (PathBuf::from(&v), ENV_EDGETPU_LIB.to_string()),
            (None, None) => (
                PathBuf::from(EDGETPU_LIB_NAME),
                "the system loader (LD_LIBRARY_PATH, ld.so.cache)".into(),
            ),
        };
        // SAFETY: loading runs libedgetpu's initialisers, which touch only
        // its own state.
        let lib = unsafe { libloading::Library::new(&path) }.map_err(|e| {
            EdgeTpuError::LibraryMissing {
                detail: format!("{} through {source}: {e}", path.display()),
            }
        })?;
        let shown = path.display().to_string();
        macro_rules! sym {
            ($name:literal) => {{
                // SAFETY: prototype from edgetpu_c.h; used only while `lib` lives.
                match unsafe { lib.get(concat!($name, "\0").as_bytes()) } {
                    Ok(s) => *s,
                    Err(_) => {
                        return Err(EdgeTpuError::MissingSymbol {
                            path: shown,
                            symbol: $name,
                        });
                    }
                }
            }};
        }
        let api = Api {
            list: sym!("edgetpu_list_devices"),
            free_devices: sym!("edgetpu_free_devices"),
            create: sym!("edgetpu_create_delegate"),
            free_delegate: sym!("edgetpu_free_delegate"),
            version: sym!("edgetpu_version"),
        };
        // SAFETY: returns a static NUL-terminated string (NULL handled).
        let vp = unsafe { (api.version)() };
        let version = if vp.is_null() {
            "unknown".into()
        } else {
            // SAFETY: non-NULL static C string.
            unsafe { CStr::from_ptr(vp) }.to_string_lossy().into_owned()
        };
        Ok(Arc::new(EdgeTpuLibrary {
            api,
            path: shown,
            version,
            _lib: lib,
        }))
    }

    /// `edgetpu_version()`, e.g. `BuildLabel(COMPILER=…), RuntimeVersion(14)`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The library as given to the loader.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether the std or max runtime is in use, when the resolved file
    /// name or package says so.
    pub fn flavor(&self) -> Option<&'static str> {
        let real = std::fs::canonicalize(&self.path)
            .ok()
            .or_else(|| {
                [
                    "/usr/lib/x86_64-linux-gnu",
                    "/usr/lib/aarch64-linux-gnu",
                    "/usr/lib",
                ]
                .iter()
                .map(|d| Path::new(d).join(EDGETPU_LIB_NAME))
                .find_map(|p| std::fs::canonicalize(p).ok())
            })?
            .to_string_lossy()
            .to_lowercase();
        if real.contains("max") {
            Some("max")
        } else if real.contains("std") {
            Some("std")
        } else {
            None
        }
    }

    /// Devices `edgetpu_list_devices` reports.
    pub fn devices(&self) -> Vec<Device> {
        let mut n = 0usize;
        // SAFETY: `n` is a valid out pointer; the returned array (or NULL)
        // holds `n` entries and is freed with edgetpu_free_devices.
        let raw = unsafe { (self.api.list)(&mut n) };
        if raw.is_null() {
            return Vec::new();
        }
        // SAFETY: `raw` points to `n` initialised entries until freed.
        let slice = unsafe { std::slice::from_raw_parts(raw, n) };
        let out = slice
            .iter()
            .map(|d| Device {
                kind: if d.kind == 0 {
                    DeviceType::Pci
                } else {
                    DeviceType::Usb
                },
                path: if d.path.is_null() {
                    String::new()
                } else {
                    // SAFETY: NUL-terminated string owned by the array.
                    unsafe { CStr::from_ptr(d.path) }
                        .to_string_lossy()
                        .into_owned()
                },
            })
            .collect();
        // SAFETY: freed once, after the copies above.
        unsafe { (self.api.free_devices)(raw) };
        out
    }

    /// Opens device `index` of [`EdgeTpuLibrary::devices`] as a delegate.
    pub fn open(
        self: &Arc<Self>,
        index: usize,
        options: DelegateOptions,
    ) -> Result<EdgeTpuDelegate, EdgeTpuError> {
        let devices = self.devices();
        let dev = devices.get(index).cloned().ok_or(EdgeTpuError::NoDevice {
            index,
            found: devices.len(),
        })?;
        // The device path names the device; never NULL ("" when unknown).
        let name = CString::new(dev.path.clone())
            .map_err(|_| EdgeTpuError::Option("device path contains NUL".into()))?;
        let perf = CString::new(options.performance.as_str())
            .map_err(|_| EdgeTpuError::Option("performance".into()))?;
        let queue = CString::new(options.usb_max_bulk_in_queue_length.to_string())
            .map_err(|_| EdgeTpuError::Option("queue length".into()))?;
        let k_perf = c"Performance";
        let k_queue = c"Usb.MaxBulkInQueueLength";
        let mut opts = vec![RawOption {
            name: k_perf.as_ptr(),
            value: perf.as_ptr(),
        }];
        if dev.kind == DeviceType::Usb {
            opts.push(RawOption {
                name: k_queue.as_ptr(),
                value: queue.as_ptr(),
            });
        }
        // SAFETY: all strings are NUL-terminated and live across the call;
        // `opts` holds `opts.len()` entries.
        let ptr =
            unsafe { (self.api.create)(dev.kind.raw(), name.as_ptr(), opts.as_ptr(), opts.len()) };
        if ptr.is_null() {
            return Err(EdgeTpuError::OpenFailed {
                path: dev.path,
                kind: dev.kind.as_str(),
                edgetpu_version: self.version.clone(),
            });
        }
        Ok(EdgeTpuDelegate {
            lib: Arc::clone(self),
            ptr,
            device: dev,
            options,
        })
    }
}

/// An open Edge TPU delegate; freed on drop (the interpreter drops it only
/// after deleting itself).
pub struct EdgeTpuDelegate {
    lib: Arc<EdgeTpuLibrary>,
    ptr: *mut TfLiteDelegate,
    device: Device,
    options: DelegateOptions,
}

impl std::fmt::Debug for EdgeTpuDelegate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EdgeTpuDelegate")
            .field("device", &self.device)
            .field("options", &self.options)
            .finish()
    }
}

impl EdgeTpuDelegate {
    pub(crate) fn as_ptr(&self) -> *mut TfLiteDelegate {
        self.ptr
    }

    /// The device in use.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// The library (version, flavor).
    pub fn library(&self) -> &EdgeTpuLibrary {
        &self.lib
    }

    /// The options it was created with.
    pub fn options(&self) -> DelegateOptions {
        self.options
    }
}

impl Drop for EdgeTpuDelegate {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from edgetpu_create_delegate and is freed once;
        // Interpreter::drop deletes the interpreter before dropping this.
        unsafe { (self.lib.api.free_delegate)(self.ptr) }
    }
}

/// PCIe Edge TPUs visible as `/dev/apex_*` (no library needed).
pub fn pcie_device_nodes() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("/dev")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("apex_"))
        })
        .collect();
    v.sort();
    v
}
