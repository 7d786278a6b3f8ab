//! The checked ruleset: every name resolved to a queue, field, signal or
//! `let`, every expression typed, every pattern compiled. This is what the
//! compile stage turns into a rule graph.

use std::fmt::{self, Write as _};

use crate::source::{Sources, Span};
pub use crate::syntax::ast::{ArithOp, CompareOp};
pub use crate::syntax::{format_duration, format_number, quote};

use super::signals::Signal;

/// The index of a queue in [`Ruleset::queues`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QueueId(pub u32);

/// The index of a field in [`Ruleset::fields`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub u32);

/// The index of a `let` in [`Ruleset::lets`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LetId(pub u32);

/// A checked ruleset. When checking found errors it is incomplete (names
/// that did not resolve are left out) and must not be compiled.
#[derive(Debug, Default)]
pub struct Ruleset {
    /// The rule files, in order.
    pub sources: Sources,
    /// Declared queues.
    pub queues: Vec<Queue>,
    /// Declared fields.
    pub fields: Vec<Field>,
    /// `let` definitions, in the order they are declared.
    pub lets: Vec<Let>,
    /// Rules in evaluation order: file order, then position in the file.
    pub rules: Vec<Rule>,
    /// What is decided when no rule matches.
    pub default: Outcome,
    /// Where the `default` is declared, when it is.
    pub default_span: Option<Span>,
    /// `test` blocks, in order.
    pub tests: Vec<Test>,
}

/// `queue NAME "description" sla DURATION`
#[derive(Clone, Debug)]
pub struct Queue {
    /// Its name.
    pub name: String,
    /// What it is, for people.
    pub description: Option<String>,
    /// Pick-up target in seconds.
    pub sla: Option<f64>,
    /// Where its name is written.
    pub name_span: Span,
    /// Where it is declared.
    pub span: Span,
}

/// `field PATH : TYPE [one of [...]]`
#[derive(Clone, Debug)]
pub struct Field {
    /// The dotted path into the conversation JSON.
    pub path: String,
    /// Its type.
    pub ty: Type,
    /// The only values it may take, when restricted.
    pub one_of: Option<Vec<Value>>,
    /// Where it is declared.
    pub span: Span,
}

/// `let NAME = EXPRESSION`
#[derive(Clone, Debug)]
pub struct Let {
    /// Its name.
    pub name: String,
    /// Its definition.
    pub expr: Expr,
    /// Where its name is written.
    pub name_span: Span,
    /// Where it is declared.
    pub span: Span,
}

/// A rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Its name: the one written after `rule`, or its location (`rules/a.baton:12`).
    pub name: String,
    /// The file it is written in, as shown to people.
    pub file: String,
    /// The line it starts on.
    pub line: usize,
    /// The condition after `when`.
    pub when: Expr,
    /// The exception after `unless`.
    pub unless: Option<Expr>,
    /// What it decides.
    pub outcome: Outcome,
    /// Where it is best pointed at: its name, or its condition when unnamed.
    pub head: Span,
    /// The whole rule.
    pub span: Span,
}

/// A decision as a rule (or the default) states it.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// What happens.
    pub action: Action,
    /// How urgent it is (`normal` unless stated).
    pub priority: Priority,
    /// Tags, in order.
    pub tags: Vec<Template>,
    /// Why, for the human.
    pub reason: Option<Template>,
    /// What the human should do next.
    pub next: Option<Template>,
    /// Who in the queue should take it.
    pub assign: Option<Template>,
    /// Fields the AI must gather before a handoff.
    pub collect: Vec<FieldId>,
}

/// The four actions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Action {
    /// A person in the queue takes over now.
    Handoff(QueueId),
    /// The AI goes on once a person in the queue approves.
    Approval(QueueId),
    /// The AI offers the customer a person from the queue.
    Offer(QueueId),
    /// The AI keeps the conversation.
    #[default]
    Continue,
}

impl Action {
    /// The queue the action names, if any.
    pub fn queue(self) -> Option<QueueId> {
        match self {
            Action::Handoff(q) | Action::Approval(q) | Action::Offer(q) => Some(q),
            Action::Continue => None,
        }
    }
}

/// How urgent a decision is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// `low`
    Low,
    /// `normal`, the default.
    #[default]
    Normal,
    /// `high`
    High,
    /// `urgent`
    Urgent,
}

impl Priority {
    /// Every priority, lowest first.
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    /// The word rules use.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }
}

/// A message text that may show values.
#[derive(Clone, Debug, Default)]
pub struct Template {
    /// The pieces in order.
    pub parts: Vec<TemplatePart>,
}

