//! The signals read from the conversation: how well they do on real text,
//! and what each costs per conversation. Figures for `docs/signals.md` and
//! `docs/performance.md`.
//!
//! `cargo bench --bench signals` reads the whole corpus and phrase lists from
//! `../shared/data/` when they are there, else the copies in `tests/data/`.

mod common;

use std::hint::black_box;

use baton::runtime::text::{failures, repeats, requests};
use baton::runtime::{Options, time::parse_rfc3339};
use serde_json::{Value, json};

fn data(shared: &str, local: &str) -> String {
    let (path, text) = common::data(shared, local);
    println!("reading {path}");
    text
}

fn jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect()
}

fn rules(signal: &str) -> baton::Rules {
    baton::Rules::from_text(
        "bench.baton",
        &format!("queue q\nrule \"r\" when {signal} exists then handoff to q\n"),
    )
    .expect("rules")
}

fn value(rules: &baton::Rules, conversation: &Value, signal: &str, options: &Options) -> Value {
    let d = rules.decide(conversation, options).expect("decided");
    d.brief
        .signals
        .0
        .into_iter()
        .find(|(n, _)| n == signal)
        .map_or(Value::Null, |(_, v)| v)
}

fn main() {
    let corpus = jsonl(&data("conversations.jsonl", "conversations-slice.jsonl"));
    let bitext = jsonl(&data(
        "phrases/bitext_contact_human_agent.jsonl",
        "phrases/bitext_contact_human_agent.jsonl",
    ));
    let tau = jsonl(&data(
        "phrases/taubench_transfer_requests.jsonl",
        "phrases/taubench_transfer_requests.jsonl",
    ));
    let options = Options {
        now: parse_rfc3339("2026-11-28T00:00:00Z"),
        explain: false,
    };
    println!();
    asked_for_human(&corpus, &bitext, &tau, &options);
    sentiment(&corpus, &options);
    loops(&corpus);
    failed(&corpus);
    cost(&corpus, &options);
}

fn single(text: &str) -> Value {
    json!({ "messages": [{ "role": "customer", "text": text }] })
}

