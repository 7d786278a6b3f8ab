//! A conversation as the runtime reads it: its messages with their roles,
//! times and scores, borrowed from the parsed JSON. A conversation that
//! cannot be read is an input error for that conversation only; a value of
//! the wrong type is a warning, and the value is treated as missing.

use serde::Serialize;
use serde_json::Value as Json;

use super::time::{Millis, parse_rfc3339};
use crate::diagnostic::Code;

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The customer.
    Customer,
    /// The AI agent (`ai`, `bot` or `assistant` in the input).
    Ai,
    /// A human agent.
    Agent,
    /// The platform itself.
    System,
}

/// One message of a conversation.
#[derive(Clone, Debug)]
pub struct Message<'a> {
    /// Who wrote it.
    pub role: Role,
    /// What it says ("" when the message carries only actions).
    pub text: &'a str,
    /// When it was written, if known.
    pub at: Option<Millis>,
    /// A sentiment score from -1 to 1 provided with the message.
    pub sentiment: Option<f64>,
    /// An intent label provided with the message.
    pub intent: Option<&'a str>,
    /// The AI's self-reported confidence, from 0 to 1.
    pub confidence: Option<f64>,
    /// What the AI did (`lookup_invoice`, ...).
    pub actions: Vec<&'a str>,
    /// Whether the platform marked the message as a failed attempt
    /// (`"failed": true`).
    pub failed: bool,
}

/// A conversation read from JSON.
#[derive(Clone, Debug)]
pub struct Conversation<'a> {
    /// The whole JSON object, for declared fields.
    pub root: &'a serde_json::Map<String, Json>,
    /// Its `id`, when it has one.
    pub id: Option<String>,
    /// Its messages, in order.
    pub messages: Vec<Message<'a>>,
    /// What was odd in it but could be read around.
    pub warnings: Vec<Warning>,
}

/// A conversation that cannot be decided, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InputError {
    /// `E0401` to `E0404`.
    #[serde(serialize_with = "code_str")]
    pub code: Code,
    /// What is wrong, in one line.
    pub message: String,
}

/// Something odd in a conversation that was read around.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// `W0401` or `W0402`.
    #[serde(serialize_with = "code_str")]
    pub code: Code,
    /// What was odd and what was done about it.
    pub message: String,
}

fn code_str<S: serde::Serializer>(code: &Code, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(code.as_str())
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for InputError {}

impl InputError {
    /// The line `baton decide` writes for a conversation that could not be
    /// decided: `{"line": N, "error": {"code", "message"}}`, with `"file"`
    /// when the input came from a named file.
    pub fn record(&self, line: usize, file: Option<&str>) -> Json {
        let mut record = serde_json::json!({ "line": line, "error": self });
        if let Some(file) = file {
            record["file"] = Json::String(file.to_string());
        }
        record
    }

    fn new(code: Code, message: impl Into<String>) -> InputError {
        InputError {
            code,
            message: message.into(),
        }
    }
}

/// The kind of a JSON value, in words.
pub fn kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "true/false",
        Json::Number(_) => "a number",
        Json::String(_) => "text",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// A JSON value as shown in messages, cut short.
pub fn show(value: &Json) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(37).collect::<String>())
    } else {
        text
    }
}

