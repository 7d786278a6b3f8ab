//! Fuzz target `decide_structured`: a conversation built from the fuzzer's
//! bytes with `arbitrary`, always valid JSON of roughly the documented shape
//! (messages with roles, texts made of words the signals look for, times,
//! scores, actions; fields of mixed types, nested), so the fuzzer spends its
//! time in the runtime rather than in the JSON parser (`BATON_FUZZ_PRINT=1` shows the JSON
//! of an input). Asserts what `decide`
//! asserts: no panic, a decision or an input error, every path agreeing.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value as Json, json};

fuzz_target!(|conversation: Conversation| {
    let json = conversation.json();
    let text = json.to_string();
    // `BATON_FUZZ_PRINT=1 cargo +nightly fuzz run decide_structured FILE`
    // prints the conversation a finding builds, to keep it as a regression.
    if print() {
        eprintln!("{text}");
    }
    baton_fuzz::decide_text(&text);
});

fn print() -> bool {
    static PRINT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *PRINT.get_or_init(|| std::env::var_os("BATON_FUZZ_PRINT").is_some())
}

/// A conversation: an id, top-level fields, messages; sometimes not an
/// object at all, or with `messages` of the wrong kind.
#[derive(Arbitrary, Debug)]
struct Conversation {
    id: Option<Value>,
    intent: Option<Text>,
    confidence: Option<Number>,
    customer: Option<Customer>,
    fields: Vec<(Key, Value)>,
    messages: Messages,
}

#[derive(Arbitrary, Debug)]
enum Messages {
    List(Vec<Message>),
    Missing,
    Other(Value),
    NotAnObject(Value),
}

#[derive(Arbitrary, Debug)]
struct Customer {
    tier: Option<Value>,
    arr: Option<Value>,
    name: Option<Text>,
    account_manager: Option<Value>,
}

#[derive(Arbitrary, Debug)]
struct Message {
    role: Role,
    text: Option<Result<Text, Value>>,
    at: Option<Time>,
    sentiment: Option<Number>,
    confidence: Option<Number>,
    intent: Option<Text>,
    actions: Option<Value>,
    failed: Option<Value>,
    extra: Vec<(Key, Value)>,
}

#[derive(Arbitrary, Debug)]
enum Role {
    Customer,
    Ai,
    Bot,
    Assistant,
    Agent,
    System,
    Missing,
    Other(Value),
}

/// Text made of words the signals read (requests for a person, failed AI
/// turns, anger, thanks), or anything at all.
#[derive(Arbitrary, Debug)]
enum Text {
    Words(Vec<u8>),
    Raw(String),
}

#[rustfmt::skip] // Kept as a paragraph: one word a line hides the list.
const WORDS: &[&str] = &[
    "i", "want", "to", "talk", "speak", "with", "a", "human", "person", "agent",
    "representative", "supervisor", "manager", "someone", "real", "please", "now",
    "transfer", "me", "connect", "escalate", "customer", "service", "don't", "not",
    "never", "no", "need", "sorry", "i can't", "unable to", "didn't understand",
    "not possible", "ridiculous", "unacceptable", "useless", "worst", "scam",
    "hacked", "fraud", "stolen", "lawyer", "sue you", "gdpr", "delete my account",
    "refund", "charged", "twice", "invoice", "order", "where", "is", "my", "thanks",
    "thank you", "ok", "bye", "great", "good", "love", "hate", "terrible", "!!!",
    "?", ".", ",", ":)", ":(", "NOT", "VERY", "very", "extremely", "but", "kind of",
    "😡", "é", "\t", "\n", "\u{0}", "\u{202e}",
];

impl Text {
    fn json(&self) -> Json {
        match self {
            Text::Words(picks) => {
                let words: Vec<&str> = picks
                    .iter()
                    .map(|&b| WORDS[b as usize % WORDS.len()])
                    .collect();
                Json::String(words.join(" "))
            }
            Text::Raw(s) => Json::String(s.clone()),
        }
    }
}

