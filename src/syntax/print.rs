//! Syntax tree back to rule text, in one canonical layout: the base of a
//! future `baton fmt`, which will carry the comments over (the syntax tree
//! does not keep them) and rewrite files in place.
//!
//! The layout: declarations one a line, a blank line between groups of
//! them and around every rule and test; a named rule's `when`, `unless` and
//! `then` on lines of their own, indented two spaces, and its modifiers
//! under the action, in the order `tag`, `reason`, `next`, `assign`,
//! `collect`; an unnamed rule without `unless` or modifiers on one line, as
//! the one-liner it is. Conditions carry only the parentheses their meaning
//! needs (`not` binds tightest, then `and`, then `or`), and an `and` inside
//! an `or` is put in parentheses too, for the reader; `is` and `is not`
//! print as `==` and `!=`, percentages as plain numbers (`80%` is `0.8`),
//! durations in days, hours, minutes and seconds (`90m` is `1h30m`).
//!
//! What is printed reads back to the same items, apart from where they are
//! written and the order of a rule's modifiers (which means nothing):
//! [`without_places`] of both is equal. A minus sign before a written
//! number is part of the number, so a tree in which `Neg` holds a number
//! (which parsing never makes) reads back as that negative number.

use std::fmt::Write as _;
use std::sync::LazyLock;

use super::ast::*;
use super::text::{format_duration, format_number, quote};
use crate::source::Span;

/// Prints a file's items as rule text in the canonical layout.
pub fn print(items: &[Item]) -> String {
    let mut out = Out::new(None);
    let mut previous: Option<&Item> = None;
    for item in items {
        if previous.is_some_and(|p| !same_group(p, item)) {
            out.push('\n');
        }
        write_item(&mut out, item);
        previous = Some(item);
    }
    out.text
}

/// Prints one item (with its line break) in the canonical layout, writing
/// numbers and durations as they are spelt in `source`, the text of the
/// file the item was parsed from (`80%` stays `80%`, `90m` stays `90m`).
pub fn print_item(item: &Item, source: &str) -> String {
    let mut out = Out::new(Some(source));
    write_item(&mut out, item);
    out.text
}

/// What is printed into, and the file text literals are spelt from.
struct Out<'s> {
    text: String,
    source: Option<&'s str>,
}

impl<'s> Out<'s> {
    fn new(source: Option<&'s str>) -> Out<'s> {
        Out {
            text: String::new(),
            source,
        }
    }

    fn push(&mut self, c: char) {
        self.text.push(c);
    }

    fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// A literal as the file spells it, when there is a file and the span
    /// holds the literal alone.
    fn spelt(&self, span: Span) -> Option<&'s str> {
        let text = self.source?.get(span.start as usize..span.end as usize)?;
        let plain = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-%".contains(c));
        plain.then_some(text)
    }
}

impl std::fmt::Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

/// What the items say, without where they say it: their debug form with
/// every span erased and every rule's modifiers in the order they print.
/// Two lists of items with the same result mean the same; a formatter
/// compares the items before and after printing this way before it
/// rewrites a file.
pub fn without_places(items: &[Item]) -> String {
    static SPAN: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"Span \{ file: FileId\(\d+\), start: \d+, end: \d+ \}|origins: \[[^\]]*\]",
        )
        .expect("a valid pattern")
    });
    let mut items = items.to_vec();
    for item in &mut items {
        match item {
            Item::Rule(RuleDecl { outcome, .. }) | Item::Default(DefaultDecl { outcome, .. }) => {
                outcome.modifiers.sort_by_key(modifier_rank);
            }
            _ => {}
        }
    }
    SPAN.replace_all(&format!("{items:?}"), "_").into_owned()
}

/// Whether two items sit together without a blank line between them:
/// declarations of one kind do.
pub fn same_group(a: &Item, b: &Item) -> bool {
    matches!(
        (a, b),
        (Item::Queue(_), Item::Queue(_))
            | (Item::Field(_), Item::Field(_))
            | (Item::Let(_), Item::Let(_))
    )
}

