//! The discovery order both run-time libraries (TFLite, LiteRT) follow:
//! explicit path, environment variable, system loader, standard
//! directories, `$HOME/.local/lib`, the per-user copy `scripts/setup`
//! installs, then the checkout copies (current directory, build checkout).

use crate::error::{Result, TfliteError};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Where one library is looked for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Places {
    /// File name, e.g. `libLiteRt.so`.
    pub lib_name: &'static str,
    /// Environment variable naming the file.
    pub env_var: &'static str,
    /// The setup's copy, relative to a checkout root.
    pub setup_relative: &'static str,
    /// The per-user copy, relative to `${XDG_DATA_HOME:-$HOME/.local/share}`.
    pub user_relative: &'static str,
}

/// The per-user copy under `xdg_data` (when absolute, as the XDG spec asks)
/// or `$HOME/.local/share`; `None` without either.
pub(crate) fn user_data_lib(
    xdg_data: Option<OsString>,
    home: Option<OsString>,
    relative: &str,
) -> Option<PathBuf> {
    xdg_data
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            home.filter(|h| !h.is_empty())
                .map(|h| Path::new(&h).join(".local/share"))
        })
        .map(|d| d.join(relative))
}

/// The candidates after the explicit path and the environment variable,
/// in order, without repeats.
pub(crate) fn candidates(
    places: &Places,
    user_lib: Option<PathBuf>,
    home: Option<OsString>,
    cwd: Option<PathBuf>,
    checkout: PathBuf,
) -> Vec<PathBuf> {
    let mut v = vec![PathBuf::from(places.lib_name)];
    let multiarch = format!("/usr/lib/{}-linux-gnu", std::env::consts::ARCH);
    for dir in ["/usr/local/lib", "/usr/lib", multiarch.as_str()] {
        v.push(Path::new(dir).join(places.lib_name));
    }
    if let Some(home) = home.filter(|h| !h.is_empty()) {
        v.push(Path::new(&home).join(".local/lib").join(places.lib_name));
    }
    v.extend(user_lib);
    if let Some(cwd) = cwd {
        v.push(cwd.join(places.setup_relative));
    }
    v.push(checkout.join(places.setup_relative));
    let mut seen = std::collections::HashSet::new();
    v.retain(|p| seen.insert(p.clone()));
    v
}

/// [`candidates`] for this process (environment, current directory and the
/// checkout this crate was built from).
pub(crate) fn search_paths(places: &Places) -> Vec<PathBuf> {
    candidates(
        places,
        user_data_lib(
            std::env::var_os("XDG_DATA_HOME"),
            std::env::var_os("HOME"),
            places.user_relative,
        ),
        std::env::var_os("HOME"),
        std::env::current_dir().ok(),
        // accel/ is one level below the checkout root.
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
    )
}

/// Loads the first candidate that loads. `explicit` and the environment
/// variable are final (their failure is the error). Otherwise every place
/// tried is listed, with `loader_message` extracting the system loader's
/// own words from a load error, and handed to `not_found`.
pub(crate) fn discover<T>(
    places: &Places,
    explicit: Option<&Path>,
    load: impl Fn(&Path) -> Result<T>,
    loader_message: impl Fn(&TfliteError) -> Option<String>,
    not_found: impl FnOnce(Vec<String>) -> TfliteError,
) -> Result<T> {
    if let Some(p) = explicit {
        return load(p);
    }
    if let Some(p) = std::env::var_os(places.env_var).filter(|v| !v.is_empty()) {
        return load(Path::new(&p));
    }
    let mut tried = Vec::new();
    for cand in search_paths(places) {
        if cand.is_absolute() && !cand.exists() {
            tried.push(format!("{} (absent)", cand.display()));
            continue;
        }
        match load(&cand) {
            Ok(l) => return Ok(l),
            Err(e) if !cand.is_absolute() => tried.push(format!(
                "{} through the system loader (LD_LIBRARY_PATH, ld.so.cache): {}",
                cand.display(),
                loader_message(&e).unwrap_or_else(|| e.to_string())
            )),
            Err(e) => tried.push(format!("{} ({e})", cand.display())),
        }
    }
    Err(not_found(tried))
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Places = Places {
        lib_name: "libx.so",
        env_var: "PQBENCH_TEST_NEVER_SET_LIB",
        setup_relative: "scripts/.cache/x/libx.so",
        user_relative: "pqbench/lib/libx.so",
    };

    #[test]
    fn search_order() {
        let user = user_data_lib(Some("/d".into()), Some("/h".into()), P.user_relative);
        let v = candidates(
            &P,
            user,
            Some("/h".into()),
            Some(PathBuf::from("/cwd")),
            PathBuf::from("/src"),
        );
        let s: Vec<String> = v.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(s[0], "libx.so");
        assert_eq!(s[1], "/usr/local/lib/libx.so");
        let at = |p: &str| s.iter().position(|x| x == p).unwrap();
        let user = at("/d/pqbench/lib/libx.so");
        assert!(at("/h/.local/lib/libx.so") < user);
        assert!(user < at("/cwd/scripts/.cache/x/libx.so"));
        assert_eq!(s.last().unwrap(), "/src/scripts/.cache/x/libx.so");
    }

    #[test]
    fn user_data_location_follows_xdg() {
        let r = "pqbench/lib/l.so";
        assert_eq!(
            user_data_lib(Some("/x".into()), Some("/h".into()), r),
            Some(PathBuf::from("/x/pqbench/lib/l.so"))
        );
        assert_eq!(
            user_data_lib(Some("rel".into()), Some("/h".into()), r),
            Some(PathBuf::from("/h/.local/share/pqbench/lib/l.so"))
        );
        assert_eq!(user_data_lib(None, None, r), None);
    }

    #[test]
    fn explicit_path_is_final_and_not_found_lists_every_place() {
        let load = |p: &Path| -> Result<()> {
            Err(TfliteError::LiteRtLoad {
                path: p.to_path_buf(),
                message: "no".into(),
            })
        };
        let e = discover(
            &P,
            Some(Path::new("/e/libx.so")),
            load,
            |_| None,
            |_| TfliteError::LiteRtNotFound { tried: vec![] },
        )
        .unwrap_err();
        assert!(e.to_string().contains("/e/libx.so"), "{e}");
        let e = discover(
            &P,
            None,
            load,
            |_| Some("loader".into()),
            |tried| TfliteError::LiteRtNotFound { tried },
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("libx.so through the system loader") && e.contains("loader"),
            "{e}"
        );
        assert!(e.contains("/usr/local/lib/libx.so (absent)"), "{e}");
    }
}