impl<'a> Conversation<'a> {
    /// Reads a conversation from parsed JSON.
    pub fn read(json: &'a Json) -> Result<Conversation<'a>, InputError> {
        let Json::Object(root) = json else {
            return Err(InputError::new(
                Code::E0402,
                format!(
                    "a conversation is a JSON object with a `messages` list, not {}",
                    kind(json)
                ),
            ));
        };
        let list = match root.get("messages") {
            Some(Json::Array(list)) => list,
            Some(other) => {
                return Err(InputError::new(
                    Code::E0402,
                    format!("`messages` must be a list of messages, not {}", kind(other)),
                ));
            }
            None => {
                return Err(InputError::new(
                    Code::E0402,
                    "this conversation has no `messages` list",
                ));
            }
        };
        let id = match root.get("id") {
            Some(Json::String(s)) => Some(s.clone()),
            Some(Json::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let mut conversation = Conversation {
            root,
            id,
            messages: Vec::with_capacity(list.len()),
            warnings: Vec::new(),
        };
        for (i, m) in list.iter().enumerate() {
            let message = conversation.message(i + 1, m)?;
            conversation.messages.push(message);
        }
        Ok(conversation)
    }

    fn message(&mut self, n: usize, json: &'a Json) -> Result<Message<'a>, InputError> {
        let Json::Object(m) = json else {
            return Err(InputError::new(
                Code::E0402,
                format!("message {n} is {}, not a message object", kind(json)),
            ));
        };
        let f = Fields::of(m);
        let role = match f.role {
            Some(Json::String(r)) => match r.as_str() {
                "customer" => Role::Customer,
                "ai" | "bot" | "assistant" => Role::Ai,
                "agent" => Role::Agent,
                "system" => Role::System,
                other => {
                    return Err(InputError::new(
                        Code::E0403,
                        format!(
                            "message {n} has the role `{other}`; a role is customer, ai (or bot, assistant), agent or system"
                        ),
                    ));
                }
            },
            Some(other) => {
                return Err(InputError::new(
                    Code::E0403,
                    format!(
                        "message {n} has {} as its role, not a role name",
                        kind(other)
                    ),
                ));
            }
            None => {
                return Err(InputError::new(
                    Code::E0403,
                    format!("message {n} has no `role`"),
                ));
            }
        };
        let text = match f.text {
            Some(Json::String(t)) => t.as_str(),
            None | Some(Json::Null) => "",
            Some(other) => {
                return Err(InputError::new(
                    Code::E0404,
                    format!("message {n}'s `text` is {}, not text", kind(other)),
                ));
            }
        };
        let at = match f.at {
            None | Some(Json::Null) => None,
            Some(Json::String(t)) => {
                let parsed = parse_rfc3339(t);
                if parsed.is_none() {
                    self.warn(Code::W0402, format!("message {n}'s time `{t}` is not an RFC 3339 time such as 2026-11-20T10:00:00Z; ignored"));
                }
                parsed
            }
            Some(other) => {
                self.warn(
                    Code::W0402,
                    format!(
                        "message {n}'s time is {}, not an RFC 3339 time; ignored",
                        kind(other)
                    ),
                );
                None
            }
        };
        let sentiment = self.score(n, f.sentiment, "sentiment", -1.0);
        let confidence = self.score(n, f.confidence, "confidence", 0.0);
        let intent = match f.intent {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) => Some(s.as_str()),
            Some(other) => {
                self.warn(
                    Code::W0401,
                    format!(
                        "message {n}'s `intent` is {}, not text; ignored",
                        kind(other)
                    ),
                );
                None
            }
        };
        let actions = match f.actions {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Array(items)) => {
                let names: Vec<&str> = items.iter().filter_map(Json::as_str).collect();
                if names.len() < items.len() {
                    self.warn(Code::W0401, format!("message {n}'s `actions` holds values that are not text; they were left out"));
                }
                names
            }
            Some(other) => {
                self.warn(
                    Code::W0401,
                    format!(
                        "message {n}'s `actions` is {}, not a list; ignored",
                        kind(other)
                    ),
                );
                Vec::new()
            }
        };
        let failed = match f.failed {
            None | Some(Json::Null) => false,
            Some(Json::Bool(b)) => *b,
            Some(other) => {
                self.warn(
                    Code::W0401,
                    format!(
                        "message {n}'s `failed` is {}, not true or false; ignored",
                        kind(other)
                    ),
                );
                false
            }
        };
        Ok(Message {
            role,
            text,
            at,
            sentiment,
            intent,
            confidence,
            actions,
            failed,
        })
    }

    /// A score from `low` to 1 in message `n`, or a warning.
    fn score(&mut self, n: usize, value: Option<&Json>, name: &str, low: f64) -> Option<f64> {
        match value {
            None | Some(Json::Null) => None,
            Some(Json::Number(x)) => match x.as_f64() {
                Some(x) if (low..=1.0).contains(&x) => Some(x),
                _ => {
                    self.warn(
                        Code::W0401,
                        format!("message {n}'s `{name}` is {x}, outside {low}..1; ignored"),
                    );
                    None
                }
            },
            Some(other) => {
                self.warn(
                    Code::W0401,
                    format!(
                        "message {n}'s `{name}` is {}, not a number; ignored",
                        kind(other)
                    ),
                );
                None
            }
        }
    }

    fn warn(&mut self, code: Code, message: String) {
        self.warnings.push(Warning { code, message });
    }

    /// The messages written by `role`.
    pub fn by(&self, role: Role) -> impl Iterator<Item = &Message<'a>> {
        self.messages.iter().filter(move |m| m.role == role)
    }
}

/// The fields of a message object that baton reads, found in one pass over
/// the object rather than looked up one by one.
#[derive(Default)]
struct Fields<'a> {
    role: Option<&'a Json>,
    text: Option<&'a Json>,
    at: Option<&'a Json>,
    sentiment: Option<&'a Json>,
    confidence: Option<&'a Json>,
    intent: Option<&'a Json>,
    actions: Option<&'a Json>,
    failed: Option<&'a Json>,
}