fn write_item(out: &mut Out<'_>, item: &Item) {
    match item {
        Item::Queue(q) => {
            let _ = write!(out, "queue {}", q.name.text);
            if let Some(description) = &q.description {
                let _ = write!(out, " {}", quote(&description.value));
            }
            if let Some((seconds, span)) = q.sla {
                let written = out.spelt(span).map(str::to_string);
                let _ = write!(out, " sla {}", written.unwrap_or_else(|| duration(seconds)));
            }
        }
        Item::Field(f) => {
            let list = if f.ty.list { "list of " } else { "" };
            let _ = write!(out, "field {} : {list}{}", f.path.text, f.ty.name.text);
            if let Some(values) = &f.one_of {
                out.push_str(" one of ");
                write_expr(out, values, 0);
            }
        }
        Item::Let(l) => {
            let _ = write!(out, "let {} = ", l.name.text);
            write_expr(out, &l.value, 0);
        }
        Item::Default(d) => {
            out.push_str("default ");
            write_outcome(out, &d.outcome, "default ".len());
        }
        Item::Rule(r) => write_rule(out, r),
        Item::Test(t) => write_test(out, t),
    }
    out.push('\n');
}

fn write_rule(out: &mut Out<'_>, rule: &RuleDecl) {
    let one_line =
        rule.name.is_none() && rule.unless.is_none() && rule.outcome.modifiers.is_empty();
    if let Some(name) = &rule.name {
        let _ = write!(out, "rule {}\n  ", quote(&name.value));
    }
    out.push_str("when ");
    write_expr(out, &rule.when, 0);
    if one_line {
        out.push_str(" then ");
        write_outcome(out, &rule.outcome, 0);
        return;
    }
    if let Some(unless) = &rule.unless {
        out.push_str("\n  unless ");
        write_expr(out, unless, 0);
    }
    out.push_str("\n  then ");
    write_outcome(out, &rule.outcome, "  then ".len());
}

fn write_test(out: &mut Out<'_>, test: &TestDecl) {
    let _ = write!(out, "test {}\n  given", quote(&test.name.value));
    match &test.given {
        Given::File(path) => {
            let _ = write!(out, " {}", quote(&path.value));
        }
        Given::Transcript(lines) => {
            for line in lines {
                let _ = write!(out, "\n    {}: {}", line.role.text, quote(&line.text.value));
            }
        }
    }
    for with in &test.with {
        let _ = write!(out, "\n  with {} = ", with.path.text);
        write_expr(out, &with.value, UNARY);
    }
    if let Some(seconds) = test.after {
        let _ = write!(out, "\n  after {}", duration(seconds));
    }
    for expectation in &test.expect {
        out.push_str("\n  expect ");
        match expectation {
            Expectation::Action(action) => write_action(out, action),
            Expectation::Rule(name) => {
                let _ = write!(out, "rule {}", quote(&name.value));
            }
            Expectation::Tag(tag) => {
                let _ = write!(out, "tag {}", quote(&tag.value));
            }
            Expectation::Collect(paths, _) => write_paths(out, "collect", paths),
        }
    }
}

/// The action, then each modifier on a line of its own under it (`indent`
/// is the action's column).
fn write_outcome(out: &mut Out<'_>, outcome: &Outcome, indent: usize) {
    write_action(out, &outcome.action);
    let mut modifiers: Vec<&Modifier> = outcome.modifiers.iter().collect();
    modifiers.sort_by_key(|m| modifier_rank(m));
    for modifier in modifiers {
        let _ = write!(out, "\n{:indent$}", "");
        match modifier {
            Modifier::Tag(tags, _) => {
                out.push_str("tag ");
                let shown: Vec<String> = tags.iter().map(message).collect();
                out.push_str(&shown.join(", "));
            }
            Modifier::Reason(m, _) => {
                let _ = write!(out, "reason {}", message(m));
            }
            Modifier::Next(m, _) => {
                let _ = write!(out, "next {}", message(m));
            }
            Modifier::Assign(m, _) => {
                let _ = write!(out, "assign {}", message(m));
            }
            Modifier::Collect(paths, _) => write_paths(out, "collect", paths),
        }
    }
}

