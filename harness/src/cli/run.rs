//! `pqbench run`: measure the selected benchmarks on the selected targets
//! and write a results file, atomically, after every benchmark.

use super::exit;
use crate::report::{MarkupStyle, format_value, results_table};
use crate::results::{BenchResult, Status, Unit};
use crate::runner::{self, CancelToken, Observer, RunPlan, Runner, Target};
use crate::target;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const RUN_HELP: &str = "\
Examples:
  pqbench run -o pqbench-results.json             every suite on the host, default budgets
  pqbench run -s pqc,classical -o pqc.json        two suites
  pqbench run -f ml-kem -f x25519 -p 5            ids containing ml-kem or x25519, 5 replications
  pqbench run -s hash --bench-time 5s --time-budget 0     longer, no run limit
  pqbench run -t host,qemu:mps2-an386 -s pqc      the same suite on the host and in QEMU

Each benchmark gets min(--bench-time, time left / benchmarks left), split
evenly between its replications: fresh worker processes on the host and
TFLite / Edge TPU (default 16), fresh QEMU launches (default 2: the counts
are deterministic) or board resets (default 5) on Cortex-M. With --order
interleaved the replications run in rounds over the benchmarks, each round
sharing the run budget left.
On the host, 10 % of a replication warms up, then samples run until the
budget or --max-samples; an operation longer than the budget still gets one
sample per replication. The results file is rewritten atomically after
every benchmark. SIGINT (Ctrl-C) or SIGTERM stops the benchmark in flight
within a second (host, TFLite, QEMU, serial boards; a debug-probe board at
the end of its session), keeps the finished ones (file marked incomplete)
and exits 130 or 143; a second signal exits at once.";

/// Arguments of `pqbench run`.
#[derive(clap::Args, Debug)]
#[command(after_long_help = RUN_HELP)]
pub struct Args {
    /// Suites to run, comma-separated (hash, detect, pqc, classical, …);
    /// default: every suite the target offers.
    #[arg(long, short = 's', value_delimiter = ',')]
    suite: Vec<String>,
    /// Run only ids containing this substring (repeatable: any matches).
    #[arg(long, short = 'f')]
    filter: Vec<String>,
    /// Targets, comma-separated: host, qemu:<board>, board:<id>,
    /// tflite-cpu, tflite-xnnpack, litert-cpu[:threads=N][:kernels=builtin],
    /// edgetpu:<n>.
    #[arg(long, short = 't', value_delimiter = ',', default_value = "host")]
    target: Vec<String>,
    /// Time budget per benchmark, all its replications together (e.g. 2s,
    /// 500ms). Shrunk when needed to fit the run budget.
    #[arg(long, value_parser = parse_duration, default_value = "2s")]
    bench_time: Duration,
    /// Time budget of the whole run; benchmarks share what is left evenly,
    /// and none starts once it is spent ("0" = no limit).
    #[arg(long, value_parser = parse_duration, default_value = "180s")]
    time_budget: Duration,
    /// Independent replications per benchmark: fresh worker processes (host,
    /// TFLite, Edge TPU), fresh QEMU launches / board resets (Cortex-M); the
    /// statistical unit of `compare` and `gate`, which need at least 2.
    /// Default: 16 on timed targets (host, TFLite, Edge TPU), 2 on QEMU
    /// boards (deterministic instruction counts: the second launch confirms
    /// the counts repeat), 5 on real boards.
    #[arg(long = "replications", visible_alias = "processes", short = 'p', value_parser = clap::value_parser!(u32).range(1..=1000))]
    replications: Option<u32>,
    /// Most samples kept per replication (default 1,000: at most 16,000 per
    /// benchmark with the default 16 replications of a timed target).
    #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    max_samples: u64,
    /// Seed of the inputs (same seed, same inputs).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Results file to write (replaced atomically after each benchmark).
    #[arg(long, short = 'o', default_value = "pqbench-results.json")]
    output: PathBuf,
    /// A .tflite model for the TFLite and Edge TPU targets (default: the
    /// detection model embedded in pqbench).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Path of libtensorflowlite_c.so for the TFLite targets.
    #[arg(long)]
    tflite_lib: Option<PathBuf>,
    /// Path of libLiteRt.so for the litert-cpu target.
    #[arg(long)]
    litert_lib: Option<PathBuf>,
    /// Per-replication placement of every worker process: `random` draws,
    /// from --seed, a fresh environment padding (shifting the initial
    /// stack), stack offset and heap offset (each under 4 KiB) for each
    /// replication, so that layout effects average out over the
    /// replications instead of biasing the whole run; recorded per
    /// replication (`details.per_process[].placement`). `fixed` (default):
    /// none.
    #[arg(long, value_enum, default_value = "fixed")]
    placement: PlacementArg,
    /// Pin every worker process to this CPU (Linux sched_setaffinity);
    /// recorded in the environment (`pin_cpu`). Refused (exit 2) when this
    /// process may not run on that CPU.
    #[arg(long, value_name = "CPU")]
    pin: Option<usize>,
    /// Order of the replications: `interleaved` runs them in rounds
    /// (replication 1 of every benchmark, then replication 2, ...), so
    /// each benchmark's replications span the whole run and a slow period
    /// of the machine touches a few replications of many benchmarks instead
    /// of all of one; results appear after the last round. `sequential`
    /// runs each benchmark's replications back to back, each result final
    /// when its benchmark ends. TFLite / Edge TPU targets always run in
    /// sequence (their scenarios build on earlier results).
    #[arg(long, value_enum, default_value = "sequential")]
    order: OrderArg,
    /// Adaptive replications: after its planned replications, a benchmark
    /// gets more, one at a time, while the 95 % interval of its 20 %
    /// trimmed geometric mean of per-replication medians (what `gate`
    /// compares) is wider than ±PCT, up to --max-replications and within
    /// the run budget (e.g. `0.25%`). Sequential order only.
    #[arg(long, value_name = "PCT", value_parser = parse_precision)]
    precision: Option<f64>,
    /// Most replications of a benchmark with --precision (default: twice
    /// the planned count).
    #[arg(long, value_name = "N", requires = "precision", value_parser = clap::value_parser!(u32).range(2..=10_000))]
    max_replications: Option<u32>,
}

