//! The meaning of rules, one behaviour per test: first match, the default,
//! `unless`, three-valued logic over missing values, `collect`, messages,
//! values of the wrong type, roles.

use baton::runtime::{Act, Decision, Lane, Options, Priority};
use serde_json::{Value, json};

fn rules(text: &str) -> baton::Rules {
    baton::Rules::from_text("rules.baton", text).unwrap_or_else(|e| panic!("{e}"))
}

fn decide(text: &str, conversation: Value) -> Decision {
    rules(text)
        .decide(
            &conversation,
            &Options {
                now: Some(0),
                explain: true,
            },
        )
        .expect("decided")
}

/// A conversation with these messages (role, text) and top-level fields.
fn conversation(messages: &[(&str, &str)], fields: Value) -> Value {
    let mut c = fields;
    c["messages"] = messages
        .iter()
        .map(|(role, text)| json!({"role": role, "text": text}))
        .collect();
    c
}

fn hello() -> Value {
    conversation(&[("customer", "hello")], json!({}))
}

const QUEUES: &str = "queue tier1\nqueue tier2\nqueue billing \"Billing\" sla 4h\n";

#[test]
fn the_first_matching_rule_decides_and_later_matches_are_listed() {
    let d = decide(
        &format!(
            "{QUEUES}\
             rule \"one\" when turns >= 1 then handoff to tier1\n\
             rule \"two\" when customer_turns >= 1 then handoff to tier2\n\
             rule \"three\" when turns > 5 then handoff to billing\n"
        ),
        hello(),
    );
    assert_eq!(d.queue.as_deref(), Some("tier1"));
    assert_eq!(d.rule.map(|r| r.name), Some("one".to_string()));
    assert_eq!(d.also_matched, ["two"]);
}

