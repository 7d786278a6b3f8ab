//! Every example conversation, decided by the bundled rules: the decision a
//! platform receives, and the explanation behind it, pinned as snapshots.

use std::path::PathBuf;

use baton::runtime::{Options, time::parse_rfc3339};

fn bundled() -> baton::Rules {
    baton::Rules::load(&[PathBuf::from("rules")], &baton::Limits::default())
        .expect("the bundled rules load")
}

fn examples() -> Vec<(String, serde_json::Value)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("examples")
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("a name")
                .to_string();
            let text = std::fs::read_to_string(&p).expect("readable");
            (name, serde_json::from_str(&text).expect("JSON"))
        })
        .collect()
}

/// Decides as a live platform would: a minute after the conversation's last
/// message, so `waiting` is what it was then, whenever the test runs.
fn a_minute_after(conversation: &serde_json::Value, explain: bool) -> Options {
    let last = conversation["messages"]
        .as_array()
        .and_then(|m| m.iter().filter_map(|m| m["at"].as_str()).next_back())
        .and_then(parse_rfc3339)
        .expect("every example message has a time");
    Options {
        now: Some(last + 60_000),
        explain,
    }
}

#[test]
fn every_example_has_a_pinned_decision() {
    let rules = bundled();
    for (name, conversation) in examples() {
        let mut decision = rules
            .decide(&conversation, &a_minute_after(&conversation, false))
            .expect("decided");
        assert_eq!(decision.ruleset, rules.hash());
        // The hash changes with every edit of rules/; the snapshot pins the rest.
        decision.ruleset = "[hash of rules/]".to_string();
        insta::assert_json_snapshot!(format!("decision_{name}"), decision);
    }
}

#[test]
fn every_example_has_a_pinned_explanation() {
    let rules = bundled();
    for (name, conversation) in examples() {
        let decision = rules
            .decide(&conversation, &a_minute_after(&conversation, true))
            .expect("decided");
        let trace = decision.trace.expect("explained");
        assert_eq!(
            trace.len(),
            rules.graph().rules.len(),
            "every rule is tried"
        );
        insta::assert_json_snapshot!(format!("explain_{name}"), trace);
    }
}

#[test]
fn the_ruleset_hash_names_the_rule_files_exactly() {
    let a = baton::Rules::from_text("a.baton", "when loops > 1 then continue\n").expect("loads");
    let same = baton::Rules::from_text("a.baton", "when loops > 1 then continue\n").expect("loads");
    let edited =
        baton::Rules::from_text("a.baton", "when loops > 2 then continue\n").expect("loads");
    let renamed =
        baton::Rules::from_text("b.baton", "when loops > 1 then continue\n").expect("loads");
    assert!(a.hash().starts_with("sha256:") && a.hash().len() == 7 + 64);
    assert_eq!(a.hash(), same.hash());
    assert_ne!(a.hash(), edited.hash());
    assert_ne!(a.hash(), renamed.hash());
}

#[test]
fn every_key_of_a_decision_is_documented() {
    let doc = std::fs::read_to_string("docs/decisions.md").expect("docs/decisions.md");
    let rules = bundled();
    let (_, conversation) = examples()
        .into_iter()
        .find(|(n, _)| n == "angry_enterprise")
        .expect("example");
    let decision = rules
        .decide(&conversation, &a_minute_after(&conversation, true))
        .expect("decided");
    let json = serde_json::to_value(&decision).expect("serialisable");
    let mut keys: Vec<String> = Vec::new();
    for part in [
        &json,
        &json["brief"],
        &json["trace"][0],
        &json["trace"][0]["tests"][0],
    ] {
        keys.extend(part.as_object().expect("an object").keys().cloned());
    }
    for key in keys {
        assert!(
            doc.contains(&format!("| `{key}`")) || doc.contains(&format!("\"{key}\"")),
            "`{key}` is not documented in docs/decisions.md"
        );
    }
}