/// `--precision` values: a percentage above 0.
fn parse_precision(s: &str) -> Result<f64, String> {
    match crate::compare::parse_percent(s) {
        Ok(p) if p > 0.0 => Ok(p),
        Ok(_) => Err(format!("{s:?}: the precision must be above 0%")),
        Err(e) => Err(format!("{e:#}")),
    }
}

/// `--order` values.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderArg {
    /// Replications in rounds over the benchmarks.
    Interleaved,
    /// Each benchmark's replications back to back.
    Sequential,
}

impl From<OrderArg> for runner::Order {
    fn from(o: OrderArg) -> Self {
        match o {
            OrderArg::Interleaved => runner::Order::Interleaved,
            OrderArg::Sequential => runner::Order::Sequential,
        }
    }
}

/// `--placement` values.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlacementArg {
    /// A fresh placement per replication, drawn from the seed.
    Random,
    /// No padding: every worker starts like the parent left it.
    Fixed,
}

impl PlacementArg {
    /// The name recorded in the environment.
    pub fn as_str(self) -> &'static str {
        match self {
            PlacementArg::Random => "random",
            PlacementArg::Fixed => "fixed",
        }
    }
}

pub use crate::runner::parse_duration;

/// Where progress goes: a bar on a terminal, plain lines otherwise (or
/// when `CI` is set).
enum Progress {
    Bar(ProgressBar),
    Lines { total: u64, done: u64 },
}

impl Progress {
    fn new(total: u64) -> Progress {
        let tty = std::io::stderr().is_terminal();
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        if tty && !ci {
            let bar = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] {pos}/{len} {prefix}{wide_msg}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            Progress::Bar(bar)
        } else {
            Progress::Lines { total, done: 0 }
        }
    }

    fn finish(self) {
        if let Progress::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}

impl Observer for Progress {
    fn started(&mut self, id: &str, _target: &str) {
        if let Progress::Bar(b) = self {
            b.set_message(format!("running {id}"));
        }
    }

    fn finished(&mut self, r: &BenchResult) {
        let what = match (&r.status, r.summary) {
            (Status::Ok, Some(s)) => format!(
                "p50 {} p99 {} ({} samples, {} replications)",
                format_value(s.median, r.unit),
                format_value(s.p99, r.unit),
                s.samples,
                s.processes
            ),
            (status, _) => format!(
                "{}: {}",
                status.label(),
                status.message().unwrap_or_default()
            ),
        };
        match self {
            Progress::Bar(b) => {
                b.inc(1);
                b.println(format!("{} on {}: {what}", r.id, r.target));
            }
            Progress::Lines { total, done } => {
                *done += 1;
                eprintln!("[{done}/{total}] {} on {}: {what}", r.id, r.target);
            }
        }
    }

