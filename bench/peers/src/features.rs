//! Conversations to flat feature objects, computed once and untimed.
//!
//! Every feature is total: a conversation that lacks a value gets a
//! documented stand-in, so no engine ever meets a missing value (missing-value
//! semantics differ between engines and are not what is compared).
//!
//! | feature | from | when absent |
//! | --- | --- | --- |
//! | `sentiment`, `sentiment_min`, `sentiment_avg`, `sentiment_trend` | baton's signals | `0` |
//! | `loops`, `failed_attempts`, `turns`, `customer_turns`, `ai_turns` | baton's signals | `0` |
//! | `asked_for_human` | baton's signal | `false` |
//! | `channel` | baton's signal | `"unknown"` |
//! | `duration_m` | baton's `duration` signal, in minutes | `0` |
//! | `intent` | baton's signal; else the corpus's task label (STAR task, τ-bench domain, ABCD flow), standing in for an intent classifier | `"none"` |
//! | `confidence` | baton's signal | synthetic (see below) |
//! | `waiting_m` | baton's `waiting` signal, in minutes | synthetic |
//! | `tier` | the conversation's `customer.tier` | synthetic |
//! | `arr` | the conversation's `customer.arr` | synthetic |
//!
//! The corpus carries no timestamps, no AI confidence and no customer record,
//! so `confidence`, `waiting_m`, `tier` and `arr` would be one constant for
//! every conversation and every rule reading them would be dead. They are
//! instead drawn deterministically from a hash of the conversation's `id`
//! (the same value on every run and machine), standing in for what the
//! platform and the CRM would supply. Only rule evaluation is measured, so
//! this changes which rules decide, not what a decision costs per rule.
//!
//! Text features are lower case: baton compares text ignoring case, the
//! other engines compare it exactly, and lower-case values and rule literals
//! make both the same.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json, json};

/// The kind of a feature's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A number (always stored as a float).
    Num,
    /// Lower-case text.
    Text,
    /// True or false.
    Bool,
}

/// Every feature, with its kind, in a fixed order.
pub const FEATURES: &[(&str, Kind)] = &[
    ("sentiment", Kind::Num),
    ("sentiment_min", Kind::Num),
    ("sentiment_avg", Kind::Num),
    ("sentiment_trend", Kind::Num),
    ("loops", Kind::Num),
    ("failed_attempts", Kind::Num),
    ("turns", Kind::Num),
    ("customer_turns", Kind::Num),
    ("ai_turns", Kind::Num),
    ("asked_for_human", Kind::Bool),
    ("channel", Kind::Text),
    ("duration_m", Kind::Num),
    ("intent", Kind::Text),
    ("confidence", Kind::Num),
    ("waiting_m", Kind::Num),
    ("tier", Kind::Text),
    ("arr", Kind::Num),
];

