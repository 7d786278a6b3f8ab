//! The documentation cannot rot: every rule example in `docs/language.md`
//! is checked, and `docs/diagnostics.md` shows, for every code, the fixture
//! that triggers it and exactly what baton prints for it.

mod common;

use std::path::Path;

use baton::diagnostic::Code;
use baton::source::{SourceFile, Sources};
use common::{Block, blocks, fixture_limits, render};

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("doc exists")
}

fn check_text(name: &str, text: &str) -> baton::diagnostic::Diagnostics {
    let mut sources = Sources::new();
    sources.add(SourceFile::new(name, text));
    let gaps = text.contains("# check: --gaps");
    baton::analysis::check_and_analyse(&sources, &fixture_limits(text), gaps).1
}

#[test]
fn every_rule_example_in_the_language_reference_checks_as_marked() {
    let doc = read("docs/language.md");
    let examples: Vec<Block> = blocks(&doc)
        .into_iter()
        .filter(|b| b.info.starts_with("baton"))
        .collect();
    assert!(
        examples.len() >= 15,
        "only {} examples found",
        examples.len()
    );
    for block in examples {
        let name = format!("docs/language.md:{}", block.line);
        let diagnostics = check_text(&name, &block.text);
        match block.info.strip_prefix("baton expect=") {
            Some(code) => assert!(
                diagnostics.iter().any(|d| d.code.as_str() == code),
                "{name} should report {code}, reported:\n{}",
                render(&diagnostics)
            ),
            None => assert!(diagnostics.is_empty(), "{name}:\n{}", render(&diagnostics)),
        }
    }
}

/// The sections of diagnostics.md, keyed by the code in their heading.
fn sections(doc: &str) -> Vec<(String, String)> {
    doc.split("\n## ")
        .skip(1)
        .map(|s| {
            let (heading, body) = s.split_once('\n').unwrap_or((s, ""));
            (heading.trim().to_string(), body.to_string())
        })
        .collect()
}

#[test]
fn every_code_is_documented_once_in_order_with_its_title() {
    let doc = read("docs/diagnostics.md");
    let headings: Vec<String> = sections(&doc).into_iter().map(|(h, _)| h).collect();
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(headings, codes);
    for code in Code::ALL {
        let row = format!(
            "| [{code}](#{}) | {} |",
            code.as_str().to_lowercase(),
            code.title()
        );
        assert!(doc.contains(&row), "the table lacks `{row}`");
    }
}

#[test]
fn each_documented_example_is_its_fixture_and_prints_what_the_page_shows() {
    let doc = read("docs/diagnostics.md");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for (code, body) in sections(&doc) {
        let fixtures: Vec<_> = ["syntax", "check", "runtime"]
            .iter()
            .flat_map(|stage| std::fs::read_dir(root.join(stage).join("err")).expect("fixtures"))
            .map(|e| e.expect("entry").path())
            .filter(|p| common::code_of(p) == code)
            .collect();
        assert!(!fixtures.is_empty(), "{code} has no fixture");
        let found = blocks(&body);
        if code.starts_with("E04") || code.starts_with("W04") {
            input_example(&code, &fixtures, &found);
            continue;
        }
        let example = found.iter().find(|b| b.info == "baton");
        let Some(example) = example else {
            // A file that is not UTF-8 cannot be shown on a UTF-8 page; its
            // entry describes the fixture instead, and the fixture is tested.
            assert_eq!(code, "E0107", "{code} shows no example");
            continue;
        };
        let is_fixture =
            |p: &std::path::PathBuf| std::fs::read_to_string(p).is_ok_and(|t| t == example.text);
        assert!(
            fixtures.iter().any(is_fixture),
            "{code}: the example on the page is none of its fixtures"
        );
        let shown = found
            .iter()
            .find(|b| b.info == "text")
            .expect("the page shows the output");
        let printed = render(&check_text("example.baton", &example.text));
        assert_eq!(
            shown.text.trim_end(),
            printed.trim_end(),
            "{code}: the page shows other output"
        );
    }
}

