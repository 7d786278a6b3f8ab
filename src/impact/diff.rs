//! `baton diff`: what changes from one ruleset to another. Rules are
//! matched by name: added, removed, changed (condition, outcome) or moved.
//! Without a corpus, each changed rule's own conversations (written from
//! its condition, as `baton check` writes them) are decided by both, to
//! show what the change does to routing; with a corpus, every conversation
//! is, and those that change lane, queue or priority are counted by
//! transition ("ai → human/billing high: 132"), with examples.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value as Json;

use super::{Routed, Seen};
use crate::check::Ruleset;
use crate::compile::RuleGraph;
use crate::runtime::Options;

/// How many example conversations a transition shows.
const EXAMPLES: usize = 3;

/// A rule that is not the same in both.
#[derive(Clone, Debug, Serialize)]
pub struct RuleChange {
    /// Its name.
    pub name: String,
    /// `added`, `removed`, `changed` or `moved`.
    pub change: &'static str,
    /// What changed, in words.
    pub what: Vec<String>,
}

/// A conversation a changed rule is about, decided by both rulesets.
#[derive(Clone, Debug, Serialize)]
pub struct Shift {
    /// The rule it was written from.
    pub rule: String,
    /// The conversations it stands for, in rule words.
    pub when: String,
    /// Where the old rules send it.
    pub before: Routed,
    /// Where the new rules send it.
    pub after: Routed,
    /// The conversation.
    pub example: Json,
}

/// Conversations of a corpus that go from one place to another.
#[derive(Clone, Debug, Serialize)]
pub struct Transition {
    /// Where they went: `ai`, `human/billing high`.
    pub from: String,
    /// Where they go now.
    pub to: String,
    /// How many.
    pub count: usize,
    /// A few of them: id (or line) and the customer's last words.
    pub examples: Vec<String>,
}

/// What a corpus shows.
#[derive(Clone, Debug, Serialize)]
pub struct CorpusChange {
    /// Conversations decided by both.
    pub conversations: usize,
    /// Those that change lane, queue or priority.
    pub changed: usize,
    /// Those decided by another rule but sent to the same place.
    pub other_rule_same_place: usize,
    /// Every transition, the largest first.
    pub transitions: Vec<Transition>,
}

/// The whole report.
#[derive(Clone, Debug, Serialize)]
pub struct Diff {
    /// How the old rules were named on the command line.
    pub old: String,
    /// How the new ones were.
    pub new: String,
    /// Rules added, removed, changed or moved.
    pub rules: Vec<RuleChange>,
    /// Changed rules' own conversations whose routing changes.
    pub routing: Vec<Shift>,
    /// What a corpus shows, when one was given.
    pub corpus: Option<CorpusChange>,
}

/// The rule changes and their effect on the rules' own conversations.
pub fn compare(old: &RuleGraph, new: &RuleGraph, old_name: &str, new_name: &str) -> Diff {
    let (a, b) = (&old.ruleset, &new.ruleset);
    let position = |set: &Ruleset, name: &str| set.rules.iter().position(|r| r.name == name);
    let mut rules = Vec::new();
    // The names of `set`'s rules that `other` has too, in `set`'s order.
    fn shared<'r>(set: &'r Ruleset, other: &Ruleset) -> Vec<&'r str> {
        set.rules
            .iter()
            .filter(|r| other.rules.iter().any(|o| o.name == r.name))
            .map(|r| r.name.as_str())
            .collect()
    }
    let (common, common_new) = (shared(a, b), shared(b, a));
    let mut about: Vec<(usize, usize)> = Vec::new(); // (ruleset 0 old / 1 new, index)
    for (i, r) in a.rules.iter().enumerate() {
        match position(b, &r.name) {
            None => {
                rules.push(RuleChange {
                    name: r.name.clone(),
                    change: "removed",
                    what: vec![format!("was: {}", rule_text(a, i))],
                });
                about.push((0, i));
            }
            Some(j) => {
                let mut what = Vec::new();
                let (was, is) = (condition(a, i), condition(b, j));
                if was != is {
                    what.push(format!("condition: {was}  →  {is}"));
                }
                let (was, is) = (outcome(a, i), outcome(b, j));
                if was != is {
                    what.push(format!("outcome: {was}  →  {is}"));
                }
                let moved = common.iter().position(|n| *n == r.name)
                    != common_new.iter().position(|n| *n == r.name);
                let change = match (what.is_empty(), moved) {
                    (true, false) => continue,
                    (true, true) => "moved",
                    (false, _) => "changed",
                };
                if moved {
                    what.push(format!("now tried {} (was {})", j + 1, i + 1));
                }
                rules.push(RuleChange {
                    name: r.name.clone(),
                    change,
                    what,
                });
                about.push((1, j));
                about.push((0, i));
            }
        }
    }
    for (j, r) in b.rules.iter().enumerate() {
        if position(a, &r.name).is_none() {
            rules.push(RuleChange {
                name: r.name.clone(),
                change: "added",
                what: vec![format!("is: {}", rule_text(b, j))],
            });
            about.push((1, j));
        }
    }
    let mut routing = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (side, i) in about {
        let set = if side == 0 { a } else { b };
        for (when, example) in crate::analysis::rule_examples(set, i) {
            let (Some(before), Some(after)) = (routed(old, &example), routed(new, &example)) else {
                continue;
            };
            let key = (before.place(), after.place(), when.clone());
            if before.place() != after.place() && seen.insert(key) {
                routing.push(Shift {
                    rule: set.rules[i].name.clone(),
                    when,
                    before,
                    after,
                    example,
                });
            }
        }
    }
    Diff {
        old: old_name.to_string(),
        new: new_name.to_string(),
        rules,
        routing,
        corpus: None,
    }
}