/// Where a modifier prints among the others.
fn modifier_rank(modifier: &Modifier) -> u8 {
    match modifier {
        Modifier::Tag(..) => 0,
        Modifier::Reason(..) => 1,
        Modifier::Next(..) => 2,
        Modifier::Assign(..) => 3,
        Modifier::Collect(..) => 4,
    }
}

fn write_action(out: &mut Out<'_>, action: &Action) {
    let queue = action.queue.as_ref().map_or("?", |q| q.text.as_str());
    let _ = match action.kind {
        ActionKind::Handoff => write!(out, "handoff to {queue}"),
        ActionKind::Approval => write!(out, "approval from {queue}"),
        ActionKind::Offer => write!(out, "offer handoff to {queue}"),
        ActionKind::Continue => write!(out, "continue"),
    };
    if let Some(priority) = &action.priority {
        let _ = write!(out, " priority {}", priority.text);
    }
}

fn write_paths(out: &mut Out<'_>, word: &str, paths: &[Name]) {
    let names: Vec<&str> = paths.iter().map(|p| p.text.as_str()).collect();
    let _ = write!(out, "{word} {}", names.join(", "));
}

/// A message in quotes: its text escaped as [`quote`] does, with its own
/// braces escaped too, so that only its values read as `{path}`.
fn message(m: &Message) -> String {
    let mut out = String::from("\"");
    for part in &m.parts {
        match part {
            MessagePart::Text(text) => {
                let quoted = quote(text);
                let body = &quoted[1..quoted.len() - 1];
                out.push_str(&body.replace('{', "\\{").replace('}', "\\}"));
            }
            MessagePart::Value(name) => {
                let _ = write!(out, "{{{}}}", name.text);
            }
        }
    }
    out.push('"');
    out
}

/// The binding strength of `unary` in the grammar: what may follow `with
/// PATH =` without parentheses.
const UNARY: u8 = 7;

/// How tightly an expression binds, as the grammar nests its rules: `or`,
/// `and`, `not`, the tests, `+ -`, `* /`, the minus sign, and values.
fn binding(kind: &ExprKind) -> u8 {
    match kind {
        ExprKind::Or(_) => 1,
        ExprKind::And(_) => 2,
        ExprKind::Not(_) => 3,
        ExprKind::Compare(..)
        | ExprKind::In { .. }
        | ExprKind::Contains(..)
        | ExprKind::Matches(..)
        | ExprKind::Exists { .. } => 4,
        ExprKind::Arith(ArithOp::Add | ArithOp::Sub, ..) => 5,
        ExprKind::Arith(ArithOp::Mul | ArithOp::Div, ..) => 6,
        ExprKind::Neg(_) => UNARY,
        ExprKind::Number(_)
        | ExprKind::Duration(_)
        | ExprKind::Text(_)
        | ExprKind::Bool(_)
        | ExprKind::List(_)
        | ExprKind::Path(_)
        | ExprKind::Error => 8,
    }
}

