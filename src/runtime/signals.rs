//! The built-in signals of one conversation, each worked out only when a
//! rule asks for it and then kept, so it is computed at most once.

use std::cell::OnceCell;

use serde_json::Value as Json;

use super::conversation::{Conversation, Role, Warning, kind};
use super::text::{failures, repeats, requests, sentiment};
use super::time::Millis;
use super::value::Val;
use crate::check::signals::Signal;
use crate::diagnostic::Code;

/// The signals of one conversation, computed on demand.
pub struct Signals<'s> {
    conversation: &'s Conversation<'s>,
    /// The evaluation time, for `waiting`.
    now: Option<Millis>,
    /// The indexes of the customer's messages.
    customer: Vec<usize>,
    /// Each customer message's sentiment, worked out once when first asked.
    scores: Vec<OnceCell<f64>>,
    sentiments: OnceCell<Vec<Option<f64>>>,
    customer_text: OnceCell<String>,
    loops: OnceCell<usize>,
    asked: OnceCell<bool>,
    failed: OnceCell<usize>,
}

/// What asking for a signal gives: its value, nothing (the conversation does
/// not have it), or a warning (it has it, with the wrong type).
pub type Reading<'s> = Result<Option<Val<'s>>, Warning>;

impl<'s> Signals<'s> {
    /// The signals of `conversation`, evaluated at `now`.
    pub fn new(conversation: &'s Conversation<'s>, now: Option<Millis>) -> Signals<'s> {
        let customer: Vec<usize> = (0..conversation.messages.len())
            .filter(|&i| conversation.messages[i].role == Role::Customer)
            .collect();
        Signals {
            conversation,
            now,
            scores: customer.iter().map(|_| OnceCell::new()).collect(),
            customer,
            sentiments: OnceCell::new(),
            customer_text: OnceCell::new(),
            loops: OnceCell::new(),
            asked: OnceCell::new(),
            failed: OnceCell::new(),
        }
    }

    /// The conversation the signals come from.
    pub fn conversation(&self) -> &'s Conversation<'s> {
        self.conversation
    }

    /// The value of a signal.
    pub fn get(&'s self, signal: Signal) -> Reading<'s> {
        let c = self.conversation;
        let count = |roles: &[Role]| {
            Val::Num(
                c.messages
                    .iter()
                    .filter(|m| roles.contains(&m.role))
                    .count() as f64,
            )
        };
        Ok(match signal {
            Signal::Sentiment => self
                .first_and_last_sentiment()
                .map(|(_, last)| Val::Num(last)),
            Signal::SentimentMin => known(self.customer_sentiments())
                .reduce(f64::min)
                .map(Val::Num),
            Signal::SentimentAvg => {
                let scores: Vec<f64> = known(self.customer_sentiments()).collect();
                (!scores.is_empty())
                    .then(|| Val::Num(scores.iter().sum::<f64>() / scores.len() as f64))
            }
            Signal::SentimentTrend => self
                .first_and_last_sentiment()
                .map(|(first, last)| Val::Num(last - first)),
            Signal::Turns => Some(count(&[Role::Customer, Role::Ai, Role::Agent])),
            Signal::CustomerTurns => Some(count(&[Role::Customer])),
            Signal::AiTurns => Some(count(&[Role::Ai])),
            Signal::Confidence => self.confidence()?.map(Val::Num),
            Signal::Intent => self.intent()?.map(Val::Text),
            Signal::Channel => self.top_text("channel")?.map(Val::Text),
            Signal::Duration => self.duration().map(Val::Dur),
            Signal::LastCustomerMessage => c.by(Role::Customer).last().map(|m| Val::Text(m.text)),
            Signal::CustomerText => Some(Val::Text(self.customer_text.get_or_init(|| {
                c.by(Role::Customer)
                    .map(|m| m.text)
                    .collect::<Vec<_>>()
                    .join("\n")
            }))),
            Signal::Waiting => self.waiting().map(Val::Dur),
            Signal::Loops => Some(Val::Num(
                *self.loops.get_or_init(|| self.count_loops()) as f64
            )),
            Signal::AskedForHuman => Some(Val::Bool(
                *self.asked.get_or_init(|| self.asked_for_human()),
            )),
            Signal::FailedAttempts => Some(Val::Num(
                *self.failed.get_or_init(|| self.failed_attempts()) as f64,
            )),
        })
    }

    /// The sentiment of the customer's `k`th message: its provided score,
    /// else the lexicon's, computed once however many signals read it.
    pub fn score(&self, k: usize) -> f64 {
        *self.scores[k].get_or_init(|| {
            let message = &self.conversation.messages[self.customer[k]];
            message
                .sentiment
                .unwrap_or_else(|| sentiment::compound(message.text))
        })
    }

    /// The sentiment of every customer message, in order.
    pub fn customer_sentiments(&'s self) -> &'s [Option<f64>] {
        self.sentiments.get_or_init(|| {
            (0..self.customer.len())
                .map(|k| Some(self.score(k)))
                .collect()
        })
    }

    /// The sentiment of the customer's first and last messages.
    pub fn first_and_last_sentiment(&self) -> Option<(f64, f64)> {
        let last = self.customer.len().checked_sub(1)?;
        Some((self.score(0), self.score(last)))
    }

    /// Customer messages repeating an earlier customer message, plus AI
    /// messages repeating an earlier AI message.
    fn count_loops(&self) -> usize {
        let side = |role| self.conversation.by(role).map(|m| m.text);
        repeats::count(side(Role::Customer)) + repeats::count(side(Role::Ai))
    }

    /// Whether the customer asked for a person since a human agent last
    /// spoke: in words, or by saying yes to the AI's offer of one.
    fn asked_for_human(&self) -> bool {
        let messages = &self.conversation.messages;
        let since = messages
            .iter()
            .rposition(|m| m.role == Role::Agent)
            .map_or(0, |i| i + 1);
        (since..messages.len()).any(|i| {
            let m = &messages[i];
            if m.role != Role::Customer {
                return false;
            }
            if requests::asks_for_person(m.text) {
                return true;
            }
            requests::accepts(m.text)
                && messages[..i]
                    .iter()
                    .rev()
                    .find(|p| p.role != Role::System)
                    .is_some_and(|p| p.role == Role::Ai && requests::offers_person(p.text))
        })
    }

    /// AI messages that failed: in their own words, or marked so.
    fn failed_attempts(&self) -> usize {
        self.conversation
            .by(Role::Ai)
            .filter(|m| m.failed || m.actions.contains(&"fallback") || failures::failed(m.text))
            .count()
    }

    /// First to last message, in seconds, when both have a time.
    pub fn duration(&self) -> Option<f64> {
        let messages = &self.conversation.messages;
        let (first, last) = (messages.first()?.at?, messages.last()?.at?);
        Some(((last - first) as f64 / 1000.0).max(0.0))
    }

    /// How long, at the evaluation time, the customer has waited for an
    /// answer, in seconds: from their first message after the last reply of
    /// the AI or an agent; zero when every customer message was answered.
    /// Unknown without an evaluation time, or when that message has no time.
    pub fn waiting(&self) -> Option<f64> {
        let now = self.now?;
        let messages = &self.conversation.messages;
        let answered = messages
            .iter()
            .rposition(|m| matches!(m.role, Role::Ai | Role::Agent));
        let waiting_since = messages[answered.map_or(0, |i| i + 1)..]
            .iter()
            .find(|m| m.role == Role::Customer);
        match waiting_since {
            None => Some(0.0),
            Some(m) => m.at.map(|at| ((now - at) as f64 / 1000.0).max(0.0)),
        }
    }

    /// The conversation's `confidence`, else the latest message's.
    pub fn confidence(&self) -> Result<Option<f64>, Warning> {
        match self.conversation.root.get("confidence") {
            None | Some(Json::Null) => {}
            Some(Json::Number(n)) => match n.as_f64() {
                Some(x) if (0.0..=1.0).contains(&x) => return Ok(Some(x)),
                _ => return Err(wrong("confidence", &format!("{n}, outside 0..1"))),
            },
            Some(other) => {
                return Err(wrong(
                    "confidence",
                    &format!("{}, not a number", kind(other)),
                ));
            }
        }
        Ok(self
            .conversation
            .messages
            .iter()
            .rev()
            .find_map(|m| m.confidence))
    }

    /// The conversation's `intent`, else the latest message's.
    pub fn intent(&self) -> Result<Option<&'s str>, Warning> {
        match self.top_text("intent")? {
            Some(intent) => Ok(Some(intent)),
            None => Ok(self
                .conversation
                .messages
                .iter()
                .rev()
                .find_map(|m| m.intent)),
        }
    }

    fn top_text(&self, key: &str) -> Result<Option<&'s str>, Warning> {
        match self.conversation.root.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s)),
            Some(other) => Err(wrong(key, &format!("{}, not text", kind(other)))),
        }
    }
}

fn known(scores: &[Option<f64>]) -> impl Iterator<Item = f64> + '_ {
    scores.iter().filter_map(|s| *s)
}

fn wrong(key: &str, what: &str) -> Warning {
    Warning {
        code: Code::W0401,
        message: format!("the conversation's `{key}` is {what}; treated as missing"),
    }
}
