//! A conversation as the runtime reads it: its messages with their roles,
//! times and scores, borrowed from the parsed JSON. A conversation that
//! cannot be read is an input error for that conversation only; a value of
//! the wrong type is a warning, and the value is treated as missing.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value as Json;

use super::read::{Input, List};

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
            return Err(not_a_conversation(json));
        };
        let list = match root.get("messages") {
            Some(Json::Array(list)) => list,
            Some(other) => return Err(messages_not_a_list(other)),
            None => return Err(no_messages()),
        };
        Conversation::assemble(
            root,
            list.len(),
            list.iter().map(|m| match m {
                Json::Object(m) => Ok(MessageFields::of(m)),
                other => Err(other),
            }),
        )
    }

    /// Reads a conversation from what [`parse_kept`](super::parse_kept)
    /// kept of its text.
    pub fn from_input(input: &'a Input<'_>) -> Result<Conversation<'a>, InputError> {
        let root = input.root.as_ref().map_err(not_a_conversation)?;
        let (messages, then) = match &input.messages {
            Some(List::Items { messages, then }) => (messages, then),
            Some(List::Not(other)) => return Err(messages_not_a_list(other)),
            None => return Err(no_messages()),
        };
        Conversation::assemble(
            root,
            messages.len(),
            messages
                .iter()
                .map(|fields| Ok(fields.view()))
                .chain(then.iter().map(Err)),
        )
    }

    /// The conversation with top-level object `root` and `count` messages,
    /// each given as its fields or, when it is not an object, as itself.
    fn assemble(
        root: &'a serde_json::Map<String, Json>,
        count: usize,
        messages: impl Iterator<Item = Result<MessageFields<Field<'a>>, &'a Json>>,
    ) -> Result<Conversation<'a>, InputError> {
        let id = match root.get("id") {
            Some(Json::String(s)) => Some(s.clone()),
            Some(Json::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let mut conversation = Conversation {
            root,
            id,
            messages: Vec::with_capacity(count),
            warnings: Vec::new(),
        };
        for (i, fields) in messages.enumerate() {
            let n = i + 1;
            let fields = fields.map_err(|other| {
                InputError::new(
                    Code::E0402,
                    format!("message {n} is {}, not a message object", kind(other)),
                )
            })?;
            let message = conversation.message(n, &fields)?;
            conversation.messages.push(message);
        }
        Ok(conversation)
    }

    fn message(
        &mut self,
        n: usize,
        f: &MessageFields<Field<'a>>,
    ) -> Result<Message<'a>, InputError> {
        let role = match f.role {
            Some(Field::Text(r)) => match r {
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
                        other.kind()
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
            Some(Field::Text(t)) => t,
            None | Some(Field::Json(Json::Null)) => "",
            Some(other) => {
                return Err(InputError::new(
                    Code::E0404,
                    format!("message {n}'s `text` is {}, not text", other.kind()),
                ));
            }
        };
        let at = match f.at {
            None | Some(Field::Json(Json::Null)) => None,
            Some(Field::Text(t)) => {
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
                        other.kind()
                    ),
                );
                None
            }
        };
        let sentiment = self.score(n, f.sentiment, "sentiment", -1.0);
        let confidence = self.score(n, f.confidence, "confidence", 0.0);
        let intent = match f.intent {
            None | Some(Field::Json(Json::Null)) => None,
            Some(Field::Text(s)) => Some(s),
            Some(other) => {
                self.warn(
                    Code::W0401,
                    format!(
                        "message {n}'s `intent` is {}, not text; ignored",
                        other.kind()
                    ),
                );
                None
            }
        };
        let actions = match f.actions {
            None | Some(Field::Json(Json::Null)) => Vec::new(),
            Some(Field::Json(Json::Array(items))) => {
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
                        other.kind()
                    ),
                );
                Vec::new()
            }
        };
        let failed = match f.failed {
            None | Some(Field::Json(Json::Null)) => false,
            Some(Field::Json(Json::Bool(b))) => *b,
            Some(other) => {
                self.warn(
                    Code::W0401,
                    format!(
                        "message {n}'s `failed` is {}, not true or false; ignored",
                        other.kind()
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
    fn score(&mut self, n: usize, value: Option<Field<'_>>, name: &str, low: f64) -> Option<f64> {
        match value {
            None | Some(Field::Json(Json::Null)) => None,
            Some(Field::Json(Json::Number(x))) => match x.as_f64() {
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
                        other.kind()
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

/// The top-level keys of a conversation that baton reads itself, besides
/// the declared fields: `messages`, and those the signals read.
pub const TOP_LEVEL_KEYS: [&str; 5] = ["messages", "id", "channel", "confidence", "intent"];

/// A message's value as baton reads it: text, or any other JSON value.
#[derive(Clone, Copy, Debug)]
pub enum Field<'a> {
    /// A string.
    Text(&'a str),
    /// Anything else (never a string).
    Json(&'a Json),
}

impl Field<'_> {
    /// The kind of the value, in words.
    fn kind(self) -> &'static str {
        match self {
            Field::Text(_) => "text",
            Field::Json(json) => kind(json),
        }
    }
}

/// A message's value as read from JSON text: a string, borrowed from the
/// text unless it holds an escape, or any other JSON value.
#[derive(Clone, Debug)]
pub enum Raw<'t> {
    /// A string.
    Text(Cow<'t, str>),
    /// Anything else (never a string).
    Json(Json),
}

impl Raw<'_> {
    fn view(&self) -> Field<'_> {
        match self {
            Raw::Text(t) => Field::Text(t),
            Raw::Json(json) => Field::Json(json),
        }
    }
}

/// The fields of a message object that baton reads, found in one pass over
/// the object rather than looked up one by one.
#[derive(Clone, Debug)]
pub struct MessageFields<F> {
    role: Option<F>,
    text: Option<F>,
    at: Option<F>,
    sentiment: Option<F>,
    confidence: Option<F>,
    intent: Option<F>,
    actions: Option<F>,
    failed: Option<F>,
}

impl<F> Default for MessageFields<F> {
    fn default() -> Self {
        MessageFields {
            role: None,
            text: None,
            at: None,
            sentiment: None,
            confidence: None,
            intent: None,
            actions: None,
            failed: None,
        }
    }
}

impl<F> MessageFields<F> {
    /// Where the field named `key` goes, if baton reads it.
    pub fn slot(&mut self, key: &str) -> Option<&mut Option<F>> {
        Some(match key {
            "role" => &mut self.role,
            "text" => &mut self.text,
            "at" => &mut self.at,
            "sentiment" => &mut self.sentiment,
            "confidence" => &mut self.confidence,
            "intent" => &mut self.intent,
            "actions" => &mut self.actions,
            "failed" => &mut self.failed,
            _ => return None,
        })
    }

    fn map<'s, G>(&'s self, f: impl Fn(&'s F) -> G) -> MessageFields<G> {
        MessageFields {
            role: self.role.as_ref().map(&f),
            text: self.text.as_ref().map(&f),
            at: self.at.as_ref().map(&f),
            sentiment: self.sentiment.as_ref().map(&f),
            confidence: self.confidence.as_ref().map(&f),
            intent: self.intent.as_ref().map(&f),
            actions: self.actions.as_ref().map(&f),
            failed: self.failed.as_ref().map(&f),
        }
    }
}

impl<'a> MessageFields<Field<'a>> {
    fn of(message: &'a serde_json::Map<String, Json>) -> MessageFields<Field<'a>> {
        let mut f = MessageFields::default();
        for (key, value) in message {
            if let Some(slot) = f.slot(key) {
                *slot = Some(match value {
                    Json::String(s) => Field::Text(s),
                    other => Field::Json(other),
                });
            }
        }
        f
    }
}

impl MessageFields<Raw<'_>> {
    fn view(&self) -> MessageFields<Field<'_>> {
        self.map(Raw::view)
    }
}

/// Error E0402 for a conversation that is not an object.
fn not_a_conversation(json: &Json) -> InputError {
    InputError::new(
        Code::E0402,
        format!(
            "a conversation is a JSON object with a `messages` list, not {}",
            kind(json)
        ),
    )
}

/// Error E0402 for a `messages` that is not a list.
fn messages_not_a_list(json: &Json) -> InputError {
    InputError::new(
        Code::E0402,
        format!("`messages` must be a list of messages, not {}", kind(json)),
    )
}

/// Error E0402 for a conversation without `messages`.
fn no_messages() -> InputError {
    InputError::new(Code::E0402, "this conversation has no `messages` list")
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
