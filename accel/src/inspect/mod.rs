//! Model inspection before the TFLite C library sees a file.
//!
//! [`inspect`] verifies the flatbuffer (every offset, vtable and vector bound,
//! with the `flatbuffers` crate's verifier), checks the cross references the
//! C library trusts (operator code, tensor and buffer indices), and
//! summarises the model: operators used, how many are Edge TPU custom ops,
//! input and output tensors. Arbitrary bytes give an [`InspectError`], never a
//! panic (see the `inspect` fuzz target in `accel/fuzz`).

mod builtin_ops;
mod schema;

use std::collections::BTreeMap;
use std::fmt;

/// Custom-op code the `edgetpu_compiler` gives the operator that runs a
/// compiled subgraph on the Edge TPU.
pub const EDGETPU_CUSTOM_OP: &str = "edgetpu-custom-op";

/// Largest model accepted (the flatbuffer format's own 2 GiB limit).
pub const MAX_MODEL_BYTES: usize = (1 << 31) - 1;

/// Why a model file was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InspectError {
    /// Shorter than a flatbuffer header.
    #[error(
        "not a TFLite model: {len} bytes is too short (a .tflite file starts with an 8-byte header)"
    )]
    TooShort {
        /// Length of the input.
        len: usize,
    },
    /// Over [`MAX_MODEL_BYTES`].
    #[error("model of {len} bytes exceeds the 2 GiB flatbuffer limit")]
    TooLarge {
        /// Length of the input.
        len: usize,
    },
    /// The file identifier is not `TFL3`.
    #[error("not a TFLite model: file identifier is {found:?}, expected \"TFL3\"")]
    BadIdentifier {
        /// Bytes 4..8 of the input, lossily decoded.
        found: String,
    },
    /// The flatbuffer verifier refused the bytes (truncated or corrupt).
    #[error("corrupt TFLite model (flatbuffer verification failed): {0}")]
    Flatbuffer(String),
    /// Structurally valid flatbuffer, inconsistent model.
    #[error("invalid TFLite model: {0}")]
    Invalid(String),
}

/// Element type of a tensor, as stored in the model (`TensorType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelTensorType(pub i8);

impl ModelTensorType {
    /// Schema name of the type (`FLOAT32`, `INT8`, …).
    pub fn name(self) -> &'static str {
        const NAMES: [&str; 21] = [
            "FLOAT32",
            "FLOAT16",
            "INT32",
            "UINT8",
            "INT64",
            "STRING",
            "BOOL",
            "INT16",
            "COMPLEX64",
            "INT8",
            "FLOAT64",
            "COMPLEX128",
            "UINT64",
            "RESOURCE",
            "VARIANT",
            "UINT32",
            "UINT16",
            "INT4",
            "BFLOAT16",
            "INT2",
            "UINT4",
        ];
        usize::try_from(self.0)
            .ok()
            .and_then(|i| NAMES.get(i).copied())
            .unwrap_or("UNKNOWN")
    }
}

/// An input or output tensor of the main subgraph.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorSummary {
    /// Tensor name.
    pub name: String,
    /// Element type.
    pub dtype: ModelTensorType,
    /// Shape (`-1` entries are dynamic).
    pub shape: Vec<i32>,
    /// Per-tensor quantization `(scale, zero_point)` when present.
    pub quantization: Option<(f32, i64)>,
}

/// What [`inspect`] learned about a model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInfo {
    /// Size of the file in bytes.
    pub size_bytes: usize,
    /// Schema version (3 for every current model).
    pub schema_version: u32,
    /// The model's description string (the converter writes e.g. "MLIR Converted.").
    pub description: Option<String>,
    /// Number of subgraphs.
    pub subgraphs: usize,
    /// Operator name -> number of nodes, over all subgraphs. Builtins by
    /// schema name, custom ops by their custom code.
    pub operators: BTreeMap<String, usize>,
    /// Nodes that run on the Edge TPU (`edgetpu-custom-op`).
    pub edgetpu_ops: usize,
    /// All other nodes (run by TFLite on the CPU).
    pub cpu_ops: usize,
    /// Inputs of subgraph 0.
    pub inputs: Vec<TensorSummary>,
    /// Outputs of subgraph 0.
    pub outputs: Vec<TensorSummary>,
}