/// The kind of the feature `name`, if there is one.
pub fn kind(name: &str) -> Option<Kind> {
    FEATURES.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

/// One conversation's features.
pub struct Row {
    /// The conversation's `id` (or its line number).
    pub id: String,
    /// The features, by name, every one present.
    pub f: Map<String, Json>,
    /// `{"f": {...}, "messages": []}`: what baton decides on.
    pub doc: Json,
}

/// The corpus read and turned into features.
pub struct Corpus {
    /// Where the conversations came from, relative to the workspace root.
    pub shown: String,
    /// One row per conversation, in file order.
    pub rows: Vec<Row>,
    /// How many features were synthetic, by feature name.
    pub synthetic: Vec<(&'static str, usize)>,
}

/// The workspace root, from this crate's manifest directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads the full corpus when it is there, else the slice kept in the tests.
pub fn load() -> Result<Corpus, String> {
    let root = workspace_root();
    let full = "../shared/data/conversations.jsonl";
    let slice = "tests/data/conversations-slice.jsonl";
    let shown = if root.join(full).is_file() {
        full
    } else {
        slice
    };
    let text = std::fs::read_to_string(root.join(shown))
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    // Any rules will do for reading signals: `signal_values` does not use them.
    let rules = baton::Rules::from_text("features.baton", "default continue\n")
        .map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    let mut synthetic = vec![("confidence", 0), ("waiting_m", 0), ("tier", 0), ("arr", 0)];
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let json: Json =
            serde_json::from_str(line).map_err(|e| format!("{shown}:{}: not JSON: {e}", n + 1))?;
        let (row, made) =
            features(&rules, &json, n + 1).map_err(|e| format!("{shown}:{}: {e}", n + 1))?;
        for (count, was) in synthetic.iter_mut().zip(made) {
            count.1 += usize::from(was);
        }
        rows.push(row);
    }
    Ok(Corpus {
        shown: shown.to_string(),
        rows,
        synthetic,
    })
}

/// The features of one conversation, and which of the synthetic four were
/// made up (confidence, waiting_m, tier, arr).
fn features(rules: &baton::Rules, json: &Json, line: usize) -> Result<(Row, [bool; 4]), String> {
    let id = json
        .get("id")
        .and_then(Json::as_str)
        .map_or_else(|| format!("line-{line}"), str::to_string);
    let now = json
        .get("messages")
        .and_then(Json::as_array)
        .and_then(|m| m.last())
        .and_then(|m| m.get("at"))
        .and_then(Json::as_str)
        .and_then(baton::runtime::time::parse_rfc3339)
        .map(|at| at + 10 * 60 * 1000);
    let options = baton::runtime::Options {
        now,
        explain: false,
    };
    let s = rules
        .signal_values(json, &options)
        .map_err(|e| e.message.clone())?;
    let mut draw = Draw::new(&id);
    let num = |name: &str| s.get(name).and_then(Json::as_f64);
    let text = |name: &str| s.get(name).and_then(Json::as_str).map(str::to_lowercase);
    let minutes = |name: &str| {
        s.get(name)
            .and_then(Json::as_str)
            .and_then(parse_duration)
            .map(|secs| round(secs / 60.0, 2))
    };

    let mut f = Map::new();
    for name in [
        "sentiment",
        "sentiment_min",
        "sentiment_avg",
        "sentiment_trend",
        "loops",
        "failed_attempts",
        "turns",
        "customer_turns",
        "ai_turns",
    ] {
        f.insert(name.into(), float(num(name).unwrap_or(0.0)));
    }
    let asked = s
        .get("asked_for_human")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    f.insert("asked_for_human".into(), Json::Bool(asked));
    f.insert(
        "channel".into(),
        Json::String(text("channel").unwrap_or_else(|| "unknown".into())),
    );
    f.insert(
        "duration_m".into(),
        float(minutes("duration").unwrap_or(0.0)),
    );
    let intent = text("intent")
        .or_else(|| task_label(json))
        .unwrap_or_else(|| "none".into());
    f.insert("intent".into(), Json::String(intent));

    // The synthetic four, each drawn whether used or not so that one
    // conversation's draws never depend on what it carries.
    let confidence_draw = {
        let u = draw.unit();
        round(1.0 - 0.8 * u * u, 2)
    };
    let waiting_draw = {
        let (u, v) = (draw.unit(), draw.unit());
        if u < 0.55 {
            0.0
        } else {
            round(v * 30.0 * 2.0, 0) / 2.0
        }
    };
    let (tier_draw, arr_draw) = {
        let (u, v) = (draw.unit(), draw.unit());
        if u < 0.55 {
            ("free", 0.0)
        } else if u < 0.85 {
            ("pro", ((1_000.0 + v * 29_000.0) / 100.0).round() * 100.0)
        } else {
            ("enterprise", (20.0 + v * 380.0).round() * 1_000.0)
        }
    };
    let customer = json.get("customer");
    let tier = customer
        .and_then(|c| c.get("tier"))
        .and_then(Json::as_str)
        .map(str::to_lowercase);
    let arr = customer.and_then(|c| c.get("arr")).and_then(Json::as_f64);
    let made = [
        num("confidence").is_none(),
        minutes("waiting").is_none(),
        tier.is_none(),
        arr.is_none(),
    ];
    f.insert(
        "confidence".into(),
        float(num("confidence").unwrap_or(confidence_draw)),
    );
    f.insert(
        "waiting_m".into(),
        float(minutes("waiting").unwrap_or(waiting_draw)),
    );
    f.insert(
        "tier".into(),
        Json::String(tier.unwrap_or_else(|| tier_draw.into())),
    );
    f.insert("arr".into(), float(arr.unwrap_or(arr_draw)));

    for (name, kind) in FEATURES {
        let ok = matches!(
            (f.get(*name), kind),
            (Some(Json::Number(_)), Kind::Num)
                | (Some(Json::String(_)), Kind::Text)
                | (Some(Json::Bool(_)), Kind::Bool)
        );
        if !ok {
            return Err(format!("feature {name} is not a {kind:?}"));
        }
    }
    let doc = json!({ "f": Json::Object(f.clone()), "messages": [] });
    Ok((Row { id, f, doc }, made))
}

/// The corpus's own task label: the first STAR task, the τ-bench domain or
/// the ABCD flow, lower case.
fn task_label(json: &Json) -> Option<String> {
    let meta = json.get("metadata")?;
    let label = meta
        .get("tasks")
        .and_then(Json::as_array)
        .and_then(|t| t.first())
        .and_then(Json::as_str)
        .or_else(|| meta.get("flow").and_then(Json::as_str))
        .or_else(|| meta.get("domain").and_then(Json::as_str))?;
    Some(label.to_lowercase())
}

/// A number as a JSON float (never an integer), so that every engine sees
/// one numeric type.
fn float(n: f64) -> Json {
    serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)
}

fn round(n: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (n * scale).round() / scale
}

/// Reads a duration as baton writes it (`1h30m`, `45s`, `2.5s`) into seconds.
pub fn parse_duration(text: &str) -> Option<f64> {
    let (sign, mut rest) = match text.strip_prefix('-') {
        Some(r) => (-1.0, r),
        None => (1.0, text),
    };
    let mut total = 0.0;
    while !rest.is_empty() {
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let value: f64 = rest[..end].parse().ok()?;
        let unit = rest[end..].chars().next()?;
        total += value
            * match unit {
                'd' => 86_400.0,
                'h' => 3_600.0,
                'm' => 60.0,
                's' => 1.0,
                _ => return None,
            };
        rest = &rest[end + 1..];
    }
    Some(sign * total)
}

/// Deterministic draws from a conversation's id: FNV-1a, then splitmix64.
struct Draw(u64);

impl Draw {
    fn new(id: &str) -> Draw {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in id.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Draw(h)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h30m"), Some(5400.0));
        assert_eq!(parse_duration("2.5s"), Some(2.5));
        assert_eq!(parse_duration("0s"), Some(0.0));
        assert_eq!(parse_duration("-2m"), Some(-120.0));
    }
}
