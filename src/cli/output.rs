//! How diagnostics reach the person or program that ran baton.

use std::io::{IsTerminal as _, Write as _};

use crate::diagnostic::{self, Diagnostics};

/// How to print diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: boxes and arrows, colour on a terminal.
    Human,
    /// For logs and snapshots: no colour, no box drawing.
    Plain,
    /// For programs: one JSON document.
    Json,
}

/// Whether standard output is a terminal that wants colour (`NO_COLOR` unset).
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The diagnostics as text in `format`, with `summary` as the last line
/// (the JSON form carries its own counts instead).
pub fn render(diagnostics: &Diagnostics, format: Format, summary: &str) -> String {
    match format {
        Format::Json => {
            let mut out = diagnostic::render_json(diagnostics).to_string();
            out.push('\n');
            out
        }
        Format::Human | Format::Plain => {
            let colour = format == Format::Human && colour();
            let mut out = String::new();
            for d in diagnostics {
                let text = match format {
                    Format::Human => diagnostic::render_human(d, colour),
                    _ => diagnostic::render_plain(d),
                };
                out.push_str(&text);
                out.push('\n');
            }
            out.push_str(summary);
            out.push('\n');
            out
        }
    }
}

/// Writes to standard output, ignoring a closed pipe (`baton check | head`).
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Writes to standard error.
pub fn eprint(text: &str) {
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Writes a one-line error to standard error.
pub fn fail(message: &str) {
    let _ = writeln!(std::io::stderr(), "error: {message}");
}

/// Reports rules that could not be loaded, on standard error: the path
/// that could not be read, or every diagnostic as `baton check` prints it
/// followed by "the rules have N errors; {consequence}". Gives the exit
/// status: 2 for an unreadable path, `invalid` for rules with errors.
pub fn load_failure(
    failure: crate::rules::LoadFailure,
    consequence: &str,
    invalid: u8,
) -> std::process::ExitCode {
    match failure {
        crate::rules::LoadFailure::Read(e) => {
            fail(&e.to_string());
            std::process::ExitCode::from(2)
        }
        crate::rules::LoadFailure::Invalid(diagnostics) => {
            let summary = format!(
                "the rules have {}; {consequence}",
                count(diagnostics.errors(), "error")
            );
            eprint(&render(&diagnostics, Format::Human, &summary));
            std::process::ExitCode::from(invalid)
        }
    }
}

/// "1 error", "2 warnings", ...
pub fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Reads the rule files at `paths`, or says why not (exit status 2).
pub fn load(
    paths: &[std::path::PathBuf],
    limits: &crate::Limits,
) -> Result<crate::reload::Loaded, std::process::ExitCode> {
    crate::reload::load_paths_within(paths, limits).map_err(|e| {
        fail(&e.to_string());
        std::process::ExitCode::from(2)
    })
}

/// Paths as a command line named them, joined: `rules/, extra.baton`.
pub fn paths(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
