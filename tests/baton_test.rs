//! `baton test` as a support lead uses it: the bundled rules pass their
//! tests and snapshots; a rule change that changes a decision fails and
//! shows the difference; reviewing accepts or rejects it; new and stale
//! snapshots fail under CI; coverage names the rules nothing reaches; JSON
//! and JUnit reports say the same as the report for people.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `baton test ARGS` in `dir`, with `input` on standard input.
fn baton_test(dir: &Path, args: &[&str], input: &str) -> Output {
    let args: Vec<&str> = std::iter::once("test")
        .chain(args.iter().copied())
        .collect();
    common::baton_with_input(dir, &args, input.as_bytes())
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A copy of the bundled rules and examples, to change freely.
fn workspace(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "baton-test-{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    for folder in ["rules", "examples"] {
        std::fs::create_dir_all(dir.join(folder)).expect("scratch folder");
        for entry in std::fs::read_dir(root().join(folder)).expect("bundled folder") {
            let path = entry.expect("entry").path();
            std::fs::copy(
                &path,
                dir.join(folder).join(path.file_name().expect("name")),
            )
            .expect("copies");
        }
    }
    dir
}

/// How many example conversations `dir` holds.
fn examples(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("examples"))
        .expect("examples/")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))
        })
        .count()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("readable");
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replace(from, to)).expect("writable");
}

#[test]
fn the_bundled_rules_pass_their_tests_and_every_example_matches_its_snapshot() {
    let output = baton_test(root(), &["--ci", "--coverage"], "");
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report}");
    insta::assert_snapshot!(report);
}

