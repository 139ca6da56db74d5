//! `pqbench history`: the results store across commits (add, list, show,
//! changes). Parsing and printing only; the work is in `crate::history`.

use super::exit;
use crate::history::{self, AddOptions, AddOutcome, Filter, HistoryStore, analysis};
use clap::Subcommand;
use pqbench_stats::EDivisiveConfig;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pqbench history`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The store: a SQLite file (created if missing), or a PostgreSQL
    /// server for teams, `postgres://user[:password]@host[:port]/database`
    /// (same schema; the database must exist, its tables are created). Also
    /// read from PQBENCH_HISTORY_DB.
    #[arg(long, global = true, env = "PQBENCH_HISTORY_DB", default_value = history::DEFAULT_DB)]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Ingest results files (all validated first: one corrupt file and
    /// nothing is added). Adding a file twice changes nothing.
    Add(AddArgs),
    /// List the series: benchmarks, targets, machines, run counts.
    List(QueryArgs),
    /// One benchmark's runs: commit, time, median with CI, replications.
    Show(ShowArgs),
    /// Change points (E-divisive means, permutation test) in every series.
    Changes(ChangesArgs),
    /// Gate a new results file against the stored runs since the last
    /// change point (same machine and target); exit codes as `gate`.
    Gate(GateArgs),
    /// Trend plots: one SVG per series (median with CI over runs, change
    /// points marked).
    Plot(PlotArgs),
}

#[derive(clap::Args, Debug)]
struct PlotArgs {
    /// Only this benchmark id (default: every series).
    id: Option<String>,
    #[command(flatten)]
    query: QueryArgs,
    /// Directory for the SVG files (created).
    #[arg(long, short = 'o', default_value = "pqbench-history")]
    out: PathBuf,
}

#[derive(clap::Args, Debug)]
struct GateArgs {
    /// New results file.
    new: PathBuf,
    /// Machine name the history was stored under (default: fingerprint).
    #[arg(long)]
    machine: Option<String>,
    #[command(flatten)]
    analysis: super::compare::AnalysisArgs,
    /// Pass although some benchmark cannot be decided (fail closed otherwise).
    #[arg(long)]
    allow_inconclusive: bool,
    /// Write the comparison and windows as JSON (atomically).
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct AddArgs {
    /// Results files (pqbench run -o).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Machine name (default: a fingerprint of CPU model, cores, arch, OS).
    #[arg(long)]
    machine: Option<String>,
    /// Branch (default: environment.git_branch of the file, if present).
    #[arg(long)]
    branch: Option<String>,
}

#[derive(clap::Args, Debug)]
struct QueryArgs {
    /// Only this target (e.g. host, qemu:mps2-an386).
    #[arg(long)]
    target: Option<String>,
    /// Only this machine key (a --machine name or fp-…).
    #[arg(long)]
    machine: Option<String>,
    /// Only this branch.
    #[arg(long)]
    branch: Option<String>,
    /// Only runs at or after this UTC time (2026-11-01 or RFC 3339).
    #[arg(long)]
    since: Option<String>,
    /// Only runs before this UTC time.
    #[arg(long)]
    until: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
struct ShowArgs {
    /// Benchmark id, e.g. hash/sha256.digest/rustcrypto/1KiB.
    id: String,
    #[command(flatten)]
    query: QueryArgs,
}

#[derive(clap::Args, Debug)]
struct ChangesArgs {
    /// Only this benchmark id.
    id: Option<String>,
    #[command(flatten)]
    query: QueryArgs,
    /// Significance level of each split's permutation test.
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// Permutations per split.
    #[arg(long, default_value_t = 199)]
    permutations: usize,
}

impl QueryArgs {
    fn filter(&self) -> Filter {
        Filter {
            target: self.target.clone(),
            machine: self.machine.clone(),
            branch: self.branch.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
        }
    }
}

/// Runs `pqbench history`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Add(a) => add(&args.db, a),
        Command::List(q) => {
            let store = history::open(&args.db)?;
            list(store.as_ref(), &q)
        }
        Command::Show(s) => {
            let store = history::open(&args.db)?;
            show(store.as_ref(), &s)
        }
        Command::Changes(c) => {
            let store = history::open(&args.db)?;
            changes(store.as_ref(), &c)
        }
        Command::Gate(g) => gate(&args.db, &g),
        Command::Plot(p) => {
            let store = history::open(&args.db)?;
            plot(store.as_ref(), &p)
        }
    }
}

fn add(db: &str, a: AddArgs) -> anyhow::Result<ExitCode> {
    let opts = AddOptions {
        machine: a.machine,
        branch: a.branch,
    };
    let prepared = a
        .files
        .iter()
        .map(|f| history::prepare(f, &opts))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut store = history::open(db)?;
    for p in &prepared {
        match store.add(p)? {
            AddOutcome::Added { results } => println!(
                "added {} ({results} results, machine {}, commit {})",
                p.path.display(),
                p.machine,
                p.file
                    .environment
                    .git_commit
                    .as_deref()
                    .unwrap_or("unknown")
            ),
            AddOutcome::AlreadyPresent => {
                println!("already present {} (same content)", p.path.display())
            }
        }
    }
    Ok(ExitCode::from(exit::OK))
}

fn list(store: &dyn HistoryStore, q: &QueryArgs) -> anyhow::Result<ExitCode> {
    let series = store.series(&q.filter())?;
    if q.json {
        println!("{}", serde_json::to_string_pretty(&series)?);
        return Ok(ExitCode::from(exit::OK));
    }
    println!(
        "{:<48} {:<16} {:<18} {:>5}  last run",
        "benchmark", "target", "machine", "runs"
    );
    for s in &series {
        println!(
            "{:<48} {:<16} {:<18} {:>5}  {}",
            s.bench_id,
            s.target,
            s.machine,
            s.runs,
            s.last.as_deref().unwrap_or("-")
        );
    }
    Ok(ExitCode::from(exit::OK))
}

