//! Logging setup. Logs go to stderr; `RUST_LOG` filters them (default `info`). What is logged is
//! decided at the call sites: request lines without query strings, never passwords, tokens, notes or
//! case attributes.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls are ignored (tests call it repeatedly).
pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sled=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, not in a journal or a file.
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}
