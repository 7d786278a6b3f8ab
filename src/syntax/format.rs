//! `baton fmt`'s layout: a file's items printed in the canonical layout
//! ([`super::print`]) with its comments carried over. A comment on a line
//! of its own stays above the item, or inside a rule above the clause
//! (`when`, `unless`, `then`, a modifier, a line of a test) it was above; a
//! comment at the end of a line stays at the end of that clause's line.
//! Numbers and durations keep their spelling (`80%`, `90m`).

use std::fmt::Write as _;

use super::ast::Item;
use super::parse::parse_file;
use super::print::{print_item, same_group, without_places};
use super::scan::comment_starts;
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::source::{SourceFile, Sources};

/// A file laid out, or why it was not.
#[derive(Debug)]
pub enum Layout {
    /// The file in the layout (line breaks `\n`, no byte-order mark; which
    /// may be its own text).
    Laid(String),
    /// The file has syntax errors, here; it is left as it is.
    Broken(Vec<Diagnostic>),
    /// Laid out, the file would not say the same: a fault of baton's, so the
    /// file is left as it is.
    Refused,
}

/// `text`, a rule file shown as `name`, in the layout, with the guarantee
/// `baton fmt` gives: the laid-out text is parsed again and must give the
/// same items (places aside), or nothing is laid out.
pub fn lay_out(name: &str, text: &str, limits: &Limits) -> Layout {
    let parse = |text: &str| {
        let mut sources = Sources::new();
        let id = sources.add(SourceFile::new(name, text));
        parse_file(id, sources.get(id), limits)
    };
    let parsed = parse(text);
    if !parsed.diagnostics.is_empty() {
        return Layout::Broken(parsed.diagnostics);
    }
    let laid = format(text, &parsed.items);
    let again = parse(&laid);
    if !again.diagnostics.is_empty()
        || without_places(&again.items) != without_places(&parsed.items)
    {
        return Layout::Refused;
    }
    Layout::Laid(laid)
}

/// Words that start a line of an item in the canonical layout.
const CLAUSES: &[&str] = &[
    "rule", "when", "unless", "then", "tag", "reason", "next", "assign", "collect", "test",
    "given", "with", "after", "expect", "queue", "field", "let", "default",
];

/// A comment of the file.
struct Comment<'t> {
    /// Where its `#` is.
    start: usize,
    /// The comment, from `#` to the end of its line, trailing spaces cut.
    text: &'t str,
    /// Whether it is alone on its line.
    own_line: bool,
    /// Whether a blank line follows it.
    blank_after: bool,
}

/// `text`, whose items are `items` (parsed from it without error), in the
/// canonical layout with its comments kept.
pub fn format(text: &str, items: &[Item]) -> String {
    let comments = comments(text);
    let mut next = 0; // the first comment not yet written
    let mut out = String::new();
    let mut previous: Option<&Item> = None;
    for item in items {
        let (start, end) = bounds(item);
        let leading: Vec<&Comment> = comments[next..]
            .iter()
            .take_while(|c| c.start < start)
            .collect();
        next += leading.len();
        let inside: Vec<&Comment> = comments[next..]
            .iter()
            .take_while(|c| c.start < end || (!c.own_line && same_line(text, end, c.start)))
            .collect();
        next += inside.len();
        let separate = match previous {
            Some(p) => !same_group(p, item) || leading.iter().any(|c| c.own_line),
            None => false,
        };
        if separate && !out.ends_with("\n\n") {
            out.push('\n');
        }
        for comment in &leading {
            if comment.own_line {
                out.push_str(comment.text);
                out.push('\n');
                if comment.blank_after {
                    out.push('\n');
                }
            } else if let Some(last) = out.strip_suffix('\n') {
                // A comment after the previous item's last line.
                out = format!("{last}  {}\n", comment.text);
            }
        }
        out.push_str(&with_inner_comments(
            text,
            start,
            &print_item(item, text),
            &inside,
        ));
        previous = Some(item);
    }
    let rest = &comments[next..];
    if !rest.is_empty() && !out.is_empty() {
        out.push('\n');
    }
    for comment in rest {
        let _ = writeln!(out, "{}", comment.text);
    }
    let lines: Vec<String> = out.lines().map(wrap).collect();
    let mut text = align(&lines).join("\n");
    text.push('\n');
    text
}

/// The widest a condition's line may be before it is broken before each
/// `or` (or `and`) at its top level.
const WIDTH: usize = 100;

