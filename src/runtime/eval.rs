//! Evaluating the rule graph on one conversation: each node is computed at
//! most once and remembered; a value the conversation lacks makes a node
//! *unknown*, and `and`, `or` and `not` follow three-valued (Kleene) logic,
//! carrying the names of what was missing.

use serde_json::Value as Json;

use super::conversation::{Warning, kind, show};
use super::signals::Signals;
use super::value::text_eq;
use super::value::{List, Val};
use crate::check::ir::{ArithOp, CompareOp, FieldId, Ref, Type};
use crate::compile::{Fast, Node, NodeId, RuleGraph};
use crate::diagnostic::Code;

/// The identity of a set of missing fields and signals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MissingId(u32);

/// What a node came to.
#[derive(Clone, Copy, Debug)]
pub enum Res<'s> {
    /// A value.
    Known(Val<'s>),
    /// Unknown, because these values were missing.
    Unknown(MissingId),
}

/// What a condition came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    /// It holds.
    True,
    /// It does not hold.
    False,
    /// It cannot be told, because these values were missing.
    Unknown(MissingId),
}

/// A field as read from a conversation: its value, missing, or there with
/// the wrong type.
pub type FieldReading<'s> = Result<Option<Val<'s>>, Warning>;

/// A field read beforehand and kept compactly: numbers and true/false in
/// place, text as a range of one shared buffer (so a conversation's values
/// lie together in memory), anything else as read.
#[derive(Clone, Debug)]
pub enum Kept<'c> {
    /// A number.
    Num(f64),
    /// A duration in seconds.
    Dur(f64),
    /// True or false.
    Bool(bool),
    /// Text: where it is in the buffer, and where a lower-case copy of it
    /// is when it is ASCII (`u32::MAX` otherwise), for comparisons that
    /// ignore case.
    Text {
        /// Its first byte in the buffer.
        start: u32,
        /// One past its last.
        end: u32,
        /// The first byte of its lower-case copy, when it is ASCII.
        lower: u32,
    },
    /// Not in the conversation.
    Missing,
    /// Missing, a list, or there with the wrong type (boxed, so the
    /// common kinds stay two words).
    Other(Box<FieldReading<'c>>),
}

/// Every declared field, read once and kept compactly, with the buffer
/// their text is in.
pub fn keep_fields<'c>(
    graph: &RuleGraph,
    root: &'c serde_json::Map<String, Json>,
) -> (Vec<Kept<'c>>, String) {
    let mut buffer = String::new();
    let kept = read_fields(graph, root)
        .into_iter()
        .map(|reading| match reading {
            Ok(Some(Val::Num(n))) => Kept::Num(n),
            Ok(Some(Val::Dur(d))) => Kept::Dur(d),
            Ok(Some(Val::Bool(b))) => Kept::Bool(b),
            Ok(Some(Val::Text(t))) if buffer.len() + 2 * t.len() < u32::MAX as usize => {
                let start = buffer.len() as u32;
                buffer.push_str(t);
                let end = buffer.len() as u32;
                let lower = if t.is_ascii() {
                    buffer.extend(t.chars().map(|c| c.to_ascii_lowercase()));
                    end
                } else {
                    u32::MAX
                };
                Kept::Text { start, end, lower }
            }
            Ok(None) => Kept::Missing,
            other => Kept::Other(Box::new(other)),
        })
        .collect();
    (kept, buffer)
}

/// The evaluation of one conversation.
pub struct Eval<'s> {
    graph: &'s RuleGraph,
    signals: &'s Signals<'s>,
    /// The fields, read beforehand (by field id), with the buffer their
    /// text is in, when they were.
    fields: Option<(&'s [Kept<'s>], &'s str)>,
    memo: Vec<Option<Res<'s>>>,
    missing: Vec<Vec<Ref>>,
    /// Values of the wrong type met so far.
    pub warnings: Vec<Warning>,
}

