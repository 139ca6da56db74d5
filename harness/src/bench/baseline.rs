//! Named baselines: results files (format v1) stored as
//! `DIR/NAME/TARGET.json`, one per bench target, where DIR is
//! `$PQBENCH_BASELINE_DIR` or `<cargo target dir>/pqbench/baselines`.
//!
//! A missing or unreadable baseline is a [`BaselineError`], which bench
//! binaries and `pqbench baseline` report with exit code 2, like `pqbench
//! gate` reports a missing or corrupt results file.

use crate::results::{ResultsError, ResultsFile, load, write_atomic};
use std::path::{Path, PathBuf};

/// Environment variable naming the baseline directory (e.g. a CI cache).
pub const DIR_VAR: &str = "PQBENCH_BASELINE_DIR";

/// Why a baseline cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// No baseline of that name for that bench target.
    #[error("no baseline {name:?} for bench target {target:?}: {path} does not exist{}", available_note(.available))]
    Missing {
        /// Baseline name.
        name: String,
        /// Bench target.
        target: String,
        /// Where it was looked for.
        path: PathBuf,
        /// Baselines that do exist in the directory.
        available: Vec<String>,
    },
    /// No baseline of that name at all.
    #[error("no baseline {name:?} in {dir}{}", available_note(.available))]
    NoSuchBaseline {
        /// Baseline name.
        name: String,
        /// The baseline directory.
        dir: PathBuf,
        /// Baselines that do exist.
        available: Vec<String>,
    },
    /// The file exists but is not a readable results file.
    #[error("baseline {name:?} is unreadable: {source}")]
    Unreadable {
        /// Baseline name.
        name: String,
        /// What is wrong with the file.
        #[source]
        source: Box<ResultsError>,
    },
    /// The directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// Directory or file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

fn available_note(available: &[String]) -> String {
    if available.is_empty() {
        " (no baselines saved there yet: run with --save-baseline NAME first)".into()
    } else {
        format!(" (saved baselines: {})", available.join(", "))
    }
}

/// One file of a baseline: the results of one bench target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaselineFile {
    /// The bench target.
    pub target: String,
    /// The results file.
    pub path: PathBuf,
}

/// The baseline directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// A store at `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    /// The store a bench binary uses: `$PQBENCH_BASELINE_DIR`, else
    /// `pqbench/baselines` in cargo's target directory (see [`target_dir`]).
    pub fn from_env() -> Store {
        match std::env::var_os(DIR_VAR).filter(|v| !v.is_empty()) {
            Some(d) => Store::at(d),
            None => Store::at(target_dir().join("pqbench").join("baselines")),
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of baseline `name` for bench target `target`.
    pub fn path(&self, name: &str, target: &str) -> PathBuf {
        self.dir.join(name).join(format!("{target}.json"))
    }

    /// Creates the directory of baseline `name` (when missing) and returns it.
    fn create(&self, name: &str) -> Result<PathBuf, BaselineError> {
        let dir = self.dir.join(name);
        std::fs::create_dir_all(&dir).map_err(|source| BaselineError::Io {
            path: dir.clone(),
            source,
        })?;
        Ok(dir)
    }

    /// Stores `file` as baseline `name` of bench target `target`
    /// (atomically, replacing an older one) and returns its path.
    pub fn save(
        &self,
        name: &str,
        target: &str,
        file: &ResultsFile,
    ) -> Result<PathBuf, BaselineError> {
        let path = self.path(name, target);
        self.create(name)?;
        write_atomic(&path, file).map_err(|source| BaselineError::Unreadable {
            name: name.into(),
            source: Box::new(source),
        })?;
        Ok(path)
    }

    /// The executable of bench target `target` saved with baseline `name`
    /// (for `--paired`, which runs it beside the current build).
    pub fn exe_path(&self, name: &str, target: &str) -> PathBuf {
        self.dir.join(name).join(format!("{target}.bench-exe"))
    }

    /// Saves a copy of the executable `from` with baseline `name` of bench
    /// target `target` (atomically: a temporary copy renamed into place)
    /// and returns its path.
    pub fn save_exe(
        &self,
        name: &str,
        target: &str,
        from: &Path,
    ) -> Result<PathBuf, BaselineError> {
        let path = self.exe_path(name, target);
        let dir = self.create(name)?;
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| BaselineError::Io { path, source }
        };
        let tmp = tempfile::Builder::new()
            .prefix(".exe-")
            .tempfile_in(&dir)
            .map_err(io(&dir))?;
        std::fs::copy(from, tmp.path()).map_err(io(from))?;
        tmp.persist(&path).map_err(|e| BaselineError::Io {
            path: path.clone(),
            source: e.error,
        })?;
        Ok(path)
    }

    /// The saved executable of baseline `name` for bench target `target`;
    /// [`BaselineError::Missing`] when there is none.
    pub fn exe(&self, name: &str, target: &str) -> Result<PathBuf, BaselineError> {
        let path = self.exe_path(name, target);
        if path.is_file() {
            return Ok(path);
        }
        Err(BaselineError::Missing {
            name: name.into(),
            target: target.into(),
            path,
            available: self.names().unwrap_or_default(),
        })
    }

    /// Loads baseline `name` of bench target `target`.
    pub fn load(&self, name: &str, target: &str) -> Result<ResultsFile, BaselineError> {
        let path = self.path(name, target);
        if !path.exists() {
            return Err(BaselineError::Missing {
                name: name.into(),
                target: target.into(),
                path,
                available: self.names().unwrap_or_default(),
            });
        }
        load(&path).map_err(|source| BaselineError::Unreadable {
            name: name.into(),
            source: Box::new(source),
        })
    }

    /// Names of the saved baselines, sorted; empty when the directory does
    /// not exist yet.
    pub fn names(&self) -> Result<Vec<String>, BaselineError> {
        let rd = match std::fs::read_dir(&self.dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(BaselineError::Io {
                    path: self.dir.clone(),
                    source,
                });
            }
        };
        let mut names: Vec<String> = rd
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        names.sort();
        Ok(names)
    }

    /// The files of baseline `name` (one per bench target), sorted.
    pub fn files(&self, name: &str) -> Result<Vec<BaselineFile>, BaselineError> {
        let dir = self.dir.join(name);
        if !dir.is_dir() {
            return Err(BaselineError::NoSuchBaseline {
                name: name.into(),
                dir: self.dir.clone(),
                available: self.names().unwrap_or_default(),
            });
        }
        let rd = std::fs::read_dir(&dir).map_err(|source| BaselineError::Io {
            path: dir.clone(),
            source,
        })?;
        let mut files: Vec<BaselineFile> = rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter_map(|path| {
                let target = path.file_stem()?.to_str()?.to_string();
                Some(BaselineFile { target, path })
            })
            .collect();
        files.sort_by(|a, b| a.target.cmp(&b.target));
        Ok(files)
    }

    /// Deletes baseline `name` (all its files).
    pub fn remove(&self, name: &str) -> Result<(), BaselineError> {
        self.files(name)?;
        let dir = self.dir.join(name);
        std::fs::remove_dir_all(&dir).map_err(|source| BaselineError::Io { path: dir, source })
    }
}