fn asked_for_human(corpus: &[Value], bitext: &[Value], tau: &[Value], options: &Options) {
    let r = rules("asked_for_human");
    let yes = |c: &Value| value(&r, c, "asked_for_human", options) == json!(true);
    let found = bitext
        .iter()
        .filter(|p| yes(&single(p["text"].as_str().unwrap_or(""))))
        .count();
    println!("## asked_for_human");
    println!(
        "bitext requests, single messages: {found} of {} ({:.1}%)",
        bitext.len(),
        100.0 * found as f64 / bitext.len() as f64
    );
    let alone = tau
        .iter()
        .filter(|p| yes(&single(p["text"].as_str().unwrap_or(""))))
        .count();
    println!(
        "tau-bench transfer requests, single messages: {alone} of {}",
        tau.len()
    );
    let mut in_context = 0;
    for p in tau {
        let Some(c) = corpus.iter().find(|c| c["id"] == p["conversation_id"]) else {
            continue;
        };
        let messages = c["messages"].as_array().cloned().unwrap_or_default();
        let text = p["text"].as_str().unwrap_or("").trim();
        let Some(at) = messages
            .iter()
            .position(|m| m["text"].as_str().is_some_and(|t| t.trim() == text))
        else {
            continue;
        };
        let mut cut = c.clone();
        cut["messages"] = Value::Array(messages[..=at].to_vec());
        in_context += usize::from(yes(&cut));
    }
    println!(
        "tau-bench transfer requests, in their conversations: {in_context} of {}",
        tau.len()
    );

    let words = regex::Regex::new(r"(?i)\b(agents?|humans?|person|people|representatives?|reps?|operators?|someone|somebody|anyone|anybody|managers?|supervisors?|staff|employees?|customer|call|calling|phone|talk|speak|transfer|escalate|contact|assistant)\b").expect("pattern");
    let (mut negatives, mut fp, mut with_words, mut flagged) = (0, 0, 0, Vec::new());
    for c in corpus.iter().filter(|c| c["metadata"]["source"] == "STAR") {
        for m in c["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| m["role"] == "customer")
        {
            let text = m["text"].as_str().unwrap_or("");
            let asked = requests::asks_for_person(text);
            if words.is_match(text) {
                with_words += 1;
                if asked {
                    flagged.push(text.to_string());
                }
            } else {
                negatives += 1;
                fp += usize::from(asked);
            }
        }
    }
    println!(
        "STAR customer messages without request words: {fp} flagged of {negatives} ({:.3}%)",
        100.0 * fp as f64 / negatives.max(1) as f64
    );
    println!(
        "STAR customer messages with request words: {} flagged of {with_words}",
        flagged.len()
    );
    for f in &flagged {
        println!("    {f}");
    }
    let mut confusion = [[0; 2]; 2];
    for c in corpus
        .iter()
        .filter(|c| c["metadata"]["source"] == "tau-bench historical trajectories")
    {
        let transferred = c["metadata"]["transferred_to_human"] == json!(true);
        confusion[usize::from(transferred)][usize::from(yes(c))] += 1;
    }
    println!(
        "tau-bench trajectories (whole): transferred and asked {}, transferred not asked {}, not transferred but asked {}, neither {}",
        confusion[1][1], confusion[1][0], confusion[0][1], confusion[0][0]
    );
    println!();
}

/// The area under the ROC curve of `scores` for telling `positives` apart.
fn auc(scored: &[(f64, bool)]) -> f64 {
    let positives: Vec<f64> = scored.iter().filter(|s| s.1).map(|s| s.0).collect();
    let negatives: Vec<f64> = scored.iter().filter(|s| !s.1).map(|s| s.0).collect();
    let mut wins = 0.0;
    for p in &positives {
        for n in &negatives {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (positives.len() as f64 * negatives.len() as f64)
}

fn sentiment(corpus: &[Value], options: &Options) {
    let r = rules("sentiment_min");
    let mut scored = Vec::new();
    for c in corpus.iter().filter(|c| c["metadata"]["source"] == "STAR") {
        let label = &c["metadata"]["wizard_report"]["user_aggressive_or_annoyed"];
        let Some(annoyed) = label.as_bool() else {
            continue;
        };
        if let Some(min) = value(&r, c, "sentiment_min", options).as_f64() {
            scored.push((-min, annoyed));
        }
    }
    let annoyed = scored.iter().filter(|s| s.1).count();
    println!("## sentiment");
    println!(
        "STAR dialogues with a wizard report: {} ({annoyed} marked aggressive or annoyed); AUC of -sentiment_min: {:.3}",
        scored.len(),
        auc(&scored)
    );
    println!();
}

fn loops(corpus: &[Value]) {
    println!("## loops");
    let (mut agree, mut ours_only, mut labels_only, mut neither) = (0, 0, 0, 0);
    let mut by_source: std::collections::BTreeMap<String, (usize, usize, usize)> =
        Default::default();
    for c in corpus {
        let messages = c["messages"].as_array().cloned().unwrap_or_default();
        let side = |role: &str| {
            messages
                .iter()
                .filter(|m| m["role"] == role)
                .filter_map(|m| m["text"].as_str())
                .collect::<Vec<_>>()
        };
        let n = repeats::count(side("customer")) + repeats::count(side("bot"));
        let entry = by_source
            .entry(c["metadata"]["source"].as_str().unwrap_or("?").to_string())
            .or_default();
        entry.0 += 1;
        entry.1 += usize::from(n >= 1);
        entry.2 += usize::from(n >= 2);
        if c["metadata"]["source"] != "STAR" {
            continue;
        }
        // The wizard's repeated bot actions (the same label again, free text
        // aside) are a rough stand-in for the AI going round in circles.
        let labels: Vec<&str> = c["metadata"]["turn_labels"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| l.as_str())
            .filter(|l| *l != "free_text")
            .collect();
        let repeated_label = (1..labels.len()).any(|k| labels[..k].contains(&labels[k]));
        let ours = repeats::count(side("bot")) >= 1;
        match (ours, repeated_label) {
            (true, true) => agree += 1,
            (true, false) => ours_only += 1,
            (false, true) => labels_only += 1,
            (false, false) => neither += 1,
        }
    }
    for (source, (total, one, two)) in &by_source {
        println!(
            "{source}: {total} conversations, loops >= 1 in {one} ({:.1}%), >= 2 in {two} ({:.1}%)",
            100.0 * *one as f64 / *total as f64,
            100.0 * *two as f64 / *total as f64
        );
    }
    println!(
        "STAR AI repeats vs repeated bot action labels: both {agree}, repeat only {ours_only}, label only {labels_only}, neither {neither}"
    );
    println!();
}

fn failed(corpus: &[Value]) {
    let failure = regex::Regex::new(
        "fail|unavailable|cannot|nothing_found|not_available|no_venue|out_of_scope",
    )
    .expect("pattern");
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    for c in corpus.iter().filter(|c| c["metadata"]["source"] == "STAR") {
        let labels = c["metadata"]["turn_labels"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (m, label) in c["messages"].as_array().into_iter().flatten().zip(labels) {
            if m["role"] != "bot" {
                continue;
            }
            let Some(label) = label.as_str().filter(|l| *l != "free_text") else {
                continue;
            };
            let truth = failure.is_match(label);
            match (failures::failed(m["text"].as_str().unwrap_or("")), truth) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                (false, false) => tn += 1,
            }
        }
    }
    println!("## failed_attempts");
    println!(
        "STAR bot turns with an action label: {}; failure labels {}; detected {}; precision {:.3}, recall {:.3}",
        tp + fp + fn_ + tn,
        tp + fn_,
        tp + fp,
        tp as f64 / (tp + fp).max(1) as f64,
        tp as f64 / (tp + fn_).max(1) as f64
    );
    println!();
}

fn cost(corpus: &[Value], options: &Options) {
    println!("## cost per conversation (parsed JSON in, decision out; one thread)");
    println!("| rule reads | per conversation | over the baseline |");
    println!("| --- | ---: | ---: |");
    let signals = [
        "turns",
        "sentiment",
        "sentiment_min",
        "loops",
        "asked_for_human",
        "failed_attempts",
        "waiting",
        "customer_text",
    ];
    let rulesets: Vec<baton::Rules> = signals.iter().map(|s| rules(s)).collect();
    // One pass of each ruleset in turn, so that a slow spell of the machine
    // slows the baseline and the signals alike.
    let mut passes: Vec<Box<dyn FnMut()>> = rulesets
        .iter()
        .map(|r| {
            Box::new(move || {
                for c in corpus {
                    black_box(r.decide(c, options).expect("decided"));
                }
            }) as Box<dyn FnMut()>
        })
        .collect();
    let mut refs: Vec<&mut dyn FnMut()> = passes
        .iter_mut()
        .map(|p| &mut **p as &mut dyn FnMut())
        .collect();
    let times: Vec<f64> = common::best_in_turns(3, 10, &mut refs)
        .iter()
        .map(|t| t.as_secs_f64() / corpus.len() as f64)
        .collect();
    let baseline = times[0];
    println!("| `turns` (baseline) | {:.2} µs | |", baseline * 1e6);
    for (signal, t) in signals.iter().zip(&times).skip(1) {
        println!(
            "| `{signal}` | {:.2} µs | {:+.2} µs |",
            t * 1e6,
            (t - baseline) * 1e6
        );
    }
}