/// A `let`, `when` or `unless` line too wide for [`WIDTH`], broken before
/// each `or` (or else `and`) outside brackets and quotes, the words lined
/// up under the start of the condition.
fn wrap(line: &str) -> String {
    if line.chars().count() <= WIDTH {
        return line.to_string();
    }
    // A comment at the end stays at the end of the last line.
    let (code, comment) = match split_top_level(line, "#").as_slice() {
        [code, ..] if code.len() < line.len() => (code.trim_end(), &line[code.len()..]),
        _ => (line, ""),
    };
    let body = code.trim_start();
    let indent = code.len() - body.len();
    let head = if body.starts_with("let ") {
        body.find(" = ").map(|i| i + 3)
    } else if body.starts_with("when ") && !has_top_level(body, " then ") {
        Some(5)
    } else if body.starts_with("unless ") {
        Some(7)
    } else {
        None
    };
    let Some(head) = head else {
        return line.to_string();
    };
    let column = indent + head;
    let condition = &body[head..];
    for word in [" or ", " and "] {
        let parts = split_top_level(condition, word);
        if parts.len() < 2 {
            continue;
        }
        let op = word.trim();
        let pad = column.saturating_sub(op.len() + 1).max(indent + 2);
        let mut out = format!("{}{}", &code[..column], parts[0]);
        for part in &parts[1..] {
            let _ = write!(out, "\n{:pad$}{op} {part}", "");
        }
        if !comment.is_empty() {
            let _ = write!(out, "  {comment}");
        }
        return out;
    }
    line.to_string()
}

fn has_top_level(text: &str, word: &str) -> bool {
    split_top_level(text, word).len() > 1
}

/// `text` split at `word` (ASCII) where it stands outside brackets and
/// quotes.
fn split_top_level<'t>(text: &'t str, word: &str) -> Vec<&'t str> {
    let bytes = text.as_bytes();
    let (mut depth, mut quoted, mut i, mut from) = (0i32, false, 0, 0);
    let mut out = Vec::new();
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'(' | b'[' if !quoted => depth += 1,
            b')' | b']' if !quoted => depth -= 1,
            _ if !quoted && depth == 0 && bytes[i..].starts_with(word.as_bytes()) => {
                out.push(&text[from..i]);
                i += word.len();
                from = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&text[from..]);
    out
}

/// Runs of `queue` lines with their names (and descriptions) padded so
/// that what follows lines up, and runs of `field` lines with their paths
/// padded so that the `:` lines up.
fn align(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = lines.to_vec();
    let mut i = 0;
    while i < lines.len() {
        let kind = ["queue ", "field "]
            .into_iter()
            .find(|k| lines[i].starts_with(k));
        let Some(kind) = kind else {
            i += 1;
            continue;
        };
        let end = (i..lines.len())
            .find(|&j| !lines[j].starts_with(kind))
            .unwrap_or(lines.len());
        let run = &lines[i..end];
        if kind == "field " {
            let parts: Vec<Option<(&str, &str)>> =
                run.iter().map(|l| l[6..].split_once(" : ")).collect();
            let width = parts
                .iter()
                .flatten()
                .map(|(p, _)| p.chars().count())
                .max()
                .unwrap_or(0);
            for (k, part) in parts.iter().enumerate() {
                if let Some((path, rest)) = part {
                    out[i + k] = format!("field {path:width$} : {rest}");
                }
            }
        } else {
            let parts: Vec<(&str, &str, &str)> = run.iter().map(|l| queue_parts(&l[6..])).collect();
            let name = parts
                .iter()
                .map(|(n, _, _)| n.chars().count())
                .max()
                .unwrap_or(0);
            let described = parts
                .iter()
                .map(|(_, d, _)| d.chars().count())
                .max()
                .unwrap_or(0);
            for (k, (n, d, sla)) in parts.iter().enumerate() {
                let line = match (described, sla.is_empty()) {
                    (_, true) => format!("queue {n:name$} {d}"),
                    (0, false) => format!("queue {n:name$} {sla}"),
                    _ => format!("queue {n:name$} {d:described$} {sla}"),
                };
                out[i + k] = line.trim_end().to_string();
            }
        }
        i = end;
    }
    out
}

/// A queue line after `queue `: its name, its quoted description (or
/// nothing) and the rest (`sla ...`, or nothing).
fn queue_parts(rest: &str) -> (&str, &str, &str) {
    let (name, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    if let Some(body) = rest.strip_prefix('"') {
        let bytes = body.as_bytes();
        let mut i = 0;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        let close = (i + 2).min(rest.len());
        return (name, &rest[..close], rest[close..].trim_start());
    }
    (name, "", rest)
}

/// Every comment of `text`.
fn comments(text: &str) -> Vec<Comment<'_>> {
    comment_starts(text)
        .into_iter()
        .map(|start| {
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let own_line = text[line_start..start]
                .trim_start_matches('\u{FEFF}')
                .trim()
                .is_empty();
            let after = &text[line_end..];
            let blank_after = after
                .strip_prefix('\n')
                .is_some_and(|rest| rest.lines().next().is_some_and(|l| l.trim().is_empty()));
            Comment {
                start,
                text: text[start..line_end].trim_end(),
                own_line,
                blank_after,
            }
        })
        .collect()
}

