//! A LiteRT compiled model with its input and output buffers: the
//! [`Engine`](crate::Engine) of the `litert-cpu` target.

use super::library::{
    HW_CPU, Handle, LOCK_READ, LOCK_WRITE, LiteRtLibrary, PerTensor, QUANT_PER_TENSOR,
    RankedTensorType, Status,
};
use crate::error::{Result, TfliteError};
use crate::inspect::{ModelInfo, inspect};
use crate::interpreter::{ElementType, TensorInfo};
use std::ffi::{CStr, CString, c_char, c_void};
use std::sync::Arc;

fn check(call: &'static str, status: Status) -> Result<()> {
    if status == 0 {
        return Ok(());
    }
    let hint = match status {
        501 => " (kLiteRtStatusErrorInvalidFlatbuffer: the library could not parse the model)",
        504 => {
            " (kLiteRtStatusErrorCompilation: an operator is unsupported, LiteRT printed the reason on stderr)"
        }
        1 => " (kLiteRtStatusErrorInvalidArgument)",
        5 => " (kLiteRtStatusErrorUnsupported)",
        _ => "",
    };
    Err(TfliteError::LiteRtStatus {
        call,
        code: status,
        hint,
    })
}

/// Frees the XNNPACK options payload handed to `LiteRtCreateOpaqueOptions`
/// (LiteRT calls it when the options are destroyed).
unsafe extern "C" fn free_payload(p: *mut c_void) {
    if !p.is_null() {
        // SAFETY: `p` came from `CString::into_raw` in `cpu_options` and
        // LiteRT calls the destructor once.
        drop(unsafe { CString::from_raw(p.cast::<c_char>()) });
    }
}

/// Which CPU kernels LiteRT's CPU accelerator uses (the `kernel_mode` of
/// its CPU options, litert/c/options/litert_cpu_options.h).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kernels {
    /// The default: XNNPACK delegates the operators it supports.
    #[default]
    Xnnpack,
    /// LiteRT's built-in optimized kernels (TFLite's kernels), no delegate.
    Builtin,
}

impl Kernels {
    /// As recorded in results: `xnnpack` or `builtin`.
    pub fn name(self) -> &'static str {
        match self {
            Kernels::Xnnpack => "xnnpack",
            Kernels::Builtin => "builtin",
        }
    }
}

/// A model compiled for LiteRT's CPU accelerator (XNNPACK), its tensor
/// buffers allocated and bound.
pub struct CompiledModel {
    lib: Arc<LiteRtLibrary>,
    env: Handle,
    model: Handle,
    compiled: Handle,
    in_bufs: Vec<Handle>,
    out_bufs: Vec<Handle>,
    inputs: Vec<TensorInfo>,
    outputs: Vec<TensorInfo>,
    info: ModelInfo,
    threads: u32,
    kernels: Kernels,
    // LiteRtCreateModelFromBuffer reads the flatbuffer in place: it must
    // outlive `model` (dropped after it, never mutated).
    _bytes: Box<[u8]>,
}

impl std::fmt::Debug for CompiledModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledModel")
            .field("info", &self.info)
            .field("threads", &self.threads)
            .finish()
    }
}

impl CompiledModel {
    /// Inspects `bytes` (the C library sees them only if inspection
    /// accepts them), then creates the environment, the model, compiles it
    /// for the CPU accelerator with `threads` XNNPACK threads and allocates
    /// one managed buffer per input and output of signature 0.
    pub fn new(lib: &Arc<LiteRtLibrary>, bytes: Vec<u8>, threads: u32) -> Result<CompiledModel> {
        CompiledModel::with_kernels(lib, bytes, threads, Kernels::Xnnpack)
    }