#[test]
fn a_rule_change_that_changes_a_decision_fails_and_shows_the_difference() {
    let dir = workspace("change");
    edit(
        &dir.join("rules/30-people.baton"),
        "then handoff to tier2 priority high",
        "then handoff to tier1 priority urgent",
    );
    let snapshot = dir.join("examples/looping.decision.txt");
    let before = std::fs::read_to_string(&snapshot).expect("snapshot");

    let output = baton_test(&dir, &["--no-snapshots"], "");
    assert_eq!(output.status.code(), Some(1), "the looping test fails");

    let output = baton_test(&dir, &[], "");
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    let diff: Vec<&str> = report
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("- ") || l.starts_with("+ "))
        .collect();
    assert_eq!(
        diff,
        [
            "- queue:    tier2",
            "- priority: high",
            "- sla:      1h",
            "+ queue:    tier1",
            "+ priority: urgent",
            "+ sla:      8h",
        ],
        "{report}"
    );
    assert!(
        report.contains("CHANGED  examples/looping.json"),
        "{report}"
    );
    assert!(report.contains("1 changed"), "{report}");

    // Rejected: the snapshot stays as it was and the run still fails.
    let output = baton_test(&dir, &["--review"], "r\n");
    assert_eq!(output.status.code(), Some(1));
    let asked = String::from_utf8_lossy(&output.stderr);
    assert!(asked.contains("[1 of 1] examples/looping.json: the decision changed"));
    assert!(asked.contains("+ queue:    tier1"), "{asked}");
    assert_eq!(std::fs::read_to_string(&snapshot).expect("kept"), before);
    assert!(stdout(&output).contains("(rejected in review)"));

    // Skipped, and an answer that means nothing is asked again.
    let output = baton_test(&dir, &["--review"], "maybe\ns\n");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr)
            .matches("keep the new decision?")
            .count(),
        2
    );
    assert_eq!(std::fs::read_to_string(&snapshot).expect("kept"), before);

    // Accepted: the snapshot holds the new decision (and the note a
    // reviewer left at its top), and the next run passes.
    let noted = before.replacen("\n\n", "\n# NOTE: agreed with the billing team\n\n", 1);
    std::fs::write(&snapshot, &noted).expect("writes a note");
    let output = baton_test(&dir, &["--review"], "a\n");
    assert!(stdout(&output).contains("accepted examples/looping.json"));
    let after = std::fs::read_to_string(&snapshot).expect("rewritten");
    assert!(
        after.contains("queue:    tier1\npriority: urgent\n"),
        "{after}"
    );
    assert!(
        after.contains("# NOTE: agreed with the billing team\n"),
        "{after}"
    );
    let output = baton_test(&dir, &["--no-snapshots"], "");
    assert_eq!(output.status.code(), Some(1), "the rule test still fails");
    edit(
        &dir.join("rules/30-people.baton"),
        "expect handoff to tier2 priority high",
        "expect handoff to tier1 priority urgent",
    );
    let output = baton_test(&dir, &["--ci"], "");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn new_and_stale_snapshots_are_reported_and_fail_only_under_ci() {
    let dir = workspace("new");
    std::fs::copy(
        dir.join("examples/order_status.json"),
        dir.join("examples/order_status_again.json"),
    )
    .expect("copies");
    // A snapshot kept for a conversation since removed.
    std::fs::copy(
        dir.join("examples/looping.decision.txt"),
        dir.join("examples/retired.decision.txt"),
    )
    .expect("copies");

    let output = baton_test(&dir, &[], "");
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert!(report.contains("new      examples/order_status_again.json: no snapshot yet"));
    assert!(report.contains("stale    examples/retired.decision.txt: its conversation is gone"));
    let unchanged = examples(&dir) - 1;
    assert!(
        report.contains(&format!("snapshots: {unchanged} unchanged, 1 new, 1 stale")),
        "{report}"
    );

    let output = baton_test(&dir, &["--ci"], "");
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    assert!(
        report.contains("NEW      examples/order_status_again.json"),
        "{report}"
    );
    assert!(
        report.contains("STALE    examples/retired.decision.txt"),
        "{report}"
    );

    // CI=true in the environment means the same as --ci.
    let ci = Command::new(env!("CARGO_BIN_EXE_baton"))
        .arg("test")
        .current_dir(&dir)
        .env("CI", "true")
        .output()
        .expect("baton runs");
    assert_eq!(ci.status.code(), Some(1));

    // A review shows the whole new decision before it is kept.
    let output = baton_test(&dir, &["--review"], "s\na\n");
    let asked = String::from_utf8_lossy(&output.stderr);
    assert!(
        asked.contains("+ rule:     Routine questions stay with the AI"),
        "{asked}"
    );
    assert!(asked.contains("accepting removes the snapshot"), "{asked}");
    assert!(
        !dir.join("examples/order_status_again.decision.txt")
            .exists()
    );
    assert!(!dir.join("examples/retired.decision.txt").exists());

    let output = baton_test(&dir, &["--accept"], "");
    assert_eq!(output.status.code(), Some(0));
    let kept = std::fs::read_to_string(dir.join("examples/order_status_again.decision.txt"))
        .expect("written");
    assert_eq!(
        kept,
        std::fs::read_to_string(dir.join("examples/order_status.decision.txt")).expect("there")
    );
    let output = baton_test(&dir, &["--ci"], "");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn an_unreadable_example_fails_without_stopping_the_others() {
    let dir = workspace("broken");
    std::fs::write(dir.join("examples/cut.json"), "{\"messages\": [").expect("writes");
    let output = baton_test(&dir, &[], "");
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(report.contains("BROKEN   examples/cut.json"), "{report}");
    assert!(
        report.contains("the JSON stops before it is complete"),
        "{report}"
    );
    let unchanged = examples(&dir) - 1;
    assert!(
        report.contains(&format!("{unchanged} unchanged")),
        "{report}"
    );
}

#[test]
fn coverage_names_the_rules_nothing_reaches_and_can_be_required() {
    let dir = workspace("coverage");
    let mut routine = std::fs::read_to_string(dir.join("rules/50-routine.baton")).expect("rules");
    routine.push_str("\nrule \"Voice calls go to a person\"\n  when channel == \"voice\"\n  then handoff to tier1\n");
    std::fs::write(dir.join("rules/50-routine.baton"), routine).expect("writes");
    let output = baton_test(&dir, &["--coverage", "--format", "json"], "");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let rules = report["coverage"]["rules"].as_array().expect("rules");
    let unreached: Vec<&str> = rules
        .iter()
        .filter(|r| r["tests"] == 0 && r["snapshots"] == 0)
        .map(|r| r["rule"].as_str().expect("name"))
        .collect();
    assert!(
        unreached.contains(&"Voice calls go to a person"),
        "{unreached:?}"
    );
    let percent = report["coverage"]["percent"].as_f64().expect("percent");
    assert_eq!(
        report["coverage"]["reached"].as_u64(),
        Some((rules.len() - unreached.len()) as u64)
    );

    let human = stdout(&baton_test(&dir, &["--coverage"], ""));
    for rule in &unreached {
        let line = human
            .lines()
            .find(|l| l.contains(rule))
            .expect("every rule is listed");
        assert!(line.ends_with("<- nothing reaches it"), "{line}");
    }

    let below = format!("{}", percent.floor() + 1.0);
    let output = baton_test(&dir, &["--min-coverage", &below], "");
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(stdout(&output).contains(&format!("coverage is under the {below}% asked for")));
    let at = format!("{}", percent.floor());
    assert_eq!(
        baton_test(&dir, &["--min-coverage", &at], "").status.code(),
        Some(0)
    );
    assert_eq!(
        baton_test(&dir, &["--min-coverage", "150"], "")
            .status
            .code(),
        Some(2),
        "a percentage over 100 is a usage error"
    );
}

#[test]
fn json_and_junit_reports_agree_with_the_report_for_people() {
    let dir = workspace("formats");
    edit(
        &dir.join("rules/50-routine.baton"),
        "order_status.json\"\n  expect continue",
        "order_status.json\"\n  expect handoff to tier1",
    );
    edit(
        &dir.join("examples/order_status.decision.txt"),
        "priority: normal",
        "priority: low",
    );

    let output = baton_test(&dir, &["--format", "json"], "");
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["passed"], false);
    assert_eq!(report["counts"]["tests_failed"], 1);
    let tests = report["tests"].as_array().expect("tests").len();
    assert_eq!(report["counts"]["tests_passed"], tests - 1);
    assert_eq!(report["counts"]["snapshots_changed"], 1);
    let failed: Vec<&serde_json::Value> = report["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .filter(|t| t["result"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["name"], "polite question stays with the AI");
    assert_eq!(
        failed[0]["failures"][0]["expected"],
        "expect handoff to tier1"
    );
    assert_eq!(failed[0]["failures"][0]["actual"], "continue");
    assert_eq!(failed[0]["decision"]["lane"], "ai");
    let changed: Vec<&serde_json::Value> = report["snapshots"]
        .as_array()
        .expect("snapshots")
        .iter()
        .filter(|s| s["result"] == "changed")
        .collect();
    assert_eq!(changed[0]["conversation"], "examples/order_status.json");
    let changes: Vec<&str> = changed[0]["diff"]
        .as_array()
        .expect("diff")
        .iter()
        .filter_map(|l| l.as_str())
        .filter(|l| !l.starts_with("  "))
        .collect();
    assert_eq!(changes, ["- priority: low", "+ priority: normal"]);

    let output = baton_test(&dir, &["--format", "junit"], "");
    assert_eq!(output.status.code(), Some(1));
    let xml = stdout(&output);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(
        xml.contains(&format!(
            "<testsuite name=\"tests in rules/\" tests=\"{tests}\" failures=\"1\" errors=\"0\">"
        )),
        "{xml}"
    );
    let conversations = examples(&dir);
    assert!(
        xml.contains(&format!(
            "<testsuite name=\"snapshots in examples/\" tests=\"{conversations}\" failures=\"1\""
        )),
        "{xml}"
    );
    assert!(
        xml.contains("<failure message=\"expect handoff to tier1, but got: continue\">"),
        "{xml}"
    );
    assert_eq!(xml.matches("<testcase ").count(), tests + conversations);
    assert_eq!(xml.matches("<failure ").count(), 2);
}

#[test]
fn rules_with_errors_are_reported_and_no_test_runs() {
    let dir = workspace("invalid");
    edit(
        &dir.join("rules/50-routine.baton"),
        "then continue",
        "then contine",
    );
    let output = baton_test(&dir, &[], "");
    assert_eq!(output.status.code(), Some(1));
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(errors.contains("no test was run"), "{errors}");
    assert!(stdout(&output).is_empty());

    let output = baton_test(&dir, &["--snapshots", "nowhere"], "");
    assert_eq!(output.status.code(), Some(1), "the rules are checked first");
    std::fs::write(
        dir.join("rules/50-routine.baton"),
        "rule \"r\" when turns >= 1 then continue\n",
    )
    .expect("writes");
    let output = baton_test(&dir, &["--snapshots", "nowhere"], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nowhere is not a folder"));
}

#[test]
fn a_snapshot_that_cannot_be_read_is_broken_not_new() {
    let dir = workspace("unreadable");
    let snapshot = dir.join("examples/looping.decision.txt");
    let mut bytes = std::fs::read(&snapshot).expect("snapshot");
    bytes.extend_from_slice(b"\xff\xfe");
    std::fs::write(&snapshot, bytes).expect("writes");
    let output = baton_test(&dir, &["--accept"], "");
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(
        report.contains(
            "its snapshot examples/looping.decision.txt cannot be read: it is not UTF-8 text"
        ),
        "{report}"
    );
    assert!(
        std::fs::read(&snapshot)
            .expect("kept")
            .ends_with(b"\xff\xfe"),
        "--accept must not overwrite a snapshot it could not read"
    );
}

#[cfg(unix)]
#[test]
fn links_to_folders_are_not_followed_round_in_circles() {
    let dir = workspace("links");
    std::os::unix::fs::symlink("..", dir.join("examples/loop")).expect("links");
    let output = baton_test(&dir, &["--ci"], "");
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert!(!report.contains("loop/"), "{report}");
}

#[test]
fn rules_named_by_their_place_keep_their_name_however_the_folder_is_written() {
    let dir = workspace("unnamed");
    std::fs::write(
        dir.join("rules/60-voice.baton"),
        "when channel == \"voice\" then handoff to tier1\n\ntest \"a voice call\"\n  given\n    customer: \"hello\"\n  with channel = \"voice\"\n  expect rule \"rules/60-voice.baton:1\"\n",
    )
    .expect("writes");
    std::fs::write(
        dir.join("examples/voice.json"),
        r#"{"channel": "voice", "messages": [{"role": "customer", "text": "hello"}]}"#,
    )
    .expect("writes");
    let output = baton_test(&dir, &["--rules", "./rules/", "--accept"], "");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let kept = std::fs::read_to_string(dir.join("examples/voice.decision.txt")).expect("kept");
    assert!(
        kept.contains("rule:     rules/60-voice.baton:1\n"),
        "{kept}"
    );
    let output = baton_test(&dir, &["--rules", "rules", "--ci"], "");
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn ci_systems_get_a_report_even_when_the_rules_have_errors() {
    let dir = workspace("invalid-ci");
    edit(
        &dir.join("rules/50-routine.baton"),
        "then continue",
        "then contine",
    );
    let output = baton_test(&dir, &["--format", "junit"], "");
    assert_eq!(output.status.code(), Some(1));
    let xml = stdout(&output);
    assert!(
        xml.contains("<testcase classname=\"rules/\" name=\"the rules load\">"),
        "{xml}"
    );
    assert!(
        xml.contains("<error message=\"the rules have 1 error(s); no test was run\">"),
        "{xml}"
    );
    let output = baton_test(&dir, &["--format", "json"], "");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["passed"], false);
    assert_eq!(
        report["diagnostics"]["diagnostics"][0]["code"], "E0101",
        "{report}"
    );
}
