//! Trying only the rules the index leaves (those requiring the
//! conversation's intent, and those requiring none) decides exactly as
//! trying every rule: the decision with an explanation tries every rule, so
//! the two are compared on real conversations given a spread of intents.

use std::path::Path;

use baton::runtime::{Options, time::parse_rfc3339};

const RULES: &str = r#"
queue billing
queue tier1
queue tier2
field customer.tier : text

rule "refund, upset" when intent == "refund" and sentiment < -0.3 then handoff to billing priority high
rule "billing family" when intent in ["billing_dispute", "REFUND", "invoice"] and turns >= 4 then handoff to billing
rule "looping anywhere" when loops >= 2 then handoff to tier2
rule "order status, long" when intent == "order_status" and turns > 6 then handoff to tier1
rule "order or refund, pro" when intent in ["order_status", "refund"] and customer.tier == "pro" then offer handoff to tier1
rule "not a refund" when intent != "refund" and failed_attempts >= 1 then handoff to tier1
rule "cancel" when "cancel" == intent and not asked_for_human then approval from billing
rule "anyone asking" when asked_for_human or customer_turns >= 9 then handoff to tier1
default continue
"#;

#[test]
fn the_index_decides_as_trying_every_rule_does() {
    let rules = baton::Rules::from_text("index.baton", RULES).expect("rules load");
    assert!(rules.graph().index.is_some(), "this ruleset is indexed");
    let corpus = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conversations-slice.jsonl"),
    )
    .expect("the slice");
    let intents = [
        "refund",
        "Refund",
        "order_status",
        "billing_dispute",
        "cancel",
        "something_else",
    ];
    let plain = Options {
        now: parse_rfc3339("2026-11-28T00:00:00Z"),
        explain: false,
    };
    let explained = Options {
        explain: true,
        ..plain.clone()
    };
    let mut decided_by_rules = 0;
    for (n, line) in corpus.lines().enumerate() {
        let mut json: serde_json::Value = serde_json::from_str(line).expect("JSON");
        // A spread of intents (and some conversations with none).
        if n % 7 == 6 {
            json.as_object_mut().expect("object").remove("intent");
        } else {
            json["intent"] = intents[n % intents.len()].into();
        }
        json["customer"]["tier"] = if n % 3 == 0 { "pro" } else { "free" }.into();
        let fast = rules.decide(&json, &plain).expect("decided");
        let full = rules.decide(&json, &explained).expect("decided");
        let name = |d: &baton::runtime::Decision| d.rule.as_ref().map(|r| r.name.clone());
        assert_eq!(name(&fast), name(&full), "line {}", n + 1);
        assert_eq!(fast.also_matched, full.also_matched, "line {}", n + 1);
        assert_eq!(fast.undecided, full.undecided, "line {}", n + 1);
        assert_eq!(
            rules
                .first_match(&json, &plain)
                .expect("routed")
                .map(|i| rules.graph().ruleset.rules[i].name.clone()),
            name(&full),
            "line {}",
            n + 1
        );
        decided_by_rules += usize::from(fast.rule.is_some());
    }
    assert!(
        decided_by_rules > 100,
        "{decided_by_rules} decided by a rule"
    );
}
