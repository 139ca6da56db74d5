//! Per-replication code and data placement, and CPU pinning, of every
//! worker process pqbench spawns ([`super::repeat::watch_child`]: host and
//! TFLite workers, `cargo bench` workers, `ab` replications).
//!
//! Where a process's stack, heap and environment land moves its timings
//! by a fixed amount for the life of the process (Mytkowicz et al., *Producing
//! Wrong Data Without Doing Anything Obviously Wrong!*, ASPLOS 2009: the size
//! of the environment alone shifts the initial stack). A fixed layout is a
//! bias a replication test cannot see; a layout **drawn afresh for every
//! replication** turns it into replication noise that the replications
//! average out and that the test accounts for. Each spawned worker gets:
//!
//! * `env_pad`: an environment variable ([`PAD_VAR`]) of that many bytes,
//!   which shifts the initial stack (and everything the loader places from
//!   it) by a sub-page amount;
//! * `stack_pad`: bytes of stack the worker consumes before it sets up and
//!   measures its workload ([`with_stack_pad`]);
//! * `heap_pad`: bytes the worker allocates (and keeps) before the
//!   workload builds its inputs.
//!
//! The draws come from the run's seed and the worker's sequence number in
//! the run, so the same command with the same seed gives the same
//! placements; the worker reports what it applied and the results file
//! records it per replication (`details.per_process[].placement`).
//! Off by default (`run --placement fixed`): turn it on with
//! `--placement random` (`run`, `ab --in-process`).
//!
//! Pinning (`--pin CPU`) restricts each spawned process to one CPU with
//! `sched_setaffinity` between fork and exec; [`configure`] checks first
//! that the CPU is one this process may use.

use serde::{Deserialize, Serialize};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The padding variable whose length is `env_pad`.
pub const PAD_VAR: &str = "PQBENCH_PLACEMENT_PAD";
/// The placement a worker is to apply, `env_pad,stack_pad,heap_pad`.
pub const PLACEMENT_VAR: &str = "PQBENCH_PLACEMENT";
/// Upper bound (exclusive) of each drawn pad, in bytes: one page, so every
/// sub-page offset is reachable and no pad costs a measurable amount.
pub const MAX_PAD: u64 = 4096;

/// One worker's placement, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    /// Length of the padding environment variable.
    pub env_pad: u64,
    /// Stack consumed before setup and measurement (rounded up to whole
    /// frames by the worker).
    pub stack_pad: u64,
    /// Heap allocated before the inputs are built.
    pub heap_pad: u64,
}

/// How the workers of this process are spawned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpawnPolicy {
    /// Draw a fresh [`Placement`] for every worker.
    pub randomise: bool,
    /// Seed of the draws (the run's seed).
    pub seed: u64,
    /// Pin every worker to this CPU.
    pub pin: Option<usize>,
}

static POLICY: OnceLock<SpawnPolicy> = OnceLock::new();
static SPAWNED: AtomicU64 = AtomicU64::new(0);

/// Sets the policy of every worker this process spawns from now on (once
/// per process; the first call wins). Fails when `pin` names a CPU this
/// process may not run on.
pub fn configure(policy: SpawnPolicy) -> anyhow::Result<()> {
    if let Some(cpu) = policy.pin {
        check_cpu(cpu)?;
    }
    let _ = POLICY.set(policy);
    Ok(())
}

/// The policy in force (default: no randomisation, no pinning).
pub fn policy() -> SpawnPolicy {
    POLICY.get().copied().unwrap_or_default()
}

/// SplitMix64 step.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The placement of the `k`-th worker of a run seeded with `seed`.
pub fn draw(seed: u64, k: u64) -> Placement {
    let a = mix(seed ^ mix(k ^ 0x706c_6163_656d_656e));
    let b = mix(a);
    let c = mix(b);
    Placement {
        env_pad: a % MAX_PAD,
        // Whole 16-byte steps: the stack's alignment unit on x86-64/AArch64.
        stack_pad: (b % MAX_PAD) & !15,
        heap_pad: c % MAX_PAD,
    }
}

