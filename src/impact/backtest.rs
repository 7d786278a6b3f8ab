//! `baton backtest`: a corpus's decisions gathered into where the
//! conversations go (overall, by lane, queue, priority and rule), the rules
//! that never decide, the values the rules read that most conversations
//! lack, and a few conversations each rule caught.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Seen;
use crate::compile::RuleGraph;
use crate::runtime::Lane;

/// How many conversations are shown for each rule.
const EXAMPLES: usize = 3;

/// A count, with its share of the decided conversations.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Count {
    /// What is counted: a lane, a queue, a priority, a code.
    pub name: String,
    /// How many.
    pub count: usize,
    /// Its share of the decided conversations, in percent.
    pub percent: f64,
}

/// One rule, over the corpus.
#[derive(Clone, Debug, Serialize)]
pub struct RuleReport {
    /// Its name.
    pub name: String,
    /// Where it is written.
    pub file: String,
    /// The line it starts on.
    pub line: usize,
    /// Where it sends a conversation: `human/billing urgent`.
    pub sends_to: String,
    /// How many conversations it decided.
    pub decided: usize,
    /// Its share of the decided conversations, in percent.
    pub percent: f64,
    /// How many more it matched that an earlier rule decided.
    pub matched_after_another: usize,
    /// A few conversations it decided, spread over the corpus.
    pub examples: Vec<Example>,
}

/// A conversation a rule caught.
#[derive(Clone, Debug, Serialize)]
pub struct Example {
    /// Its id, or its line.
    pub conversation: String,
    /// Its line in the corpus.
    pub line: usize,
    /// The customer's last message, cut short.
    pub said: Option<String>,
}

/// A field or signal the rules read, and how many conversations lack it.
#[derive(Clone, Debug, Serialize)]
pub struct Missing {
    /// The field's path or the signal's name.
    pub name: String,
    /// How many decided conversations lack it.
    pub count: usize,
    /// Their share, in percent.
    pub percent: f64,
}

/// The whole report.
#[derive(Clone, Debug, Serialize)]
pub struct Backtest {
    /// Which rules: `sha256:...`.
    pub ruleset: String,
    /// Lines read.
    pub conversations: usize,
    /// Lines decided.
    pub decided: usize,
    /// Lines that could not be decided, by error code.
    pub errors: Vec<Count>,
    /// Decided conversations sent to a person (lane `human` or `approval`).
    pub escalated: usize,
    /// Their share of the decided conversations, in percent.
    pub escalation_rate: f64,
    /// By lane: `human`, `approval`, `ai`.
    pub lanes: Vec<Count>,
    /// By queue (conversations with no queue are not counted).
    pub queues: Vec<Count>,
    /// By priority, of those sent to a person.
    pub priorities: Vec<Count>,
    /// Every rule, in order.
    pub rules: Vec<RuleReport>,
    /// Conversations the default decided.
    pub default: Count,
    /// Rules that decided no conversation.
    pub never_decide: Vec<String>,
    /// Fields and signals the rules read that more than half the decided
    /// conversations lack, most lacked first.
    pub mostly_missing: Vec<Missing>,
}

