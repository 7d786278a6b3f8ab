//! A conversation inside a region: declared fields and the values the
//! conversation gives directly (`intent`, `channel`, `confidence`) are set
//! as they are; the signals read from messages are reached by writing the
//! messages: repeated ones for `loops`, a request for a person, AI turns that
//! failed, a sentiment score on each customer message, more turns.

use serde_json::{Map, Value as Json, json};

use super::space::{Dim, Domain, Region};
use crate::check::Ruleset;
use crate::check::ir::Type;
use crate::check::signals::Signal;

/// Customer messages that neither repeat each other, ask for a person nor
/// carry strong words.
const CUSTOMER: [&str; 8] = [
    "Hello, I have a question about my order.",
    "The parcel was supposed to arrive on Monday.",
    "My postcode is 90210 if that helps.",
    "Could you check the tracking number for me?",
    "It says it left the warehouse last week.",
    "I placed it from the mobile app on Friday.",
    "The invoice number is INV-55821.",
    "Is there anything else you need from me?",
];

/// AI messages that neither fail nor offer a person.
const AI: [&str; 8] = [
    "Let me look into that for you.",
    "I found your order in our system.",
    "The carrier shows it in transit.",
    "Your invoice is attached to your account.",
    "The warehouse confirmed the dispatch date.",
    "I have updated the delivery notes.",
    "The tracking page refreshes every hour.",
    "Thank you for the details.",
];

/// A conversation in `region`, when one can be written: `None` when the
/// region needs what messages cannot be made to say (a pattern that must
/// match, a waiting time, a sentiment trend).
pub fn conversation(region: &Region, ruleset: &Ruleset) -> Option<Json> {
    let mut root = Map::new();
    root.insert("id".into(), json!("example"));
    let mut counts = Counts::default();
    for (dim, domain) in region {
        match dim {
            Dim::Opaque(_) => {
                // Only a test that must be false is left to plain messages.
                if *domain != Domain::Truth(false) {
                    return None;
                }
            }
            Dim::Field(id) => {
                let field = &ruleset.fields[*id as usize];
                let value = pick(domain, field.ty == Type::Duration)?;
                set_path(&mut root, &field.path, value);
            }
            Dim::Signal(s) => counts.apply(*s, domain)?,
        }
    }
    for (signal, key) in [
        (Signal::Intent, "intent"),
        (Signal::Channel, "channel"),
        (Signal::Confidence, "confidence"),
    ] {
        if let Some(domain) = region.get(&Dim::Signal(signal)) {
            root.insert(key.into(), pick(domain, false)?);
        }
    }
    root.insert("messages".into(), Json::Array(counts.messages()?));
    Some(Json::Object(root))
}

/// A value in a domain, as JSON.
fn pick(domain: &Domain, duration: bool) -> Option<Json> {
    match domain {
        Domain::Number(i) => {
            let n = i.pick()?;
            if duration {
                // Durations are written in seconds in a conversation.
                return Some(json!(format!("{n}s")));
            }
            Some(number(n))
        }
        Domain::Among(set) => set.iter().next().map(|t| json!(t)),
        Domain::Except(set) => {
            let other = (0..).map(|k| {
                if k == 0 {
                    "other".to_string()
                } else {
                    format!("other{k}")
                }
            });
            other
                .into_iter()
                .find(|t| !set.contains(t))
                .map(|t| json!(t))
        }
        Domain::Truth(b) => Some(json!(b)),
    }
}

fn number(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn set_path(root: &mut Map<String, Json>, path: &str, value: Json) {
    let mut parts = path.split('.').peekable();
    let mut here = root;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            here.insert(part.to_string(), value);
            return;
        }
        let next = here
            .entry(part.to_string())
            .or_insert_with(|| Json::Object(Map::new()));
        if !next.is_object() {
            *next = Json::Object(Map::new());
        }
        let Json::Object(next) = next else { return };
        here = next;
    }
}

/// What the messages must add up to.
#[derive(Default)]
struct Counts {
    loops: Option<u32>,
    asked: Option<bool>,
    failed: Option<u32>,
    sentiment: Option<Domain>,
    customer: Option<(u32, u32)>,
    ai: Option<(u32, u32)>,
    turns: Option<(u32, u32)>,
}

