//! Logs on standard error, for the long-running commands (`serve`,
//! `decide --watch`): one line per event, as text or as JSON.

use std::io::IsTerminal as _;

/// How to write logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// `2026-11-28T10:00:00Z INFO rules reloaded ruleset=sha256:...`
    Text,
    /// One JSON object a line.
    Json,
}

/// Starts logging at INFO level to standard error.
pub fn init(format: LogFormat) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