    fn note(&mut self, msg: &str) {
        match self {
            Progress::Bar(b) => b.println(msg),
            Progress::Lines { .. } => eprintln!("{msg}"),
        }
    }

    fn round(&mut self, index: u32, count: u32, target: &str) {
        match self {
            Progress::Bar(b) => b.set_prefix(format!("round {}/{count} ", index + 1)),
            Progress::Lines { .. } => {
                eprintln!("round {}/{count} on {target}", index + 1)
            }
        }
    }
}

/// Runs `pqbench run`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.precision.is_some() && args.order == OrderArg::Interleaved {
        anyhow::bail!(
            "--precision adds replications after a benchmark's planned ones: it needs --order sequential"
        );
    }
    crate::measure::placement::configure(crate::measure::placement::SpawnPolicy {
        randomise: args.placement == PlacementArg::Random,
        seed: args.seed,
        pin: args.pin,
    })
    .map_err(|e| anyhow::anyhow!("--pin: {e}"))?;
    let cancel = CancelToken::new();
    let _signals = runner::signals::install(cancel.clone())?;
    let plan = RunPlan {
        suites: args.suite,
        filters: args.filter,
        seed: args.seed,
        bench_budget: args.bench_time,
        run_budget: (!args.time_budget.is_zero()).then_some(args.time_budget),
        replications: args.replications,
        max_samples: usize::try_from(args.max_samples).unwrap_or(usize::MAX),
        model: args.model,
        tflite_lib: args.tflite_lib,
        litert_lib: args.litert_lib,
        order: args.order.into(),
        precision: args.precision,
        max_replications: args.max_replications,
    };
    let mut targets: Vec<Box<dyn Target>> = Vec::new();
    for spec in &args.target {
        targets.push(target::from_spec(spec.trim())?);
    }
    let runner = Runner::new(plan, cancel, args.output.clone());
    let planned = runner.census(&targets)?.runnable;
    let (mut file, timer) = Runner::new_file()?;
    let extra = &mut file.environment.extra;
    extra.insert("placement".into(), args.placement.as_str().into());
    if let Some(cpu) = args.pin {
        extra.insert("pin_cpu".into(), cpu.into());
    }
    let mut progress = Progress::new(planned as u64);
    let plan = runner.plan();
    progress.note(&format!(
        "pqbench run: {planned} benchmarks on {}; timer {}: overhead {}, resolution {}; budget {:?} per benchmark, {} for the run; replications: {}",
        args.target.join(","),
        timer.clock_label(),
        format_value(timer.overhead, Unit::Ns),
        format_value(timer.resolution, Unit::Ns),
        plan.bench_budget,
        plan.run_budget
            .map(|d| format!("{d:?}"))
            .unwrap_or_else(|| "no limit".into()),
        plan.replications
            .map_or_else(|| "the target's default".to_string(), |n| n.to_string()),
    ));
    if let Some(v) = crate::env::injected_slowdown() {
        progress.note(&format!(
            "warning: {}={v} is set: workloads are artificially slowed down (recorded in the file)",
            crate::env::INJECT_SLOWDOWN_VAR
        ));
    }
    let done = runner.run(targets, file, planned, &mut progress)?;
    progress.finish();

    let output = &args.output;
    print!("{}", results_table(&done.file).render(MarkupStyle::Plain));
    if done.file.results.is_empty() {
        eprintln!(
            "no benchmark completed; {} was not written",
            output.display()
        );
    } else {
        eprintln!(
            "wrote {} ({} of {planned} benchmarks{}) in {:.1} s",
            output.display(),
            done.file.results.len(),
            if done.file.complete {
                ""
            } else {
                ", incomplete"
            },
            done.elapsed.as_secs_f64()
        );
    }
    if let Some(why) = done.interrupted {
        eprintln!(
            "{}: the benchmark in flight was dropped, the completed ones were saved",
            match why {
                runner::Interrupt::Sigint => "interrupted (SIGINT)",
                runner::Interrupt::Sigterm => "terminated (SIGTERM)",
            }
        );
        return Ok(ExitCode::from(why.exit_code()));
    }
    let failed = done.any_failed();
    if done.budget_spent() && !failed {
        eprintln!("the run budget (--time-budget) was spent before every benchmark ran");
    }
    Ok(ExitCode::from(if failed || done.target_failed {
        exit::RUN_FAILED
    } else {
        exit::OK
    }))
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("10us"), Ok(Duration::from_micros(10)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("3 parsecs").is_err());
        assert!(parse_duration("-1s").is_err());
    }
}
