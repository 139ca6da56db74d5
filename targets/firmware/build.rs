//! Writes `memory.x` for the board the runner builds for, from the
//! `PQBENCH_FW_*` environment variables (defaults: the QEMU `mps2-an386`).
//!
//! Layout: the workload (process) stack sits at the bottom of RAM so that an
//! overflow runs into unmapped memory (or PSPLIM on Armv8-M) and faults
//! instead of silently corrupting data; then `.data`/`.bss`/heap; the handler
//! stack (MSP) at the top.

use std::env;
use std::fs;
use std::path::PathBuf;

#[path = "build/objsize.rs"]
mod objsize;
#[path = "build/pqclean.rs"]
mod pqclean;

fn var(name: &str, default: u64) -> u64 {
    println!("cargo:rerun-if-env-changed={name}");
    match env::var(name) {
        Ok(v) => {
            let v = v.trim();
            let parsed = if let Some(hex) = v.strip_prefix("0x") {
                u64::from_str_radix(hex, 16)
            } else {
                v.parse()
            };
            match parsed {
                Ok(n) => n,
                Err(_) => panic!("{name}={v:?} is not a number"),
            }
        }
        Err(_) => default,
    }
}

fn main() {
    let flash_origin = var("PQBENCH_FW_FLASH_ORIGIN", 0x0000_0000);
    let flash_len = var("PQBENCH_FW_FLASH_LEN", 0x0040_0000);
    let ram_origin = var("PQBENCH_FW_RAM_ORIGIN", 0x2000_0000);
    let ram_len = var("PQBENCH_FW_RAM_LEN", 0x0040_0000);
    let stack_len = var("PQBENCH_FW_STACK_LEN", 0x0008_0000);
    println!("cargo:rerun-if-env-changed=PQBENCH_FW_PROFILE");
    let profile = env::var("PQBENCH_FW_PROFILE").unwrap_or_else(|_| "mps2".to_string());
    assert!(
        stack_len + 4 * 1024 <= ram_len,
        "PQBENCH_FW_STACK_LEN ({stack_len}) leaves no room in RAM ({ram_len})"
    );
    let memory = format!(
        "MEMORY\n{{\n  FLASH : ORIGIN = {flash_origin:#x}, LENGTH = {flash_len:#x}\n  \
         PSTACK : ORIGIN = {ram_origin:#x}, LENGTH = {stack_len:#x}\n  \
         RAM : ORIGIN = {:#x}, LENGTH = {:#x}\n}}\n\
         _pstack_bottom = ORIGIN(PSTACK);\n_pstack_top = ORIGIN(PSTACK) + LENGTH(PSTACK);\n",
        ram_origin + stack_len,
        ram_len - stack_len
    );
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("memory.x"), memory).expect("write memory.x");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rustc-env=PQBENCH_FW_PROFILE={profile}");
    println!("cargo:rerun-if-changed=build.rs");

    // The UART of `link-uart` builds (defaults: CMSDK UART0 of the MPS2
    // boards, 115200 baud from 25 MHz).
    let uart_base = var("PQBENCH_FW_UART_BASE", 0x4000_4000);
    let uart_div = var("PQBENCH_FW_UART_BAUDDIV", 25_000_000 / 115_200);
    assert!(
        uart_div >= 16,
        "PQBENCH_FW_UART_BAUDDIV ({uart_div}) is below the CMSDK UART's minimum of 16"
    );
    fs::write(
        out.join("uart.rs"),
        format!(
            "/// Base address of the UART.\npub const BASE: usize = {uart_base:#x};\n\
             /// Baud-rate divider (UART clock / baud).\npub const BAUDDIV: u32 = {uart_div};\n"
        ),
    )
    .expect("write uart.rs");

    // PQClean's C for the `*-pqclean` workload families.
    pqclean::build(&out);

    // Features of this build, for the hello message.
    let mut features: Vec<String> = env::vars()
        .filter_map(|(k, _)| {
            k.strip_prefix("CARGO_FEATURE_")
                .map(|f| f.to_lowercase().replace('_', "-"))
        })
        .filter(|f| f != "default")
        .collect();
    features.sort();
    println!("cargo:rustc-env=PQBENCH_FW_FEATURES={}", features.join(","));

    // Architecture profile, for code that differs between v6-M, v7-M and v8-M.
    let target = env::var("TARGET").unwrap_or_default();
    println!("cargo::rustc-check-cfg=cfg(armv6m)");
    println!("cargo::rustc-check-cfg=cfg(armv8m)");
    if target.starts_with("thumbv6m") {
        println!("cargo:rustc-cfg=armv6m");
    }
    if target.starts_with("thumbv8m") {
        println!("cargo:rustc-cfg=armv8m");
    }
}
