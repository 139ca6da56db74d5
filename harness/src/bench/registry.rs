//! [`Registry`]: the benchmarks of one bench binary, with their names
//! (what libtest filters and `--list` see) and results ids.

use super::bencher::Bencher;
use std::fmt::Display;

/// The function a benchmark runs.
type BenchFn = Box<dyn Fn(&mut Bencher)>;

/// One registered benchmark.
pub(crate) struct Entry {
    /// `name` or `name/param`: what filters match and `--list` prints.
    pub name: String,
    /// The results id `suite/name/implementation/params`.
    pub id: String,
    /// The function.
    pub run: BenchFn,
}

/// Where a bench binary comes from: filled in by [`crate::main!`] from
/// cargo's variables, so ids are stable across machines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The bench target (`CARGO_CRATE_NAME` of the bench binary): the
    /// suite of every id, and the baseline file's name.
    pub target: String,
    /// The package (`CARGO_PKG_NAME`): the implementation part of ids.
    pub package: String,
}

/// The benchmarks of a bench binary. Registration functions named in
/// [`crate::main!`] add to it; names must be unique and may not contain
/// `/` (a parameter is appended as `name/param`).
///
/// ```
/// use pqbench::bench::{Bencher, Registry, black_box};
/// fn sizes(r: &mut Registry) {
///     for n in [64usize, 4096] {
///         r.bench_with_param("fill", n, |b: &mut Bencher, &n: &usize| {
///             let mut v = vec![0u8; n];
///             b.iter(|| v.fill(black_box(7)));
///         });
///     }
/// }
/// ```
pub struct Registry {
    origin: Origin,
    pub(crate) entries: Vec<Entry>,
    pub(crate) errors: Vec<String>,
}

impl Registry {
    /// An empty registry of the bench binary `origin`.
    pub fn new(origin: Origin) -> Registry {
        Registry {
            origin,
            entries: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// The bench binary.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Registers benchmark `name`.
    pub fn bench(&mut self, name: &str, f: impl Fn(&mut Bencher) + 'static) -> &mut Self {
        self.add(name, None, Box::new(f));
        self
    }

    /// Registers benchmark `name/param`: `f` receives `param` (an input
    /// size, a parameter set); its `Display` is the name's second part.
    pub fn bench_with_param<P: Display + 'static>(
        &mut self,
        name: &str,
        param: P,
        f: impl Fn(&mut Bencher, &P) + 'static,
    ) -> &mut Self {
        let label = param.to_string();
        self.add(name, Some(label), Box::new(move |b| f(b, &param)));
        self
    }

    fn add(&mut self, name: &str, param: Option<String>, run: BenchFn) {
        let bad = |s: &str| s.is_empty() || s.contains('/') || s.chars().any(char::is_whitespace);
        if bad(name) || param.as_deref().is_some_and(bad) {
            self.errors.push(format!(
                "benchmark {name:?}{}: names and parameters must be non-empty, without '/' or spaces",
                param.as_deref().map(|p| format!(" with parameter {p:?}")).unwrap_or_default()
            ));
            return;
        }
        let full = match &param {
            Some(p) => format!("{name}/{p}"),
            None => name.to_string(),
        };
        if self.entries.iter().any(|e| e.name == full) {
            self.errors
                .push(format!("benchmark {full:?} is registered twice"));
            return;
        }
        let id = format!(
            "{}/{name}/{}/{}",
            self.origin.target,
            self.origin.package,
            param.as_deref().unwrap_or("-")
        );
        self.entries.push(Entry {
            name: full,
            id,
            run,
        });
    }

    /// Names of the registered benchmarks, in registration order.
    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.name.as_str()).collect()
    }

    pub(crate) fn by_id(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        Registry::new(Origin {
            target: "gate".into(),
            package: "my-crate".into(),
        })
    }

    #[test]
    fn names_and_ids() {
        let mut r = registry();
        r.bench("sum", |b| b.iter(|| 1 + 1));
        r.bench_with_param("fill", 64, |b, &n: &i32| b.iter(|| n * 2));
        assert_eq!(r.names(), ["sum", "fill/64"]);
        let ids: Vec<&str> = r.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["gate/sum/my-crate/-", "gate/fill/my-crate/64"]);
        assert!(r.by_id("gate/fill/my-crate/64").is_some());
        assert!(r.errors.is_empty());
    }

    #[test]
    fn bad_and_duplicate_names_are_errors() {
        let mut r = registry();
        r.bench("a/b", |b| b.iter(|| ()));
        r.bench("", |b| b.iter(|| ()));
        r.bench_with_param("p", "x y", |b, _| b.iter(|| ()));
        r.bench("x", |b| b.iter(|| ()));
        r.bench("x", |b| b.iter(|| ()));
        assert_eq!(r.names(), ["x"]);
        assert_eq!(r.errors.len(), 4, "{:?}", r.errors);
        assert!(r.errors[3].contains("registered twice"));
    }
}
