//! What every inference runtime offers the scenarios: typed tensor
//! descriptions, raw input writes, output reads and one inference. The
//! TFLite [`Interpreter`](crate::Interpreter) and the LiteRT
//! [`CompiledModel`](crate::litert::CompiledModel) implement it, so the
//! harness runs the same worker and scenario code over either.

use crate::Result;
use crate::interpreter::TensorInfo;

/// A model ready to run: tensors allocated, inputs writable.
pub trait Engine {
    /// Input tensors.
    fn inputs(&self) -> &[TensorInfo];
    /// Output tensors.
    fn outputs(&self) -> &[TensorInfo];
    /// Writes input `index` from `data` (exactly the tensor's byte size).
    fn write_input(&mut self, index: usize, data: &[u8]) -> Result<()>;
    /// Reads output `index` as raw bytes.
    fn read_output(&mut self, index: usize) -> Result<Vec<u8>>;
    /// Runs the model once.
    fn invoke(&mut self) -> Result<()>;
    /// CPU threads the runtime was configured with.
    fn threads(&self) -> u32;
}

impl Engine for crate::Interpreter {
    fn inputs(&self) -> &[TensorInfo] {
        crate::Interpreter::inputs(self)
    }
    fn outputs(&self) -> &[TensorInfo] {
        crate::Interpreter::outputs(self)
    }
    fn write_input(&mut self, index: usize, data: &[u8]) -> Result<()> {
        self.set_input_bytes(index, data)
    }
    fn read_output(&mut self, index: usize) -> Result<Vec<u8>> {
        self.output_bytes(index)
    }
    fn invoke(&mut self) -> Result<()> {
        crate::Interpreter::invoke(self)
    }
    fn threads(&self) -> u32 {
        crate::Interpreter::threads(self)
    }
}

impl<E: Engine + ?Sized> Engine for Box<E> {
    fn inputs(&self) -> &[TensorInfo] {
        (**self).inputs()
    }
    fn outputs(&self) -> &[TensorInfo] {
        (**self).outputs()
    }
    fn write_input(&mut self, index: usize, data: &[u8]) -> Result<()> {
        (**self).write_input(index, data)
    }
    fn read_output(&mut self, index: usize) -> Result<Vec<u8>> {
        (**self).read_output(index)
    }
    fn invoke(&mut self) -> Result<()> {
        (**self).invoke()
    }
    fn threads(&self) -> u32 {
        (**self).threads()
    }
}
