//! `pqbench run`: measure the selected benchmarks on the selected targets
//! and write a results file, atomically, after every benchmark.

use super::exit;
use crate::env::Environment;
use crate::report::{MarkupStyle, format_value, results_table};
use crate::results::{self, BenchResult, ResultsFile, Status, Unit};
use crate::target::{self, Backend, RunPlan, StartHook};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const RUN_HELP: &str = "\
Examples:
  pqbench run -o pqbench-results.json             every suite on the host, default budgets
  pqbench run -s pqc,classical -o pqc.json        two suites
  pqbench run -f ml-kem -f x25519 -p 5            ids containing ml-kem or x25519, 5 processes
  pqbench run -s hash --bench-time 5s --time-budget 0     longer, no run limit
  pqbench run -t host,qemu:mps2-an386 -s pqc      the same suite on the host and in QEMU

Each benchmark gets min(--bench-time, time left / benchmarks left), split
evenly between its processes; inside a process 10 % warms up, then samples
run until the budget or --max-samples. An operation longer than the budget
still gets one sample per process. The results file is rewritten atomically
after every benchmark; Ctrl-C keeps the finished ones (exit 130).";

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
    /// tflite-cpu, tflite-xnnpack, edgetpu:<n>.
    #[arg(long, short = 't', value_delimiter = ',', default_value = "host")]
    target: Vec<String>,
    /// Time budget per benchmark, all its processes together (e.g. 2s,
    /// 500ms). Shrunk when needed to fit the run budget.
    #[arg(long, value_parser = parse_duration, default_value = "2s")]
    bench_time: Duration,
    /// Time budget of the whole run; benchmarks share what is left evenly,
    /// and none starts once it is spent ("0" = no limit).
    #[arg(long, value_parser = parse_duration, default_value = "120s")]
    time_budget: Duration,
    /// Processes per benchmark (host: re-executed workers; the statistical
    /// unit of `compare` and `gate`). At least 2 is recommended.
    #[arg(long, short = 'p', default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1000))]
    processes: u32,
    /// Most samples kept per process.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    max_samples: u64,
    /// Seed of the inputs (same seed, same inputs).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Results file to write (replaced atomically after each benchmark).
    #[arg(long, short = 'o', default_value = "pqbench-results.json")]
    output: PathBuf,
    /// A .tflite model for the TFLite and Edge TPU targets.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Path of libtensorflowlite_c.so for the TFLite targets.
    #[arg(long)]
    tflite_lib: Option<PathBuf>,
}

/// Parses `1.5s`, `500ms`, `250us`, `2m`, or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 2s, 500ms, 1.5m"))?;
    let secs = match unit.trim() {
        "" | "s" => value,
        "ms" => value / 1e3,
        "us" | "µs" => value / 1e6,
        "ns" => value / 1e9,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        u => {
            return Err(format!(
                "unknown unit {u:?} in {s:?} (use ns, us, ms, s, m, h)"
            ));
        }
    };
    Duration::try_from_secs_f64(secs).map_err(|e| format!("{s:?}: {e}"))
}

