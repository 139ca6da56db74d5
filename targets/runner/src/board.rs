//! Boards as data: one TOML file per board in `targets/boards/`, embedded in
//! the binary at build time; `PQBENCH_BOARDS_DIR` adds or overrides boards
//! from a directory at run time.

use serde::Deserialize;
use std::path::Path;

/// How the host reaches a board.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum TransportKind {
    /// `qemu-system-arm`, frames over semihosting on stdin/stdout.
    Qemu,
    /// A debug probe: flash with `probe-rs`, frames over SEGGER RTT.
    ProbeRtt,
    /// A serial port (USB CDC-ACM or a USB-UART bridge): frames over the
    /// board's UART, settings in the `[serial]` table.
    Serial,
}

/// What samples are counted with.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CounterKind {
    /// SysTick at the core clock (QEMU with `-icount shift=0`: instructions).
    Systick,
    /// DWT CYCCNT (real Armv7-M/v8-M cores: cycles).
    Dwt,
}

/// A memory region.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Start address.
    pub origin: u64,
    /// Bytes.
    pub length: u64,
}

/// The memory map the firmware is linked for.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Memory {
    /// Code (flash, or the RAM QEMU loads code into).
    pub flash: Region,
    /// Data RAM.
    pub ram: Region,
    /// Bytes of RAM given to the workload stack (the rest: data, heap,
    /// handler stack).
    pub stack: u64,
}

/// QEMU settings of an emulated board.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct QemuSpec {
    /// `-M` machine name.
    pub machine: String,
    /// `-cpu`, when the machine's default is not the core wanted.
    #[serde(default)]
    pub cpu: Option<String>,
}

/// Debug-probe settings of a real board.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ProbeSpec {
    /// `probe-rs` chip name, e.g. `STM32L4R5ZITx`.
    pub chip: String,
    /// USB `VID:PID` of the on-board probe, to find it in `pqbench devices`.
    #[serde(default)]
    pub usb: Vec<String>,
}

/// The firmware's UART driver (what peripheral the frames go through).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum UartKind {
    /// Arm CMSDK APB UART (MPS2/MPS2+/MPS3 FPGA images, and QEMU's models
    /// of them): `DATA`, `STATE`, `CTRL`, `BAUDDIV` registers, no clock or
    /// pin setup needed.
    CmsdkApb,
}

/// Serial settings of a board reached over a UART (`transport = "serial"`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SerialSpec {
    /// Host tty, e.g. `/dev/ttyACM0`. Overridden by `PQBENCH_SERIAL_PORT`
    /// or by the target spec `board:<name>@<port>`.
    #[serde(default)]
    pub port: Option<String>,
    /// Baud rate (both ends: the host's termios and the firmware's divider).
    pub baud: u32,
    /// The firmware's UART driver.
    pub uart: UartKind,
    /// Base address of that UART.
    pub uart_base: u64,
    /// Optional command that puts the image on the board, run once per
    /// `pqbench run` before the first session; `{elf}` is replaced by the
    /// image path, `{port}` by the serial port. Without it the board must
    /// already run the image (a mismatch is detected from the firmware's
    /// hello and reported with the image's path).
    #[serde(default)]
    pub flash: Vec<String>,
    /// USB `VID:PID`s of the board's serial interface: when exactly one
    /// attached port has one of them, it is used (before `port`).
    #[serde(default)]
    pub usb: Vec<String>,
    /// The port given in the target spec (`board:<name>@<port>`); not part
    /// of the board file.
    #[serde(skip)]
    pub port_override: Option<String>,
}

impl SerialSpec {
    /// UART settings that change the firmware image (part of its cache key
    /// and of its build environment): `(driver, base, baud divider)`.
    pub fn firmware_settings(&self, clock_hz: u64) -> (UartKind, u64, u64) {
        (
            self.uart,
            self.uart_base,
            clock_hz / u64::from(self.baud.max(1)),
        )
    }
}

