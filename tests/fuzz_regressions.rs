//! Inputs the fuzzer found (`scripts/fuzz`, `docs/reliability.md`), kept
//! so what once crashed baton, or reached far into it, is tried on every
//! `cargo test`. Adding a case is adding a file:
//!
//! - `tests/fixtures/fuzz/check/CODE_slug` is one rule file (any bytes; those
//!   that are not UTF-8 are read as U+FFFD, as the fuzzer reads them). It
//!   must report `CODE`, or nothing worse than a warning when named
//!   `ok_slug`; every diagnostic points inside the file and renders; a
//!   file that parses is laid out by `baton fmt` and reads back the same; a
//!   clean file compiles and decides.
//! - `tests/fixtures/fuzz/decide/OUTCOME_slug` is one conversation, decided
//!   by the bundled rules of `rules/`. `OUTCOME` is the error code it gets
//!   (`E0401`, ...) or the lane of its decision (`human`, `approval`, `ai`).

use std::path::{Path, PathBuf};

use baton::diagnostic::{render_human, render_json, render_plain};
use baton::runtime::{Decision, Options};
use baton::source::{SourceFile, Sources};
use baton::{Limits, Rules};

/// The time the fuzz targets decide at: 2026-11-20T12:00:00Z.
const NOW: i64 = 1_795_176_000_000;

/// Every rule file the fuzzer kept checks without panicking, reports the
/// code its name says, points inside its own text and renders.
#[test]
fn fuzzed_rule_files_report_their_code() {
    for path in fixtures("check") {
        let bytes = std::fs::read(&path).expect("fixture readable");
        let text = String::from_utf8_lossy(&bytes);
        let mut sources = Sources::new();
        sources.add(SourceFile::new("rules/fuzz.baton", text.as_ref()));
        format_round_trip(&path, &text);
        // As `baton check --gaps` does: with what the rules do together.
        let (ruleset, diagnostics) =
            baton::analysis::check_and_analyse(&sources, &Limits::default(), true);
        let checked = baton::Checked {
            ruleset,
            diagnostics,
        };
        let shown: String = checked.diagnostics.iter().map(render_plain).collect();
        for d in &checked.diagnostics {
            for label in &d.labels {
                let end = label.offset + label.length;
                assert!(
                    end <= text.len()
                        && text.is_char_boundary(label.offset)
                        && text.is_char_boundary(end),
                    "{}: {} label {}+{} lies outside the text or cuts a character",
                    path.display(),
                    d.code,
                    label.offset,
                    label.length
                );
            }
            assert!(
                render_plain(d).contains(d.code.as_str()),
                "{}",
                path.display()
            );
            assert!(
                render_human(d, false).contains(d.code.as_str()),
                "{}",
                path.display()
            );
        }
        let _ = render_json(&checked.diagnostics);
        let expected = outcome_of(&path);
        if expected == "ok" {
            assert!(
                !checked.diagnostics.has_errors(),
                "{} should check clean:\n{shown}",
                path.display()
            );
        } else {
            assert!(
                checked
                    .diagnostics
                    .iter()
                    .any(|d| d.code.as_str() == expected),
                "{} should report {expected}, reported:\n{shown}",
                path.display()
            );
        }
        if !checked.diagnostics.has_errors() {
            let graph = baton::compile::compile(checked.ruleset);
            let conversation = serde_json::json!({
                "id": "c-1",
                "customer": { "tier": "enterprise", "arr": 120000 },
                "messages": [
                    { "role": "customer", "text": "This is ridiculous, I want a person", "sentiment": -0.8 },
                    { "role": "ai", "text": "Sorry, I didn't understand." }
                ]
            });
            let decision = baton::runtime::decide(&graph, &conversation, &options())
                .expect("a conversation of the documented shape is decided");
            serde_json::to_string(&decision).expect("a decision serializes");
        }
    }
}

/// `baton fmt` on a file that parses: laid out, it parses to the same
/// items, and laying it out again changes nothing.
fn format_round_trip(path: &Path, text: &str) {
    use baton::syntax::format::{Layout, lay_out};
    let name = "rules/fuzz.baton";
    let once = match lay_out(name, text, &Limits::default()) {
        Layout::Laid(once) => once,
        Layout::Broken(_) => return,
        Layout::Refused => panic!("{}: laid out, it would say something else", path.display()),
    };
    match lay_out(name, &once, &Limits::default()) {
        Layout::Laid(twice) => assert_eq!(
            twice,
            once,
            "{}: a second layout changes it",
            path.display()
        ),
        other => panic!(
            "{}: laid out, it does not lay out again: {other:?}",
            path.display()
        ),
    }
}

/// Every conversation the fuzzer kept is decided by the bundled rules, or
/// refused with the error record its name says, without panicking.
#[test]
fn fuzzed_conversations_get_their_outcome() {
    let rules = Rules::load(&[PathBuf::from("rules")], &Limits::default())
        .expect("the bundled rules check clean");
    for path in fixtures("decide") {
        let text = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        let expected = outcome_of(&path);
        match rules.decide_str(&text, &options()) {
            Ok(decision) => {
                serde_json::to_string(&decision).expect("a decision serializes");
                assert_eq!(
                    decision.lane.as_str(),
                    expected,
                    "{}: decided by {:?}",
                    path.display(),
                    decision.rule.as_ref().map(|r| &r.name)
                );
                assert_routing_agrees(&rules, &text, &decision);
            }
            Err(e) => {
                let record = e.record(1, Some("fuzz.json"));
                assert_eq!(record["error"]["code"], expected, "{}: {e}", path.display());
            }
        }
    }
}

/// Deciding without an explanation (the rule index at work) gives the same
/// decision, apart from `trace`, and `first_match` names the same rule.
fn assert_routing_agrees(rules: &Rules, text: &str, decision: &Decision) {
    let json: serde_json::Value = serde_json::from_str(text).expect("decided, so valid JSON");
    let routed = Options {
        now: Some(NOW),
        explain: false,
    };
    let without = rules.decide(&json, &routed).expect("decided, so readable");
    assert_eq!(comparable(decision), comparable(&without), "{text}");
    let first = rules
        .first_match(&json, &routed)
        .expect("decided, so readable");
    let name = first.map(|i| rules.graph().ruleset.rules[i].name.as_str());
    assert_eq!(name, decision.rule.as_ref().map(|r| r.name.as_str()));
}

/// A decision as JSON without `trace`. Warnings included, in order: the
/// fuzzer found them listed in a different order with and without an
/// explanation (`ai_warnings_for_two_fields_of_the_wrong_type`).
fn comparable(decision: &Decision) -> serde_json::Value {
    let mut json = serde_json::to_value(decision).expect("a decision serializes");
    if let Some(map) = json.as_object_mut() {
        map.remove("trace");
    }
    json
}

fn options() -> Options {
    Options {
        now: Some(NOW),
        explain: true,
    }
}

/// The files of `tests/fixtures/fuzz/<target>/`, in name order.
fn fixtures(target: &str) -> Vec<PathBuf> {
    let dir = Path::new("tests/fixtures/fuzz").join(target);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the fuzz fixture folder exists")
        .map(|entry| entry.expect("folder readable").path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{} holds no case", dir.display());
    paths
}

/// What a fixture's name says must come out: the part before the first `_`.
fn outcome_of(path: &Path) -> String {
    let name = path.file_name().expect("a file").to_string_lossy();
    name.split('_').next().unwrap_or_default().to_string()
}