/// Cargo's target directory as seen from a running bench binary:
/// `$CARGO_TARGET_DIR` when set; else the directory above the profile
/// directory holding this executable (`target/release/deps/NAME-HASH` ->
/// `target`); else `./target`.
pub fn target_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        return PathBuf::from(d);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            let deps = exe.parent()?;
            (deps.file_name()? == "deps").then(|| deps.parent()?.parent().map(Path::to_path_buf))?
        })
        .unwrap_or_else(|| PathBuf::from("target"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Environment;

    fn file() -> ResultsFile {
        let mut f = ResultsFile::new(Environment::default());
        f.complete = true;
        f
    }

    #[test]
    fn save_list_load_remove() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::at(dir.path().join("baselines"));
        assert_eq!(s.names().unwrap(), Vec::<String>::new());
        let p = s.save("main", "gate", &file()).unwrap();
        assert_eq!(p, dir.path().join("baselines/main/gate.json"));
        s.save("main", "other", &file()).unwrap();
        s.save("pr-7", "gate", &file()).unwrap();
        assert_eq!(s.names().unwrap(), ["main", "pr-7"]);
        // The executable saved beside a baseline is not a bench target.
        let exe = s.save_exe("main", "gate", &p).unwrap();
        assert_eq!(exe, dir.path().join("baselines/main/gate.bench-exe"));
        assert_eq!(s.exe("main", "gate").unwrap(), exe);
        assert_eq!(std::fs::read(&exe).unwrap(), std::fs::read(&p).unwrap());
        assert!(matches!(
            s.exe("pr-7", "gate"),
            Err(BaselineError::Missing { .. })
        ));
        assert_eq!(s.files("main").unwrap().len(), 2);
        let targets: Vec<String> = s
            .files("main")
            .unwrap()
            .into_iter()
            .map(|f| f.target)
            .collect();
        assert_eq!(targets, ["gate", "other"]);
        assert!(s.load("main", "gate").unwrap().complete);
        s.remove("pr-7").unwrap();
        assert_eq!(s.names().unwrap(), ["main"]);
    }

    #[test]
    fn missing_baselines_name_what_exists() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::at(dir.path());
        let e = s.load("before", "gate").unwrap_err().to_string();
        assert!(
            e.contains("no baseline \"before\" for bench target \"gate\""),
            "{e}"
        );
        assert!(e.contains("run with --save-baseline NAME first"), "{e}");
        s.save("main", "gate", &file()).unwrap();
        let e = s.load("before", "gate").unwrap_err().to_string();
        assert!(e.contains("(saved baselines: main)"), "{e}");
        let e = s.remove("before").unwrap_err().to_string();
        assert!(e.contains("no baseline \"before\" in"), "{e}");
        // Saved for another bench target only.
        assert!(matches!(
            s.load("main", "parse"),
            Err(BaselineError::Missing { .. })
        ));
    }

    #[test]
    fn corrupt_baselines_are_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::at(dir.path());
        std::fs::create_dir_all(dir.path().join("main")).unwrap();
        std::fs::write(s.path("main", "gate"), "{ not json").unwrap();
        let e = s.load("main", "gate").unwrap_err();
        assert!(matches!(e, BaselineError::Unreadable { .. }), "{e:?}");
        assert!(e.to_string().contains("not a JSON file"), "{e}");
        std::fs::write(s.path("main", "gate"), r#"{"hello": 1}"#).unwrap();
        let e = s.load("main", "gate").unwrap_err().to_string();
        assert!(e.contains("not a pqbench results file"), "{e}");
    }
}
