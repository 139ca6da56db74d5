//! Cortex-M back ends: QEMU-emulated boards (`qemu:<board>`, unit
//! `instructions`) and real boards through a debug probe or a serial port
//! (`board:<id>`, `board:<id>@<port>`; unit `cycles`), via `pqbench-targets`.
//!
//! Each replication of a workload is one fresh session (a new QEMU process
//! or a board reset), so a hang or crash costs only that workload; what was
//! measured before is kept. The firmware is built and booted once per run
//! (for listing); raising the cancel token kills a QEMU session at once. Knobs (environment): `PQBENCH_CORTEXM_ITERATIONS` (timed operations
//! per session, default 5), `PQBENCH_CORTEXM_TIMEOUT` (seconds per workload
//! session, default 30 x `--bench-time`, at least 120), `PQBENCH_CORTEXM_CODE_SIZE=0` (skip code size:
//! the call-graph attribution, and the extra images it may need), `PQBENCH_CORTEXM_FAMILIES` (firmware
//! families to build, e.g. `hash,mlkem`; default: those of the suites).

use crate::results::{
    BenchResult, Metric, ProcessSamples, Recording, Status, ThroughputSpec, Unit,
};
use crate::runner::{Backend, Bench, Listing, Outcome, Replication, RunPlan, Target};
use pqbench_targets::Board;
use pqbench_targets::board::TransportKind;
use pqbench_targets::runner::{self, Prepared, RunConfig};
use pqbench_targets::session::RunRecord;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A workload's sessions, ready to become a result.
struct Measured {
    info: pqbench_targets::session::WorkloadInfo,
    sessions: Vec<RunRecord>,
    status: Status,
    code_size: Option<pqbench_targets::CodeSize>,
}

/// Suites a Cortex-M target runs when none are given.
pub const DEFAULT_SUITES: [&str; 3] = ["hash", "pqc", "classical"];

/// A Cortex-M board, emulated or real.
pub struct CortexM {
    board: Board,
    /// The firmware built and booted for a set of families (`list` and `run`
    /// share it).
    prepared: Mutex<Option<(BTreeSet<String>, Arc<Prepared>)>>,
    /// The firmware and configuration of the run in progress.
    running: Option<(Arc<Prepared>, RunConfig)>,
}

/// A QEMU-emulated board.
pub fn qemu_backend(board: &str) -> anyhow::Result<Box<dyn Target>> {
    let b = pqbench_targets::board::find(board)?;
    if b.transport != TransportKind::Qemu {
        anyhow::bail!(
            "{board} is a real board, not an emulated one: use --target board:{board} (emulated boards: {})",
            emulated_names()
        );
    }
    Ok(Box::new(CortexM {
        board: b,
        prepared: Mutex::new(None),
        running: None,
    }))
}

/// A real board, attached through a debug probe or a serial port:
/// `<name>` or, for serial boards, `<name>@<port>` (e.g.
/// `nucleo@/dev/ttyACM1`; otherwise `PQBENCH_SERIAL_PORT`, then the board
/// file's `serial.port`).
pub fn board_backend(spec: &str) -> anyhow::Result<Box<dyn Target>> {
    let (board, port) = match spec.split_once('@') {
        Some((b, p)) => (b, Some(p)),
        None => (spec, None),
    };
    let mut b = pqbench_targets::board::find(board)?;
    if b.transport == TransportKind::Qemu {
        anyhow::bail!("{board} is an emulated board: use --target qemu:{board}");
    }
    if let Some(port) = port {
        match b.serial.as_mut() {
            Some(s) if b.transport == TransportKind::Serial && !port.is_empty() => {
                s.port_override = Some(port.to_string());
            }
            _ => anyhow::bail!(
                "--target board:{spec}: only boards reached over a serial port take @<port>, and it must not be empty; {board} uses transport {:?}",
                b.transport
            ),
        }
    }
    Ok(Box::new(CortexM {
        board: b,
        prepared: Mutex::new(None),
        running: None,
    }))
}