impl<'a> Fields<'a> {
    fn of(message: &'a serde_json::Map<String, Json>) -> Fields<'a> {
        let mut f = Fields::default();
        for (key, value) in message {
            let slot = match key.as_str() {
                "role" => &mut f.role,
                "text" => &mut f.text,
                "at" => &mut f.at,
                "sentiment" => &mut f.sentiment,
                "confidence" => &mut f.confidence,
                "intent" => &mut f.intent,
                "actions" => &mut f.actions,
                "failed" => &mut f.failed,
                _ => continue,
            };
            *slot = Some(value);
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Conversation<'static>, InputError> {
        let json: &'static Json = Box::leak(Box::new(serde_json::from_str(text).unwrap()));
        Conversation::read(json)
    }

    #[test]
    fn bot_and_assistant_are_the_ai() {
        let c = read(r#"{"messages":[{"role":"bot","text":"hi"},{"role":"assistant","text":"yo"},{"role":"customer","text":"hey"}]}"#).unwrap();
        let roles: Vec<Role> = c.messages.iter().map(|m| m.role).collect();
        assert_eq!(roles, [Role::Ai, Role::Ai, Role::Customer]);
    }

    #[test]
    fn an_unknown_role_is_an_error_naming_the_message() {
        let e =
            read(r#"{"messages":[{"role":"customer","text":"a"},{"role":"robot","text":"b"}]}"#)
                .unwrap_err();
        assert_eq!(e.code, Code::E0403);
        assert!(
            e.message.starts_with("message 2 has the role `robot`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn odd_values_are_warned_about_and_ignored() {
        let c = read(r#"{"messages":[{"role":"customer","text":"a","sentiment":3,"at":"yesterday","actions":"x"}]}"#).unwrap();
        assert_eq!(c.messages[0].sentiment, None);
        assert_eq!(c.messages[0].at, None);
        let codes: Vec<&str> = c.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(codes, ["W0402", "W0401", "W0401"]);
    }

    #[test]
    fn what_is_not_a_conversation_is_said_plainly() {
        assert_eq!(
            read("[1, 2]").unwrap_err().message,
            "a conversation is a JSON object with a `messages` list, not a list"
        );
        assert_eq!(
            read("{}").unwrap_err().message,
            "this conversation has no `messages` list"
        );
        assert_eq!(
            read(r#"{"messages":[{"role":"ai","text":3}]}"#)
                .unwrap_err()
                .code,
            Code::E0404
        );
    }
}