/// Writes `expr` where the grammar expects something binding at least as
/// tightly as `min`, in parentheses when it binds more loosely.
fn write_expr(out: &mut Out<'_>, expr: &Expr, min: u8) {
    let own = binding(&expr.kind);
    if own < min {
        out.push('(');
    }
    match &expr.kind {
        ExprKind::Number(n) => match out.spelt(expr.span) {
            Some(text) => out.push_str(text),
            None => out.push_str(&number(*n)),
        },
        ExprKind::Duration(seconds) => match out.spelt(expr.span) {
            Some(text) => out.push_str(text),
            None => out.push_str(&duration(*seconds)),
        },
        ExprKind::Text(text) => out.push_str(&quote(&text.value)),
        ExprKind::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        ExprKind::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, item, 0);
            }
            out.push(']');
        }
        ExprKind::Path(name) => out.push_str(&name.text),
        ExprKind::Not(x) => {
            out.push_str("not ");
            write_expr(out, x, own);
        }
        ExprKind::And(xs) | ExprKind::Or(xs) => {
            let word = if own == 1 { " or " } else { " and " };
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push_str(word);
                }
                // A group of the same kind inside was written in
                // parentheses; an `and` inside an `or` gets them too, so
                // nobody has to remember which binds tighter.
                write_expr(out, x, if own == 1 { own + 2 } else { own + 1 });
            }
        }
        ExprKind::Compare(op, a, b) => write_test_of(out, a, op.as_str(), b),
        ExprKind::In {
            negated,
            item,
            list,
        } => write_test_of(out, item, if *negated { "not in" } else { "in" }, list),
        ExprKind::Contains(a, b) => write_test_of(out, a, "contains", b),
        ExprKind::Matches(a, b) => write_test_of(out, a, "matches", b),
        ExprKind::Exists { negated, operand } => {
            write_expr(out, operand, own + 1);
            out.push_str(if *negated { " is missing" } else { " exists" });
        }
        ExprKind::Arith(op, a, b) => {
            // Left to right: `a - b - c` is `(a - b) - c`, so only the right
            // side of the same strength needs parentheses.
            write_expr(out, a, own);
            let _ = write!(out, " {} ", op.as_str());
            write_expr(out, b, own + 1);
        }
        ExprKind::Neg(x) => {
            out.push('-');
            write_expr(out, x, own);
        }
        ExprKind::Error => out.push('?'),
    }
    if own < min {
        out.push(')');
    }
}

/// `A op B` for the tests, whose sides are sums in the grammar.
fn write_test_of(out: &mut Out<'_>, a: &Expr, op: &str, b: &Expr) {
    write_expr(out, a, 5);
    let _ = write!(out, " {op} ");
    write_expr(out, b, 5);
}

/// A number that reads back to the same value, its whole part grouped in
/// thousands from five digits on (`50_000`); `-0` keeps its sign.
fn number(n: f64) -> String {
    if n == 0.0 && n.is_sign_negative() {
        return "-0".into();
    }
    let shown = format_number(n);
    let (sign, unsigned) = match shown.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", shown.as_str()),
    };
    let (whole, fraction) = unsigned.split_at(unsigned.find('.').unwrap_or(unsigned.len()));
    if whole.len() < 5 {
        return shown;
    }
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('_');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}{fraction}")
}