impl<'s> Eval<'s> {
    /// A fresh evaluation of the conversation behind `signals`.
    pub fn new(graph: &'s RuleGraph, signals: &'s Signals<'s>) -> Eval<'s> {
        Eval {
            graph,
            signals,
            fields: None,
            // Made at the first node kept: a decision the flat form settles
            // never needs it.
            memo: Vec::new(),
            missing: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// An evaluation that takes the fields from `fields` (by field id, as
    /// [`keep_fields`] gives them, with its buffer) instead of reading the
    /// JSON.
    pub fn with_fields(
        graph: &'s RuleGraph,
        signals: &'s Signals<'s>,
        fields: &'s [Kept<'s>],
        buffer: &'s str,
    ) -> Eval<'s> {
        Eval {
            fields: Some((fields, buffer)),
            ..Eval::new(graph, signals)
        }
    }

    /// The name rules use for a field, signal or `let`.
    pub fn ref_name(&self, r: Ref) -> &'s str {
        self.graph.ruleset.ref_name(r)
    }

    /// The names of the values a [`MissingId`] stands for, in order.
    pub fn missing(&self, id: MissingId) -> &[Ref] {
        &self.missing[id.0 as usize]
    }

    fn missing_set(&mut self, refs: Vec<Ref>) -> MissingId {
        self.missing.push(refs);
        MissingId(self.missing.len() as u32 - 1)
    }

    fn union(&mut self, a: Option<MissingId>, b: MissingId) -> MissingId {
        let Some(a) = a else { return b };
        if a == b {
            return a;
        }
        let mut refs = self.missing(a).to_vec();
        for r in self.missing(b).to_vec() {
            if !refs.contains(&r) {
                refs.push(r);
            }
        }
        self.missing_set(refs)
    }

    /// A condition's truth.
    pub fn truth(&mut self, id: NodeId) -> Truth {
        match self.eval(id) {
            Res::Known(Val::Bool(true)) => Truth::True,
            Res::Known(_) => Truth::False,
            Res::Unknown(m) => Truth::Unknown(m),
        }
    }

    /// Whether rule `i` matches: its `when` holds and its `unless` does not.
    pub fn rule(&mut self, i: usize) -> Truth {
        self.rule_as(i, false)
    }

    /// Whether rule `i` matches, for a rule the index chose: its tests of
    /// the indexed field hold, and are not worked out again.
    pub fn indexed_rule(&mut self, i: usize) -> Truth {
        self.rule_as(i, true)
    }

    fn rule_as(&mut self, i: usize, indexed: bool) -> Truth {
        // Most rules meet only values that are there: worked out directly
        // (from the fields read beforehand, in the flat form, when they
        // were). When one is missing, the full evaluation says what and why.
        let quick = if self.fields.is_some() {
            self.flat_rule(i, indexed)
        } else {
            let rule = &self.graph.rules[i];
            match (self.quick_truth(rule.when), rule.unless) {
                (Some(true), Some(unless)) => self.quick_truth(unless).map(|u| !u),
                (when, _) => when,
            }
        };
        match quick {
            Some(true) => return Truth::True,
            Some(false) => return Truth::False,
            None => {}
        }
        let rule = &self.graph.rules[i];
        let when = self.truth(rule.when);
        let Some(unless) = rule.unless else {
            return when;
        };
        match (when, self.truth(unless)) {
            (Truth::False, _) | (_, Truth::True) => Truth::False,
            (w, Truth::False) => w,
            (Truth::True, Truth::Unknown(m)) => Truth::Unknown(m),
            (Truth::Unknown(a), Truth::Unknown(b)) => Truth::Unknown(self.union(Some(a), b)),
        }
    }

    /// [`Eval::quick_truth`] on the flat form, reading the fields read
    /// beforehand.
    #[cfg(test)]
    fn fast_truth(&self, f: &Fast) -> Option<bool> {
        let (fields, buffer) = self.fields?;
        flat_truth(f, fields, buffer, &|id| self.quick_truth(id))
    }

