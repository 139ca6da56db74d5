//! Throughput and memory of a scan (`pqbench scan --stats`).

use super::FileResult;
use std::string::String;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;
use std::{format, fs};

/// Figures of one scan.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScanStats {
    /// Files given (scanned or failed).
    pub files: usize,
    /// Files analysed (loaded and scanned).
    pub images: usize,
    /// Bytes scanned (all segments of the analysed images).
    pub bytes: u64,
    /// Wall time of the scan (seconds).
    pub seconds: f64,
    /// Worker threads.
    pub threads: usize,
}

impl ScanStats {
    /// The figures of `results`, scanned in `seconds` on `threads` threads.
    pub fn of(results: &[FileResult], seconds: f64, threads: usize) -> Self {
        let ok = results.iter().filter_map(|r| r.result.as_ref().ok());
        ScanStats {
            files: results.len(),
            images: ok.clone().count(),
            bytes: ok.map(|a| a.bytes).sum(),
            seconds,
            threads,
        }
    }

    /// Megabytes (10^6 bytes) per second.
    pub fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.seconds.max(1e-9)
    }

    /// Analysed images per second.
    pub fn images_per_s(&self) -> f64 {
        self.images as f64 / self.seconds.max(1e-9)
    }

    /// One line: `scanned N files, B bytes in T s (X MB/s, Y images/s, K
    /// threads` (the caller closes the parenthesis).
    pub fn line(&self) -> String {
        format!(
            "scanned {} files, {} bytes in {:.3} s ({:.0} MB/s, {:.1} images/s, {} threads",
            self.files,
            self.bytes,
            self.seconds,
            self.mb_per_s(),
            self.images_per_s(),
            self.threads
        )
    }
}

/// Resident memory of this process (bytes), from `/proc/self/status`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Memory {
    /// Peak resident set (`VmHWM`): heap and mapped file pages.
    pub peak: u64,
    /// Resident anonymous memory (`RssAnon`): heap, stacks.
    pub anon: u64,
    /// Resident file-backed memory (`RssFile`): mapped files, the binary.
    pub file: u64,
}

/// Parses the `VmHWM`, `RssAnon` and `RssFile` lines of a
/// `/proc/PID/status` text; `None` when one is missing.
pub fn parse_status(text: &str) -> Option<Memory> {
    let kb = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|k| k * 1024)
    };
    Some(Memory {
        peak: kb("VmHWM:")?,
        anon: kb("RssAnon:")?,
        file: kb("RssFile:")?,
    })
}

/// This process's memory now (Linux; `None` elsewhere).
pub fn memory() -> Option<Memory> {
    parse_status(&fs::read_to_string("/proc/self/status").ok()?)
}

/// Samples [`memory`] on a thread until [`finish`](Self::finish): the
/// kernel keeps the peak resident set, but not the peak of its anonymous
/// and file-backed parts, which this records (at the sampling period).
pub struct MemorySampler {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Memory>>,
}

impl MemorySampler {
    /// Starts sampling every `period`.
    pub fn start(period: Duration) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("pqbench-mem".into())
            .spawn(move || {
                let mut max = Memory::default();
                loop {
                    if let Some(m) = memory() {
                        max.peak = max.peak.max(m.peak);
                        max.anon = max.anon.max(m.anon);
                        max.file = max.file.max(m.file);
                    }
                    if flag.load(Ordering::Relaxed) {
                        return max;
                    }
                    std::thread::sleep(period);
                }
            })
            .ok();
        MemorySampler { stop, thread }
    }

    /// Stops sampling: the largest `VmHWM`, `RssAnon` and `RssFile` seen
    /// (`None` when `/proc` is not readable).
    pub fn finish(mut self) -> Option<Memory> {
        self.stop.store(true, Ordering::Relaxed);
        let m = self.thread.take()?.join().ok()?;
        (m.peak > 0).then_some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_parse_and_missing_ones_are_none() {
        let t = "Name:\tx\nVmHWM:\t  2048 kB\nRssAnon:\t 1024 kB\nRssFile:\t  10 kB\n";
        assert_eq!(
            parse_status(t),
            Some(Memory {
                peak: 2048 * 1024,
                anon: 1024 * 1024,
                file: 10 * 1024
            })
        );
        assert_eq!(parse_status("VmHWM:\t1 kB\n"), None);
    }

    #[test]
    fn rates_follow_bytes_images_and_time() {
        let s = ScanStats {
            files: 3,
            images: 2,
            bytes: 4_000_000,
            seconds: 2.0,
            threads: 1,
        };
        assert_eq!(s.mb_per_s(), 2.0);
        assert_eq!(s.images_per_s(), 1.0);
        assert!(s.line().starts_with(
            "scanned 3 files, 4000000 bytes in 2.000 s (2 MB/s, 1.0 images/s, 1 threads"
        ));
    }

    #[test]
    fn the_sampler_sees_a_large_allocation() {
        if memory().is_none() {
            return; // not Linux
        }
        let s = MemorySampler::start(Duration::from_millis(1));
        let v = std::vec![1u8; 64 << 20];
        std::thread::sleep(Duration::from_millis(50));
        let m = s.finish().expect("sampled");
        assert!(m.anon >= 64 << 20, "{m:?}");
        drop(v);
    }
}
