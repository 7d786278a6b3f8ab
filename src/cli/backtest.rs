//! `baton backtest [--rules PATH] CORPUS.jsonl [--format text|json]
//! [--html FILE]`: where a corpus of real conversations would go.

use std::path::PathBuf;
use std::process::ExitCode;

use super::output;
use crate::impact::{backtest, html, table};
use crate::rules::Rules;

/// Arguments of `baton backtest`.
#[derive(clap::Args)]
pub struct Args {
    /// Rule files or folders.
    #[arg(long = "rules", default_value = "rules/")]
    rules: Vec<PathBuf>,
    /// The conversations: JSON Lines, one conversation a line.
    corpus: PathBuf,
    /// `text` (tables, for people) or `json` (for programs).
    #[arg(long, value_enum, default_value_t = super::corpus::Report::Text)]
    format: super::corpus::Report,
    /// Also write the report as one self-contained web page, with charts.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Decide as if it were this time (RFC 3339), for `waiting`; the
    /// clock by default.
    #[arg(long, value_parser = super::decide::parse_now)]
    now: Option<i64>,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// Prints the report. Exit status: 0, 1 when the rules have errors, 2 when
/// the rules or the corpus cannot be read or the page cannot be written.
pub fn run(args: &Args) -> ExitCode {
    let rules = match Rules::load(&args.rules, &args.limits.limits()) {
        Ok(rules) => rules,
        Err(failure) => return output::load_failure(failure, "nothing was backtested", 1),
    };
    let lines = match super::corpus::read(&args.corpus) {
        Ok(lines) => lines,
        Err(e) => {
            output::fail(&format!("`{}` cannot be read: {e}", args.corpus.display()));
            return ExitCode::from(2);
        }
    };
    let options = super::corpus::options(args.now);
    let seen = super::corpus::decide(&rules, &lines, &options, "backtest");
    let report = backtest::backtest(rules.graph(), &seen);
    let rules_shown = output::paths(&args.rules);
    let corpus = args.corpus.display().to_string();
    if let Some(page) = &args.html
        && let Err(e) = std::fs::write(page, html::backtest(&report, &rules_shown, &corpus))
    {
        output::fail(&format!("`{}` cannot be written: {e}", page.display()));
        return ExitCode::from(2);
    }
    super::corpus::print(args.format, &report, |r| {
        table::backtest(r, &rules_shown, &corpus)
    });
    ExitCode::SUCCESS
}
