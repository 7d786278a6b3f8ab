//! Decision throughput over real conversations, measured against bare
//! `serde_json` parsing of the same bytes in the same run.
//!
//! `cargo bench --bench decide` reads `../shared/data/conversations.jsonl`
//! when it is there (the whole corpus), else the slice in `tests/data/`.
//! Each measurement is the best of several passes over every conversation,
//! the kinds of pass taken in turns.

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

    // Every kind of pass in turns, so that a slow spell of the machine
    // slows parsing and deciding alike.
    let times = common::best_in_turns(
        5,
        10,
        &mut [
            &mut || {
                for line in &lines {
                    black_box(serde_json::from_str::<serde_json::Value>(line).expect("valid JSON"));
                }
            },
            &mut || {
                for line in &lines {
                    black_box(rules.decide_str(line, &plain).expect("decided"));
                }
            },
            &mut || {
                for line in &lines {
                    let decision = rules.decide_str(line, &plain).expect("decided");
                    black_box(decision.to_json().expect("serialised"));
                }
            },
            &mut || {
                for line in &lines {
                    let decision = rules.decide_str(line, &explain).expect("decided");
                    black_box(decision.to_json().expect("serialised"));
                }
            },
        ],
    );
    let parse = times[0];
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
    report("decide (parse, evaluate, brief)", times[1]);
    report("decide and write the JSON line (`baton decide`)", times[2]);
    report("decide with `--explain`, written", times[3]);
}
