//! `pqbench show FILE`: a results file as a table.

use crate::report::anchors::{Anchor, embedded_anchors, load_anchors};
use crate::report::suite::suite_table;
use crate::report::{MarkupStyle, environment_lines, format_value, results_table, runtime_lines};
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
    /// cost vs classical, published anchors from results/anchors.json, built
    /// into the binary) instead.
    #[arg(long)]
    suite_table: bool,
    /// With --suite-table: read the published anchors from FILE (same format
    /// as results/anchors.json) instead of the built-in copy.
    #[arg(long, value_name = "FILE", requires = "suite_table")]
    anchors: Option<PathBuf>,
}

/// Runs `pqbench show`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let file = results::load(&args.file)?;
    // Read the anchors before printing anything: a bad file is an error.
    let anchors: Vec<Anchor> = match (&args.anchors, args.suite_table) {
        (Some(p), _) => load_anchors(p)?,
        (None, true) => embedded_anchors()?.to_vec(),
        (None, false) => Vec::new(),
    };
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
            "  {:<17} overhead {}, resolution {} ({})",
            "timer",
            format_value(t.overhead, Unit::Ns),
            format_value(t.resolution, Unit::Ns),
            t.clock_label()
        );
    }
    for line in runtime_lines(&file.results) {
        println!("  {:<17} {line}", "runtime");
    }
    println!();
    let style = if args.markdown {
        MarkupStyle::Markdown
    } else {
        MarkupStyle::Plain
    };
    if args.suite_table {
        print!("{}", suite_table(&file, &anchors).render(style));
        if let Some(t) = crate::report::pqm4::same_code_table(&file) {
            println!();
            println!(
                "Same code as pqm4 (PQClean clean): emulated Cortex-M4 instructions beside pqm4's published cycles on a real M4; estimates for other implementations scale their instructions by their scheme's median ratio (range: smallest to largest; signing, message dependent, left out of the ratios)"
            );
            print!("{}", t.render(style));
        }
        if let Some(t) = crate::report::pqm4_memory::memory_table(&file) {
            println!();
            println!("{}", crate::report::pqm4_memory::CAPTION);
            print!("{}", t.render(style));
        }
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", results_table(&file).render(style));
    Ok(ExitCode::SUCCESS)
}
