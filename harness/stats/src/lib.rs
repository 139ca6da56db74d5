//! Statistics for pqbench: bootstrap confidence intervals, rank and t tests,
//! effect sizes and multiple-comparison control, on per-process samples.
