//! The `trustdoc` binary: everything lives in the library; this only hands over to the CLI.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

fn main() -> std::process::ExitCode {
    trustdoc::cli::main()
}
