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
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
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
    /// Measure code size per workload: from the call graph of the image
    /// (free when the run has no hash/detect workloads; otherwise one more
    /// image without them), plus a family image and an empty image for
    /// hash/detect (cached like every build).
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
    /// The caller's cancel flag was raised: the session was ended early
    /// and its samples must not be used.
    Cancelled,
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
    /// Code size of the workload, with the method.
    pub code_size: Option<CodeSize>,
}

/// A workload's code size and how it was measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeSize {
    /// Bytes attributed to the workload.
    pub bytes: u64,
    /// Bytes of its timed operation alone, when known.
    pub run_bytes: Option<u64>,
    /// What was measured (see [`crate::codesize::METHOD`] and
    /// [`FAMILY_IMAGE_METHOD`]).
    pub method: &'static str,
}

/// What a family-level code size measures (workloads of the
/// `pqbench-workloads` registry: hash, detect).
pub const FAMILY_IMAGE_METHOD: &str = "family image delta: flash (.vector_table+.text+.rodata) of an image with only this workload's family minus an image with none; one figure for the whole family (the hash and detect workloads come from the pqbench-workloads registry, which has no per-workload entry points)";

/// Families whose workloads come from the `pqbench-workloads` registry.
const REGISTRY_FAMILIES: [&str; 2] = ["hash", "detect"];

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
    code_sizes: BTreeMap<String, CodeSize>,
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
        TransportKind::Serial => crate::serial::connect(board),
    }
}

/// A serial board is not flashed by every run: check that the firmware
/// that answered is the image this run built (same features, same memory
/// profile), and say which image to put on the board when it is not.
fn check_image(board: &Board, image: &Image, info: &BoardInfo) -> Result<(), Error> {
    let running: BTreeSet<&str> = info.features.split(',').filter(|f| !f.is_empty()).collect();
    let wanted: BTreeSet<&str> = image.features.iter().map(String::as_str).collect();
    if running == wanted && info.profile == board.firmware_profile {
        return Ok(());
    }
    Err(Error::Hardware(format!(
        "board:{} runs pqbench firmware built for profile {:?} with features [{}], this run needs profile {:?} with [{}]: put {} on the board{}",
        board.name,
        info.profile,
        info.features,
        board.firmware_profile,
        image.features.join(","),
        image.elf.display(),
        if board.serial.as_ref().is_some_and(|s| s.flash.is_empty()) {
            " (its board file has no serial.flash command to do it)"
        } else {
            ""
        }
    )))
}

