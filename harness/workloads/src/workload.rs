//! The workload contract shared by the host engine and the firmware.

use crate::BenchId;
use alloc::vec::Vec;

/// Work done by one operation, to turn latency into throughput.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Throughput {
    /// Bytes processed per operation.
    Bytes(u64),
    /// Elements (messages, keys, inferences…) processed per operation.
    Elements(u64),
}

/// A number known without running the operation: key, ciphertext or
/// signature size, table size, and so on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaticMetric {
    /// Metric name, `snake_case`, e.g. `public_key_bytes`.
    pub name: &'static str,
    /// The value.
    pub value: u64,
    /// Unit of the value, e.g. `bytes`.
    pub unit: &'static str,
}

/// One benchmark: inputs built from a seed outside the timed region, then an
/// operation the engine times as often as it likes.
///
/// The engine calls [`setup`](Workload::setup) once per process (untimed),
/// then [`run`](Workload::run) many times. `run` must be repeatable: it may
/// consume randomness from state built in `setup` (e.g. fresh encapsulation
/// randomness), but must not depend on anything outside the workload.
/// Implementations pass their outputs through [`core::hint::black_box`] so
/// that the optimiser cannot delete the work.
pub trait Workload: Send {
    /// The stable identifier `suite/name/implementation/params`.
    fn id(&self) -> BenchId;

    /// Builds inputs deterministically from `seed`. Not timed.
    fn setup(&mut self, seed: u64);

    /// Performs the timed operation once.
    fn run(&mut self);

    /// Work per operation, if meaningful.
    fn throughput(&self) -> Option<Throughput> {
        None
    }

    /// Sizes and other static facts. May be called before or after `setup`.
    fn static_metrics(&self) -> Vec<StaticMetric> {
        Vec::new()
    }

    /// Why this workload cannot run here (e.g. an input that must be fetched
    /// first), checked before `setup`; `None` (the default) when it can.
    fn unavailable(&self) -> Option<alloc::string::String> {
        None
    }
}
