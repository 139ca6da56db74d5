//! Model, interpreter options, interpreter and typed tensor access.

use crate::edgetpu::EdgeTpuDelegate;
use crate::error::{CStatus, Result, TfliteError};
use crate::inspect::{ModelInfo, inspect};
use crate::library::{
    TfLiteDelegate, TfLiteInterpreter, TfLiteModel, TfLiteTensor, TfliteLibrary,
    XNNPACK_CHECKED_VERSIONS, XnnOptionsV2_6, Xnnpack,
};
use std::ffi::{CStr, c_void};
use std::path::Path;
use std::sync::Arc;

fn check(call: &'static str, raw: i32) -> Result<()> {
    match CStatus::from_raw(raw) {
        None => Ok(()),
        Some(status) => Err(TfliteError::Status { call, status }),
    }
}

/// A verified model, handed to the C library.
pub struct Model {
    lib: Arc<TfliteLibrary>,
    ptr: *mut TfLiteModel,
    info: ModelInfo,
    // The C library reads the flatbuffer in place: it must outlive `ptr` and
    // every interpreter made from it (they hold a clone of this Arc).
    bytes: Arc<[u8]>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model").field("info", &self.info).finish()
    }
}

impl Model {
    /// Reads, inspects and loads a `.tflite` file.
    pub fn from_file(lib: &Arc<TfliteLibrary>, path: &Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|source| TfliteError::ModelRead {
            path: path.to_path_buf(),
            source,
        })?;
        Model::from_bytes(lib, bytes)
    }

    /// Inspects and loads a model held in memory. The C library sees the
    /// bytes only after [`inspect`] accepted them.
    pub fn from_bytes(lib: &Arc<TfliteLibrary>, bytes: Vec<u8>) -> Result<Model> {
        let info = inspect(&bytes)?;
        let bytes: Arc<[u8]> = bytes.into();
        // SAFETY: `bytes` is a verified flatbuffer, kept alive (and never
        // mutated) for as long as the model and its interpreters live.
        let ptr = unsafe { (lib.api.model_create)(bytes.as_ptr().cast(), bytes.len()) };
        if ptr.is_null() {
            return Err(TfliteError::Null {
                what: "TfLiteModelCreate",
                hint: " (the library could not parse the model)",
            });
        }
        Ok(Model {
            lib: Arc::clone(lib),
            ptr,
            info,
            bytes,
        })
    }

    /// What inspection found (operators, Edge TPU placement, tensors).
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from TfLiteModelCreate and is deleted once;
        // interpreters keep their own reference to the model's internals.
        unsafe { (self.lib.api.model_delete)(self.ptr) }
    }
}

/// Which delegate the interpreter uses.
#[derive(Debug, Default)]
pub enum Delegate {
    /// TFLite's built-in CPU kernels (and whatever default delegates the
    /// library applies on its own).
    #[default]
    None,
    /// The XNNPACK delegate, created with the interpreter's thread count.
    Xnnpack,
    /// An Edge TPU delegate (freed after the interpreter).
    EdgeTpu(EdgeTpuDelegate),
}

/// Interpreter options.
#[derive(Debug)]
pub struct Options {
    /// CPU threads (>= 1).
    pub threads: u32,
    /// The delegate.
    pub delegate: Delegate,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: 1,
            delegate: Delegate::None,
        }
    }
}

enum OwnedDelegate {
    Xnnpack(*mut TfLiteDelegate),
    EdgeTpu(EdgeTpuDelegate),
}

/// Element types with typed access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementType {
    /// `kTfLiteFloat32`.
    F32,
    /// `kTfLiteInt8`.
    I8,
    /// `kTfLiteUInt8`.
    U8,
    /// Any other `TfLiteType` value.
    Other(i32),
}

impl ElementType {
    pub(crate) fn from_raw(v: i32) -> ElementType {
        match v {
            1 => ElementType::F32,
            9 => ElementType::I8,
            3 => ElementType::U8,
            o => ElementType::Other(o),
        }
    }

    /// `float32`, `int8`, `uint8` or `other`.
    pub fn name(self) -> &'static str {
        match self {
            ElementType::F32 => "float32",
            ElementType::I8 => "int8",
            ElementType::U8 => "uint8",
            ElementType::Other(_) => "other",
        }
    }
}

/// Static description of an input or output tensor.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorInfo {
    /// Name.
    pub name: String,
    /// Element type.
    pub dtype: ElementType,
    /// Shape.
    pub shape: Vec<i32>,
    /// Size in bytes.
    pub bytes: usize,
    /// Quantization scale (0 when not quantized).
    pub scale: f32,
    /// Quantization zero point.
    pub zero_point: i32,
}

