//! `pqbench baseline`: the named baselines that `cargo bench -- --save-baseline
//! NAME` stores (see [`crate::bench::baseline`]): list, show, remove, and
//! gate one against another without re-running.

use super::compare::AnalysisArgs;
use super::exit;
use crate::bench::baseline::Store;
use crate::bench::gate::compare_saved;
use crate::report::{MarkupStyle, results_table};
use crate::results::load;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pqbench baseline`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The baseline directory [default: $PQBENCH_BASELINE_DIR, else
    /// target/pqbench/baselines under $CARGO_TARGET_DIR or the current
    /// directory].
    #[arg(long, global = true, value_name = "DIR")]
    dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Saved baselines: bench targets, benchmarks, when measured.
    List,
    /// A baseline's results, one table per bench target.
    Show {
        /// Baseline name.
        name: String,
    },
    /// Delete a baseline.
    Rm {
        /// Baseline name.
        name: String,
    },
    /// Gate baseline NEW against baseline BASE (no re-run), per bench
    /// target: exit 0, 1 (regression or undecidable) or 2, as `gate`.
    Compare {
        /// Baseline the comparison is against.
        base: String,
        /// Baseline judged.
        new: String,
        #[command(flatten)]
        analysis: AnalysisArgs,
        /// Pass although some benchmark cannot be decided.
        #[arg(long)]
        allow_inconclusive: bool,
    },
}

/// Runs `pqbench baseline`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = args.dir.map_or_else(Store::from_env, Store::at);
    match args.command {
        Command::List => {
            let names = store.names()?;
            if names.is_empty() {
                println!("no baselines in {}", store.dir().display());
            }
            for name in names {
                for f in store.files(&name)? {
                    let what = match load(&f.path) {
                        Ok(r) => format!(
                            "{} benchmarks, measured {}",
                            r.results.len(),
                            r.environment
                                .time
                                .as_deref()
                                .unwrap_or("at an unknown time")
                        ),
                        Err(e) => format!("unreadable: {e}"),
                    };
                    println!("{name}  {}  {what}", f.target);
                }
            }
            Ok(ExitCode::from(exit::OK))
        }
        Command::Show { name } => {
            for f in store.files(&name)? {
                let r = store.load(&name, &f.target)?;
                println!("{name} / {} ({})", f.target, f.path.display());
                print!("{}", results_table(&r).render(MarkupStyle::Plain));
            }
            Ok(ExitCode::from(exit::OK))
        }
        Command::Rm { name } => {
            store.remove(&name)?;
            println!("removed baseline {name:?}");
            Ok(ExitCode::from(exit::OK))
        }
        Command::Compare {
            base,
            new,
            analysis,
            allow_inconclusive,
        } => {
            let options = analysis.options(crate::bench::gate::GATE_ALPHA)?;
            let c = compare_saved(&store, &base, &new, &options, allow_inconclusive)?;
            for (target, g) in &c.targets {
                println!("{target}: {new:?} against {base:?}");
                print!("{}", g.table());
                println!("{}", g.verdict_line());
            }
            for t in &c.one_side_only {
                eprintln!("note: bench target {t}: not compared");
            }
            if c.targets.is_empty() {
                eprintln!("error: baselines {base:?} and {new:?} share no bench target");
            }
            Ok(ExitCode::from(c.code()))
        }
    }
}