/// A conversation example: the input is one of the code's fixtures, and the
/// page shows the error record (`E04xx`) or the warnings (`W04xx`) that
/// `baton decide` gives for it.
fn input_example(code: &str, fixtures: &[std::path::PathBuf], found: &[Block]) {
    let input = found
        .iter()
        .find(|b| b.info == "jsonl")
        .expect("the page shows the input");
    let fixture = fixtures
        .iter()
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t == input.text))
        .unwrap_or_else(|| panic!("{code}: the example on the page is none of its fixtures"));
    let shown: serde_json::Value = serde_json::from_str(
        &found
            .iter()
            .find(|b| b.info == "json")
            .expect("the page shows the output")
            .text,
    )
    .expect("the page shows JSON");
    let output = &common::decide_fixture(&common::relative(fixture))[0];
    let actual = if code.starts_with('E') {
        output.clone()
    } else {
        output["warnings"].clone()
    };
    assert_eq!(shown, actual, "{code}: the page shows other output");
}

#[test]
fn the_rules_of_the_input_examples_are_the_ones_shown() {
    let doc = read("docs/diagnostics.md");
    let intro = doc.split("\n## ").next().expect("an introduction");
    let shown = blocks(intro)
        .into_iter()
        .find(|b| b.info == "baton")
        .expect("the rules are shown");
    assert_eq!(shown.text, read("tests/fixtures/runtime/rules.baton"));
}

/// `docs/testing.md` shows a snapshot and a failure report as baton writes
/// them: the snapshot is the one kept for `examples/looping.json`, the
/// report is what the matching fixture prints, and its rule examples are
/// tests the bundled rules hold.
#[test]
fn the_testing_page_shows_what_baton_test_writes() {
    let doc = read("docs/testing.md");
    let found = blocks(&doc);
    let snapshot = read("examples/looping.decision.txt");
    assert!(
        found.iter().any(|b| b.text == snapshot),
        "docs/testing.md should show examples/looping.decision.txt as it is"
    );

    let report = found
        .iter()
        .find(|b| b.text.starts_with("  FAILED  a disputed charge"))
        .expect("the page shows a failing test");
    let fixture = "tests/fixtures/testing/fail_wrong_queue_and_priority.baton";
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["test", "--no-snapshots", "--rules", fixture])
        .env("NO_COLOR", "1")
        .output()
        .expect("baton runs");
    let printed = String::from_utf8_lossy(&output.stdout).replace(fixture, "rules/billing.baton");
    assert!(
        printed.contains(&report.text),
        "the page's report is not what baton prints:\n{printed}"
    );

    let bundled: String = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
        .expect("rules/")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("readable"))
        .collect();
    for block in found.iter().filter(|b| b.info == "baton") {
        for test in block.text.split("\n\n") {
            assert!(
                bundled.contains(test.trim_end()),
                "docs/testing.md shows a test the bundled rules do not hold:\n{test}"
            );
        }
    }
}

/// Every file of the repository a page names in backquotes (a fixture, a
/// test, a script) is there, so a reader who follows one finds it.
#[test]
fn every_file_the_docs_name_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut named = 0;
    for page in std::fs::read_dir(root.join("docs")).expect("docs/") {
        let page = page.expect("entry").path();
        if page.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&page).expect("page is UTF-8");
        for quoted in text.split('`').skip(1).step_by(2) {
            let is_path = ["tests/", "scripts/", "fuzz/", "benches/"]
                .iter()
                .any(|p| quoted.starts_with(p))
                && !quoted.contains(|c: char| c.is_whitespace() || "*{}<>:".contains(c));
            if is_path {
                named += 1;
                assert!(
                    root.join(quoted).exists(),
                    "{} names `{quoted}`, which is not there",
                    page.display()
                );
            }
        }
    }
    assert!(named >= 10, "only {named} paths found: the scan is broken");
}
