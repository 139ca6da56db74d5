//! Builds the firmware for a board (once per triple, memory map and feature
//! set: boards that agree share the image) and measures code size.

use crate::Error;
use crate::board::Board;
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Environment variable naming the firmware sources (`targets/firmware` of
/// a pqbench checkout).
pub const FIRMWARE_DIR_VAR: &str = "PQBENCH_FIRMWARE_DIR";

/// Environment variable naming the firmware build and image cache.
pub const FIRMWARE_CACHE_VAR: &str = "PQBENCH_FIRMWARE_CACHE";

/// The checkout this pqbench was built from (`targets/runner/../..`). An
/// installed binary may outlive it or run on another machine, so every use
/// checks that it is still there.
fn build_checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// True when `dir` holds the firmware crate.
fn has_firmware(dir: &Path) -> bool {
    dir.join("Cargo.toml").is_file() && dir.join("src").is_dir()
}

/// The firmware sources, in this order:
///
/// 1. `PQBENCH_FIRMWARE_DIR` (when set and not empty; refused when it does
///    not contain the firmware crate);
/// 2. `targets/firmware` of the checkout pqbench was built from, if that
///    checkout still exists and contains the firmware;
///
/// otherwise an error saying how to point at them.
pub fn source_dir() -> Result<PathBuf, Error> {
    resolve_source_dir(std::env::var_os(FIRMWARE_DIR_VAR), &build_checkout())
}

fn resolve_source_dir(var: Option<OsString>, checkout: &Path) -> Result<PathBuf, Error> {
    let hint = format!(
        "point {FIRMWARE_DIR_VAR} at the firmware of a pqbench checkout, e.g. {FIRMWARE_DIR_VAR}=/path/to/pqbench/targets/firmware"
    );
    if let Some(dir) = var.filter(|v| !v.is_empty()).map(PathBuf::from) {
        if has_firmware(&dir) {
            return Ok(dir);
        }
        return Err(Error::Hardware(format!(
            "{FIRMWARE_DIR_VAR}={} does not contain the pqbench firmware (no Cargo.toml and src/ there); {hint}",
            dir.display()
        )));
    }
    let built = checkout.join("targets/firmware");
    if has_firmware(&built) {
        return Ok(built);
    }
    Err(Error::Hardware(format!(
        "firmware sources for Cortex-M targets not found: {FIRMWARE_DIR_VAR} is not set and the checkout this pqbench was built from ({}) no longer contains targets/firmware; {hint}",
        checkout.display()
    )))
}

/// Where firmware builds and images are cached, in this order:
///
/// 1. `PQBENCH_FIRMWARE_CACHE` (when set and not empty);
/// 2. `target/pqbench-firmware` of the checkout pqbench was built from, when
///    that checkout still exists;
/// 3. `${XDG_CACHE_HOME:-$HOME/.cache}/pqbench/firmware`.
pub fn cache_dir() -> Result<PathBuf, Error> {
    resolve_cache_dir(
        std::env::var_os(FIRMWARE_CACHE_VAR),
        &build_checkout(),
        std::env::var_os("XDG_CACHE_HOME"),
        std::env::var_os("HOME"),
    )
}

fn resolve_cache_dir(
    var: Option<OsString>,
    checkout: &Path,
    xdg_cache: Option<OsString>,
    home: Option<OsString>,
) -> Result<PathBuf, Error> {
    if let Some(dir) = var.filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    if has_firmware(&checkout.join("targets/firmware")) {
        return Ok(checkout.join("target/pqbench-firmware"));
    }
    // XDG: a relative XDG_CACHE_HOME is invalid and ignored.
    let base = xdg_cache
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            home.filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })
        .ok_or_else(|| {
            Error::Hardware(format!(
                "no firmware cache directory: set {FIRMWARE_CACHE_VAR}, XDG_CACHE_HOME or HOME"
            ))
        })?;
    Ok(base.join("pqbench/firmware"))
}

/// Section sizes of an image, bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImageSize {
    /// Code and read-only data in flash (`.vector_table`, `.text`, `.rodata`).
    pub flash_code: u64,
    /// Initialised data (`.data`: in RAM, with a copy in flash).
    pub data: u64,
    /// Zeroed data (`.bss`, `.uninit`).
    pub bss: u64,
}

