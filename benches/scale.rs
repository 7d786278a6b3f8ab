//! Checking and compiling generated rulesets of 100, 1,000 and 10,000
//! rules: time in this process (best of several runs), and the peak memory
//! of `baton decide` loading them (the whole process, read by
//! `/usr/bin/time`), to show growth is linear.
//!
//! `cargo bench --bench scale`. The generated rules look like a large
//! team's: several files, shared `let`s, fields with `one of` lists,
//! comparisons, `in` lists, patterns, messages with `{...}` and tests.

mod common;

use std::process::{Command, Stdio};

use baton::source::{SourceFile, Sources};

const INTENTS: [&str; 8] = [
    "refund",
    "billing_dispute",
    "order_status",
    "cancel_subscription",
    "password_reset",
    "shipping_info",
    "account_access",
    "complaint",
];

/// A ruleset of `n` rules in `n / 500 + 1` files.
fn generate(n: usize) -> Sources {
    let files = n / 500 + 1;
    let mut sources = Sources::new();
    let mut setup = String::new();
    for q in 0..20 {
        setup.push_str(&format!("queue q{q} \"Queue {q}\" sla {}m\n", 15 * (q + 1)));
    }
    setup.push_str(
        "field customer.tier : text one of [\"free\", \"pro\", \"enterprise\"]\n\
         field customer.arr : number\n\
         field refund.amount : number\n\
         field order.id : text\n\
         let angry = sentiment < -0.6 or customer_text matches \"(?i)\\\\b(furious|useless)\\\\b\"\n\
         let vip = customer.tier == \"enterprise\" or customer.arr >= 50_000\n\
         default continue\n",
    );
    sources.add(SourceFile::new("rules/00-setup.baton", setup));
    let per_file = n.div_ceil(files);
    for f in 0..files {
        let mut text = String::new();
        for i in f * per_file..((f + 1) * per_file).min(n) {
            let intent = INTENTS[i % INTENTS.len()];
            let condition = match i % 4 {
                0 => format!(
                    "intent == \"{intent}_{i}\" and (angry or loops >= {})",
                    2 + i % 3
                ),
                1 => format!(
                    "intent in [\"{intent}\", \"{intent}_{i}\"] and refund.amount > {} and not vip",
                    100 + i
                ),
                2 => format!(
                    "channel == \"chat\" and waiting > {}m and customer_turns >= {}",
                    5 + i % 50,
                    1 + i % 5
                ),
                _ => format!(
                    "(sentiment_min < -0.{} or failed_attempts >= {}) and intent == \"{intent}_{i}\"",
                    1 + i % 9,
                    1 + i % 4
                ),
            };
            text.push_str(&format!(
                "rule \"Rule {i}\"\n  when {condition}\n  then handoff to q{} priority {}\n    tag \"t{}\"\n    reason \"Rule {i} for {{intent}}\"\n\n",
                i % 20,
                ["low", "normal", "high", "urgent"][i % 4],
                i % 50
            ));
            if i % 100 == 0 {
                text.push_str(&format!(
                    "test \"rule {i}\"\n  given\n    customer: \"hello\"\n  with intent = \"{intent}_{i}\"\n  expect continue\n\n"
                ));
            }
        }
        sources.add(SourceFile::new(
            format!("rules/{:02}-generated.baton", f + 1),
            text,
        ));
    }
    sources
}

/// The peak resident memory, in kB, of `baton decide` loading the rules
/// in `dir` and deciding nothing.
fn peak_kb(dir: &std::path::Path) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_baton"))
        .args(["decide", "--rules"])
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

fn main() {
    println!(
        "| rules | files | bytes | check + compile | per rule | peak memory of `baton decide` |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: |");
    let base = std::env::temp_dir().join(format!("baton-scale-{}", std::process::id()));
    for n in [100, 1_000, 10_000] {
        let sources = generate(n);
        let dir = base.join(n.to_string());
        std::fs::create_dir_all(dir.join("rules")).expect("scratch folder");
        for (_, file) in sources.iter() {
            std::fs::write(dir.join(file.name()), file.text()).expect("writes");
        }
        let bytes: usize = sources.iter().map(|(_, f)| f.text().len()).sum();
        let limits = baton::Limits::default();
        // As `baton` loads rules: parse, check and compile, with the lints
        // beside compiling (`Rules::build`).
        let check_and_compile = || {
            let rules = baton::Rules::build(
                sources.clone(),
                baton::diagnostic::Diagnostics::new(),
                &limits,
            );
            // Returned, so that freeing it is not timed.
            std::hint::black_box(rules.expect("the generated rules load"))
        };
        let took = common::best(5, 5, check_and_compile);
        let peak = peak_kb(&dir.join("rules"))
            .map_or("-".to_string(), |kb| format!("{:.1} MB", kb as f64 / 1e3));
        println!(
            "| {n} | {} | {} | {:.1} ms | {:.1} µs | {peak} |",
            sources.len(),
            bytes,
            took.as_secs_f64() * 1e3,
            took.as_secs_f64() * 1e6 / n as f64,
        );
    }
    if std::env::var_os("BATON_KEEP_SCALE").is_none() {
        let _ = std::fs::remove_dir_all(&base);
    } else {
        println!("kept in {}", base.display());
    }
}