    /// As [`CompiledModel::new`], with the CPU kernels chosen.
    pub fn with_kernels(
        lib: &Arc<LiteRtLibrary>,
        bytes: Vec<u8>,
        threads: u32,
        kernels: Kernels,
    ) -> Result<CompiledModel> {
        if threads == 0 {
            return Err(TfliteError::Options("threads must be at least 1".into()));
        }
        let info = inspect(&bytes)?;
        if info.is_edgetpu_compiled() {
            return Err(TfliteError::EdgeTpuModelWithoutDelegate {
                placement: info.placement(),
            });
        }
        let mut m = CompiledModel {
            lib: Arc::clone(lib),
            env: std::ptr::null_mut(),
            model: std::ptr::null_mut(),
            compiled: std::ptr::null_mut(),
            in_bufs: Vec::new(),
            out_bufs: Vec::new(),
            inputs: Vec::new(),
            outputs: Vec::new(),
            info,
            threads,
            kernels,
            _bytes: bytes.into_boxed_slice(),
        };
        // From here on, Drop releases whatever was created if a step fails.
        let api = &m.lib.api;
        // SAFETY: no options (count 0, NULL array); writes the handle.
        check("CreateEnvironment", unsafe {
            (api.create_environment)(0, std::ptr::null(), &raw mut m.env)
        })?;
        // SAFETY: live environment; the buffer lives as long as `m` (and
        // so the model) and is never mutated.
        check("CreateModelFromBuffer", unsafe {
            (api.create_model_from_buffer)(
                m.env,
                m._bytes.as_ptr().cast(),
                m._bytes.len(),
                &raw mut m.model,
            )
        })?;
        let options = m.cpu_options()?;
        // SAFETY: live environment, model and options; the options stay
        // owned by the caller (litert_compiled_model.h) and are destroyed
        // right after.
        let status = unsafe { (api.create_compiled)(m.env, m.model, options, &raw mut m.compiled) };
        // SAFETY: options from LiteRtCreateOptions, destroyed once.
        unsafe { (api.destroy_options)(options) };
        check("CreateCompiledModel", status)?;
        m.bind()?;
        Ok(m)
    }

    /// `LiteRtOptions` for the CPU accelerator with XNNPACK's options
    /// (opaque options with identifier `xnnpack` and a TOML payload, as
    /// `LrtGetOpaqueCpuOptionsData` of litert/c/options/litert_cpu_options.cc
    /// builds them; that helper is not exported by the wheel's library).
    fn cpu_options(&self) -> Result<Handle> {
        let api = &self.lib.api;
        let mut opts: Handle = std::ptr::null_mut();
        // SAFETY: writes an owned handle.
        check("CreateOptions", unsafe {
            (api.create_options)(&raw mut opts)
        })?;
        let fail = |e| {
            // SAFETY: `opts` is live and destroyed once, on this error path.
            unsafe { (api.destroy_options)(opts) };
            Err(e)
        };
        // SAFETY: live options.
        if let Err(e) = check("SetOptionsHardwareAccelerators", unsafe {
            (api.set_accelerators)(opts, HW_CPU)
        }) {
            return fail(e);
        }
        let mode = match self.kernels {
            Kernels::Xnnpack => "",
            Kernels::Builtin => "kernel_mode = \"builtin\"\n",
        };
        let payload = match CString::new(format!("num_threads = {}\n{mode}", self.threads)) {
            Ok(p) => p.into_raw(),
            Err(_) => return fail(TfliteError::Options("thread count".into())),
        };
        let mut opaque: Handle = std::ptr::null_mut();
        // SAFETY: identifier is a static C string; payload ownership passes
        // to the opaque options, which free it through `free_payload`.
        let st = unsafe {
            (api.create_opaque)(
                c"xnnpack".as_ptr(),
                payload.cast(),
                Some(free_payload),
                &raw mut opaque,
            )
        };
        if let Err(e) = check("CreateOpaqueOptions", st) {
            // Whether LiteRT took the payload on failure is not documented:
            // leak these few bytes rather than risk a double free.
            return fail(e);
        }
        // SAFETY: live options and opaque options; ownership of `opaque`
        // passes to `opts` on success (litert_options.h).
        if let Err(e) = check("AddOpaqueOptions", unsafe {
            (api.add_opaque)(opts, opaque)
        }) {
            // SAFETY: not taken by `opts`: destroyed once here.
            unsafe { (api.destroy_opaque)(opaque) };
            return fail(e);
        }
        Ok(opts)
    }

