//! How a rule is explained: its conditions broken into the single tests a
//! person reads ("loops >= 2"), each tied to the node that computes it and
//! to the nodes of its operands, so the runtime can say what each value was.

use super::NodeId;
use crate::check::Ruleset;
use crate::check::ir::{CompareOp, Expr, ExprKind, Ref, Type};

/// One test of a rule's condition, as an explanation shows it.
#[derive(Clone, Debug)]
pub struct Test {
    /// The test as rule text, e.g. `loops >= 2`.
    pub text: String,
    /// The `let` the test comes from, when it is written inside one.
    pub via: Option<String>,
    /// The node that computes the test.
    pub node: NodeId,
    /// What kind of test it is.
    pub shape: Shape,
    /// Its operands, in the order written.
    pub operands: Vec<Operand>,
}

/// The kinds of test an explanation words differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `A < B` and the other comparisons.
    Compare(CompareOp),
    /// `A in LIST`, `A not in LIST`.
    In {
        /// Whether it is `not in`.
        negated: bool,
    },
    /// `A contains B`
    Contains,
    /// `A matches "pattern"`
    Matches,
    /// `A exists`, `A is missing`.
    Exists {
        /// Whether it is `is missing`.
        negated: bool,
    },
    /// A true/false field or signal used on its own: `asked_for_human`.
    Flag,
    /// `true` or `false` written as a condition.
    Constant,
}

/// An operand of a test.
#[derive(Clone, Debug)]
pub struct Operand {
    /// The operand as rule text.
    pub text: String,
    /// The node that computes it.
    pub node: NodeId,
    /// Whether it is a written value (shown as written, not as "X is ...").
    pub written: bool,
}

/// The tests of a condition, in the order written, looking inside the
/// `let`s it uses. `compile` gives the node of an expression.
pub fn tests(
    ruleset: &Ruleset,
    expr: &Expr,
    compile: &mut impl FnMut(&Expr) -> NodeId,
) -> Vec<Test> {
    let mut out = Vec::new();
    collect(ruleset, expr, None, compile, &mut out);
    out
}

fn collect(
    ruleset: &Ruleset,
    expr: &Expr,
    via: Option<&str>,
    compile: &mut impl FnMut(&Expr) -> NodeId,
    out: &mut Vec<Test>,
) {
    let operands = |xs: &[&Expr], compile: &mut dyn FnMut(&Expr) -> NodeId| {
        xs.iter()
            .map(|x| Operand {
                text: ruleset.show(x),
                node: compile(x),
                written: matches!(x.kind, ExprKind::Literal(_)),
            })
            .collect::<Vec<_>>()
    };
    let (shape, parts): (Shape, Vec<&Expr>) = match &expr.kind {
        ExprKind::And(xs) | ExprKind::Or(xs) => {
            for x in xs {
                collect(ruleset, x, via, compile, out);
            }
            return;
        }
        ExprKind::Not(x) => return collect(ruleset, x, via, compile, out),
        ExprKind::Ref(Ref::Let(id)) if expr.ty == Type::Bool => {
            let l = &ruleset.lets[id.0 as usize];
            return collect(ruleset, &l.expr, Some(&l.name), compile, out);
        }
        ExprKind::Ref(_) => (Shape::Flag, vec![expr]),
        ExprKind::Literal(_) | ExprKind::Invalid => (Shape::Constant, Vec::new()),
        ExprKind::Compare(op, a, b) => (Shape::Compare(*op), vec![a, b]),
        ExprKind::In {
            negated,
            item,
            list,
        } => (Shape::In { negated: *negated }, vec![item, list]),
        ExprKind::Contains(a, b) => (Shape::Contains, vec![a, b]),
        ExprKind::Matches(a, _) => (Shape::Matches, vec![a]),
        ExprKind::Exists { negated, operand } => {
            (Shape::Exists { negated: *negated }, vec![operand])
        }
        // Arithmetic and minus give values, not tests; they appear only as
        // operands, never as a condition of their own.
        ExprKind::Arith(..) | ExprKind::Neg(_) => (Shape::Constant, Vec::new()),
    };
    let operands = operands(&parts, compile);
    out.push(Test {
        text: ruleset.show(expr),
        via: via.map(str::to_string),
        node: compile(expr),
        shape,
        operands,
    });
}

/// Adds to `out` the fields and signals an expression reads, through its
/// `let`s, each once, in the order written.
pub fn reads(ruleset: &Ruleset, expr: &Expr, out: &mut Vec<Ref>) {
    match expr.kind {
        ExprKind::Ref(Ref::Let(id)) => reads(ruleset, &ruleset.lets[id.0 as usize].expr, out),
        ExprKind::Ref(r) if !out.contains(&r) => out.push(r),
        _ => {
            for child in expr.children() {
                reads(ruleset, child, out);
            }
        }
    }
}
