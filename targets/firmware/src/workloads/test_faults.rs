//! Test-only workloads (feature `test-faults`) that break on purpose, so
//! the host's robustness paths are tested against real firmware in QEMU.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::hint::black_box;
use core::sync::atomic::Ordering;
use pqbench_workloads::{BenchId, Workload};

#[derive(Clone, Copy)]
enum Fault {
    /// `run` never returns.
    Hang,
    /// `run` recurses until the stack overflows.
    StackOverflow,
    /// `setup` allocates more than any board's heap.
    HeapExhaust,
    /// `run` is cheap, but its sample frame is corrupted on the wire.
    CorruptFrame,
}

struct FaultWorkload(Fault, u32);

#[inline(never)]
fn recurse(depth: u32) -> u32 {
    let buf = black_box([depth as u8; 256]);
    if black_box(depth) == u32::MAX {
        return buf[0] as u32;
    }
    recurse(depth + 1).wrapping_add(buf[(depth % 256) as usize] as u32)
}

impl Workload for FaultWorkload {
    fn id(&self) -> BenchId {
        let (name, params) = match self.0 {
            Fault::Hang => ("hang.loop", "forever"),
            Fault::StackOverflow => ("stack.overflow", "recursion"),
            Fault::HeapExhaust => ("heap.exhaust", "1GiB"),
            Fault::CorruptFrame => ("frame.corrupt", "sample"),
        };
        BenchId::new("test", name, "pqbench", params)
    }

    fn setup(&mut self, _seed: u64) {
        if let Fault::HeapExhaust = self.0 {
            let v: Vec<u8> = Vec::with_capacity(black_box(1 << 30));
            black_box(v);
        }
    }

    fn run(&mut self) {
        match self.0 {
            Fault::Hang => loop {
                black_box(());
            },
            Fault::StackOverflow => {
                black_box(recurse(0));
            }
            Fault::HeapExhaust => {}
            Fault::CorruptFrame => {
                // Only the first operation's sample frame is corrupted.
                if self.1 == 0 {
                    crate::link::CORRUPT_NEXT.store(true, Ordering::Relaxed);
                }
                self.1 += 1;
            }
        }
    }
}

/// Constructors of the fault workloads, in list order.
pub const CTORS: &[super::Ctor] = &[
    || -> Box<dyn Workload> { Box::new(FaultWorkload(Fault::Hang, 0)) },
    || -> Box<dyn Workload> { Box::new(FaultWorkload(Fault::StackOverflow, 0)) },
    || -> Box<dyn Workload> { Box::new(FaultWorkload(Fault::HeapExhaust, 0)) },
    || -> Box<dyn Workload> { Box::new(FaultWorkload(Fault::CorruptFrame, 0)) },
];