fn emulated_names() -> String {
    pqbench_targets::board::all()
        .map(|all| {
            all.into_iter()
                .filter(|b| b.transport == TransportKind::Qemu)
                .map(|b| b.name)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// The run configuration of one session for `plan` (see the module doc for
/// the knobs); the runner owns the replication loop, so `repetitions` is 1.
pub fn config(plan: &RunPlan) -> RunConfig {
    let iterations = env_u64("PQBENCH_CORTEXM_ITERATIONS").unwrap_or(5).max(1);
    let cap = plan.max_samples.max(1) as u64;
    RunConfig {
        iterations: iterations.min(cap).min(u64::from(u32::MAX)) as u32,
        repetitions: 1,
        seed: plan.seed,
        timeout: Duration::from_secs(
            env_u64("PQBENCH_CORTEXM_TIMEOUT")
                .unwrap_or_else(|| (30 * plan.bench_budget.as_secs()).max(120))
                .max(1),
        ),
        boot_timeout: Duration::from_secs(20),
        code_size: std::env::var("PQBENCH_CORTEXM_CODE_SIZE").map_or(true, |v| v != "0"),
    }
}

fn suites(plan: &RunPlan) -> Vec<String> {
    if plan.suites.is_empty() {
        DEFAULT_SUITES.iter().map(|s| s.to_string()).collect()
    } else {
        plan.suites.clone()
    }
}

/// Firmware families to build: `PQBENCH_CORTEXM_FAMILIES` (comma-separated
/// cargo features of the firmware, e.g. `hash,mlkem`) or those of the suites.
fn families(plan: &RunPlan) -> BTreeSet<String> {
    match std::env::var("PQBENCH_CORTEXM_FAMILIES") {
        Ok(v) if !v.trim().is_empty() => v
            .split(',')
            .map(|f| f.trim().to_string())
            .filter(|f| !f.is_empty())
            .collect(),
        _ => runner::families_for_suites(&suites(plan)),
    }
}

impl CortexM {
    fn unit(&self) -> Unit {
        if self.board.unit_is_instructions() {
            Unit::Instructions
        } else {
            Unit::Cycles
        }
    }

    /// Builds, boots and calibrates once per set of families.
    fn firmware(&self, plan: &RunPlan) -> anyhow::Result<Arc<Prepared>> {
        let families = families(plan);
        let mut guard = self
            .prepared
            .lock()
            .map_err(|_| anyhow::anyhow!("board state poisoned by an earlier panic"))?;
        if let Some((f, p)) = guard.as_ref()
            && *f == families
        {
            return Ok(Arc::clone(p));
        }
        let cfg = config(plan);
        eprintln!(
            "{}: building firmware ({}) and booting it…",
            self.board.target_spec(),
            self.board.triple
        );
        let p = Arc::new(Prepared::new(self.board.clone(), &families, &cfg)?);
        *guard = Some((families, Arc::clone(&p)));
        Ok(p)
    }

    /// Multiplier from counter ticks to the result unit, and a warning when
    /// the calibration loop disagrees with the board file.
    fn scale(&self, p: &Prepared) -> (f64, Option<String>) {
        if !self.board.unit_is_instructions() {
            return (1.0, None);
        }
        let declared = self.board.instructions_per_tick();
        let measured = p.measured_instructions_per_tick();
        if (measured - declared).abs() / declared > 0.01 {
            (
                measured,
                Some(format!(
                    "calibration loop measured {measured:.3} instructions per tick, the board file implies {declared:.3}; using the measured value"
                )),
            )
        } else {
            (declared, None)
        }
    }

    fn to_result(
        &self,
        p: &Prepared,
        m: Measured,
        bench: &Bench<'_>,
        cfg: &RunConfig,
    ) -> BenchResult {
        let id = m.info.id.clone();
        let target = self.board.target_spec();
        let unit = self.unit();
        let (scale, warning) = self.scale(p);
        let processes: Vec<ProcessSamples> = m
            .sessions
            .iter()
            .filter(|s| !s.ticks.is_empty())
            .map(|s| ProcessSamples {
                samples: s.ticks.iter().map(|&t| t as f64 * scale).collect(),
            })
            .collect();
        let status = m.status.clone();
        let mut r = if processes.is_empty() {
            BenchResult::not_ok(id.clone(), target.clone(), unit, status.clone())
        } else {
            match BenchResult::measured(
                id.clone(),
                target.clone(),
                unit,
                Recording::SingleOp,
                1,
                processes,
            ) {
                Ok(mut r) => {
                    // Samples received before a failure are kept, but the
                    // result says it did not finish.
                    r.status = status.clone();
                    r
                }
                Err(e) => BenchResult::not_ok(
                    id.clone(),
                    target.clone(),
                    unit,
                    Status::Failed {
                        message: e.to_string(),
                    },
                ),
            }
        };
        r.throughput = match m.info.throughput_kind {
            1 => Some(ThroughputSpec::Bytes(m.info.throughput)),
            2 => Some(ThroughputSpec::Elements(m.info.throughput)),
            _ => None,
        };
        let bytes = |v: u64| Metric {
            value: v as f64,
            unit: "bytes".into(),
        };
        let done: Vec<_> = m.sessions.iter().filter_map(|s| s.done).collect();
        if !done.is_empty() {
            let max = |f: fn(&pqbench_targets::session::RunDone) -> u32| {
                done.iter().map(f).max().map(u64::from).unwrap_or(0)
            };
            r.static_metrics.insert(
                "stack_setup_bytes".into(),
                bytes(max(|d| d.stack_setup_bytes)),
            );
            r.static_metrics
                .insert("stack_bytes".into(), bytes(max(|d| d.stack_run_bytes)));
            r.static_metrics
                .insert("heap_peak_bytes".into(), bytes(max(|d| d.heap_peak_bytes)));
            let overhead = max(|d| d.timer_overhead_ticks) as f64 * scale;
            r.timer = Some(crate::results::TimerInfo {
                overhead,
                resolution: scale,
                ..Default::default()
            });
        }
        if let Some(cs) = m.code_size {
            r.static_metrics
                .insert("code_size_bytes".into(), bytes(cs.bytes));
            if let Some(run) = cs.run_bytes {
                r.static_metrics
                    .insert("code_size_run_bytes".into(), bytes(run));
            }
            r.details
                .insert("code_size_method".into(), cs.method.into());
        }
        r.static_metrics.insert(
            "firmware_flash_bytes".into(),
            bytes(p.image.size.flash_code + p.image.size.data),
        );
        if let Some(s) = m.sessions.first() {
            for (name, value, unit) in &s.metrics {
                r.static_metrics.insert(
                    name.clone(),
                    Metric {
                        value: *value as f64,
                        unit: unit.clone(),
                    },
                );
            }
        }
        let d = &mut r.details;
        if r.static_metrics.contains_key("code_size_text_bytes") {
            let m = pqbench_targets::codesize::OBJECTS_METHOD;
            d.insert("code_size_objects_method".into(), m.into());
        }
        if r.static_metrics.contains_key("stack_call_bytes") {
            let m = pqbench_targets::codesize::STACK_CALL_METHOD;
            d.insert("stack_call_method".into(), m.into());
        }
        d.insert("board".into(), self.board.name.clone().into());
        d.insert("core".into(), self.board.core.clone().into());
        d.insert("triple".into(), self.board.triple.clone().into());
        d.insert("clock_hz".into(), self.board.clock_hz.into());
        if let Some(q) = &self.board.qemu {
            d.insert("qemu_machine".into(), q.machine.clone().into());
            d.insert(
                "counting".into(),
                "SysTick ticks under qemu -icount shift=0, converted to instructions".into(),
            );
        } else {
            d.insert(
                "counting".into(),
                format!("{:?} counter, cycles", self.board.counter).into(),
            );
        }
        d.insert("ticks_to_unit".into(), scale.into());
        d.insert(
            "calibration_instructions_per_tick".into(),
            p.measured_instructions_per_tick().into(),
        );
        if let Some(w) = warning {
            d.insert("warning".into(), w.into());
        }
        d.insert("firmware_features".into(), p.info.features.clone().into());
        d.insert("firmware_stack_bytes".into(), p.info.stack_bytes.into());
        d.insert("firmware_heap_bytes".into(), p.info.heap_bytes.into());
        d.insert("seed".into(), bench.seed.into());
        d.insert("iterations_per_session".into(), cfg.iterations.into());
        let per: Vec<serde_json::Value> = m
            .sessions
            .iter()
            .map(|s| {
                serde_json::json!({
                    "session": "fresh QEMU launch or board reset",
                    "samples": s.ticks.len(),
                    "run": s.done.map(|d| serde_json::json!({
                        "stack_setup_bytes": d.stack_setup_bytes,
                        "stack_run_bytes": d.stack_run_bytes,
                        "heap_peak_bytes": d.heap_peak_bytes,
                        "timer_overhead_ticks": d.timer_overhead_ticks,
                    })),
                })
            })
            .collect();
        d.insert("per_process".into(), per.into());
        d.insert("sessions".into(), (m.sessions.len() as u64).into());
        let corrupted: Vec<String> = m
            .sessions
            .iter()
            .flat_map(|s| s.corrupted_frames.clone())
            .collect();
        if !corrupted.is_empty() {
            d.insert("corrupted_frames".into(), corrupted.into());
        }
        if self.board.core == "cortex-m4"
            && let Some(a) = crate::report::anchors::pqm4_m4_for_id(&id)
        {
            d.insert("published_anchor".into(), a);
        }
        r
    }
}

impl Backend for CortexM {
    type Replica = RunRecord;

    fn name(&self) -> String {
        self.board.target_spec()
    }

    /// QEMU instruction counts are deterministic: a second launch confirms
    /// that they repeat (a result whose launches differ is classified
    /// `varies` and compared statistically), so 2 replications suffice. Real
    /// boards' cycle counts can vary with caches and flash wait states: 5.
    fn default_replications(&self) -> u32 {
        if self.board.unit_is_instructions() {
            2
        } else {
            5
        }
    }

    fn list(&self, plan: &RunPlan) -> anyhow::Result<Vec<Listing>> {
        // Listing asks the firmware itself, so it needs a build and a boot.
        let mut plan2 = plan.clone();
        plan2.suites = suites(plan);
        let p = match self.firmware(&plan2) {
            Ok(p) => p,
            // Not fatal for a multi-target run: the target shows as
            // unavailable here, and `run` reports the error again.
            Err(e) => {
                // Say why now: a run whose only target this is would
                // otherwise end with "no benchmark matches".
                eprintln!("{}: unavailable: {e:#}", self.board.target_spec());
                return Ok(vec![Listing {
                    id: format!("{}/*", self.board.target_spec()),
                    unavailable: Some(format!("{e:#}")),
                }]);
            }
        };
        let defaults: Vec<&str> = DEFAULT_SUITES.to_vec();
        let heap = u64::from(p.info.heap_bytes);
        let mut out: Vec<Listing> = p
            .workloads
            .iter()
            .filter(|w| plan2.selects(&w.id, &defaults))
            .map(|w| Listing {
                id: w.id.clone(),
                unavailable: (w.throughput_kind == 1 && w.throughput > heap).then(|| {
                    format!(
                        "input of {} bytes exceeds the {heap}-byte heap of {}",
                        w.throughput, self.board.name
                    )
                }),
            })
            .collect();
        let built: BTreeSet<&str> = p
            .workloads
            .iter()
            .map(|w| runner::family_of(&w.id))
            .collect();
        for fam in families(&plan2) {
            if built.contains(fam.as_str()) || fam == "test-faults" {
                continue;
            }
            let why = format!(
                "not built for {}: its board file leaves family {fam} out (too large for its flash or RAM)",
                self.board.name
            );
            let id = match fam.as_str() {
                "mlkem" => "pqc/ml-kem.*".to_string(),
                "mlkem-pqclean" => "pqc/ml-kem.*/pqclean".to_string(),
                "mldsa-pqclean" => "pqc/ml-dsa.*/pqclean".to_string(),
                "mlkem-libcrux" => "pqc/ml-kem.*/libcrux".to_string(),
                "mldsa" => "pqc/ml-dsa.*".to_string(),
                "slhdsa" => "pqc/slh-dsa.*".to_string(),
                other => format!("{other}/*"),
            };
            out.push(Listing {
                id,
                unavailable: Some(why),
            });
        }
        Ok(out)
    }

    fn prepare(&mut self, plan: &RunPlan) -> anyhow::Result<Vec<String>> {
        let mut plan2 = plan.clone();
        plan2.suites = suites(plan);
        let defaults: Vec<&str> = DEFAULT_SUITES.to_vec();
        let p = self.firmware(&plan2)?;
        let ids = p
            .workloads
            .iter()
            .filter(|w| plan2.selects(&w.id, &defaults))
            .map(|w| w.id.clone())
            .collect();
        self.running = Some((p, config(plan)));
        Ok(ids)
    }

    fn replicate(&mut self, job: &Replication<'_, RunRecord>) -> Outcome<RunRecord> {
        let stop = |status| Outcome::Stopped {
            status,
            partial: None,
        };
        let Some((p, cfg)) = &self.running else {
            return stop(Status::Failed {
                message: "internal: Cortex-M target not prepared".into(),
            });
        };
        let Some(w) = p.workloads.iter().find(|w| w.id == job.id) else {
            return stop(Status::Failed {
                message: format!("the firmware has no workload {}", job.id),
            });
        };
        let heap = u64::from(p.info.heap_bytes);
        if w.throughput_kind == 1 && w.throughput > heap {
            // Known not to fit without booting: say so, with numbers.
            return stop(Status::DoesNotFit {
                message: format!(
                    "input of {} bytes exceeds the {heap}-byte heap of {}",
                    w.throughput, self.board.name
                ),
            });
        }
        let (record, outcome) = p.session(w, cfg, job.cancel.flag());
        let status = match outcome {
            runner::Outcome::Ok => return Outcome::Done(record),
            runner::Outcome::Cancelled => return Outcome::Cancelled,
            runner::Outcome::DoesNotFit(msg) => Status::DoesNotFit {
                message: format!(
                    "{msg} (board {}: {} bytes of RAM)",
                    self.board.name, self.board.memory.ram.length
                ),
            },
            runner::Outcome::Failed(message) => Status::Failed { message },
        };
        Outcome::Stopped {
            status,
            partial: Some(record),
        }
    }

    fn assemble(
        &mut self,
        bench: &Bench<'_>,
        replicas: Vec<RunRecord>,
        stopped: Option<Status>,
    ) -> BenchResult {
        let unit = self.unit();
        let Some((p, cfg)) = &self.running else {
            return crate::runner::backend::failed(
                bench.id,
                bench.target,
                unit,
                "internal: Cortex-M target not prepared".into(),
            );
        };
        let Some(info) = p.workloads.iter().find(|w| w.id == bench.id).cloned() else {
            return BenchResult::not_ok(
                bench.id.into(),
                bench.target.into(),
                unit,
                stopped.unwrap_or(Status::Failed {
                    message: format!("the firmware has no workload {}", bench.id),
                }),
            );
        };
        let m = Measured {
            code_size: p.code_size(&info.id),
            info,
            sessions: replicas,
            status: stopped.unwrap_or(Status::Ok),
        };
        self.to_result(p, m, bench, cfg)
    }
}