/// Prepares the command of the next worker under the policy in force:
/// the placement variables (drawing the next placement; removed when not
/// randomising, so a worker never inherits another's) and the pinning.
pub fn apply(cmd: &mut Command) {
    let p = policy();
    if p.randomise {
        let k = SPAWNED.fetch_add(1, Ordering::SeqCst);
        let pl = draw(p.seed, k);
        cmd.env(PAD_VAR, "x".repeat(pl.env_pad as usize)).env(
            PLACEMENT_VAR,
            format!("{},{},{}", pl.env_pad, pl.stack_pad, pl.heap_pad),
        );
    } else {
        cmd.env_remove(PAD_VAR).env_remove(PLACEMENT_VAR);
    }
    if let Some(cpu) = p.pin {
        pin_child(cmd, cpu);
    }
}

/// Gives the child of `cmd` the given placement (the variables a worker
/// reads with [`from_env`]) and, where the system allows it, turns off
/// address-space randomisation for it (`personality(ADDR_NO_RANDOMIZE)`
/// between fork and exec; refused in some containers, then ignored): two
/// children given the same placement then share their stack, heap and
/// mapping addresses, up to what their own binaries change; with `cpu`,
/// the child is pinned to that CPU (one of [`allowed_cpus`]). The paired
/// lockstep mode gives both sides of a pair one placement, drawn afresh per
/// pair, so layout luck is shared within a pair and averages out across
/// pairs.
pub fn apply_matched(cmd: &mut Command, pl: Placement, cpu: Option<usize>) {
    cmd.env(PAD_VAR, "x".repeat(pl.env_pad as usize)).env(
        PLACEMENT_VAR,
        format!("{},{},{}", pl.env_pad, pl.stack_pad, pl.heap_pad),
    );
    no_aslr(cmd);
    if let Some(cpu) = cpu {
        pin_child(cmd, cpu);
    }
}

