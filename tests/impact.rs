//! `baton backtest` and `baton diff` as a support lead runs them, on the
//! slice of real conversations kept in `tests/data/`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::baton_run;

const SLICE: &str = "tests/data/conversations-slice.jsonl";
const NOW: &str = "2026-11-28T00:00:00Z";

fn json(args: &[&str]) -> serde_json::Value {
    let (status, out, err) = baton_run(args);
    assert_eq!(status, Some(0), "{err}");
    serde_json::from_str(&out).expect("a JSON report")
}

#[test]
fn a_backtest_accounts_for_every_conversation() {
    let report = json(&["backtest", SLICE, "--now", NOW, "--format", "json"]);
    let lines = std::fs::read_to_string(SLICE)
        .expect("slice")
        .lines()
        .count();
    assert_eq!(report["conversations"], lines);
    let decided = report["decided"].as_u64().expect("decided") as usize;
    let by_lane: u64 = report["lanes"]
        .as_array()
        .expect("lanes")
        .iter()
        .map(|l| l["count"].as_u64().expect("count"))
        .sum();
    assert_eq!(
        by_lane as usize, decided,
        "every decided conversation has a lane"
    );
    let by_rule: u64 = report["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["decided"].as_u64().expect("decided"))
        .sum::<u64>()
        + report["default"]["count"].as_u64().expect("default");
    assert_eq!(
        by_rule as usize, decided,
        "every one was decided by a rule or the default"
    );
    let never: Vec<&str> = report["never_decide"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    for rule in report["rules"].as_array().expect("rules") {
        let name = rule["name"].as_str().expect("name");
        assert_eq!(rule["decided"] == 0, never.contains(&name), "{name}");
        let examples = rule["examples"].as_array().expect("examples");
        assert!(examples.len() <= 3);
        assert_eq!(examples.is_empty(), rule["decided"] == 0, "{name}");
    }
    // The slice has no customer records: the fields the rules read are missing.
    let missing: Vec<&str> = report["mostly_missing"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    assert!(missing.contains(&"customer.tier"), "{missing:?}");
}

#[test]
fn the_backtest_table_is_what_a_lead_reads() {
    let (status, out, _) = baton_run(&["backtest", SLICE, "--now", NOW]);
    assert_eq!(status, Some(0));
    insta::assert_snapshot!(out);
}

#[test]
fn a_line_that_is_not_a_conversation_is_counted_not_fatal() {
    let dir = scratch("bad-lines");
    let corpus = dir.join("corpus.jsonl");
    let good = std::fs::read_to_string(SLICE).expect("slice");
    let first = good.lines().next().expect("a line");
    std::fs::write(&corpus, format!("{first}\nnot json\n{first}\n")).expect("write");
    let report = json(&[
        "backtest",
        corpus.to_str().expect("path"),
        "--format",
        "json",
    ]);
    assert_eq!(report["conversations"], 3);
    assert_eq!(report["decided"], 2);
    assert_eq!(report["errors"][0]["name"], "E0401");
}

#[test]
fn the_page_stands_alone() {
    let dir = scratch("page");
    let page = dir.join("backtest.html");
    let (status, _, err) = baton_run(&[
        "backtest",
        SLICE,
        "--now",
        NOW,
        "--html",
        page.to_str().expect("path"),
    ]);
    assert_eq!(status, Some(0), "{err}");
    let html = std::fs::read_to_string(&page).expect("page written");
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<svg"), "charts are drawn in the page");
    assert!(html.contains("Explicit requests for a person"));
    for fetch in ["http://", "https://", "<script", "<link", "src="] {
        assert!(
            !html.contains(fetch),
            "the page fetches nothing: found `{fetch}`"
        );
    }
}

/// A fresh folder holding a copy of the bundled rules.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("baton-impact-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rules")).expect("scratch");
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).expect("rules/")
    {
        let path = entry.expect("entry").path();
        std::fs::copy(
            &path,
            dir.join("rules").join(path.file_name().expect("name")),
        )
        .expect("copy");
    }
    dir
}

/// The bundled rules with the explicit-request rule sent to tier 2 at
/// urgent priority.
fn changed(dir: &Path) {
    let file = dir.join("rules/30-people.baton");
    let text = std::fs::read_to_string(&file).expect("rules");
    let text = text.replacen(
        "then handoff to tier1 priority high",
        "then handoff to tier2 priority urgent",
        1,
    );
    std::fs::write(&file, text).expect("write");
}

/// `baton diff` of the bundled rules against a copy of them `changed`, in
/// scratch folder `name`, with `more` arguments, as JSON.
fn diff_of_changed(name: &str, more: &[&str]) -> serde_json::Value {
    let dir = scratch(name);
    changed(&dir);
    let new = dir.join("rules");
    let mut args = vec!["diff", "rules/", new.to_str().expect("path")];
    args.extend_from_slice(more);
    args.extend_from_slice(&["--format", "json"]);
    json(&args)
}

#[test]
fn a_diff_names_the_changed_rule_and_what_it_changes() {
    let report = diff_of_changed("diff", &[]);
    let rules = report["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 1, "{rules:?}");
    assert_eq!(rules[0]["name"], "Explicit requests for a person");
    assert_eq!(rules[0]["change"], "changed");
    assert!(
        rules[0]["what"][0]
            .as_str()
            .expect("what")
            .contains("handoff to tier2 priority urgent")
    );
    let routing = report["routing"].as_array().expect("routing");
    assert!(
        routing
            .iter()
            .any(|s| s["before"]["queue"] == "tier1" && s["after"]["queue"] == "tier2"),
        "{routing:?}"
    );
}

#[test]
fn a_diff_on_a_corpus_counts_each_transition() {
    let report = diff_of_changed("diff-corpus", &[SLICE, "--now", NOW]);
    let corpus = &report["corpus"];
    let transitions = corpus["transitions"].as_array().expect("transitions");
    assert_eq!(transitions.len(), 1, "{transitions:?}");
    assert_eq!(transitions[0]["from"], "human/tier1 high");
    assert_eq!(transitions[0]["to"], "human/tier2 urgent");
    assert_eq!(corpus["changed"], transitions[0]["count"]);
    // As many as the backtest says the rule decides.
    let backtest = json(&["backtest", SLICE, "--now", NOW, "--format", "json"]);
    let decided = backtest["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["name"] == "Explicit requests for a person")
        .expect("rule")["decided"]
        .clone();
    assert_eq!(transitions[0]["count"], decided);
    assert!(
        !transitions[0]["examples"]
            .as_array()
            .expect("examples")
            .is_empty()
    );
}

#[test]
fn a_diff_reads_git_revisions() {
    let dir = scratch("git");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args([
                "-c",
                "user.name=baton",
                "-c",
                "user.email=baton@example.com",
            ])
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("git runs")
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "rules"]);
    git(&["commit", "-q", "-m", "rules"]);
    changed(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["diff", "HEAD:rules", "rules"])
        .current_dir(&dir)
        .output()
        .expect("baton runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.starts_with("from HEAD:rules to rules\n"), "{text}");
    assert!(
        text.contains("changed  Explicit requests for a person"),
        "{text}"
    );
    assert!(
        text.contains("human/tier1 high  →  human/tier2 urgent"),
        "{text}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["diff", "HEAD:rules", "HEAD:rules"])
        .current_dir(&dir)
        .output()
        .expect("baton runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("the rules are the same"));
    let _ = std::fs::remove_dir_all(&dir);
}