/// A time: RFC 3339 from parts (some out of range), or anything else.
#[derive(Arbitrary, Debug)]
enum Time {
    Parts {
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        fraction: Option<u32>,
        offset: Option<(bool, u8, u8)>,
    },
    Near(i16),
    Other(Value),
}

impl Time {
    fn json(&self) -> Json {
        match self {
            Time::Parts {
                year,
                month,
                day,
                hour,
                minute,
                second,
                fraction,
                offset,
            } => {
                let fraction = fraction.map_or(String::new(), |f| format!(".{f}"));
                let zone = match offset {
                    None => "Z".to_string(),
                    Some((east, h, m)) => {
                        format!(
                            "{}{:02}:{:02}",
                            if *east { '+' } else { '-' },
                            h % 30,
                            m % 70
                        )
                    }
                };
                Json::String(format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}{zone}",
                    year % 10000,
                    month % 14,
                    day % 33,
                    hour % 26,
                    minute % 62,
                    second % 62
                ))
            }
            // Minutes around the evaluation time (2026-11-20T12:00:00Z).
            Time::Near(minutes) => {
                let total = 12 * 60 + i32::from(*minutes);
                let (day, rest) = (20 + total.div_euclid(1440), total.rem_euclid(1440));
                Json::String(format!(
                    "2026-11-{:02}T{:02}:{:02}:00Z",
                    day.clamp(1, 30),
                    rest / 60,
                    rest % 60
                ))
            }
            Time::Other(v) => v.json(0),
        }
    }
}

/// A score: in range, at the edges, out of range, or not a number.
#[derive(Arbitrary, Debug)]
enum Number {
    Unit(i8),
    Float(f64),
    Int(i64),
    Other(Value),
}

impl Number {
    fn json(&self) -> Json {
        match self {
            Number::Unit(x) => json!(f64::from(*x) / 127.0),
            Number::Float(x) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
            Number::Int(x) => json!(x),
            Number::Other(v) => v.json(0),
        }
    }
}

/// A field name: one the bundled rules read, or any.
#[derive(Arbitrary, Debug)]
enum Key {
    Known(u8),
    Raw(String),
}

#[rustfmt::skip] // Kept as a paragraph: one word a line hides the list.
const KEYS: &[&str] = &[
    "id", "messages", "intent", "confidence", "customer", "order", "refund", "channel",
    "tier", "arr", "name", "account_manager", "amount", "role", "text", "at",
];

impl Key {
    fn name(&self) -> String {
        match self {
            Key::Known(i) => KEYS[*i as usize % KEYS.len()].to_string(),
            Key::Raw(s) => s.clone(),
        }
    }
}

/// Any JSON value, nested.
#[derive(Arbitrary, Debug)]
enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Big(u64),
    Text(Text),
    Known(u8),
    List(Vec<Value>),
    Object(Vec<(Key, Value)>),
    Deep(u16, Box<Value>),
}

/// Deeper than this the value is cut, so building the JSON stays quick.
const MAX_DEPTH: usize = 64;

/// Values the bundled rules compare with.
#[rustfmt::skip] // Kept as a paragraph: one word a line hides the list.
const KNOWN: &[&str] = &[
    "free", "pro", "enterprise", "refund", "refund_request", "billing_dispute",
    "double_charge", "invoice_question", "order_status", "password_reset",
    "shipping_info", "store_hours", "faq", "customer", "ai", "agent", "50000", "",
];

