//! Merging results files from many machines and targets into one
//! (`pqbench merge`, schema 1.2): every result keeps the environment it was
//! measured in, through an index into [`ResultsFile::environments`].

use super::{BenchResult, Environment, ResultsFile, SCHEMA_VERSION};
use std::collections::BTreeMap;

/// Which result wins when two inputs hold the same benchmark, target and
/// machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefer {
    /// Refuse the merge (the default).
    Neither,
    /// Keep the one from the earlier input.
    First,
    /// Keep the one from the later input.
    Last,
}

/// What a merge did, for the command line to print.
#[derive(Clone, Debug, Default)]
pub struct MergeSummary {
    /// Results in the merged file.
    pub results: usize,
    /// Distinct environments (machines and runs) in the merged file.
    pub environments: usize,
    /// `id@target on machine: kept INPUT, dropped INPUT` for every duplicate
    /// resolved by [`Prefer`].
    pub replaced: Vec<String>,
}

/// A duplicate benchmark + target + machine without a rule for which wins.
#[derive(Debug, thiserror::Error)]
#[error(
    "{key} on machine {machine} is in both {first} and {second}; pass --prefer first or --prefer last to choose"
)]
pub struct DuplicateError {
    /// `id@target`.
    pub key: String,
    /// The machine (host name and CPU).
    pub machine: String,
    /// The input that had it first.
    pub first: String,
    /// The input that had it again.
    pub second: String,
}

/// The machine a result ran on: host name, CPU model and architecture.
/// Two runs on one machine share it (their time and command differ).
pub fn machine_label(env: &Environment) -> String {
    let host = env.hostname.as_deref().unwrap_or("unknown-host");
    match (&env.cpu_model, &env.arch) {
        (Some(cpu), _) => format!("{host} ({cpu})"),
        (None, Some(arch)) => format!("{host} ({arch})"),
        (None, None) => host.to_string(),
    }
}

/// Merges `inputs` (`(name, file)`, name used in messages) in order.
///
/// The merged file's top-level `environment` is the first input's; every
/// result names its own in `environments` (inputs that are themselves
/// merged keep their per-result environments). Identical environments are
/// stored once. The same `id@target` measured on the same machine in two
/// inputs is an error unless `prefer` says which wins. `complete` is true
/// only when every input is complete.
pub fn merge(
    inputs: &[(String, ResultsFile)],
    prefer: Prefer,
) -> Result<(ResultsFile, MergeSummary), DuplicateError> {
    let Some((_, first)) = inputs.first() else {
        return Ok((
            ResultsFile::new(Environment::capture()),
            MergeSummary::default(),
        ));
    };
    let mut out = ResultsFile::new(first.environment.clone());
    out.schema_version = SCHEMA_VERSION.to_string();
    out.complete = inputs.iter().all(|(_, f)| f.complete);
    let mut summary = MergeSummary::default();
    // (id, target, machine) -> (index in out.results, input name)
    let mut seen: BTreeMap<(String, String, String), (usize, String)> = BTreeMap::new();
    for (name, file) in inputs {
        for r in &file.results {
            let env = file.environment_of(r);
            let env_idx = intern(&mut out.environments, env);
            let machine = machine_label(env);
            let mut merged: BenchResult = r.clone();
            merged.environment = Some(env_idx);
            let k = (r.id.clone(), r.target.clone(), machine.clone());
            match seen.get(&k) {
                None => {
                    seen.insert(k, (out.results.len(), name.clone()));
                    out.results.push(merged);
                }
                Some((at, before)) => {
                    let key = format!("{}@{}", r.id, r.target);
                    match prefer {
                        Prefer::Neither => {
                            return Err(DuplicateError {
                                key,
                                machine,
                                first: before.clone(),
                                second: name.clone(),
                            });
                        }
                        Prefer::First => summary
                            .replaced
                            .push(format!("{key} on {machine}: kept {before}, dropped {name}")),
                        Prefer::Last => {
                            summary
                                .replaced
                                .push(format!("{key} on {machine}: kept {name}, dropped {before}"));
                            let at = *at;
                            out.results[at] = merged;
                            seen.insert(k, (at, name.clone()));
                        }
                    }
                }
            }
        }
    }
    drop_unused(&mut out);
    summary.results = out.results.len();
    summary.environments = out.environments.len();
    Ok((out, summary))
}

/// Index of `env` in `list`, appending it when absent.
fn intern(list: &mut Vec<Environment>, env: &Environment) -> usize {
    if let Some(i) = list.iter().position(|e| e == env) {
        return i;
    }
    list.push(env.clone());
    list.len() - 1
}

/// Removes environments no result names (after `--prefer` dropped results)
/// and renumbers the rest, keeping their order.
fn drop_unused(file: &mut ResultsFile) {
    let used: Vec<bool> = (0..file.environments.len())
        .map(|i| file.results.iter().any(|r| r.environment == Some(i)))
        .collect();
    let mut new_index = vec![0usize; used.len()];
    let mut next = 0;
    for (i, u) in used.iter().enumerate() {
        new_index[i] = next;
        if *u {
            next += 1;
        }
    }
    for r in &mut file.results {
        if let Some(i) = r.environment {
            r.environment = new_index.get(i).copied();
        }
    }
    let mut i = 0;
    file.environments.retain(|_| {
        i += 1;
        used[i - 1]
    });
}