/// A piece of a [`Template`].
#[derive(Clone, Debug)]
pub enum TemplatePart {
    /// Text shown as written.
    Text(String),
    /// A value shown in its place.
    Value(Ref),
}

/// What a name in a rule refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ref {
    /// A declared field.
    Field(FieldId),
    /// A built-in signal.
    Signal(Signal),
    /// A `let`.
    Let(LetId),
}

/// A `test` block.
#[derive(Clone, Debug)]
pub struct Test {
    /// Its name.
    pub name: String,
    /// The conversation.
    pub given: Given,
    /// Values set on top of the conversation.
    pub with: Vec<(Ref, Value)>,
    /// How long after the last message the test decides, in seconds.
    pub after: Option<f64>,
    /// What must come out, each with where it is written.
    pub expect: Vec<(Expectation, Span)>,
    /// The whole test.
    pub span: Span,
}

/// The conversation of a test.
#[derive(Clone, Debug)]
pub enum Given {
    /// A conversation file, relative to the rule file.
    File(String),
    /// Messages written in the test: role and text.
    Transcript(Vec<(String, String)>),
}

/// What a test expects.
#[derive(Clone, Debug)]
pub enum Expectation {
    /// The action, and the priority when stated.
    Action(Action, Option<Priority>),
    /// The rule that decides.
    Rule(String),
    /// A tag on the decision.
    Tag(String),
    /// The fields the AI must collect.
    Collect(Vec<FieldId>),
}

/// The type of a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// A number.
    Number,
    /// Text.
    Text,
    /// `true` or `false`.
    Bool,
    /// A length of time.
    Duration,
    /// A list of values of one type.
    List(Box<Type>),
    /// Fits anything: an empty list's elements, or something already reported.
    Any,
}

impl Type {
    /// The type in words: "a number", "text", ...
    pub fn words(&self) -> String {
        match self {
            Type::Number => "a number".into(),
            Type::Text => "text".into(),
            Type::Bool => "true or false".into(),
            Type::Duration => "a duration".into(),
            Type::List(t) if **t == Type::Any => "a list".into(),
            Type::List(t) => format!("a list of {}", t.plural()),
            Type::Any => "anything".into(),
        }
    }

    /// The type in words, for several values: "numbers", "text", ...
    pub fn plural(&self) -> String {
        match self {
            Type::Number => "numbers".into(),
            Type::Text => "text".into(),
            Type::Bool => "true/false values".into(),
            Type::Duration => "durations".into(),
            Type::List(_) => "lists".into(),
            Type::Any => "values".into(),
        }
    }

    /// Whether a value of one type may stand where the other is expected.
    pub fn fits(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Any, _) | (_, Type::Any) => true,
            (Type::List(a), Type::List(b)) => a.fits(b),
            (a, b) => a == b,
        }
    }
}

/// A constant value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
    /// `true` or `false`.
    Bool(bool),
    /// A duration in seconds.
    Duration(f64),
    /// A list.
    List(Vec<Value>),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) => f.write_str(&format_number(*n)),
            Value::Text(t) => write!(f, "{}", quote(t)),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Duration(d) => f.write_str(&format_duration(*d)),
            Value::List(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_char(']')
            }
        }
    }
}

/// A typed expression.
#[derive(Clone, Debug)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Its type.
    pub ty: Type,
    /// Where it is written.
    pub span: Span,
}

/// The kinds of checked expression.
#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A constant.
    Literal(Value),
    /// A field, signal or `let`.
    Ref(Ref),
    /// `not A`
    Not(Box<Expr>),
    /// `A and B and ...`
    And(Vec<Expr>),
    /// `A or B or ...`
    Or(Vec<Expr>),
    /// `A < B` and the other comparisons.
    Compare(CompareOp, Box<Expr>, Box<Expr>),
    /// `A in B` or `A not in B`.
    In {
        /// Whether it is `not in`.
        negated: bool,
        /// The value looked for.
        item: Box<Expr>,
        /// The list looked in.
        list: Box<Expr>,
    },
    /// `A contains B`
    Contains(Box<Expr>, Box<Expr>),
    /// `A matches "pattern"`, the pattern compiled.
    Matches(Box<Expr>, Pattern),
    /// `A exists` or `A is missing`.
    Exists {
        /// Whether it is `is missing`.
        negated: bool,
        /// What must be present.
        operand: Box<Expr>,
    },
    /// `A + B` and the other arithmetic.
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    /// `-A`
    Neg(Box<Expr>),
    /// Something that did not check; only in a ruleset with errors.
    Invalid,
}

/// A compiled `matches` pattern.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// The pattern as written (escapes applied).
    pub source: String,
    /// The compiled form.
    pub regex: regex::Regex,
}

