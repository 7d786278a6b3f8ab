//! Quoted text: applying escapes while remembering where each byte came
//! from, and splitting message texts into plain parts and `{path}` values.

use super::ast::{Message, MessagePart, Name, Text};
use crate::source::{FileId, Span};
use std::fmt::Write as _;

/// Text decoded from a literal, with the value offsets of braces that were
/// escaped (`\{`, `\}`) and so never start or end a `{path}`.
pub struct Decoded {
    /// The text, escapes applied.
    pub text: Text,
    /// Value offsets of braces written with a backslash.
    pub escaped_braces: Vec<usize>,
}

/// Applies escapes to `body`, the characters between the quotes, which start
/// at byte `body_start` of the file. `span` covers the whole literal.
///
/// `\"`, `\\`, `\n`, `\t`, `\{` and `\}` are escapes; a backslash before any
/// other character is kept as written, so regex patterns such as `"\d+"` read
/// as they look.
pub fn decode(body: &str, body_start: usize, span: Span) -> Decoded {
    let mut value = String::with_capacity(body.len());
    let mut origins = vec![(0u32, to_u32(body_start))];
    let mut escaped_braces = Vec::new();
    let mut chars = body.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        let Some(&(_, next)) = chars.peek() else {
            value.push('\\');
            continue;
        };
        let replacement = match next {
            '"' => '"',
            '\\' => '\\',
            'n' => '\n',
            't' => '\t',
            '{' | '}' => next,
            _ => {
                value.push('\\');
                continue;
            }
        };
        chars.next();
        if matches!(replacement, '{' | '}') {
            escaped_braces.push(value.len());
        }
        origins.push((to_u32(value.len()), to_u32(body_start + at)));
        value.push(replacement);
        origins.push((
            to_u32(value.len()),
            to_u32(body_start + at + 1 + next.len_utf8()),
        ));
    }
    let value = value
        .strip_suffix('\r')
        .map(str::to_string)
        .unwrap_or(value);
    Decoded {
        text: Text {
            value,
            span,
            origins,
        },
        escaped_braces,
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A problem inside a message's braces: where, and what to say.
pub struct BraceProblem {
    /// The braces and what is between them.
    pub span: Span,
    /// Whether the `{` was never closed (otherwise: it holds no name).
    pub unclosed: bool,
}

/// Splits a decoded message text into plain parts and `{path}` values.
pub fn message(decoded: &Decoded, file: FileId) -> (Message, Vec<BraceProblem>) {
    let text = &decoded.text;
    let value = text.value.as_str();
    let is_brace = |at: usize, brace: u8| {
        value.as_bytes().get(at) == Some(&brace) && !decoded.escaped_braces.contains(&at)
    };
    let mut parts = Vec::new();
    let mut problems = Vec::new();
    let mut plain = String::new();
    let mut at = 0;
    while at < value.len() {
        if !is_brace(at, b'{') {
            let c = value[at..].chars().next().unwrap_or('\u{FFFD}');
            plain.push(c);
            at += c.len_utf8();
            continue;
        }
        let close = (at + 1..value.len()).find(|&i| is_brace(i, b'}') || is_brace(i, b'{'));
        let Some(close) = close.filter(|&i| is_brace(i, b'}')) else {
            let end = close.unwrap_or(value.len());
            problems.push(BraceProblem {
                span: text.span_of(at..at + 1),
                unclosed: true,
            });
            plain.push_str(&value[at..end]);
            at = end;
            continue;
        };
        let inner = &value[at + 1..close];
        let trimmed = inner.trim();
        if is_path(trimmed) {
            if !plain.is_empty() {
                parts.push(MessagePart::Text(std::mem::take(&mut plain)));
            }
            let lead = inner.len() - inner.trim_start().len();
            let start = at + 1 + lead;
            let span = text.span_of(start..start + trimmed.len());
            parts.push(MessagePart::Value(Name {
                text: trimmed.to_string(),
                span: Span { file, ..span },
            }));
        } else {
            problems.push(BraceProblem {
                span: text.span_of(at..close + 1),
                unclosed: false,
            });
            plain.push_str(&value[at..=close]);
        }
        at = close + 1;
    }
    if !plain.is_empty() {
        parts.push(MessagePart::Text(plain));
    }
    (
        Message {
            parts,
            span: text.span,
        },
        problems,
    )
}

/// Whether `s` is a dotted path: `name(.word)*`.
fn is_path(s: &str) -> bool {
    let mut segments = s.split('.');
    let word = |w: &str| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    segments.next().is_some_and(word) && segments.all(word)
}

// Values back to rule text: the inverse of reading them.

/// A number as rules write it: `50000`, `-0.6`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A duration as rules write it: `4h`, `1h30m`, `90s` becomes `1m30s`.
pub fn format_duration(seconds: f64) -> String {
    if seconds.fract() != 0.0 || seconds.abs() >= 1e15 {
        return format!("{}s", format_number(seconds));
    }
    if seconds == 0.0 {
        return "0s".into();
    }
    let mut rest = seconds.abs() as u64;
    let mut out = String::from(if seconds < 0.0 { "-" } else { "" });
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if rest >= size {
            let _ = write!(out, "{}{unit}", rest / size);
            rest %= size;
        }
    }
    out
}

/// Text in double quotes, as a rule would write it: quotes, line breaks and
/// tabs escaped, and a backslash doubled only where it would otherwise read
/// as an escape, so patterns such as `\d{3}` print as they were written.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            // Before a line break or tab too: they print as `\n` and `\t`.
            '\\' if matches!(
                chars.peek(),
                None | Some('"' | '\\' | 'n' | 't' | '{' | '}' | '\n' | '\t')
            ) =>
            {
                out.push_str("\\\\")
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(literal: &str) -> Decoded {
        let span = Span::new(FileId(0), 0, literal.len());
        decode(&literal[1..literal.len() - 1], 1, span)
    }

    #[test]
    fn escapes_are_applied_and_unknown_ones_kept() {
        assert_eq!(decoded(r#""a \"b\" \\ c""#).text.value, r#"a "b" \ c"#);
        assert_eq!(decoded(r#""\d{3}""#).text.value, r"\d{3}");
        assert_eq!(decoded(r#""tab\there""#).text.value, "tab\there");
    }

    #[test]
    fn value_offsets_map_back_to_the_source() {
        let literal = r#""a\"(b""#;
        let d = decoded(literal);
        assert_eq!(d.text.value, "a\"(b");
        let paren = d.text.span_of(2..3);
        assert_eq!(&literal[paren.start as usize..paren.end as usize], "(");
    }

    #[test]
    fn messages_split_into_text_and_values() {
        let d = decoded(r#""ARR {customer.arr} \{not} {x""#);
        let (m, problems) = message(&d, FileId(0));
        assert_eq!(
            m.parts[0..2],
            [
                MessagePart::Text("ARR ".into()),
                MessagePart::Value(Name {
                    text: "customer.arr".into(),
                    span: Span::new(FileId(0), 6, 18)
                })
            ]
        );
        assert_eq!(m.parts[2], MessagePart::Text(" {not} {x".into()));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].unclosed);
    }

    #[test]
    fn braces_without_a_name_are_a_problem() {
        let d = decoded(r#""{} and { 3 }""#);
        let (_, problems) = message(&d, FileId(0));
        assert_eq!(problems.len(), 2);
        assert!(problems.iter().all(|p| !p.unclosed));
    }
}
