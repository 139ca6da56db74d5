//! A workload library (`libpqbench_abi.so`, crate `pqbench-abi`) loaded
//! into this process: the ABI check on load, the exported ids, and
//! workload instances. All `unsafe` of the in-process mode is here.

use anyhow::{Context, bail};
use pqbench_abi as abi;
use std::ffi::{CStr, c_void};
use std::path::{Path, PathBuf};

/// How to build a library, for error messages.
pub const BUILD_HINT: &str = "build it with `cargo build --release -p pqbench-abi` in the tree \
(target/release/libpqbench_abi.so)";

/// A loaded workload library whose ABI version matched.
pub struct AbiLibrary {
    /// The file loaded.
    pub path: PathBuf,
    /// Its [`abi::ABI_VERSION`].
    pub version: u32,
    /// The workload ids it exports, by index.
    pub ids: Vec<String>,
    new: abi::NewFn,
    run: abi::RunFn,
    free: abi::FreeFn,
    slowdown: abi::SlowdownFn,
    // Last: the function pointers above point into it; it outlives them
    // because every use goes through `&self`.
    _lib: libloading::Library,
}

/// Loads `path` and reads its ABI version, the one function every version
/// of the ABI keeps (`pqbench_abi_version() -> u32`).
fn open(path: &Path) -> anyhow::Result<(libloading::Library, u32)> {
    // SAFETY: loading a shared library runs its initialisers. The user names
    // the file as a pqbench-abi build; a Rust cdylib has no initialisers of
    // its own, and the library is loaded RTLD_LOCAL (libloading's default on
    // Unix), so its symbols do not interpose on this process's.
    let lib = unsafe { libloading::Library::new(path) }.with_context(|| {
        format!(
            "cannot load {} as a shared library; {BUILD_HINT}",
            path.display()
        )
    })?;
    // SAFETY: the type is the one `pqbench_abi_version` has had in every
    // version of the ABI (it is how versions are told apart); a symbol of
    // that name with another type would be a foreign library, which the
    // version check below then refuses (any value but ours).
    let version = unsafe {
        let f: libloading::Symbol<abi::VersionFn> = lib.get(abi::SYM_VERSION).map_err(|_| {
            anyhow::anyhow!(
                "{} is not a pqbench workload library: it has no symbol `pqbench_abi_version`; \
{BUILD_HINT}",
                path.display()
            )
        })?;
        f()
    };
    Ok((lib, version))
}

/// Resolves symbol `name` as a `T`.
///
/// # Safety
///
/// `T` must be the symbol's type in the ABI whose version was checked.
unsafe fn symbol<T: Copy>(
    lib: &libloading::Library,
    name: &[u8],
    path: &Path,
) -> anyhow::Result<T> {
    // SAFETY: the caller guarantees the type; the value is a plain function
    // pointer copied out, valid while `lib` stays loaded.
    let s: libloading::Symbol<T> = unsafe { lib.get(name) }.map_err(|e| {
        anyhow::anyhow!(
            "{} claims workload ABI version {:#010x} but lacks symbol `{}`: {e}",
            path.display(),
            abi::ABI_VERSION,
            String::from_utf8_lossy(name.strip_suffix(b"\0").unwrap_or(name))
        )
    })?;
    Ok(*s)
}

/// Loads the baseline and candidate libraries (paths that differ as files:
/// copy one build twice for an A/A run), the candidate first when
/// `candidate_first` (replications randomise it, so that where the loader
/// places each library averages out), and checks that their ABI versions
/// agree with each other and with this pqbench.
pub fn load_pair(
    baseline: &Path,
    candidate: &Path,
    candidate_first: bool,
) -> anyhow::Result<(AbiLibrary, AbiLibrary)> {
    let ((la, va), (lb, vb)) = if candidate_first {
        let b = open(candidate)?;
        (open(baseline)?, b)
    } else {
        let a = open(baseline)?;
        (a, open(candidate)?)
    };
    if va != vb {
        bail!(
            "incompatible workload libraries: the baseline {} has ABI version {va:#010x}, \
the candidate {} has {vb:#010x}; rebuild both from trees with the same pqbench-abi",
            baseline.display(),
            candidate.display()
        );
    }
    if va != abi::ABI_VERSION {
        bail!(
            "incompatible workload libraries: both have ABI version {va:#010x} (baseline {}, \
candidate {}), this pqbench speaks {:#010x}; use a pqbench built with the same pqbench-abi",
            baseline.display(),
            candidate.display(),
            abi::ABI_VERSION
        );
    }
    Ok((finish(la, va, baseline)?, finish(lb, vb, candidate)?))
}

