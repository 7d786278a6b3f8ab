//! Decision throughput over real conversations, measured against bare
//! `serde_json` parsing of the same bytes in the same run.
//!
//! `cargo bench --bench decide` reads `../shared/data/conversations.jsonl`
//! when it is there (the whole corpus), else the slice in `tests/data/`.
//! Each measurement is the best of several passes over every conversation.

mod common;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use baton::runtime::{Options, time::parse_rfc3339};

fn main() {
    let (corpus, text) = common::data("conversations.jsonl", "conversations-slice.jsonl");
    let lines: Vec<&str> = text.lines().collect();
    let bytes = text.len();
    let rules = baton::Rules::load(&[PathBuf::from("rules")], &baton::Limits::default())
        .expect("bundled rules");
    let plain = Options {
        now: parse_rfc3339("2026-11-28T00:00:00Z"),
        explain: false,
    };
    let explain = Options {
        explain: true,
        ..plain.clone()
    };

    println!(
        "corpus: {} ({} conversations, {:.1} MB)",
        corpus,
        lines.len(),
        bytes as f64 / 1e6
    );
    println!(
        "rules:  rules/ ({} rules, {} nodes)",
        rules.graph().rules.len(),
        rules.graph().nodes.len()
    );
    println!();
    println!("| what | per conversation | conversations/s | MB/s | vs parsing |");
    println!("| --- | ---: | ---: | ---: | ---: |");

    let parse = common::best(5, 3, || {
        for line in &lines {
            black_box(serde_json::from_str::<serde_json::Value>(line).expect("valid JSON"));
        }
    });
    let report = |what: &str, took: Duration| {
        let per = took.as_secs_f64() / lines.len() as f64;
        println!(
            "| {what} | {:.1} µs | {:.0} | {:.1} | {:.2} |",
            per * 1e6,
            1.0 / per,
            bytes as f64 / took.as_secs_f64() / 1e6,
            parse.as_secs_f64() / took.as_secs_f64()
        );
    };
    report("bare `serde_json` parse to `Value`", parse);
    report(
        "decide (parse, evaluate, brief)",
        common::best(5, 3, || {
            for line in &lines {
                black_box(rules.decide_str(line, &plain).expect("decided"));
            }
        }),
    );
    report(
        "decide and write the JSON line (`baton decide`)",
        common::best(5, 3, || {
            for line in &lines {
                let decision = rules.decide_str(line, &plain).expect("decided");
                black_box(serde_json::to_string(&decision).expect("serialised"));
            }
        }),
    );
    report(
        "decide with `--explain`, written",
        common::best(5, 3, || {
            for line in &lines {
                let decision = rules.decide_str(line, &explain).expect("decided");
                black_box(serde_json::to_string(&decision).expect("serialised"));
            }
        }),
    );
}