    /// Describes signature 0's tensors and creates their buffers.
    fn bind(&mut self) -> Result<()> {
        let api = &self.lib.api;
        let mut n = 0usize;
        // SAFETY: live model; writes a count.
        check("GetNumModelSignatures", unsafe {
            (api.num_signatures)(self.model, &raw mut n)
        })?;
        if n == 0 {
            return Err(TfliteError::Options("the model has no signature".into()));
        }
        let mut sig: Handle = std::ptr::null_mut();
        // SAFETY: live model, index 0 < n; the signature is owned by the model.
        check("GetModelSignature", unsafe {
            (api.model_signature)(self.model, 0, &raw mut sig)
        })?;
        let (mut n_in, mut n_out) = (0usize, 0usize);
        // SAFETY: live signature; write counts.
        unsafe {
            check(
                "GetNumSignatureInputs",
                (api.num_signature_inputs)(sig, &raw mut n_in),
            )?;
            check(
                "GetNumSignatureOutputs",
                (api.num_signature_outputs)(sig, &raw mut n_out),
            )?;
        }
        for input in [true, false] {
            for i in 0..if input { n_in } else { n_out } {
                let mut t: Handle = std::ptr::null_mut();
                let mut req: Handle = std::ptr::null_mut();
                let mut buf: Handle = std::ptr::null_mut();
                // SAFETY: live signature and compiled model, index in range;
                // the tensor and requirements are owned by the model and the
                // compiled model, the buffer is ours (kept for Drop at once).
                let ty = unsafe {
                    if input {
                        check(
                            "GetSignatureInputTensorByIndex",
                            (api.signature_input)(sig, i, &raw mut t),
                        )?;
                        check(
                            "GetCompiledModelInputBufferRequirements",
                            (api.input_requirements)(self.compiled, 0, i, &raw mut req),
                        )?;
                    } else {
                        check(
                            "GetSignatureOutputTensorByIndex",
                            (api.signature_output)(sig, i, &raw mut t),
                        )?;
                        check(
                            "GetCompiledModelOutputBufferRequirements",
                            (api.output_requirements)(self.compiled, 0, i, &raw mut req),
                        )?;
                    }
                    let mut ty = RankedTensorType::default();
                    check("GetRankedTensorType", (api.ranked_type)(t, &raw mut ty))?;
                    // A dynamic dimension (-1, e.g. the batch of a Keras
                    // export) runs at 1, as TFLite allocates it by default;
                    // the buffer cannot be sized otherwise.
                    let rank = ty.layout.rank().min(ty.layout.dimensions.len());
                    for d in &mut ty.layout.dimensions[..rank] {
                        if *d < 0 {
                            *d = 1;
                        }
                    }
                    check(
                        "CreateManagedTensorBufferFromRequirements",
                        (api.create_buffer)(self.env, &raw const ty, req, &raw mut buf),
                    )?;
                    ty
                };
                if input {
                    self.in_bufs.push(buf);
                } else {
                    self.out_bufs.push(buf);
                }
                let info = self.describe(t, buf, &ty)?;
                if input {
                    self.inputs.push(info);
                } else {
                    self.outputs.push(info);
                }
            }
        }
        Ok(())
    }

    fn describe(&self, t: Handle, buf: Handle, ty: &RankedTensorType) -> Result<TensorInfo> {
        let api = &self.lib.api;
        let mut np: *const c_char = std::ptr::null();
        let mut qtype = 0;
        let mut q = PerTensor::default();
        let mut buf_size = 0usize;
        // SAFETY: live tensor and buffer; the name is a NUL-terminated
        // string owned by the model, copied at once.
        let name = unsafe {
            check("GetTensorName", (api.tensor_name)(t, &raw mut np))?;
            check("GetQuantizationTypeId", (api.quant_type)(t, &raw mut qtype))?;
            if qtype == QUANT_PER_TENSOR {
                check("GetPerTensorQuantization", (api.per_tensor)(t, &raw mut q))?;
            }
            check(
                "GetTensorBufferSize",
                (api.buffer_size)(buf, &raw mut buf_size),
            )?;
            if np.is_null() {
                String::new()
            } else {
                CStr::from_ptr(np).to_string_lossy().into_owned()
            }
        };
        let rank = ty.layout.rank().min(ty.layout.dimensions.len());
        let shape: Vec<i32> = ty.layout.dimensions[..rank].to_vec();
        let dtype = ElementType::from_raw(ty.element_type);
        let elem = match dtype {
            ElementType::F32 => Some(4),
            ElementType::I8 | ElementType::U8 => Some(1),
            ElementType::Other(_) => None,
        };
        let count: Option<usize> = shape.iter().map(|&d| usize::try_from(d).ok()).product();
        let bytes = match (elem, count) {
            (Some(e), Some(c)) if e * c <= buf_size => e * c,
            _ => buf_size,
        };
        Ok(TensorInfo {
            name,
            dtype,
            shape,
            bytes,
            scale: q.scale,
            zero_point: i32::try_from(q.zero_point).unwrap_or(0),
        })
    }

