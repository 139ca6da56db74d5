//! TensorFlow Lite and Edge TPU back end for pqbench.