impl Counts {
    fn apply(&mut self, signal: Signal, domain: &Domain) -> Option<()> {
        let whole = |domain: &Domain| match domain {
            Domain::Number(i) => i.pick().map(|n| n as u32),
            _ => None,
        };
        let range = |domain: &Domain| match domain {
            Domain::Number(i) => {
                let lo = i.pick()? as u32;
                let hi = if i.hi.at.is_finite() {
                    (if i.hi.closed { i.hi.at } else { i.hi.at - 1.0 }).floor() as u32
                } else {
                    u32::MAX
                };
                Some((lo, hi))
            }
            _ => None,
        };
        match signal {
            Signal::Loops => self.loops = Some(whole(domain)?),
            Signal::FailedAttempts => self.failed = Some(whole(domain)?),
            Signal::AskedForHuman => match domain {
                Domain::Truth(b) => self.asked = Some(*b),
                _ => return None,
            },
            Signal::Sentiment | Signal::SentimentMin | Signal::SentimentAvg => {
                // One score on every customer message gives all three.
                self.sentiment = Some(match &self.sentiment {
                    Some(before) => before.intersect(domain)?,
                    None => domain.clone(),
                });
            }
            Signal::CustomerTurns => self.customer = Some(range(domain)?),
            Signal::AiTurns => self.ai = Some(range(domain)?),
            Signal::Turns => self.turns = Some(range(domain)?),
            // Given directly on the conversation; see `conversation`.
            Signal::Intent | Signal::Channel | Signal::Confidence => {}
            Signal::SentimentTrend
            | Signal::Duration
            | Signal::Waiting
            | Signal::LastCustomerMessage
            | Signal::CustomerText => return None,
        }
        Some(())
    }

    /// The messages, customer and AI taking turns.
    fn messages(&self) -> Option<Vec<Json>> {
        let loops = self.loops.unwrap_or(0) as usize;
        let failed = self.failed.unwrap_or(0) as usize;
        let mut customer: Vec<String> = Vec::new();
        customer.push(CUSTOMER[0].to_string());
        customer.extend(std::iter::repeat_n(CUSTOMER[0].to_string(), loops));
        if self.asked == Some(true) {
            customer.push("Can I talk to a human agent please?".into());
        }
        let mut want_customer = customer.len();
        let mut want_ai = failed;
        if let Some((lo, hi)) = self.customer {
            want_customer = want_customer.max(lo as usize);
            if want_customer > hi as usize {
                return None;
            }
        }
        if let Some((lo, hi)) = self.ai {
            want_ai = want_ai.max(lo as usize);
            if want_ai > hi as usize {
                return None;
            }
        }
        if let Some((lo, hi)) = self.turns {
            let total = want_customer + want_ai;
            if total < lo as usize {
                let more = lo as usize - total;
                // Add AI turns when the AI count is free, else customer ones.
                if self.ai.is_none() {
                    want_ai += more;
                } else {
                    want_customer += more;
                }
            }
            if want_customer + want_ai > hi as usize {
                return None;
            }
        }
        if want_customer > customer.len() + CUSTOMER.len() - 1 || want_ai > failed + AI.len() {
            return None;
        }
        let mut k = 1;
        while customer.len() < want_customer {
            customer.push(CUSTOMER[k].to_string());
            k += 1;
        }
        let mut ai: Vec<(String, bool)> = (0..failed)
            .map(|_| ("I'm sorry, I couldn't complete that.".to_string(), true))
            .collect();
        let mut k = 0;
        while ai.len() < want_ai {
            ai.push((AI[k].to_string(), false));
            k += 1;
        }
        let sentiment = match &self.sentiment {
            Some(Domain::Number(i)) => Some(i.pick()?),
            Some(_) => return None,
            None => None,
        };
        let mut out = Vec::new();
        let turns = customer.len().max(ai.len());
        for i in 0..turns {
            if let Some(text) = customer.get(i) {
                let mut m = json!({ "role": "customer", "text": text });
                if let Some(s) = sentiment {
                    m["sentiment"] = json!(s);
                }
                out.push(m);
            }
            if let Some((text, failed)) = ai.get(i) {
                let mut m = json!({ "role": "ai", "text": text });
                if *failed {
                    m["failed"] = json!(true);
                }
                out.push(m);
            }
        }
        Some(out)
    }
}
