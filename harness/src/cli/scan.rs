//! `pqbench scan`: find quantum-vulnerable (and context) cryptography in
//! firmware images; table, JSON or CycloneDX 1.6 CBOM output; `--eval`
//! measures precision and recall against a labelled corpus. The work is
//! done by `pqbench_detect::report`; this module parses and prints.

use anyhow::{Context, bail};
use pqbench_detect::analyze::Detector;
use pqbench_detect::report::eval::{EVALUATED, Floors, evaluate};
use pqbench_detect::report::labels::{Label, Labels, family_names, read_labels};
use pqbench_detect::report::stats::{MemorySampler, ScanStats};
use pqbench_detect::report::{FileResult, cbom, collect_files, json, scan_files};
use pqbench_detect::sigdb::{Family, Signature};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use super::exit;
use crate::results::write_atomic_with;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Output formats.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutFormat {
    /// Human-readable table.
    Table,
    /// JSON with every finding and hit.
    Json,
    /// CycloneDX 1.6 CBOM.
    Cbom,
}

/// Arguments of `pqbench scan`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Firmware images or directories (scanned recursively), or `-` for
    /// standard input. Formats: raw, ELF (32/64-bit, LE/BE), PE (PE32/PE32+),
    /// Mach-O (64-bit, fat), Intel HEX, Motorola S-record (detected). Files
    /// are memory-mapped, not read into the heap (standard input and files
    /// that cannot be mapped are read, up to 1 GiB); files are scanned in
    /// parallel and large segments in parallel chunks (RAYON_NUM_THREADS
    /// sets the threads).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
    /// Write the output to this file (atomically) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Evaluate against LABELS.tsv (`path<TAB>families`, families
    /// comma-separated or `none`): prints precision and recall per family and
    /// overall. Paths are relative to the current directory or to an ancestor
    /// of the labels file. Scans the labelled files when no PATH is given.
    /// A labelled image that does not exist or cannot be read is an error
    /// (exit 2) naming the label file and line. Families with neither a
    /// labelled image nor a prediction show `n/a`.
    #[arg(long, value_name = "LABELS.tsv")]
    pub eval: Option<PathBuf>,
    /// With --eval: skip labelled images that do not exist or cannot be
    /// read (and report how many were skipped) instead of failing.
    #[arg(long, requires = "eval")]
    pub skip_missing: bool,
    /// With --eval: exit 1 unless precision on rsa+ecc+dh is at least this.
    #[arg(long, value_name = "P", requires = "eval")]
    pub min_precision: Option<f64>,
    /// With --eval: exit 1 unless recall on rsa+ecc+dh is at least this.
    #[arg(long, value_name = "R", requires = "eval")]
    pub min_recall: Option<f64>,
    /// With --eval: exit 1 unless the precision of FAMILY is at least P
    /// (repeatable, e.g. `--min-family-precision sha=0.95`; fails when no
    /// image is labelled FAMILY or none was predicted FAMILY).
    #[arg(long, value_name = "FAMILY=P", requires = "eval", value_parser = family_floor)]
    pub min_family_precision: Vec<(Family, f64)>,
    /// With --eval: exit 1 unless the recall of FAMILY is at least R
    /// (repeatable, e.g. `--min-family-recall aes=0.9`; fails when no image
    /// is labelled FAMILY).
    #[arg(long, value_name = "FAMILY=R", requires = "eval", value_parser = family_floor)]
    pub min_family_recall: Vec<(Family, f64)>,
    /// Show every hit in the table (offsets, addresses, constants, layouts).
    #[arg(long)]
    pub hits: bool,
    /// Print to stderr: files, bytes, wall time, MB/s, images/s, threads,
    /// and memory (peak resident set, and the peaks of its anonymous and
    /// file-backed parts sampled every 10 ms; Linux). A mapped file of
    /// 16 MiB or more drops the pages it has finished with from the resident
    /// set as it is scanned (they stay in the page cache), so the
    /// file-backed part is about the chunks in flight, not the file size.
    #[arg(long)]
    pub stats: bool,
    /// Byte patterns only: disable the instruction-encoded word kernel
    /// (MOVW/MOVT pairs, imm32/imm64 operands, literal-pool words), e.g. to
    /// measure what it adds with --eval.
    #[arg(long)]
    pub no_words: bool,
    /// Skip the map of high-entropy regions (compressed or encrypted data,
    /// key material). The entropy kernel is about a third of the kernels'
    /// time on real code and feeds no finding: findings and hits are the
    /// same; the report says the map was not made (JSON: "high_entropy":
    /// null).
    #[arg(long)]
    pub no_entropy: bool,
}

