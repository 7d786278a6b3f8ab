//! What the fuzz targets assert, shared between them: a rule file checks,
//! compiles, renders and decides without panicking, and what it reports
//! lies inside the text it was given; a conversation is decided the same
//! way by every path through the runtime.

use std::path::PathBuf;
use std::sync::OnceLock;

use baton::compile::RuleGraph;
use baton::diagnostic::{Diagnostic, render_human, render_json, render_plain};
use baton::runtime::{Decision, InputError, Options};
use baton::source::{FileId, SourceFile, Sources};
use baton::{Limits, Rules};
use serde_json::Value as Json;

/// The evaluation time every target decides at: 2026-11-20T12:00:00Z, so
/// `waiting` is reproducible.
pub const NOW: i64 = 1_795_176_000_000;

/// The options of the explained decision.
pub fn explained_options() -> Options {
    Options {
        now: Some(NOW),
        explain: true,
    }
}

/// The options of the routing-only decision (the rule index is used).
pub fn routed_options() -> Options {
    Options {
        now: Some(NOW),
        explain: false,
    }
}

/// The bundled rules of `rules/`, loaded once.
pub fn bundled() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules"));
        Rules::load(&[dir], &Limits::default()).expect("the bundled rules check clean")
    })
}

/// Checks `text` as one rule file named `name` and asserts everything a
/// user would notice about the outcome.
pub fn check_text(name: &str, text: &str) {
    let mut sources = Sources::new();
    sources.add(SourceFile::new(name, text));
    format_round_trip(name, text);
    read_both_ways(name, text);
    // As `baton check --gaps` does: with what the rules do together.
    let (ruleset, diagnostics) =
        baton::analysis::check_and_analyse(&sources, &Limits::default(), true);
    for d in &diagnostics {
        assert_labels_inside(d, name, text);
        assert_renders(d);
    }
    let _ = render_json(&diagnostics);
    if diagnostics.has_errors() {
        return;
    }
    let graph = baton::compile::compile(ruleset);
    for conversation in fixed_conversations() {
        decide_both_ways(&graph, conversation);
    }
    for test in &graph.ruleset.tests {
        let given = Some(Ok(fixed_conversations()[0].clone()));
        let result = baton::testing::cases::run(&graph, test, given);
        if let Some(decision) = &result.decision {
            let _ = baton::testing::cases::describe(&graph, decision, None);
        }
    }
}

/// Rules and tests written without mistakes are read directly, beside pest:
/// the items, spans and diagnostics are the same as pest alone gives.
fn read_both_ways(name: &str, text: &str) {
    let source = std::sync::Arc::new(SourceFile::new(name, text));
    for limits in [
        Limits::default(),
        Limits {
            max_nesting: 2,
            max_text_bytes: 8,
            ..Limits::default()
        },
    ] {
        let direct = baton::syntax::parse_file(FileId(0), &source, &limits);
        let grammar = baton::syntax::parse_file_by_grammar(FileId(0), &source, &limits);
        assert_eq!(direct.items, grammar.items, "read directly, and by pest");
        assert_eq!(
            format!("{:?}", direct.diagnostics),
            format!("{:?}", grammar.diagnostics),
            "read directly, and by pest"
        );
    }
}

/// `baton fmt`: a file that parses is laid out so that it parses to the
/// same items, and laying it out again changes nothing.
fn format_round_trip(name: &str, text: &str) {
    use baton::syntax::format::{Layout, lay_out};
    let once = match lay_out(name, text, &Limits::default()) {
        Layout::Laid(once) => once,
        Layout::Broken(_) => return,
        Layout::Refused => panic!("laid out, the file would say something else"),
    };
    match lay_out(name, &once, &Limits::default()) {
        Layout::Laid(twice) => assert_eq!(twice, once, "a second layout changes it"),
        other => panic!("laid out, the file does not lay out again: {other:?}\n{once}"),
    }
}

/// Every label of `d` lies inside `text` and starts and ends on character
/// boundaries, so the excerpt shown is the text the writer wrote.
fn assert_labels_inside(d: &Diagnostic, name: &str, text: &str) {
    for label in &d.labels {
        let source = label.source.text();
        let end = label.offset + label.length;
        assert!(
            end <= source.len(),
            "{}: label {}+{} past the end ({} bytes)",
            d.code,
            label.offset,
            label.length,
            source.len()
        );
        assert!(
            source.is_char_boundary(label.offset) && source.is_char_boundary(end),
            "{}: label {}+{} cuts a character",
            d.code,
            label.offset,
            label.length
        );
        if label.source.name() == name {
            assert_eq!(source, text, "{}: label in another text", d.code);
        }
    }
}

/// Each renderer gives text naming the code, without panicking.
fn assert_renders(d: &Diagnostic) {
    let code = d.code.to_string();
    let plain = render_plain(d);
    assert!(
        plain.contains(&code),
        "plain rendering lacks {code}:\n{plain}"
    );
    let human = render_human(d, false);
    assert!(
        human.contains(&code),
        "human rendering lacks {code}:\n{human}"
    );
    let _ = render_human(d, true);
}

