//! USB discovery for `pqbench devices`: Edge TPUs, Cortex-M boards and debug
//! probes by VID:PID, with `nusb`.

/// What kind of device a VID:PID is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Google Coral Edge TPU.
    EdgeTpu,
    /// A debug probe (possibly on a development board).
    Probe,
    /// A development board's own USB interface.
    Board,
}

/// Known devices: (vid, pid, kind, description).
pub const KNOWN: &[(u16, u16, Kind, &str)] = &[
    (
        0x1a6e,
        0x089a,
        Kind::EdgeTpu,
        "Coral Edge TPU USB Accelerator (before firmware load)",
    ),
    (
        0x18d1,
        0x9302,
        Kind::EdgeTpu,
        "Coral Edge TPU USB Accelerator (firmware loaded)",
    ),
    (0x0483, 0x3748, Kind::Probe, "ST-LINK/V2"),
    (
        0x0483,
        0x374b,
        Kind::Probe,
        "ST-LINK/V2-1 (NUCLEO-64/144, Discovery)",
    ),
    (
        0x0483,
        0x374e,
        Kind::Probe,
        "ST-LINK/V3 (NUCLEO-L4R5ZI and other NUCLEO-144)",
    ),
    (0x0483, 0x374f, Kind::Probe, "ST-LINK/V3"),
    (0x0483, 0x3753, Kind::Probe, "ST-LINK/V3 (dual VCP)"),
    (0x0483, 0x3754, Kind::Probe, "ST-LINK/V3 (no mass storage)"),
    (0x1366, 0x0101, Kind::Probe, "SEGGER J-Link"),
    (0x1366, 0x1015, Kind::Probe, "SEGGER J-Link (CDC)"),
    (0x1366, 0x1051, Kind::Probe, "SEGGER J-Link OB"),
    (
        0x0d28,
        0x0204,
        Kind::Probe,
        "Arm DAPLink / CMSIS-DAP (micro:bit, FRDM, MPS2 MCC)",
    ),
    (
        0x2e8a,
        0x000c,
        Kind::Probe,
        "Raspberry Pi Debug Probe (CMSIS-DAP)",
    ),
    (0x2e8a, 0x0004, Kind::Probe, "Raspberry Pi Picoprobe"),
    (0x1fc9, 0x0143, Kind::Probe, "NXP MCU-Link (CMSIS-DAP)"),
    (
        0x2e8a,
        0x0003,
        Kind::Board,
        "Raspberry Pi RP2040 in BOOTSEL mode",
    ),
    (
        0x2e8a,
        0x000a,
        Kind::Board,
        "Raspberry Pi Pico (RP2040 USB CDC)",
    ),
    (0x1915, 0x520f, Kind::Board, "Nordic nRF52840 Dongle"),
    (0x0483, 0xdf11, Kind::Board, "STM32 in DFU bootloader mode"),
];

/// Looks up a VID:PID.
pub fn classify(vid: u16, pid: u16) -> Option<(Kind, &'static str)> {
    KNOWN
        .iter()
        .find(|(v, p, _, _)| *v == vid && *p == pid)
        .map(|(_, _, k, d)| (*k, *d))
}

/// One attached USB device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsbDevice {
    /// Vendor id.
    pub vid: u16,
    /// Product id.
    pub pid: u16,
    /// Bus number / id as the OS names it.
    pub bus: String,
    /// Device address on the bus.
    pub address: u8,
    /// Product string, when readable.
    pub product: Option<String>,
    /// Serial number, when readable.
    pub serial: Option<String>,
    /// What pqbench knows it as.
    pub known: Option<(Kind, &'static str)>,
}

/// Why devices could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The system has no USB bus (containers, VMs without USB).
    #[error(
        "no USB bus is visible on this machine ({0}); attach the device to this machine (or pass it through to the container/VM, e.g. `--device /dev/bus/usb`)"
    )]
    NoBus(String),
    /// USB exists but cannot be read.
    #[error(
        "no permission to read the USB devices ({0}); run as a user with access to /dev/bus/usb (a udev rule for the device, or the plugdev group)"
    )]
    Permission(String),
    /// Anything else.
    #[error("listing USB devices failed: {0}")]
    Other(String),
}

