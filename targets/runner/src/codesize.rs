//! Code size per workload, from the call graph of the measured firmware
//! image (no extra builds).
//!
//! The firmware keeps one constructor per workload type in a table
//! (`PQBENCH_WORKLOAD_CTORS`, kept with `#[used]`, called only through an
//! opaque pointer), and every firmware-native workload is its own type (the
//! operation is a const generic), so each has its own `setup`/`run`/…
//! functions. This module walks the image:
//!
//! * nodes are the ELF's sized function symbols (`.text`) and object symbols
//!   (`.rodata`/`.data`: vtables, tables, constants);
//! * edges of a function: Thumb `BL`/`B.W`/`B<c>.W`/`B`/`B<c>` targets that
//!   start a function, `MOVW`+`MOVT` address pairs, and the words of its
//!   literal pools (the `$d` mapping-symbol ranges); edges of an object: its
//!   aligned words that are a Thumb function address (odd, at a function's
//!   start) or point into another object;
//! * the *runtime* is everything reachable from the vector table without
//!   going through the constructor table (reset, protocol loop, allocator,
//!   formatting, and the `pqbench-workloads` registry if built in);
//! * a workload's size is the bytes of the nodes reachable from its
//!   constructor that are not runtime; its *run* size is the same from its
//!   `Workload::run` method alone (the timed operation).
//!
//! Not counted: merged constants and string literals without a symbol,
//! alignment padding, and code reached only through computed addresses the
//! walk does not decode (none in practice: Rust reaches code by direct calls
//! and vtables).