/// Small conversations a rule file is decided against: every role, times,
/// scores, actions and a few common fields.
pub fn fixed_conversations() -> &'static [Json] {
    static FIXED: OnceLock<Vec<Json>> = OnceLock::new();
    FIXED.get_or_init(|| {
        vec![
            serde_json::json!({
                "id": "c-1",
                "channel": "chat",
                "intent": "billing_dispute",
                "confidence": 0.42,
                "customer": { "id": "u-9", "tier": "enterprise", "arr": 120000, "plan": "pro" },
                "order": { "total": 250.5, "items": ["a", "b"] },
                "messages": [
                    { "role": "customer", "text": "I was charged twice this month", "at": "2026-11-20T10:00:00Z", "sentiment": -0.3 },
                    { "role": "ai", "text": "I can see two invoices.", "at": "2026-11-20T10:00:05Z",
                      "intent": "billing_dispute", "confidence": 0.55, "actions": ["lookup_invoice"] },
                    { "role": "customer", "text": "This is ridiculous, I want a person", "sentiment": -0.8 },
                    { "role": "ai", "text": "Sorry, I didn't understand.", "failed": true },
                    { "role": "system", "text": "transfer requested" },
                    { "role": "agent", "text": "Hi, I'm Sam." }
                ]
            }),
            serde_json::json!({ "messages": [] }),
            serde_json::json!({ "id": 7, "customer": { "tier": null }, "messages": [{ "role": "customer", "text": "" }] }),
        ]
    })
}

/// Decides `json` with and without an explanation, and by `first_match`,
/// and asserts the three agree: the explanation and the rule index change
/// how much work is done, never the decision.
pub fn decide_both_ways(graph: &RuleGraph, json: &Json) -> Option<Decision> {
    let explained = baton::runtime::decide(graph, json, &explained_options());
    let routed = baton::runtime::decide(graph, json, &routed_options());
    let first = baton::runtime::first_match(graph, json, &routed_options());
    match (explained, routed, first) {
        (Ok(explained), Ok(routed), Ok(first)) => {
            assert!(
                explained.trace.is_some(),
                "an explained decision has a trace"
            );
            assert_eq!(
                comparable(&explained),
                comparable(&routed),
                "the explanation changed the decision"
            );
            let name = first.map(|i| graph.ruleset.rules[i].name.as_str());
            assert_eq!(
                name,
                explained.rule.as_ref().map(|r| r.name.as_str()),
                "first_match and decide disagree"
            );
            let prepared = baton::runtime::prepare(graph, json).expect("read once already");
            let again = baton::runtime::first_match_prepared(graph, &prepared, &routed_options());
            assert_eq!(
                again, first,
                "first_match_prepared and first_match disagree"
            );
            let _ = serde_json::to_string(&explained).expect("a decision serializes");
            Some(explained)
        }
        (Err(a), Err(b), Err(c)) => {
            assert_eq!(a, b, "the explanation changed the input error");
            assert_eq!(a, c, "first_match and decide disagree on the input error");
            let _ = serde_json::to_string(&a.record(1, None)).expect("an error serializes");
            None
        }
        (a, b, c) => panic!(
            "decide and first_match disagree on whether the conversation can be read: {:?} / {:?} / {:?}",
            a.map(|d| d.rule),
            b.map(|d| d.rule),
            c
        ),
    }
}

/// A decision as JSON without its explanation. Warnings are compared in
/// order: `decide_structured` found them listed in different orders with
/// and without an explanation (`docs/reliability.md`, Findings).
fn comparable(decision: &Decision) -> Json {
    let mut json = serde_json::to_value(decision).expect("a decision serializes");
    if let Json::Object(map) = &mut json {
        map.remove("trace");
    }
    json
}

/// Decides conversation `text` with the bundled rules through the front
/// door (`Rules::decide_str`, with its size and depth limits) and every
/// runtime path, and asserts they agree.
pub fn decide_text(text: &str) {
    let rules = bundled();
    let limits = rules.limits();
    let front = rules.decide_str(text, &explained_options());
    if let Ok(decision) = &front {
        let _ = serde_json::to_string(decision).expect("a decision serializes");
    }
    if text.len() > limits.max_conversation_bytes {
        assert_code(&front, "E0405");
        return;
    }
    let json = match baton::runtime::parse(text) {
        Ok(json) => json,
        Err(e) => {
            assert_code(&front, e.code.as_str());
            // The front door reads only what the rules need, yet refuses
            // text that is not JSON in the same words, at the same place.
            if e.code.as_str() == "E0401" {
                assert_eq!(front.as_ref().err(), Some(&e), "decide_str");
            }
            return;
        }
    };
    // Deeper than the limit the front door refuses; the runtime behind it
    // must still not crash on what the JSON reader accepts.
    let inner = decide_both_ways(rules.graph(), &json);
    if baton::runtime::check_depth(&json, limits.max_json_depth).is_err() {
        assert_code(&front, "E0406");
        return;
    }
    match (front, inner) {
        (Ok(a), Some(b)) => assert_eq!(
            serde_json::to_value(&a).expect("serializes"),
            serde_json::to_value(&b).expect("serializes"),
            "decide_str and decide disagree"
        ),
        (Err(a), None) => assert_eq!(
            Some(a),
            baton::runtime::decide(rules.graph(), &json, &explained_options()).err(),
            "decide_str and decide refuse it differently"
        ),
        (a, b) => panic!(
            "decide_str and decide disagree: {:?} / {:?}",
            a.map(|d| d.rule),
            b.map(|d| d.rule)
        ),
    }
}

/// The front door refused the conversation with `code`.
fn assert_code(front: &Result<Decision, InputError>, code: &str) {
    match front {
        Err(e) => assert_eq!(e.code.as_str(), code, "decide_str: {}", e.message),
        Ok(d) => panic!("decide_str decided ({:?}) what should be {code}", d.rule),
    }
}
