//! `baton backtest` of the bundled rules on the whole corpus, as a user
//! runs it: the release binary, from reading the file to printing the
//! report (with the page written too), fastest of several runs.
//!
//! `cargo bench --bench backtest`. Target: the 20 MB corpus in under 2 s.

mod common;

use std::process::Command;

fn main() {
    let (path, text) = common::data("conversations.jsonl", "conversations-slice.jsonl");
    let page = std::env::temp_dir().join(format!("baton-backtest-{}.html", std::process::id()));
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_baton"))
            .args(["backtest", "--now", "2026-11-28T00:00:00Z", &path])
            .args(args)
            .output()
            .expect("baton runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let html = page.display().to_string();
    let table = common::best(5, 3, || run(&[]));
    let with_page = common::best(5, 3, || run(&["--html", &html]));
    let json = common::best(5, 3, || run(&["--format", "json"]));
    let _ = std::fs::remove_file(&page);
    let mb = text.len() as f64 / 1e6;
    let lines = text.lines().count();
    println!("corpus: {path}, {lines} conversations, {mb:.1} MB");
    println!("| report | time | conversations/s |");
    println!("| --- | ---: | ---: |");
    for (what, took) in [
        ("table", table),
        ("table and page", with_page),
        ("JSON", json),
    ] {
        println!(
            "| {what} | {:.2} s | {:.0} |",
            took.as_secs_f64(),
            lines as f64 / took.as_secs_f64()
        );
    }
}
