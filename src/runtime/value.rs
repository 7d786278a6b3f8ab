//! Values while deciding: numbers, durations, true/false, text and lists,
//! borrowed from the conversation, the signals or the rules, never copied.

use serde_json::Value as Json;

use crate::check::ir::{Value, format_duration, format_number, quote};

/// A known value.
#[derive(Clone, Copy, Debug)]
pub enum Val<'s> {
    /// A number.
    Num(f64),
    /// A duration in seconds.
    Dur(f64),
    /// True or false.
    Bool(bool),
    /// Text.
    Text(&'s str),
    /// A list.
    List(List<'s>),
}

/// A list, written in a rule or read from the conversation.
#[derive(Clone, Copy, Debug)]
pub enum List<'s> {
    /// Written in a rule: `["refund", "billing"]`.
    Written(&'s [Value]),
    /// A `list of text` field: every item is text (checked when read).
    Json(&'s [Json]),
}

impl<'s> List<'s> {
    /// Whether any item passes `test`, without building an iterator object.
    pub fn any(self, test: impl FnMut(Val<'s>) -> bool) -> bool {
        match self {
            List::Written(items) => items.iter().filter_map(Val::written).any(test),
            List::Json(items) => items
                .iter()
                .filter_map(|j| j.as_str().map(Val::Text))
                .any(test),
        }
    }

    /// The items as values.
    pub fn items(self) -> Box<dyn Iterator<Item = Val<'s>> + 's> {
        match self {
            List::Written(items) => Box::new(items.iter().filter_map(Val::written)),
            List::Json(items) => Box::new(items.iter().filter_map(|j| j.as_str().map(Val::Text))),
        }
    }
}

impl<'s> Val<'s> {
    /// A value written in a rule.
    pub fn written(value: &'s Value) -> Option<Val<'s>> {
        Some(match value {
            Value::Number(n) => Val::Num(*n),
            Value::Duration(d) => Val::Dur(*d),
            Value::Bool(b) => Val::Bool(*b),
            Value::Text(t) => Val::Text(t),
            Value::List(items) => Val::List(List::Written(items)),
        })
    }

    /// Whether two values are equal; text ignores letter case.
    pub fn same(self, other: Val<'_>) -> bool {
        match (self, other) {
            (Val::Num(a), Val::Num(b)) | (Val::Dur(a), Val::Dur(b)) => a == b,
            (Val::Bool(a), Val::Bool(b)) => a == b,
            (Val::Text(a), Val::Text(b)) => text_eq(a, b),
            _ => false,
        }
    }

    /// The value as rule text, for explanations: `1`, `"refund"`, `4h`.
    pub fn show(self) -> String {
        match self {
            Val::Num(n) => format_number(round(n, 3)),
            Val::Dur(d) => format_duration(d.round()),
            Val::Bool(b) => b.to_string(),
            Val::Text(t) => quote(&cut(t, 60)),
            Val::List(l) => format!(
                "[{}]",
                l.items().map(Val::show).collect::<Vec<_>>().join(", ")
            ),
        }
    }

    /// The value as a person reads it in a message: `120000`, `refund`,
    /// `yes`, `20 min`.
    pub fn plain(self) -> String {
        match self {
            Val::Num(n) => format_number(round(n, 2)),
            Val::Dur(d) => super::time::human_duration(d),
            Val::Bool(b) => if b { "yes" } else { "no" }.to_string(),
            Val::Text(t) => t.to_string(),
            Val::List(l) => l.items().map(Val::plain).collect::<Vec<_>>().join(", "),
        }
    }

    /// The value as JSON, for the case brief.
    pub fn json(self) -> Json {
        match self {
            Val::Num(n) => number_json(round(n, 3)),
            Val::Dur(d) => Json::String(format_duration(d.round())),
            Val::Bool(b) => Json::Bool(b),
            Val::Text(t) => Json::String(cut(t, 200)),
            Val::List(l) => Json::Array(l.items().map(Val::json).collect()),
        }
    }
}

/// A number as JSON: whole numbers without a fraction (`120000`, not `120000.0`).
pub fn number_json(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        Json::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)
    }
}

/// Text equality ignoring letter case, without allocating for ASCII text.
pub fn text_eq(a: &str, b: &str) -> bool {
    // Equal but for the case of ASCII letters is equal; otherwise only
    // other letters' case can still make them equal.
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        return false;
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// `n` rounded to `places` decimal places.
pub fn round(n: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    let r = (n * scale).round() / scale;
    if r == 0.0 { 0.0 } else { r }
}

/// Text cut to at most `max` characters, with `...` when cut.
pub fn cut(text: &str, max: usize) -> String {
    // No more bytes than `max`: no more characters either.
    if text.len() <= max || text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(3)).collect();
    format!("{}...", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_equality_ignores_case() {
        assert!(text_eq("Refund", "refund"));
        assert!(text_eq("ÉTÉ", "été"));
        assert!(!text_eq("refund", "refunds"));
    }

    #[test]
    fn values_read_as_written() {
        assert_eq!(Val::Num(-0.8).show(), "-0.8");
        assert_eq!(Val::Num(0.123456).show(), "0.123");
        assert_eq!(Val::Dur(5400.0).show(), "1h30m");
        assert_eq!(Val::Text("refund").show(), "\"refund\"");
        assert_eq!(Val::Bool(true).plain(), "yes");
        assert_eq!(Val::Num(120_000.0).plain(), "120000");
        assert_eq!(cut("abcdefghij", 6), "abc...");
    }
}
