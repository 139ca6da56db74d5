//! Which runtime and configuration an inference target spec names.

use pqbench_accel::litert::Kernels;

/// An inference target: runtime, delegate or kernels, and device.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// TFLite's CPU kernels.
    Cpu,
    /// TFLite with the XNNPACK delegate.
    Xnnpack,
    /// Edge TPU number n (TFLite with the Edge TPU delegate).
    EdgeTpu(usize),
    /// LiteRT's CompiledModel on the CPU accelerator.
    LiteRt {
        /// `:threads=N`; `None`: `PQBENCH_TFLITE_THREADS`, else 1.
        threads: Option<u32>,
        /// `:kernels=builtin|xnnpack` (default XNNPACK).
        kernels: Kernels,
    },
}

/// The runtime behind a [`Kind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// TensorFlow Lite's C library (`libtensorflowlite_c.so`).
    Tflite,
    /// LiteRT's C library (`libLiteRt.so`).
    LiteRt,
}

impl Runtime {
    /// As recorded in `details.runtime`.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Tflite => "TensorFlow Lite",
            Runtime::LiteRt => "LiteRT",
        }
    }
}

const EXPECTED: &str = "expected tflite-cpu, tflite-xnnpack, litert-cpu[:threads=N][:kernels=builtin|xnnpack] or edgetpu:<n> (n = device index, e.g. edgetpu:0)";

impl Kind {
    /// Parses a target spec.
    pub fn parse(spec: &str) -> anyhow::Result<Kind> {
        if let Some(rest) = spec.strip_prefix("litert-cpu") {
            return parse_litert(spec, rest);
        }
        Ok(match spec {
            "tflite-cpu" => Kind::Cpu,
            "tflite-xnnpack" => Kind::Xnnpack,
            s => match s.strip_prefix("edgetpu:").map(str::parse::<usize>) {
                Some(Ok(n)) => Kind::EdgeTpu(n),
                _ => anyhow::bail!("bad target {spec:?}: {EXPECTED}"),
            },
        })
    }

    /// The runtime.
    pub fn runtime(self) -> Runtime {
        match self {
            Kind::LiteRt { .. } => Runtime::LiteRt,
            _ => Runtime::Tflite,
        }
    }

    /// The delegate or kernels, as recorded in the details.
    pub fn delegate_name(self) -> &'static str {
        match self {
            Kind::Cpu => "none (TFLite CPU kernels)",
            Kind::Xnnpack => "xnnpack",
            Kind::EdgeTpu(_) => "edgetpu",
            Kind::LiteRt {
                kernels: Kernels::Xnnpack,
                ..
            } => "xnnpack (LiteRT CPU accelerator)",
            Kind::LiteRt {
                kernels: Kernels::Builtin,
                ..
            } => "none (LiteRT built-in kernels)",
        }
    }
}

fn parse_litert(spec: &str, rest: &str) -> anyhow::Result<Kind> {
    let mut threads = None;
    let mut kernels = Kernels::Xnnpack;
    if !rest.is_empty() {
        let Some(opts) = rest.strip_prefix(':') else {
            anyhow::bail!("bad target {spec:?}: {EXPECTED}");
        };
        for opt in opts.split(':') {
            match opt.split_once('=') {
                Some(("threads", v)) => match v.parse::<u32>() {
                    Ok(n) if n >= 1 => threads = Some(n),
                    _ => anyhow::bail!(
                        "bad target {spec:?}: threads={v:?} is not a whole number >= 1"
                    ),
                },
                Some(("kernels", "builtin")) => kernels = Kernels::Builtin,
                Some(("kernels", "xnnpack")) => kernels = Kernels::Xnnpack,
                _ => anyhow::bail!("bad target {spec:?}: unknown option {opt:?}; {EXPECTED}"),
            }
        }
    }
    Ok(Kind::LiteRt { threads, kernels })
}

/// The target part of a benchmark id: `edgetpu:0` -> `edgetpu0`,
/// `litert-cpu:threads=2` -> `litert-cpu-threads2`.
pub fn id_target(spec: &str) -> String {
    if spec.starts_with("litert-cpu") {
        spec.replace(':', "-").replace('=', "")
    } else {
        spec.replace(':', "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(Kind::parse("tflite-cpu").unwrap(), Kind::Cpu);
        assert_eq!(Kind::parse("edgetpu:1").unwrap(), Kind::EdgeTpu(1));
        assert!(Kind::parse("edgetpu:x").is_err());
        assert_eq!(
            Kind::parse("litert-cpu").unwrap(),
            Kind::LiteRt {
                threads: None,
                kernels: Kernels::Xnnpack
            }
        );
        assert_eq!(
            Kind::parse("litert-cpu:threads=2:kernels=builtin").unwrap(),
            Kind::LiteRt {
                threads: Some(2),
                kernels: Kernels::Builtin
            }
        );
        for bad in [
            "litert-cpu:threads=0",
            "litert-cpu:fast",
            "litert-cpux",
            "litert-cpu:kernels=gpu",
        ] {
            assert!(Kind::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Kind::parse("litert-cpu").unwrap().runtime(),
            Runtime::LiteRt
        );
        assert_eq!(id_target("litert-cpu:threads=2"), "litert-cpu-threads2");
        assert_eq!(id_target("edgetpu:0"), "edgetpu0");
    }
}
