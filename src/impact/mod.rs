//! What rules do to real conversations, before they go live: `baton
//! backtest` (where a corpus goes, rule by rule) and `baton diff` (what a
//! change of rules changes). Deciding is the runtime's; this stage gathers
//! decisions into reports, as data, and writes them as text, JSON or a page.

pub mod backtest;
pub mod diff;
pub mod html;
pub mod table;

use serde::Serialize;

use crate::runtime::{Decision, Lane, Priority};

/// Where one conversation of a corpus went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Routed {
    /// `human`, `approval` or `ai`.
    pub lane: Lane,
    /// `handoff`, `approval`, `offer`, `continue` or `collect`.
    pub action: crate::runtime::Act,
    /// The queue, when there is one.
    pub queue: Option<String>,
    /// How urgent.
    pub priority: Priority,
    /// The deciding rule; `None` for the default.
    pub rule: Option<String>,
}

/// One line of a corpus, decided.
#[derive(Clone, Debug)]
pub struct Seen {
    /// Its line in the corpus, from 1.
    pub line: usize,
    /// The conversation's `id`, when it has one.
    pub id: Option<String>,
    /// Where it went, or the code of the error that kept it from being
    /// decided.
    pub outcome: Result<Decided, String>,
}

/// A decided conversation, as much of it as reports need.
#[derive(Clone, Debug)]
pub struct Decided {
    /// Where it went.
    pub routed: Routed,
    /// Later rules that matched too.
    pub also_matched: Vec<String>,
    /// The fields and signals the rules read that it lacked.
    pub missing: Vec<String>,
    /// The customer's last message, cut short, to recognise it by.
    pub said: Option<String>,
}

impl Routed {
    /// Where a decision sends its conversation.
    pub fn of(decision: &Decision) -> Routed {
        Routed {
            lane: decision.lane,
            action: decision.action,
            queue: decision.queue.clone(),
            priority: decision.priority,
            rule: decision.rule.as_ref().map(|r| r.name.clone()),
        }
    }

    /// Where a rule's (or the default's) outcome sends a conversation,
    /// before any conversation is seen: the same as a decision by it, but
    /// for `collect`, which depends on the conversation.
    pub fn of_outcome(
        ruleset: &crate::check::Ruleset,
        outcome: &crate::check::ir::Outcome,
        rule: Option<String>,
    ) -> Routed {
        let action = crate::runtime::Act::of(outcome.action);
        Routed {
            lane: action.lane(),
            action,
            queue: outcome
                .action
                .queue()
                .map(|q| ruleset.queues[q.0 as usize].name.clone()),
            priority: outcome.priority,
            rule,
        }
    }

    /// `human/billing high`, `ai` ...: the lane, the queue and, for a
    /// person, the priority.
    pub fn place(&self) -> String {
        let mut out = self.lane.as_str().to_string();
        if let Some(q) = &self.queue {
            out.push('/');
            out.push_str(q);
        }
        if self.lane != Lane::Ai {
            out.push(' ');
            out.push_str(self.priority.as_str());
        }
        out
    }
}

impl Seen {
    /// A line of a corpus with its decision (or its error code).
    pub fn new(
        line: usize,
        decided: Result<Decision, crate::runtime::InputError>,
        missing: Vec<String>,
    ) -> Seen {
        match decided {
            Ok(decision) => Seen {
                line,
                id: decision.conversation.clone(),
                outcome: Ok(Decided {
                    routed: Routed::of(&decision),
                    also_matched: decision.also_matched.clone(),
                    missing,
                    said: decision
                        .brief
                        .last_customer_message
                        .as_deref()
                        .map(|t| short(t, 80)),
                }),
            },
            Err(error) => Seen {
                line,
                id: None,
                outcome: Err(error.code.as_str().to_string()),
            },
        }
    }

    /// How a report names the conversation: its id, or its line.
    pub fn name(&self) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("line {}", self.line))
    }
}

/// `text` on one line, cut to `max` characters with `...`.
pub fn short(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::runtime::cut(&flat, max)
}

/// `n` of `total` as a percentage with one decimal: `12.5%`.
pub fn percent(n: usize, total: usize) -> String {
    if total == 0 {
        return "0%".to_string();
    }
    format!("{:.1}%", n as f64 * 100.0 / total as f64)
}
