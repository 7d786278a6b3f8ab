//! Each rule's conditions in a second, flat-footed form for the common case:
//! tests of a field against a written value (`customer.arr >= 50000`,
//! `intent == "refund"`, `tier in ["pro", "enterprise"]`) joined by `and`,
//! `or` and `not`. Evaluated straight from the fields read beforehand, with
//! no value built in between; anything else stays a node of the graph,
//! evaluated the general way.

use super::{Node, NodeId, RuleGraph};
use crate::check::ir::{CompareOp, FieldId, Type, Value};

/// A condition in the flat form.
#[derive(Clone, Debug)]
pub enum Fast {
    /// A number (or duration) field against a written number.
    Number {
        /// The field.
        field: FieldId,
        /// How they compare, the field on the left.
        op: CompareOp,
        /// The written number (seconds for a duration).
        value: f64,
        /// Whether the field is a duration.
        duration: bool,
    },
    /// A text field equal (or not) to a written text, ignoring case.
    Text {
        /// The field.
        field: FieldId,
        /// The written text, in lower case.
        text: Box<str>,
        /// Whether the test is `!=`.
        negated: bool,
    },
    /// A text field in (or not in) a written list of texts.
    InTexts {
        /// The field.
        field: FieldId,
        /// The written texts, in lower case.
        texts: Box<[Box<str>]>,
        /// Whether the test is `not in`.
        negated: bool,
    },
    /// A true-or-false field used on its own.
    Flag(FieldId),
    /// All hold.
    And(Box<[Fast]>),
    /// One holds.
    Or(Box<[Fast]>),
    /// It does not hold.
    Not(Box<Fast>),
    /// Anything else: a node, evaluated the general way.
    Node(NodeId),
}

/// The flat form of the condition at `id`.
pub fn fast(graph: &RuleGraph, id: NodeId) -> Fast {
    let field_of = |n: NodeId| match graph.node(n) {
        Node::Field(f) => Some((*f, &graph.ruleset.fields[f.0 as usize].ty)),
        _ => None,
    };
    let written = |n: NodeId| match graph.node(n) {
        Node::Const(c) => Some(&graph.consts[c.0 as usize].value),
        _ => None,
    };
    match graph.node(id) {
        Node::And(xs) => Fast::And(xs.iter().map(|&x| fast(graph, x)).collect()),
        Node::Or(xs) => Fast::Or(xs.iter().map(|&x| fast(graph, x)).collect()),
        Node::Not(x) => Fast::Not(Box::new(fast(graph, *x))),
        Node::Field(f) if graph.ruleset.fields[f.0 as usize].ty == Type::Bool => Fast::Flag(*f),
        Node::Compare(op, a, b) => {
            let (field, value, op) = match (field_of(*a), written(*b), field_of(*b), written(*a)) {
                (Some(f), Some(v), _, _) => (f, v, *op),
                (_, _, Some(f), Some(v)) => (f, v, op.flipped()),
                _ => return Fast::Node(id),
            };
            match (field.1, value) {
                (Type::Number, Value::Number(n)) | (Type::Duration, Value::Duration(n)) => {
                    Fast::Number {
                        field: field.0,
                        op,
                        value: *n,
                        duration: *field.1 == Type::Duration,
                    }
                }
                (Type::Text, Value::Text(t)) if matches!(op, CompareOp::Eq | CompareOp::Ne) => {
                    Fast::Text {
                        field: field.0,
                        text: lower(t),
                        negated: op == CompareOp::Ne,
                    }
                }
                _ => Fast::Node(id),
            }
        }
        Node::In {
            negated,
            item,
            list,
        } => match (field_of(*item), written(*list)) {
            (Some((field, Type::Text)), Some(Value::List(items))) => {
                let texts: Option<Box<[Box<str>]>> = items
                    .iter()
                    .map(|v| match v {
                        Value::Text(t) => Some(lower(t)),
                        _ => None,
                    })
                    .collect();
                match texts {
                    Some(texts) => Fast::InTexts {
                        field,
                        texts,
                        negated: *negated,
                    },
                    None => Fast::Node(id),
                }
            }
            _ => Fast::Node(id),
        },
        _ => Fast::Node(id),
    }
}

/// Text in lower case, letter by letter, as text comparisons see it.
fn lower(text: &str) -> Box<str> {
    text.chars()
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .into()
}

/// `when` in the flat form for a rule tried because the index found the
/// value it requires of `field`: the tests of that value are true then, and
/// are left out.
pub fn without_guards(f: &Fast, field: FieldId) -> Fast {
    match f {
        Fast::And(xs) => Fast::And(
            xs.iter()
                .filter(|x| !is_guard(x, field))
                .map(|x| without_guards(x, field))
                .collect(),
        ),
        x if is_guard(x, field) => Fast::And(Box::new([])),
        x => x.clone(),
    }
}

fn is_guard(f: &Fast, on: FieldId) -> bool {
    matches!(
        f,
        Fast::Text { field, negated: false, .. } | Fast::InTexts { field, negated: false, .. }
            if *field == on
    )
}
