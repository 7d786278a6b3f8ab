//! Properties of the pipeline on random rulesets and conversations
//! (`properties/rulesets.rs`, `properties/conditions.rs`,
//! `properties/conversations.rs`):
//!
//! - printing a ruleset's syntax tree and parsing the print gives the tree
//!   back, and printing is idempotent;
//! - deciding is deterministic: the same decision twice, from a second
//!   compilation of the same rules, with the explanation on, and from
//!   `first_match`;
//! - the compiled rule graph decides as a small reference interpreter does
//!   (`properties/oracle.rs`, over `properties/values.rs`): the same rule,
//!   lane, action, queue, priority, tags, fields to collect, rules also
//!   matched and rules undecided with what they lacked.
//!
//! A failure prints the rules and the conversation; proptest keeps its
//! seed under `proptest-regressions/`, which is then the regression record.

#[path = "properties/conditions.rs"]
mod conditions;
#[path = "properties/conversations.rs"]
mod conversations;
#[path = "properties/oracle.rs"]
mod oracle;
#[path = "properties/rulesets.rs"]
mod rulesets;
#[path = "properties/values.rs"]
mod values;

use std::sync::Arc;

use baton::runtime::Options;
use baton::source::{FileId, SourceFile};
use baton::syntax::ast::Item;
use baton::syntax::parse_file;
use baton::syntax::print::{print, without_places};
use baton::{Limits, Rules};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::Value as Json;

use conversations::Case;
use oracle::{Oracle, Verdict};
use rulesets::Ruleset;

/// The items of `text`, and what was wrong with it, in words.
fn parse(text: &str) -> (Vec<Item>, Vec<String>) {
    let source = Arc::new(SourceFile::new("rules.baton", text));
    let parsed = parse_file(FileId(0), &source, &Limits::default());
    let problems = parsed
        .diagnostics
        .iter()
        .map(|d| format!("{d:?}"))
        .collect();
    (parsed.items, problems)
}

/// The rules of `text`, which must check without errors.
fn load(text: &str) -> Rules {
    Rules::from_text("rules.baton", text)
        .unwrap_or_else(|e| panic!("the generated rules do not check:\n{e}\n\n{text}"))
}

/// A ruleset with up to `most` conversations to decide.
fn with_cases(most: usize) -> impl Strategy<Value = (Ruleset, Vec<Case>)> {
    rulesets::ruleset().prop_flat_map(move |ruleset| {
        let cases = vec(conversations::case(&ruleset.env), 1..=most);
        (Just(ruleset), cases)
    })
}

fn options(case: &Case, explain: bool) -> Options {
    Options {
        now: Some(case.now),
        explain,
    }
}

/// The decision for `case`, serialized as `baton decide` writes it.
fn decision(rules: &Rules, case: &Case, explain: bool) -> String {
    let decision = rules
        .decide(&case.json, &options(case, explain))
        .expect("a generated conversation can be read");
    serde_json::to_string(&decision).expect("a decision serializes")
}

/// The rules' names, in order: decisions name rules, verdicts number them.
fn rule_names(rules: &Rules) -> Vec<String> {
    let ruleset = &rules.graph().ruleset;
    ruleset.rules.iter().map(|r| r.name.clone()).collect()
}

