//! The `baton` command; everything it does lives in `baton::cli`.

fn main() -> std::process::ExitCode {
    baton::cli::main()
}
