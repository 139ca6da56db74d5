//! Label files of `pqbench scan --eval`: one `path<TAB>families` line per
//! image (families comma-separated, or `none`; `#` starts a comment line).

use super::eval::EVALUATED;
use crate::sigdb::Family;
use core::fmt;
use std::collections::BTreeSet;
use std::format;
use std::path::{Path, PathBuf};
use std::string::String;
use std::vec::Vec;

/// One labelled image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The image, resolved against the current directory or an ancestor of
    /// the label file.
    pub path: PathBuf,
    /// Line number in the label file (1-based).
    pub line: usize,
    /// Its true families (empty: a crypto-free control).
    pub families: BTreeSet<Family>,
}

/// A parsed label file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labels {
    /// The label file.
    pub file: PathBuf,
    /// Its entries, in file order.
    pub entries: Vec<Label>,
}

/// A label file that cannot be used, with the file and line at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelError {
    /// The label file.
    pub file: PathBuf,
    /// The line at fault (1-based), if one is.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(n) => write!(f, "{}:{n}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for LabelError {}

/// The evaluated family names, for messages: `rsa, ecc, …, crc`.
pub fn family_names() -> String {
    EVALUATED
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads and parses a label file. Relative image paths are resolved
/// against the current directory, then the label file's directory and its
/// ancestors (the first that exists; the path as written if none does).
pub fn read_labels(path: &Path) -> Result<Labels, LabelError> {
    let err = |line: Option<usize>, message: String| LabelError {
        file: path.to_path_buf(),
        line,
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(None, format!("cannot read: {e}")))?;
    let base_dirs: Vec<PathBuf> = std::iter::once(PathBuf::new())
        .chain(
            path.parent()
                .into_iter()
                .flat_map(|p| p.ancestors().map(Path::to_path_buf)),
        )
        .collect();
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((p, fams)) = line.split_once('\t') else {
            return Err(err(Some(n), "expected `path<TAB>families`".into()));
        };
        let mut families = BTreeSet::new();
        for f in fams.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            if f == "none" {
                continue;
            }
            match Family::from_name(f).filter(|f| EVALUATED.contains(f)) {
                Some(fam) => {
                    families.insert(fam);
                }
                None => {
                    return Err(err(
                        Some(n),
                        format!("unknown family {f:?} ({} or none)", family_names()),
                    ));
                }
            }
        }
        let rel = PathBuf::from(p);
        let path = if rel.is_absolute() {
            rel
        } else {
            base_dirs
                .iter()
                .map(|d| d.join(&rel))
                .find(|c| c.exists())
                .unwrap_or(rel)
        };
        entries.push(Label {
            path,
            line: n,
            families,
        });
    }
    Ok(Labels {
        file: path.to_path_buf(),
        entries,
    })
}

/// Why a labelled image cannot be evaluated, if it cannot: it does not
/// exist, is not a regular file, or cannot be opened.
fn unreadable(path: &Path) -> Option<String> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some("does not exist".into()),
        Err(e) => Some(format!("cannot be read: {e}")),
        Ok(m) if !m.is_file() => Some("is not a regular file".into()),
        Ok(_) => std::fs::File::open(path)
            .err()
            .map(|e| format!("cannot be read: {e}")),
    }
}

impl Labels {
    /// Checks that every labelled image exists and can be read. Without
    /// `skip_missing` the first one that cannot is an error naming the
    /// label file and line; with it, those entries are removed and
    /// returned (with the reason) so that the caller can report them.
    pub fn check_images(&mut self, skip_missing: bool) -> Result<Vec<(Label, String)>, LabelError> {
        let mut skipped = Vec::new();
        let mut kept = Vec::with_capacity(self.entries.len());
        for l in core::mem::take(&mut self.entries) {
            match unreadable(&l.path) {
                None => kept.push(l),
                Some(why) if skip_missing => skipped.push((l, why)),
                Some(why) => {
                    let e = LabelError {
                        file: self.file.clone(),
                        line: Some(l.line),
                        message: format!(
                            "labelled image {} {why} (build the corpus with scripts/corpus/build.py, \
or pass --skip-missing to evaluate without it)",
                            l.path.display()
                        ),
                    };
                    self.entries = kept;
                    return Err(e);
                }
            }
        }
        self.entries = kept;
        Ok(skipped)
    }

    /// The labelled image paths, in file order.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.entries.iter().map(|l| l.path.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write");
        p
    }

    #[test]
    fn paths_resolve_against_the_label_file_and_lines_are_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fw = write(dir.path(), "fw.bin", "x");
        let l = write(
            dir.path(),
            "l.tsv",
            "# comment\n\nfw.bin\tecc, sha\nctl.bin\tnone\r\n",
        );
        let labels = read_labels(&l).expect("parse");
        assert_eq!(labels.entries.len(), 2);
        assert_eq!(labels.entries[0].path, fw);
        assert_eq!(labels.entries[0].line, 3);
        assert_eq!(
            labels.entries[0].families,
            BTreeSet::from([Family::Ecc, Family::Sha])
        );
        assert!(labels.entries[1].families.is_empty());
        assert_eq!(labels.entries[1].line, 4);
    }

    #[test]
    fn bad_lines_are_errors_naming_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let l = write(dir.path(), "l.tsv", "a.bin\tecc\nb.bin\tecc,quantum\n");
        let e = read_labels(&l).expect_err("unknown family");
        assert_eq!(e.line, Some(2));
        let msg = e.to_string();
        assert!(msg.contains("l.tsv:2: unknown family \"quantum\""), "{msg}");
        assert!(
            msg.contains("rsa, ecc, dh, aes, sha, hash, pqc, crc or none"),
            "{msg}"
        );
        write(dir.path(), "l.tsv", "a.bin\tlib\n");
        assert!(read_labels(&l).is_err(), "lib is not an evaluated family");
        write(dir.path(), "l.tsv", "no-tab-here\n");
        assert_eq!(read_labels(&l).expect_err("no tab").line, Some(1));
        let e = read_labels(&dir.path().join("absent.tsv")).expect_err("absent");
        assert!(e.to_string().contains("absent.tsv: cannot read"), "{e}");
    }

    #[test]
    fn missing_images_fail_with_the_line_unless_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "a.bin", "x");
        std::fs::create_dir(dir.path().join("d.bin")).expect("mkdir");
        let l = write(
            dir.path(),
            "l.tsv",
            "a.bin\tecc\ngone.bin\tsha\nd.bin\tnone\n",
        );
        let mut labels = read_labels(&l).expect("parse");
        let e = labels.clone().check_images(false).expect_err("missing");
        assert_eq!(e.line, Some(2));
        let msg = e.to_string();
        assert!(msg.contains("l.tsv:2: labelled image"), "{msg}");
        assert!(msg.contains("gone.bin does not exist"), "{msg}");
        let skipped = labels.check_images(true).expect("skip");
        assert_eq!(
            skipped.iter().map(|(l, _)| l.line).collect::<Vec<_>>(),
            [2, 3]
        );
        assert_eq!(skipped[1].1, "is not a regular file");
        assert_eq!(labels.paths(), [dir.path().join("a.bin")]);
    }
}