impl TensorInfo {
    /// Quantizes a real value into this tensor's int8 domain.
    pub fn quantize_i8(&self, real: f32) -> i8 {
        let s = if self.scale > 0.0 { self.scale } else { 1.0 };
        (real / s + self.zero_point as f32)
            .round()
            .clamp(-128.0, 127.0) as i8
    }

    /// Real value of an int8/uint8 element.
    pub fn dequantize(&self, q: i32) -> f32 {
        (q - self.zero_point) as f32 * self.scale
    }
}

/// A ready interpreter: tensors allocated, inputs writable, invocable.
pub struct Interpreter {
    lib: Arc<TfliteLibrary>,
    ptr: *mut TfLiteInterpreter,
    inputs: Vec<TensorInfo>,
    outputs: Vec<TensorInfo>,
    delegate: Option<OwnedDelegate>,
    _bytes: Arc<[u8]>,
    threads: u32,
}

impl Interpreter {
    /// Creates an interpreter for `model` with `options` and allocates its
    /// tensors. Refuses an Edge TPU–compiled model without the Edge TPU
    /// delegate.
    pub fn new(model: &Model, options: Options) -> Result<Interpreter> {
        if options.threads == 0 {
            return Err(TfliteError::Options("threads must be at least 1".into()));
        }
        if model.info.is_edgetpu_compiled() && !matches!(options.delegate, Delegate::EdgeTpu(_)) {
            return Err(TfliteError::EdgeTpuModelWithoutDelegate {
                placement: model.info.placement(),
            });
        }
        let api = &model.lib.api;
        let threads = i32::try_from(options.threads)
            .map_err(|_| TfliteError::Options(format!("{} threads", options.threads)))?;
        let delegate = match options.delegate {
            Delegate::None => None,
            Delegate::Xnnpack => Some(OwnedDelegate::Xnnpack(create_xnnpack(&model.lib, threads)?)),
            Delegate::EdgeTpu(d) => Some(OwnedDelegate::EdgeTpu(d)),
        };
        // SAFETY: no arguments; returns an owned options object or NULL.
        let opts = unsafe { (api.options_create)() };
        if opts.is_null() {
            // Dropping `delegate` frees it (no interpreter uses it).
            drop_delegate(&model.lib, delegate);
            return Err(TfliteError::Null {
                what: "TfLiteInterpreterOptionsCreate",
                hint: "",
            });
        }
        // SAFETY: `opts` is a live options object; the delegate pointer (if
        // any) is live and outlives the interpreter (freed in Drop, after it).
        let ptr = unsafe {
            (api.options_set_num_threads)(opts, threads);
            match &delegate {
                Some(OwnedDelegate::Xnnpack(d)) => (api.options_add_delegate)(opts, *d),
                Some(OwnedDelegate::EdgeTpu(d)) => (api.options_add_delegate)(opts, d.as_ptr()),
                None => {}
            }
            let p = (api.interpreter_create)(model.ptr, opts);
            (api.options_delete)(opts);
            p
        };
        if ptr.is_null() {
            drop_delegate(&model.lib, delegate);
            return Err(TfliteError::Null {
                what: "TfLiteInterpreterCreate",
                hint: " (unsupported operator, or the delegate refused the graph; TFLite printed the reason on stderr)",
            });
        }
        let mut it = Interpreter {
            lib: Arc::clone(&model.lib),
            ptr,
            inputs: Vec::new(),
            outputs: Vec::new(),
            delegate,
            _bytes: Arc::clone(&model.bytes),
            threads: options.threads,
        };
        // SAFETY: `ptr` is a live interpreter.
        check("AllocateTensors", unsafe {
            (it.lib.api.allocate_tensors)(it.ptr)
        })?;
        it.inputs = it.describe(true)?;
        it.outputs = it.describe(false)?;
        Ok(it)
    }

    fn tensor(&self, input: bool, index: usize) -> Result<*const TfLiteTensor> {
        let count = if input {
            self.inputs_len()
        } else {
            self.outputs_len()
        };
        let kind = if input { "input" } else { "output" };
        if index >= count {
            return Err(TfliteError::NoTensor { kind, index, count });
        }
        let i = index as i32; // < count, which fits i32
        // SAFETY: live interpreter, index in range.
        let t = unsafe {
            if input {
                (self.lib.api.input_tensor)(self.ptr, i).cast_const()
            } else {
                (self.lib.api.output_tensor)(self.ptr, i)
            }
        };
        if t.is_null() {
            return Err(TfliteError::Null {
                what: "Get{Input,Output}Tensor",
                hint: "",
            });
        }
        Ok(t)
    }

    fn inputs_len(&self) -> usize {
        // SAFETY: live interpreter.
        usize::try_from(unsafe { (self.lib.api.input_count)(self.ptr) }).unwrap_or(0)
    }

    fn outputs_len(&self) -> usize {
        // SAFETY: live interpreter.
        usize::try_from(unsafe { (self.lib.api.output_count)(self.ptr) }).unwrap_or(0)
    }

