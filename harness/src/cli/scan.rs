//! `pqbench scan`: find quantum-vulnerable (and context) cryptography in
//! firmware images; table, JSON or CycloneDX 1.6 CBOM output; `--eval`
//! measures precision and recall against a labelled corpus.

use anyhow::{Context, bail};
use pqbench_detect::analyze::{Analysis, Detector};
use pqbench_detect::sigdb::{Family, Signature};
use rayon::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use super::exit;

/// Largest file `scan` reads (bytes).
const MAX_FILE: u64 = 1 << 30;

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
    /// Firmware images or directories (scanned recursively). Formats: raw,
    /// ELF (32/64-bit, LE/BE), Intel HEX, Motorola S-record (detected).
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
    #[arg(long, value_name = "LABELS.tsv")]
    pub eval: Option<PathBuf>,
    /// With --eval: exit 1 unless precision on rsa+ecc+dh is at least this.
    #[arg(long, value_name = "P", requires = "eval")]
    pub min_precision: Option<f64>,
    /// With --eval: exit 1 unless recall on rsa+ecc+dh is at least this.
    #[arg(long, value_name = "R", requires = "eval")]
    pub min_recall: Option<f64>,
    /// With --eval: exit 1 unless the precision of FAMILY is at least P
    /// (repeatable, e.g. `--min-family-precision sha=0.95`; a family with no
    /// prediction counts as precision 1).
    #[arg(long, value_name = "FAMILY=P", requires = "eval", value_parser = family_floor)]
    pub min_family_precision: Vec<(Family, f64)>,
    /// With --eval: exit 1 unless the recall of FAMILY is at least R
    /// (repeatable, e.g. `--min-family-recall aes=0.9`; a family with no
    /// labelled image counts as recall 1).
    #[arg(long, value_name = "FAMILY=R", requires = "eval", value_parser = family_floor)]
    pub min_family_recall: Vec<(Family, f64)>,
    /// Show every hit in the table (offsets, addresses, constants, layouts).
    #[arg(long)]
    pub hits: bool,
    /// Print bytes scanned, wall time and throughput to stderr.
    #[arg(long)]
    pub stats: bool,
    /// Byte patterns only: disable the instruction-encoded word kernel
    /// (MOVW/MOVT pairs, imm32/imm64 operands, literal-pool words), e.g. to
    /// measure what it adds with --eval.
    #[arg(long)]
    pub no_words: bool,
}

/// Parses `FAMILY=VALUE` (an evaluated family, a value in [0, 1]).
fn family_floor(s: &str) -> Result<(Family, f64), String> {
    let (f, v) = s
        .split_once('=')
        .ok_or_else(|| format!("expected FAMILY=VALUE, got {s:?}"))?;
    let fam = Family::from_name(f.trim())
        .filter(|f| EVAL_FAMILIES.contains(f))
        .ok_or_else(|| format!("unknown family {f:?} (rsa, ecc, dh, aes, sha, hash, pqc, crc)"))?;
    let v: f64 = v
        .trim()
        .parse()
        .map_err(|e| format!("{v:?} is not a number: {e}"))?;
    if !(0.0..=1.0).contains(&v) {
        return Err(format!("{v} is not in [0, 1]"));
    }
    Ok((fam, v))
}

struct FileResult {
    path: PathBuf,
    result: Result<Analysis, String>,
}

fn collect(paths: &[PathBuf], out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for p in paths {
        let meta = std::fs::metadata(p).with_context(|| format!("cannot read {}", p.display()))?;
        if meta.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot list {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            collect(&entries, out)?;
        } else if meta.is_file() {
            out.push(p.clone());
        }
    }
    Ok(())
}