    /// Whether rule `i` matches, in the flat form from the fields read
    /// beforehand (without its tests of the indexed value when the index
    /// chose it); `None` as for [`Eval::quick_truth`].
    #[inline]
    fn flat_rule(&self, i: usize, indexed: bool) -> Option<bool> {
        let (fields, buffer) = self.fields?;
        let graph = self.graph;
        let (when, unless) = &graph.fast[i];
        let when = if indexed {
            graph.fast_indexed.get(i).unwrap_or(when)
        } else {
            when
        };
        let other = |id| self.quick_truth(id);
        if !flat_truth(when, fields, buffer, &other)? {
            return Some(false);
        }
        match unless {
            None => Some(true),
            Some(unless) => Some(!flat_truth(unless, fields, buffer, &other)?),
        }
    }

    /// Whether a condition holds, worked out directly, without keeping
    /// results or tracking what is missing: `None` when a value it needs is
    /// missing (or cannot be told), and then [`Eval::truth`] says. Where it
    /// answers, it answers as [`Eval::truth`] does.
    fn quick_truth(&self, id: NodeId) -> Option<bool> {
        self.quick(id).map(|v| matches!(v, Val::Bool(true)))
    }

    /// A node's value worked out directly; `None` as for
    /// [`Eval::quick_truth`].
    fn quick(&self, id: NodeId) -> Option<Val<'s>> {
        let graph = self.graph;
        Some(match graph.node(id) {
            Node::Const(c) => Val::written(&graph.consts[c.0 as usize].value)?,
            Node::Field(f) => self.read_field(*f).ok()??,
            Node::Signal(s) => self.signals.get(*s).ok()??,
            Node::Not(x) => Val::Bool(!self.quick_truth(*x)?),
            Node::And(xs) => {
                for &x in xs.iter() {
                    if !self.quick_truth(x)? {
                        return Some(Val::Bool(false));
                    }
                }
                Val::Bool(true)
            }
            Node::Or(xs) => {
                for &x in xs.iter() {
                    if self.quick_truth(x)? {
                        return Some(Val::Bool(true));
                    }
                }
                Val::Bool(false)
            }
            Node::Compare(op, a, b) => Val::Bool(compare(*op, self.quick(*a)?, self.quick(*b)?)),
            Node::In {
                negated,
                item,
                list,
            } => {
                let x = self.quick(*item)?;
                let Val::List(l) = self.quick(*list)? else {
                    return None;
                };
                Val::Bool(l.any(|i| i.same(x)) != *negated)
            }
            Node::ContainsText(a, p) | Node::Matches(a, p) => match self.quick(*a)? {
                Val::Text(t) => Val::Bool(graph.patterns[p.0 as usize].is_match(t)),
                _ => Val::Bool(false),
            },
            Node::Contains(..) | Node::Exists { .. } | Node::Arith(..) | Node::Neg(_) => {
                return None;
            }
        })
    }

    /// A node's result, computed once (a node read from one place only is
    /// asked for once, and is not kept).
    pub fn eval(&mut self, id: NodeId) -> Res<'s> {
        let slot = self.graph.memo_slots[id.0 as usize] as usize;
        if let Some(Some(known)) = self.memo.get(slot) {
            return *known;
        }
        let res = self.compute(id);
        if slot < self.graph.memo_len {
            if self.memo.is_empty() {
                self.memo = vec![None; self.graph.memo_len];
            }
            self.memo[slot] = Some(res);
        }
        res
    }

    /// A text field's value straight from the fields read beforehand,
    /// when they were and it is there as text.
    pub fn kept_text(&self, field: FieldId) -> Option<&'s str> {
        let (fields, buffer) = self.fields?;
        match &fields[field.0 as usize] {
            Kept::Text { start, end, .. } => buffer.get(*start as usize..*end as usize),
            _ => None,
        }
    }

    /// A text field's value in lower case, straight from the fields read
    /// beforehand, when it is ASCII (the case that needs no work).
    pub fn kept_lower_ascii(&self, field: FieldId) -> Option<&'s str> {
        let (fields, buffer) = self.fields?;
        lower_ascii(&fields[field.0 as usize], buffer)
    }

    fn compute(&mut self, id: NodeId) -> Res<'s> {
        let graph = self.graph;
        match graph.node(id) {
            Node::Const(c) => match super::value::Val::written(&graph.consts[c.0 as usize].value) {
                Some(v) => Res::Known(v),
                None => Res::Known(Val::Bool(false)),
            },
            Node::Field(f) => self.reading(Ref::Field(*f), |e| e.read_field(*f)),
            Node::Signal(s) => {
                let signals = self.signals;
                self.reading(Ref::Signal(*s), |_| signals.get(*s))
            }
            Node::Not(x) => match self.truth(*x) {
                Truth::Unknown(m) => Res::Unknown(m),
                t => Res::Known(Val::Bool(t == Truth::False)),
            },
            Node::And(xs) => self.junction(xs, false),
            Node::Or(xs) => self.junction(xs, true),
            Node::Compare(op, a, b) => {
                self.both(*a, *b, |x, y| Some(Val::Bool(compare(*op, x, y))))
            }
            Node::In {
                negated,
                item,
                list,
            } => self.both(*item, *list, |x, l| {
                let Val::List(l) = l else { return None };
                Some(Val::Bool(l.any(|i| i.same(x)) != *negated))
            }),
            Node::Contains(a, b) => self.both(*a, *b, |h, n| {
                Some(Val::Bool(match (h, n) {
                    (Val::Text(h), Val::Text(n)) => text_contains(h, n),
                    (Val::List(l), n) => l.any(|i| i.same(n)),
                    _ => false,
                }))
            }),
            Node::ContainsText(a, p) | Node::Matches(a, p) => match self.eval(*a) {
                Res::Known(Val::Text(t)) => {
                    Res::Known(Val::Bool(graph.patterns[p.0 as usize].is_match(t)))
                }
                Res::Known(_) => Res::Known(Val::Bool(false)),
                unknown => unknown,
            },
            Node::Exists { negated, operand } => {
                let present = matches!(self.eval(*operand), Res::Known(_));
                Res::Known(Val::Bool(present != *negated))
            }
            // Dividing by zero gives no value: unknown, with nothing missing.
            Node::Arith(op, a, b) => self.both(*a, *b, |x, y| arith(*op, x, y)),
            Node::Neg(x) => match self.eval(*x) {
                Res::Known(Val::Num(n)) => Res::Known(Val::Num(-n)),
                Res::Known(Val::Dur(d)) => Res::Known(Val::Dur(-d)),
                other => other,
            },
        }
    }

    /// A field or signal: its value, or unknown (with a warning when it was
    /// there with the wrong type).
    fn reading(
        &mut self,
        r: Ref,
        read: impl FnOnce(&Self) -> Result<Option<Val<'s>>, Warning>,
    ) -> Res<'s> {
        match read(self) {
            Ok(Some(v)) => Res::Known(v),
            Ok(None) => Res::Unknown(self.missing_set(vec![r])),
            Err(warning) => {
                self.warn(warning);
                Res::Unknown(self.missing_set(vec![r]))
            }
        }
    }

    /// Records a warning once.
    pub fn warn(&mut self, warning: Warning) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// `and` (`any_true` false) or `or` (`any_true` true) in Kleene logic:
    /// one deciding child settles it; otherwise an unknown child makes it
    /// unknown.
    fn junction(&mut self, xs: &[NodeId], any_true: bool) -> Res<'s> {
        let mut unknown = None;
        for &x in xs {
            match self.truth(x) {
                Truth::True if any_true => return Res::Known(Val::Bool(true)),
                Truth::False if !any_true => return Res::Known(Val::Bool(false)),
                Truth::Unknown(m) => unknown = Some(self.union(unknown, m)),
                _ => {}
            }
        }
        match unknown {
            Some(m) => Res::Unknown(m),
            None => Res::Known(Val::Bool(!any_true)),
        }
    }

    /// Applies `f` when both inputs are known; otherwise unknown, missing
    /// what either lacked. `f` giving nothing (division by zero) is unknown.
    fn both(
        &mut self,
        a: NodeId,
        b: NodeId,
        f: impl FnOnce(Val<'s>, Val<'s>) -> Option<Val<'s>>,
    ) -> Res<'s> {
        match (self.eval(a), self.eval(b)) {
            (Res::Known(x), Res::Known(y)) => match f(x, y) {
                Some(v) => Res::Known(v),
                None => Res::Unknown(self.missing_set(Vec::new())),
            },
            (Res::Unknown(m), Res::Known(_)) | (Res::Known(_), Res::Unknown(m)) => Res::Unknown(m),
            (Res::Unknown(m), Res::Unknown(n)) => Res::Unknown(self.union(Some(m), n)),
        }
    }

    /// The value of a field, signal or `let`, when known.
    pub fn value_of(&mut self, r: Ref) -> Option<Val<'s>> {
        let node = match r {
            Ref::Field(f) => return self.field(f),
            Ref::Signal(s) => {
                let signals = self.signals;
                return match signals.get(s) {
                    Ok(v) => v,
                    Err(w) => {
                        self.warn(w);
                        None
                    }
                };
            }
            Ref::Let(l) => self.graph.let_nodes[l.0 as usize]?,
        };
        match self.eval(node) {
            Res::Known(v) => Some(v),
            Res::Unknown(_) => None,
        }
    }

    /// A declared field's value, when the conversation has it with the declared type.
    pub fn field(&mut self, id: FieldId) -> Option<Val<'s>> {
        match self.read_field(id) {
            Ok(v) => v,
            Err(w) => {
                self.warn(w);
                None
            }
        }
    }

    fn read_field(&self, id: FieldId) -> Result<Option<Val<'s>>, Warning> {
        if let Some((fields, buffer)) = self.fields {
            return match &fields[id.0 as usize] {
                Kept::Num(n) => Ok(Some(Val::Num(*n))),
                Kept::Dur(d) => Ok(Some(Val::Dur(*d))),
                Kept::Bool(b) => Ok(Some(Val::Bool(*b))),
                Kept::Text { start, end, .. } => {
                    Ok(buffer.get(*start as usize..*end as usize).map(Val::Text))
                }
                Kept::Missing => Ok(None),
                Kept::Other(reading) => (**reading).clone(),
            };
        }
        read_field(self.graph, self.signals.conversation().root, id)
    }
}

