//! The protocol loop: answer hello, list and run requests from the host.

use crate::faults::CURRENT;
use crate::{counter, heap, link, stack, workloads};
use core::sync::atomic::Ordering;
use pqbench_protocol::message::throughput;
use pqbench_protocol::{ErrorCode, FrameDecoder, Message, PROTOCOL_VERSION, message::NO_INDEX};
use pqbench_workloads::Throughput;

/// Memory profile the firmware was linked for (board family).
const PROFILE: &str = env!("PQBENCH_FW_PROFILE");

fn hello() {
    link::send(&Message::BoardHello {
        version: PROTOCOL_VERSION,
        counter: counter::KIND,
        clock_hz: 0,
        workloads: workloads::count() as u16,
        stack_bytes: (stack::top() - stack::bottom()) as u32,
        heap_bytes: heap::size() as u32,
        board: PROFILE,
        features: workloads::FEATURES,
    });
}

fn error(code: ErrorCode, index: u16, message: &str) {
    link::send(&Message::Error {
        code,
        index,
        message,
    });
}

/// Entry of thread mode on the process stack.
pub extern "C" fn run() -> ! {
    hello();
    let mut dec = FrameDecoder::new();
    loop {
        let byte = link::read_byte();
        match dec.push(byte) {
            None => {}
            Some(Err(e)) => {
                let mut t = crate::faults::Text::new();
                let _ = core::fmt::Write::write_fmt(&mut t, format_args!("{e}"));
                error(ErrorCode::BadFrame, NO_INDEX, t.as_str());
            }
            Some(Ok(payload)) => match Message::decode(payload) {
                Ok(msg) => handle(msg),
                Err(e) => {
                    let mut t = crate::faults::Text::new();
                    let _ = core::fmt::Write::write_fmt(&mut t, format_args!("{e}"));
                    error(ErrorCode::BadRequest, NO_INDEX, t.as_str());
                }
            },
        }
    }
}

fn handle(msg: Message<'_>) {
    match msg {
        Message::HostHello { version } if version != PROTOCOL_VERSION => {
            let mut t = crate::faults::Text::new();
            let _ = core::fmt::Write::write_fmt(
                &mut t,
                format_args!(
                    "firmware speaks protocol version {PROTOCOL_VERSION}, host speaks {version}: rebuild the firmware"
                ),
            );
            error(ErrorCode::VersionMismatch, NO_INDEX, t.as_str());
        }
        Message::HostHello { .. } => hello(),
        Message::List => list(),
        Message::Run {
            index,
            seed,
            iterations,
        } => run_workload(index, seed, iterations),
        Message::Calibrate { loops } => {
            let (instructions, ticks) = counter::calibrate(loops);
            link::send(&Message::CalibrateDone {
                loops,
                instructions,
                ticks,
            });
        }
        Message::Shutdown => link::exit(0),
        _ => error(ErrorCode::BadRequest, NO_INDEX, "unexpected message"),
    }
}

fn list() {
    let all = workloads::all();
    for (i, w) in all.iter().enumerate() {
        let (kind, per_op) = match w.throughput() {
            None => (throughput::NONE, 0),
            Some(Throughput::Bytes(n)) => (throughput::BYTES, n),
            Some(Throughput::Elements(n)) => (throughput::ELEMENTS, n),
        };
        let id = alloc::string::ToString::to_string(&w.id());
        link::send(&Message::WorkloadInfo {
            index: i as u16,
            id: &id,
            throughput_kind: kind,
            throughput: per_op,
        });
    }
    link::send(&Message::ListEnd {
        count: all.len() as u16,
    });
}

/// Ticks of an empty timed region (the least of a few tries).
fn timer_overhead() -> u64 {
    let mut best = u64::MAX;
    for _ in 0..8 {
        counter::rephase();
        let t0 = counter::now();
        let t1 = counter::now();
        best = best.min(t1 - t0);
    }
    best
}

fn run_workload(index: u16, seed: u64, iterations: u32) {
    let Some(mut w) = workloads::take(index as usize) else {
        error(
            ErrorCode::UnknownWorkload,
            index,
            "no workload with that index",
        );
        return;
    };
    CURRENT.store(index, Ordering::Relaxed);
    heap::reset_peak();
    let heap_base = heap::used();

    let base = stack::paint();
    w.setup(seed);
    let stack_setup = stack::used_below(base);

    for m in w.static_metrics() {
        link::send(&Message::Metric {
            index,
            name: m.name,
            value: m.value,
            unit: m.unit,
        });
    }

    let overhead = timer_overhead();
    let mut stack_run = 0u32;
    let mut stack_call: Option<u32> = None;
    for i in 0..iterations {
        stack::clear_call();
        let base = stack::paint();
        counter::rephase();
        let t0 = counter::now();
        w.run();
        let t1 = counter::now();
        stack_run = stack_run.max(stack::used_below(base));
        if let Some(c) = stack::used_below_call(base) {
            stack_call = Some(stack_call.unwrap_or(0).max(c));
        }
        link::send(&Message::Sample {
            index,
            iteration: i,
            ticks: (t1 - t0).saturating_sub(overhead),
        });
    }
    if let Some(bytes) = stack_call {
        // pqm4's definition: from the stack pointer at the call of the
        // scheme's function (see `stack::mark_call`).
        link::send(&Message::Metric {
            index,
            name: "stack_call_bytes",
            value: u64::from(bytes),
            unit: "bytes",
        });
    }
    let heap_peak = heap::peak().saturating_sub(heap_base);
    drop(w);
    CURRENT.store(NO_INDEX, Ordering::Relaxed);
    link::send(&Message::RunDone {
        index,
        stack_setup_bytes: stack_setup,
        stack_run_bytes: stack_run,
        heap_peak_bytes: heap_peak as u32,
        timer_overhead_ticks: overhead as u32,
    });
}
