//! The pqbench integration tests, one binary (each module was its own test
//! binary; one link instead of twenty-two keeps `cargo test` fast).
//! Run one area with a filter: `cargo test -p pqbench --test integration history_postgres::`.

mod ab_in_process;
mod cli;
mod cli_broken_pipe;
mod common;
mod compare_exact_counts;
mod compare_merged_machines;
mod compare_replication_noise;
mod export_ci_formats;
mod gate_exit_codes;
mod gate_fail_closed;
mod gate_summary;
mod history_common;
mod history_gate;
mod history_otava;
mod history_postgres;
mod history_store;
mod host_clock;
mod import_formats;
mod merge_results;
mod provenance;
mod report_publish;
mod results_nonfinite_schema;
mod results_permissions;
mod results_suite_table;
mod run_placement;
mod scan_eval;
mod signals;
mod stats_one_estimand;
