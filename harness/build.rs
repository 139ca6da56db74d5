//! Records build facts for the environment block of results files:
//! rustc version, profile, optimisation level, target triple, features.

use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(&rustc)
        .arg("-V")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!("cargo:rustc-env=PQBENCH_RUSTC_VERSION={version}");
    for (key, var) in [
        ("PQBENCH_PROFILE", "PROFILE"),
        ("PQBENCH_OPT_LEVEL", "OPT_LEVEL"),
        ("PQBENCH_TARGET", "TARGET"),
        ("PQBENCH_DEBUG", "DEBUG"),
    ] {
        println!(
            "cargo:rustc-env={key}={}",
            std::env::var(var).unwrap_or_default()
        );
    }
    let mut features: Vec<String> = std::env::vars()
        .filter_map(|(k, _)| {
            k.strip_prefix("CARGO_FEATURE_")
                .map(|f| f.to_lowercase().replace('_', "-"))
        })
        .collect();
    features.sort();
    println!("cargo:rustc-env=PQBENCH_FEATURES={}", features.join(","));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");
}
