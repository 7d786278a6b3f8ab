//! `baton test [--rules PATH] [--snapshots DIR] [--review | --accept] [--ci]
//! [--coverage] [--min-coverage N] [--format human|json|junit]`: runs every
//! `test` block, compares each example conversation's decision with its
//! snapshot, and says what passed. Exit status 0 when everything passed, 1
//! when something failed (or the rules have errors), 2 when a path cannot
//! be read.

use std::io::{BufRead as _, Read as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::output;
use crate::check::ir::Given;
use crate::limits::Limits;
use crate::rules::{LoadFailure, Rules};
use crate::testing::{self, Review, Run, SnapshotResult, SnapshotStatus, report, snapshot};
use serde_json::Value as Json;

/// Arguments of `baton test`.
#[derive(clap::Args)]
pub struct Args {
    /// Rule files or folders.
    #[arg(long = "rules", default_value = "rules/")]
    rules: Vec<PathBuf>,
    /// The folder of example conversations (`*.json`, searched through
    /// sub-folders) whose decisions are kept as snapshots beside them.
    /// `examples/` when not given (and skipped when there is none).
    #[arg(long, value_name = "DIR")]
    snapshots: Option<PathBuf>,
    /// Run the `test` blocks only; compare no snapshots.
    #[arg(long, conflicts_with = "snapshots")]
    no_snapshots: bool,
    /// Step through each changed, new or stale snapshot and accept, reject
    /// or skip it (answers are read from standard input).
    #[arg(long)]
    review: bool,
    /// Accept every change: rewrite changed snapshots, write new ones,
    /// remove those whose conversation is gone.
    #[arg(long, conflicts_with = "review")]
    accept: bool,
    /// Fail on new and stale snapshots too, as continuous integration
    /// should (also when the `CI` environment variable is set).
    #[arg(long)]
    ci: bool,
    /// List each rule with how many tests and snapshots it decided.
    #[arg(long)]
    coverage: bool,
    /// Fail when tests and snapshots reach fewer than N% of the rules
    /// (implies --coverage).
    #[arg(long, value_name = "N", value_parser = percent)]
    min_coverage: Option<f64>,
    /// How to report: for people, or for programs and CI systems.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// How `baton test` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// For people: colour on a terminal.
    Human,
    /// One JSON document.
    Json,
    /// JUnit XML, which CI systems show as test results.
    Junit,
}

fn percent(text: &str) -> Result<f64, String> {
    let n: f64 = text
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{text}` is not a percentage, e.g. 80"))?;
    if (0.0..=100.0).contains(&n) {
        Ok(n)
    } else {
        Err(format!("{n} is not between 0 and 100"))
    }
}

/// Runs `baton test`.
pub fn run(args: &Args) -> ExitCode {
    let limits = args.limits.limits();
    let rules_shown = output::paths(&args.rules);
    let rules = match Rules::load(&args.rules, &limits) {
        Ok(rules) => rules,
        Err(failure) => {
            // CI systems still get a report saying why nothing ran.
            let (why, diagnostics) = match &failure {
                LoadFailure::Read(e) => (e.to_string(), Json::Array(Vec::new())),
                LoadFailure::Invalid(d) => (
                    format!("the rules have {} error(s); no test was run", d.errors()),
                    crate::diagnostic::render_json(d),
                ),
            };
            match args.format {
                Format::Human => {}
                Format::Json => output::print(&format!(
                    "{}\n",
                    report::rules_invalid_json(&rules_shown, &why, diagnostics)
                )),
                Format::Junit => output::print(&report::rules_invalid_junit(
                    &rules_shown,
                    &why,
                    &failure.to_string(),
                )),
            }
            return output::load_failure(failure, "no test was run", 1);
        }
    };
    let graph = rules.graph();

    let tests: Vec<testing::CaseResult> = graph
        .ruleset
        .tests
        .iter()
        .map(|test| {
            let file = match &test.given {
                Given::File(path) => {
                    let rule_file = graph.ruleset.sources.get(test.span.file).name();
                    Some(read_given(rule_file, path, &limits))
                }
                Given::Transcript(_) => None,
            };
            testing::cases::run(graph, test, file)
        })
        .collect();

    let mut no_snapshots_because = None;
    let dir = match (&args.snapshots, args.no_snapshots) {
        (_, true) => None,
        (Some(dir), false) if !dir.is_dir() => {
            output::fail(&format!(
                "{} is not a folder of conversations",
                dir.display()
            ));
            return ExitCode::from(2);
        }
        (Some(dir), false) => Some(dir.clone()),
        (None, false) if Path::new("examples").is_dir() => Some(PathBuf::from("examples/")),
        (None, false) => {
            no_snapshots_because = Some(
                "there is no examples/ folder here (name the folder of conversations with --snapshots DIR)"
                    .to_string(),
            );
            None
        }
    };
    let mut snapshots = Vec::new();
    if let Some(dir) = &dir {
        match compare_all(&rules, dir, &limits) {
            Ok(found) => snapshots = found,
            Err(e) => {
                output::fail(&format!("{} cannot be read: {e}", dir.display()));
                return ExitCode::from(2);
            }
        }
    }
    if args.accept {
        for s in snapshots.iter_mut().filter(|s| s.needs_review()) {
            accept(s);
        }
    } else if args.review {
        review(&mut snapshots);
    }

    let coverage = (args.coverage || args.min_coverage.is_some())
        .then(|| testing::coverage::coverage(graph, &tests, &snapshots));
    let run = Run {
        rules: rules_shown,
        tests,
        snapshots_dir: dir.map(|d| d.display().to_string()),
        snapshots,
        coverage,
        min_coverage: args.min_coverage,
        ci: args.ci || ci_environment(),
        no_snapshots_because,
    };
    let text = match args.format {
        Format::Human => report::human(&run, output::colour()),
        Format::Json => format!("{}\n", report::json(&run)),
        Format::Junit => report::junit(&run),
    };
    output::print(&text);
    if run.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Whether the `CI` environment variable says this is continuous integration.
fn ci_environment() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The conversation a test's `given` names, relative to its rule file.
fn read_given(rule_file: &str, given: &str, limits: &Limits) -> testing::GivenFile {
    let path = Path::new(rule_file)
        .parent()
        .unwrap_or(Path::new(""))
        .join(given);
    let text = read_limited(&path, limits, "a conversation")
        .map_err(|e| format!("`{given}` ({}) cannot be read: {e}", path.display()))?;
    crate::runtime::parse(&text).map_err(|e| {
        format!(
            "`{given}` ({}) is not a conversation: {}",
            path.display(),
            e.message
        )
    })
}

/// A file's text, refused when over the conversation size limit; errors in
/// words.
fn read_limited(path: &Path, limits: &Limits, what: &str) -> Result<String, String> {
    if path.is_dir() {
        return Err("it is a folder, not a file".into());
    }
    let file = std::fs::File::open(path).map_err(|e| io_words(&e))?;
    let mut bytes = Vec::new();
    let max = limits.max_conversation_bytes;
    file.take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_words(&e))?;
    if bytes.len() > max {
        return Err(format!("it is more than the {max} bytes {what} may have"));
    }
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())
}

/// Why a file could not be read, in plain words.
fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "there is no such file".into(),
        std::io::ErrorKind::PermissionDenied => "baton is not allowed to read it".into(),
        _ => e.to_string(),
    }
}

/// Every conversation under `dir` compared with its snapshot, and every
/// snapshot whose conversation is gone, in path order.
fn compare_all(rules: &Rules, dir: &Path, limits: &Limits) -> std::io::Result<Vec<SnapshotResult>> {
    let mut files = Vec::new();
    collect_files(dir, &mut files)?;
    files.sort();
    let snapshot_suffix = format!(".{}", snapshot::EXTENSION);
    let mut results = Vec::new();
    for path in &files {
        let Some(name) = path.to_str() else {
            // Snapshots are named after their conversation, so its name
            // must be text.
            let shown = path.display().to_string();
            if shown.ends_with(".json") {
                results.push(testing::compare_snapshot(
                    rules.graph(),
                    &shown,
                    &shown,
                    Err("its file name is not UTF-8 text: rename the file".into()),
                    Ok(None),
                ));
            }
            continue;
        };
        if let Some(stem) = name.strip_suffix(&snapshot_suffix) {
            let conversation = format!("{stem}.json");
            if !Path::new(&conversation).exists() {
                results.push(testing::stale_snapshot(&conversation, name));
            }
            continue;
        }
        let Some(stem) = name.strip_suffix(".json") else {
            continue;
        };
        let snapshot_name = format!("{stem}{snapshot_suffix}");
        let conversation = read_limited(path, limits, "a conversation")
            .map_err(|e| format!("cannot be read: {e}"))
            .and_then(|text| crate::runtime::parse(&text).map_err(|e| e.message));
        let stored = match read_limited(Path::new(&snapshot_name), limits, "a snapshot") {
            Ok(text) => Ok(Some(text)),
            Err(_) if !Path::new(&snapshot_name).exists() => Ok(None),
            Err(e) => Err(format!("cannot be read: {e}")),
        };
        results.push(testing::compare_snapshot(
            rules.graph(),
            name,
            &snapshot_name,
            conversation,
            stored.as_ref().map(Option::as_deref).map_err(Clone::clone),
        ));
    }
    results.sort_by(|a, b| a.conversation.cmp(&b.conversation));
    Ok(results)
}

/// The files under `dir`, through sub-folders but not through links to
/// folders (which could lead round in a circle); hidden files left out.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_files(&path, out)?;
        } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
            out.push(path);
        }
    }
    Ok(())
}

/// Keeps the decision made now: writes the snapshot, or removes a stale one.
fn accept(s: &mut SnapshotResult) {
    let written = match (&s.status, &s.fresh) {
        (SnapshotStatus::Stale, _) => std::fs::remove_file(&s.snapshot),
        (_, Some(fresh)) => {
            let stored = std::fs::read_to_string(&s.snapshot).ok();
            std::fs::write(&s.snapshot, snapshot::keep_notes(stored.as_deref(), fresh))
        }
        (_, None) => return,
    };
    match written {
        Ok(()) => s.review = Some(Review::Accepted),
        Err(e) => output::fail(&format!("{} could not be written: {e}", s.snapshot)),
    }
}

/// Asks about each snapshot that needs it, on standard error, reading the
/// answers from standard input.
fn review(snapshots: &mut [SnapshotResult]) {
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let pending = snapshots.iter().filter(|s| s.needs_review()).count();
    let stdin = std::io::stdin();
    let mut answers = stdin.lock().lines();
    let mut all = false;
    for (n, s) in snapshots
        .iter_mut()
        .filter(|s| s.needs_review())
        .enumerate()
    {
        let mut shown = format!("\n[{} of {pending}] ", n + 1);
        match &s.status {
            SnapshotStatus::Changed(diff) => {
                shown.push_str(&format!(
                    "{}: the decision changed ({})\n",
                    s.conversation, s.snapshot
                ));
                shown.push_str(&report::diff_text(diff, colour, "  "));
            }
            SnapshotStatus::New => {
                shown.push_str(&format!(
                    "{}: a new conversation; its decision would be kept in {}\n",
                    s.conversation, s.snapshot
                ));
                for line in s.fresh.as_deref().unwrap_or_default().lines() {
                    if !line.starts_with('#') && !line.is_empty() {
                        shown.push_str(&format!("  + {line}\n"));
                    }
                }
            }
            SnapshotStatus::Stale => shown.push_str(&format!(
                "{}: its conversation {} is gone; accepting removes the snapshot\n",
                s.snapshot, s.conversation
            )),
            _ => continue,
        }
        output::eprint(&shown);
        let question = if matches!(s.status, SnapshotStatus::Stale) {
            "remove the snapshot? [a]ccept (remove it), [r]eject, [s]kip, accept [all] the rest, [q]uit: "
        } else {
            "keep the new decision? [a]ccept, [r]eject, [s]kip, accept [all] the rest, [q]uit: "
        };
        let answer = loop {
            if all {
                break Review::Accepted;
            }
            output::eprint(question);
            let Some(Ok(line)) = answers.next() else {
                output::eprint("\n");
                return;
            };
            match line.trim().to_lowercase().as_str() {
                "a" | "accept" | "y" | "yes" => break Review::Accepted,
                "all" => {
                    all = true;
                    break Review::Accepted;
                }
                "r" | "reject" | "n" | "no" => break Review::Rejected,
                "s" | "skip" | "" => break Review::Skipped,
                "q" | "quit" => return,
                _ => output::eprint("answer a, r, s, all or q\n"),
            }
        };
        if answer == Review::Accepted {
            accept(s);
        } else {
            s.review = Some(answer);
        }
    }
}
