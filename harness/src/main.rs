//! The `pqbench` command-line tool. See `pqbench --help`.

fn main() -> std::process::ExitCode {
    pqbench::cli::main()
}
