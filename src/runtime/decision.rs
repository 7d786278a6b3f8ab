//! The decision baton answers for a conversation, in the shape documented
//! in `docs/decisions.md`: which lane, which action and queue, how urgent,
//! which rule, what the human reads first.

use serde::Serialize;

use super::brief::Brief;
use super::conversation::Warning;
use super::trace::TraceRule;
pub use crate::check::ir::Priority;

/// Who handles the conversation now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lane {
    /// A person takes over now.
    Human,
    /// The AI goes on once a person approves.
    Approval,
    /// The AI keeps the conversation.
    Ai,
}

/// What the decision asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Act {
    /// A person in the queue takes over now.
    Handoff,
    /// A person in the queue must approve before the AI goes on.
    Approval,
    /// The AI offers the customer a person.
    Offer,
    /// The AI keeps the conversation.
    Continue,
    /// The AI first gathers the information listed in `collect`.
    Collect,
}

impl Lane {
    /// The word decisions use: `human`, `approval` or `ai`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lane::Human => "human",
            Lane::Approval => "approval",
            Lane::Ai => "ai",
        }
    }
}

impl Act {
    /// What a rule's action asks for.
    pub fn of(action: crate::check::ir::Action) -> Act {
        use crate::check::ir::Action;
        match action {
            Action::Handoff(_) => Act::Handoff,
            Action::Approval(_) => Act::Approval,
            Action::Offer(_) => Act::Offer,
            Action::Continue => Act::Continue,
        }
    }

    /// The lane an action puts the conversation in.
    pub fn lane(self) -> Lane {
        match self {
            Act::Handoff => Lane::Human,
            Act::Approval => Lane::Approval,
            Act::Offer | Act::Continue | Act::Collect => Lane::Ai,
        }
    }

    /// The word decisions use: `handoff`, `approval`, `offer`, `continue`
    /// or `collect`.
    pub fn as_str(self) -> &'static str {
        match self {
            Act::Handoff => "handoff",
            Act::Approval => "approval",
            Act::Offer => "offer",
            Act::Continue => "continue",
            Act::Collect => "collect",
        }
    }
}

/// The rule that decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    /// Its name: the one written after `rule`, or its location.
    pub name: String,
    /// The file it is written in.
    pub file: String,
    /// The line it starts on.
    pub line: usize,
}

/// A rule that could not be told true or false because values were
/// missing: had they been there, it might have decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Undecided {
    /// The rule's name.
    pub rule: String,
    /// The fields and signals the conversation did not have.
    pub missing: Vec<String>,
}

/// What baton decided for one conversation.
#[derive(Clone, Debug, Serialize)]
pub struct Decision {
    /// The conversation's `id`, when it has one.
    pub conversation: Option<String>,
    /// `human`, `approval` or `ai`.
    pub lane: Lane,
    /// `handoff`, `approval`, `offer`, `continue` or `collect`.
    pub action: Act,
    /// The queue the conversation goes to (or will, after `collect`).
    pub queue: Option<String>,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: Priority,
    /// The queue's pick-up target, e.g. `15m`.
    pub sla: Option<String>,
    /// The rule that decided; `null` when no rule matched and the default applied.
    pub rule: Option<RuleRef>,
    /// The rule's tags.
    pub tags: Vec<String>,
    /// Why, for the human.
    pub reason: Option<String>,
    /// What the human should do next.
    pub next: Option<String>,
    /// Who in the queue should take it, when the rule says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// What the AI must gather first (with action `collect`).
    pub collect: Vec<String>,
    /// The case brief a human reads on pick-up.
    pub brief: Brief,
    /// Later rules that matched too.
    pub also_matched: Vec<String>,
    /// Earlier rules that could not be told, for want of values.
    pub undecided: Vec<Undecided>,
    /// Values that were there but could not be used.
    pub warnings: Vec<Warning>,
    /// Which rule files decided: `sha256:...`.
    pub ruleset: String,
    /// With explanation on: every rule tried, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceRule>>,
}

/// Room made for a decision's JSON before writing it: most take 1 to 2 KB,
/// so one allocation holds them without growing.
const JSON_ROOM: usize = 2048;

impl Decision {
    /// The decision as one line of JSON (no line break), as `baton decide`
    /// writes it.
    pub fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(JSON_ROOM);
        serde_json::to_writer(&mut out, self)?;
        Ok(out)
    }
}
