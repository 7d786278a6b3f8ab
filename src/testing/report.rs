//! What `baton test` found, written for people (plain or coloured text),
//! for programs (JSON) and for CI systems (JUnit XML).

use serde_json::{Value as Json, json};

use super::{CaseResult, Outcome, Review, Run, SnapshotResult, SnapshotStatus};
use crate::runtime::{TraceRule, TraceTest};
use crate::testing::snapshot::DiffLine;

const RED: &str = "31";
const GREEN: &str = "32";
const YELLOW: &str = "33";
const DIM: &str = "2";

/// `text` in an ANSI colour when `on`.
fn paint(text: &str, colour: &str, on: bool) -> String {
    if on {
        format!("\x1b[{colour}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// The report for people; coloured when `colour`.
pub fn human(run: &Run, colour: bool) -> String {
    let mut out = String::new();
    if run.tests.is_empty() {
        out.push_str(&format!("no tests in {}\n", run.rules));
    } else {
        out.push_str(&format!("tests in {}\n", run.rules));
    }
    for t in &run.tests {
        human_test(&mut out, t, colour);
    }
    if let Some(why) = &run.no_snapshots_because {
        out.push_str(&format!("\nno snapshots compared: {why}\n"));
    }
    if let Some(dir) = &run.snapshots_dir {
        out.push('\n');
        if run.snapshots.is_empty() {
            out.push_str(&format!("no conversations in {dir}\n"));
        } else {
            out.push_str(&format!("snapshots in {dir}\n"));
        }
        for s in &run.snapshots {
            human_snapshot(&mut out, s, run.ci, colour);
        }
    }
    if let Some(coverage) = &run.coverage {
        out.push_str(&format!(
            "\ncoverage: {} of {} rules reached ({}%)\n",
            coverage.reached(),
            coverage.rules.len(),
            percent(coverage.percent())
        ));
        out.push_str("  tests  snapshots  rule\n");
        for r in &coverage.rules {
            let line = format!(
                "  {:>5}  {:>9}  {} ({}:{}){}",
                r.tests,
                r.snapshots,
                r.name,
                r.file,
                r.line,
                if r.reached() {
                    ""
                } else {
                    "  <- nothing reaches it"
                }
            );
            let line = if r.reached() {
                line
            } else {
                paint(&line, YELLOW, colour)
            };
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str(&format!(
            "  {:>5}  {:>9}  (the default: no rule matched)\n",
            coverage.default_tests, coverage.default_snapshots
        ));
        if run.coverage_too_low() {
            out.push_str(&paint(
                &format!(
                    "coverage is under the {}% asked for\n",
                    percent(run.min_coverage.unwrap_or_default())
                ),
                RED,
                colour,
            ));
        }
    }
    out.push('\n');
    out.push_str(&summary(run, colour));
    out
}

/// A percentage as people write it: `89`, or `88.9` when not whole.
fn percent(p: f64) -> String {
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round())
    } else {
        let shown = format!("{p:.1}");
        // Never round up to what it is not: 89.96 shows as 89.9.
        if shown.parse::<f64>().is_ok_and(|s| s > p) {
            format!("{:.1}", p - 0.05)
        } else {
            shown
        }
    }
}

fn human_test(out: &mut String, t: &CaseResult, colour: bool) {
    let place = format!("({}:{})", t.file, t.line);
    match &t.outcome {
        Outcome::Passed => {
            out.push_str(&format!(
                "  {}      {} {}\n",
                paint("ok", GREEN, colour),
                t.name,
                paint(&place, DIM, colour)
            ));
        }
        Outcome::Broken(why) => {
            out.push_str(&format!(
                "  {}  {} {place}\n",
                paint("BROKEN", RED, colour),
                t.name
            ));
            out.push_str(&format!("          {why}\n"));
        }
        Outcome::Failed(mismatches) => {
            out.push_str(&format!(
                "  {}  {} {place}\n",
                paint("FAILED", RED, colour),
                t.name
            ));
            for m in mismatches {
                out.push_str(&format!(
                    "          {}:{}: {}\n",
                    t.file, m.line, m.expected
                ));
                out.push_str(&format!(
                    "          {}\n",
                    paint(&format!("but got: {}", m.actual), RED, colour)
                ));
            }
            if let Some(d) = &t.decision {
                match &d.rule {
                    Some(r) => out.push_str(&format!(
                        "          decided by \"{}\" ({}:{})\n",
                        r.name, r.file, r.line
                    )),
                    None => out.push_str("          no rule matched: the default decided\n"),
                }
            }
            for expected in &t.nothing_gives {
                out.push_str(&format!(
                    "          no rule decides `{expected}`: a rule must be written for it\n"
                ));
            }
            if !t.why.is_empty() {
                out.push_str("          why:\n");
                for rule in &t.why {
                    why_rule(out, rule);
                }
            }
        }
    }
}

/// One rule of a failing test's explanation, with the value of each test.
fn why_rule(out: &mut String, rule: &TraceRule) {
    let verdict = match (rule.decided, rule.result) {
        (true, _) => "decided",
        (false, "true") => "matched, but an earlier rule decided",
        (false, "false") => "no match",
        _ => "unknown: a value it needs is missing",
    };
    out.push_str(&format!(
        "            \"{}\" ({}:{}): {verdict}\n",
        rule.rule, rule.file, rule.line
    ));
    let line = |out: &mut String, prefix: &str, t: &TraceTest| {
        let answer = match t.result {
            "true" => "yes",
            "false" => "no",
            _ => "unknown",
        };
        let via = t
            .via
            .as_ref()
            .map(|v| format!(" (in `{v}`)"))
            .unwrap_or_default();
        out.push_str(&format!("              {prefix}{answer}: {}{via}\n", t.why));
    };
    for t in &rule.tests {
        line(out, "", t);
    }
    for t in &rule.unless {
        line(out, "(unless) ", t);
    }
}

fn human_snapshot(out: &mut String, s: &SnapshotResult, ci: bool, colour: bool) {
    let accepted = s.review == Some(Review::Accepted);
    // New and stale snapshots fail only under --ci.
    let (loud, loud_colour) = if ci { (true, RED) } else { (false, YELLOW) };
    let (word, colour_code, line) = match (&s.status, accepted) {
        (SnapshotStatus::Unchanged, _) => ("same", GREEN, s.conversation.clone()),
        (SnapshotStatus::Stale, true) => (
            "removed",
            GREEN,
            format!("{}: its conversation is gone", s.snapshot),
        ),
        (_, true) => (
            "accepted",
            GREEN,
            format!("{} ({})", s.conversation, s.snapshot),
        ),
        (SnapshotStatus::Changed(_), false) => (
            "CHANGED",
            RED,
            format!("{} ({})", s.conversation, s.snapshot),
        ),
        (SnapshotStatus::New, false) => (
            if loud { "NEW" } else { "new" },
            loud_colour,
            format!(
                "{}: no snapshot yet ({} would keep it)",
                s.conversation, s.snapshot
            ),
        ),
        (SnapshotStatus::Stale, false) => (
            if loud { "STALE" } else { "stale" },
            loud_colour,
            format!("{}: its conversation is gone", s.snapshot),
        ),
        (SnapshotStatus::Broken(_), false) => ("BROKEN", RED, s.conversation.clone()),
    };
    let reviewed = match s.review {
        Some(Review::Rejected) => " (rejected in review)",
        Some(Review::Skipped) => " (skipped in review)",
        _ => "",
    };
    out.push_str(&format!(
        "  {} {line}{reviewed}\n",
        paint(&format!("{word:<8}"), colour_code, colour)
    ));
    match &s.status {
        SnapshotStatus::Changed(diff) if !accepted => {
            out.push_str(&diff_text(diff, colour, "             "));
        }
        SnapshotStatus::Broken(why) => out.push_str(&format!("           {why}\n")),
        _ => {}
    }
}

/// A snapshot difference, one line each: `- ` removed, `+ ` added, and the
/// unchanged lines around a change for context.
pub fn diff_text(diff: &[DiffLine], colour: bool, indent: &str) -> String {
    let changed: Vec<bool> = diff
        .iter()
        .map(|l| !matches!(l, DiffLine::Same(_)))
        .collect();
    let near = |i: usize| {
        changed[i.saturating_sub(1)..(i + 2).min(changed.len())]
            .iter()
            .any(|c| *c)
    };
    let mut out = String::new();
    let mut skipped = false;
    let mut shown = 0;
    for (i, line) in diff.iter().enumerate() {
        if shown == 200 {
            let rest = diff[i..]
                .iter()
                .filter(|l| !matches!(l, DiffLine::Same(_)))
                .count();
            out.push_str(&format!("{indent}... and {rest} more changed lines\n"));
            break;
        }
        let text = match line {
            DiffLine::Same(l) if near(i) => format!("  {l}"),
            DiffLine::Same(_) => {
                if !skipped {
                    out.push_str(&format!("{indent}{}\n", paint("  ...", DIM, colour)));
                }
                skipped = true;
                continue;
            }
            DiffLine::Removed(l) => paint(&format!("- {l}"), RED, colour),
            DiffLine::Added(l) => paint(&format!("+ {l}"), GREEN, colour),
        };
        skipped = false;
        shown += 1;
        out.push_str(indent);
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// The last lines: the counts, and what to do next when something failed.
fn summary(run: &Run, colour: bool) -> String {
    let c = run.counts();
    let mut parts = vec![format!("{} passed", c.passed)];
    if c.failed > 0 {
        parts.push(format!("{} failed", c.failed));
    }
    if c.broken > 0 {
        parts.push(format!("{} broken", c.broken));
    }
    let mut out = format!(
        "tests: {}",
        if run.tests.is_empty() {
            "none".to_string()
        } else {
            parts.join(", ")
        }
    );
    if run.snapshots_dir.is_some() {
        let mut parts = vec![format!("{} unchanged", c.unchanged)];
        for (n, word) in [
            (c.changed, "changed"),
            (c.new, "new"),
            (c.stale, "stale"),
            (c.unreadable, "broken"),
            (c.accepted, "accepted"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {word}"));
            }
        }
        out.push_str(&format!("; snapshots: {}", parts.join(", ")));
    }
    out.push('\n');
    if run.passed() {
        out.push_str(&paint("PASSED", GREEN, colour));
        if c.new + c.stale > 0 {
            out.push_str(
                " (new and stale snapshots fail under --ci: `baton test --review` to look at them)",
            );
        }
    } else {
        out.push_str(&paint("FAILED", RED, colour));
        if c.changed + c.new + c.stale > 0 {
            out.push_str(" (`baton test --review` to look at each change and accept or reject it)");
        }
    }
    out.push('\n');
    out
}

/// The report for programs.
pub fn json(run: &Run) -> Json {
    let tests: Vec<Json> = run.tests.iter().map(json_test).collect();
    let snapshots: Vec<Json> = run.snapshots.iter().map(json_snapshot).collect();
    let c = run.counts();
    let mut report = json!({
        "passed": run.passed(),
        "ci": run.ci,
        "rules": run.rules,
        "snapshots_dir": run.snapshots_dir,
        "no_snapshots_because": run.no_snapshots_because,
        "tests": tests,
        "snapshots": snapshots,
        "counts": {
            "tests_passed": c.passed,
            "tests_failed": c.failed,
            "tests_broken": c.broken,
            "snapshots_unchanged": c.unchanged,
            "snapshots_changed": c.changed,
            "snapshots_new": c.new,
            "snapshots_stale": c.stale,
            "snapshots_broken": c.unreadable,
            "snapshots_accepted": c.accepted,
        },
    });
    if let Some(coverage) = &run.coverage {
        report["coverage"] = json!({
            "percent": coverage.percent(),
            "min_percent": run.min_coverage,
            "reached": coverage.reached(),
            "rules": coverage.rules.iter().map(|r| json!({
                "rule": r.name, "file": r.file, "line": r.line,
                "tests": r.tests, "snapshots": r.snapshots,
            })).collect::<Vec<_>>(),
            "default": { "tests": coverage.default_tests, "snapshots": coverage.default_snapshots },
        });
    }
    report
}

fn json_test(t: &CaseResult) -> Json {
    let mut out = json!({ "name": t.name, "file": t.file, "line": t.line });
    match &t.outcome {
        Outcome::Passed => out["result"] = json!("passed"),
        Outcome::Broken(why) => {
            out["result"] = json!("broken");
            out["error"] = json!(why);
        }
        Outcome::Failed(mismatches) => {
            out["result"] = json!("failed");
            out["failures"] = mismatches
                .iter()
                .map(|m| json!({ "line": m.line, "expected": m.expected, "actual": m.actual }))
                .collect();
            out["nothing_gives"] = json!(t.nothing_gives);
            out["why"] = json!(t.why);
        }
    }
    if let Some(d) = &t.decision {
        out["decision"] = json!({
            "lane": d.lane, "action": d.action, "queue": d.queue,
            "priority": d.priority, "rule": d.rule, "tags": d.tags, "collect": d.collect,
        });
    }
    out
}

fn json_snapshot(s: &SnapshotResult) -> Json {
    let result = match (&s.status, s.review) {
        (SnapshotStatus::Unchanged, _) => "unchanged",
        (SnapshotStatus::Stale, Some(Review::Accepted)) => "removed",
        (_, Some(Review::Accepted)) => "accepted",
        (SnapshotStatus::Changed(_), _) => "changed",
        (SnapshotStatus::New, _) => "new",
        (SnapshotStatus::Stale, _) => "stale",
        (SnapshotStatus::Broken(_), _) => "broken",
    };
    let mut out = json!({
        "conversation": s.conversation,
        "snapshot": s.snapshot,
        "result": result,
        "rule": s.rule,
    });
    if let Some(review) = s.review {
        out["review"] = json!(match review {
            Review::Accepted => "accepted",
            Review::Rejected => "rejected",
            Review::Skipped => "skipped",
        });
    }
    match &s.status {
        SnapshotStatus::Changed(diff) => {
            out["diff"] = diff
                .iter()
                .map(|l| match l {
                    DiffLine::Same(t) => format!("  {t}"),
                    DiffLine::Removed(t) => format!("- {t}"),
                    DiffLine::Added(t) => format!("+ {t}"),
                })
                .collect();
        }
        SnapshotStatus::Broken(why) => out["error"] = json!(why),
        _ => {}
    }
    out
}

/// The report as JUnit XML: one suite for the tests, one for the snapshots.
pub fn junit(run: &Run) -> String {
    let c = run.counts();
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"baton\">\n");
    out.push_str(&format!(
        "  <testsuite name=\"tests in {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
        xml(&run.rules),
        run.tests.len(),
        c.failed,
        c.broken
    ));
    for t in &run.tests {
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\"",
            xml(&t.file),
            xml(&t.name),
            xml(&t.file),
            t.line
        ));
        match &t.outcome {
            Outcome::Passed => out.push_str("/>\n"),
            Outcome::Broken(why) => out.push_str(&format!(
                ">\n      <error message=\"{}\"/>\n    </testcase>\n",
                xml(why)
            )),
            Outcome::Failed(mismatches) => {
                let message = mismatches
                    .iter()
                    .map(|m| format!("{}, but got: {}", m.expected, m.actual))
                    .collect::<Vec<_>>()
                    .join("; ");
                let mut body = String::new();
                human_test(&mut body, t, false);
                out.push_str(&format!(
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                    xml(&message),
                    xml(&body)
                ));
            }
        }
    }
    out.push_str("  </testsuite>\n");
    if let Some(dir) = &run.snapshots_dir {
        let failing = |s: &SnapshotResult| {
            s.review != Some(Review::Accepted)
                && match s.status {
                    SnapshotStatus::Changed(_) | SnapshotStatus::Broken(_) => true,
                    SnapshotStatus::New | SnapshotStatus::Stale => run.ci,
                    SnapshotStatus::Unchanged => false,
                }
        };
        out.push_str(&format!(
            "  <testsuite name=\"snapshots in {}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
            xml(dir),
            run.snapshots.len(),
            run.snapshots.iter().filter(|s| failing(s)).count()
        ));
        for s in &run.snapshots {
            out.push_str(&format!(
                "    <testcase classname=\"snapshots\" name=\"{}\" file=\"{}\"",
                xml(&s.conversation),
                xml(&s.snapshot)
            ));
            if failing(s) {
                let mut body = String::new();
                human_snapshot(&mut body, s, run.ci, false);
                let message = body.lines().next().unwrap_or_default().trim().to_string();
                out.push_str(&format!(
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                    xml(&message),
                    xml(&body)
                ));
            } else {
                out.push_str("/>\n");
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Text made safe inside an XML attribute or element.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            // Not allowed anywhere in XML 1.0.
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The report when the rules could not be loaded: for programs, so that CI
/// still gets a document saying why nothing ran.
pub fn rules_invalid_json(rules: &str, why: &str, diagnostics: Json) -> Json {
    json!({
        "passed": false,
        "rules": rules,
        "error": why,
        "diagnostics": diagnostics,
        "tests": [],
        "snapshots": [],
    })
}

/// The same, as JUnit XML: one test case, in error.
pub fn rules_invalid_junit(rules: &str, why: &str, details: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"baton\">\n  <testsuite name=\"tests in {0}\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase classname=\"{0}\" name=\"the rules load\">\n      <error message=\"{1}\">{2}</error>\n    </testcase>\n  </testsuite>\n</testsuites>\n",
        xml(rules),
        xml(why),
        xml(details)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_holds_only_characters_xml_allows() {
        assert_eq!(
            xml("a<b>&\"c'\u{1}\u{ffff}\u{fffe}d\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;d&#10;"
        );
    }

    #[test]
    fn percentages_are_never_rounded_up() {
        assert_eq!(percent(100.0), "100");
        assert_eq!(percent(800.0 / 9.0), "88.8");
        assert_eq!(percent(89.96), "89.9");
        assert_eq!(percent(50.0), "50");
    }
}
