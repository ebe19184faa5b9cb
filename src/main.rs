//! Thin entry point: parse the command line and hand over to the library.

use std::process::ExitCode;

/// mimalloc rather than the system's malloc: a page makes many short-lived strings, and glibc's
/// allocator took about a tenth of a checklist page's time (`benches/lean.py`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    exit_factors::cli::main()
}