    /// The CPU kernels in use.
    pub fn kernels(&self) -> Kernels {
        self.kernels
    }

    /// What inspection found.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    fn locked<T>(&self, buf: Handle, mode: i32, f: impl FnOnce(*mut c_void) -> T) -> Result<T> {
        let mut p: *mut c_void = std::ptr::null_mut();
        // SAFETY: live buffer of this model; `p` is valid until unlock.
        check("LockTensorBuffer", unsafe {
            (self.lib.api.lock)(buf, &raw mut p, mode)
        })?;
        let out = if p.is_null() { None } else { Some(f(p)) };
        // SAFETY: locked just above.
        check("UnlockTensorBuffer", unsafe { (self.lib.api.unlock)(buf) })?;
        out.ok_or(TfliteError::Null {
            what: "LiteRtLockTensorBuffer",
            hint: "",
        })
    }
}

fn no_tensor(kind: &'static str, index: usize, count: usize) -> TfliteError {
    TfliteError::NoTensor { kind, index, count }
}

impl crate::Engine for CompiledModel {
    fn inputs(&self) -> &[TensorInfo] {
        &self.inputs
    }

    fn outputs(&self) -> &[TensorInfo] {
        &self.outputs
    }

    fn write_input(&mut self, index: usize, data: &[u8]) -> Result<()> {
        let info = self
            .inputs
            .get(index)
            .ok_or_else(|| no_tensor("input", index, self.inputs.len()))?;
        if info.bytes != data.len() {
            return Err(TfliteError::SizeMismatch {
                name: info.name.clone(),
                expected: info.bytes,
                actual: data.len(),
            });
        }
        let buf = self.in_bufs[index];
        self.locked(buf, LOCK_WRITE, |p| {
            // SAFETY: the locked buffer holds at least `info.bytes` bytes
            // (the size was taken from it), `data` has exactly that many.
            unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), p.cast::<u8>(), data.len()) }
        })
    }

    fn read_output(&mut self, index: usize) -> Result<Vec<u8>> {
        let n = self
            .outputs
            .get(index)
            .ok_or_else(|| no_tensor("output", index, self.outputs.len()))?
            .bytes;
        let mut v = vec![0u8; n];
        self.locked(self.out_bufs[index], LOCK_READ, |p| {
            // SAFETY: the locked buffer holds at least `n` bytes.
            unsafe { std::ptr::copy_nonoverlapping(p.cast::<u8>(), v.as_mut_ptr(), n) }
        })?;
        Ok(v)
    }

    fn invoke(&mut self) -> Result<()> {
        // SAFETY: live compiled model; the buffer arrays hold one live
        // buffer per input/output of signature 0, in signature order.
        check("RunCompiledModel", unsafe {
            (self.lib.api.run)(
                self.compiled,
                0,
                self.in_bufs.len(),
                self.in_bufs.as_mut_ptr(),
                self.out_bufs.len(),
                self.out_bufs.as_mut_ptr(),
            )
        })
    }

    fn threads(&self) -> u32 {
        self.threads
    }
}

impl Drop for CompiledModel {
    fn drop(&mut self) {
        let api = &self.lib.api;
        // SAFETY: every non-null handle was created by this object and is
        // destroyed once, buffers and compiled model before the model, the
        // model before the environment.
        unsafe {
            for b in self.in_bufs.drain(..).chain(self.out_bufs.drain(..)) {
                if !b.is_null() {
                    (api.destroy_buffer)(b);
                }
            }
            if !self.compiled.is_null() {
                (api.destroy_compiled)(self.compiled);
            }
            if !self.model.is_null() {
                (api.destroy_model)(self.model);
            }
            if !self.env.is_null() {
                (api.destroy_environment)(self.env);
            }
        }
    }
}
