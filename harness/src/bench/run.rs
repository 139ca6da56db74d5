//! What a bench binary's `main` does ([`run_main`]): act as a worker when
//! re-executed, else parse libtest's arguments and list, smoke-test, or
//! measure (with the [`crate::runner::Runner`] and the [`SelfExec`] back
//! end), then gate against and save baselines.

use super::args::{Args, Color, HELP};
use super::backend::{SelfExec, serve};
use super::baseline::{Store, target_dir};
use super::gate::{exit, gate, options};
use super::registry::{Entry, Registry};
use crate::measure::repeat::SUBCOMMAND;
use crate::measure::worker::WorkerRequest;
use crate::report::{format_rate, format_value};
use crate::results::{BenchResult, Status};
use crate::runner::{self, CancelToken, Observer, RunPlan, Runner, Target};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::time::Duration;

/// Budget per benchmark when `--bench-time` is not given (as `pqbench run`).
pub const DEFAULT_BENCH_TIME: Duration = Duration::from_secs(2);

/// The entry point [`crate::main!`] calls: registers the benchmarks with
/// `register` and does what the command line asks.
pub fn run_main(registry: Registry) -> ExitCode {
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if argv.first().map(String::as_str) == Some(SUBCOMMAND) {
        return ExitCode::from(worker(&registry, &argv[1..]));
    }
    if argv.first().map(String::as_str) == Some(super::lockstep::worker::SUBCOMMAND) {
        return ExitCode::from(super::paired::worker(&registry, &argv[1..]));
    }
    if !registry.errors.is_empty() {
        for e in &registry.errors {
            eprintln!("error: {e}");
        }
        return ExitCode::from(exit::USAGE);
    }
    let args = match Args::parse(argv) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    if args.help {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let selected: Vec<&Entry> = registry
        .entries
        .iter()
        .filter(|e| args.selects(&e.name))
        .collect();
    let filtered_out = registry.entries.len() - selected.len();
    let code = if args.list {
        list(&selected, args.terse)
    } else if !args.bench {
        smoke(&selected, filtered_out, &args)
    } else {
        let measured = if super::paired::wanted(&registry, &args) {
            super::paired::measure_paired(&registry, &selected, &args)
        } else {
            measure(&registry, &selected, &args)
        };
        match measured {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                exit::USAGE
            }
        }
    };
    ExitCode::from(code)
}

/// `BINARY __worker --request JSON`: one replication, one report line.
fn worker(registry: &Registry, argv: &[String]) -> u8 {
    let json = match argv {
        [flag, json] if flag == "--request" => json,
        _ => {
            eprintln!("error: usage: {SUBCOMMAND} --request JSON (internal)");
            return exit::USAGE;
        }
    };
    let report = serde_json::from_str::<WorkerRequest>(json)
        .map_err(|e| format!("bad worker request: {e}"))
        .and_then(|r| serve(registry, &r))
        .and_then(|r| serde_json::to_string(&r).map_err(|e| e.to_string()));
    match report {
        Ok(line) => {
            let mut out = std::io::stdout().lock();
            match writeln!(out, "{line}").and_then(|()| out.flush()) {
                Ok(()) => exit::OK,
                Err(_) => exit::USAGE,
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::USAGE
        }
    }
}

/// `--list`: libtest's format.
fn list(selected: &[&Entry], terse: bool) -> u8 {
    for e in selected {
        println!("{}: benchmark", e.name);
    }
    if !terse {
        println!();
        println!("0 tests, {} benchmarks", selected.len());
    }
    exit::OK
}

/// Without `--bench` (`cargo test --benches`): each benchmark once.
fn smoke(selected: &[&Entry], filtered_out: usize, args: &Args) -> u8 {
    let paint = painter(args.color);
    println!();
    println!("running {} benchmarks once (as tests)", selected.len());
    let mut failed = Vec::new();
    for e in selected {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut b = super::bencher::Bencher::new(super::bencher::Mode::Once);
            (e.run)(&mut b);
            b.finish().map(|_| ())
        }));
        let why = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(why)) => Some(why),
            Err(_) => Some("panicked".to_string()),
        };
        if !args.quiet || why.is_some() {
            let status = match &why {
                None => paint("ok", GREEN),
                Some(_) => paint("FAILED", RED),
            };
            println!("test {} ... {status}", e.name);
        }
        if let Some(why) = why {
            failed.push(format!("{}: {why}", e.name));
        }
    }
    if !failed.is_empty() {
        println!("\nfailures:");
        for f in &failed {
            println!("    {f}");
        }
    }
    let result = if failed.is_empty() {
        paint("ok", GREEN)
    } else {
        paint("FAILED", RED)
    };
    println!(
        "\ntest result: {result}. {} passed; {} failed; 0 ignored; 0 measured; {filtered_out} filtered out\n",
        selected.len() - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        exit::OK
    } else {
        exit::TEST_FAILED
    }
}

