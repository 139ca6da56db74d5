//! The message types: [`Message`], its field enums ([`Counter`],
//! [`ErrorCode`]) and constants, and [`DecodeError`].

/// Which counter a board measures with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    /// SysTick at the core clock, extended to 64 bits by its wrap interrupt.
    /// Under QEMU with `-icount shift=0` one tick is `1e9 / clock_hz`
    /// instructions.
    SysTick,
    /// DWT CYCCNT (cycles), extended to 64 bits.
    Dwt,
}

/// Why the board refused or failed a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// The peers speak different protocol versions.
    VersionMismatch,
    /// No workload with that index.
    UnknownWorkload,
    /// A heap allocation failed: the workload does not fit the board's RAM.
    DoesNotFitHeap,
    /// The stack overflowed its region: the workload does not fit.
    DoesNotFitStack,
    /// The firmware panicked.
    Panic,
    /// A CPU fault (HardFault, BusFault, …) other than a stack overflow.
    Fault,
    /// A request the board could not parse.
    BadRequest,
    /// A frame the board received was corrupted.
    BadFrame,
}

impl ErrorCode {
    /// The wire value of the code.
    pub(super) fn to_u8(self) -> u8 {
        match self {
            ErrorCode::VersionMismatch => 1,
            ErrorCode::UnknownWorkload => 2,
            ErrorCode::DoesNotFitHeap => 3,
            ErrorCode::DoesNotFitStack => 4,
            ErrorCode::Panic => 5,
            ErrorCode::Fault => 6,
            ErrorCode::BadRequest => 7,
            ErrorCode::BadFrame => 8,
        }
    }

    /// The code with wire value `v`, if any.
    pub(super) fn from_u8(v: u8) -> Option<Self> {
        Some(match v {
            1 => ErrorCode::VersionMismatch,
            2 => ErrorCode::UnknownWorkload,
            3 => ErrorCode::DoesNotFitHeap,
            4 => ErrorCode::DoesNotFitStack,
            5 => ErrorCode::Panic,
            6 => ErrorCode::Fault,
            7 => ErrorCode::BadRequest,
            8 => ErrorCode::BadFrame,
            _ => return None,
        })
    }

    /// True for the errors that mean "the workload does not fit the board".
    pub fn is_does_not_fit(self) -> bool {
        matches!(self, ErrorCode::DoesNotFitHeap | ErrorCode::DoesNotFitStack)
    }

    /// True when the board cannot continue after this error and must be reset.
    pub fn is_fatal(self) -> bool {
        matches!(
            self,
            ErrorCode::DoesNotFitHeap
                | ErrorCode::DoesNotFitStack
                | ErrorCode::Panic
                | ErrorCode::Fault
        )
    }
}

/// Index value meaning "no workload" in [`Message::Error`].
pub const NO_INDEX: u16 = u16::MAX;

/// Throughput kinds in [`Message::WorkloadInfo`].
pub mod throughput {
    /// No throughput.
    pub const NONE: u8 = 0;
    /// Bytes per operation.
    pub const BYTES: u8 = 1;
    /// Elements per operation.
    pub const ELEMENTS: u8 = 2;
}

/// One protocol message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Message<'a> {
    /// Host -> board: first message of a session.
    HostHello {
        /// The host's [`PROTOCOL_VERSION`](crate::PROTOCOL_VERSION).
        version: u16,
    },
    /// Board -> host: sent at boot and in answer to [`Message::HostHello`].
    BoardHello {
        /// The firmware's protocol version.
        version: u16,
        /// The counter used for samples.
        counter: Counter,
        /// Core clock in Hz, or 0 when the firmware is shared between
        /// boards and the host takes the clock from the board file.
        clock_hz: u32,
        /// Number of workloads in the firmware.
        workloads: u16,
        /// Bytes of the workload (process) stack.
        stack_bytes: u32,
        /// Bytes of the heap.
        heap_bytes: u32,
        /// Board name the firmware was built for.
        board: &'a str,
        /// Cargo features of the firmware build.
        features: &'a str,
    },
    /// Host -> board: list the workloads.
    List,
    /// Board -> host: one workload of the list.
    WorkloadInfo {
        /// Index to use in [`Message::Run`].
        index: u16,
        /// `suite/name/implementation/params`.
        id: &'a str,
        /// One of [`throughput`]'s constants.
        throughput_kind: u8,
        /// Work per operation.
        throughput: u64,
    },
    /// Board -> host: end of the list.
    ListEnd {
        /// Number of workloads listed.
        count: u16,
    },
    /// Host -> board: set up workload `index` with `seed`, then run it
    /// `iterations` times, each timed on its own.
    Run {
        /// Workload index.
        index: u16,
        /// Seed for the inputs.
        seed: u64,
        /// Timed operations.
        iterations: u32,
    },
    /// Board -> host: one timed operation.
    Sample {
        /// Workload index.
        index: u16,
        /// 0-based iteration.
        iteration: u32,
        /// Counter ticks for that operation (timer overhead subtracted).
        ticks: u64,
    },
    /// Board -> host: a static metric of the workload (key size, …).
    Metric {
        /// Workload index.
        index: u16,
        /// `snake_case` name.
        name: &'a str,
        /// Value.
        value: u64,
        /// Unit, e.g. `bytes`.
        unit: &'a str,
    },
    /// Board -> host: the run finished.
    RunDone {
        /// Workload index.
        index: u16,
        /// Stack high-water mark of `setup`, bytes (stack painting).
        stack_setup_bytes: u32,
        /// Stack high-water mark over the timed operations, bytes.
        stack_run_bytes: u32,
        /// Peak heap use during setup and runs, bytes.
        heap_peak_bytes: u32,
        /// Ticks of an empty timed region (already subtracted from samples).
        timer_overhead_ticks: u32,
    },
    /// Host -> board: run a calibration loop of `loops` iterations with a
    /// known instruction count (see the firmware), timed.
    Calibrate {
        /// Loop iterations.
        loops: u32,
    },
    /// Board -> host: result of [`Message::Calibrate`].
    CalibrateDone {
        /// Loop iterations.
        loops: u32,
        /// Instructions the loop executes, by construction.
        instructions: u64,
        /// Ticks measured.
        ticks: u64,
    },
    /// Host -> board: end the session (QEMU exits, a real board resets).
    Shutdown,
    /// Either way: a failure.
    Error {
        /// What kind.
        code: ErrorCode,
        /// Workload index concerned, or [`NO_INDEX`].
        index: u16,
        /// Human-readable detail.
        message: &'a str,
    },
}

/// Why a payload is not a valid message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Unknown tag byte.
    UnknownTag(u8),
    /// The payload ends inside a field.
    Truncated,
    /// Bytes left after the message.
    TrailingBytes,
    /// A string field is not UTF-8.
    BadUtf8,
    /// A field has an invalid value.
    BadValue,
    /// The output buffer is too small (encoding).
    BufferTooSmall,
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            DecodeError::UnknownTag(t) => write!(f, "unknown message tag {t}"),
            DecodeError::Truncated => write!(f, "message truncated"),
            DecodeError::TrailingBytes => write!(f, "trailing bytes after message"),
            DecodeError::BadUtf8 => write!(f, "string field is not UTF-8"),
            DecodeError::BadValue => write!(f, "invalid field value"),
            DecodeError::BufferTooSmall => write!(f, "buffer too small"),
        }
    }
}
