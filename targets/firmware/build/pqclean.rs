//! Compiles PQClean's portable ("clean") C for the firmware's features
//! `mlkem-pqclean` / `mldsa-pqclean`: the very sources the host measures
//! through the `pqcrypto-mlkem` / `pqcrypto-mldsa` crates (and the common
//! Keccak of `pqcrypto-internals`), read in place from cargo's registry at
//! the versions the host workspace's `Cargo.lock` pins — nothing is copied
//! into this repository.
//!
//! Compiler: `arm-none-eabi-gcc` (Debian's `gcc-arm-none-eabi`, the compiler
//! pqm4 uses), freestanding, `-O3` like pqm4's default build, with the CPU
//! and float ABI of the Rust target (`-mcpu=cortex-m4 -mfpu=fpv4-sp-d16
//! -mfloat-abi=hard` for `thumbv7em-none-eabihf`, pqm4's M4 flags). The few
//! libc headers PQClean includes are generated here: `memcpy`, `memset`,
//! `memcmp` and `memmove` come from Rust's `compiler_builtins`, and
//! `randombytes` from the firmware (`src/workloads/pqclean/coins.rs`).
//!
//! Each scheme is one library; its `.text`/`.data`/`.bss` (summed like
//! `arm-none-eabi-size -t`, pqm4's size benchmark, by `objsize.rs`) go into
//! `$OUT_DIR/pqclean_sizes.rs` for the workloads' static metrics.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use super::objsize;

/// `(constant name, library file)` of each compiled library.
type Built = Vec<(String, PathBuf)>;

/// `(crate, directory under its `pqclean/`, scheme directories, library)`.
type Family = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
);

const MLKEM: Family = (
    "pqcrypto-mlkem",
    "crypto_kem",
    &["ml-kem-512", "ml-kem-768", "ml-kem-1024"],
    "pqclean_mlkem",
);
const MLDSA: Family = (
    "pqcrypto-mldsa",
    "crypto_sign",
    &["ml-dsa-44", "ml-dsa-65", "ml-dsa-87"],
    "pqclean_mldsa",
);

/// The C compiler flags of a Rust target triple.
fn arch_flags(target: &str) -> &'static [&'static str] {
    if target.starts_with("thumbv6m") {
        &["-mthumb", "-mcpu=cortex-m0", "-mfloat-abi=soft"]
    } else if target.starts_with("thumbv7m") {
        &["-mthumb", "-mcpu=cortex-m3", "-mfloat-abi=soft"]
    } else if target.starts_with("thumbv7em") && target.ends_with("hf") {
        &[
            "-mthumb",
            "-mcpu=cortex-m4",
            "-mfpu=fpv4-sp-d16",
            "-mfloat-abi=hard",
        ]
    } else if target.starts_with("thumbv7em") {
        &["-mthumb", "-mcpu=cortex-m4", "-mfloat-abi=soft"]
    } else if target.starts_with("thumbv8m.main") && target.ends_with("hf") {
        &[
            "-mthumb",
            "-mcpu=cortex-m33",
            "-mfpu=fpv5-sp-d16",
            "-mfloat-abi=hard",
        ]
    } else if target.starts_with("thumbv8m.main") {
        &["-mthumb", "-mcpu=cortex-m33+nofp", "-mfloat-abi=soft"]
    } else {
        &[]
    }
}

/// The version of `krate` in the host workspace's lockfile.
fn locked_version(lock: &str, krate: &str) -> Option<String> {
    let needle = format!("name = \"{krate}\"\nversion = \"");
    let start = lock.find(&needle)? + needle.len();
    let end = start + lock[start..].find('"')?;
    Some(lock[start..end].to_string())
}

/// The unpacked sources of `krate` at `version` in cargo's registry.
fn registry_dir(krate: &str, version: &str) -> PathBuf {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    let src = home.join("registry").join("src");
    let name = format!("{krate}-{version}");
    let found = fs::read_dir(&src).ok().and_then(|dirs| {
        dirs.filter_map(Result::ok)
            .map(|d| d.path().join(&name))
            .find(|p| p.is_dir())
    });
    match found {
        Some(p) => p,
        None => panic!(
            "{name} is not unpacked under {}: run `cargo fetch --locked` in the pqbench \
             workspace (it depends on {krate} for the host's PQClean workloads)",
            src.display()
        ),
    }
}

/// Freestanding stand-ins for the libc headers PQClean includes.
fn write_shim_headers(dir: &Path) {
    fs::create_dir_all(dir).expect("create the C shim header directory");
    let string_h = "#ifndef PQBENCH_STRING_H\n#define PQBENCH_STRING_H\n#include <stddef.h>\n\
        void *memcpy(void *dst, const void *src, size_t n);\n\
        void *memmove(void *dst, const void *src, size_t n);\n\
        void *memset(void *dst, int c, size_t n);\n\
        int memcmp(const void *a, const void *b, size_t n);\n#endif\n";
    fs::write(dir.join("string.h"), string_h).expect("write string.h");
    fs::write(dir.join("stdlib.h"), "#include <stddef.h>\n").expect("write stdlib.h");
    let features_h = "#ifndef __GNUC_PREREQ\n#define __GNUC_PREREQ(maj, min) \\\n  \
        ((__GNUC__ << 16) + __GNUC_MINOR__ >= ((maj) << 16) + (min))\n#endif\n";
    fs::write(dir.join("features.h"), features_h).expect("write features.h");
    fs::write(dir.join("unistd.h"), "#include <stddef.h>\n").expect("write unistd.h");
}

