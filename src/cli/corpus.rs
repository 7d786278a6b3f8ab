//! Reading a corpus of conversations (JSON Lines) and deciding every line,
//! on every core, with a progress line on a terminal: for `backtest` and
//! `diff`.

use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::impact::Seen;
use crate::rules::Rules;
use crate::runtime::Options;

/// The lines of a corpus file (a line that is not UTF-8 is kept as lossy
/// text, to be reported as not JSON).
pub fn read(path: &Path) -> std::io::Result<Vec<String>> {
    let bytes = std::fs::read(path)?;
    let mut lines: Vec<String> = bytes
        .split(|&b| b == b'\n')
        .map(|line| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            String::from_utf8_lossy(line).into_owned()
        })
        .collect();
    // The line break that ends the last line does not start another.
    if lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    Ok(lines)
}

/// Every line decided by `rules` (in line order), with the values each
/// lacks. `label` names the work on the progress line.
pub fn decide(rules: &Rules, lines: &[String], options: &Options, label: &str) -> Vec<Seen> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let done = AtomicUsize::new(0);
    let progress = std::io::stderr().is_terminal() && lines.len() >= 2_000;
    let chunk = lines.len().div_ceil(threads).max(1);
    let mut seen: Vec<Seen> = Vec::with_capacity(lines.len());
    std::thread::scope(|scope| {
        let workers: Vec<_> = lines
            .chunks(chunk)
            .enumerate()
            .map(|(k, part)| {
                let done = &done;
                scope.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(i, line)| {
                            let number = k * chunk + i + 1;
                            let seen = one(rules, line, number, options);
                            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                            if progress && k == 0 && n.is_multiple_of(500) {
                                let mut err = std::io::stderr().lock();
                                let _ =
                                    write!(err, "\r{label}: {n} of {} conversations", lines.len());
                            }
                            seen
                        })
                        .collect::<Vec<Seen>>()
                })
            })
            .collect();
        for worker in workers {
            match worker.join() {
                Ok(part) => seen.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    if progress {
        let _ = write!(std::io::stderr().lock(), "\r{:60}\r", "");
    }
    seen
}

fn one(rules: &Rules, line: &str, number: usize, options: &Options) -> Seen {
    let json = crate::rules::too_large(line.len(), rules.limits())
        .and_then(|()| crate::runtime::parse(line));
    let decided = json
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|j| rules.decide(j, options));
    let missing = match &json {
        Ok(j) if decided.is_ok() => {
            crate::runtime::missing_values(rules.graph(), j, options).unwrap_or_default()
        }
        _ => Vec::new(),
    };
    Seen::new(number, decided, missing)
}

/// How `backtest` and `diff` print their report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Report {
    /// Tables for people.
    Text,
    /// One JSON document.
    Json,
}

/// Prints a report as text or JSON.
pub fn print<T: serde::Serialize>(format: Report, report: &T, text: impl FnOnce(&T) -> String) {
    match format {
        Report::Text => super::output::print(&text(report)),
        Report::Json => super::output::print(&format!(
            "{}\n",
            serde_json::to_string_pretty(report).unwrap_or_default()
        )),
    }
}

/// Deciding options for a corpus: at `now` (RFC 3339 on the command
/// line), or the clock.
pub fn options(now: Option<i64>) -> Options {
    Options {
        now: Some(now.unwrap_or_else(crate::rules::clock_now)),
        explain: false,
    }
}
