//! Results files are written atomically through a temporary file; the file
//! that lands has the mode any tool would give it (0666 less the umask), or
//! keeps the mode of the file it replaces — not the temporary file's 0600.
#![cfg(unix)]

use pqbench::results::write_atomic_with;
use std::os::unix::fs::PermissionsExt as _;

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn new_files_are_readable_by_others_and_replaced_files_keep_their_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.json");
    write_atomic_with(&path, |w| w.write_all(b"{}")).unwrap();
    assert_eq!(mode(&path), 0o666 & !umask(), "mode {:o}", mode(&path));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    write_atomic_with(&path, |w| w.write_all(b"{\"a\":1}")).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(std::fs::read(&path).unwrap(), b"{\"a\":1}");
}

/// The process's umask, read from `/proc/self/status` (Linux 4.7+) without
/// changing it: the other tests of this binary create files meanwhile.
fn umask() -> u32 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix("Umask:"))
        .unwrap();
    u32::from_str_radix(line.trim(), 8).unwrap()
}