/// Real conversations (a slice of the shared corpus, see `tests/data/`)
/// are all read and decided: none is rejected as input, and each decision
/// carries a brief.
#[test]
fn every_real_conversation_in_the_slice_is_decided() {
    let rules = bundled();
    let text = std::fs::read_to_string("tests/data/conversations-slice.jsonl").expect("the slice");
    let options = Options {
        now: parse_rfc3339("2026-11-28T00:00:00Z"),
        explain: false,
    };
    let mut lanes = std::collections::BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let decision = rules
            .decide_str(line, &options)
            .unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
        assert!(decision.brief.summary.ends_with('.'));
        assert!(
            decision.warnings.is_empty(),
            "line {}: {:?}",
            i + 1,
            decision.warnings
        );
        *lanes.entry(format!("{:?}", decision.lane)).or_insert(0) += 1;
    }
    assert_eq!(lanes.values().sum::<usize>(), 353);
    assert!(
        lanes.contains_key("Human"),
        "some real conversations reach a person: {lanes:?}"
    );
}

/// Deciding JSON text builds only what the rules read of it and steps over
/// the rest. Every input here is decided, or refused, exactly as when the
/// whole text is parsed first: the real conversations of the slice, the
/// examples, the conversations of the error fixtures and of the fuzzer, and
/// the awkward ones in `fixtures/runtime/reading.jsonl` (escapes, repeated
/// keys, deep nesting where nothing is read, a deep value a repeated key
/// replaces, broken JSON after what is read), with and without the
/// explanation, at the default nesting limit and at tight ones.
#[test]
fn reading_only_what_the_rules_read_changes_no_outcome() {
    use baton::diagnostic::Code;
    use baton::runtime::{parse, too_deep};

    let mut inputs: Vec<(String, String)> = Vec::new();
    let mut lines_of = |path: &std::path::Path| {
        let text = std::fs::read_to_string(path).expect("readable");
        for (i, line) in text.lines().enumerate() {
            if !line.starts_with('#') && !line.trim().is_empty() {
                inputs.push((format!("{}:{}", path.display(), i + 1), line.to_string()));
            }
        }
    };
    lines_of("tests/data/conversations-slice.jsonl".as_ref());
    lines_of("tests/fixtures/runtime/reading.jsonl".as_ref());
    for folder in ["tests/fixtures/runtime/err", "tests/fixtures/fuzz/decide"] {
        for entry in std::fs::read_dir(folder).expect("fixtures") {
            lines_of(&entry.expect("entry").path());
        }
    }
    for (name, json) in examples() {
        inputs.push((name, json.to_string()));
    }

    let mut refused = std::collections::BTreeSet::new();
    for max_json_depth in [baton::Limits::default().max_json_depth, 3, 1, 0] {
        let limits = baton::Limits {
            max_json_depth,
            ..baton::Limits::default()
        };
        let rules = baton::Rules::load(&[PathBuf::from("rules")], &limits).expect("rules load");
        for (name, text) in &inputs {
            for explain in [false, true] {
                let options = Options {
                    now: parse_rfc3339("2026-11-28T00:00:00Z"),
                    explain,
                };
                let whole = parse(text)
                    .map_err(|e| match e.code {
                        Code::E0406 => too_deep(max_json_depth),
                        _ => e,
                    })
                    .and_then(|json| rules.decide(&json, &options));
                let kept = rules.decide_str(text, &options);
                let show =
                    |outcome: &Result<baton::runtime::Decision, baton::runtime::InputError>| {
                        match outcome {
                            Ok(decision) => serde_json::to_string(decision).expect("serializes"),
                            Err(e) => e.to_string(),
                        }
                    };
                assert_eq!(
                    show(&kept),
                    show(&whole),
                    "{name} (nesting limit {max_json_depth}, explain {explain})"
                );
                if let Err(e) = kept {
                    refused.insert(e.code.as_str());
                }
            }
        }
    }
    // The inputs reach every way of refusing a conversation's text.
    assert_eq!(
        refused.into_iter().collect::<Vec<_>>(),
        ["E0401", "E0402", "E0403", "E0404", "E0406"]
    );
}