    fn describe(&self, input: bool) -> Result<Vec<TensorInfo>> {
        let n = if input {
            self.inputs_len()
        } else {
            self.outputs_len()
        };
        let api = &self.lib.api;
        let mut v = Vec::with_capacity(n);
        for i in 0..n {
            let t = self.tensor(input, i)?;
            // SAFETY: `t` is a live tensor of this interpreter; the name is
            // NUL-terminated and owned by the interpreter (copied at once).
            let info = unsafe {
                let np = (api.tensor_name)(t);
                let name = if np.is_null() {
                    String::new()
                } else {
                    CStr::from_ptr(np).to_string_lossy().into_owned()
                };
                let dims = (api.tensor_num_dims)(t).max(0);
                let shape = (0..dims).map(|d| (api.tensor_dim)(t, d)).collect();
                let q = (api.tensor_quant)(t);
                TensorInfo {
                    name,
                    dtype: ElementType::from_raw((api.tensor_type)(t)),
                    shape,
                    bytes: (api.tensor_byte_size)(t),
                    scale: q.scale,
                    zero_point: q.zero_point,
                }
            };
            v.push(info);
        }
        Ok(v)
    }

    /// Input tensors.
    pub fn inputs(&self) -> &[TensorInfo] {
        &self.inputs
    }

    /// Output tensors.
    pub fn outputs(&self) -> &[TensorInfo] {
        &self.outputs
    }

    /// Threads the interpreter was created with.
    pub fn threads(&self) -> u32 {
        self.threads
    }

    /// The Edge TPU delegate in use, if any.
    pub fn edgetpu(&self) -> Option<&EdgeTpuDelegate> {
        match &self.delegate {
            Some(OwnedDelegate::EdgeTpu(d)) => Some(d),
            _ => None,
        }
    }

    fn typed(&self, input: bool, index: usize, want: ElementType, len: usize) -> Result<()> {
        let list = if input { &self.inputs } else { &self.outputs };
        let info = list.get(index).ok_or(TfliteError::NoTensor {
            kind: if input { "input" } else { "output" },
            index,
            count: list.len(),
        })?;
        if info.dtype != want {
            return Err(TfliteError::TypeMismatch {
                name: info.name.clone(),
                actual: info.dtype.name(),
                requested: want.name(),
            });
        }
        if info.bytes != len {
            return Err(TfliteError::SizeMismatch {
                name: info.name.clone(),
                expected: info.bytes,
                actual: len,
            });
        }
        Ok(())
    }

    fn copy_in(&mut self, index: usize, data: *const c_void, len: usize) -> Result<()> {
        let t = self.tensor(true, index)?.cast_mut();
        // SAFETY: `t` is a live input tensor of `len` bytes (checked by
        // `typed`), `data` points to `len` readable bytes.
        check("TensorCopyFromBuffer", unsafe {
            (self.lib.api.tensor_copy_from)(t, data, len)
        })
    }

    fn copy_out(&self, index: usize, data: *mut c_void, len: usize) -> Result<()> {
        let t = self.tensor(false, index)?;
        // SAFETY: `t` is a live output tensor of `len` bytes (checked by
        // `typed`), `data` points to `len` writable bytes.
        check("TensorCopyToBuffer", unsafe {
            (self.lib.api.tensor_copy_to)(t, data, len)
        })
    }

    /// Writes an int8 input.
    pub fn set_input_i8(&mut self, index: usize, data: &[i8]) -> Result<()> {
        self.typed(true, index, ElementType::I8, data.len())?;
        self.copy_in(index, data.as_ptr().cast(), data.len())
    }

    /// Writes a uint8 input.
    pub fn set_input_u8(&mut self, index: usize, data: &[u8]) -> Result<()> {
        self.typed(true, index, ElementType::U8, data.len())?;
        self.copy_in(index, data.as_ptr().cast(), data.len())
    }

    /// Writes a float32 input.
    pub fn set_input_f32(&mut self, index: usize, data: &[f32]) -> Result<()> {
        let len = std::mem::size_of_val(data);
        self.typed(true, index, ElementType::F32, len)?;
        self.copy_in(index, data.as_ptr().cast(), len)
    }

    /// Writes raw bytes to any input (no type check, size checked).
    pub fn set_input_bytes(&mut self, index: usize, data: &[u8]) -> Result<()> {
        let info = self.inputs.get(index).ok_or(TfliteError::NoTensor {
            kind: "input",
            index,
            count: self.inputs.len(),
        })?;
        if info.bytes != data.len() {
            return Err(TfliteError::SizeMismatch {
                name: info.name.clone(),
                expected: info.bytes,
                actual: data.len(),
            });
        }
        self.copy_in(index, data.as_ptr().cast(), data.len())
    }

