//! pqbench inside any crate's `cargo bench`: the library API for
//! `harness = false` bench targets.
//!
//! ```toml
//! [dev-dependencies]
//! pqbench = { version = "0.1", default-features = false }
//!
//! [[bench]]
//! name = "speed"
//! harness = false
//! ```
//!
//! ```no_run
//! // benches/speed.rs
//! use pqbench::bench::{Bencher, Registry, Throughput, black_box};
//!
//! fn checksum(b: &mut Bencher) {
//!     let data = vec![7u8; 4096]; // setup: not timed
//!     b.throughput(Throughput::Bytes(4096));
//!     b.iter(|| black_box(&data).iter().map(|&x| u64::from(x)).sum::<u64>());
//! }
//!
//! fn sizes(r: &mut Registry) {
//!     for n in [64usize, 4096] {
//!         r.bench_with_param("fill", n, |b, &n| {
//!             let mut v = vec![0u8; n];
//!             b.iter(|| v.fill(black_box(1)));
//!         });
//!     }
//! }
//!
//! pqbench::main!(benches = [checksum], groups = [sizes]);
//! ```
//!
//! `cargo bench` measures every benchmark on pqbench's engine (the one of
//! `pqbench run`): each replication is a fresh process of the bench binary
//! (re-executed as `BINARY __worker --request JSON`, see [`backend`]) that
//! runs the function's setup, warms up, calibrates single-op or batch-mean
//! sampling from the clock's resolution, and samples within its share of
//! `--bench-time`; the results file (format v1, HDR histograms) goes to
//! `target/pqbench/runs/TARGET.json`. libtest's conventions hold (`FILTER`,
//! `--exact`, `--skip`, `--list`, `--quiet`, `--color`; see [`args`]), and
//! `cargo test --benches` runs each benchmark once. `--save-baseline NAME`
//! and `--baseline NAME` store and gate against named baselines
//! ([`baseline`], [`gate`]); `--baseline NAME --paired` runs the executable
//! saved with the baseline and this build side by side, taking samples in
//! turn ([`lockstep`]), so drift between two runs cannot pass for a change.
//!
//! With `default-features = false` this pulls in the engine only: no
//! workloads, PQC crates, C builds, CLI or plotting.

pub mod args;
pub mod backend;
pub mod baseline;
mod bencher;
pub mod gate;
pub mod lockstep;
mod paired;
mod registry;
mod run;

pub use bencher::{Bencher, Throughput};
pub use registry::{Origin, Registry};
pub use run::{DEFAULT_BENCH_TIME, run_main};
pub use std::hint::black_box;

/// The last `::` segment of a stringified path (the benchmark name of a
/// function given to [`crate::main!`]).
#[doc(hidden)]
pub fn __name_of(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path).trim()
}

/// Defines `main` for a `harness = false` bench target.
///
/// * `pqbench::main!(f, g);` registers the functions `fn(&mut Bencher)`
///   `f` and `g`, named after themselves;
/// * `pqbench::main!(groups = [r]);` calls the registration functions
///   `fn(&mut Registry)` (parameters, computed names);
/// * `pqbench::main!(benches = [f, g], groups = [r]);` does both.
///
/// ```no_run
/// use pqbench::bench::{Bencher, black_box};
/// fn sum(b: &mut Bencher) {
///     b.iter(|| black_box(2u64) + 2)
/// }
/// mod more {
///     pub fn product(b: &mut pqbench::bench::Bencher) {
///         b.iter(|| pqbench::bench::black_box(3u64) * 3)
///     }
/// }
/// pqbench::main!(sum, more::product); // named "sum" and "product"
/// ```
#[macro_export]
macro_rules! main {
    (benches = [$($f:path),* $(,)?] $(, groups = [$($g:path),* $(,)?])? $(,)?) => {
        fn main() -> ::std::process::ExitCode {
            let mut registry = $crate::__registry!();
            $( registry.bench($crate::bench::__name_of(stringify!($f)), $f); )*
            $($( $g(&mut registry); )*)?
            $crate::bench::run_main(registry)
        }
    };
    (groups = [$($g:path),* $(,)?] $(,)?) => {
        $crate::main!(benches = [], groups = [$($g),*]);
    };
    ($($f:path),+ $(,)?) => {
        $crate::main!(benches = [$($f),+]);
    };
}

/// The registry of the bench target being compiled (cargo's names).
#[doc(hidden)]
#[macro_export]
macro_rules! __registry {
    () => {
        $crate::bench::Registry::new($crate::bench::Origin {
            target: env!("CARGO_CRATE_NAME").to_string(),
            package: env!("CARGO_PKG_NAME").to_string(),
        })
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_of_paths() {
        assert_eq!(super::__name_of("checksum"), "checksum");
        assert_eq!(super::__name_of("benches :: parse :: json"), "json");
    }
}