/// What a serialized decision says that the oracle can tell.
fn verdict(decision: &Json, names: &[String]) -> Verdict {
    let number = |name: &Json| {
        let name = name.as_str().expect("a rule name");
        names
            .iter()
            .position(|n| n == name)
            .unwrap_or_else(|| panic!("no rule is named {name}"))
    };
    let words = |key: &str| -> Vec<String> {
        decision[key]
            .as_array()
            .unwrap_or_else(|| panic!("`{key}` is a list"))
            .iter()
            .map(|w| w.as_str().expect("text").to_string())
            .collect()
    };
    let word = |key: &str| decision[key].as_str().map(String::from);
    let undecided = decision["undecided"]
        .as_array()
        .expect("`undecided` is a list")
        .iter()
        .map(|u| {
            let mut missing: Vec<String> = u["missing"]
                .as_array()
                .expect("`missing` is a list")
                .iter()
                .map(|m| m.as_str().expect("a name").to_string())
                .collect();
            missing.sort();
            (number(&u["rule"]), missing)
        })
        .collect();
    Verdict {
        rule: decision["rule"].get("name").map(number),
        also_matched: decision["also_matched"]
            .as_array()
            .expect("`also_matched` is a list")
            .iter()
            .map(number)
            .collect(),
        undecided,
        lane: word("lane").expect("a lane"),
        action: word("action").expect("an action"),
        queue: word("queue"),
        priority: word("priority").expect("a priority"),
        tags: words("tags"),
        collect: words("collect"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/properties.txt",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_printed_ruleset_reads_back_the_same(ruleset in rulesets::ruleset()) {
        let printed = print(&ruleset.items);
        let (items, problems) = parse(&printed);
        prop_assert!(problems.is_empty(), "{problems:?}\n{printed}");
        prop_assert_eq!(
            without_places(&items),
            without_places(&ruleset.items),
            "the print reads back differently:\n{}",
            printed
        );
        prop_assert_eq!(print(&items), printed.clone(), "printing again differs");
        // The generator makes only rulesets the language accepts, which the
        // properties below rely on.
        load(&printed);
    }

    #[test]
    fn deciding_is_deterministic((ruleset, cases) in with_cases(2)) {
        let text = print(&ruleset.items);
        let (rules, again) = (load(&text), load(&text));
        let names = rule_names(&rules);
        for case in &cases {
            let once = decision(&rules, case, false);
            prop_assert_eq!(&decision(&rules, case, false), &once, "decided twice\n{}", text);
            // From JSON text only what the rules read is built: the same
            // decision, explained or not.
            for explain in [false, true] {
                let from_text = rules
                    .decide_str(&case.json.to_string(), &options(case, explain))
                    .expect("a generated conversation can be read");
                prop_assert_eq!(
                    serde_json::to_string(&from_text).expect("a decision serializes"),
                    decision(&rules, case, explain),
                    "decided from text\n{}\n{}",
                    text,
                    case.json
                );
            }
            prop_assert_eq!(&decision(&again, case, false), &once, "compiled twice\n{}", text);
            // With the explanation on, every test of every rule is worked
            // out, so values of the wrong type that deciding never read are
            // warned about too: the warnings may grow, nothing else changes.
            let mut plain: Json = serde_json::from_str(&once).expect("a decision is JSON");
            let mut explained: Json = serde_json::from_str(&decision(&rules, case, true))
                .expect("a decision is JSON");
            let explained = explained.as_object_mut().expect("a decision is an object");
            explained.remove("trace");
            let (warned, explained_warned) = (
                plain["warnings"].take(),
                explained.remove("warnings").expect("a decision has warnings"),
            );
            let all = explained_warned.as_array().expect("warnings are a list");
            for warning in warned.as_array().expect("warnings are a list") {
                prop_assert!(all.contains(warning), "explained\n{}\n{}", text, case.json);
            }
            plain.as_object_mut().expect("a decision is an object").remove("warnings");
            prop_assert_eq!(
                &Json::Object(explained.clone()),
                &plain,
                "explained\n{}\n{}",
                text,
                case.json
            );
            let first = rules
                .first_match(&case.json, &options(case, false))
                .expect("a generated conversation can be read");
            prop_assert_eq!(
                first.map(|i| names[i].as_str()),
                plain["rule"]["name"].as_str(),
                "first match\n{}\n{}",
                text,
                case.json
            );
        }
    }

    #[test]
    fn the_rule_graph_decides_as_the_oracle((ruleset, cases) in with_cases(4)) {
        let text = print(&ruleset.items);
        let rules = load(&text);
        let names = rule_names(&rules);
        for case in &cases {
            let decision: Json = serde_json::from_str(&decision(&rules, case, false))
                .expect("a decision is JSON");
            let computed = rules
                .signal_values(&case.json, &options(case, false))
                .expect("a generated conversation can be read");
            let expected = Oracle::new(&ruleset.items, &ruleset.env, case, &computed).decide();
            prop_assert_eq!(
                verdict(&decision, &names),
                expected,
                "\n{}\n{}",
                text,
                case.json
            );
        }
    }
}

/// The properties above would hold vacuously on cases that never reach a
/// rule; the generated cases reach every kind of decision (on a fixed seed,
/// so this always sees the same cases).
#[test]
fn the_generated_cases_reach_every_kind_of_decision() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut seen, mut indexed) = (0, 0);
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for _ in 0..100 {
        let (ruleset, cases) = with_cases(4)
            .new_tree(&mut runner)
            .expect("a ruleset")
            .current();
        let rules = load(&print(&ruleset.items));
        indexed += usize::from(rules.graph().index.is_some());
        for case in &cases {
            seen += 1;
            let d: Json =
                serde_json::from_str(&decision(&rules, case, false)).expect("a decision is JSON");
            let listed = |key: &str| d[key].as_array().is_some_and(|a| !a.is_empty());
            for (kind, reached) in [
                ("a rule decides", !d["rule"].is_null()),
                ("the default decides", d["rule"].is_null()),
                ("rules are undecided", listed("undecided")),
                ("rules also match", listed("also_matched")),
                ("fields are to be collected", d["action"] == "collect"),
                ("a value has the wrong type", listed("warnings")),
            ] {
                *kinds.entry(kind).or_default() += usize::from(reached);
            }
        }
    }
    for (kind, count) in &kinds {
        assert!(count * 50 >= seen, "{kind} in only {count} of {seen} cases");
    }
    assert!(indexed >= 10, "only {indexed} of 100 rulesets are indexed");
}
