//! Reports as text for a terminal: aligned tables with bars, for people.

use std::fmt::Write as _;

use super::backtest::{Backtest, Count};

/// The widest bar, in characters.
const BAR: usize = 30;

/// A number with thousands separated: `5,996`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn bar(percent: f64) -> String {
    let n = ((percent / 100.0) * BAR as f64).round() as usize;
    let n = if percent > 0.0 { n.max(1) } else { 0 };
    "█".repeat(n)
}

fn counts(out: &mut String, title: &str, rows: &[Count]) {
    let width = rows
        .iter()
        .map(|r| r.name.chars().count())
        .chain([title.len()])
        .max()
        .unwrap_or(0);
    let _ = writeln!(out, "{title:width$}  conversations   share");
    for r in rows {
        let _ = writeln!(
            out,
            "{:width$}  {:>13}  {:>6}  {}",
            r.name,
            thousands(r.count),
            format!("{:.1}%", r.percent),
            bar(r.percent)
        );
    }
    out.push('\n');
}

/// The backtest as tables; `source` names the rules and the corpus.
pub fn backtest(report: &Backtest, rules: &str, corpus: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "backtest of {rules} ({}) on {corpus}",
        short_hash(&report.ruleset)
    );
    let not = report.conversations - report.decided;
    let _ = write!(
        out,
        "{} conversations: {} decided",
        thousands(report.conversations),
        thousands(report.decided)
    );
    if not > 0 {
        let codes: Vec<String> = report
            .errors
            .iter()
            .map(|e| format!("{} ×{}", e.name, thousands(e.count)))
            .collect();
        let _ = write!(
            out,
            ", {} could not be ({})",
            thousands(not),
            codes.join(", ")
        );
    }
    out.push_str("\n\n");
    let _ = writeln!(
        out,
        "sent to a person: {:.1}% ({} of {})\n",
        report.escalation_rate,
        thousands(report.escalated),
        thousands(report.decided)
    );
    counts(&mut out, "lane", &report.lanes);
    if !report.queues.is_empty() {
        counts(&mut out, "queue", &report.queues);
    }
    counts(&mut out, "priority (sent to a person)", &report.priorities);
    let names: Vec<String> = report
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| format!("{}. {}", i + 1, r.name))
        .chain([report.default.name.clone()])
        .collect();
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        out,
        "{:width$}  decided   share  also matched  sends to",
        "rule"
    );
    for (r, name) in report.rules.iter().zip(&names) {
        let _ = writeln!(
            out,
            "{name:width$}  {:>7}  {:>6}  {:>12}  {}",
            thousands(r.decided),
            format!("{:.1}%", r.percent),
            thousands(r.matched_after_another),
            r.sends_to
        );
    }
    let _ = writeln!(
        out,
        "{:width$}  {:>7}  {:>6}\n",
        report.default.name,
        thousands(report.default.count),
        format!("{:.1}%", report.default.percent)
    );
    if report.never_decide.is_empty() {
        out.push_str("every rule decided some conversations\n\n");
    } else {
        let _ = writeln!(out, "never decide ({}):", report.never_decide.len());
        for name in &report.never_decide {
            let _ = writeln!(out, "  {name}");
        }
        out.push('\n');
    }
    if !report.mostly_missing.is_empty() {
        out.push_str("read by the rules but missing in most conversations:\n");
        for m in &report.mostly_missing {
            let _ = writeln!(out, "  {:<28} missing in {:.1}%", m.name, m.percent);
        }
        out.push('\n');
    }
    out.push_str("a few conversations each rule decided:\n");
    for (r, name) in report.rules.iter().zip(&names) {
        if r.examples.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {name}");
        for e in &r.examples {
            let said = e
                .said
                .as_deref()
                .map_or(String::new(), |s| format!(": \"{s}\""));
            let _ = writeln!(out, "    {} (line {}){said}", e.conversation, e.line);
        }
    }
    out
}

/// `sha256:4be1c2d3` from the full hash.
pub fn short_hash(hash: &str) -> &str {
    hash.get(..15).unwrap_or(hash)
}