/// Parses `FAMILY=VALUE` (an evaluated family, a value in [0, 1]).
fn family_floor(s: &str) -> Result<(Family, f64), String> {
    let (f, v) = s
        .split_once('=')
        .ok_or_else(|| format!("expected FAMILY=VALUE, got {s:?}"))?;
    let fam = Family::from_name(f.trim())
        .filter(|f| EVALUATED.contains(f))
        .ok_or_else(|| format!("unknown family {f:?} ({})", family_names()))?;
    let v: f64 = v
        .trim()
        .parse()
        .map_err(|e| format!("{v:?} is not a number: {e}"))?;
    if !(0.0..=1.0).contains(&v) {
        return Err(format!("{v} is not in [0, 1]"));
    }
    Ok((fam, v))
}

/// What `scan` reads.
struct Inputs {
    files: Vec<PathBuf>,
    labels: Option<Labels>,
    /// With --skip-missing: labelled images left out, and why.
    skipped: Vec<(Label, String)>,
}

/// The files to scan: the given paths, or the labelled images when
/// evaluating without paths. Labelled images that cannot be read are an
/// error unless skipped.
fn inputs(args: &Args) -> anyhow::Result<Inputs> {
    let Some(l) = &args.eval else {
        return Ok(Inputs {
            files: collect_files(&args.paths)?,
            labels: None,
            skipped: Vec::new(),
        });
    };
    let mut labels = read_labels(l)?;
    let skipped = labels.check_images(args.skip_missing)?;
    let files = if args.paths.is_empty() {
        labels.paths()
    } else {
        collect_files(&args.paths)?
    };
    if files.is_empty() && !skipped.is_empty() {
        bail!(
            "nothing to scan: all {} labelled image(s) were skipped (build them with scripts/corpus/build.py)",
            skipped.len()
        );
    }
    Ok(Inputs {
        files,
        labels: Some(labels),
        skipped,
    })
}

/// Runs `pqbench scan`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Inputs {
        files,
        labels,
        skipped,
    } = inputs(&args)?;
    if files.is_empty() {
        bail!("nothing to scan: give files or directories (or --eval LABELS.tsv)");
    }
    let det = if args.no_words {
        Detector::new(pqbench_detect::sigdb::builtin())
    } else {
        Detector::builtin()
    };
    let det = if args.no_entropy {
        det.without_entropy()
    } else {
        det
    };
    let sampler = args
        .stats
        .then(|| MemorySampler::start(std::time::Duration::from_millis(10)));
    let start = Instant::now();
    let results = scan_files(&det, &files);
    let elapsed = start.elapsed().as_secs_f64();
    let memory = sampler.and_then(MemorySampler::finish);
    let mut failed = 0;
    for r in &results {
        if let Err(e) = &r.result {
            eprintln!("error: {}: {e}", r.path.display());
            failed += 1;
        }
    }
    if args.stats {
        let st = ScanStats::of(&results, elapsed, rayon::current_num_threads());
        eprintln!(
            "{}, {} byte patterns + {} word signatures)",
            st.line(),
            det.patterns(),
            det.db().len() - det.patterns()
        );
        if let Some(m) = memory {
            let mb = |b: u64| b as f64 / 1048576.0;
            eprintln!(
                "memory: peak RSS {:.1} MiB (VmHWM); peak anonymous {:.1} MiB, peak file-backed {:.1} MiB (sampled every 10 ms)",
                mb(m.peak),
                mb(m.anon),
                mb(m.file)
            );
        }
    }
    let mut gate_failed = false;
    let text = if let Some(labels) = &labels {
        let ev = evaluate(&results, labels);
        let mut r = ev.render();
        let fails = ev.check(&Floors {
            qv_precision: args.min_precision,
            qv_recall: args.min_recall,
            family_precision: args.min_family_precision.clone(),
            family_recall: args.min_family_recall.clone(),
        });
        for f in &fails {
            r += &format!("\n{f}\n");
        }
        gate_failed = !fails.is_empty();
        if !skipped.is_empty() {
            r += &format!(
                "\n{} labelled image(s) skipped (--skip-missing); not evaluated:\n",
                skipped.len()
            );
            for (l, why) in &skipped {
                r += &format!(
                    "  {}:{}: {} {why}\n",
                    labels.file.display(),
                    l.line,
                    l.path.display()
                );
            }
        }
        r
    } else {
        match args.format {
            OutFormat::Table => table(&results, det.db(), args.hits),
            OutFormat::Json => {
                serde_json::to_string_pretty(&json::report(&results, det.db(), VERSION))? + "\n"
            }
            OutFormat::Cbom => {
                serde_json::to_string_pretty(&cbom::cbom(&results, det.db(), VERSION))? + "\n"
            }
        }
    };
    match &args.output {
        Some(path) => write_atomic_with(path, |w| w.write_all(text.as_bytes()))
            .with_context(|| format!("writing {}", path.display()))?,
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(if failed > 0 {
        ExitCode::from(exit::USAGE)
    } else if gate_failed {
        ExitCode::from(exit::REGRESSION)
    } else {
        ExitCode::SUCCESS
    })
}