impl Value {
    fn json(&self, depth: usize) -> Json {
        if depth > MAX_DEPTH {
            return Json::Null;
        }
        match self {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => json!(i),
            Value::Float(x) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
            Value::Big(n) => json!(n),
            Value::Text(t) => t.json(),
            Value::Known(i) => Json::String(KNOWN[*i as usize % KNOWN.len()].to_string()),
            Value::List(items) => Json::Array(items.iter().map(|v| v.json(depth + 1)).collect()),
            Value::Object(entries) => object(entries, depth + 1),
            // A value wrapped in many lists or objects: serde_json refuses
            // more than 128 levels, which the runtime must report, not crash
            // on. The inner value is built as if already deep, so a `Deep`
            // inside a `Deep` wraps nothing more than `Null`.
            Value::Deep(n, inner) => {
                let mut v = if depth >= MAX_DEPTH {
                    Json::Null
                } else {
                    inner.json(MAX_DEPTH)
                };
                for level in 0..(*n % 200) {
                    v = if level % 2 == 0 {
                        Json::Array(vec![v])
                    } else {
                        Json::Object(Map::from_iter([("a".to_string(), v)]))
                    };
                }
                v
            }
        }
    }
}

fn object(entries: &[(Key, Value)], depth: usize) -> Json {
    let mut map = Map::new();
    for (key, value) in entries {
        map.insert(key.name(), value.json(depth));
    }
    Json::Object(map)
}

impl Conversation {
    fn json(&self) -> Json {
        let mut root = Map::new();
        for (key, value) in &self.fields {
            root.insert(key.name(), value.json(1));
        }
        if let Some(id) = &self.id {
            root.insert("id".into(), id.json(1));
        }
        if let Some(intent) = &self.intent {
            root.insert("intent".into(), intent.json());
        }
        if let Some(confidence) = &self.confidence {
            root.insert("confidence".into(), confidence.json());
        }
        if let Some(c) = &self.customer {
            let mut customer = Map::new();
            let mut put = |k: &str, v: Option<Json>| {
                if let Some(v) = v {
                    customer.insert(k.into(), v);
                }
            };
            put("tier", c.tier.as_ref().map(|v| v.json(2)));
            put("arr", c.arr.as_ref().map(|v| v.json(2)));
            put("name", c.name.as_ref().map(Text::json));
            put(
                "account_manager",
                c.account_manager.as_ref().map(|v| v.json(2)),
            );
            root.insert("customer".into(), Json::Object(customer));
        }
        match &self.messages {
            Messages::List(list) => {
                let list = list.iter().map(Message::json).collect();
                root.insert("messages".into(), Json::Array(list));
            }
            Messages::Missing => {
                root.remove("messages");
            }
            Messages::Other(v) => {
                root.insert("messages".into(), v.json(1));
            }
            Messages::NotAnObject(v) => return v.json(0),
        }
        Json::Object(root)
    }
}

impl Message {
    fn json(&self) -> Json {
        let mut m = object(&self.extra, 2);
        let role = match &self.role {
            Role::Customer => Some(json!("customer")),
            Role::Ai => Some(json!("ai")),
            Role::Bot => Some(json!("bot")),
            Role::Assistant => Some(json!("assistant")),
            Role::Agent => Some(json!("agent")),
            Role::System => Some(json!("system")),
            Role::Missing => None,
            Role::Other(v) => Some(v.json(2)),
        };
        let mut put = |k: &str, v: Option<Json>| {
            if let Some(v) = v {
                m.as_object_mut().expect("an object").insert(k.into(), v);
            } else if k == "role" {
                m.as_object_mut().expect("an object").remove(k);
            }
        };
        put("role", role);
        put(
            "text",
            self.text.as_ref().map(|t| match t {
                Ok(text) => text.json(),
                Err(other) => other.json(2),
            }),
        );
        put("at", self.at.as_ref().map(Time::json));
        put("sentiment", self.sentiment.as_ref().map(Number::json));
        put("confidence", self.confidence.as_ref().map(Number::json));
        put("intent", self.intent.as_ref().map(Text::json));
        put("actions", self.actions.as_ref().map(|v| v.json(2)));
        put("failed", self.failed.as_ref().map(|v| v.json(2)));
        m
    }
}