/// Loads one library and checks its ABI version against this pqbench's.
pub fn load(path: &Path) -> anyhow::Result<AbiLibrary> {
    let (lib, v) = open(path)?;
    if v != abi::ABI_VERSION {
        bail!(
            "incompatible workload library {}: ABI version {v:#010x}, this pqbench speaks {:#010x}",
            path.display(),
            abi::ABI_VERSION
        );
    }
    finish(lib, v, path)
}

fn finish(lib: libloading::Library, version: u32, path: &Path) -> anyhow::Result<AbiLibrary> {
    // SAFETY: the version matched ours, so each symbol has the type the
    // ABI description gives it.
    let (count, id, new, run, free, slowdown) = unsafe {
        (
            symbol::<abi::CountFn>(&lib, abi::SYM_COUNT, path)?,
            symbol::<abi::IdFn>(&lib, abi::SYM_ID, path)?,
            symbol::<abi::NewFn>(&lib, abi::SYM_NEW, path)?,
            symbol::<abi::RunFn>(&lib, abi::SYM_RUN, path)?,
            symbol::<abi::FreeFn>(&lib, abi::SYM_FREE, path)?,
            symbol::<abi::SlowdownFn>(&lib, abi::SYM_SLOWDOWN, path)?,
        )
    };
    // SAFETY: ABI-checked functions of the loaded library; `id` returns null
    // or a static NUL-terminated string, copied out here.
    let ids = unsafe {
        (0..count())
            .map(|i| {
                let p = id(i);
                if p.is_null() {
                    String::new()
                } else {
                    CStr::from_ptr(p).to_string_lossy().into_owned()
                }
            })
            .collect()
    };
    Ok(AbiLibrary {
        path: path.to_path_buf(),
        version,
        ids,
        new,
        run,
        free,
        slowdown,
        _lib: lib,
    })
}

impl AbiLibrary {
    /// Workload `id`, set up from `seed`.
    pub fn instance(&self, id: &str, seed: u64) -> anyhow::Result<Instance<'_>> {
        let Some(i) = self.ids.iter().position(|s| s == id) else {
            bail!("{} exports no workload {id:?}", self.path.display());
        };
        // SAFETY: an ABI-checked function; `i` is in range (null is handled).
        let handle = unsafe { (self.new)(i, seed) };
        if handle.is_null() {
            bail!(
                "{}: workload {id:?} could not be set up (unavailable here, or its setup panicked)",
                self.path.display()
            );
        }
        Ok(Instance {
            lib: self,
            handle,
            id: id.to_string(),
        })
    }

    /// Sets the harness-validation slowdown of this library only (percent,
    /// 0 = off).
    pub fn set_slowdown(&self, pct: f64) -> anyhow::Result<()> {
        // SAFETY: an ABI-checked function taking a plain number.
        match unsafe { (self.slowdown)(pct) } {
            abi::SLOWDOWN_OK => Ok(()),
            _ => bail!("slowdown {pct} % refused (must be 0 to 100)"),
        }
    }
}

/// A set-up workload of a loaded library; freed on drop.
pub struct Instance<'a> {
    lib: &'a AbiLibrary,
    handle: *mut c_void,
    id: String,
}

impl Instance<'_> {
    /// Runs the operation `iters` times.
    #[inline]
    pub fn run(&mut self, iters: u64) -> anyhow::Result<()> {
        // SAFETY: `handle` is live (freed only in drop), came from this
        // library's `new`, and `&mut self` makes this the only user.
        match unsafe { (self.lib.run)(self.handle, iters) } {
            abi::RUN_OK => Ok(()),
            abi::RUN_PANICKED => bail!(
                "workload {} of {} panicked",
                self.id,
                self.lib.path.display()
            ),
            code => bail!(
                "workload {} of {} failed (code {code})",
                self.id,
                self.lib.path.display()
            ),
        }
    }
}

impl Drop for Instance<'_> {
    fn drop(&mut self) {
        // SAFETY: `handle` came from this library's `new` and is freed once,
        // here; the library outlives the instance (the borrow).
        unsafe { (self.lib.free)(self.handle) }
    }
}
