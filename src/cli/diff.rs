//! `baton diff OLD NEW [CORPUS.jsonl]`: what changes from one ruleset to
//! another. OLD and NEW are rule files or folders, or git revisions of
//! them (`HEAD~1:rules`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use super::output;
use crate::diagnostic::Diagnostics;
use crate::impact::diff;
use crate::rules::Rules;
use crate::source::{SourceFile, Sources};

/// Arguments of `baton diff`.
#[derive(clap::Args)]
pub struct Args {
    /// The rules before: a file or folder, or `REVISION:PATH` in git.
    old: String,
    /// The rules after: a file or folder, or `REVISION:PATH` in git.
    new: String,
    /// Conversations (JSON Lines) to decide with both.
    corpus: Option<PathBuf>,
    /// `text` (for people) or `json` (for programs).
    #[arg(long, value_enum, default_value_t = super::corpus::Report::Text)]
    format: super::corpus::Report,
    /// Decide as if it were this time (RFC 3339), for `waiting`; the
    /// clock by default.
    #[arg(long, value_parser = super::decide::parse_now)]
    now: Option<i64>,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// Prints what changes. Exit status: 0, 1 when either ruleset has errors,
/// 2 when something cannot be read.
pub fn run(args: &Args) -> ExitCode {
    let limits = args.limits.limits();
    let mut rules = Vec::new();
    for spec in [&args.old, &args.new] {
        let loaded = match sources(spec) {
            Ok(sources) => Rules::build(sources, Diagnostics::new(), &limits),
            Err(message) => {
                output::fail(&message);
                return ExitCode::from(2);
            }
        };
        match loaded {
            Ok(r) => rules.push(r),
            Err(failure) => {
                return output::load_failure(
                    failure,
                    &format!("`{spec}` could not be compared"),
                    1,
                );
            }
        }
    }
    let (old, new) = (&rules[0], &rules[1]);
    let mut report = diff::compare(old.graph(), new.graph(), &args.old, &args.new);
    if let Some(corpus) = &args.corpus {
        let lines = match super::corpus::read(corpus) {
            Ok(lines) => lines,
            Err(e) => {
                output::fail(&format!("`{}` cannot be read: {e}", corpus.display()));
                return ExitCode::from(2);
            }
        };
        let options = super::corpus::options(args.now);
        let before = super::corpus::decide(old, &lines, &options, "old rules");
        let after = super::corpus::decide(new, &lines, &options, "new rules");
        report.corpus = Some(diff::corpus(&before, &after));
    }
    super::corpus::print(args.format, &report, diff::text);
    ExitCode::SUCCESS
}

/// The rule files named by `spec`: on disk, or at a git revision.
fn sources(spec: &str) -> Result<Sources, String> {
    if Path::new(spec).exists() {
        let loaded =
            crate::reload::load_paths(&[PathBuf::from(spec)]).map_err(|e| e.to_string())?;
        if !loaded.diagnostics.is_empty() {
            return Err(format!("`{spec}` has files that are not UTF-8"));
        }
        return Ok(loaded.sources);
    }
    let Some((revision, path)) = spec.split_once(':') else {
        return Err(format!(
            "`{spec}` is neither a rule file or folder nor `REVISION:PATH` (such as `HEAD~1:rules`)"
        ));
    };
    let git = |args: &[&str]| -> Result<String, String> {
        let out = Command::new("git")
            .args(args)
            .output()
            .map_err(|e| format!("git cannot be run: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "`{spec}`: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        String::from_utf8(out.stdout)
            .map_err(|_| format!("`{spec}`: git gave text that is not UTF-8"))
    };
    let path = path.trim_end_matches('/');
    let listing = git(&["ls-tree", "-r", "--name-only", revision, "--", path])?;
    let mut files: Vec<&str> = listing
        .lines()
        .filter(|f| f.ends_with(".baton") && !f.split('/').any(|part| part.starts_with('.')))
        .collect();
    files.sort_unstable();
    if files.is_empty() {
        return Err(format!("`{spec}`: no `.baton` files at that revision"));
    }
    let mut sources = Sources::new();
    for file in files {
        let text = git(&["show", &format!("{revision}:{file}")])?;
        sources.add(SourceFile::new(format!("{revision}:{file}"), text));
    }
    Ok(sources)
}