/// Gathers the decisions of a corpus (in line order) into the report.
pub fn backtest(graph: &RuleGraph, seen: &[Seen]) -> Backtest {
    let rules = &graph.ruleset.rules;
    let decided: Vec<(&Seen, &super::Decided)> = seen
        .iter()
        .filter_map(|s| s.outcome.as_ref().ok().map(|d| (s, d)))
        .collect();
    let total = decided.len();
    let count = |name: String, n: usize| Count {
        percent: share(n, total),
        name,
        count: n,
    };
    let tally = |key: &dyn Fn(&super::Decided) -> Option<String>| -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for (_, d) in &decided {
            if let Some(k) = key(d) {
                *out.entry(k).or_insert(0) += 1;
            }
        }
        out
    };
    let by_count = |map: BTreeMap<String, usize>| -> Vec<Count> {
        let mut v: Vec<Count> = map.into_iter().map(|(k, n)| count(k, n)).collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        v
    };
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for s in seen {
        if let Err(code) = &s.outcome {
            *errors.entry(code.clone()).or_insert(0) += 1;
        }
    }
    let lanes = [Lane::Human, Lane::Approval, Lane::Ai]
        .iter()
        .map(|lane| {
            let n = decided
                .iter()
                .filter(|(_, d)| d.routed.lane == *lane)
                .count();
            count(lane.as_str().to_string(), n)
        })
        .collect();
    let queues = by_count(tally(&|d| d.routed.queue.clone()));
    let priorities = crate::check::ir::Priority::ALL
        .iter()
        .rev()
        .map(|p| {
            let n = decided
                .iter()
                .filter(|(_, d)| d.routed.lane != Lane::Ai && d.routed.priority == *p)
                .count();
            count(p.as_str().to_string(), n)
        })
        .collect();
    let escalated = decided
        .iter()
        .filter(|(_, d)| d.routed.lane != Lane::Ai)
        .count();
    let mut reports: Vec<RuleReport> = rules
        .iter()
        .map(|r| RuleReport {
            name: r.name.clone(),
            file: r.file.clone(),
            line: r.line,
            sends_to: String::new(),
            decided: 0,
            percent: 0.0,
            matched_after_another: 0,
            examples: Vec::new(),
        })
        .collect();
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    let mut caught: Vec<Vec<&Seen>> = vec![Vec::new(); rules.len()];
    let mut by_default = 0;
    for (s, d) in &decided {
        match d.routed.rule.as_deref().and_then(|n| index.get(n)) {
            Some(&i) => {
                reports[i].decided += 1;
                if reports[i].sends_to.is_empty() {
                    reports[i].sends_to = d.routed.place();
                }
                caught[i].push(s);
            }
            None => by_default += 1,
        }
        for name in &d.also_matched {
            if let Some(&i) = index.get(name.as_str()) {
                reports[i].matched_after_another += 1;
            }
        }
    }
    for (report, caught) in reports.iter_mut().zip(&caught) {
        report.percent = share(report.decided, total);
        report.examples = spread(caught)
            .into_iter()
            .map(|s| Example {
                conversation: s.name(),
                line: s.line,
                said: s.outcome.as_ref().ok().and_then(|d| d.said.clone()),
            })
            .collect();
    }
    for (report, rule) in reports.iter_mut().zip(rules) {
        if report.sends_to.is_empty() {
            report.sends_to = outcome_place(graph, &rule.outcome);
        }
    }
    let never_decide = reports
        .iter()
        .filter(|r| r.decided == 0)
        .map(|r| r.name.clone())
        .collect();
    let mut lacking: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, d) in &decided {
        for name in &d.missing {
            *lacking.entry(name.as_str()).or_insert(0) += 1;
        }
    }
    let mut mostly_missing: Vec<Missing> = lacking
        .into_iter()
        .filter(|(_, n)| *n * 2 > total)
        .map(|(name, n)| Missing {
            name: name.to_string(),
            count: n,
            percent: share(n, total),
        })
        .collect();
    mostly_missing.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    Backtest {
        ruleset: graph.hash.clone(),
        conversations: seen.len(),
        decided: total,
        errors: by_count(errors),
        escalated,
        escalation_rate: share(escalated, total),
        lanes,
        queues,
        priorities,
        rules: reports,
        default: count(
            format!("default: {}", outcome_place(graph, &graph.ruleset.default)),
            by_default,
        ),
        never_decide,
        mostly_missing,
    }
}

/// Where an outcome sends a conversation, before any conversation is seen.
fn outcome_place(graph: &RuleGraph, outcome: &crate::check::ir::Outcome) -> String {
    super::Routed::of_outcome(&graph.ruleset, outcome, None).place()
}

/// Up to [`EXAMPLES`] of `items`, spread evenly from first to last.
fn spread<'a>(items: &[&'a Seen]) -> Vec<&'a Seen> {
    if items.len() <= EXAMPLES {
        return items.to_vec();
    }
    (0..EXAMPLES)
        .map(|k| items[k * (items.len() - 1) / (EXAMPLES - 1)])
        .collect()
}

fn share(n: usize, total: usize) -> f64 {
    if total == 0 {
        return 0.0;
    }
    (n as f64 * 1000.0 / total as f64).round() / 10.0
}