/// Every attached USB device, known ones marked.
pub fn list() -> Result<Vec<UsbDevice>, ListError> {
    #[cfg(target_os = "linux")]
    {
        let sys = std::path::Path::new("/sys/bus/usb/devices");
        if !sys.exists() {
            return Err(ListError::NoBus(
                "/sys/bus/usb/devices does not exist".into(),
            ));
        }
    }
    use nusb::MaybeFuture;
    let iter = nusb::list_devices().wait().map_err(classify_err)?;
    let mut out: Vec<UsbDevice> = iter
        .map(|d| UsbDevice {
            vid: d.vendor_id(),
            pid: d.product_id(),
            bus: d.bus_id().to_string(),
            address: d.device_address(),
            product: d.product_string().map(str::to_string),
            serial: d.serial_number().map(str::to_string),
            known: classify(d.vendor_id(), d.product_id()),
        })
        .collect();
    out.sort_by(|a, b| (&a.bus, a.address).cmp(&(&b.bus, b.address)));
    Ok(out)
}

fn classify_err(e: nusb::Error) -> ListError {
    let text = e.to_string();
    let io: std::io::Error = e.into();
    match io.kind() {
        std::io::ErrorKind::PermissionDenied => ListError::Permission(text),
        std::io::ErrorKind::NotFound => ListError::NoBus(text),
        _ => ListError::Other(text),
    }
}

/// A serial port that may lead to a board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SerialPort {
    /// Device path, e.g. `/dev/ttyACM0`.
    pub path: String,
    /// USB `VID:PID` of the device behind it, when it is on USB.
    pub usb: Option<(u16, u16)>,
}

/// USB and on-chip serial ports (`ttyACM*`, `ttyUSB*`, `ttyAMA*`), from
/// `/sys/class/tty`; empty where there is no sysfs.
pub fn serial_ports() -> Vec<SerialPort> {
    let Ok(rd) = std::fs::read_dir("/sys/class/tty") else {
        return Vec::new();
    };
    let mut out: Vec<SerialPort> = rd
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            if !["ttyACM", "ttyUSB", "ttyAMA"]
                .iter()
                .any(|p| name.starts_with(p))
            {
                return None;
            }
            // Walk up from the tty's device to the USB device, which has
            // idVendor/idProduct.
            let mut dir = std::fs::canonicalize(e.path().join("device")).ok();
            let mut usb = None;
            while let Some(d) = dir {
                let id = |f: &str| {
                    std::fs::read_to_string(d.join(f))
                        .ok()
                        .and_then(|v| u16::from_str_radix(v.trim(), 16).ok())
                };
                if let (Some(v), Some(p)) = (id("idVendor"), id("idProduct")) {
                    usb = Some((v, p));
                    break;
                }
                dir = d.parent().map(std::path::Path::to_path_buf);
            }
            Some(SerialPort {
                path: format!("/dev/{name}"),
                usb,
            })
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_tpu_ids_are_known_in_both_states() {
        assert_eq!(classify(0x1a6e, 0x089a).map(|k| k.0), Some(Kind::EdgeTpu));
        assert_eq!(classify(0x18d1, 0x9302).map(|k| k.0), Some(Kind::EdgeTpu));
        assert_eq!(classify(0x0483, 0x374e).map(|k| k.0), Some(Kind::Probe));
        assert_eq!(classify(0x1234, 0x5678), None);
    }

    #[test]
    fn serial_ports_are_device_nodes_that_exist() {
        for p in serial_ports() {
            assert!(p.path.starts_with("/dev/tty"), "{p:?}");
            assert!(std::path::Path::new(&p.path).exists(), "{p:?}");
        }
    }

    #[test]
    fn listing_either_works_or_says_why_plainly() {
        match list() {
            Ok(devs) => {
                for d in devs {
                    assert_eq!(d.known, classify(d.vid, d.pid));
                }
            }
            Err(e) => {
                let s = e.to_string();
                assert!(s.contains("USB"), "{s}");
            }
        }
    }
}