/// What a corpus shows: its lines as decided by the old and the new rules.
pub fn corpus(before: &[Seen], after: &[Seen]) -> CorpusChange {
    let mut moves: BTreeMap<(String, String), (usize, Vec<String>)> = BTreeMap::new();
    let (mut conversations, mut other_rule) = (0, 0);
    for (x, y) in before.iter().zip(after) {
        let (Ok(was), Ok(is)) = (&x.outcome, &y.outcome) else {
            continue;
        };
        conversations += 1;
        let (from, to) = (was.routed.place(), is.routed.place());
        if from == to {
            if was.routed.rule != is.routed.rule {
                other_rule += 1;
            }
            continue;
        }
        let entry = moves.entry((from, to)).or_default();
        entry.0 += 1;
        if entry.1.len() < EXAMPLES {
            let said = is
                .said
                .as_deref()
                .map_or(String::new(), |s| format!(": \"{s}\""));
            entry.1.push(format!("{}{said}", y.name()));
        }
    }
    let mut transitions: Vec<Transition> = moves
        .into_iter()
        .map(|((from, to), (count, examples))| Transition {
            from,
            to,
            count,
            examples,
        })
        .collect();
    transitions.sort_by(|p, q| q.count.cmp(&p.count).then(p.from.cmp(&q.from)));
    CorpusChange {
        conversations,
        changed: transitions.iter().map(|t| t.count).sum(),
        other_rule_same_place: other_rule,
        transitions,
    }
}

fn routed(graph: &RuleGraph, example: &Json) -> Option<Routed> {
    let options = Options {
        now: Some(0),
        explain: false,
    };
    crate::runtime::decide(graph, example, &options)
        .ok()
        .map(|d| Routed::of(&d))
}

fn condition(set: &Ruleset, i: usize) -> String {
    let r = &set.rules[i];
    let mut out = set.show(&r.when);
    if let Some(unless) = &r.unless {
        let _ = write!(out, " unless {}", set.show(unless));
    }
    out
}

fn outcome(set: &Ruleset, i: usize) -> String {
    crate::analysis::place(set, &set.rules[i].outcome)
}

fn rule_text(set: &Ruleset, i: usize) -> String {
    format!("when {} then {}", condition(set, i), outcome(set, i))
}

/// The diff as text for a terminal.
pub fn text(report: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "from {} to {}", report.old, report.new);
    if report.rules.is_empty() {
        out.push_str("\nthe rules are the same\n");
    } else {
        let _ = writeln!(out, "\nrules ({}):", report.rules.len());
        for r in &report.rules {
            let _ = writeln!(out, "  {:<8} {}", r.change, r.name);
            for w in &r.what {
                let _ = writeln!(out, "           {w}");
            }
        }
    }
    if !report.routing.is_empty() {
        out.push_str("\nwhat changes for the conversations those rules are about:\n");
        for s in &report.routing {
            let _ = writeln!(
                out,
                "  {}  →  {}   when {} (rule `{}`)",
                s.before.place(),
                s.after.place(),
                s.when,
                s.rule
            );
            let _ = writeln!(
                out,
                "    e.g. {}",
                serde_json::to_string(&s.example).unwrap_or_default()
            );
        }
    }
    if let Some(c) = &report.corpus {
        let _ = writeln!(
            out,
            "\non the corpus: {} of {} conversations change lane, queue or priority ({})",
            super::table::thousands(c.changed),
            super::table::thousands(c.conversations),
            super::percent(c.changed, c.conversations)
        );
        if c.other_rule_same_place > 0 {
            let _ = writeln!(
                out,
                "  ({} more are decided by another rule, to the same place)",
                super::table::thousands(c.other_rule_same_place)
            );
        }
        if !c.transitions.is_empty() {
            let width = c
                .transitions
                .iter()
                .map(|t| t.from.chars().count() + t.to.chars().count() + 3)
                .max()
                .unwrap_or(0);
            out.push('\n');
            for t in &c.transitions {
                let arrow = format!("{} → {}", t.from, t.to);
                let _ = writeln!(
                    out,
                    "  {arrow:width$}  {:>7}",
                    super::table::thousands(t.count)
                );
                for e in &t.examples {
                    let _ = writeln!(out, "      {e}");
                }
            }
        }
    }
    out
}
