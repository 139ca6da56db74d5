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

/// Writing a results file to something that is not a regular file (a named
/// pipe here, like `-o /dev/null` or `-o /dev/stdout`) writes through it: a
/// rename over the path would replace the pipe or device with a regular file.
#[test]
fn a_pipe_or_device_is_written_through_not_replaced() {
    use std::os::unix::fs::FileTypeExt as _;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    write_atomic_with(&fifo, |w| w.write_all(b"{\"a\":1}")).unwrap();
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(reader.join().unwrap(), b"{\"a\":1}");
}