use crate::Error;
use object::{Object, ObjectSection, ObjectSymbol, SymbolKind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What `code_size_bytes` measures (for the results' notes).
pub const METHOD: &str = "call-graph closure in the measured image: bytes of the functions and symbol-named read-only objects (vtables, tables, constants) reachable from the workload's constructor (its Workload methods: setup, run, ...) by Thumb branches, MOVW/MOVT and literal-pool addresses and pointers in reached objects, minus everything the firmware runtime (reset, protocol loop, allocator, formatting) reaches without any workload; code_size_run_bytes: the same from the run method alone (the timed operation); unnamed merged constants and padding are not counted";

/// What `code_size_text_bytes` / `_data_` / `_bss_` measure (workloads of
/// compiled C libraries: PQClean), pqm4's size-table definition.
pub const OBJECTS_METHOD: &str = "pqm4's size table: .text/.data/.bss of the scheme's own library (the objects of its PQClean clean directory, arm-none-eabi-gcc -O3 -ffunction-sections -fdata-sections with the board's -mcpu/FPU flags), summed like arm-none-eabi-size -t (allocated sections: executable or read-only = text, writable with contents = data, writable without = bss); the shared Keccak (fips202.c) is not counted, as in pqm4 (its libsymcrypto), and is reported as code_size_fips202_text_bytes; not defined for Rust implementations (no separate objects: LTO'd into the image; see code_size_bytes)";

/// What `stack_call_bytes` measures (workloads that call a C function).
pub const STACK_CALL_METHOD: &str = "pqm4's stack definition: bytes from the stack pointer at the call of the scheme's C function to the deepest word written (stack painted before the timed operation, high-water mark after it; the workload's keys, ciphertexts and signatures are on the heap, not on that stack); stack_bytes also counts the Rust frames between the session and the call";

/// Name fragment of the firmware's constructor table symbol.
const TABLE: &str = "PQBENCH_WORKLOAD_CTORS";

/// Code attributed to one workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkloadCode {
    /// Everything the workload needs beyond the runtime, bytes.
    pub bytes: u64,
    /// What its `run` method (the timed operation) needs, bytes.
    pub run_bytes: Option<u64>,
}

#[derive(Debug)]
struct Node {
    addr: u64,
    size: u64,
    func: bool,
    name: String,
}

struct Image {
    nodes: Vec<Node>,
    /// Start addresses of functions -> node index.
    func_at: BTreeMap<u64, usize>,
    /// Literal-pool ranges (`$d` .. next `$t`/`$d`/symbol end), sorted.
    data_marks: Vec<(u64, bool)>,
    sections: Vec<(u64, Vec<u8>)>,
    vector_table: Option<(u64, u64)>,
}

impl Image {
    fn parse(bytes: &[u8], what: &str) -> Result<Image, Error> {
        let file = object::File::parse(bytes)
            .map_err(|e| Error::Protocol(format!("{what} is not an ELF image: {e}")))?;
        let mut nodes = Vec::new();
        let mut data_marks = Vec::new();
        for s in file.symbols() {
            let Ok(name) = s.name() else { continue };
            if name == "$d" || name.starts_with("$d.") {
                data_marks.push((s.address(), true));
                continue;
            }
            if name == "$t" || name.starts_with("$t.") || name == "$a" {
                data_marks.push((s.address(), false));
                continue;
            }
            if s.size() == 0 {
                continue;
            }
            let func = s.kind() == SymbolKind::Text;
            let is_obj = s.kind() == SymbolKind::Data;
            if !func && !is_obj {
                continue;
            }
            let addr = if func { s.address() & !1 } else { s.address() };
            nodes.push(Node {
                addr,
                size: s.size(),
                func,
                name: name.to_string(),
            });
        }
        nodes.sort_by_key(|n| (n.addr, std::cmp::Reverse(n.size)));
        // Aliases (same address, e.g. identical-code folding): keep one.
        nodes.dedup_by(|b, a| a.addr == b.addr && a.func == b.func);
        data_marks.sort();
        let func_at = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.func)
            .map(|(i, n)| (n.addr, i))
            .collect();
        let mut sections = Vec::new();
        let mut vector_table = None;
        for sec in file.sections() {
            let name = sec.name().unwrap_or("");
            if matches!(name, ".vector_table" | ".text" | ".rodata" | ".data")
                && let Ok(d) = sec.data()
            {
                if name == ".vector_table" {
                    vector_table = Some((sec.address(), sec.size()));
                }
                sections.push((sec.address(), d.to_vec()));
            }
        }
        Ok(Image {
            nodes,
            func_at,
            data_marks,
            sections,
            vector_table,
        })
    }

    fn u32_at(&self, addr: u64) -> Option<u32> {
        self.sections.iter().find_map(|(base, d)| {
            let off = usize::try_from(addr.checked_sub(*base)?).ok()?;
            let b = d.get(off..off + 4)?;
            Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        })
    }

    fn u16_at(&self, addr: u64) -> Option<u16> {
        self.sections.iter().find_map(|(base, d)| {
            let off = usize::try_from(addr.checked_sub(*base)?).ok()?;
            let b = d.get(off..off + 2)?;
            Some(u16::from_le_bytes([b[0], b[1]]))
        })
    }

    /// The node an address constant refers to: a function by its Thumb
    /// address (odd, at its start), or the object containing it.
    fn referent(&self, v: u64) -> Option<usize> {
        if v & 1 == 1 {
            return self.func_at.get(&(v & !1)).copied();
        }
        let i = self.nodes.partition_point(|n| n.addr <= v);
        let n = self.nodes.get(i.checked_sub(1)?)?;
        (!n.func && v < n.addr + n.size).then_some(i - 1)
    }

    /// Whether `addr` is inside a literal pool.
    fn is_data(&self, addr: u64) -> bool {
        let i = self.data_marks.partition_point(|m| m.0 <= addr);
        i > 0 && self.data_marks[i - 1].1
    }

    fn edges(&self, i: usize) -> Vec<usize> {
        let n = &self.nodes[i];
        let end = n.addr + n.size;
        let mut out = Vec::new();
        if !n.func {
            let mut a = n.addr.next_multiple_of(4);
            while a + 4 <= end {
                if let Some(r) = self.u32_at(a).and_then(|v| self.referent(u64::from(v))) {
                    out.push(r);
                }
                a += 4;
            }
            return out;
        }
        let mut movw: [Option<u32>; 16] = [None; 16];
        let mut pc = n.addr;
        while pc + 2 <= end {
            if self.is_data(pc) {
                if pc.is_multiple_of(4)
                    && pc + 4 <= end
                    && let Some(r) = self.u32_at(pc).and_then(|v| self.referent(u64::from(v)))
                {
                    out.push(r);
                }
                pc += 2;
                continue;
            }
            let Some(h1) = self.u16_at(pc) else { break };
            let wide = matches!(h1 >> 11, 0b11101..=0b11111);
            if !wide {
                let target = match h1 {
                    // B<c> (T1), not UDF/SVC.
                    _ if h1 & 0xF000 == 0xD000 && (h1 >> 8) & 0xF < 0xE => {
                        let imm = i64::from((h1 & 0xFF) as u8 as i8) << 1;
                        Some(pc as i64 + 4 + imm)
                    }
                    // B (T2).
                    _ if h1 & 0xF800 == 0xE000 => {
                        let imm = ((i64::from(h1 & 0x7FF) << 1) << 52) >> 52;
                        Some(pc as i64 + 4 + imm)
                    }
                    _ => None,
                };
                if let Some(t) = target
                    && let Some(&f) = self.func_at.get(&(t as u64))
                    && f != i
                {
                    out.push(f);
                }
                pc += 2;
                continue;
            }
            let Some(h2) = self.u16_at(pc + 2) else { break };
            let (h1u, h2u) = (u32::from(h1), u32::from(h2));
            if h1 & 0xF800 == 0xF000 && h2 & 0x8000 == 0x8000 {
                let s = (h1u >> 10) & 1;
                let j1 = (h2u >> 13) & 1;
                let j2 = (h2u >> 11) & 1;
                let target = if h2 & 0x5000 != 0 {
                    // BL / BLX / B.W (T4).
                    let i1 = 1 ^ (j1 ^ s);
                    let i2 = 1 ^ (j2 ^ s);
                    let imm = (s << 24)
                        | (i1 << 23)
                        | (i2 << 22)
                        | ((h1u & 0x3FF) << 12)
                        | ((h2u & 0x7FF) << 1);
                    Some(pc as i64 + 4 + ((i64::from(imm) << 39) >> 39))
                } else if (h1u >> 6) & 0xE != 0xE {
                    // B<c>.W (T3).
                    let imm = (s << 20)
                        | (j2 << 19)
                        | (j1 << 18)
                        | ((h1u & 0x3F) << 12)
                        | ((h2u & 0x7FF) << 1);
                    Some(pc as i64 + 4 + ((i64::from(imm) << 43) >> 43))
                } else {
                    None
                };
                if let Some(t) = target {
                    let t = if h2 & 0x5000 == 0x4000 { t & !3 } else { t };
                    if let Some(&f) = self.func_at.get(&(t as u64))
                        && f != i
                    {
                        out.push(f);
                    }
                }
            } else if h1 & 0xFB70 == 0xF240 && h2 & 0x8000 == 0 {
                // MOVW (T3) / MOVT (T1): bit 7 of h1 tells them apart.
                let imm = ((h1u & 0xF) << 12)
                    | (((h1u >> 10) & 1) << 11)
                    | (((h2u >> 12) & 7) << 8)
                    | (h2u & 0xFF);
                let rd = ((h2 >> 8) & 0xF) as usize;
                if h1 & 0x0080 == 0 {
                    movw[rd] = Some(imm);
                } else if let Some(lo) = movw[rd].take()
                    && let Some(r) = self.referent(u64::from((imm << 16) | lo))
                {
                    out.push(r);
                }
            }
            pc += 4;
        }
        out
    }

    fn closure(&self, roots: &[usize], stop: &BTreeSet<usize>) -> BTreeSet<usize> {
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        let mut todo: Vec<usize> = roots
            .iter()
            .copied()
            .filter(|r| !stop.contains(r))
            .collect();
        while let Some(n) = todo.pop() {
            if !seen.insert(n) {
                continue;
            }
            for e in self.edges(n) {
                if !seen.contains(&e) && !stop.contains(&e) {
                    todo.push(e);
                }
            }
        }
        seen
    }

    fn bytes(&self, set: &BTreeSet<usize>) -> u64 {
        set.iter().map(|&i| self.nodes[i].size).sum()
    }
}