/// Every declared field, read once from a conversation's top-level object
/// (by field id).
pub fn read_fields<'c>(
    graph: &RuleGraph,
    root: &'c serde_json::Map<String, Json>,
) -> Vec<FieldReading<'c>> {
    (0..graph.field_paths.len())
        .map(|i| read_field(graph, root, FieldId(i as u32)))
        .collect()
}

/// A declared field of a conversation, by its path from the top-level
/// object: its value when it has the declared type, missing, or a warning.
fn read_field<'c>(
    graph: &RuleGraph,
    root: &'c serde_json::Map<String, Json>,
    id: FieldId,
) -> FieldReading<'c> {
    let mut at: &'c Json = &Json::Null;
    for (i, segment) in graph.field_paths[id.0 as usize].iter().enumerate() {
        let next = if i == 0 {
            root.get(segment)
        } else {
            at.get(segment)
        };
        match next {
            Some(value) => at = value,
            None => return Ok(None),
        }
    }
    let field = &graph.ruleset.fields[id.0 as usize];
    let value = match (&field.ty, at) {
        (_, Json::Null) => return Ok(None),
        (Type::Number, Json::Number(n)) => n.as_f64().map(Val::Num),
        (Type::Text, Json::String(s)) => Some(Val::Text(s)),
        (Type::Bool, Json::Bool(b)) => Some(Val::Bool(*b)),
        (Type::Duration, Json::Number(n)) => n.as_f64().map(Val::Dur),
        (Type::Duration, Json::String(s)) => parse_duration(s).map(Val::Dur),
        (Type::List(_), Json::Array(items)) if items.iter().all(Json::is_string) => {
            Some(Val::List(List::Json(items)))
        }
        _ => None,
    };
    value.map(Some).ok_or_else(|| Warning {
        code: Code::W0401,
        message: format!(
            "`{}` is {} ({}), not {}; treated as missing",
            field.path,
            kind(at),
            show(at),
            field.ty.words()
        ),
    })
}

