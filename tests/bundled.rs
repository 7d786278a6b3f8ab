//! The rules and conversations that ship with baton: the ruleset checks
//! without a single warning, routes risk first, and every example
//! conversation is one a test in the rules decides.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use baton::check::ir::{Action, Given, Priority};
use common::render;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bundled() -> baton::check::Ruleset {
    let loaded = baton::reload::load_paths(&[PathBuf::from("rules")]).expect("rules/ readable");
    assert!(
        loaded.diagnostics.is_empty(),
        "{}",
        render(&loaded.diagnostics)
    );
    let checked = baton::check_sources(&loaded.sources, &baton::Limits::default());
    assert!(
        checked.diagnostics.is_empty(),
        "{}",
        render(&checked.diagnostics)
    );
    checked.ruleset
}

#[test]
fn the_bundled_rules_check_without_any_problem() {
    let ruleset = bundled();
    assert!(ruleset.rules.len() >= 10);
    assert!(
        ruleset.default_span.is_some(),
        "the bundled rules state their default"
    );
}

#[test]
fn security_and_legal_risk_are_routed_before_anything_else() {
    let ruleset = bundled();
    let queue_of = |i: usize| {
        let action = ruleset.rules[i].outcome.action;
        action
            .queue()
            .map(|q| ruleset.queues[q.0 as usize].name.as_str())
    };
    assert_eq!(queue_of(0), Some("security"));
    assert_eq!(queue_of(1), Some("legal"));
    assert_eq!(ruleset.rules[0].outcome.priority, Priority::Urgent);
}

#[test]
fn the_bundled_rules_cover_what_a_support_lead_expects() {
    let ruleset = bundled();
    let lanes: BTreeSet<&str> = ruleset
        .rules
        .iter()
        .map(|r| match r.outcome.action {
            Action::Handoff(_) => "handoff",
            Action::Approval(_) => "approval",
            Action::Offer(_) => "offer",
            Action::Continue => "continue",
        })
        .collect();
    assert_eq!(
        lanes,
        BTreeSet::from(["handoff", "approval", "offer", "continue"])
    );
    let conditions: Vec<String> = ruleset
        .rules
        .iter()
        .map(|r| ruleset.show(&r.when))
        .collect();
    for signal in [
        "asked_for_human",
        "angry",
        "stuck",
        "vip",
        "refund.amount",
        "intent in",
    ] {
        assert!(
            conditions.iter().any(|c| c.contains(signal)),
            "no bundled rule reads `{signal}`"
        );
    }
}

#[test]
fn every_example_conversation_is_well_formed_and_decided_by_a_test() {
    let ruleset = bundled();
    let mut given = BTreeSet::new();
    for test in &ruleset.tests {
        if let Given::File(path) = &test.given {
            let file = root().join("rules").join(path);
            assert!(
                file.exists(),
                "test `{}` reads {} which does not exist",
                test.name,
                file.display()
            );
            given.insert(file.canonicalize().expect("exists"));
        }
    }
    let examples: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert!(examples.len() >= 5);
    for example in examples {
        let text = std::fs::read_to_string(&example).expect("readable");
        let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let messages = json["messages"]
            .as_array()
            .expect("a conversation has messages");
        assert!(!messages.is_empty(), "{} has no message", example.display());
        for m in messages {
            let role = m["role"].as_str().expect("every message has a role");
            assert!(["customer", "ai", "bot", "assistant", "agent", "system"].contains(&role));
            assert!(m["text"].as_str().is_some_and(|t| !t.is_empty()));
        }
        assert!(
            given.contains(&example.canonicalize().expect("exists")),
            "no test in rules/ decides {}",
            example.display()
        );
    }
}

#[test]
fn the_language_contract_tests_ship_with_the_bundled_rules() {
    let ruleset = bundled();
    let names: Vec<&str> = ruleset.tests.iter().map(|t| t.name.as_str()).collect();
    assert!(names.contains(&"angry VIP goes straight to billing"));
    assert!(names.contains(&"polite question stays with the AI"));
}
