//! The syntax tree of a rule file, as written: names are not resolved and
//! types are not known yet. Every node has a span.

use crate::source::Span;

/// A name or dotted path as written, e.g. `billing` or `customer.tier`.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    /// The text of the name.
    pub text: String,
    /// Where it is written.
    pub span: Span,
}

/// A quoted text, with its escapes already applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// The text between the quotes, escapes applied.
    pub value: String,
    /// The whole literal, quotes included.
    pub span: Span,
    /// Where the bytes of `value` come from: each entry says that value byte
    /// `.0` onwards comes from source byte `.1` onwards, until the next entry.
    pub origins: Vec<(u32, u32)>,
}

impl Text {
    /// The source span of a byte range of `value`, for pointing inside the
    /// text (at a bad regex construct, say).
    pub fn span_of(&self, range: std::ops::Range<usize>) -> Span {
        let map = |at: usize| {
            let at = u32::try_from(at).unwrap_or(u32::MAX);
            let i = self.origins.partition_point(|&(v, _)| v <= at);
            match i.checked_sub(1).and_then(|i| self.origins.get(i)) {
                Some(&(v, s)) => s + (at - v),
                None => self.span.start,
            }
        };
        Span {
            file: self.span.file,
            start: map(range.start).min(self.span.end),
            end: map(range.end).min(self.span.end),
        }
    }
}

/// A message text that may show values: `"upset at {customer.arr} ARR"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// The pieces in order.
    pub parts: Vec<MessagePart>,
    /// The whole literal, quotes included.
    pub span: Span,
}

/// A piece of a [`Message`].
#[derive(Clone, Debug, PartialEq)]
pub enum MessagePart {
    /// Text shown as it is.
    Text(String),
    /// `{path}`: the value of a field, signal or `let`.
    Value(Name),
}

/// One top-level item of a rule file.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `queue NAME ...`
    Queue(QueueDecl),
    /// `field PATH : TYPE ...`
    Field(FieldDecl),
    /// `let NAME = ...`
    Let(LetDecl),
    /// `default ACTION`
    Default(DefaultDecl),
    /// `[rule "name"] when ... then ...`
    Rule(RuleDecl),
    /// `test "name" given ... expect ...`
    Test(TestDecl),
}

/// `queue NAME ["description"] [sla DURATION]`
#[derive(Clone, Debug, PartialEq)]
pub struct QueueDecl {
    /// The queue's name.
    pub name: Name,
    /// What the queue is, for people.
    pub description: Option<Text>,
    /// The pick-up target in seconds, with where it is written.
    pub sla: Option<(f64, Span)>,
    /// The whole declaration.
    pub span: Span,
}

/// `field PATH : TYPE [one of [...]]`
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDecl {
    /// The dotted path into the conversation JSON.
    pub path: Name,
    /// The declared type.
    pub ty: TypeExpr,
    /// The allowed values, when restricted.
    pub one_of: Option<Expr>,
    /// The whole declaration.
    pub span: Span,
}

/// A type as written: `number`, `list of text`, ...
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    /// Whether it is `list of ...`.
    pub list: bool,
    /// The type's name (the element type's for lists).
    pub name: Name,
    /// The whole type.
    pub span: Span,
}

/// `let NAME = EXPRESSION`
#[derive(Clone, Debug, PartialEq)]
pub struct LetDecl {
    /// The name being defined.
    pub name: Name,
    /// Its definition.
    pub value: Expr,
    /// The whole declaration.
    pub span: Span,
}

/// `default ACTION`
#[derive(Clone, Debug, PartialEq)]
pub struct DefaultDecl {
    /// What is decided when no rule matches.
    pub outcome: Outcome,
    /// The whole declaration.
    pub span: Span,
}

/// A rule, in either form.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleDecl {
    /// The name after `rule`, when given.
    pub name: Option<Text>,
    /// The condition after `when`.
    pub when: Expr,
    /// The exception after `unless`.
    pub unless: Option<Expr>,
    /// The action and modifiers after `then`.
    pub outcome: Outcome,
    /// The whole rule.
    pub span: Span,
}

/// An action and its modifiers.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// What is decided.
    pub action: Action,
    /// Tags, reason, next step, assignee, fields to collect.
    pub modifiers: Vec<Modifier>,
    /// The whole outcome.
    pub span: Span,
}

/// `handoff to QUEUE [priority P]` and the other actions.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// Which action.
    pub kind: ActionKind,
    /// The queue, for every action but `continue`.
    pub queue: Option<Name>,
    /// The priority word, when given.
    pub priority: Option<Name>,
    /// The whole action.
    pub span: Span,
}