/// `--bench`: measure, gate, save.
fn measure(registry: &Registry, selected: &[&Entry], args: &Args) -> anyhow::Result<u8> {
    let origin = registry.origin();
    let store = Store::from_env();
    // A missing baseline is an input error before anything is measured.
    let base = match &args.baseline {
        Some(name) => Some(store.load(name, &origin.target)?),
        None => None,
    };
    if selected.is_empty() {
        println!("no benchmark matches the filters (see --list)");
        return Ok(exit::OK);
    }
    let exe = std::env::current_exe()
        .map_err(|e| anyhow::anyhow!("cannot find this bench binary to re-run: {e}"))?;
    let cancel = CancelToken::new();
    let _signals = runner::signals::install(cancel.clone())?;
    let plan = RunPlan {
        bench_budget: args.bench_time.unwrap_or(DEFAULT_BENCH_TIME),
        replications: args.replications,
        max_samples: args.max_samples.unwrap_or(RunPlan::new().max_samples),
        ..RunPlan::new()
    };
    let runs = target_dir().join("pqbench").join("runs");
    std::fs::create_dir_all(&runs)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", runs.display()))?;
    let output = runs.join(format!("{}.json", origin.target));
    let ids: Vec<String> = selected.iter().map(|e| e.id.clone()).collect();
    let names: BTreeMap<String, String> = selected
        .iter()
        .map(|e| (e.id.clone(), e.name.clone()))
        .collect();
    let runner = Runner::new(plan, cancel, output.clone());
    let targets: Vec<Box<dyn Target>> = vec![Box::new(SelfExec::new(exe.clone(), ids))];
    let planned = runner.census(&targets)?.runnable;
    let (mut file, _timer) = Runner::new_file()?;
    file.environment.extra.insert(
        "cargo_bench".into(),
        serde_json::json!({ "package": origin.package, "target": origin.target }),
    );
    let width = names.values().map(|n| n.len()).max().unwrap_or(0);
    let mut lines = Lines {
        names,
        width,
        quiet: args.quiet,
        paint: painter(args.color),
    };
    if !args.quiet {
        println!(
            "\nrunning {planned} benchmarks: {:?} each, {} replications (fresh processes)",
            runner.plan().bench_budget,
            runner
                .plan()
                .replications
                .unwrap_or(runner::DEFAULT_REPLICATIONS)
        );
    }
    let done = runner.run(targets, file, planned, &mut lines)?;
    if let Some(why) = done.interrupted {
        eprintln!(
            "interrupted: finished benchmarks are in {}",
            output.display()
        );
        return Ok(why.exit_code());
    }
    if !args.quiet {
        println!("results: {}", output.display());
    }
    let failed = done.any_failed();
    let mut code = if failed { exit::FAILED } else { exit::OK };
    if let (Some(base), Some(name)) = (&base, &args.baseline) {
        let g = gate(
            base,
            &done.file,
            &options(args.tolerance, args.alpha),
            args.allow_inconclusive,
        );
        println!("\ncompared with baseline {name:?}:");
        print!("{}", g.table());
        println!("{}", g.verdict_line());
        if g.code != exit::OK {
            code = g.code;
        }
    }
    if let Some(name) = &args.save_baseline {
        if failed {
            eprintln!("warning: some benchmarks failed; baseline {name:?} holds them as failed");
        }
        let path = store.save(name, &origin.target, &done.file)?;
        // The executable too, for `--baseline NAME --paired` later.
        store.save_exe(name, &origin.target, &exe)?;
        println!("saved baseline {name:?}: {}", path.display());
    }
    Ok(code)
}

const GREEN: &str = "32";
const RED: &str = "31";

/// Wraps text in an ANSI colour when colour is on.
fn painter(color: Color) -> impl Fn(&str, &str) -> String {
    let on = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    move |text: &str, code: &str| {
        if on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Progress: one line per finished benchmark on stdout.
struct Lines<P> {
    names: BTreeMap<String, String>,
    width: usize,
    quiet: bool,
    paint: P,
}

impl<P: Fn(&str, &str) -> String> Observer for Lines<P> {
    fn started(&mut self, _: &str, _: &str) {}

    fn finished(&mut self, r: &BenchResult) {
        let name = self.names.get(&r.id).map_or(r.id.as_str(), String::as_str);
        let what = match (&r.status, r.summary) {
            (Status::Ok, Some(s)) => {
                if self.quiet {
                    return;
                }
                let rate = r
                    .throughput
                    .map(|t| format!("  {}", format_rate(t, s.median, r.unit)))
                    .unwrap_or_default();
                format!(
                    "p50 {:>10}  p99 {:>10}{rate}  ({} replications, {} samples)",
                    format_value(s.median, r.unit),
                    format_value(s.p99, r.unit),
                    s.processes,
                    s.samples
                )
            }
            (status, _) => format!(
                "{}: {}",
                (self.paint)(status.label(), RED),
                status.message().unwrap_or_default()
            ),
        };
        println!("{name:<w$}  {what}", w = self.width);
    }

    fn note(&mut self, message: &str) {
        eprintln!("{message}");
    }
}
