//! `pqbench show FILE`: a results file as a table.

use crate::report::{MarkupStyle, environment_lines, format_value, results_table};
use crate::results::{self, Unit};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pqbench show`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The results file (written by `pqbench run`).
    file: PathBuf,
    /// Render the table as Markdown instead of aligned text.
    #[arg(long)]
    markdown: bool,
    /// Show the PQC suite table (ratios to the fastest implementation, retrofit
    /// cost vs classical, published anchors from results/anchors.json) instead.
    #[arg(long)]
    suite_table: bool,
}

/// Runs `pqbench show`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let file = results::load(&args.file)?;
    println!(
        "{}: schema {}, pqbench {}, {} results{}",
        args.file.display(),
        file.schema_version,
        file.pqbench_version,
        file.results.len(),
        if file.complete {
            ""
        } else {
            " — INCOMPLETE (interrupted or run budget exhausted)"
        }
    );
    for (k, v) in environment_lines(&file.environment) {
        println!("  {k:<17} {v}");
    }
    if let Some(t) = file.environment.host_timer {
        println!(
            "  {:<17} overhead {}, resolution {} (Instant::now)",
            "timer",
            format_value(t.overhead, Unit::Ns),
            format_value(t.resolution, Unit::Ns)
        );
    }
    println!();
    let style = if args.markdown {
        MarkupStyle::Markdown
    } else {
        MarkupStyle::Plain
    };
    if args.suite_table {
        let anchors =
            crate::report::suite::load_anchors(std::path::Path::new("results/anchors.json"))
                .unwrap_or_default();
        print!(
            "{}",
            crate::report::suite::suite_table(&file, &anchors).render(style)
        );
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", results_table(&file).render(style));
    Ok(ExitCode::SUCCESS)
}