fn compile(
    family: Family,
    lock: &str,
    dirs: (&Path, &Path, &Path),
    target: &str,
    built: &mut Built,
) {
    let (internals, shim, out) = dirs;
    let (krate, kind, schemes, lib) = family;
    let version = locked_version(lock, krate)
        .unwrap_or_else(|| panic!("{krate} is not in the workspace's Cargo.lock"));
    let root = registry_dir(krate, &version).join("pqclean");
    let mut files = Vec::new();
    for scheme in schemes {
        let dir = root.join(kind).join(scheme).join("clean");
        let mut c: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|d| d.path())
            .filter(|p| p.extension().is_some_and(|e| e == "c"))
            .collect();
        c.sort();
        files.push((dir, c));
    }
    // Each scheme's headers share names (params.h, poly.h): one object
    // library per scheme, so each sees only its own directory.
    for (dir, c) in files {
        let mut b = cc::Build::new();
        b.compiler("arm-none-eabi-gcc")
            .archiver("arm-none-eabi-ar")
            .no_default_flags(true)
            .flag("-O3")
            .flag("-ffreestanding")
            .flag("-fno-common")
            .flag("-ffunction-sections")
            .flag("-fdata-sections")
            .flag("-std=c99")
            .warnings(false)
            .include(shim)
            .include(internals.join("include"))
            .include(root.join("common"))
            .include(&dir)
            .files(c);
        for f in arch_flags(target) {
            b.flag(f);
        }
        let name = dir
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().replace('-', "_"))
            .unwrap_or_else(|| lib.to_string());
        let lib_name = format!("{lib}_{name}");
        b.compile(&lib_name);
        built.push((name.to_uppercase(), out.join(format!("lib{lib_name}.a"))));
        println!("cargo:rerun-if-changed={}", dir.display());
    }
}

/// Compiles the PQClean libraries the enabled features need.
pub fn build(out: &Path) {
    let mlkem = env::var_os("CARGO_FEATURE_MLKEM_PQCLEAN").is_some();
    let mldsa = env::var_os("CARGO_FEATURE_MLDSA_PQCLEAN").is_some();
    if !mlkem && !mldsa {
        return;
    }
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let lock_path = manifest.join("../../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock_path.display());
    let lock =
        fs::read_to_string(&lock_path).unwrap_or_else(|e| panic!("{}: {e}", lock_path.display()));
    let target = env::var("TARGET").unwrap_or_default();
    let internals_version = locked_version(&lock, "pqcrypto-internals")
        .unwrap_or_else(|| panic!("pqcrypto-internals is not in the workspace's Cargo.lock"));
    let internals = registry_dir("pqcrypto-internals", &internals_version);
    let shim = out.join("cshim");
    write_shim_headers(&shim);
    // The common Keccak (FIPS 202) the host's PQClean links.
    cc::Build::new()
        .compiler("arm-none-eabi-gcc")
        .archiver("arm-none-eabi-ar")
        .no_default_flags(true)
        .flag("-O3")
        .flag("-ffreestanding")
        .flag("-ffunction-sections")
        .flag("-fdata-sections")
        .flag("-std=c99")
        .flags(arch_flags(&target).iter().copied())
        .warnings(false)
        .include(&shim)
        .include(internals.join("include"))
        .file(internals.join("cfiles").join("fips202.c"))
        .compile("pqclean_fips202");
    let mut built: Built = vec![("FIPS202".into(), out.join("libpqclean_fips202.a"))];
    let dirs = (internals.as_path(), shim.as_path(), out);
    if mlkem {
        compile(MLKEM, &lock, dirs, &target, &mut built);
    }
    if mldsa {
        compile(MLDSA, &lock, dirs, &target, &mut built);
    }
    write_sizes(out, &built);
}

/// Writes `pqclean_sizes.rs`: one `ObjSize` constant per library.
fn write_sizes(out: &Path, built: &Built) {
    let mut text = String::from(
        "// Generated by build.rs (build/pqclean.rs): `arm-none-eabi-size -t` classes.\n",
    );
    for (name, path) in built {
        let s = objsize::of_archive(path).unwrap_or_else(|e| panic!("sizing {e}"));
        text.push_str(&format!(
            "/// `.text`/`.data`/`.bss` of `{}`.\npub const {name}: ObjSize = ObjSize {{ text: {}, data: {}, bss: {} }};\n",
            path.file_name().map(|f| f.to_string_lossy()).unwrap_or_default(),
            s.text,
            s.data,
            s.bss
        ));
    }
    fs::write(out.join("pqclean_sizes.rs"), text).expect("write pqclean_sizes.rs");
}