fn analyze_file(det: &Detector, path: &Path) -> Result<Analysis, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.len() > MAX_FILE {
        return Err(format!("file is larger than {MAX_FILE} bytes"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    det.analyze(&bytes).map_err(|e| format!("cannot load: {e}"))
}

/// Families predicted for an image (public-key and context, not `lib`).
fn predicted(a: &Analysis) -> BTreeSet<Family> {
    a.findings
        .iter()
        .map(|f| f.family)
        .filter(|f| *f != Family::Lib)
        .collect()
}

/// Runs `pqbench scan`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let labels = match &args.eval {
        Some(l) => Some(read_labels(l)?),
        None => None,
    };
    let mut files = Vec::new();
    collect(&args.paths, &mut files)?;
    let mut missing = 0;
    if let Some(labels) = &labels
        && args.paths.is_empty()
    {
        files = labels
            .iter()
            .map(|(p, _)| p.clone())
            .filter(|p| p.exists())
            .collect();
        missing = labels.len() - files.len();
    }
    if files.is_empty() {
        bail!("nothing to scan: give files or directories (or --eval LABELS.tsv)");
    }
    let det = if args.no_words {
        Detector::new(pqbench_detect::sigdb::builtin())
    } else {
        Detector::builtin()
    };
    let start = Instant::now();
    let results: Vec<FileResult> = files
        .par_iter()
        .map(|p| FileResult {
            path: p.clone(),
            result: analyze_file(&det, p),
        })
        .collect();
    let elapsed = start.elapsed().as_secs_f64();
    let bytes: u64 = results
        .iter()
        .filter_map(|r| r.result.as_ref().ok())
        .map(|a| a.bytes)
        .sum();
    let mut failed = 0;
    for r in &results {
        if let Err(e) = &r.result {
            eprintln!("error: {}: {e}", r.path.display());
            failed += 1;
        }
    }
    if args.stats {
        eprintln!(
            "scanned {} files, {} bytes in {:.3} s ({:.0} MB/s, {} threads, {} byte patterns + {} word signatures)",
            results.len(),
            bytes,
            elapsed,
            bytes as f64 / 1e6 / elapsed.max(1e-9),
            rayon::current_num_threads(),
            det.patterns(),
            det.db().len() - det.patterns()
        );
    }
    let mut gate_failed = false;
    let text = if let Some(labels) = &labels {
        let (mut r, ev) = eval_report(&results, labels);
        if !ev.controls_clean {
            r += "\nFAIL: a crypto-free control was marked rsa/ecc/dh\n";
            gate_failed = true;
        }
        if let Some(p) = args.min_precision
            && ev.qv_precision < p
        {
            r += &format!(
                "\nFAIL: rsa+ecc+dh precision {:.3} < {p}\n",
                ev.qv_precision
            );
            gate_failed = true;
        }
        if let Some(m) = args.min_recall
            && ev.qv_recall < m
        {
            r += &format!("\nFAIL: rsa+ecc+dh recall {:.3} < {m}\n", ev.qv_recall);
            gate_failed = true;
        }
        for &(fam, p) in &args.min_family_precision {
            let got = ev.precision(fam);
            if got < p {
                r += &format!("\nFAIL: {fam} precision {got:.3} < {p}\n");
                gate_failed = true;
            }
        }
        for &(fam, m) in &args.min_family_recall {
            let got = ev.recall(fam);
            if got < m {
                r += &format!("\nFAIL: {fam} recall {got:.3} < {m}\n");
                gate_failed = true;
            }
        }
        if missing > 0 {
            r += &format!(
                "\n{missing} labelled image(s) not found (build them with scripts/corpus/build.py)\n"
            );
        }
        r
    } else {
        match args.format {
            OutFormat::Table => table(&results, det.db(), args.hits),
            OutFormat::Json => {
                serde_json::to_string_pretty(&json_report(&results, det.db()))? + "\n"
            }
            OutFormat::Cbom => serde_json::to_string_pretty(&cbom(&results, det.db()))? + "\n",
        }
    };
    match &args.output {
        Some(path) => write_atomic(path, text.as_bytes())?,
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

fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
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
        s += &format!(
            "{} ({}, {} bytes in {} segment(s), {} hits, {} high-entropy region(s))\n",
            r.path.display(),
            a.format.name(),
            a.bytes,
            a.segments,
            a.hits.len(),
            a.high_entropy.len()
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

fn hit_json(db: &[Signature], h: &pqbench_detect::evidence::Located) -> Value {
    let sig = db.get(h.sig as usize);
    json!({
        "offset": h.offset,
        "address": h.address,
        "constant": sig.map(|s| s.constant),
        "layout": sig.map(|s| s.layout),
        "length": sig.map(|s| s.bytes.len()),
        "weight": sig.map(|s| s.weight),
    })
}

fn json_report(results: &[FileResult], db: &[Signature]) -> Value {
    let files: Vec<Value> = results
        .iter()
        .map(|r| match &r.result {
            Err(e) => json!({ "path": r.path, "error": e }),
            Ok(a) => json!({
                "path": r.path,
                "format": a.format.name(),
                "machine": a.machine,
                "bytes": a.bytes,
                "segments": a.segments,
                "hits": a.hits.len(),
                "families": predicted(a).iter().map(|f| f.name()).collect::<Vec<_>>(),
                "quantum_vulnerable": a.findings.iter().any(|f| f.family.quantum_vulnerable()),
                "findings": a.findings.iter().map(|f| json!({
                    "family": f.family.name(),
                    "quantum_vulnerable": f.family.quantum_vulnerable(),
                    "score": f.score,
                    "confidence": f.confidence,
                    "algorithms": f.algorithms.iter().map(|alg| json!({
                        "algorithm": alg.algorithm,
                        "score": alg.score,
                        "confidence": alg.confidence,
                        "constants": alg.constants,
                        "hits": alg.hits.iter().map(|h| hit_json(db, h)).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "high_entropy": a.high_entropy.iter().map(|(o, l)| json!({"offset": o, "length": l})).collect::<Vec<_>>(),
            }),
        })
        .collect();
    json!({ "schema": "pqbench-scan/1", "tool": { "name": "pqbench", "version": env!("CARGO_PKG_VERSION") }, "files": files })
}

/// CycloneDX fields for an algorithm: (name, primitive, NIST quantum
/// security level, OID, curve, crypto functions).
fn algorithm_meta(
    alg: &str,
) -> (
    &'static str,
    &'static str,
    u8,
    Option<&'static str>,
    Option<&'static str>,
) {
    match alg {
        "p-256" => (
            "EC P-256 (ECDSA/ECDH)",
            "other",
            0,
            Some("1.2.840.10045.3.1.7"),
            Some("secp256r1"),
        ),
        "p-384" => (
            "EC P-384 (ECDSA/ECDH)",
            "other",
            0,
            Some("1.3.132.0.34"),
            Some("secp384r1"),
        ),
        "p-521" => (
            "EC P-521 (ECDSA/ECDH)",
            "other",
            0,
            Some("1.3.132.0.35"),
            Some("secp521r1"),
        ),
        "secp256k1" => (
            "EC secp256k1 (ECDSA/ECDH)",
            "other",
            0,
            Some("1.3.132.0.10"),
            Some("secp256k1"),
        ),
        "brainpoolp256r1" => (
            "EC brainpoolP256r1",
            "other",
            0,
            Some("1.3.36.3.3.2.8.1.1.7"),
            Some("brainpoolP256r1"),
        ),
        "brainpoolp384r1" => (
            "EC brainpoolP384r1",
            "other",
            0,
            Some("1.3.36.3.3.2.8.1.1.11"),
            Some("brainpoolP384r1"),
        ),
        "curve25519" | "x25519" => (
            "X25519",
            "key-agree",
            0,
            Some("1.3.101.110"),
            Some("Curve25519"),
        ),
        "ed25519" => (
            "Ed25519",
            "signature",
            0,
            Some("1.3.101.112"),
            Some("Edwards25519"),
        ),
        "ecdsa" => ("ECDSA", "signature", 0, Some("1.2.840.10045.2.1"), None),
        "rsa" => ("RSA", "pke", 0, Some("1.2.840.113549.1.1.1"), None),
        "rsa-pkcs1v15" => ("RSASSA-PKCS1-v1_5", "signature", 0, None, None),
        "modp-dh" => (
            "DH (RFC 2409/3526 MODP)",
            "key-agree",
            0,
            Some("1.2.840.10046.2.1"),
            None,
        ),
        "ffdhe" => (
            "DH (RFC 7919 ffdhe)",
            "key-agree",
            0,
            Some("1.2.840.10046.2.1"),
            None,
        ),
        "dh" => ("DH", "key-agree", 0, Some("1.2.840.10046.2.1"), None),
        "dsa" => ("DSA", "signature", 0, Some("1.2.840.10040.4.1"), None),
        "aes" => ("AES", "block-cipher", 1, Some("2.16.840.1.101.3.4.1"), None),
        "sha-1" => ("SHA-1", "hash", 0, Some("1.3.14.3.2.26"), None),
        "sha-256" => ("SHA-256", "hash", 2, Some("2.16.840.1.101.3.4.2.1"), None),
        "sha-384" => ("SHA-384", "hash", 4, Some("2.16.840.1.101.3.4.2.2"), None),
        "sha-512" => ("SHA-512", "hash", 5, Some("2.16.840.1.101.3.4.2.3"), None),
        "md5" => ("MD5", "hash", 0, Some("1.2.840.113549.2.5"), None),
        "keccak" => ("Keccak / SHA-3", "hash", 2, None, None),
        "crc32" => ("CRC-32 (not cryptographic)", "other", 0, None, None),
        "ml-kem" => ("ML-KEM", "kem", 1, Some("2.16.840.1.101.3.4.4"), None),
        "ml-dsa" => ("ML-DSA", "signature", 2, Some("2.16.840.1.101.3.4.3"), None),
        _ => ("unknown", "unknown", 0, None, None),
    }
}

fn platform(machine: Option<u16>) -> &'static str {
    match machine {
        Some(40) => "armv7-m",
        Some(62) => "x86_64",
        Some(3) => "x86_32",
        Some(183) => "armv8-a",
        Some(_) => "other",
        None => "unknown",
    }
}

fn uuid_v4() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut b = [0u8; 16];
    for (i, chunk) in b.chunks_mut(8).enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_usize(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// Seconds since the epoch as an RFC 3339 UTC timestamp.
fn timestamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn cbom(results: &[FileResult], db: &[Signature]) -> Value {
    let mut components = Vec::new();
    let mut dependencies = Vec::new();
    for (fi, r) in results.iter().enumerate() {
        let Ok(a) = &r.result else { continue };
        let file_ref = format!("firmware-{fi}");
        let location = r.path.display().to_string();
        let mut deps = Vec::new();
        components.push(json!({
            "type": "firmware",
            "bom-ref": file_ref,
            "name": location,
            "properties": [
                {"name": "pqbench:format", "value": a.format.name()},
                {"name": "pqbench:bytes", "value": a.bytes.to_string()},
                {"name": "pqbench:quantumVulnerable", "value": a.findings.iter().any(|f| f.family.quantum_vulnerable()).to_string()},
            ],
        }));
        for f in &a.findings {
            for alg in &f.algorithms {
                let occurrences: Vec<Value> = alg
                    .hits
                    .iter()
                    .filter_map(|h| {
                        let sig = db.get(h.sig as usize)?;
                        let addr = h.address.map(|x| format!(", address {x:#x}")).unwrap_or_default();
                        Some(json!({
                            "location": location,
                            "offset": h.offset,
                            "additionalContext": format!("{} ({} layout, {} bytes{addr})", sig.constant, sig.layout, sig.bytes.len()),
                        }))
                    })
                    .collect();
                let bom_ref = format!("{file_ref}/{}/{}", f.family.name(), alg.algorithm);
                deps.push(bom_ref.clone());
                let component = if f.family == Family::Lib {
                    json!({
                        "type": "library",
                        "bom-ref": bom_ref,
                        "name": alg.algorithm,
                        "evidence": { "occurrences": occurrences },
                    })
                } else {
                    let (name, primitive, level, oid, curve) = algorithm_meta(alg.algorithm);
                    let mut props = json!({
                        "primitive": primitive,
                        "executionEnvironment": "software-plain-ram",
                        "implementationPlatform": platform(a.machine),
                        "nistQuantumSecurityLevel": level,
                    });
                    if let Some(c) = curve {
                        props["curve"] = json!(c);
                    }
                    let mut crypto =
                        json!({ "assetType": "algorithm", "algorithmProperties": props });
                    if let Some(o) = oid {
                        crypto["oid"] = json!(o);
                    }
                    json!({
                        "type": "cryptographic-asset",
                        "bom-ref": bom_ref,
                        "name": name,
                        "cryptoProperties": crypto,
                        "properties": [
                            {"name": "pqbench:family", "value": f.family.name()},
                            {"name": "pqbench:quantumVulnerable", "value": f.family.quantum_vulnerable().to_string()},
                            {"name": "pqbench:confidence", "value": format!("{:.3}", alg.confidence)},
                        ],
                        "evidence": { "occurrences": occurrences },
                    })
                };
                components.push(component);
            }
        }
        dependencies.push(json!({ "ref": file_ref, "dependsOn": deps }));
    }
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": uuid_v4(),
        "version": 1,
        "metadata": {
            "timestamp": timestamp(),
            "tools": { "components": [{ "type": "application", "name": "pqbench", "version": env!("CARGO_PKG_VERSION") }] },
        },
        "components": components,
        "dependencies": dependencies,
    })
}

/// Families that `--eval` scores (every family but `lib`).
const EVAL_FAMILIES: [Family; 8] = [
    Family::Rsa,
    Family::Ecc,
    Family::Dh,
    Family::Aes,
    Family::Sha,
    Family::Hash,
    Family::Pqc,
    Family::Crc,
];

fn read_labels(path: &Path) -> anyhow::Result<Vec<(PathBuf, BTreeSet<Family>)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read labels {}", path.display()))?;
    let base_dirs: Vec<PathBuf> = std::iter::once(PathBuf::new())
        .chain(
            path.parent()
                .into_iter()
                .flat_map(|p| p.ancestors().map(Path::to_path_buf)),
        )
        .collect();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((p, fams)) = line.split_once('\t') else {
            bail!("{}:{}: expected `path<TAB>families`", path.display(), n + 1);
        };
        let mut set = BTreeSet::new();
        for f in fams.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            if f == "none" {
                continue;
            }
            match Family::from_name(f) {
                Some(fam) if fam != Family::Lib => {
                    set.insert(fam);
                }
                _ => bail!(
                    "{}:{}: unknown family {f:?} (rsa, ecc, dh, aes, sha, hash, pqc, crc or none)",
                    path.display(),
                    n + 1
                ),
            }
        }
        let rel = PathBuf::from(p);
        let resolved = if rel.is_absolute() {
            rel
        } else {
            base_dirs
                .iter()
                .map(|d| d.join(&rel))
                .find(|c| c.exists())
                .unwrap_or(rel)
        };
        out.push((resolved, set));
    }
    Ok(out)
}

fn ratio(a: usize, b: usize) -> String {
    if b == 0 {
        "-".into()
    } else {
        format!("{:.3}", a as f64 / b as f64)
    }
}

/// Headline numbers of an evaluation.
struct EvalSummary {
    qv_precision: f64,
    qv_recall: f64,
    controls_clean: bool,
    /// (TP, FP, FN) per family, in [`EVAL_FAMILIES`] order.
    counts: [(usize, usize, usize); 8],
}

impl EvalSummary {
    fn counts(&self, fam: Family) -> (usize, usize, usize) {
        EVAL_FAMILIES
            .iter()
            .position(|&f| f == fam)
            .map_or((0, 0, 0), |i| self.counts[i])
    }

    /// Precision of `fam` (1 when nothing was predicted).
    fn precision(&self, fam: Family) -> f64 {
        let (tp, fp, _) = self.counts(fam);
        if tp + fp == 0 {
            1.0
        } else {
            tp as f64 / (tp + fp) as f64
        }
    }

    /// Recall of `fam` (1 when no image is labelled with it).
    fn recall(&self, fam: Family) -> f64 {
        let (tp, _, fn_) = self.counts(fam);
        if tp + fn_ == 0 {
            1.0
        } else {
            tp as f64 / (tp + fn_) as f64
        }
    }
}

fn eval_report(
    results: &[FileResult],
    labels: &[(PathBuf, BTreeSet<Family>)],
) -> (String, EvalSummary) {
    let truth: std::collections::HashMap<&Path, &BTreeSet<Family>> =
        labels.iter().map(|(p, f)| (p.as_path(), f)).collect();
    let mut tp = [0usize; 8];
    let mut fp = [0usize; 8];
    let mut fn_ = [0usize; 8];
    let mut errors = Vec::new();
    let mut qv_on_controls = Vec::new();
    let mut n = 0;
    for r in results {
        let Some(&want) = truth.get(r.path.as_path()) else {
            continue;
        };
        let got = match &r.result {
            Ok(a) => predicted(a),
            Err(e) => {
                errors.push(format!("{}: {e}", r.path.display()));
                BTreeSet::new()
            }
        };
        n += 1;
        if want.is_empty() && got.iter().any(|f| f.quantum_vulnerable()) {
            qv_on_controls.push(r.path.display().to_string());
        }
        let mut diffs = Vec::new();
        for (i, fam) in EVAL_FAMILIES.iter().enumerate() {
            match (want.contains(fam), got.contains(fam)) {
                (true, true) => tp[i] += 1,
                (false, true) => {
                    fp[i] += 1;
                    diffs.push(format!("+{fam}"));
                }
                (true, false) => {
                    fn_[i] += 1;
                    diffs.push(format!("-{fam}"));
                }
                _ => {}
            }
        }
        if !diffs.is_empty() {
            errors.push(format!("{}: {}", r.path.display(), diffs.join(" ")));
        }
    }
    let mut s = format!(
        "images evaluated: {n}\n\n| family | TP | FP | FN | precision | recall |\n|---|---:|---:|---:|---:|---:|\n"
    );
    for (i, fam) in EVAL_FAMILIES.iter().enumerate() {
        s += &format!(
            "| {fam} | {} | {} | {} | {} | {} |\n",
            tp[i],
            fp[i],
            fn_[i],
            ratio(tp[i], tp[i] + fp[i]),
            ratio(tp[i], tp[i] + fn_[i])
        );
    }
    let qv = [0usize, 1, 2];
    let sum = |v: &[usize; 8], idx: &[usize]| idx.iter().map(|&i| v[i]).sum::<usize>();
    let (qtp, qfp, qfn) = (sum(&tp, &qv), sum(&fp, &qv), sum(&fn_, &qv));
    s += &format!(
        "| **quantum-vulnerable (rsa+ecc+dh)** | {qtp} | {qfp} | {qfn} | {} | {} |\n",
        ratio(qtp, qtp + qfp),
        ratio(qtp, qtp + qfn)
    );
    let all: Vec<usize> = (0..8).collect();
    let (atp, afp, afn) = (sum(&tp, &all), sum(&fp, &all), sum(&fn_, &all));
    s += &format!(
        "| **overall (micro)** | {atp} | {afp} | {afn} | {} | {} |\n",
        ratio(atp, atp + afp),
        ratio(atp, atp + afn)
    );
    s += &format!(
        "\ncrypto-free controls marked rsa/ecc/dh: {}\n",
        if qv_on_controls.is_empty() {
            "none".to_string()
        } else {
            qv_on_controls.join(", ")
        }
    );
    let frac = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let summary = EvalSummary {
        qv_precision: frac(qtp, qtp + qfp),
        qv_recall: frac(qtp, qtp + qfn),
        controls_clean: qv_on_controls.is_empty(),
        counts: core::array::from_fn(|i| (tp[i], fp[i], fn_[i])),
    };
    if !errors.is_empty() {
        s += "\nmisclassified (+ false positive, - missed):\n";
        for e in errors {
            s += &format!("  {e}\n");
        }
    }
    (s, summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planted_image(dir: &Path) -> PathBuf {
        let db = pqbench_detect::sigdb::builtin();
        let mut img = vec![0x5au8; 4096];
        for s in db
            .iter()
            .filter(|s| s.constant == "p-256.p" || s.constant == "p-256.b")
            .take(2)
        {
            img.extend_from_slice(s.bytes);
            img.extend_from_slice(&[0x11; 64]);
        }
        let p = dir.join("fw.bin");
        std::fs::write(&p, &img).expect("write image");
        p
    }

    #[test]
    fn scan_eval_and_cbom_on_a_planted_image() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fw = planted_image(dir.path());
        std::fs::write(dir.path().join("ctl.bin"), [0u8; 5000]).expect("write control");
        let det = Detector::builtin();
        let results: Vec<FileResult> = ["fw.bin", "ctl.bin"]
            .iter()
            .map(|n| {
                let path = dir.path().join(n);
                FileResult {
                    result: analyze_file(&det, &path),
                    path,
                }
            })
            .collect();
        let a = results[0].result.as_ref().expect("analysis");
        assert_eq!(predicted(a), BTreeSet::from([Family::Ecc]));
        let labels = dir.path().join("labels.tsv");
        std::fs::write(&labels, "# comment\nfw.bin\tecc\nctl.bin\tnone\n").expect("labels");
        let parsed = read_labels(&labels).expect("labels parse");
        assert_eq!(parsed[0].0, fw);
        let (text, summary) = eval_report(&results, &parsed);
        assert!(
            summary.controls_clean && summary.qv_precision == 1.0 && summary.qv_recall == 1.0,
            "{text}"
        );
        assert_eq!(summary.counts(Family::Ecc), (1, 0, 0));
        assert_eq!(summary.recall(Family::Ecc), 1.0);
        // Nothing labelled or predicted sha: both 1 by convention.
        assert_eq!(
            (summary.precision(Family::Sha), summary.recall(Family::Sha)),
            (1.0, 1.0)
        );
        let bom = cbom(&results, det.db());
        assert_eq!(bom["specVersion"], "1.6");
        let assets: Vec<&Value> = bom["components"]
            .as_array()
            .expect("components")
            .iter()
            .filter(|c| c["type"] == "cryptographic-asset")
            .collect();
        assert_eq!(assets.len(), 1);
        assert_eq!(
            assets[0]["cryptoProperties"]["algorithmProperties"]["nistQuantumSecurityLevel"],
            0
        );
        assert_eq!(assets[0]["evidence"]["occurrences"][0]["offset"], 4096);
    }

    #[test]
    fn family_floors_parse() {
        assert_eq!(family_floor("sha=0.95"), Ok((Family::Sha, 0.95)));
        assert_eq!(family_floor(" aes = 1 "), Ok((Family::Aes, 1.0)));
        assert!(family_floor("lib=0.5").is_err());
        assert!(family_floor("sha").is_err());
        assert!(family_floor("sha=1.5").is_err());
        assert!(family_floor("sha=x").is_err());
    }

    #[test]
    fn bad_labels_are_clear_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let l = dir.path().join("l.tsv");
        std::fs::write(&l, "a.bin\tecc,quantum\n").expect("write");
        let e = read_labels(&l).expect_err("unknown family");
        assert!(e.to_string().contains("unknown family \"quantum\""), "{e}");
        std::fs::write(&l, "no-tab-here\n").expect("write");
        assert!(read_labels(&l).is_err());
    }
}