impl ModelInfo {
    /// True when the model was compiled by `edgetpu_compiler` (it has at
    /// least one `edgetpu-custom-op` node) and so needs the Edge TPU delegate.
    pub fn is_edgetpu_compiled(&self) -> bool {
        self.edgetpu_ops > 0
    }

    /// Total operator nodes.
    pub fn total_ops(&self) -> usize {
        self.edgetpu_ops + self.cpu_ops
    }

    /// "N ops on Edge TPU, M on CPU".
    pub fn placement(&self) -> String {
        format!(
            "{} ops on Edge TPU, {} on CPU",
            self.edgetpu_ops, self.cpu_ops
        )
    }
}

impl fmt::Display for ModelInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "TFLite model: {} bytes, schema v{}, {} subgraph(s), {} ops ({})",
            self.size_bytes,
            self.schema_version,
            self.subgraphs,
            self.total_ops(),
            self.placement()
        )?;
        for (name, n) in &self.operators {
            writeln!(f, "  {n:>4} x {name}")?;
        }
        for (kind, list) in [("input", &self.inputs), ("output", &self.outputs)] {
            for t in list {
                write!(f, "  {kind} {:?}: {} {:?}", t.name, t.dtype.name(), t.shape)?;
                if let Some((s, z)) = t.quantization {
                    write!(f, " scale={s} zero_point={z}")?;
                }
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

/// Verifies and summarises a `.tflite` model held in memory.
pub fn inspect(bytes: &[u8]) -> Result<ModelInfo, InspectError> {
    if bytes.len() < 8 {
        return Err(InspectError::TooShort { len: bytes.len() });
    }
    if bytes.len() > MAX_MODEL_BYTES {
        return Err(InspectError::TooLarge { len: bytes.len() });
    }
    if &bytes[4..8] != b"TFL3" {
        return Err(InspectError::BadIdentifier {
            found: String::from_utf8_lossy(&bytes[4..8]).into_owned(),
        });
    }
    let model = flatbuffers::root::<schema::Model>(bytes)
        .map_err(|e| InspectError::Flatbuffer(e.to_string()))?;
    let invalid = |m: String| Err(InspectError::Invalid(m));

    let schema_version = model.version();
    if schema_version != 3 {
        return invalid(format!("schema version {schema_version}, expected 3"));
    }
    let codes = model.operator_codes();
    let n_codes = codes.map_or(0, |c| c.len());
    let n_buffers = model.buffers().map_or(0, |b| b.len());
    if let Some(buffers) = model.buffers() {
        for (i, b) in buffers.iter().enumerate() {
            if b.external_offset() > 1 || b.external_size() > 0 {
                let (o, s) = (b.external_offset(), b.external_size());
                if o.checked_add(s).is_none_or(|end| end > bytes.len() as u64) {
                    return invalid(format!(
                        "buffer {i} points outside the file (offset {o}, size {s})"
                    ));
                }
            }
        }
    }
    let Some(subgraphs) = model.subgraphs() else {
        return invalid("no subgraphs".into());
    };
    if subgraphs.is_empty() {
        return invalid("no subgraphs".into());
    }

    // Operator names per code index.
    let mut op_names = Vec::with_capacity(n_codes);
    if let Some(codes) = codes {
        for (i, c) in codes.iter().enumerate() {
            let code = c.builtin_code();
            let name = if code == 32 {
                // BuiltinOperator_CUSTOM
                match c.custom_code() {
                    Some(s) => s.to_owned(),
                    None => return invalid(format!("operator code {i} is CUSTOM without a name")),
                }
            } else {
                match usize::try_from(code).ok() {
                    Some(k) => builtin_ops::BUILTIN_OPS
                        .get(k)
                        .map_or_else(|| format!("BUILTIN_{code}"), |s| (*s).to_owned()),
                    None => return invalid(format!("operator code {i} has negative code {code}")),
                }
            };
            op_names.push(name);
        }
    }

    let mut operators = BTreeMap::new();
    let (mut edgetpu_ops, mut cpu_ops) = (0usize, 0usize);
    for (g, sg) in subgraphs.iter().enumerate() {
        let tensors = sg.tensors();
        let n_tensors = tensors.map_or(0, |t| t.len());
        let check_index = |what: &str, idx: i32, optional: bool| -> Result<(), InspectError> {
            let ok = usize::try_from(idx).is_ok_and(|k| k < n_tensors) || (optional && idx == -1);
            if ok {
                Ok(())
            } else {
                Err(InspectError::Invalid(format!(
                    "subgraph {g}: {what} refers to tensor {idx}, but there are {n_tensors}"
                )))
            }
        };
        if let Some(tensors) = tensors {
            for (t, tensor) in tensors.iter().enumerate() {
                let buf = tensor.buffer() as usize;
                if buf != 0 && buf >= n_buffers {
                    return invalid(format!(
                        "subgraph {g}: tensor {t} uses buffer {buf}, but there are {n_buffers}"
                    ));
                }
                if !(0..=20).contains(&tensor.tensor_type()) {
                    return invalid(format!(
                        "subgraph {g}: tensor {t} has unknown type {}",
                        tensor.tensor_type()
                    ));
                }
            }
        }
        for idx in sg.inputs().iter().flat_map(|v| v.iter()) {
            check_index("an input", idx, false)?;
        }
        for idx in sg.outputs().iter().flat_map(|v| v.iter()) {
            check_index("an output", idx, false)?;
        }
        for (o, op) in sg.operators().iter().flat_map(|v| v.iter()).enumerate() {
            let k = op.opcode_index() as usize;
            let Some(name) = op_names.get(k) else {
                return invalid(format!(
                    "subgraph {g}: operator {o} uses operator code {k}, but there are {n_codes}"
                ));
            };
            for idx in op.inputs().iter().flat_map(|v| v.iter()) {
                check_index("an operator input", idx, true)?;
            }
            for idx in op.outputs().iter().flat_map(|v| v.iter()) {
                check_index("an operator output", idx, true)?;
            }
            *operators.entry(name.clone()).or_insert(0usize) += 1;
            if name == EDGETPU_CUSTOM_OP {
                edgetpu_ops += 1;
            } else {
                cpu_ops += 1;
            }
        }
    }

    let main = subgraphs.get(0);
    let summarize = |list: Option<flatbuffers::Vector<'_, i32>>| -> Vec<TensorSummary> {
        let Some(tensors) = main.tensors() else {
            return Vec::new();
        };
        list.iter()
            .flat_map(|v| v.iter())
            .filter_map(|i| usize::try_from(i).ok())
            .filter(|&i| i < tensors.len())
            .map(|i| {
                let t = tensors.get(i);
                let quantization = t.quantization().and_then(|q| {
                    let scale = q.scale().filter(|s| s.len() == 1)?.get(0);
                    let zp = q
                        .zero_point()
                        .filter(|z| z.len() == 1)
                        .map_or(0, |z| z.get(0));
                    Some((scale, zp))
                });
                TensorSummary {
                    name: t.name().unwrap_or_default().to_owned(),
                    dtype: ModelTensorType(t.tensor_type()),
                    shape: t.shape().map(|s| s.iter().collect()).unwrap_or_default(),
                    quantization,
                }
            })
            .collect()
    };

    Ok(ModelInfo {
        size_bytes: bytes.len(),
        schema_version,
        description: model.description().map(str::to_owned),
        subgraphs: subgraphs.len(),
        operators,
        edgetpu_ops,
        cpu_ops,
        inputs: summarize(main.inputs()),
        outputs: summarize(main.outputs()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_foreign_inputs_are_rejected() {
        assert!(matches!(
            inspect(b""),
            Err(InspectError::TooShort { len: 0 })
        ));
        assert!(matches!(
            inspect(b"1234567"),
            Err(InspectError::TooShort { .. })
        ));
        assert!(matches!(
            inspect(b"\x10\0\0\0ELF\x7f\0\0\0\0"),
            Err(InspectError::BadIdentifier { .. })
        ));
    }

    #[test]
    fn header_only_is_corrupt() {
        // Root offset points past the end.
        let bytes = b"\xff\x00\x00\x00TFL3\x00\x00\x00\x00";
        let err = inspect(bytes).unwrap_err();
        assert!(matches!(err, InspectError::Flatbuffer(_)), "{err}");
    }

    #[test]
    fn random_bytes_never_panic() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for len in [8usize, 9, 16, 64, 300, 4096] {
            for _ in 0..200 {
                let mut b: Vec<u8> = (0..len).map(|_| rng.r#gen()).collect();
                b[4..8].copy_from_slice(b"TFL3");
                b[0] %= 64;
                b[1..4].fill(0);
                let _ = inspect(&b);
            }
        }
    }
}
