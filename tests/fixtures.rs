//! Fixture files, one stage folder each: `ok` files must give no
//! diagnostic, `err` files must give the code their name starts with. What a
//! user sees is pinned by insta snapshots under `tests/snapshots/`.

mod common;

use std::path::Path;

use baton::source::{SourceFile, Sources};
use common::{check_paths, code_of, relative, render, sexpr};

/// Syntax `ok` fixtures parse with no problem; their trees are snapshotted,
/// so precedence and spans are reviewed once and then pinned.
#[test]
fn syntax_ok_fixtures_parse_cleanly() {
    insta::glob!("fixtures/syntax/ok/*.baton", |path| {
        let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
        let mut sources = Sources::new();
        let name = relative(path).display().to_string();
        let id = sources.add(SourceFile::new(name, text));
        let parsed = baton::syntax::parse_file(id, sources.get(id), &baton::Limits::default());
        assert!(
            parsed.diagnostics.is_empty(),
            "{}",
            parsed
                .diagnostics
                .iter()
                .map(baton::diagnostic::render_plain)
                .collect::<String>()
        );
        insta::assert_snapshot!(sexpr(&parsed.items));
    });
}

/// Check `ok` fixtures give no diagnostic at all, not even a warning.
#[test]
fn check_ok_fixtures_have_no_diagnostics() {
    insta::glob!("fixtures/check/ok/*.baton", |path| {
        let (_, diagnostics) = check_paths(&[relative(path)]);
        assert!(diagnostics.is_empty(), "{}", render(&diagnostics));
    });
}

/// Every `err` fixture reports its own code, and what it prints is pinned.
#[test]
fn err_fixtures_report_their_code() {
    insta::glob!("fixtures/{syntax,check}/err/*.baton", |path| {
        let (_, diagnostics) = check_paths(&[relative(path)]);
        let code = code_of(path);
        assert!(
            diagnostics.iter().any(|d| d.code.as_str() == code),
            "{} should report {code}, reported:\n{}",
            path.display(),
            render(&diagnostics)
        );
        insta::assert_snapshot!(render(&diagnostics));
    });
}

/// Every conversation fixture reports its code, as an error record or a
/// warning in the decision, and what the user sees is pinned.
#[test]
fn input_fixtures_report_their_code() {
    insta::glob!("fixtures/runtime/err/*.jsonl", |path| {
        let code = code_of(path);
        let outputs = common::decide_fixture(&relative(path));
        let reported = outputs.iter().any(|o| {
            o["error"]["code"] == code.as_str()
                || o["warnings"]
                    .as_array()
                    .is_some_and(|w| w.iter().any(|w| w["code"] == code.as_str()))
        });
        assert!(
            reported,
            "{} should report {code}: {outputs:#?}",
            path.display()
        );
        let views: Vec<serde_json::Value> = outputs.iter().map(common::outcome_view).collect();
        insta::assert_json_snapshot!(views);
    });
}

/// Every diagnostic code has at least one `err` fixture, and every fixture
/// is named after a real code.
#[test]
fn every_code_has_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut fixtures = Vec::new();
    for stage in ["syntax", "check", "runtime"] {
        for entry in std::fs::read_dir(root.join(stage).join("err")).expect("fixture folder") {
            fixtures.push(code_of(&entry.expect("entry").path()));
        }
    }
    let codes: Vec<&str> = baton::diagnostic::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    for code in &codes {
        assert!(fixtures.iter().any(|f| f == code), "{code} has no fixture");
    }
    for fixture in &fixtures {
        assert!(
            codes.contains(&fixture.as_str()),
            "fixture for unknown code {fixture}"
        );
    }
}

/// `baton test` on rule files whose tests pass (`pass_*`) or fail
/// (`fail_*`): the exit status says which, and the report (what was
/// expected, what came out, which rule decided and why) is pinned.
#[test]
fn test_fixtures_report_what_failed_and_why() {
    insta::glob!("fixtures/testing/*.baton", |path| {
        let rules = relative(path);
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
            .args(["test", "--no-snapshots", "--rules"])
            .arg(&rules)
            .env("NO_COLOR", "1")
            .output()
            .expect("baton runs");
        let name = rules.file_name().expect("name").to_string_lossy();
        let expected = if name.starts_with("pass_") { 0 } else { 1 };
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            output.status.code(),
            Some(expected),
            "{}:\n{stdout}{}",
            rules.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        insta::assert_snapshot!(stdout);
    });
}
