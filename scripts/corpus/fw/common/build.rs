//! Provides `memory.x` (a generic 512 KiB flash / 128 KiB RAM Cortex-M part)
//! to cortex-m-rt's `link.x` when building for a bare-metal target.
use std::{env, fs, path::PathBuf};

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    fs::write(
        out.join("memory.x"),
        "MEMORY\n{\n  FLASH : ORIGIN = 0x08000000, LENGTH = 1024K\n  RAM : ORIGIN = 0x20000000, LENGTH = 192K\n}\n",
    )
    .unwrap();
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=build.rs");
}