#[test]
fn rule_order_follows_the_files_in_path_order() {
    let dir = std::env::temp_dir().join(format!("baton-order-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("folder");
    std::fs::write(
        dir.join("20-late.baton"),
        "rule \"late\" when turns >= 1 then handoff to late\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("10-early.baton"),
        "queue early\nqueue late\nrule \"early\" when turns >= 1 then handoff to early\n",
    )
    .expect("write");
    let rules =
        baton::Rules::load(std::slice::from_ref(&dir), &baton::Limits::default()).expect("loads");
    let d = rules
        .decide(&hello(), &Options::default())
        .expect("decided");
    assert_eq!(d.queue.as_deref(), Some("early"));
    assert_eq!(d.also_matched, ["late"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_default_decides_when_no_rule_matches() {
    let d = decide(
        &format!("{QUEUES}default handoff to tier1 priority low\nwhen turns > 5 then continue\n"),
        hello(),
    );
    assert_eq!(
        (d.lane, d.action, d.queue.as_deref()),
        (Lane::Human, Act::Handoff, Some("tier1"))
    );
    assert_eq!(d.priority, Priority::Low);
    assert!(d.rule.is_none(), "no rule decided");
}

#[test]
fn without_a_default_the_ai_continues() {
    let d = decide("when turns > 5 then continue\n", hello());
    assert_eq!((d.lane, d.action, d.queue), (Lane::Ai, Act::Continue, None));
    assert_eq!(d.priority, Priority::Normal);
}

#[test]
fn unless_keeps_a_rule_from_firing() {
    let text = format!(
        "{QUEUES}when turns >= 1 unless intent == \"password_reset\" then handoff to tier1\n"
    );
    let reset = conversation(&[("customer", "hi")], json!({"intent": "password_reset"}));
    let other = conversation(&[("customer", "hi")], json!({"intent": "refund"}));
    assert_eq!(decide(&text, reset).action, Act::Continue);
    assert_eq!(decide(&text, other).action, Act::Handoff);
}

#[test]
fn an_unknown_unless_leaves_the_rule_undecided() {
    let text = format!(
        "{QUEUES}rule \"r\" when turns >= 1 unless intent == \"password_reset\" then handoff to tier1\n"
    );
    let d = decide(&text, hello());
    assert_eq!(d.action, Act::Continue);
    assert_eq!(d.undecided.len(), 1);
    assert_eq!(d.undecided[0].missing, ["intent"]);
}

#[test]
fn a_missing_value_makes_a_test_unknown_not_false() {
    let fields = "field customer.arr : number\n";
    // `not` over a missing value is unknown, so the rule does not fire...
    let d = decide(
        &format!(
            "{QUEUES}{fields}rule \"small\" when not (customer.arr > 1000) then handoff to tier1\n"
        ),
        hello(),
    );
    assert_eq!(d.action, Act::Continue);
    // ...and the decision says which rule was held back, and by what.
    assert_eq!(d.undecided[0].rule, "small");
    assert_eq!(d.undecided[0].missing, ["customer.arr"]);
    let trace = d.trace.expect("explained");
    assert_eq!(trace[0].result, "unknown");
    assert_eq!(trace[0].tests[0].why, "customer.arr is missing");
}

#[test]
fn and_or_follow_three_valued_logic() {
    let fields = "field customer.arr : number\n";
    let case = |condition: &str| {
        let d = decide(
            &format!("{QUEUES}{fields}rule \"r\" when {condition} then handoff to tier1\n"),
            hello(),
        );
        match (d.action, d.undecided.is_empty()) {
            (Act::Handoff, _) => "true",
            (_, true) => "false",
            (_, false) => "unknown",
        }
    };
    assert_eq!(
        case("customer.arr > 1 and turns > 5"),
        "false",
        "unknown and false"
    );
    assert_eq!(
        case("customer.arr > 1 and turns >= 1"),
        "unknown",
        "unknown and true"
    );
    assert_eq!(
        case("customer.arr > 1 or turns >= 1"),
        "true",
        "unknown or true"
    );
    assert_eq!(
        case("customer.arr > 1 or turns > 5"),
        "unknown",
        "unknown or false"
    );
    assert_eq!(
        case("not (customer.arr > 1 or turns > 5)"),
        "unknown",
        "not unknown"
    );
    assert_eq!(
        case("customer.arr is missing"),
        "true",
        "`is missing` is never unknown"
    );
    assert_eq!(
        case("customer.arr exists"),
        "false",
        "`exists` is never unknown"
    );
}

#[test]
fn collect_asks_the_ai_to_gather_missing_fields_first() {
    let text = format!(
        "{QUEUES}field order.id : text\nfield order.total : number\n\
         when turns >= 1 then handoff to billing priority high\n  collect order.id, order.total\n"
    );
    let d = decide(
        &text,
        conversation(
            &[("customer", "refund please")],
            json!({"order": {"total": 80}}),
        ),
    );
    assert_eq!((d.lane, d.action), (Lane::Ai, Act::Collect));
    assert_eq!(d.collect, ["order.id"]);
    assert_eq!(
        d.queue.as_deref(),
        Some("billing"),
        "where it goes once collected"
    );
    let d = decide(
        &text,
        conversation(
            &[("customer", "refund please")],
            json!({"order": {"id": "A-1", "total": 80}}),
        ),
    );
    assert_eq!((d.lane, d.action), (Lane::Human, Act::Handoff));
    assert!(d.collect.is_empty());
}

#[test]
fn an_urgent_handoff_does_not_wait_for_collect() {
    let text = format!(
        "{QUEUES}field order.id : text\nwhen turns >= 1 then handoff to billing priority urgent\n  collect order.id\n"
    );
    let d = decide(&text, hello());
    assert_eq!((d.lane, d.action), (Lane::Human, Act::Handoff));
    assert!(d.collect.is_empty());
}

#[test]
fn messages_show_values_and_the_queue_gives_the_sla() {
    let text = format!(
        "{QUEUES}field customer.name : text\nfield customer.arr : number\nfield customer.manager : text\n\
         let share = customer.arr / 1000\n\
         when turns >= 1 then handoff to billing\n\
           tag \"arr-{{share}}k\"\n\
           reason \"{{customer.name}} at {{customer.arr}} ARR wrote {{turns}} message\"\n\
           next \"Call {{customer.name}}\"\n\
           assign \"{{customer.manager}}\"\n"
    );
    let d = decide(
        &text,
        conversation(
            &[("customer", "hi")],
            json!({"customer": {"name": "Dana", "arr": 120000}}),
        ),
    );
    assert_eq!(
        d.reason.as_deref(),
        Some("Dana at 120000 ARR wrote 1 message")
    );
    assert_eq!(d.next.as_deref(), Some("Call Dana"));
    assert_eq!(d.tags, ["arr-120k"]);
    assert_eq!(d.sla.as_deref(), Some("4h"));
    assert_eq!(d.priority, Priority::Normal);
    assert_eq!(
        d.assignee, None,
        "an assignee that is not known is left out"
    );
    let d = decide(
        &text,
        conversation(
            &[("customer", "hi")],
            json!({"customer": {"manager": "Priya"}}),
        ),
    );
    assert_eq!(d.assignee.as_deref(), Some("Priya"));
    assert_eq!(
        d.reason.as_deref(),
        Some("unknown at unknown ARR wrote 1 message")
    );
}

#[test]
fn a_value_of_the_wrong_type_is_missing_with_a_warning() {
    let text = format!(
        "{QUEUES}field customer.arr : number\nrule \"big\" when customer.arr > 1000 then handoff to tier1\n"
    );
    let d = decide(
        &text,
        conversation(&[("customer", "hi")], json!({"customer": {"arr": "lots"}})),
    );
    assert_eq!(d.action, Act::Continue);
    assert_eq!(d.undecided[0].missing, ["customer.arr"]);
    assert_eq!(d.warnings.len(), 1);
    assert_eq!(d.warnings[0].code.as_str(), "W0401");
    assert_eq!(
        d.warnings[0].message,
        "`customer.arr` is text (\"lots\"), not a number; treated as missing"
    );
}

#[test]
fn text_comparisons_ignore_letter_case() {
    let text = format!(
        "{QUEUES}when intent == \"Refund\" and last_customer_message contains \"MONEY\" then handoff to billing\n"
    );
    let d = decide(
        &text,
        conversation(
            &[("customer", "I want my money back")],
            json!({"intent": "refund"}),
        ),
    );
    assert_eq!(d.action, Act::Handoff);
}

#[test]
fn bot_and_assistant_count_as_the_ai_and_an_unknown_role_fails_only_that_conversation() {
    let text = format!("{QUEUES}when ai_turns >= 2 then handoff to tier1\n");
    let d = decide(
        &text,
        conversation(
            &[("bot", "hi"), ("assistant", "hello"), ("customer", "hey")],
            json!({}),
        ),
    );
    assert_eq!(d.action, Act::Handoff);
    let error = rules(&text)
        .decide(
            &conversation(&[("robot", "beep")], json!({})),
            &Options::default(),
        )
        .expect_err("an unknown role is an error");
    assert_eq!(error.code.as_str(), "E0403");
}

#[test]
fn signals_come_from_the_messages() {
    let text = format!(
        "{QUEUES}rule \"r\" when sentiment_min < -0.5 and sentiment_avg < 0 and sentiment_trend < -0.5\n\
           and confidence < 0.5 and duration >= 5m and channel == \"email\"\n\
           then handoff to tier2\n"
    );
    let c = json!({
        "channel": "email",
        "messages": [
            {"role": "customer", "text": "a", "sentiment": 0.2, "at": "2026-11-20T10:00:00Z"},
            {"role": "ai", "text": "b", "confidence": 0.3},
            {"role": "customer", "text": "c", "sentiment": -0.7, "at": "2026-11-20T10:05:00Z"}
        ]
    });
    let d = decide(&text, c);
    assert_eq!(d.action, Act::Handoff, "{:#?}", d.trace);
    assert_eq!(
        d.brief.summary,
        "Conversation, 3 turns over 5 min; sentiment fell from 0.2 to -0.7."
    );
}

#[test]
fn waiting_counts_from_the_first_unanswered_customer_message_to_now() {
    let text = format!("{QUEUES}rule \"r\" when waiting > 10m then handoff to tier1\n");
    let c = json!({"messages": [
        {"role": "customer", "text": "a", "at": "2026-11-20T10:00:00Z"},
        {"role": "ai", "text": "b", "at": "2026-11-20T10:01:00Z"},
        {"role": "customer", "text": "c", "at": "2026-11-20T10:02:00Z"},
        {"role": "customer", "text": "d", "at": "2026-11-20T10:09:00Z"}
    ]});
    let at = |t: &str| Options {
        now: baton::runtime::time::parse_rfc3339(t),
        explain: true,
    };
    let r = rules(&text);
    assert_eq!(
        r.decide(&c, &at("2026-11-20T10:11:00Z"))
            .expect("decided")
            .action,
        Act::Continue
    );
    let d = r.decide(&c, &at("2026-11-20T10:13:00Z")).expect("decided");
    assert_eq!(d.action, Act::Handoff);
    assert_eq!(
        d.trace.expect("explained")[0].tests[0].why,
        "waiting is 11m, needs > 10m"
    );
}

#[test]
fn explanations_say_what_each_test_saw() {
    let text = format!(
        "{QUEUES}field order.id : text\n\
         rule \"r\" when loops >= 2 or turns >= 3 or intent in [\"refund\"] or customer_text matches \"(?i)lawyer\"\n\
           or customer_text contains \"manager\" or order.id exists\n\
           then handoff to tier1\n"
    );
    let d = decide(
        &text,
        conversation(
            &[("customer", "my LAWYER will call")],
            json!({"intent": "billing"}),
        ),
    );
    let whys: Vec<String> = d.trace.expect("explained")[0]
        .tests
        .iter()
        .map(|t| format!("{}: {}", t.result, t.why))
        .collect();
    assert_eq!(
        whys,
        [
            "false: loops is 0, needs >= 2",
            "false: turns is 1, needs >= 3",
            "false: intent is \"billing\", needs one of [\"refund\"]",
            "true: customer_text matches: found \"LAWYER\"",
            "false: customer_text (\"my LAWYER will call\") does not contain \"manager\"",
            "false: order.id is missing",
        ]
    );
}

/// `contains` ignores case one way, whether the needle is written in the
/// rule or read from the conversation.
#[test]
fn contains_ignores_case_alike_for_written_and_read_needles() {
    let text = "field note : text\nfield word : text\n\
        rule \"read\" when note contains word then continue\n\
        rule \"written\" when note contains \"refund\" then continue\n";
    for (note, matches) in [("Please REFUND me", true), ("Réfund", false), ("", false)] {
        let c = conversation(
            &[("customer", "hi")],
            json!({"note": note, "word": "Refund"}),
        );
        let d = decide(text, c);
        let matched: Vec<&str> = d
            .rule
            .iter()
            .map(|r| r.name.as_str())
            .chain(d.also_matched.iter().map(String::as_str))
            .collect();
        let expected: &[&str] = if matches { &["read", "written"] } else { &[] };
        assert_eq!(matched, expected, "{note}");
    }
    // Letters whose case is special agree too: a dotted capital I, Greek sigma.
    for (note, word) in [("İ", "i"), ("ΟΔΟΣ", "οδοσ"), ("ΟΔΟΣ", "ΟΔΟΣ")] {
        let both = format!(
            "field note : text\nfield word : text\n\
             rule \"read\" when note contains word then continue\n\
             rule \"written\" when note contains \"{word}\" then continue\n"
        );
        let d = decide(
            &both,
            conversation(&[("customer", "hi")], json!({"note": note, "word": word})),
        );
        let read = d.rule.as_ref().is_some_and(|r| r.name == "read");
        let written = d.rule.as_ref().is_some_and(|r| r.name == "written")
            || d.also_matched.iter().any(|n| n == "written");
        assert_eq!(read, written, "`{note}` contains `{word}`");
    }
}

/// The warnings of a decision come in one order, whether or not it is
/// explained (explaining reads every value; deciding reads the rule
/// index's value first). Found by fuzzing.
#[test]
fn warnings_are_listed_alike_with_and_without_an_explanation() {
    let rules = baton::Rules::load(
        &[std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/rules"
        ))],
        &baton::Limits::default(),
    )
    .expect("bundled rules");
    let c = json!({"customer": {"tier": 1}, "intent": 2, "messages": []});
    let warnings = |explain| {
        let d = rules
            .decide(
                &c,
                &Options {
                    now: Some(0),
                    explain,
                },
            )
            .expect("decided");
        d.warnings
            .iter()
            .map(|w| w.message.clone())
            .collect::<Vec<_>>()
    };
    let plain = warnings(false);
    assert_eq!(plain.len(), 2, "{plain:?}");
    assert_eq!(plain, warnings(true));
}

/// A large ruleset is compiled with its lints on a second thread: it must
/// load with exactly the warnings `baton check` gives, in the same order,
/// and decide as the rules say.
#[test]
fn a_large_ruleset_loads_with_the_warnings_check_gives() {
    let mut text = String::from("queue q \"Queue\"\nlet unused = turns > 100\n");
    for i in 0..800 {
        text.push_str(&format!(
            "rule \"r{i}\" when intent == \"i{}\" then handoff to q\n",
            i % 700
        ));
    }
    let mut sources = baton::source::Sources::new();
    sources.add(baton::source::SourceFile::new("big.baton", text));
    let checked = baton::check_sources(&sources, &baton::Limits::default());
    let loaded = baton::Rules::build(
        sources,
        baton::diagnostic::Diagnostics::new(),
        &baton::Limits::default(),
    )
    .expect("loads");
    let shown = |d: &baton::diagnostic::Diagnostics| {
        d.iter()
            .map(baton::diagnostic::render_plain)
            .collect::<Vec<_>>()
    };
    let warnings = shown(loaded.warnings());
    assert_eq!(warnings, shown(&checked.diagnostics));
    // 100 rules repeat an earlier rule's condition, and the `let` is unused.
    assert_eq!(warnings.len(), 101);
    assert!(warnings[0].contains("W0304"), "{}", warnings[0]);
    assert!(warnings[1].contains("W0301"), "{}", warnings[1]);
    let decision = loaded
        .decide(
            &json!({"intent": "i3", "messages": [{"role": "customer", "text": "hi"}]}),
            &baton::runtime::Options::default(),
        )
        .expect("decided");
    assert_eq!(decision.rule.map(|r| r.name).as_deref(), Some("r3"));
}
