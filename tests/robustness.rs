//! No rule file makes `check` panic, hang or overflow the stack: it gives a
//! diagnostic instead, and the rest of the file is still checked.

mod common;

use baton::Limits;
use baton::diagnostic::{Diagnostics, Severity};
use baton::source::{SourceFile, Sources};

fn check(text: &str) -> Diagnostics {
    let mut sources = Sources::new();
    sources.add(SourceFile::new("hostile.baton", text));
    baton::check_sources(&sources, &Limits::default()).diagnostics
}

/// Checks on a thread with a small stack, as a server worker might have.
fn check_on_small_stack(text: String) -> Diagnostics {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(move || check(&text))
        .expect("thread")
        .join()
        .expect("check does not panic or overflow")
}

fn codes(d: &Diagnostics) -> Vec<&'static str> {
    d.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn ten_thousand_nested_parentheses_give_a_diagnostic() {
    let deep = format!(
        "when {}loops > 1{} then continue\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let text = format!("{deep}when loops > 2 then handoff to nowhere\n");
    let d = check_on_small_stack(text);
    assert_eq!(codes(&d), ["E0105", "E0201"], "{}", common::render(&d));
}

#[test]
fn brackets_the_nesting_check_once_missed_give_a_diagnostic() {
    let deep = format!("{}loops > 1{}", "(".repeat(10_000), ")".repeat(10_000));
    let after = "when loops > 2 then handoff to nowhere\n";
    // A rule's header on a line of its own, before an unindented `when`.
    let d = check_on_small_stack(format!("rule \"a\"\nwhen {deep} then continue\n{after}"));
    assert_eq!(codes(&d), ["E0105", "E0201"], "{}", common::render(&d));
    // A test whose transcript gives a line to a role named like an item's
    // first word, which starts an item when it starts a line.
    let d = check_on_small_stack(format!(
        "test \"t\" given\nqueue: \"hi\"\n  with x = {deep}\n  expect continue\n{after}"
    ));
    assert_eq!(codes(&d), ["E0105", "E0201"], "{}", common::render(&d));
    // Brackets left open before a rule: the rule's own count from its start.
    let d = check_on_small_stack(format!(
        "{}\nwhen {deep} then continue\n{after}",
        "(".repeat(33)
    ));
    assert_eq!(
        codes(&d),
        ["E0105", "E0105", "E0201"],
        "{}",
        common::render(&d)
    );
    // Text opened by a single quote and closed by a double one, as the
    // grammar reads it: the brackets after it are not quoted.
    let d = check_on_small_stack(format!(
        "when intent == 'a\" or {deep} then continue\n{after}"
    ));
    assert_eq!(codes(&d), ["E0105", "E0201"], "{}", common::render(&d));
}

#[test]
fn long_chains_of_not_minus_and_arithmetic_give_a_diagnostic() {
    let text = format!(
        "when {}asked_for_human then continue\nlet x = {}1\nwhen loops{} > 1 then continue\n",
        "not ".repeat(10_000),
        "- ".repeat(10_000),
        " + 1".repeat(10_000)
    );
    let d = check_on_small_stack(text);
    assert_eq!(
        codes(&d),
        ["E0105", "E0105", "E0105"],
        "{}",
        common::render(&d)
    );
}

#[test]
fn ten_thousand_conditions_joined_with_and_are_fine() {
    let terms: Vec<String> = (0..10_000).map(|i| format!("turns != {i}")).collect();
    let text = format!("when {} then continue\n", terms.join(" and "));
    let d = check_on_small_stack(text);
    assert!(d.is_empty(), "{}", common::render(&d));
}

#[test]
fn a_long_chain_of_lets_gives_a_diagnostic_without_deep_recursion() {
    let mut text = String::from("let l0 = loops > 1\n");
    for i in 1..10_000 {
        text.push_str(&format!("let l{i} = l{} or turns > {i}\n", i - 1));
    }
    text.push_str("when l9999 then continue\n");
    let d = check_on_small_stack(text);
    assert_eq!(codes(&d), ["E0105"], "{}", common::render(&d));
    assert!(
        d.iter()
            .next()
            .is_some_and(|d| d.message.contains("`let`s it is built on"))
    );
}

#[test]
fn a_chain_of_lets_within_the_limit_is_fine() {
    let mut text = String::from("let l0 = loops > 1\n");
    for i in 1..60 {
        text.push_str(&format!("let l{i} = l{} or turns > {i}\n", i - 1));
    }
    text.push_str("when l59 then continue\n");
    let d = check_on_small_stack(text);
    assert!(d.is_empty(), "{}", common::render(&d));
}

#[test]
fn a_ten_megabyte_file_gives_a_diagnostic() {
    let text = "when loops > 1 then continue\n".repeat(10 * 1024 * 1024 / 29 + 1);
    assert!(text.len() > 10 * 1024 * 1024);
    let d = check(&text);
    assert_eq!(codes(&d), ["E0106"]);
}

#[test]
fn a_file_of_garbage_stops_after_the_error_limit() {
    let text = "when @@@ ### !!!\n".repeat(100);
    let d = check(&text);
    assert_eq!(d.len(), Limits::default().max_syntax_errors + 1);
    assert_eq!(d.iter().last().map(|d| d.code.as_str()), Some("E0113"));
}

/// Every prefix of every bundled rule file (a file cut off while being
/// saved, or a rule cut off at the end) checks without panicking, and any
/// error it reports points inside the file.
#[test]
fn every_cut_off_bundled_file_is_reported_not_crashed() {
    for entry in std::fs::read_dir("rules").expect("rules/") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("UTF-8");
        let cuts = (0..text.len())
            .step_by(3)
            .filter(|&i| text.is_char_boundary(i));
        for cut in cuts {
            let prefix = &text[..cut];
            for d in check(prefix)
                .iter()
                .filter(|d| d.severity() == Severity::Error)
            {
                let label = d.primary().expect("errors are located");
                assert!(label.offset + label.length <= prefix.len(), "{}", d.message);
            }
        }
    }
}

/// Deleting any one character of a bundled file never crashes the checker.
#[test]
fn single_character_deletions_are_reported_not_crashed() {
    let text = std::fs::read_to_string("rules/20-vip.baton").expect("UTF-8");
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for &(at, c) in chars.iter().step_by(2) {
        let mut edited = text.clone();
        edited.replace_range(at..at + c.len_utf8(), "");
        let _ = check(&edited);
    }
}
