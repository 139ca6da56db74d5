//! Runs workloads on one board: build the firmware, boot it, calibrate the
//! counter, list, then run each workload in a fresh session (a new QEMU
//! process or a board reset) so that a hang or crash costs only that
//! workload, and every sample already received is kept.

use crate::Error;
use crate::board::{Board, TransportKind};
use crate::firmware::{self, Image};
use crate::session::{BoardInfo, RunRecord, Session, WorkloadInfo};
use crate::transport::{QemuTransport, Transport};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// How to run.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// Timed operations per session.
    pub iterations: u32,
    /// Sessions (fresh boots) per workload.
    pub repetitions: u32,
    /// Seed for the workloads' inputs.
    pub seed: u64,
    /// Longest a workload's session may take before it is stopped.
    pub timeout: Duration,
    /// Longest a boot (up to the firmware's hello) may take.
    pub boot_timeout: Duration,
    /// Also build one image per workload family to measure code size.
    pub code_size: bool,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            iterations: 5,
            repetitions: 1,
            seed: 1,
            timeout: Duration::from_secs(120),
            boot_timeout: Duration::from_secs(10),
            code_size: true,
        }
    }
}

/// How a workload's measurement ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// All sessions finished.
    Ok,
    /// The workload does not fit the board (heap or stack), with numbers.
    DoesNotFit(String),
    /// A timeout, crash, corrupted frame or firmware error.
    Failed(String),
}

/// A workload measured on a board.
#[derive(Clone, Debug)]
pub struct Measured {
    /// The workload.
    pub info: WorkloadInfo,
    /// One record per session, in order (kept even when the session failed).
    pub sessions: Vec<RunRecord>,
    /// How it ended.
    pub outcome: Outcome,
    /// Flash bytes of the workload's family (family image minus empty image).
    pub code_size: Option<u64>,
}

/// A board with its firmware built and its counter calibrated.
pub struct Prepared {
    /// The board.
    pub board: Board,
    /// The firmware image.
    pub image: Image,
    /// What the firmware said at boot.
    pub info: BoardInfo,
    /// The firmware's workloads.
    pub workloads: Vec<WorkloadInfo>,
    /// Calibration: (instructions by construction, ticks).
    pub calibration: (u64, u64),
    code_sizes: BTreeMap<String, u64>,
}

/// Starts a session with `board` running `elf`.
pub fn connect(board: &Board, elf: &std::path::Path) -> Result<Box<dyn Transport>, Error> {
    match board.transport {
        TransportKind::Qemu => {
            let q = board.qemu.as_ref().ok_or_else(|| {
                Error::Hardware(format!("board {} has no [qemu] settings", board.name))
            })?;
            Ok(Box::new(QemuTransport::start(
                &q.machine,
                q.cpu.as_deref(),
                elf,
            )?))
        }
        TransportKind::ProbeRtt => crate::probe::connect(board, elf),
    }
}

/// The firmware family (cargo feature) a workload id belongs to.
pub fn family_of(id: &str) -> &'static str {
    let mut parts = id.split('/');
    let suite = parts.next().unwrap_or("");
    let name = parts.next().unwrap_or("");
    match suite {
        "pqc" if name.starts_with("ml-kem") => "mlkem",
        "pqc" if name.starts_with("ml-dsa") => "mldsa",
        "pqc" if name.starts_with("slh-dsa") => "slhdsa",
        "classical" => "classical",
        "hash" => "hash",
        "detect" => "detect",
        "test" => "test-faults",
        _ => "other",
    }
}

/// Firmware families needed for the given suites (empty = every family).
pub fn families_for_suites(suites: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for s in suites {
        let fams: &[&str] = match s.as_str() {
            "pqc" => &["mlkem", "mldsa", "slhdsa"],
            "classical" => &["classical"],
            "hash" => &["hash"],
            "detect" => &["detect"],
            "test" => &["test-faults"],
            _ => &[],
        };
        out.extend(fams.iter().map(|f| f.to_string()));
    }
    out
}