#[cfg(target_os = "linux")]
fn no_aslr(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the forked child before exec; it only
    // makes the personality system calls (async-signal-safe), allocates
    // nothing, and ignores a refusal (the child then keeps randomisation).
    unsafe {
        cmd.pre_exec(|| {
            let current = libc::personality(0xffff_ffff);
            if current != -1 {
                libc::personality(
                    (current as libc::c_ulong) | libc::ADDR_NO_RANDOMIZE as libc::c_ulong,
                );
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn no_aslr(_cmd: &mut Command) {}

/// Pins the child of `cmd` to `cpu` between fork and exec.
#[cfg(target_os = "linux")]
fn pin_child(cmd: &mut Command, cpu: usize) {
    use std::os::unix::process::CommandExt;
    // SAFETY: a zeroed cpu_set_t is a valid empty set; CPU_SET writes
    // inside it (cpu < CPU_SETSIZE was checked by `configure`).
    let set = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu.min(libc::CPU_SETSIZE as usize - 1), &mut set);
        set
    };
    // SAFETY: the closure runs in the forked child before exec; it only
    // makes the sched_setaffinity system call (async-signal-safe) on a set
    // built before the fork, and allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn pin_child(_cmd: &mut Command, _cpu: usize) {}

/// The placement this worker was given (`None`: not randomised; an error
/// when the variable is malformed).
pub fn from_env() -> anyhow::Result<Option<Placement>> {
    let Ok(v) = std::env::var(PLACEMENT_VAR) else {
        return Ok(None);
    };
    let n: Vec<u64> = v
        .split(',')
        .map(|s| s.trim().parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("{PLACEMENT_VAR}={v:?}: {e}"))?;
    match n.as_slice() {
        &[env_pad, stack_pad, heap_pad] if stack_pad < 1 << 20 && heap_pad < 1 << 30 => {
            Ok(Some(Placement {
                env_pad,
                stack_pad,
                heap_pad,
            }))
        }
        _ => anyhow::bail!("{PLACEMENT_VAR}={v:?}: expected env_pad,stack_pad,heap_pad"),
    }
}

/// Runs `f` under this worker's `placement` (from [`from_env`]; `None`:
/// none): its heap pad allocated and kept, then `f` run with its stack pad
/// ([`with_stack_pad`]), so the inputs `f` builds and its frames land where
/// the placement puts them.
pub fn with_placement<R>(placement: Option<Placement>, f: impl FnOnce() -> R) -> R {
    let heap_pad = std::hint::black_box(vec![0u8; placement.map_or(0, |p| p.heap_pad as usize)]);
    let r = with_stack_pad(placement.map_or(0, |p| p.stack_pad), f);
    drop(std::hint::black_box(heap_pad));
    r
}

/// Runs `f` with about `bytes` more of this thread's stack in use: one
/// small frame per step until the frames span `bytes` (their addresses
/// measured, so the frame size need not be known).
pub fn with_stack_pad<R>(bytes: u64, f: impl FnOnce() -> R) -> R {
    let marker = 0u8;
    let top = std::hint::black_box(&marker) as *const u8 as usize;
    descend(top, bytes as usize, f)
}

#[inline(never)]
fn descend<R>(top: usize, bytes: usize, f: impl FnOnce() -> R) -> R {
    let frame = [0u8; 16];
    let here = std::hint::black_box(&frame) as *const [u8; 16] as usize;
    let r = if top.abs_diff(here) >= bytes {
        f()
    } else {
        descend(top, bytes, f)
    };
    // Used after the call: the recursion cannot become a loop.
    std::hint::black_box(&frame);
    r
}

/// The CPUs this process may run on.
#[cfg(target_os = "linux")]
pub fn allowed_cpus() -> anyhow::Result<Vec<usize>> {
    // SAFETY: `set` is a zeroed cpu_set_t on our stack, filled by
    // sched_getaffinity (pid 0: this thread) within its size; CPU_ISSET
    // reads inside it for indices below CPU_SETSIZE.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            anyhow::bail!("sched_getaffinity: {}", std::io::Error::last_os_error());
        }
        Ok((0..libc::CPU_SETSIZE as usize)
            .filter(|&c| libc::CPU_ISSET(c, &set))
            .collect())
    }
}

#[cfg(target_os = "linux")]
fn check_cpu(cpu: usize) -> anyhow::Result<()> {
    let allowed = allowed_cpus()?;
    if !allowed.contains(&cpu) {
        anyhow::bail!(
            "cannot pin to CPU {cpu}: not one of the CPUs this process may use ({})",
            allowed
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(",")
        );
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn check_cpu(cpu: usize) -> anyhow::Result<()> {
    anyhow::bail!("cannot pin to CPU {cpu}: --pin is supported on Linux only")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_reproducible_and_spread_over_a_page() {
        let a: Vec<Placement> = (0..64).map(|k| draw(7, k)).collect();
        let b: Vec<Placement> = (0..64).map(|k| draw(7, k)).collect();
        assert_eq!(a, b);
        assert_ne!(a, (0..64).map(|k| draw(8, k)).collect::<Vec<_>>());
        assert!(a.iter().all(|p| p.env_pad < MAX_PAD
            && p.stack_pad < MAX_PAD
            && p.stack_pad % 16 == 0
            && p.heap_pad < MAX_PAD));
        let distinct: std::collections::BTreeSet<u64> = a.iter().map(|p| p.env_pad).collect();
        assert!(distinct.len() > 50);
        assert!(a.iter().any(|p| p.env_pad < 1024) && a.iter().any(|p| p.env_pad > 3072));
    }

    #[test]
    fn the_stack_pad_moves_the_stack_by_about_that_much() {
        fn depth() -> usize {
            let x = 0u8;
            std::hint::black_box(&x) as *const u8 as usize
        }
        let base = with_stack_pad(0, depth);
        for pad in [256u64, 1024, 4000] {
            let moved = base.abs_diff(with_stack_pad(pad, depth));
            // At least the pad less the first frame (the unpadded call has
            // one too), at most a few frames beyond it.
            assert!(
                moved as u64 + 256 >= pad && (moved as u64) < pad + 1024,
                "{pad}: {moved}"
            );
        }
    }

    #[test]
    fn a_cpu_outside_the_allowed_set_is_refused() {
        let e = check_cpu(100_000).unwrap_err().to_string();
        assert!(e.contains("cannot pin to CPU 100000"), "{e}");
    }
}
