//! What `baton check` finds about rules together (W0301 when several rules
//! share out a later one, W0306, W0308) comes with a conversation; deciding
//! that conversation with `baton decide` shows exactly what the finding says.

mod common;

use std::path::{Path, PathBuf};

fn baton(args: &[&str]) -> (Option<i32>, String) {
    let (status, out, _) = common::baton_run(args);
    (status, out)
}

/// The findings `baton check --gaps --format json` gives for a fixture.
fn findings(fixture: &str) -> Vec<serde_json::Value> {
    let (status, out) = baton(&["check", "--gaps", "--format", "json", fixture]);
    assert_eq!(status, Some(0), "warnings only: {out}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .clone()
}

/// The names between backquotes in a message, in order.
fn names(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Decides the example conversation a finding's help ends with, by the
/// fixture's rules, through the command line.
fn decide_example(fixture: &str, help: &str) -> serde_json::Value {
    let at = help.find('{').expect("the help ends with a conversation");
    let example: serde_json::Value = serde_json::from_str(&help[at..]).expect("a conversation");
    let file: PathBuf = std::env::temp_dir().join(format!(
        "baton-analysis-{}-{}.json",
        std::process::id(),
        Path::new(fixture)
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
    ));
    std::fs::write(&file, example.to_string()).expect("write");
    let (status, out) = baton(&[
        "decide",
        "--rules",
        fixture,
        "--now",
        "2026-11-20T10:00:00Z",
        file.to_str().expect("path"),
    ]);
    let _ = std::fs::remove_file(&file);
    assert_eq!(status, Some(0), "{out}");
    serde_json::from_str(&out).expect("a decision")
}

#[test]
fn a_rule_shared_out_by_earlier_rules_is_shown_decided_by_one_of_them() {
    let fixture = "tests/fixtures/check/err/W0301_taken_by_two_rules.baton";
    let found = findings(fixture);
    assert_eq!(found.len(), 1, "{found:?}");
    let names = names(found[0]["message"].as_str().expect("message"));
    let (later, takers) = names.split_first().expect("names");
    let decision = decide_example(fixture, found[0]["help"].as_str().expect("help"));
    let decider = decision["rule"]["name"].as_str().expect("a rule decides");
    assert!(
        takers.iter().any(|t| t == decider),
        "{decider} is not among {takers:?}"
    );
    assert!(
        decision["also_matched"]
            .as_array()
            .is_some_and(|a| a.iter().any(|n| n == later.as_str())),
        "{later} matches too: {decision}"
    );
}

#[test]
fn an_overlap_is_shown_decided_by_the_earlier_rule_with_the_later_one_matching() {
    let fixture = "tests/fixtures/check/err/W0306_earlier_rule_takes_part.baton";
    let found = findings(fixture);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "W0306");
    let names = names(found[0]["message"].as_str().expect("message"));
    let decision = decide_example(fixture, found[0]["help"].as_str().expect("help"));
    assert_eq!(decision["rule"]["name"], names[0].as_str());
    assert_eq!(decision["queue"], "billing");
    assert_eq!(decision["also_matched"], serde_json::json!([names[1]]));
}

#[test]
fn a_gap_is_shown_decided_by_the_default() {
    let fixture = "tests/fixtures/check/err/W0308_no_rule_routes.baton";
    let found = findings(fixture);
    assert_eq!(found.len(), 1, "{found:?}");
    let message = found[0]["message"].as_str().expect("message");
    assert!(
        message.contains("customer.tier is \"free\" and sentiment < -0.6"),
        "{message}"
    );
    let decision = decide_example(fixture, found[0]["help"].as_str().expect("help"));
    assert!(decision["rule"].is_null(), "{decision}");
    assert_eq!(decision["lane"], "ai");
    assert_eq!(decision["brief"]["learned"]["customer.tier"], "free");
}

#[test]
fn an_impossible_condition_names_its_rule() {
    let found = findings("tests/fixtures/check/err/W0307_impossible_condition.baton");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "W0307");
    assert_eq!(found[0]["line"], 5);
}

#[test]
fn the_bundled_rules_have_no_overlap_left_unsaid() {
    // `rules/20-vip.baton` says with `unless` which of two VIP rules wins;
    // without it, the overlap is reported.
    let (status, out) = baton(&["check", "--format", "plain", "rules/"]);
    assert_eq!(status, Some(0));
    assert!(out.ends_with("no problems\n"), "{out}");
    let dir = std::env::temp_dir().join(format!("baton-analysis-rules-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).expect("rules/")
    {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("rule file");
        let text = text.replace("  unless angry_vip\n", "");
        std::fs::write(dir.join(path.file_name().expect("name")), text).expect("copy");
    }
    let (_, out) = baton(&["check", "--format", "plain", dir.to_str().expect("path")]);
    assert!(out.contains("warning[W0306]"), "{out}");
    assert!(
        out.contains(
            "handoff to billing priority urgent instead of handoff to success priority urgent"
        ),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
