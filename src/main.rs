//! The `trustdoc` binary: everything lives in the library; this only hands over to the CLI.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

// Rendering makes and frees millions of small strings from two or more threads at once;
// glibc's malloc spends a sixth of a 10,000-page build searching its bins, mimalloc's
// per-thread pages do not.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    trustdoc::cli::main()
}