/// A built firmware image.
#[derive(Clone, Debug)]
pub struct Image {
    /// The ELF file.
    pub elf: PathBuf,
    /// Its section sizes.
    pub size: ImageSize,
    /// Features it was built with.
    pub features: Vec<String>,
}

/// The firmware features for `board`: its families that `want` asks for
/// (all of them when `want` is empty), plus the link and counter.
pub fn features_for(board: &Board, want: &BTreeSet<String>) -> Vec<String> {
    let mut f: Vec<String> = board
        .families
        .iter()
        .filter(|fam| want.is_empty() || want.contains(*fam))
        .cloned()
        .collect();
    match board.transport {
        crate::board::TransportKind::Qemu => f.push("link-semihosting".into()),
        crate::board::TransportKind::ProbeRtt => f.push("link-rtt".into()),
        crate::board::TransportKind::Serial => f.push("link-uart".into()),
    }
    match board.counter {
        crate::board::CounterKind::Systick => f.push("counter-systick".into()),
        crate::board::CounterKind::Dwt => f.push("counter-dwt".into()),
    }
    f.sort();
    f.dedup();
    f
}

/// Hashes every file the firmware is built from (its sources, the protocol,
/// the workloads), so a cached image is reused only while they are unchanged.
fn source_fingerprint(src: &Path, h: &mut DefaultHasher) {
    let roots = [
        src.to_path_buf(),
        src.join("../protocol"),
        src.join("../../harness/workloads"),
        src.join("../../harness/detect"),
    ];
    for root in roots {
        let mut stack = vec![root];
        let mut files = Vec::new();
        while let Some(dir) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                let name = e.file_name();
                if name == "target" || name.to_string_lossy().starts_with('.') && name != ".cargo" {
                    continue;
                }
                if p.is_dir() {
                    stack.push(p);
                } else {
                    files.push(p);
                }
            }
        }
        files.sort();
        for f in files {
            f.hash(h);
            if let Ok(bytes) = std::fs::read(&f) {
                bytes.hash(h);
            }
        }
    }
}

/// The cargo profile firmware is built with: `PQBENCH_FIRMWARE_PROFILE`, or
/// `release` (opt-level 3, fat LTO: the one measurements are made with).
/// `ci` builds much faster (opt-level 1, no LTO) for functional checks.
pub fn profile() -> String {
    std::env::var("PQBENCH_FIRMWARE_PROFILE")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "release".to_string())
}

/// The UART the firmware talks through (serial boards): `(base, divider)`.
fn uart_settings(board: &Board) -> Option<(u64, u64)> {
    board
        .serial
        .as_ref()
        .filter(|_| board.transport == crate::board::TransportKind::Serial)
        .map(|s| {
            let (_, base, div) = s.firmware_settings(board.clock_hz);
            (base, div)
        })
}

fn key(src: &Path, board: &Board, features: &[String]) -> String {
    let mut h = DefaultHasher::new();
    source_fingerprint(src, &mut h);
    profile().hash(&mut h);
    (
        &board.triple,
        &board.firmware_profile,
        board.memory,
        features,
        pqbench_protocol::PROTOCOL_VERSION,
        uart_settings(board),
    )
        .hash(&mut h);
    format!(
        "{}-{}-{:016x}",
        board.firmware_profile,
        board.triple,
        h.finish()
    )
}

