//! Which result of the new file each result of the base file is compared
//! with: by `id@target`, and — when a (merged) file holds the same benchmark
//! and target from several machines — by machine too, so results of two
//! machines are never paired with each other silently.

use crate::results::{BenchResult, ResultsFile, machine_label};
use std::collections::BTreeMap;

/// The pairs to compare and what has no partner.
pub(super) struct Pairing<'a> {
    /// (base, new, machine): the machine is named when the pair had to be
    /// matched by machine (several machines for this `id@target`).
    pub pairs: Vec<(&'a BenchResult, &'a BenchResult, Option<String>)>,
    /// Base results without a partner (`id@target`, or `id@target on MACHINE`).
    pub only_in_base: Vec<String>,
    /// New results without a partner.
    pub only_in_new: Vec<String>,
}

fn plain(r: &BenchResult) -> String {
    format!("{}@{}", r.id, r.target)
}

fn counts(f: &ResultsFile) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in &f.results {
        *m.entry(plain(r)).or_insert(0) += 1;
    }
    m
}

/// Pairs the results of `base` and `new`, in the base file's order.
pub(super) fn pair<'a>(base: &'a ResultsFile, new: &'a ResultsFile) -> Pairing<'a> {
    let (nb, nn) = (counts(base), counts(new));
    let several =
        |k: &str| nb.get(k).copied().unwrap_or(0) > 1 || nn.get(k).copied().unwrap_or(0) > 1;
    let machine = |f: &ResultsFile, r: &BenchResult| machine_label(f.environment_of(r));
    let label = |f: &ResultsFile, r: &BenchResult| {
        let k = plain(r);
        if several(&k) {
            format!("{k} on {}", machine(f, r))
        } else {
            k
        }
    };
    let new_plain: Vec<String> = new.results.iter().map(plain).collect();
    let new_machine: Vec<String> = new.results.iter().map(|n| machine(new, n)).collect();
    let mut used = vec![false; new.results.len()];
    let mut out = Pairing {
        pairs: Vec::new(),
        only_in_base: Vec::new(),
        only_in_new: Vec::new(),
    };
    for b in &base.results {
        let k = plain(b);
        let found = if several(&k) {
            let m = machine(base, b);
            (0..new.results.len())
                .find(|&i| !used[i] && new_plain[i] == k && new_machine[i] == m)
                .map(|i| (i, &new.results[i], Some(m)))
        } else {
            (0..new.results.len())
                .find(|&i| !used[i] && new_plain[i] == k)
                .map(|i| (i, &new.results[i], None))
        };
        match found {
            Some((i, n, m)) => {
                used[i] = true;
                out.pairs.push((b, n, m));
            }
            None => out.only_in_base.push(label(base, b)),
        }
    }
    for (i, n) in new.results.iter().enumerate() {
        if !used[i] {
            out.only_in_new.push(label(new, n));
        }
    }
    out
}