/// Where progress goes: a bar on a terminal, plain lines otherwise.
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
            if let Ok(style) =
                ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} {wide_msg}")
            {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            Progress::Bar(bar)
        } else {
            Progress::Lines { total, done: 0 }
        }
    }

    fn done(&mut self, r: &BenchResult) {
        let what = match (&r.status, r.summary) {
            (Status::Ok, Some(s)) => format!(
                "p50 {} p99 {} ({} samples, {} processes)",
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

    fn note(&self, msg: &str) {
        match self {
            Progress::Bar(b) => b.println(msg),
            Progress::Lines { .. } => eprintln!("{msg}"),
        }
    }

    fn finish(self) {
        if let Progress::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}

/// Fails early when `path`'s directory is not writable, without touching
/// an existing file at `path`.
fn check_writable(path: &Path) -> anyhow::Result<()> {
    if path.is_dir() {
        anyhow::bail!("{}: is a directory, not a results file", path.display());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    tempfile::Builder::new()
        .prefix(".pqbench-check.")
        .tempfile_in(&dir)
        .map(drop)
        .map_err(|e| anyhow::anyhow!("{}: cannot write results here: {e}", path.display()))
}

/// Runs `pqbench run`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = cancel.clone();
        ctrlc::set_handler(move || {
            if cancel.swap(true, Ordering::SeqCst) {
                // Second Ctrl-C: the user insists; completed results are
                // already on disk.
                std::process::exit(i32::from(exit::INTERRUPTED));
            }
        })?;
    }
    let plan = RunPlan {
        suites: args.suite,
        filters: args.filter,
        seed: args.seed,
        bench_budget: args.bench_time,
        run_budget: (!args.time_budget.is_zero()).then_some(args.time_budget),
        processes: args.processes,
        max_samples: usize::try_from(args.max_samples).unwrap_or(usize::MAX),
        started: Instant::now(),
        model: args.model,
        tflite_lib: args.tflite_lib,
        cancel: cancel.clone(),
        on_start: None,
    };
    let mut backends: Vec<Box<dyn Backend>> = Vec::new();
    for spec in &args.target {
        backends.push(target::from_spec(spec.trim())?);
    }
    let mut planned = 0usize;
    let mut reasons: Vec<String> = Vec::new();
    for b in &backends {
        let listing = b.list(&plan)?;
        planned += listing.iter().filter(|l| l.unavailable.is_none()).count();
        for l in &listing {
            if let Some(why) = &l.unavailable
                && !reasons.contains(why)
            {
                reasons.push(why.clone());
            }
        }
    }
    if planned == 0 {
        let why = if reasons.is_empty() {
            String::new()
        } else {
            let more = reasons.len().saturating_sub(5);
            reasons.truncate(5);
            let tail = if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            };
            format!("; unavailable: {}{tail}", reasons.join("; "))
        };
        anyhow::bail!(
            "no benchmark matches suites {:?} and filters {:?} on {:?}{why} (see `pqbench list`)",
            plan.suites,
            plan.filters,
            args.target
        );
    }
    check_writable(&args.output)?;
    // Listing may build firmware or load libraries; the run budget counts
    // measurement time only.
    let plan = RunPlan {
        started: Instant::now(),
        ..plan
    };

    let timer = crate::measure::measure_timer();
    let mut environment = Environment::capture();
    environment.host_timer = Some(timer);
    let mut file = ResultsFile::new(environment);
    let mut progress = Progress::new(planned as u64);
    let mut plan = plan;
    if let Progress::Bar(bar) = &progress {
        let bar = bar.clone();
        plan.on_start = Some(StartHook(Arc::new(move |id: &str| {
            bar.set_message(format!("running {id}"));
        })));
    }
    progress.note(&format!(
        "pqbench run: {planned} benchmarks on {}; timer overhead {}, resolution {}; budget {:?} per benchmark, {} for the run; {} processes each",
        args.target.join(","),
        format_value(timer.overhead, Unit::Ns),
        format_value(timer.resolution, Unit::Ns),
        plan.bench_budget,
        plan.run_budget
            .map(|d| format!("{d:?}"))
            .unwrap_or_else(|| "no limit".into()),
        plan.processes,
    ));
    if let Some(v) = crate::env::injected_slowdown() {
        progress.note(&format!(
            "warning: {}={v} is set: workloads are artificially slowed down (recorded in the file)",
            crate::env::INJECT_SLOWDOWN_VAR
        ));
    }
    let output = args.output.clone();
    let mut target_failed = false;
    for mut backend in backends {
        if plan.cancelled() || plan.remaining().is_some_and(|r| r.is_zero()) {
            break;
        }
        let mut sink = |r: BenchResult| -> anyhow::Result<()> {
            progress.done(&r);
            file.results.push(r);
            results::write_atomic(&output, &file)?;
            Ok(())
        };
        if let Err(e) = backend.run(&plan, &mut sink) {
            target_failed = true;
            progress.note(&format!("error: target {}: {e:#}", backend.name()));
        }
    }
    progress.finish();
    let interrupted = plan.cancelled();
    file.complete = !interrupted && !target_failed && file.results.len() >= planned;
    if file.results.is_empty() {
        // Nothing measured: leave any previous file at `output` alone.
        eprintln!(
            "no benchmark completed; {} was not written",
            output.display()
        );
    } else {
        results::write_atomic(&output, &file)?;
    }

    print!("{}", results_table(&file).render(MarkupStyle::Plain));
    let failed = file
        .results
        .iter()
        .any(|r| matches!(r.status, Status::Failed { .. }));
    eprintln!(
        "wrote {} ({} of {planned} benchmarks{}) in {:.1} s",
        output.display(),
        file.results.len(),
        if file.complete { "" } else { ", incomplete" },
        plan.started.elapsed().as_secs_f64()
    );
    if interrupted {
        eprintln!("interrupted: the completed benchmarks were saved");
        return Ok(ExitCode::from(exit::INTERRUPTED));
    }
    if !file.complete && !target_failed && !failed {
        eprintln!("the run budget (--time-budget) was spent before every benchmark ran");
    }
    Ok(ExitCode::from(if failed || target_failed {
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