/// The firmware family (cargo feature) a workload id belongs to.
pub fn family_of(id: &str) -> &'static str {
    let mut parts = id.split('/');
    let suite = parts.next().unwrap_or("");
    let name = parts.next().unwrap_or("");
    let implementation = parts.next().unwrap_or("");
    match suite {
        "pqc" if name.starts_with("ml-kem") && implementation == "pqclean" => "mlkem-pqclean",
        "pqc" if name.starts_with("ml-dsa") && implementation == "pqclean" => "mldsa-pqclean",
        "pqc" if name.starts_with("ml-kem") && implementation == "libcrux" => "mlkem-libcrux",
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
            "pqc" => &[
                "mlkem",
                "mldsa",
                "slhdsa",
                "mlkem-pqclean",
                "mldsa-pqclean",
                "mlkem-libcrux",
            ],
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
        if board.transport == TransportKind::Serial {
            // Fail before a long firmware build when the board is not there.
            crate::serial::connect(&board)?.close();
        }
        let features = firmware::features_for(&board, families);
        let image = firmware::build(&board, &features)?;
        if board.transport == TransportKind::Serial {
            crate::serial::flash(&board, &image.elf)?;
        }
        let mut session = Session::new(connect(&board, &image.elf)?);
        let info = session.hello(cfg.boot_timeout)?;
        if board.transport == TransportKind::Serial {
            check_image(&board, &image, &info)?;
        }
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

    /// Code size per workload: call-graph attribution for the workloads
    /// implemented in the firmware (on an image without the registry's
    /// families, so their shared code is not taken for runtime), and the
    /// family-image delta for the registry's (hash, detect).
    fn measure_code_sizes(&mut self) -> Result<(), Error> {
        let fams: BTreeSet<&str> = self.workloads.iter().map(|w| family_of(&w.id)).collect();
        let native: BTreeSet<String> = fams
            .iter()
            .filter(|f| !REGISTRY_FAMILIES.contains(f) && **f != "other")
            .map(|f| f.to_string())
            .collect();
        if !native.is_empty() {
            let features = firmware::features_for(&self.board, &native);
            let img = if features == self.image.features {
                self.image.clone()
            } else {
                firmware::build(&self.board, &features)?
            };
            if let Some(per) = crate::codesize::per_constructor(&img.elf)? {
                let ws: Vec<&WorkloadInfo> = self
                    .workloads
                    .iter()
                    .filter(|w| native.contains(family_of(&w.id)))
                    .collect();
                if ws.len() != per.len() {
                    return Err(Error::Protocol(format!(
                        "{}: the workload table has {} entries, the firmware lists {} of its workloads",
                        img.elf.display(),
                        per.len(),
                        ws.len()
                    )));
                }
                for (w, c) in ws.into_iter().zip(per) {
                    self.code_sizes.insert(
                        w.id.clone(),
                        CodeSize {
                            bytes: c.bytes,
                            run_bytes: c.run_bytes,
                            method: crate::codesize::METHOD,
                        },
                    );
                }
            }
        }
        let registry: Vec<&str> = fams
            .iter()
            .copied()
            .filter(|f| REGISTRY_FAMILIES.contains(f))
            .collect();
        if registry.is_empty() {
            return Ok(());
        }
        let base_features =
            firmware::features_for(&self.board, &BTreeSet::from(["none".to_string()]));
        let empty = firmware::build(&self.board, &base_features)?;
        for fam in registry {
            let features = firmware::features_for(&self.board, &BTreeSet::from([fam.to_string()]));
            let img = firmware::build(&self.board, &features)?;
            let size = CodeSize {
                bytes: img.size.flash_code.saturating_sub(empty.size.flash_code),
                run_bytes: None,
                method: FAMILY_IMAGE_METHOD,
            };
            for w in self.workloads.iter().filter(|w| family_of(&w.id) == fam) {
                self.code_sizes.insert(w.id.clone(), size);
            }
        }
        Ok(())
    }

    /// Measures one workload: `cfg.repetitions` fresh sessions of
    /// `cfg.iterations` operations, one [`Prepared::session`] after the
    /// other, stopping at the first that does not end [`Outcome::Ok`]. Never
    /// fails as a whole: what went wrong is in the [`Outcome`], and the
    /// samples received are kept. (pqbench's runner calls
    /// [`Prepared::session`] itself, one per replication.)
    pub fn measure(&self, w: &WorkloadInfo, cfg: &RunConfig) -> Measured {
        let mut m = Measured {
            info: w.clone(),
            sessions: Vec::new(),
            outcome: Outcome::Ok,
            code_size: self.code_size(&w.id),
        };
        let never = Arc::new(AtomicBool::new(false));
        for _ in 0..cfg.repetitions.max(1) {
            let (record, outcome) = self.session(w, cfg, &never);
            m.sessions.push(record);
            if outcome != Outcome::Ok {
                m.outcome = outcome;
                break;
            }
        }
        m
    }

    /// Code size of workload `id`, when measured.
    pub fn code_size(&self, id: &str) -> Option<CodeSize> {
        self.code_sizes.get(id).copied()
    }

    /// One fresh session (a new QEMU process or a board reset) of
    /// `cfg.iterations` operations of `w`: the record (samples kept even when
    /// the session failed) and how it ended. Raising `cancel` ends a QEMU
    /// session within [`crate::transport::CANCEL_POLL`] (the emulator is
    /// killed) with [`Outcome::Cancelled`].
    pub fn session(
        &self,
        w: &WorkloadInfo,
        cfg: &RunConfig,
        cancel: &Arc<AtomicBool>,
    ) -> (RunRecord, Outcome) {
        let mut record = RunRecord::default();
        let result = self.one_session(w, cfg, cancel, &mut record);
        let outcome = match result {
            Err(Error::Cancelled { .. }) => Outcome::Cancelled,
            Err(e) => Outcome::Failed(e.to_string()),
            Ok(()) => match &record.board_error {
                Some(be) if be.code.is_does_not_fit() => Outcome::DoesNotFit(be.message.clone()),
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
        (record, outcome)
    }

    fn one_session(
        &self,
        w: &WorkloadInfo,
        cfg: &RunConfig,
        cancel: &Arc<AtomicBool>,
        record: &mut RunRecord,
    ) -> Result<(), Error> {
        let mut transport = connect(&self.board, &self.image.elf)?;
        transport.set_cancel(Arc::clone(cancel));
        let mut session = Session::new(transport);
        session.hello(cfg.boot_timeout)?;
        let r = session.run(w.index, cfg.seed, cfg.iterations, cfg.timeout, record);
        session.shutdown();
        r
    }
}
