//! The examples of the language contract are normative: written exactly as
//! the contract gives them (the `language_*` fixtures), together they form a
//! ruleset that checks without error.

mod common;

use std::path::PathBuf;

use common::{check_paths, render};

#[test]
fn the_contract_examples_check_together_without_error() {
    let files: Vec<PathBuf> = ["declarations", "one_liner", "named_rule", "tests"]
        .iter()
        .map(|name| PathBuf::from(format!("tests/fixtures/syntax/ok/language_{name}.baton")))
        .collect();
    let (_, diagnostics) = check_paths(&files);
    assert_eq!(diagnostics.errors(), 0, "{}", render(&diagnostics));
    // The contract declares `security` and `tier2` without a rule for them;
    // and read as one ruleset, its one-liner (any upset customer to billing,
    // high) comes before its named rule (upset enterprise customers to
    // billing, urgent). baton says so, and nothing else.
    let warnings: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        warnings,
        [
            "no rule hands conversations to queue `security`",
            "no rule hands conversations to queue `tier2`",
            "rules `tests/fixtures/syntax/ok/language_one_liner.baton:1` and `Angry enterprise customers go to billing` both match some conversations, and the earlier one silently wins: handoff to billing priority high instead of handoff to billing priority urgent",
        ]
    );
}

#[test]
fn the_one_liner_reads_as_the_contract_says() {
    let (sources, diagnostics) = check_paths(&[
        PathBuf::from("tests/fixtures/syntax/ok/language_declarations.baton"),
        PathBuf::from("tests/fixtures/syntax/ok/language_one_liner.baton"),
    ]);
    assert_eq!(diagnostics.errors(), 0, "{}", render(&diagnostics));
    let checked = baton::check_sources(&sources, &baton::Limits::default());
    let rule = &checked.ruleset.rules[0];
    assert_eq!(
        checked.ruleset.show(&rule.when),
        "sentiment < -0.6 or loops >= 2"
    );
    assert_eq!(
        rule.name,
        "tests/fixtures/syntax/ok/language_one_liner.baton:1"
    );
    assert_eq!(rule.outcome.priority.as_str(), "high");
}