/// Builds the image for `board` with `features`, or reuses the cached one
/// built from the same sources, memory map and features.
pub fn build(board: &Board, features: &[String]) -> Result<Image, Error> {
    let src = source_dir()?;
    let cache = cache_dir()?;
    let images = cache.join("images");
    std::fs::create_dir_all(&images)
        .map_err(|e| Error::io(format!("creating {}", images.display()), e))?;
    let elf = images.join(format!("{}.elf", key(&src, board, features)));
    if let Some(size) = elf.is_file().then(|| image_size(&elf).ok()).flatten() {
        return Ok(Image {
            elf,
            size,
            features: features.to_vec(),
        });
    }
    let target_dir = cache.join("build").join(&board.triple);
    // One build at a time per target directory (threads of this process and
    // other pqbench processes): the binary is copied out of a fixed path, so
    // a concurrent build of another feature set would be copied instead.
    let _lock = BuildLock::acquire(&cache.join("build"), &board.triple)?;
    if let Some(size) = elf.is_file().then(|| image_size(&elf).ok()).flatten() {
        // Built by whoever held the lock before us.
        return Ok(Image {
            elf,
            size,
            features: features.to_vec(),
        });
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let profile = profile();
    let mut cmd = Command::new(&cargo);
    cmd.current_dir(&src)
        .args(["build", "--quiet", "--no-default-features"])
        .args(["--profile", &profile])
        .args(["--target", &board.triple])
        .args(["--features", &features.join(",")])
        .env("CARGO_TARGET_DIR", &target_dir)
        .env(
            "PQBENCH_FW_FLASH_ORIGIN",
            board.memory.flash.origin.to_string(),
        )
        .env(
            "PQBENCH_FW_FLASH_LEN",
            board.memory.flash.length.to_string(),
        )
        .env("PQBENCH_FW_RAM_ORIGIN", board.memory.ram.origin.to_string())
        .env("PQBENCH_FW_RAM_LEN", board.memory.ram.length.to_string())
        .env("PQBENCH_FW_STACK_LEN", board.memory.stack.to_string())
        .env("PQBENCH_FW_PROFILE", &board.firmware_profile);
    if let Some((base, div)) = uart_settings(board) {
        cmd.env("PQBENCH_FW_UART_BASE", base.to_string())
            .env("PQBENCH_FW_UART_BAUDDIV", div.to_string());
    }
    // Flags meant for the host build must not leak into the firmware's.
    for v in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_BUILD_TARGET",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET_DIR",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
    ] {
        cmd.env_remove(v);
    }
    cmd.env("CARGO_TARGET_DIR", &target_dir);
    let out = cmd.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::ToolMissing {
                tool: cargo.clone(),
                hint: "the firmware is built with cargo; install Rust with rustup".into(),
            }
        } else {
            Error::io("running cargo build for the firmware", e)
        }
    })?;
    if !out.status.success() {
        let log = String::from_utf8_lossy(&out.stderr);
        let mut tail: Vec<&str> = log.lines().rev().take(30).collect();
        tail.reverse();
        let mut log = tail.join("\n");
        if log.contains("may not be installed") || log.contains("can't find crate for `core`") {
            log.push_str(&format!(
                "\nhint: rustup target add {} (scripts/setup installs every Cortex-M target)",
                board.triple
            ));
        }
        return Err(Error::FirmwareBuild {
            board: board.name.clone(),
            triple: board.triple.clone(),
            log,
        });
    }
    let built = target_dir
        .join(&board.triple)
        .join(if profile == "dev" {
            "debug"
        } else {
            profile.as_str()
        })
        .join("pqbench-firmware");
    // Copy then rename, so a reader never sees half an image.
    let partial = elf.with_extension("elf.partial");
    std::fs::copy(&built, &partial).map_err(|e| {
        Error::io(
            format!("copying {} to {}", built.display(), partial.display()),
            e,
        )
    })?;
    std::fs::rename(&partial, &elf).map_err(|e| {
        Error::io(
            format!("renaming {} to {}", partial.display(), elf.display()),
            e,
        )
    })?;
    let size = image_size(&elf)?;
    if size.flash_code + size.data > board.memory.flash.length {
        return Err(Error::FirmwareBuild {
            board: board.name.clone(),
            triple: board.triple.clone(),
            log: format!(
                "image needs {} bytes of flash, the board has {}",
                size.flash_code + size.data,
                board.memory.flash.length
            ),
        });
    }
    Ok(Image {
        elf,
        size,
        features: features.to_vec(),
    })
}

/// Exclusive use of a firmware target directory: a process-wide mutex
/// (threads share one open file description, on which flock would not
/// exclude them) plus `flock` on `<dir>/<triple>.lock` (other processes).
struct BuildLock {
    _file: std::fs::File,
    _guard: std::sync::MutexGuard<'static, ()>,
}