/// One board.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Board {
    /// Short name used in target specs: `qemu:<name>` / `board:<name>`.
    pub name: String,
    /// One line for humans.
    pub description: String,
    /// `cortex-m0`, `cortex-m0plus`, `cortex-m3`, `cortex-m4`, `cortex-m7`,
    /// `cortex-m33`, `cortex-m55`.
    pub core: String,
    /// Rust target triple of the firmware.
    pub triple: String,
    /// Core clock in Hz.
    pub clock_hz: u64,
    /// Counter used for samples.
    pub counter: CounterKind,
    /// How the host reaches the board.
    pub transport: TransportKind,
    /// Firmware builds with equal `(triple, firmware_profile, memory)` are
    /// shared between boards.
    pub firmware_profile: String,
    /// Workload families (firmware features) that fit this board's flash.
    pub families: Vec<String>,
    /// Memory map.
    pub memory: Memory,
    /// QEMU settings (emulated boards).
    #[serde(default)]
    pub qemu: Option<QemuSpec>,
    /// Probe settings (real boards).
    #[serde(default)]
    pub probe: Option<ProbeSpec>,
    /// Serial settings (boards reached over a UART).
    #[serde(default)]
    pub serial: Option<SerialSpec>,
}

impl Board {
    /// Parses a board file.
    pub fn parse(text: &str, origin: &str) -> Result<Board, crate::Error> {
        let b: Board = toml::from_str(text).map_err(|e| crate::Error::BoardFile {
            file: origin.to_string(),
            message: e.to_string(),
        })?;
        b.validate(origin)?;
        Ok(b)
    }