fn same_line(text: &str, a: usize, b: usize) -> bool {
    let (a, b) = (a.min(b), a.max(b));
    !text[a..b].contains('\n')
}

/// Where an item starts and ends in its file.
fn bounds(item: &Item) -> (usize, usize) {
    let span = match item {
        Item::Queue(x) => x.span,
        Item::Field(x) => x.span,
        Item::Let(x) => x.span,
        Item::Default(x) => x.span,
        Item::Rule(x) => x.span,
        Item::Test(x) => x.span,
    };
    (span.start as usize, span.end as usize)
}

/// The printed item with the comments written inside it in the file put
/// back: each before, or at the end of, the line of the clause it belongs to.
fn with_inner_comments(text: &str, start: usize, printed: &str, comments: &[&Comment]) -> String {
    if comments.is_empty() {
        return printed.to_string();
    }
    let mut lines: Vec<String> = printed.lines().map(str::to_string).collect();
    let mut before: Vec<Vec<&str>> = vec![Vec::new(); lines.len()];
    let mut after: Vec<Vec<&str>> = vec![Vec::new(); lines.len()];
    for comment in comments {
        let line = if comment.own_line {
            // The clause that follows the comment in the file.
            clause_at(text, start, comment.start, true)
                .and_then(|clause| find_line(&lines, clause))
                .unwrap_or(lines.len() - 1)
        } else {
            // The clause whose line the comment ends.
            clause_at(text, start, comment.start, false)
                .and_then(|clause| find_line(&lines, clause))
                .unwrap_or(lines.len() - 1)
        };
        if comment.own_line {
            before[line].push(comment.text);
        } else {
            after[line].push(comment.text);
        }
    }
    let mut out = String::new();
    for (i, line) in lines.iter_mut().enumerate() {
        let indent = line.len() - line.trim_start().len();
        for comment in &before[i] {
            let _ = writeln!(out, "{:indent$}{comment}", "");
        }
        out.push_str(line);
        for comment in &after[i] {
            let _ = write!(out, "  {comment}");
        }
        out.push('\n');
    }
    out
}

/// A clause of an item: the word that starts it, and how many clauses with
/// that word come before it in the item.
type Clause = (&'static str, usize);

/// The clause a comment at `at` belongs to: the next one after it (`forward`)
/// or the last one before it.
fn clause_at(text: &str, start: usize, at: usize, forward: bool) -> Option<Clause> {
    let words = clause_words(text, start);
    let mut seen: Vec<Clause> = Vec::new();
    let mut chosen = None;
    for (offset, word) in words {
        let count = seen.iter().filter(|(w, _)| *w == word).count();
        let clause = (word, count);
        seen.push(clause);
        if forward && offset > at {
            return Some(clause);
        }
        if !forward && offset < at {
            chosen = Some(clause);
        }
    }
    chosen
}

/// The clause words of the item starting at `start`, with where each is,
/// up to the next item: words outside quotes and comments, and the role of
/// each line of a test's transcript (`customer:`).
fn clause_words(text: &str, start: usize) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = start;
    let mut first = true;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            c if c.is_ascii_alphabetic() => {
                let begin = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'.')
                {
                    i += 1;
                }
                let word = &text[begin..i];
                let after_dot = begin > 0 && bytes[begin - 1] == b'.';
                if let Some(clause) = CLAUSES.iter().find(|c| **c == word).filter(|_| !after_dot) {
                    let starts_item = matches!(
                        *clause,
                        "rule" | "when" | "test" | "queue" | "field" | "let" | "default"
                    );
                    // The next item begins: stop there (`when` after a
                    // `rule` header, and `then`, belong to this one).
                    let own = first
                        || !starts_item
                        || (*clause == "when" && out.last().is_some_and(|(_, w)| *w == "rule"));
                    if !own {
                        break;
                    }
                    out.push((begin, *clause));
                    first = false;
                } else if bytes.get(i) == Some(&b':')
                    && matches!(
                        word,
                        "customer" | "ai" | "agent" | "system" | "bot" | "assistant"
                    )
                {
                    out.push((begin, "role"));
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// The printed line that starts clause `(word, n)`: for a role, the `n`th
/// transcript line.
fn find_line(lines: &[String], (word, n): Clause) -> Option<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            if word == "role" {
                t.split_once(':')
                    .is_some_and(|(role, _)| !role.contains(' ') && !role.is_empty())
                    && !t.starts_with("rule")
            } else {
                t == word || t.starts_with(&format!("{word} "))
            }
        })
        .nth(n)
        .map(|(i, _)| i)
}