impl Expr {
    /// The direct sub-expressions.
    pub fn children(&self) -> impl Iterator<Item = &Expr> {
        let (list, a, b): (&[Expr], Option<&Expr>, Option<&Expr>) = match &self.kind {
            ExprKind::And(items) | ExprKind::Or(items) => (items, None, None),
            ExprKind::Not(e)
            | ExprKind::Neg(e)
            | ExprKind::Exists { operand: e, .. }
            | ExprKind::Matches(e, _) => (&[], Some(e), None),
            ExprKind::Compare(_, a, b)
            | ExprKind::Contains(a, b)
            | ExprKind::Arith(_, a, b)
            | ExprKind::In {
                item: a, list: b, ..
            } => (&[], Some(a), Some(b)),
            ExprKind::Literal(_) | ExprKind::Ref(_) | ExprKind::Invalid => (&[], None, None),
        };
        list.iter().chain(a).chain(b)
    }
}

impl Ruleset {
    /// The name rules use for a field, signal or `let`.
    pub fn ref_name(&self, r: Ref) -> &str {
        match r {
            Ref::Field(id) => self.fields.get(id.0 as usize).map_or("?", |f| &f.path),
            Ref::Signal(s) => s.name(),
            Ref::Let(id) => self.lets.get(id.0 as usize).map_or("?", |l| &l.name),
        }
    }

    /// An expression written back as rule text, in one canonical form: two
    /// expressions that print the same test the same thing.
    pub fn show(&self, expr: &Expr) -> String {
        let mut out = String::new();
        self.write_expr(&mut out, expr, 0);
        out
    }

    fn write_expr(&self, out: &mut String, expr: &Expr, min: u8) {
        let own = precedence(&expr.kind);
        if own < min {
            out.push('(');
        }
        match &expr.kind {
            ExprKind::Literal(v) => {
                let _ = write!(out, "{v}");
            }
            ExprKind::Ref(r) => out.push_str(self.ref_name(*r)),
            ExprKind::Not(e) => {
                out.push_str("not ");
                self.write_expr(out, e, own);
            }
            ExprKind::And(items) | ExprKind::Or(items) => {
                let word = if matches!(expr.kind, ExprKind::And(_)) {
                    " and "
                } else {
                    " or "
                };
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(word);
                    }
                    self.write_expr(out, item, own + 1);
                }
            }
            ExprKind::Compare(op, a, b) => self.write_infix(out, a, op.as_str(), b, own),
            ExprKind::In {
                negated,
                item,
                list,
            } => self.write_infix(out, item, if *negated { "not in" } else { "in" }, list, own),
            ExprKind::Contains(a, b) => self.write_infix(out, a, "contains", b, own),
            ExprKind::Matches(a, p) => {
                self.write_expr(out, a, own + 1);
                let _ = write!(out, " matches {}", quote(&p.source));
            }
            ExprKind::Exists { negated, operand } => {
                self.write_expr(out, operand, own + 1);
                out.push_str(if *negated { " is missing" } else { " exists" });
            }
            ExprKind::Arith(op, a, b) => {
                self.write_expr(out, a, own);
                let _ = write!(out, " {} ", op.as_str());
                self.write_expr(out, b, own + 1);
            }
            ExprKind::Neg(e) => {
                out.push('-');
                self.write_expr(out, e, own);
            }
            ExprKind::Invalid => out.push('?'),
        }
        if own < min {
            out.push(')');
        }
    }

    fn write_infix(&self, out: &mut String, a: &Expr, op: &str, b: &Expr, own: u8) {
        self.write_expr(out, a, own + 1);
        let _ = write!(out, " {op} ");
        self.write_expr(out, b, own + 1);
    }
}

fn precedence(kind: &ExprKind) -> u8 {
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
        ExprKind::Neg(_) => 7,
        ExprKind::Literal(_) | ExprKind::Ref(_) | ExprKind::Invalid => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_written() {
        assert_eq!(format_duration(4.0 * 3600.0), "4h");
        assert_eq!(format_duration(5400.0), "1h30m");
        assert_eq!(format_duration(90.0), "1m30s");
        assert_eq!(format_duration(0.0), "0s");
        assert_eq!(format_duration(1.5), "1.5s");
    }

    #[test]
    fn numbers_and_text_read_as_written() {
        assert_eq!(format_number(50_000.0), "50000");
        assert_eq!(format_number(-0.6), "-0.6");
        assert_eq!(quote("say \"hi\"\n"), r#""say \"hi\"\n""#);
        assert_eq!(quote(r"\d{3}\b"), r#""\d{3}\b""#);
        assert_eq!(quote(r"a\\n\"), r#""a\\\\n\\""#);
    }
}
