//! LiteRT (the runtime that succeeded TensorFlow Lite): its C API's
//! CompiledModel path (environment, model from buffer, options with the CPU
//! accelerator and XNNPACK's thread count, compiled model, managed tensor
//! buffers, run), loaded at run time from `libLiteRt.so`.

pub mod compiled;
pub mod library;

pub use compiled::{CompiledModel, Kernels};
pub use library::LiteRtLibrary;
