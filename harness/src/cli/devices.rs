//! `pqbench devices`: attached Edge TPUs, Cortex-M boards and debug probes,
//! found on USB by VID:PID (with `nusb`), and serial ports (for boards
//! reached over a UART).

use pqbench_targets::devices::{self, Kind};
use std::process::ExitCode;

/// Arguments of `pqbench devices`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Also list USB devices pqbench does not know.
    #[arg(long)]
    all: bool,
}

/// Runs `pqbench devices`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let list = match devices::list() {
        Ok(l) => l,
        Err(e) => {
            println!("No USB devices could be listed: {e}");
            // Serial ports and PCIe Edge TPUs are not found through USB:
            // still list them.
            print_serial_ports();
            print_edgetpu_runtime();
            return Ok(ExitCode::from(super::exit::USAGE));
        }
    };
    let known: Vec<_> = list.iter().filter(|d| d.known.is_some()).collect();
    if known.is_empty() {
        println!(
            "No Edge TPU, Cortex-M board or debug probe attached ({} other USB device(s) seen{}).",
            list.len(),
            if args.all || list.is_empty() {
                ""
            } else {
                "; --all lists them"
            }
        );
    }
    for (kind, title) in [
        (Kind::EdgeTpu, "Edge TPUs"),
        (Kind::Probe, "Debug probes"),
        (Kind::Board, "Boards"),
    ] {
        let of_kind: Vec<_> = known
            .iter()
            .filter(|d| d.known.map(|k| k.0) == Some(kind))
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        println!("{title}:");
        for d in of_kind {
            println!(
                "  {:04x}:{:04x}  bus {} addr {:3}  {}{}",
                d.vid,
                d.pid,
                d.bus,
                d.address,
                d.known.map(|k| k.1).unwrap_or_default(),
                d.serial
                    .as_deref()
                    .map(|s| format!("  serial {s}"))
                    .unwrap_or_default()
            );
        }
    }
    if args.all {
        println!("All USB devices:");
        for d in &list {
            println!(
                "  {:04x}:{:04x}  bus {} addr {:3}  {}",
                d.vid,
                d.pid,
                d.bus,
                d.address,
                d.product.as_deref().unwrap_or("")
            );
        }
    }
    print_edgetpu_runtime();
    print_serial_ports();
    let boards = pqbench_targets::board::all()?;
    let real: Vec<String> = boards
        .iter()
        .filter(|b| !b.unit_is_instructions())
        .map(|b| b.name.clone())
        .collect();
    println!(
        "Real-board profiles: {} (run with --target board:<name>; emulated: `pqbench list --targets`).",
        real.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

/// Serial ports (for boards with `transport = "serial"`), with the USB
/// device behind each when there is one.
fn print_serial_ports() {
    let ports = devices::serial_ports();
    if ports.is_empty() {
        println!("Serial ports: none (ttyACM*, ttyUSB*, ttyAMA*).");
    } else {
        println!(
            "Serial ports (for boards with transport \"serial\": --target board:<name>@<port>):"
        );
        for p in &ports {
            let usb = p
                .usb
                .map(|(v, id)| {
                    let known = devices::classify(v, id)
                        .map(|k| format!("  {}", k.1))
                        .unwrap_or_default();
                    format!("  USB {v:04x}:{id:04x}{known}")
                })
                .unwrap_or_default();
            println!("  {}{usb}", p.path);
        }
    }
}

/// Edge TPUs that are not on USB (PCIe/M.2 `/dev/apex_*`) and what
/// libedgetpu itself enumerates, when the library can be loaded.
fn print_edgetpu_runtime() {
    let pcie = pqbench_accel::edgetpu::pcie_device_nodes();
    for node in &pcie {
        println!("Edge TPU (PCIe): {}", node.display());
    }
    match pqbench_accel::edgetpu::EdgeTpuLibrary::load(None) {
        Ok(lib) => {
            let devs = lib.devices();
            println!(
                "libedgetpu {} ({}): {} device(s) enumerated{}",
                lib.version(),
                lib.path(),
                devs.len(),
                if devs.is_empty() {
                    ""
                } else {
                    "; use --target edgetpu:<n>"
                }
            );
            for (i, d) in devs.iter().enumerate() {
                println!("  edgetpu:{i}  {:?}  {}", d.kind, d.path);
            }
        }
        Err(e) => println!("libedgetpu: not usable here ({e})."),
    }
}
