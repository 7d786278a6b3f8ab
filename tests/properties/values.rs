//! The plain map of names to values the oracle evaluates over: every
//! declared field and built-in signal a conversation has, read from its
//! JSON as docs/decisions.md and the signal table of docs/language.md say.
//! A value that is absent, `null`, or of the wrong JSON type is left out:
//! it is missing.

use std::collections::HashMap;

use serde_json::{Map, Value as Json};

use super::conversations::{Case, START};
use super::rulesets::{Env, Field, Ty};

/// A known value.
#[derive(Clone, Debug)]
pub enum V {
    /// A number.
    Num(f64),
    /// A duration in seconds.
    Dur(f64),
    /// True or false.
    Bool(bool),
    /// Text.
    Text(String),
    /// A list.
    List(Vec<V>),
}

/// The values of `case` for a ruleset declaring `env`. `computed` holds
/// baton's own values of the signals that read the words of messages
/// (`loops`, `asked_for_human`, `failed_attempts`): the properties are
/// about evaluation, not text analysis. Every other value is read here.
pub fn values(env: &Env, case: &Case, computed: &Map<String, Json>) -> HashMap<String, V> {
    let mut values = signals(case);
    for name in ["loops", "failed_attempts"] {
        let n = computed[name].as_f64().expect("a count");
        values.insert(name.into(), V::Num(n));
    }
    let asked = computed["asked_for_human"]
        .as_bool()
        .expect("true or false");
    values.insert("asked_for_human".into(), V::Bool(asked));
    for field in &env.fields {
        if let Some(v) = read_field(&case.json, field) {
            values.insert(field.path.clone(), v);
        }
    }
    values
}

/// A declared field as docs/decisions.md reads it: by its dotted path, of
/// its declared JSON type, else missing.
fn read_field(root: &Json, field: &Field) -> Option<V> {
    let mut at = root;
    for segment in field.path.split('.') {
        at = at.get(segment)?;
    }
    Some(match (field.ty, at) {
        (Ty::Number, Json::Number(n)) => V::Num(n.as_f64()?),
        (Ty::Text, Json::String(s)) => V::Text(s.clone()),
        (Ty::Bool, Json::Bool(b)) => V::Bool(*b),
        (Ty::Duration, Json::Number(n)) => V::Dur(n.as_f64()?),
        (Ty::Duration, Json::String(s)) => V::Dur(duration(s)?),
        (Ty::TextList, Json::Array(items)) => V::List(
            items
                .iter()
                .map(|i| i.as_str().map(|s| V::Text(s.into())))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

/// A duration written as rules write one (`30m`, `1h30m`, `0.5s`).
fn duration(text: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut number = String::new();
    for c in text.trim().chars() {
        let unit = match c {
            's' => 1.0,
            'm' => 60.0,
            'h' => 3_600.0,
            'd' => 86_400.0,
            _ => {
                number.push(c);
                continue;
            }
        };
        total += std::mem::take(&mut number).parse::<f64>().ok()? * unit;
    }
    (number.is_empty() && !text.trim().is_empty()).then_some(total)
}

/// One message as the signals see it.
struct Said<'a> {
    role: &'a str,
    text: &'a str,
    at: Option<i64>,
    sentiment: Option<f64>,
    intent: Option<&'a str>,
    confidence: Option<f64>,
}

/// The signals that do not read the words of messages, by the table of
/// docs/language.md; those the conversation does not have are left out.
fn signals(case: &Case) -> HashMap<String, V> {
    let root = &case.json;
    let said: Vec<Said> = root["messages"]
        .as_array()
        .expect("generated conversations have messages")
        .iter()
        .map(|m| Said {
            role: match m["role"].as_str().expect("a role") {
                "bot" | "assistant" => "ai",
                role => role,
            },
            text: m["text"].as_str().unwrap_or(""),
            at: m["at"].as_str().map(time),
            sentiment: m["sentiment"].as_f64().filter(|s| (-1.0..=1.0).contains(s)),
            intent: m["intent"].as_str(),
            confidence: m["confidence"].as_f64().filter(|c| (0.0..=1.0).contains(c)),
        })
        .collect();
    let customers = || said.iter().filter(|m| m.role == "customer");
    let count =
        |roles: &[&str]| V::Num(said.iter().filter(|m| roles.contains(&m.role)).count() as f64);
    let scores: Vec<f64> = customers()
        .map(|m| {
            m.sentiment
                .expect("every generated customer message has a score")
        })
        .collect();
    let mut values = HashMap::new();
    let mut set = |name: &str, v: Option<V>| {
        if let Some(v) = v {
            values.insert(name.to_string(), v);
        }
    };
    set("turns", Some(count(&["customer", "ai", "agent"])));
    set("customer_turns", Some(count(&["customer"])));
    set("ai_turns", Some(count(&["ai"])));
    set("sentiment", scores.last().map(|s| V::Num(*s)));
    set(
        "sentiment_min",
        scores.iter().copied().reduce(f64::min).map(V::Num),
    );
    let average = scores.iter().sum::<f64>() / scores.len() as f64;
    set(
        "sentiment_avg",
        (!scores.is_empty()).then_some(V::Num(average)),
    );
    let trend = scores
        .first()
        .zip(scores.last())
        .map(|(f, l)| V::Num(l - f));
    set("sentiment_trend", trend);
    let latest_confidence = said.iter().rev().find_map(|m| m.confidence);
    let confidence = match root.get("confidence") {
        None | Some(Json::Null) => latest_confidence,
        Some(c) => c.as_f64().filter(|c| (0.0..=1.0).contains(c)),
    };
    set("confidence", confidence.map(V::Num));
    let intent = match root.get("intent") {
        None | Some(Json::Null) => said.iter().rev().find_map(|m| m.intent),
        Some(i) => i.as_str(),
    };
    set("intent", intent.map(|i| V::Text(i.into())));
    set(
        "channel",
        root["channel"].as_str().map(|c| V::Text(c.into())),
    );
    let duration = match (
        said.first().and_then(|m| m.at),
        said.last().and_then(|m| m.at),
    ) {
        (Some(first), Some(last)) => Some(V::Dur(((last - first) as f64 / 1000.0).max(0.0))),
        _ => None,
    };
    set("duration", duration);
    let answered = said.iter().rposition(|m| matches!(m.role, "ai" | "agent"));
    let waiting_since = said[answered.map_or(0, |i| i + 1)..]
        .iter()
        .find(|m| m.role == "customer");
    let waiting = match waiting_since {
        None => Some(0.0),
        Some(m) => m.at.map(|at| ((case.now - at) as f64 / 1000.0).max(0.0)),
    };
    set("waiting", waiting.map(V::Dur));
    let customer: Vec<&str> = customers().map(|m| m.text).collect();
    set(
        "last_customer_message",
        customer.last().map(|t| V::Text(t.to_string())),
    );
    set("customer_text", Some(V::Text(customer.join("\n"))));
    values
}

/// A time as the generated conversations write it, `2026-11-20T10:MM:SSZ`.
fn time(text: &str) -> i64 {
    let clock = text
        .strip_prefix("2026-11-20T10:")
        .and_then(|t| t.strip_suffix('Z'))
        .expect("a generated time");
    let (minutes, seconds) = clock.split_once(':').expect("minutes and seconds");
    let minutes: i64 = minutes.parse().expect("minutes");
    let seconds: i64 = seconds.parse().expect("seconds");
    START + (minutes * 60 + seconds) * 1000
}