impl Prepared {
    /// Builds the firmware for `board` with the `families` asked for (empty
    /// = all the board has), boots it once, calibrates and lists.
    pub fn new(board: Board, families: &BTreeSet<String>, cfg: &RunConfig) -> Result<Self, Error> {
        let features = firmware::features_for(&board, families);
        let image = firmware::build(&board, &features)?;
        let mut session = Session::new(connect(&board, &image.elf)?);
        let info = session.hello(cfg.boot_timeout)?;
        let calibration = session.calibrate(100_000, cfg.boot_timeout)?;
        let workloads = session.list(cfg.boot_timeout)?;
        session.shutdown();
        let mut p = Prepared {
            board,
            image,
            info,
            workloads,
            calibration,
            code_sizes: BTreeMap::new(),
        };
        if cfg.code_size {
            p.measure_code_sizes()?;
        }
        Ok(p)
    }

    /// Instructions per counter tick measured by the calibration loop.
    pub fn measured_instructions_per_tick(&self) -> f64 {
        let (instr, ticks) = self.calibration;
        instr as f64 / ticks.max(1) as f64
    }

    /// Flash bytes per family: an image with only that family minus an image
    /// with none.
    fn measure_code_sizes(&mut self) -> Result<(), Error> {
        let base_features =
            firmware::features_for(&self.board, &BTreeSet::from(["none".to_string()]));
        let empty = firmware::build(&self.board, &base_features)?;
        let fams: BTreeSet<&str> = self.workloads.iter().map(|w| family_of(&w.id)).collect();
        for fam in fams {
            let want = BTreeSet::from([fam.to_string()]);
            let features = firmware::features_for(&self.board, &want);
            if features == base_features {
                continue;
            }
            let img = firmware::build(&self.board, &features)?;
            self.code_sizes.insert(
                fam.to_string(),
                img.size.flash_code.saturating_sub(empty.size.flash_code),
            );
        }
        Ok(())
    }

    /// Measures one workload: `cfg.repetitions` fresh sessions of
    /// `cfg.iterations` operations. Never fails as a whole: what went wrong
    /// is in the [`Outcome`], and the samples received are kept.
    pub fn measure(&self, w: &WorkloadInfo, cfg: &RunConfig) -> Measured {
        let mut m = Measured {
            info: w.clone(),
            sessions: Vec::new(),
            outcome: Outcome::Ok,
            code_size: self.code_sizes.get(family_of(&w.id)).copied(),
        };
        for _ in 0..cfg.repetitions.max(1) {
            let mut record = RunRecord::default();
            let result = self.one_session(w, cfg, &mut record);
            let outcome = match result {
                Err(e) => Outcome::Failed(e.to_string()),
                Ok(()) => match &record.board_error {
                    Some(be) if be.code.is_does_not_fit() => {
                        Outcome::DoesNotFit(be.message.clone())
                    }
                    Some(be) => {
                        Outcome::Failed(format!("firmware error {:?}: {}", be.code, be.message))
                    }
                    None if !record.corrupted_frames.is_empty() => Outcome::Failed(format!(
                        "{} corrupted frame(s) from the board, samples in them lost: {}",
                        record.corrupted_frames.len(),
                        record.corrupted_frames.join("; ")
                    )),
                    None => Outcome::Ok,
                },
            };
            m.sessions.push(record);
            if outcome != Outcome::Ok {
                m.outcome = outcome;
                break;
            }
        }
        m
    }

    fn one_session(
        &self,
        w: &WorkloadInfo,
        cfg: &RunConfig,
        record: &mut RunRecord,
    ) -> Result<(), Error> {
        let mut session = Session::new(connect(&self.board, &self.image.elf)?);
        session.hello(cfg.boot_timeout)?;
        let r = session.run(w.index, cfg.seed, cfg.iterations, cfg.timeout, record);
        session.shutdown();
        r
    }
}