/// The lower-case copy of a kept text, when it is ASCII.
fn lower_ascii<'k>(kept: &Kept<'_>, buffer: &'k str) -> Option<&'k str> {
    match kept {
        Kept::Text { start, end, lower } if *lower != u32::MAX => {
            buffer.get(*lower as usize..(*lower + end - start) as usize)
        }
        _ => None,
    }
}

/// Whether a condition in the flat form holds, from the fields read
/// beforehand; `other` works out the nodes the flat form leaves as nodes.
/// `None` when a value it needs is missing (or is not as declared).
fn flat_truth(
    f: &Fast,
    fields: &[Kept<'_>],
    buffer: &str,
    other: &dyn Fn(NodeId) -> Option<bool>,
) -> Option<bool> {
    // A text field's value: in lower case when it is ASCII (then it equals a
    // written text, also in lower case, exactly when the bytes are equal).
    let text = |field: FieldId| -> Option<(&str, bool)> {
        let kept = &fields[field.0 as usize];
        if let Some(lower) = lower_ascii(kept, buffer) {
            return Some((lower, true));
        }
        match kept {
            Kept::Text { start, end, .. } => {
                Some((buffer.get(*start as usize..*end as usize)?, false))
            }
            _ => None,
        }
    };
    let same = |(x, lowered): (&str, bool), written: &str| {
        if lowered {
            x == written
        } else {
            text_eq(x, written)
        }
    };
    Some(match f {
        Fast::Number {
            field,
            op,
            value,
            duration,
        } => match (&fields[field.0 as usize], duration) {
            (Kept::Num(n), false) | (Kept::Dur(n), true) => compare_numbers(*op, *n, *value),
            _ => return None,
        },
        Fast::Text {
            field,
            text: written,
            negated,
        } => same(text(*field)?, written) != *negated,
        Fast::InTexts {
            field,
            texts,
            negated,
        } => {
            let x = text(*field)?;
            texts.iter().any(|t| same(x, t)) != *negated
        }
        Fast::Flag(field) => match &fields[field.0 as usize] {
            Kept::Bool(b) => *b,
            _ => return None,
        },
        Fast::And(xs) => {
            for x in xs.iter() {
                if !flat_truth(x, fields, buffer, other)? {
                    return Some(false);
                }
            }
            true
        }
        Fast::Or(xs) => {
            for x in xs.iter() {
                if flat_truth(x, fields, buffer, other)? {
                    return Some(true);
                }
            }
            false
        }
        Fast::Not(x) => !flat_truth(x, fields, buffer, other)?,
        Fast::Node(id) => other(*id)?,
    })
}

/// Two numbers compared as [`compare`] compares them.
/// Whether `haystack` contains `needle` ignoring case, exactly as a
/// written needle (`contains "refund"`, compiled once as a case-insensitive
/// search) does: the same matcher, built here for a needle read from the
/// conversation.
fn text_contains(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if needle.is_ascii() && haystack.is_ascii() {
        return haystack
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
    }
    regex::RegexBuilder::new(&regex::escape(needle))
        .case_insensitive(true)
        .build()
        .is_ok_and(|r| r.is_match(haystack))
}

fn compare_numbers(op: CompareOp, a: f64, b: f64) -> bool {
    let ordering = a.partial_cmp(&b);
    match op {
        CompareOp::Eq => a == b,
        CompareOp::Ne => a != b,
        CompareOp::Lt => ordering.is_some_and(|o| o.is_lt()),
        CompareOp::Le => ordering.is_some_and(|o| o.is_le()),
        CompareOp::Gt => ordering.is_some_and(|o| o.is_gt()),
        CompareOp::Ge => ordering.is_some_and(|o| o.is_ge()),
    }
}

fn compare(op: CompareOp, x: Val<'_>, y: Val<'_>) -> bool {
    let ordering = match (x, y) {
        (Val::Num(a), Val::Num(b)) | (Val::Dur(a), Val::Dur(b)) => a.partial_cmp(&b),
        _ => None,
    };
    match (op, ordering) {
        (CompareOp::Eq, _) => x.same(y),
        (CompareOp::Ne, _) => !x.same(y),
        (CompareOp::Lt, Some(o)) => o.is_lt(),
        (CompareOp::Le, Some(o)) => o.is_le(),
        (CompareOp::Gt, Some(o)) => o.is_gt(),
        (CompareOp::Ge, Some(o)) => o.is_ge(),
        _ => false,
    }
}

fn arith<'s>(op: ArithOp, x: Val<'s>, y: Val<'s>) -> Option<Val<'s>> {
    use Val::{Dur, Num};
    let divide = |a: f64, b: f64| (b != 0.0).then(|| a / b);
    Some(match (op, x, y) {
        (ArithOp::Add, Num(a), Num(b)) => Num(a + b),
        (ArithOp::Sub, Num(a), Num(b)) => Num(a - b),
        (ArithOp::Mul, Num(a), Num(b)) => Num(a * b),
        (ArithOp::Div, Num(a), Num(b)) => Num(divide(a, b)?),
        (ArithOp::Add, Dur(a), Dur(b)) => Dur(a + b),
        (ArithOp::Sub, Dur(a), Dur(b)) => Dur(a - b),
        (ArithOp::Mul, Dur(a), Num(b)) | (ArithOp::Mul, Num(b), Dur(a)) => Dur(a * b),
        (ArithOp::Div, Dur(a), Num(b)) => Dur(divide(a, b)?),
        (ArithOp::Div, Dur(a), Dur(b)) => Num(divide(a, b)?),
        _ => return None,
    })
}

/// A duration written the way rules write one (`30m`, `1h30m`), in seconds.
pub fn parse_duration(text: &str) -> Option<f64> {
    if text.trim().is_empty() {
        return None;
    }
    let mut total = 0.0;
    let mut number = String::new();
    for c in text.trim().chars() {
        let unit = match c {
            's' => 1.0,
            'm' => 60.0,
            'h' => 3_600.0,
            'd' => 86_400.0,
            c if c.is_ascii_digit() || c == '.' => {
                number.push(c);
                continue;
            }
            _ => return None,
        };
        total += std::mem::take(&mut number).parse::<f64>().ok()? * unit;
    }
    number.is_empty().then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::conversation::Conversation;

    /// Where the direct evaluations answer (node by node, and in the flat
    /// form from fields read beforehand), they answer as the full one does:
    /// every rule of the bundled rules (and their conditions and tests), on
    /// every conversation of the test slice, at two evaluation times.
    #[test]
    fn the_direct_evaluation_agrees_with_the_full_one() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let rules = crate::Rules::load(&[root.join("rules")], &crate::Limits::default())
            .expect("bundled rules");
        let graph = rules.graph();
        let corpus = std::fs::read_to_string(root.join("tests/data/conversations-slice.jsonl"))
            .expect("the slice");
        let (mut answered, mut deferred) = (0, 0);
        for line in corpus.lines() {
            let json: Json = serde_json::from_str(line).expect("JSON");
            let conversation = Conversation::read(&json).expect("a conversation");
            let (kept, buffer) = keep_fields(graph, conversation.root);
            for now in [None, Some(1_800_000_000_000)] {
                let signals = Signals::new(&conversation, now);
                let quick = Eval::new(graph, &signals);
                let flat = Eval::with_fields(graph, &signals, &kept, &buffer);
                let mut full = Eval::new(graph, &signals);
                for (i, rule) in graph.rules.iter().enumerate() {
                    if let Some(t) = flat.fast_truth(&graph.fast[i].0) {
                        let expected = if t { Truth::True } else { Truth::False };
                        assert_eq!(full.truth(rule.when), expected, "rule {i} on {line}");
                    }
                }
                for id in (0..graph.nodes.len()).map(|i| NodeId(i as u32)) {
                    match quick.quick_truth(id) {
                        Some(t) => {
                            answered += 1;
                            let expected = if t { Truth::True } else { Truth::False };
                            assert_eq!(full.truth(id), expected, "node {id:?} on {line}");
                        }
                        None => deferred += 1,
                    }
                }
            }
        }
        assert!(
            answered > deferred,
            "{answered} answered, {deferred} deferred"
        );
    }
}
