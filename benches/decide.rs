//! Decision throughput over real conversations, measured against bare
//! `serde_json` parsing of the same bytes in the same run.
//!
//! `cargo bench --bench decide` reads `../shared/data/conversations.jsonl`
//! when it is there (the whole corpus), else the slice in `tests/data/`.
//! Each measurement is the best of several passes over every conversation.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use baton::runtime::{Options, time::parse_rfc3339};

fn main() {
    let corpus = ["../shared/data/conversations.jsonl", "tests/data/conversations-slice.jsonl"]
        .iter()
        .map(Path::new)
        .find(|p| p.exists())
        .expect("a corpus");
    let text = std::fs::read_to_string(corpus).expect("corpus readable");
    let lines: Vec<&str> = text.lines().collect();
    let bytes = text.len();
    let rules = baton::Rules::load(&[PathBuf::from("rules")], &baton::Limits::default()).expect("bundled rules");
    let plain = Options {
        now: parse_rfc3339("2026-11-28T00:00:00Z"),
        explain: false,
    };
    let explain = Options {
        explain: true,
        ..plain.clone()
    };

    println!("corpus: {} ({} conversations, {:.1} MB)", corpus.display(), lines.len(), bytes as f64 / 1e6);
    println!("rules:  rules/ ({} rules, {} nodes)", rules.graph().rules.len(), rules.graph().nodes.len());
    println!();
    println!("| what | per conversation | conversations/s | MB/s | vs parsing |");
    println!("| --- | ---: | ---: | ---: | ---: |");

    let parse = best(|| {
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
        best(|| {
            for line in &lines {
                black_box(rules.decide_str(line, &plain).expect("decided"));
            }
        }),
    );
    report(
        "decide and write the JSON line (`baton decide`)",
        best(|| {
            for line in &lines {
                let decision = rules.decide_str(line, &plain).expect("decided");
                black_box(serde_json::to_string(&decision).expect("serialised"));
            }
        }),
    );
    report(
        "decide with `--explain`, written",
        best(|| {
            for line in &lines {
                let decision = rules.decide_str(line, &explain).expect("decided");
                black_box(serde_json::to_string(&decision).expect("serialised"));
            }
        }),
    );
}

/// The fastest of at least 5 passes and at least 3 seconds of passes.
fn best(mut pass: impl FnMut()) -> Duration {
    pass();
    let started = Instant::now();
    let mut fastest = Duration::MAX;
    let mut runs = 0;
    while runs < 5 || started.elapsed() < Duration::from_secs(3) {
        let t = Instant::now();
        pass();
        fastest = fastest.min(t.elapsed());
        runs += 1;
    }
    fastest
}