fn table(results: &[FileResult], db: &[Signature], show_hits: bool) -> String {
    let mut s = String::new();
    for r in results {
        let a = match &r.result {
            Ok(a) => a,
            Err(e) => {
                s += &format!("{}: ERROR {e}\n\n", r.path.display());
                continue;
            }
        };
        let regions = a.high_entropy.as_ref().map_or_else(
            || "entropy not mapped".to_string(),
            |v| format!("{} high-entropy region(s)", v.len()),
        );
        s += &format!(
            "{} ({}, {} bytes in {} segment(s), {} hits, {regions})\n",
            r.path.display(),
            a.format.name(),
            a.bytes,
            a.segments,
            a.hits.len(),
        );
        if a.findings.is_empty() {
            s += "  no cryptography found\n\n";
            continue;
        }
        s += &format!(
            "  {:<6} {:<4} {:<18} {:>5} {:>5} {:>12}  {}\n",
            "family", "qv", "algorithm", "conf", "hits", "first", "constants"
        );
        for f in &a.findings {
            for alg in &f.algorithms {
                let first = alg
                    .hits
                    .first()
                    .map(|h| format!("{:#x}", h.offset))
                    .unwrap_or_default();
                s += &format!(
                    "  {:<6} {:<4} {:<18} {:>5.2} {:>5} {:>12}  {}\n",
                    f.family.name(),
                    if f.family.quantum_vulnerable() {
                        "yes"
                    } else {
                        "-"
                    },
                    alg.algorithm,
                    alg.confidence,
                    alg.hits.len(),
                    first,
                    alg.constants.join(",")
                );
                if show_hits {
                    for h in &alg.hits {
                        if let Some(sig) = db.get(h.sig as usize) {
                            let addr = h.address.map(|a| format!(" @ {a:#x}")).unwrap_or_default();
                            s += &format!(
                                "      {:#10x}{addr}  {} [{}] {} bytes\n",
                                h.offset,
                                sig.constant,
                                sig.layout,
                                sig.bytes.len()
                            );
                        }
                    }
                }
            }
            s += &format!("  => {} confidence {:.2}\n", f.family.name(), f.confidence);
        }
        s += "\n";
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_floors_parse() {
        assert_eq!(family_floor("sha=0.95"), Ok((Family::Sha, 0.95)));
        assert_eq!(family_floor(" aes = 1 "), Ok((Family::Aes, 1.0)));
        assert!(family_floor("lib=0.5").is_err());
        assert!(family_floor("sha").is_err());
        assert!(family_floor("sha=1.5").is_err());
        assert!(family_floor("sha=x").is_err());
        let e = family_floor("quantum=0.5").expect_err("unknown");
        assert!(
            e.contains("(rsa, ecc, dh, aes, sha, hash, pqc, crc)"),
            "{e}"
        );
    }
}