fn show(store: &dyn HistoryStore, s: &ShowArgs) -> anyhow::Result<ExitCode> {
    let points = analysis::points(store.runs(&s.id, &s.query.filter())?);
    if points.is_empty() {
        anyhow::bail!("history: no measured runs of {:?} match", s.id);
    }
    if s.query.json {
        println!("{}", serde_json::to_string_pretty(&points)?);
        return Ok(ExitCode::from(exit::OK));
    }
    println!("{} ({})", s.id, points[0].run.unit);
    println!(
        "{:<22} {:<12} {:<16} {:<14} {:>14} {:>27} {:>5}",
        "time", "commit", "target", "machine", "median", "95% CI", "reps"
    );
    for p in &points {
        let commit = p.run.commit.as_deref().unwrap_or("-");
        let dirty = if p.run.dirty == Some(true) { "+" } else { "" };
        println!(
            "{:<22} {:<12} {:<16} {:<14} {:>14.1} {:>27} {:>5}",
            p.run.time.as_deref().unwrap_or("-"),
            format!("{}{dirty}", commit.chars().take(10).collect::<String>()),
            p.run.target,
            p.run.machine,
            p.median,
            format!("[{:.1}, {:.1}]", p.ci[0], p.ci[1]),
            p.run.replication_medians.len()
        );
    }
    Ok(ExitCode::from(exit::OK))
}

fn changes(store: &dyn HistoryStore, c: &ChangesArgs) -> anyhow::Result<ExitCode> {
    let cfg = EDivisiveConfig {
        significance: c.alpha,
        permutations: c.permutations,
        ..EDivisiveConfig::default()
    };
    let all = analysis::all_changes(store, c.id.as_deref(), &c.query.filter(), &cfg)?;
    if c.query.json {
        println!("{}", serde_json::to_string_pretty(&all)?);
        return Ok(ExitCode::from(exit::OK));
    }
    for s in all.iter().filter(|s| !s.changes.is_empty()) {
        println!(
            "{} @ {} on {} ({} runs)",
            s.series.bench_id, s.series.target, s.series.machine, s.series.runs
        );
        for ch in &s.changes {
            println!(
                "  run {:>4}  commit {:<12} {}  ratio {:.4} [{:.4}, {:.4}]  p = {:.4}",
                ch.index,
                ch.commit.as_deref().unwrap_or("-"),
                ch.time.as_deref().unwrap_or("-"),
                ch.ratio.estimate,
                ch.ratio.lo,
                ch.ratio.hi,
                ch.p_value
            );
        }
    }
    let n: usize = all.iter().map(|s| s.changes.len()).sum();
    println!(
        "{n} change point(s) in {} series (E-divisive means, alpha {}, {} permutations)",
        all.len(),
        c.alpha,
        c.permutations
    );
    Ok(ExitCode::from(exit::OK))
}

fn gate(db: &str, g: &GateArgs) -> anyhow::Result<ExitCode> {
    let options = g.analysis.options(0.01)?;
    let opts = AddOptions {
        machine: g.machine.clone(),
        branch: None,
    };
    let new = history::prepare(&g.new, &opts)?;
    let store = history::open(db)?;
    let (base, windows) =
        history::window::baseline(store.as_ref(), &new, &EDivisiveConfig::default())?;
    if windows.is_empty() {
        anyhow::bail!(
            "history gate: no stored runs of any benchmark of {} on machine {}",
            g.new.display(),
            new.machine
        );
    }
    for w in &windows {
        println!(
            "window {}: {} of {} runs since commit {} ({} replications)",
            w.benchmark,
            w.window_runs,
            w.series_runs,
            w.since_commit.as_deref().unwrap_or("-"),
            w.replications
        );
    }
    let c = crate::compare::compare(&base, &new.file, &options);
    print!(
        "{}",
        crate::compare::render_gate(&c, g.analysis.format.style())
    );
    let regressed = c.regressions().count();
    let undecidable = c.undecidable().count();
    let mut reasons = Vec::new();
    if regressed > 0 {
        reasons.push(format!("{regressed} benchmark(s) regressed"));
    }
    if undecidable > 0 && !g.allow_inconclusive {
        reasons.push(format!(
            "{undecidable} benchmark(s) could not be decided (fail closed; --allow-inconclusive to accept)"
        ));
    }
    let code = if reasons.is_empty() {
        exit::OK
    } else {
        exit::REGRESSION
    };
    if let Some(p) = &g.json {
        let v = serde_json::json!({
            "result": if code == exit::OK { "pass" } else { "fail" },
            "exit_code": code,
            "reasons": reasons,
            "windows": windows,
            "comparison": c,
        });
        super::compare::write_json(p, &v)?;
    }
    if code == exit::OK {
        println!("history gate: pass");
    } else {
        println!("history gate: FAIL: {}", reasons.join("; "));
    }
    Ok(ExitCode::from(code))
}

fn plot(store: &dyn HistoryStore, p: &PlotArgs) -> anyhow::Result<ExitCode> {
    let written = history::analysis::plot_all(
        store,
        p.id.as_deref(),
        &p.query.filter(),
        &EDivisiveConfig::default(),
        &p.out,
    )?;
    for f in &written {
        println!("wrote {}", f.display());
    }
    println!("{} trend plot(s) in {}", written.len(), p.out.display());
    Ok(ExitCode::from(exit::OK))
}
