//! The totals of a Callgrind output file (`callgrind.out`, Callgrind
//! format version 1, as documented in Valgrind's "Callgrind Format
//! Specification").
//!
//! Only the header's `events:` line (the event names, e.g. `Ir Dr Dw
//! I1mr …`) and the `summary:` / `totals:` lines (one count per event, in
//! that order; missing trailing counts are zero) are read, plus `cmd:`,
//! `pid:`, `part:` and `creator:` for the record. The cost lines of the
//! body are not needed: the totals already sum them.

/// The totals of one Callgrind output file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallgrindTotals {
    /// Event names, in file order (`Ir` first by default).
    pub events: Vec<String>,
    /// One total per event.
    pub totals: Vec<u64>,
    /// The `cmd:` line (the profiled command), if any.
    pub cmd: Option<String>,
    /// The `creator:` line (e.g. `callgrind-3.19.0`), if any.
    pub creator: Option<String>,
    /// The `pid:` line, if any.
    pub pid: Option<u64>,
    /// The `part:` line (dump number), if any.
    pub part: Option<u64>,
}

impl CallgrindTotals {
    /// The total of event `name`, if the file has that event.
    pub fn get(&self, name: &str) -> Option<u64> {
        let i = self.events.iter().position(|e| e == name)?;
        self.totals.get(i).copied()
    }
}

fn counts(line: &str, what: &str) -> Result<Vec<u64>, String> {
    line.split_whitespace()
        .map(|t| {
            t.parse::<u64>()
                .map_err(|_| format!("{what}: {t:?} is not a count"))
        })
        .collect()
}

/// Parses the text of a Callgrind output file. `Err` says what is missing
/// or malformed (the caller adds the file name).
pub fn parse(text: &str) -> Result<CallgrindTotals, String> {
    let mut events: Option<Vec<String>> = None;
    let mut summary: Option<Vec<u64>> = None;
    let mut totals: Option<Vec<u64>> = None;
    let mut out = CallgrindTotals {
        events: Vec::new(),
        totals: Vec::new(),
        cmd: None,
        creator: None,
        pid: None,
        part: None,
    };
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key {
            "events" => {
                if events.is_some() {
                    return Err(format!("line {}: a second `events:` line", n + 1));
                }
                let names: Vec<String> = value.split_whitespace().map(str::to_string).collect();
                if names.is_empty() {
                    return Err(format!("line {}: `events:` names no event", n + 1));
                }
                events = Some(names);
            }
            "summary" => summary = Some(counts(value, &format!("line {}", n + 1))?),
            "totals" => totals = Some(counts(value, &format!("line {}", n + 1))?),
            "cmd" => out.cmd = Some(value.to_string()),
            "creator" => out.creator = Some(value.to_string()),
            "pid" => out.pid = value.parse().ok(),
            "part" => out.part = value.parse().ok(),
            _ => {}
        }
    }
    let events = events.ok_or("not a Callgrind output file: no `events:` line")?;
    let mut values = match (totals, summary) {
        (Some(t), Some(s)) if t != s => {
            return Err(format!("`totals:` ({t:?}) and `summary:` ({s:?}) disagree"));
        }
        (Some(t), _) => t,
        (None, Some(s)) => s,
        (None, None) => {
            return Err(
                "not a complete Callgrind output file: no `summary:` or `totals:` line".into(),
            );
        }
    };
    if values.len() > events.len() {
        return Err(format!(
            "{} totals for {} events ({})",
            values.len(),
            events.len(),
            events.join(" ")
        ));
    }
    values.resize(events.len(), 0);
    out.events = events;
    out.totals = values;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npid: 42\ncmd:  bench --x\npart: 1\n\npositions: line\nevents: Ir Dr Dw\nsummary: 1000 200\n\nfl=(1) a.rs\nfn=(1) f\n3 1000 200\n\ntotals: 1000 200\n";

    #[test]
    fn reads_events_and_totals() {
        let t = parse(SAMPLE).unwrap();
        assert_eq!(t.events, ["Ir", "Dr", "Dw"]);
        assert_eq!(t.totals, [1000, 200, 0]);
        assert_eq!(t.get("Ir"), Some(1000));
        assert_eq!(t.get("Dw"), Some(0));
        assert_eq!(t.get("I1mr"), None);
        assert_eq!(t.cmd.as_deref(), Some("bench --x"));
        assert_eq!(t.pid, Some(42));
        assert_eq!(t.part, Some(1));
        assert_eq!(t.creator.as_deref(), Some("callgrind-3.19.0"));
    }

    /// A cheap stand-in for the `callgrind_parse` fuzz target in `cargo
    /// test`: every prefix of a real header and thousands of byte
    /// mutations give totals or an error, never a panic.
    #[test]
    fn truncated_and_mutated_input_never_panics() {
        let real = include_str!(
            "../../tests/fixtures/import/gungraun/pqbench-benches/gungraun_instructions/operations/one_operation.ops_12/callgrind.one_operation.ops_12.out"
        );
        let head: Vec<u8> = real.bytes().take(1200).collect();
        let check = |b: &[u8]| {
            if let Ok(t) = parse(&String::from_utf8_lossy(b)) {
                assert_eq!(t.events.len(), t.totals.len());
            }
        };
        for n in 0..head.len() {
            check(&head[..n]);
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let alphabet = b"0123456789 :\n\r-events summary totals Ir";
        for _ in 0..5000 {
            let mut m = head.clone();
            for _ in 0..4 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let i = (x % m.len() as u64) as usize;
                m[i] = alphabet[(x >> 32) as usize % alphabet.len()];
            }
            check(&m);
        }
        assert_eq!(parse(real).unwrap().get("Ir"), Some(3_420_167));
    }

    #[test]
    fn rejects_what_is_not_callgrind() {
        assert!(parse("").unwrap_err().contains("no `events:`"));
        assert!(parse("{\"a\": 1}").unwrap_err().contains("no `events:`"));
        assert!(parse("events: Ir\n").unwrap_err().contains("no `summary:`"));
        assert!(
            parse("events: Ir\nsummary: x\n")
                .unwrap_err()
                .contains("not a count")
        );
        assert!(
            parse("events: Ir\nsummary: 1 2\n")
                .unwrap_err()
                .contains("2 totals for 1 events")
        );
        assert!(
            parse("events: Ir\nsummary: 1\ntotals: 2\n")
                .unwrap_err()
                .contains("disagree")
        );
        assert!(
            parse("events:\nsummary: 1\n")
                .unwrap_err()
                .contains("names no event")
        );
    }
}