    fn validate(&self, origin: &str) -> Result<(), crate::Error> {
        let bad = |message: String| crate::Error::BoardFile {
            file: origin.to_string(),
            message,
        };
        if !self.triple.starts_with("thumbv") {
            return Err(bad(format!(
                "triple {:?} is not a Cortex-M target",
                self.triple
            )));
        }
        if self.clock_hz == 0 {
            return Err(bad("clock_hz is 0".into()));
        }
        if self.memory.stack + 4 * 1024 > self.memory.ram.length {
            return Err(bad(format!(
                "stack of {} bytes leaves less than 4 KiB of the {} bytes of RAM",
                self.memory.stack, self.memory.ram.length
            )));
        }
        match self.transport {
            TransportKind::Qemu if self.qemu.is_none() => {
                Err(bad("transport \"qemu\" needs a [qemu] table".into()))
            }
            TransportKind::ProbeRtt if self.probe.is_none() => {
                Err(bad("transport \"probe-rtt\" needs a [probe] table".into()))
            }
            TransportKind::Serial => match &self.serial {
                None => Err(bad("transport \"serial\" needs a [serial] table".into())),
                Some(s) if s.baud == 0 => Err(bad("serial.baud is 0".into())),
                Some(s) if self.clock_hz / u64::from(s.baud) < 16 => Err(bad(format!(
                    "serial.baud {} is too fast for a {} Hz UART clock (the CMSDK UART needs a divider of at least 16)",
                    s.baud, self.clock_hz
                ))),
                Some(_) => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// The result unit: `instructions` under QEMU, `cycles` on hardware.
    pub fn unit_is_instructions(&self) -> bool {
        self.transport == TransportKind::Qemu
    }

    /// Instructions per SysTick tick under QEMU `-icount shift=0` (1 ns per
    /// instruction): `1e9 / clock_hz`.
    pub fn instructions_per_tick(&self) -> f64 {
        1e9 / self.clock_hz as f64
    }

    /// The target spec of this board: `qemu:<name>` or `board:<name>`.
    pub fn target_spec(&self) -> String {
        match self.transport {
            TransportKind::Qemu => format!("qemu:{}", self.name),
            TransportKind::ProbeRtt | TransportKind::Serial => format!("board:{}", self.name),
        }
    }
}

const EMBEDDED: &[(&str, &str)] = &[
    (
        "mps2-an385.toml",
        include_str!("../../boards/mps2-an385.toml"),
    ),
    (
        "mps2-an386.toml",
        include_str!("../../boards/mps2-an386.toml"),
    ),
    (
        "mps2-an500.toml",
        include_str!("../../boards/mps2-an500.toml"),
    ),
    (
        "mps2-an505.toml",
        include_str!("../../boards/mps2-an505.toml"),
    ),
    (
        "mps3-an547.toml",
        include_str!("../../boards/mps3-an547.toml"),
    ),
    ("microbit.toml", include_str!("../../boards/microbit.toml")),
    (
        "nucleo-l4r5zi.toml",
        include_str!("../../boards/nucleo-l4r5zi.toml"),
    ),
    ("rpi-pico.toml", include_str!("../../boards/rpi-pico.toml")),
    (
        "mps2plus-an386.toml",
        include_str!("../../boards/mps2plus-an386.toml"),
    ),
];

/// Every known board: the embedded ones, plus (overriding by name) the
/// `*.toml` files of `PQBENCH_BOARDS_DIR` when set.
pub fn all() -> Result<Vec<Board>, crate::Error> {
    let mut boards = Vec::new();
    for (file, text) in EMBEDDED {
        boards.push(Board::parse(text, file)?);
    }
    if let Some(dir) = std::env::var_os("PQBENCH_BOARDS_DIR") {
        for b in load_dir(Path::new(&dir))? {
            boards.retain(|x: &Board| x.name != b.name);
            boards.push(b);
        }
    }
    Ok(boards)
}

/// The boards described by the `*.toml` files of `dir`.
pub fn load_dir(dir: &Path) -> Result<Vec<Board>, crate::Error> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| crate::Error::Io {
        what: format!("reading board directory {}", dir.display()),
        source: e,
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| crate::Error::Io {
            what: format!("reading {}", p.display()),
            source: e,
        })?;
        out.push(Board::parse(&text, &p.display().to_string())?);
    }
    Ok(out)
}

/// The board called `name`.
pub fn find(name: &str) -> Result<Board, crate::Error> {
    let all = all()?;
    let names: Vec<String> = all.iter().map(|b| b.name.clone()).collect();
    all.into_iter()
        .find(|b| b.name == name)
        .ok_or_else(|| crate::Error::UnknownBoard {
            name: name.to_string(),
            known: names.join(", "),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_board_parses_and_the_emulated_set_is_complete() {
        let all = all().unwrap();
        for name in [
            "mps2-an385",
            "mps2-an386",
            "mps2-an500",
            "mps2-an505",
            "mps3-an547",
            "microbit",
        ] {
            let b = all.iter().find(|b| b.name == name).unwrap();
            assert_eq!(b.transport, TransportKind::Qemu, "{name}");
            assert!(b.unit_is_instructions());
        }
        let real: Vec<_> = all
            .iter()
            .filter(|b| b.transport == TransportKind::ProbeRtt)
            .collect();
        assert!(real.len() >= 2);
        let serial = all.iter().find(|b| b.name == "mps2plus-an386").unwrap();
        assert_eq!(serial.transport, TransportKind::Serial);
        assert_eq!(serial.target_spec(), "board:mps2plus-an386");
        assert!(!serial.unit_is_instructions());
        let s = serial.serial.as_ref().unwrap();
        assert_eq!(s.firmware_settings(serial.clock_hz).2, 25_000_000 / 115_200);
        let an386 = all.iter().find(|b| b.name == "mps2-an386").unwrap();
        assert_eq!(an386.instructions_per_tick(), 40.0);
    }

    #[test]
    fn bad_board_files_are_refused_with_the_reason() {
        let ok = include_str!("../../boards/mps2-an386.toml");
        let e = Board::parse(&ok.replace("thumbv7em", "x86_64"), "t").unwrap_err();
        assert!(e.to_string().contains("not a Cortex-M"), "{e}");
        let e = Board::parse(&format!("{ok}\nbogus = 1\n"), "t").unwrap_err();
        assert!(e.to_string().contains("bogus"), "{e}");
        let serial = include_str!("../../boards/mps2plus-an386.toml");
        let e = Board::parse(&serial.replace("baud = 115_200", "baud = 0"), "t").unwrap_err();
        assert!(e.to_string().contains("baud is 0"), "{e}");
        let e =
            Board::parse(&serial.replace("baud = 115_200", "baud = 3_000_000"), "t").unwrap_err();
        assert!(e.to_string().contains("too fast"), "{e}");
        let cut = serial.split("[serial]").next().unwrap_or_default();
        let e = Board::parse(cut, "t").unwrap_err();
        assert!(e.to_string().contains("needs a [serial] table"), "{e}");
        assert!(matches!(
            find("no-such-board"),
            Err(crate::Error::UnknownBoard { .. })
        ));
    }
}
