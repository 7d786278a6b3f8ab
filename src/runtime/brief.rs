//! The case brief: what a person reads on picking a conversation up, so
//! they never start cold. Built from the conversation alone, the same way
//! every time: no model, no guessing.

use std::fmt::Write;

use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::Value as Json;

use super::conversation::Role;
use super::eval::Eval;
use super::signals::Signals;
use super::time::human_duration;
use super::value::{Val, cut, round};
use crate::check::ir::{FieldId, Ref};
use crate::compile::RuleGraph;

/// The case brief.
#[derive(Clone, Debug, Serialize)]
pub struct Brief {
    /// One sentence: intent, length, sentiment, what stands out.
    pub summary: String,
    /// What happened, a line each.
    pub what_happened: Vec<String>,
    /// The actions the AI took, in order, each once.
    pub ai_tried: Vec<String>,
    /// The declared fields the conversation has, with their values.
    pub learned: Fields,
    /// What to do next, from the deciding rule.
    pub next: Option<String>,
    /// The signals the deciding rule read, with their values (`null` when missing).
    pub signals: Fields,
    /// The customer's latest message.
    pub last_customer_message: Option<String>,
}

/// Names and values, kept in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fields(pub Vec<(String, Json)>);

impl Serialize for Fields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Writes the brief for a conversation decided by rule `rule` (or by the
/// default), whose `next` line is `next`.
pub fn brief<'s>(
    eval: &mut Eval<'s>,
    graph: &RuleGraph,
    signals: &'s Signals<'s>,
    rule: Option<usize>,
    next: Option<String>,
) -> Brief {
    let conversation = signals.conversation();
    let counts = [Role::Customer, Role::Ai, Role::Agent].map(|r| conversation.by(r).count());
    let turns = counts.iter().sum::<usize>();
    let customer_count = counts[0];
    let said = |m: &&super::conversation::Message<'_>| m.role == Role::Customer;
    let first_said = conversation.messages.iter().find(said).map(|m| m.text);
    let last_said = conversation
        .messages
        .iter()
        .rev()
        .find(said)
        .map(|m| m.text);
    let intent = signals.intent().ok().flatten().map(|i| i.replace('_', " "));
    let duration = signals.duration();
    let scores: Vec<f64> = match (signals.first_and_last_sentiment(), customer_count) {
        (Some((first, last)), n) if n > 1 => vec![first, last],
        (Some((_, last)), _) => vec![last],
        (None, _) => Vec::new(),
    };

    // Writing to a `String` cannot fail.
    let mut summary = String::with_capacity(128);
    match &intent {
        Some(i) => summary.push_str(&capitalise(i)),
        None => summary.push_str("Conversation"),
    }
    let _ = write!(summary, ", {}", Plural(turns, "turn"));
    if let Some(d) = duration {
        let _ = write!(summary, " over {}", human_duration(d));
    }
    for part in sentiment_words(&scores)
        .into_iter()
        .chain(standing_out(eval, graph))
    {
        let _ = write!(summary, "; {part}");
    }
    summary.push('.');

    let mut what = Vec::with_capacity(8);
    if let Some(i) = &intent {
        what.push(format!("Intent: {i}"));
    }
    let mut line = String::with_capacity(96);
    let _ = write!(line, "{}", Plural(turns, "message"));
    if let Some(d) = duration {
        let _ = write!(line, " over {}", human_duration(d));
    }
    let _ = write!(
        line,
        ": {} from the customer, {} from the AI",
        counts[0], counts[1]
    );
    if counts[2] > 0 {
        let _ = write!(line, ", {} from an agent", counts[2]);
    }
    what.push(line);
    if let Ok(Some(channel)) = signals.get(crate::check::signals::Signal::Channel) {
        what.push(format!("Channel: {}", channel.plain()));
    }
    if let Some(line) = sentiment_line(&scores) {
        what.push(line);
    }
    if let Some(first) = first_said {
        what.push(format!("The customer first said: \"{}\"", cut(first, 200)));
    }
    if let Some(last) = last_said.filter(|_| customer_count > 1) {
        what.push(format!("The customer last said: \"{}\"", cut(last, 200)));
    }

    let mut ai_tried: Vec<String> = Vec::new();
    for action in conversation.by(Role::Ai).flat_map(|m| &m.actions) {
        if !ai_tried.iter().any(|a| a == action) {
            ai_tried.push(action.to_string());
        }
    }

    let learned = Fields(
        (0..graph.ruleset.fields.len())
            .filter_map(|i| {
                let value = eval.field(FieldId(i as u32))?;
                Some((graph.ruleset.fields[i].path.clone(), value.json()))
            })
            .collect(),
    );
    let read = rule.map_or(&[][..], |i| graph.rules[i].reads.as_slice());
    let signals_read = Fields(
        read.iter()
            .filter(|r| matches!(r, Ref::Signal(_)))
            .map(|r| {
                (
                    graph.ruleset.ref_name(*r).to_string(),
                    eval.value_of(*r).map_or(Json::Null, Val::json),
                )
            })
            .collect(),
    );
    Brief {
        summary,
        what_happened: what,
        ai_tried,
        learned,
        next,
        signals: signals_read,
        last_customer_message: last_said.map(|t| cut(t, 1000)),
    }
}

/// How the customer's sentiment moved, for the summary.
fn sentiment_words(scores: &[f64]) -> Option<String> {
    let (first, last) = (round(*scores.first()?, 2), round(*scores.last()?, 2));
    Some(match scores.len() {
        1 => format!("sentiment {last}"),
        _ if last < first => format!("sentiment fell from {first} to {last}"),
        _ if last > first => format!("sentiment rose from {first} to {last}"),
        _ => format!("sentiment steady at {last}"),
    })
}

fn sentiment_line(scores: &[f64]) -> Option<String> {
    let (first, last) = (round(*scores.first()?, 2), round(*scores.last()?, 2));
    Some(match scores.len() {
        1 => format!("Sentiment: {last}"),
        _ => format!("Sentiment: {first} at first, {last} at last"),
    })
}

/// Signals worth a person's attention at a glance, when a rule reads them
/// (the brief computes no signal the rules do not need).
fn standing_out(eval: &mut Eval<'_>, graph: &RuleGraph) -> Vec<String> {
    use crate::check::signals::Signal;
    let mut out = Vec::new();
    let mut read = |signal: Signal| {
        graph
            .reads_signal(signal)
            .then(|| eval.value_of(Ref::Signal(signal)))
            .flatten()
    };
    if let Some(Val::Num(n)) = read(Signal::Loops).filter(|v| matches!(v, Val::Num(n) if *n >= 1.0))
    {
        out.push(format!("{} repeated", Plural(n as usize, "message")));
    }
    if let Some(Val::Num(n)) =
        read(Signal::FailedAttempts).filter(|v| matches!(v, Val::Num(n) if *n >= 1.0))
    {
        out.push(format!("the AI failed {}", Plural(n as usize, "time")));
    }
    if let Some(Val::Bool(true)) = read(Signal::AskedForHuman) {
        out.push("customer asked for a person".to_string());
    }
    out
}

/// `n` of a thing, in words: "1 turn", "3 turns".
struct Plural<'w>(usize, &'w str);

impl std::fmt::Display for Plural<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            1 => write!(f, "1 {}", self.1),
            n => write!(f, "{n} {}s", self.1),
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
