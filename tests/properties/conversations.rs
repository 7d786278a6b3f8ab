//! Random conversations for a generated ruleset: each declared field
//! absent, `null`, of its type or of another, the conversation's own
//! `intent`, `channel` and `confidence` likewise, and a few messages from
//! every role with times, scores and intents.

use baton::check::ir::format_duration;
use baton::runtime::time::Millis;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value as Json, json};

use super::conditions::{WORDS, duration_literal, number_literal, text_literal};
use super::rulesets::{Env, Field, Ty};

/// A conversation and the time it is decided at.
#[derive(Clone)]
pub struct Case {
    /// The conversation JSON.
    pub json: Json,
    /// The evaluation time, for `waiting`.
    pub now: Millis,
}

/// A failing case shows the conversation as JSON.
impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "conversation at {}: {}", self.now, self.json)
    }
}

/// 2026-11-20T10:00:00Z, the time the generated conversations start.
pub const START: Millis = 1_795_168_800_000;

/// Random conversations declaring values for the fields of `env`.
pub fn case(env: &Env) -> BoxedStrategy<Case> {
    let fields: Vec<BoxedStrategy<Option<Json>>> = env.fields.iter().map(field_value).collect();
    let paths: Vec<String> = env.fields.iter().map(|f| f.path.clone()).collect();
    (
        fields,
        top_text(),
        top_text(),
        prop_oneof![
            Just(None),
            Just(Some(Json::Null)),
            select(vec![0.0, 0.3, 0.5, 1.0]).prop_map(|c| Some(json!(c))),
            Just(Some(json!(1.5))),
            Just(Some(json!("high"))),
        ],
        vec(message(), 0..=5),
        0i64..=7_200,
    )
        .prop_map(
            move |(values, intent, channel, confidence, messages, now)| {
                let mut root = Map::new();
                for (path, value) in paths.iter().zip(values) {
                    if let Some(value) = value {
                        put(&mut root, path, value);
                    }
                }
                for (key, value) in [
                    ("intent", intent),
                    ("channel", channel),
                    ("confidence", confidence),
                ] {
                    if let Some(value) = value {
                        root.insert(key.into(), value);
                    }
                }
                root.insert("messages".into(), Json::Array(messages));
                Case {
                    json: Json::Object(root),
                    now: START + now * 1000,
                }
            },
        )
        .boxed()
}

/// Sets the value at a dotted path, making the objects on the way.
fn put(root: &mut Map<String, Json>, path: &str, value: Json) {
    let mut segments: Vec<&str> = path.split('.').collect();
    let last = segments.pop().expect("a path has a last segment");
    let mut at = root;
    for segment in segments {
        at = at
            .entry(segment)
            .or_insert_with(|| Json::Object(Map::new()))
            .as_object_mut()
            .expect("generated paths never end where another goes on");
    }
    at.insert(last.into(), value);
}

/// A field's value: absent, `null`, of its type, or of another.
fn field_value(field: &Field) -> BoxedStrategy<Option<Json>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(Json::Null)),
        5 => right_value(field).prop_map(Some),
        1 => wrong_value(field.ty).prop_map(Some),
    ]
    .boxed()
}

fn right_value(field: &Field) -> BoxedStrategy<Json> {
    match field.ty {
        Ty::Number => number_literal().prop_map(|n| json!(n)).boxed(),
        Ty::Text => text_literal().prop_map(Json::String).boxed(),
        Ty::Bool => any::<bool>().prop_map(Json::Bool).boxed(),
        Ty::Duration => prop_oneof![
            duration_literal().prop_map(|d| json!(d)),
            duration_literal().prop_map(|d| Json::String(format_duration(d))),
        ]
        .boxed(),
        Ty::TextList => vec(text_literal(), 0..3)
            .prop_map(|ts| Json::Array(ts.into_iter().map(Json::String).collect()))
            .boxed(),
    }
}

fn wrong_value(ty: Ty) -> BoxedStrategy<Json> {
    let wrong = match ty {
        Ty::Number => vec![json!("12"), json!(true)],
        Ty::Text => vec![json!(3), json!(["refund"])],
        Ty::Bool => vec![json!("true"), json!(1)],
        Ty::Duration => vec![json!("soon"), json!(true), json!("")],
        Ty::TextList => vec![json!("refund"), json!([1, "a"])],
    };
    select(wrong).boxed()
}

/// The conversation's own `intent` or `channel`: absent, `null`, text, or
/// a number.
fn top_text() -> BoxedStrategy<Option<Json>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(Json::Null)),
        4 => text_literal().prop_map(|t| Some(Json::String(t))),
        1 => Just(Some(json!(7))),
    ]
    .boxed()
}

/// What messages say: the shared words, and sentences that ask for a
/// person, fail, or repeat.
fn said() -> BoxedStrategy<String> {
    let sentences = vec![
        "where is my order",
        "Where is my order?",
        "I want to talk to a person",
        "can I speak to a human please",
        "Sorry, I didn't understand that.",
        "I'm not able to help with that.",
        "thanks",
    ];
    prop_oneof![
        select(sentences).prop_map(String::from),
        select(WORDS).prop_map(String::from),
    ]
    .boxed()
}

fn message() -> BoxedStrategy<Json> {
    let roles = vec![
        "customer",
        "customer",
        "ai",
        "bot",
        "assistant",
        "agent",
        "system",
    ];
    (
        select(roles),
        said(),
        select(vec![-1.0, -0.8, -0.61, -0.2, 0.0, 0.3, 1.0]),
        option::of(0i64..3_600),
        option::of(text_literal()),
        option::of(select(vec![0.2, 0.5, 0.9, 1.5])),
    )
        .prop_map(|(role, text, sentiment, at, intent, confidence)| {
            let mut m = Map::new();
            m.insert("role".into(), json!(role));
            m.insert("text".into(), json!(text));
            // Every customer message has its score, so that the oracle
            // needs no lexicon to know the sentiment.
            if role == "customer" {
                m.insert("sentiment".into(), json!(sentiment));
            }
            if let Some(at) = at {
                let at = format!("2026-11-20T10:{:02}:{:02}Z", at / 60, at % 60);
                m.insert("at".into(), json!(at));
            }
            if let Some(intent) = intent {
                m.insert("intent".into(), json!(intent));
            }
            if let Some(confidence) = confidence {
                m.insert("confidence".into(), json!(confidence));
            }
            Json::Object(m)
        })
        .boxed()
}
