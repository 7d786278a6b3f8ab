//! How a rule is explained: its conditions broken into the single tests a
//! person reads ("loops >= 2"), each tied to the node that computes it and
//! to the nodes of its operands, so the runtime can say what each value was.
//!
//! A test's text is written out the first time an explanation or a drawing
//! asks for it, not when the rules are compiled: most decisions are never
//! explained, and writing every test of a large ruleset as text was a third
//! of compiling it.

use std::sync::OnceLock;

use super::NodeId;
use crate::check::Ruleset;
use crate::check::ir::{CompareOp, Expr, ExprKind, LetId, Ref, Type};

/// Where an expression is written: the condition or `let` it is part of,
/// and the way down to it, child by child ([`Expr::children`]).
#[derive(Clone, Debug)]
pub struct At {
    root: Root,
    path: Vec<u16>,
}

#[derive(Clone, Copy, Debug)]
enum Root {
    When(u32),
    Unless(u32),
    Let(u32),
}

impl At {
    /// The top of the `when` (or `unless`) condition of rule `rule`.
    pub fn condition(rule: usize, unless: bool) -> At {
        let rule = rule as u32;
        At {
            root: if unless {
                Root::Unless(rule)
            } else {
                Root::When(rule)
            },
            path: Vec::new(),
        }
    }

    /// The expression written here, if the ruleset has it.
    fn find<'r>(&self, ruleset: &'r Ruleset) -> Option<&'r Expr> {
        let mut expr = match self.root {
            Root::When(r) => &ruleset.rules.get(r as usize)?.when,
            Root::Unless(r) => ruleset.rules.get(r as usize)?.unless.as_ref()?,
            Root::Let(l) => &ruleset.lets.get(l as usize)?.expr,
        };
        for &i in &self.path {
            expr = expr.children().nth(usize::from(i))?;
        }
        Some(expr)
    }

    fn text<'s>(&self, ruleset: &Ruleset, cache: &'s OnceLock<String>) -> &'s str {
        self.text_of(ruleset, None, cache)
    }

    /// The text of the expression here, or of its child `child`.
    fn text_of<'s>(
        &self,
        ruleset: &Ruleset,
        child: Option<u8>,
        cache: &'s OnceLock<String>,
    ) -> &'s str {
        cache.get_or_init(|| {
            let expr = self.find(ruleset).and_then(|e| match child {
                Some(i) => e.children().nth(usize::from(i)),
                None => Some(e),
            });
            expr.map_or_else(String::new, |e| ruleset.show(e))
        })
    }
}

/// One test of a rule's condition, as an explanation shows it.
#[derive(Clone, Debug)]
pub struct Test {
    /// Where the test is written.
    at: At,
    /// The test as rule text, written out when first asked for.
    text: OnceLock<String>,
    /// The `let` the test comes from, when it is written inside one.
    pub via: Option<LetId>,
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

impl Test {
    /// The test as rule text, e.g. `loops >= 2`.
    pub fn text(&self, ruleset: &Ruleset) -> &str {
        self.at.text(ruleset, &self.text)
    }
}

/// An operand of a test.
#[derive(Clone, Debug)]
pub struct Operand {
    /// Which child of its test the operand is; none when the test is its
    /// own operand (a flag such as `asked_for_human`).
    child: Option<u8>,
    /// The operand as rule text, written out when first asked for.
    text: OnceLock<String>,
    /// The node that computes it.
    pub node: NodeId,
    /// Whether it is a written value (shown as written, not as "X is ...").
    pub written: bool,
}

impl Operand {
    /// The operand of `test` as rule text.
    pub fn text<'s>(&'s self, test: &Test, ruleset: &Ruleset) -> &'s str {
        test.at.text_of(ruleset, self.child, &self.text)
    }
}

/// The tests of a condition written at `at`, in the order written, looking
/// inside the `let`s it uses. `compile` gives the node of an expression.
pub fn tests(
    ruleset: &Ruleset,
    expr: &Expr,
    at: At,
    compile: &mut impl FnMut(&Expr) -> NodeId,
) -> Vec<Test> {
    let mut out = Vec::new();
    let mut path = at.path;
    collect(ruleset, expr, at.root, &mut path, None, compile, &mut out);
    out
}

/// Adds the tests of `expr`, written at `root` and `path`, to `out`.
fn collect(
    ruleset: &Ruleset,
    expr: &Expr,
    root: Root,
    path: &mut Vec<u16>,
    via: Option<LetId>,
    compile: &mut impl FnMut(&Expr) -> NodeId,
    out: &mut Vec<Test>,
) {
    let (shape, parts): (Shape, Vec<&Expr>) = match &expr.kind {
        ExprKind::And(xs) | ExprKind::Or(xs) => {
            for (i, x) in xs.iter().enumerate() {
                path.push(i as u16);
                collect(ruleset, x, root, path, via, compile, out);
                path.pop();
            }
            return;
        }
        ExprKind::Not(x) => {
            path.push(0);
            collect(ruleset, x, root, path, via, compile, out);
            path.pop();
            return;
        }
        ExprKind::Ref(Ref::Let(id)) if expr.ty == Type::Bool => {
            let l = &ruleset.lets[id.0 as usize];
            let mut top = Vec::new();
            return collect(
                ruleset,
                &l.expr,
                Root::Let(id.0),
                &mut top,
                Some(*id),
                compile,
                out,
            );
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
    // The operands are the test's children in the order written, except
    // that a test on its own (a flag) is its own operand.
    let operands = parts
        .iter()
        .enumerate()
        .map(|(i, x)| Operand {
            child: (!std::ptr::eq(*x, expr)).then_some(i as u8),
            text: OnceLock::new(),
            node: compile(x),
            written: matches!(x.kind, ExprKind::Literal(_)),
        })
        .collect();
    out.push(Test {
        at: At {
            root,
            path: path.clone(),
        },
        text: OnceLock::new(),
        via,
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