/// A duration that reads back to the same number of seconds.
fn duration(seconds: f64) -> String {
    if seconds == 0.0 && seconds.is_sign_negative() {
        return "-0s".into();
    }
    format_duration(seconds)
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::limits::Limits;
    use crate::source::{FileId, SourceFile};
    use crate::syntax::parse_file;

    /// The items of `text`, which must parse without a problem.
    fn parse(name: &str, text: &str) -> Vec<Item> {
        let source = Arc::new(SourceFile::new(name, text));
        let parsed = parse_file(FileId(0), &source, &Limits::default());
        assert!(
            parsed.diagnostics.is_empty(),
            "{name} has syntax errors: {:?}\n{text}",
            parsed.diagnostics
        );
        parsed.items
    }

    /// Prints `text`, checks that the print reads back to the same items
    /// and prints the same again, and gives the print.
    fn round_trip(name: &str, text: &str) -> String {
        let items = parse(name, text);
        let printed = print(&items);
        let again = parse(&format!("{name}, printed"), &printed);
        assert_eq!(
            without_places(&again),
            without_places(&items),
            "{name} printed reads back differently:\n{printed}"
        );
        assert_eq!(print(&again), printed, "{name} prints differently twice");
        printed
    }

    #[test]
    fn every_bundled_and_fixture_rule_file_prints_back_to_itself() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        for folder in [
            "rules",
            "tests/fixtures/syntax/ok",
            "tests/fixtures/check/ok",
        ] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(folder))
                .expect("the folder is there")
                .map(|entry| entry.expect("a readable entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "baton"))
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).expect("a readable rule file");
                round_trip(&path.display().to_string(), &text);
                seen += 1;
            }
        }
        assert!(seen >= 19, "only {seen} rule files found");
    }

    #[test]
    fn declarations_and_rules_take_the_canonical_layout() {
        let text = r#"
            field customer.tier: text one of ["free","pro"]  queue tier2 "Senior" sla 90m
            queue billing
            let vip = customer.tier is "pro" or customer.arr >= 50000
            field customer.arr : number
            default continue tag "x"
            when loops>=2 then handoff to tier2 priority high
            rule "r" when vip unless intent is not "refund" then approval from billing
              collect order.id reason "at {customer.arr}" tag "a", "b"
            test "t" given customer: "hi" ai: "hello" with customer.arr = 120000 after 1h30m
              expect offer handoff to tier2 priority low expect rule "r" expect collect order.id
        "#;
        assert_eq!(
            round_trip("layout", text),
            r#"field customer.tier : text one of ["free", "pro"]

queue tier2 "Senior" sla 1h30m
queue billing

let vip = customer.tier == "pro" or customer.arr >= 50_000

field customer.arr : number

default continue
        tag "x"

when loops >= 2 then handoff to tier2 priority high

rule "r"
  when vip
  unless intent != "refund"
  then approval from billing
       tag "a", "b"
       reason "at {customer.arr}"
       collect order.id

test "t"
  given
    customer: "hi"
    ai: "hello"
  with customer.arr = 120_000
  after 1h30m
  expect offer handoff to tier2 priority low
  expect rule "r"
  expect collect order.id
"#
        );
    }

    /// The condition of a one-line rule, printed.
    fn condition(written: &str) -> String {
        let printed = round_trip(written, &format!("when {written} then continue"));
        printed
            .trim_end()
            .strip_prefix("when ")
            .and_then(|p| p.strip_suffix(" then continue"))
            .expect("a one-line rule")
            .to_string()
    }

    #[test]
    fn conditions_keep_only_the_parentheses_they_need_and_group_and_inside_or() {
        for (written, printed) in [
            ("((a)) or (b and c)", "a or (b and c)"),
            ("a or b and c", "a or (b and c)"),
            ("(a or b) and not (c and d)", "(a or b) and not (c and d)"),
            ("a or (b or c)", "a or (b or c)"),
            ("not not (a)", "not not a"),
            ("(x - y) - (z - 1) > 0", "x - y - (z - 1) > 0"),
            ("-(a + b) * c / (d * e) < 2", "-(a + b) * c / (d * e) < 2"),
            ("- - a < 1 + -2", "--a < 1 + -2"),
            ("(a < b) == (c exists)", "(a < b) == (c exists)"),
            (
                "x not in [1, 2,] and y is missing",
                "x not in [1, 2] and y is missing",
            ),
            (
                "t contains (u) or t matches \"^a\"",
                "t contains u or t matches \"^a\"",
            ),
        ] {
            assert_eq!(condition(written), printed, "{written}");
        }
    }

    #[test]
    fn values_read_back_the_same() {
        for (written, printed) in [
            ("x < 80%", "x < 0.8"),
            ("x > 1_000_000.25", "x > 1_000_000.25"),
            ("x > -0", "x > -0"),
            ("x > 0.000001", "x > 0.000001"),
            ("w > 1.5h + 90s", "w > 1h30m + 1m30s"),
            ("w > 0.5s", "w > 0.5s"),
            ("w > -5m", "w > -5m"),
            // A backslash before a space is no escape, so it prints alone.
            (
                r#"t == "say \"hi\" \\ tab\tnew\nline""#,
                r#"t == "say \"hi\" \ tab\tnew\nline""#,
            ),
            (r#"t matches "\d{3}\\n\\""#, r#"t matches "\d{3}\\n\\""#),
            // A backslash before a line break: both escaped.
            (r#"t == "a\\\nb""#, r#"t == "a\\\nb""#),
        ] {
            assert_eq!(condition(written), printed, "{written}");
        }
    }

    #[test]
    fn message_braces_stay_text_and_values_stay_values() {
        let printed = round_trip(
            "messages",
            r#"when a then continue reason "{ customer.arr } \{not\} a\\{b}" next "\\""#,
        );
        assert!(
            printed.contains(r#"reason "{customer.arr} \{not\} a\\{b}""#),
            "{printed}"
        );
        assert!(printed.contains(r#"next "\\""#), "{printed}");
    }
}
