//! `baton check [PATH...]`: lint rule files and explain every problem.

use std::path::PathBuf;
use std::process::ExitCode;

use super::output::{self, Format, count};
use crate::check::Ruleset;

/// Arguments of `baton check`.
#[derive(clap::Args)]
pub struct Args {
    /// Rule files or folders (read recursively for `*.baton`).
    #[arg(default_value = "rules/")]
    paths: Vec<PathBuf>,
    /// How to print problems.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Also list conversations next to what a rule routes that no rule
    /// routes, so the default decides them (W0308).
    #[arg(long)]
    gaps: bool,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// Checks the files and prints what was found. Exit status: 0 when there is
/// no error (and, with `--deny-warnings`, no warning), 1 otherwise, 2 when
/// the files cannot be read.
pub fn run(args: &Args) -> ExitCode {
    let limits = args.limits.limits();
    let loaded = match output::load(&args.paths, &limits) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let (ruleset, checked) =
        crate::analysis::check_and_analyse(&loaded.sources, &limits, args.gaps);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(checked);
    let files = loaded.sources.len()
        + diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "E0107")
            .count();
    let summary = summary(
        &ruleset,
        files,
        diagnostics.errors(),
        diagnostics.warnings(),
    );
    output::print(&output::render(&diagnostics, args.format, &summary));
    let failed = diagnostics.has_errors() || (args.deny_warnings && diagnostics.warnings() > 0);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn summary(ruleset: &Ruleset, files: usize, errors: usize, warnings: usize) -> String {
    let files = count(files, "file");
    if errors + warnings == 0 {
        return format!(
            "checked {files}: {}, {}, {}; no problems",
            count(ruleset.rules.len(), "rule"),
            count(ruleset.queues.len(), "queue"),
            count(ruleset.tests.len(), "test"),
        );
    }
    let problems = match (errors, warnings) {
        (0, w) => count(w, "warning"),
        (e, 0) => count(e, "error"),
        (e, w) => format!("{} and {}", count(e, "error"), count(w, "warning")),
    };
    format!("checked {files}: {problems}")
}
