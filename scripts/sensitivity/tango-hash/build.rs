//! tango loads the other build's benchmark binary as a shared object: the
//! bench executable must export its symbols.

fn main() {
    println!("cargo:rustc-link-arg-benches=-rdynamic");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SENS_TANGO_SLOWDOWN_PCT");
}