    /// Reads an int8 output.
    pub fn output_i8(&self, index: usize) -> Result<Vec<i8>> {
        let n = self.outputs.get(index).map_or(0, |t| t.bytes);
        self.typed(false, index, ElementType::I8, n)?;
        let mut v = vec![0i8; n];
        self.copy_out(index, v.as_mut_ptr().cast(), n)?;
        Ok(v)
    }

    /// Reads a uint8 output.
    pub fn output_u8(&self, index: usize) -> Result<Vec<u8>> {
        let n = self.outputs.get(index).map_or(0, |t| t.bytes);
        self.typed(false, index, ElementType::U8, n)?;
        let mut v = vec![0u8; n];
        self.copy_out(index, v.as_mut_ptr().cast(), n)?;
        Ok(v)
    }

    /// Reads a float32 output.
    pub fn output_f32(&self, index: usize) -> Result<Vec<f32>> {
        let n = self.outputs.get(index).map_or(0, |t| t.bytes);
        self.typed(false, index, ElementType::F32, n)?;
        let mut v = vec![0f32; n / 4];
        self.copy_out(index, v.as_mut_ptr().cast(), v.len() * 4)?;
        Ok(v)
    }

    /// Reads any output as raw bytes (no type check).
    pub fn output_bytes(&self, index: usize) -> Result<Vec<u8>> {
        let n = self
            .outputs
            .get(index)
            .ok_or(TfliteError::NoTensor {
                kind: "output",
                index,
                count: self.outputs.len(),
            })?
            .bytes;
        let mut v = vec![0u8; n];
        self.copy_out(index, v.as_mut_ptr().cast(), n)?;
        Ok(v)
    }

    /// Runs the model once.
    pub fn invoke(&mut self) -> Result<()> {
        // SAFETY: live interpreter with allocated tensors.
        check("Invoke", unsafe { (self.lib.api.invoke)(self.ptr) })
    }
}

/// Creates the XNNPACK delegate with `threads` threads. Only for TFLite
/// versions whose options struct was checked against their header
/// ([`XNNPACK_CHECKED_VERSIONS`]); the options start from the library's own
/// `TfLiteXNNPackDelegateOptionsDefault()` and only `num_threads` is written.
fn create_xnnpack(lib: &TfliteLibrary, threads: i32) -> Result<*mut TfLiteDelegate> {
    let x = match lib.api.xnnpack {
        Xnnpack::V2_6(x) => x,
        Xnnpack::Absent => {
            return Err(TfliteError::Options(format!(
                "{} (TFLite {}) has no XNNPACK delegate (TfLiteXNNPackDelegateCreate/Delete not exported)",
                lib.path().display(),
                lib.version()
            )));
        }
        Xnnpack::Unchecked => {
            return Err(TfliteError::XnnpackUnchecked {
                version: lib.version().to_string(),
                checked: XNNPACK_CHECKED_VERSIONS.join(", "),
            });
        }
    };
    let mut o = match x.options_default {
        // SAFETY: `TfLiteXNNPackDelegateOptions TfLiteXNNPackDelegateOptionsDefault(void)`
        // of TFLite 2.6.0 (version checked at load) returns the 8-byte
        // struct `XnnOptionsV2_6` mirrors, by value; every byte pattern is a
        // valid `XnnOptionsV2_6` (i32 and u8 fields).
        Some(default) => unsafe { default() },
        None => XnnOptionsV2_6::default(),
    };
    o.num_threads = threads;
    // SAFETY: `create` is `TfLiteXNNPackDelegateCreate(const TfLiteXNNPackDelegateOptions*)`
    // of TFLite 2.6.0; `o` has that version's exact layout and lives
    // across the call, which only reads it.
    let d = unsafe { (x.create)(&raw const o) };
    if d.is_null() {
        return Err(TfliteError::Null {
            what: "TfLiteXNNPackDelegateCreate",
            hint: "",
        });
    }
    Ok(d)
}

fn drop_delegate(lib: &TfliteLibrary, d: Option<OwnedDelegate>) {
    if let Some(OwnedDelegate::Xnnpack(p)) = d
        && let Xnnpack::V2_6(x) = lib.api.xnnpack
    {
        // SAFETY: `p` came from TfLiteXNNPackDelegateCreate of this library
        // (only a checked version creates one), no interpreter uses it any
        // more, and it is freed once.
        unsafe { (x.delete)(p) }
    }
    // An Edge TPU delegate frees itself on drop.
}

impl Drop for Interpreter {
    fn drop(&mut self) {
        // SAFETY: `ptr` is live and deleted once; the delegate is freed only
        // afterwards (a delegate must outlive its interpreter).
        unsafe { (self.lib.api.interpreter_delete)(self.ptr) }
        let d = self.delegate.take();
        drop_delegate(&self.lib, d);
    }
}