static IN_PROCESS: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl BuildLock {
    fn acquire(dir: &Path, triple: &str) -> Result<BuildLock, Error> {
        let guard = IN_PROCESS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        let path = dir.join(format!("{triple}.lock"));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive).map_err(|e| {
            Error::io(
                format!("locking {}", path.display()),
                std::io::Error::from(e),
            )
        })?;
        Ok(BuildLock {
            _file: file,
            _guard: guard,
        })
    }
}

/// Section sizes of an ELF image.
pub fn image_size(elf: &Path) -> Result<ImageSize, Error> {
    use object::{Object, ObjectSection, SectionKind};
    let data =
        std::fs::read(elf).map_err(|e| Error::io(format!("reading {}", elf.display()), e))?;
    let file = object::File::parse(&*data)
        .map_err(|e| Error::Protocol(format!("{} is not an ELF image: {e}", elf.display())))?;
    let mut s = ImageSize::default();
    for sec in file.sections() {
        let name = sec.name().unwrap_or("");
        let size = sec.size();
        match name {
            ".vector_table" | ".text" | ".rodata" => s.flash_code += size,
            ".data" => s.data += size,
            ".bss" | ".uninit" => s.bss += size,
            _ => {
                if sec.kind() == SectionKind::Text {
                    s.flash_code += size;
                }
            }
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh empty directory, removed on drop (no tempfile dependency
    /// in this crate).
    struct TempDir(PathBuf);
    impl TempDir {
        fn path(&self) -> &Path {
            &self.0
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    fn tempdir() -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "pqbench-fw-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    fn checkout_with_firmware(root: &Path) {
        let fw = root.join("targets/firmware");
        std::fs::create_dir_all(fw.join("src")).unwrap();
        std::fs::write(fw.join("Cargo.toml"), "[package]\n").unwrap();
    }

    #[test]
    fn source_dir_order() {
        let gone = tempdir();
        let checkout = tempdir();
        checkout_with_firmware(checkout.path());
        let fw = checkout.path().join("targets/firmware");
        // 1. the variable wins over an existing checkout.
        let other = tempdir();
        checkout_with_firmware(other.path());
        let other_fw = other.path().join("targets/firmware");
        let got = resolve_source_dir(Some(other_fw.clone().into()), checkout.path()).unwrap();
        assert_eq!(got, other_fw);
        // 2. the build checkout when it still has the firmware.
        assert_eq!(resolve_source_dir(None, checkout.path()).unwrap(), fw);
        assert_eq!(
            resolve_source_dir(Some(OsString::new()), checkout.path()).unwrap(),
            fw
        );
        // Refused: no checkout, and a variable pointing at an empty dir.
        let e = resolve_source_dir(None, gone.path())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("PQBENCH_FIRMWARE_DIR=/path/to/pqbench/targets/firmware"),
            "{e}"
        );
        let e = resolve_source_dir(Some(gone.path().into()), checkout.path())
            .unwrap_err()
            .to_string();
        assert!(e.contains("does not contain the pqbench firmware"), "{e}");
    }

    #[test]
    fn cache_dir_order() {
        let checkout = tempdir();
        let gone = tempdir();
        checkout_with_firmware(checkout.path());
        let c = |v: Option<&str>, co: &Path, x: Option<&str>, h: Option<&str>| {
            resolve_cache_dir(v.map(Into::into), co, x.map(Into::into), h.map(Into::into))
        };
        assert_eq!(
            c(Some("/c"), checkout.path(), Some("/x"), Some("/h")).unwrap(),
            PathBuf::from("/c")
        );
        assert_eq!(
            c(None, checkout.path(), Some("/x"), Some("/h")).unwrap(),
            checkout.path().join("target/pqbench-firmware")
        );
        assert_eq!(
            c(None, gone.path(), Some("/x"), Some("/h")).unwrap(),
            PathBuf::from("/x/pqbench/firmware")
        );
        assert_eq!(
            c(None, gone.path(), None, Some("/h")).unwrap(),
            PathBuf::from("/h/.cache/pqbench/firmware")
        );
        assert_eq!(
            c(None, gone.path(), Some("rel"), Some("/h")).unwrap(),
            PathBuf::from("/h/.cache/pqbench/firmware")
        );
        assert!(c(None, gone.path(), None, None).is_err());
    }
}