/// The four actions of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    /// `handoff to QUEUE`: a person takes over now.
    Handoff,
    /// `approval from QUEUE`: the AI goes on once a person approves.
    Approval,
    /// `offer handoff to QUEUE`: the AI offers the customer a person.
    Offer,
    /// `continue`: the AI keeps the conversation.
    Continue,
}

/// What may follow an action.
#[derive(Clone, Debug, PartialEq)]
pub enum Modifier {
    /// `tag "a", "b"`
    Tag(Vec<Message>, Span),
    /// `reason "text"`
    Reason(Message, Span),
    /// `next "text"`
    Next(Message, Span),
    /// `assign "who"`
    Assign(Message, Span),
    /// `collect PATH, ...`
    Collect(Vec<Name>, Span),
}

impl Modifier {
    /// The whole modifier.
    pub fn span(&self) -> Span {
        match self {
            Modifier::Tag(_, s)
            | Modifier::Reason(_, s)
            | Modifier::Next(_, s)
            | Modifier::Assign(_, s)
            | Modifier::Collect(_, s) => *s,
        }
    }
}

/// `test "name" given ... [with ...] expect ...`
#[derive(Clone, Debug, PartialEq)]
pub struct TestDecl {
    /// The test's name.
    pub name: Text,
    /// The conversation it decides.
    pub given: Given,
    /// Values set on top of the conversation.
    pub with: Vec<WithClause>,
    /// `after 20m`: how long after the last message the test decides, in
    /// seconds.
    pub after: Option<f64>,
    /// What must come out.
    pub expect: Vec<Expectation>,
    /// The whole test.
    pub span: Span,
}

/// The conversation of a test.
#[derive(Clone, Debug, PartialEq)]
pub enum Given {
    /// A conversation file, relative to the rule file.
    File(Text),
    /// Messages written in the test.
    Transcript(Vec<TranscriptLine>),
}

/// `customer: "where is my order"`
#[derive(Clone, Debug, PartialEq)]
pub struct TranscriptLine {
    /// Who speaks.
    pub role: Name,
    /// What they say.
    pub text: Text,
    /// The whole line.
    pub span: Span,
}

/// `with PATH = VALUE`
#[derive(Clone, Debug, PartialEq)]
pub struct WithClause {
    /// What is set.
    pub path: Name,
    /// Its value.
    pub value: Expr,
    /// The whole clause.
    pub span: Span,
}

/// One `expect` line of a test.
#[derive(Clone, Debug, PartialEq)]
pub enum Expectation {
    /// `expect handoff to billing priority high`
    Action(Action),
    /// `expect rule "name"`
    Rule(Text),
    /// `expect tag "t"`
    Tag(Text),
    /// `expect collect order.id`
    Collect(Vec<Name>, Span),
}

/// A condition or a value.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is written.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `-0.6`, `50_000`, `80%` (as 0.8).
    Number(f64),
    /// `4h`, as seconds.
    Duration(f64),
    /// `"text"`
    Text(Text),
    /// `true` or `false`
    Bool(bool),
    /// `[a, b]`
    List(Vec<Expr>),
    /// A field, signal or `let`.
    Path(Name),
    /// `not A`
    Not(Box<Expr>),
    /// `A and B and ...`
    And(Vec<Expr>),
    /// `A or B or ...`
    Or(Vec<Expr>),
    /// `A < B` and the other comparisons.
    Compare(CompareOp, Box<Expr>, Box<Expr>),
    /// `A in B` (or `not in` when `negated`).
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
    /// `A matches "pattern"`
    Matches(Box<Expr>, Box<Expr>),
    /// `A exists` (or `A is missing` when `negated`).
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
    /// Something already reported as a syntax error.
    Error,
}

/// A comparison sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==` or `is`
    Eq,
    /// `!=` or `is not`
    Ne,
}

impl CompareOp {
    /// The comparison with its sides swapped: `5 < x` is `x > 5`.
    pub fn flipped(self) -> CompareOp {
        match self {
            CompareOp::Lt => CompareOp::Gt,
            CompareOp::Le => CompareOp::Ge,
            CompareOp::Gt => CompareOp::Lt,
            CompareOp::Ge => CompareOp::Le,
            other => other,
        }
    }

    /// The sign as written in rules.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
        }
    }
}

/// An arithmetic sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl ArithOp {
    /// The sign as written in rules.
    pub fn as_str(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}