/// Code attributed to each entry of the firmware's constructor table, in
/// table order (the firmware lists these workloads after those of the
/// `pqbench-workloads` registry). `None` when the image has no table.
pub fn per_constructor(elf: &Path) -> Result<Option<Vec<WorkloadCode>>, Error> {
    let data =
        std::fs::read(elf).map_err(|e| Error::io(format!("reading {}", elf.display()), e))?;
    let img = Image::parse(&data, &elf.display().to_string())?;
    let Some(table) = img
        .nodes
        .iter()
        .position(|n| !n.func && n.name.contains(TABLE))
    else {
        return Ok(None);
    };
    let t = &img.nodes[table];
    let ctors: Vec<usize> = (0..t.size / 4)
        .map(|k| {
            img.u32_at(t.addr + 4 * k)
                .and_then(|v| img.func_at.get(&u64::from(v & !1)).copied())
                .ok_or_else(|| {
                    Error::Protocol(format!(
                        "{}: entry {k} of the workload table is not a function",
                        elf.display()
                    ))
                })
        })
        .collect::<Result<_, _>>()?;
    // The runtime: everything the vector table reaches, the table excepted.
    let (vt, vt_len) = img.vector_table.ok_or_else(|| {
        Error::Protocol(format!("{} has no .vector_table section", elf.display()))
    })?;
    let mut roots = Vec::new();
    let mut a = vt;
    while a + 4 <= vt + vt_len {
        if let Some(r) = img.u32_at(a).and_then(|v| img.referent(u64::from(v))) {
            roots.push(r);
        }
        a += 4;
    }
    let base = img.closure(&roots, &BTreeSet::from([table]));
    let mut stop = base.clone();
    stop.insert(table);
    let mut out = Vec::new();
    for &c in &ctors {
        let all = img.closure(&[c], &stop);
        let runs: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&n| img.nodes[n].func && is_run_method(&img.nodes[n].name))
            .collect();
        let run_bytes = match runs.as_slice() {
            [r] => Some(img.bytes(&img.closure(&[*r], &stop))),
            _ => None,
        };
        out.push(WorkloadCode {
            bytes: img.bytes(&all),
            run_bytes,
        });
    }
    Ok(Some(out))
}

/// `<T as pqbench_workloads::…::Workload>::run`, legacy or v0 mangling.
fn is_run_method(name: &str) -> bool {
    name.contains("Workload$GT$3run17h") || name.contains("8Workload3run")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_methods_are_recognised_by_their_mangled_names() {
        assert!(is_run_method(
            "_ZN117_$LT$pqbench_firmware..workloads..pqc..mlkem..MlKem$LT$K$C$_$GT$$u20$as$u20$pqbench_workloads..workload..Workload$GT$3run17h0ac33bcf49e0bbf4E"
        ));
        assert!(!is_run_method(
            "_ZN117_$LT$pqbench_firmware..workloads..pqc..mlkem..MlKem$LT$K$C$_$GT$$u20$as$u20$pqbench_workloads..workload..Workload$GT$5setup17h0ac33bcf49e0bbf4E"
        ));
    }

    #[test]
    fn a_file_that_is_not_elf_is_an_error() {
        let dir = std::env::temp_dir().join(format!("pqbench-codesize-{}", std::process::id()));
        std::fs::write(&dir, b"not an elf").unwrap();
        let r = per_constructor(&dir);
        let _ = std::fs::remove_file(&dir);
        assert!(r.is_err());
    }
}
