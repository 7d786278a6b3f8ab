//! The reference interpreter the compiled rule graph is held to: a
//! generated ruleset's syntax trees evaluated directly and recursively, as
//! LANGUAGE.md and docs/language.md say, over a plain map of names to
//! values. No sharing, no memo, no index, no shortcut: slow and obvious.
//!
//! Missing is not false: a value the conversation lacks (absent, `null`, or
//! of the wrong JSON type) makes a test unknown, naming what was missing;
//! `and`, `or` and `not` are three-valued (Kleene); `unless C` is `and not
//! C`; the first rule whose condition is true decides, every earlier rule
//! held back by a missing value is undecided, every later one that is true
//! also matched; with no rule true the `default` decides (`continue`
//! without one). Dividing by zero gives no value: unknown, naming nothing.

use std::collections::{BTreeSet, HashMap};

use baton::syntax::ast::{
    ActionKind, ArithOp, CompareOp, Expr, ExprKind, Item, MessagePart, Modifier, Outcome,
};
use serde_json::{Map, Value as Json};

use super::conversations::Case;
use super::rulesets::Env;
use super::values::{V, values};

/// What an expression comes to: a value, or unknown for want of the named
/// values.
#[derive(Clone, Debug)]
pub enum R {
    /// A value.
    Known(V),
    /// Unknown; these values were missing.
    Unknown(BTreeSet<String>),
}

/// What a decision says that the oracle can tell: which rule decided (by
/// its place among the rules), which others matched or could not be told
/// (with what was missing), and the outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// The deciding rule; `None` when the default decided.
    pub rule: Option<usize>,
    /// Later rules that matched too.
    pub also_matched: Vec<usize>,
    /// Earlier rules that could not be told, with the names of what was
    /// missing, in order of name.
    pub undecided: Vec<(usize, Vec<String>)>,
    /// `human`, `approval` or `ai`.
    pub lane: String,
    /// `handoff`, `approval`, `offer`, `continue` or `collect`.
    pub action: String,
    /// The queue.
    pub queue: Option<String>,
    /// The priority.
    pub priority: String,
    /// The tags.
    pub tags: Vec<String>,
    /// The fields to collect first.
    pub collect: Vec<String>,
}

/// The oracle for one ruleset and one conversation.
pub struct Oracle<'a> {
    items: &'a [Item],
    lets: HashMap<&'a str, &'a Expr>,
    values: HashMap<String, V>,
}

impl<'a> Oracle<'a> {
    /// The oracle for `items` (declaring `env`) on `case`, with baton's
    /// own values of the signals that read the words of messages
    /// (`computed`, see [`values`]).
    pub fn new(items: &'a [Item], env: &Env, case: &Case, computed: &Map<String, Json>) -> Self {
        let lets = items
            .iter()
            .filter_map(|item| match item {
                Item::Let(l) => Some((l.name.text.as_str(), &l.value)),
                _ => None,
            })
            .collect();
        Oracle {
            items,
            lets,
            values: values(env, case, computed),
        }
    }

    /// The decision, as far as the oracle can tell it.
    pub fn decide(&self) -> Verdict {
        let rules: Vec<_> = self
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Rule(r) => Some(r),
                _ => None,
            })
            .collect();
        let mut results: Vec<Option<bool>> = Vec::new();
        let mut missing = Vec::new();
        for rule in &rules {
            let when = self.eval(&rule.when);
            let unless = rule.unless.as_ref().map(|u| self.eval(u));
            let result = match unless {
                None => when,
                Some(unless) => and(vec![when, not(unless)]),
            };
            match result {
                R::Known(v) => {
                    results.push(Some(truth(&v)));
                    missing.push(BTreeSet::new());
                }
                R::Unknown(names) => {
                    results.push(None);
                    missing.push(names);
                }
            }
        }
        let decider = results.iter().position(|r| *r == Some(true));
        let also_matched = (0..rules.len())
            .filter(|&i| results[i] == Some(true) && Some(i) != decider)
            .collect();
        let undecided = (0..decider.unwrap_or(rules.len()))
            .filter(|&i| results[i].is_none())
            .map(|i| (i, missing[i].iter().cloned().collect()))
            .collect();
        let default = self.items.iter().find_map(|item| match item {
            Item::Default(d) => Some(&d.outcome),
            _ => None,
        });
        let outcome = decider.map(|i| &rules[i].outcome).or(default);
        let mut verdict = self.outcome(outcome);
        verdict.rule = decider;
        verdict.also_matched = also_matched;
        verdict.undecided = undecided;
        verdict
    }

    /// The lane, action, queue, priority, tags and fields to collect of an
    /// outcome (`continue` when there is none).
    fn outcome(&self, outcome: Option<&Outcome>) -> Verdict {
        let action = outcome.map(|o| &o.action);
        let kind = action.map_or(ActionKind::Continue, |a| a.kind);
        let (lane, word) = match kind {
            ActionKind::Handoff => ("human", "handoff"),
            ActionKind::Approval => ("approval", "approval"),
            ActionKind::Offer => ("ai", "offer"),
            ActionKind::Continue => ("ai", "continue"),
        };
        let priority = action
            .and_then(|a| a.priority.as_ref())
            .map_or("normal", |p| p.text.as_str());
        let modifiers = outcome.map_or(&[][..], |o| &o.modifiers[..]);
        let tags = modifiers
            .iter()
            .filter_map(|m| match m {
                Modifier::Tag(tags, _) => Some(tags),
                _ => None,
            })
            .flatten()
            .map(|tag| {
                tag.parts
                    .iter()
                    .map(|p| match p {
                        MessagePart::Text(t) => t.as_str(),
                        MessagePart::Value(_) => unreachable!("generated tags are plain"),
                    })
                    .collect()
            })
            .collect();
        let mut collect: Vec<String> = Vec::new();
        if priority != "urgent" {
            for m in modifiers {
                if let Modifier::Collect(paths, _) = m {
                    let lacking = paths.iter().filter(|p| !self.values.contains_key(&p.text));
                    collect.extend(lacking.map(|p| p.text.clone()));
                }
            }
        }
        let (lane, word) = if collect.is_empty() {
            (lane, word)
        } else {
            ("ai", "collect")
        };
        Verdict {
            rule: None,
            also_matched: Vec::new(),
            undecided: Vec::new(),
            lane: lane.into(),
            action: word.into(),
            queue: action
                .and_then(|a| a.queue.as_ref())
                .map(|q| q.text.clone()),
            priority: priority.into(),
            tags,
            collect,
        }
    }

    /// What an expression comes to.
    pub fn eval(&self, e: &Expr) -> R {
        use V::*;
        match &e.kind {
            ExprKind::Number(n) => R::Known(Num(*n)),
            ExprKind::Duration(d) => R::Known(Dur(*d)),
            ExprKind::Text(t) => R::Known(Text(t.value.clone())),
            ExprKind::Bool(b) => R::Known(Bool(*b)),
            ExprKind::List(items) => R::Known(List(
                items
                    .iter()
                    .map(|item| match self.eval(item) {
                        R::Known(v) => v,
                        R::Unknown(_) => unreachable!("lists hold written values"),
                    })
                    .collect(),
            )),
            ExprKind::Path(name) => match self.lets.get(name.text.as_str()) {
                Some(definition) => self.eval(definition),
                None => match self.values.get(&name.text) {
                    Some(v) => R::Known(v.clone()),
                    None => R::Unknown(BTreeSet::from([name.text.clone()])),
                },
            },
            ExprKind::Not(x) => not(self.eval(x)),
            ExprKind::And(xs) => and(xs.iter().map(|x| self.eval(x)).collect()),
            ExprKind::Or(xs) => {
                // `a or b` is `not (not a and not b)`.
                not(and(xs.iter().map(|x| not(self.eval(x))).collect()))
            }
            ExprKind::Compare(op, a, b) => self.both(a, b, |x, y| Some(Bool(compare(*op, x, y)))),
            ExprKind::In {
                negated,
                item,
                list,
            } => self.both(item, list, |x, l| {
                let List(items) = l else {
                    unreachable!("`in` looks in a list")
                };
                Some(Bool(items.iter().any(|i| same(x, i)) != *negated))
            }),
            ExprKind::Contains(a, b) => self.both(a, b, |h, n| {
                Some(Bool(match (h, n) {
                    (Text(h), Text(n)) => lower(h).contains(&lower(n)),
                    (List(items), n) => items.iter().any(|i| same(i, n)),
                    _ => unreachable!("`contains` looks in text or a list"),
                }))
            }),
            ExprKind::Matches(a, p) => self.both(a, p, |t, p| match (t, p) {
                (Text(t), Text(p)) => Some(Bool(matches(t, p))),
                _ => unreachable!("`matches` tests text"),
            }),
            ExprKind::Exists { negated, operand } => {
                let present = matches!(self.eval(operand), R::Known(_));
                R::Known(Bool(present != *negated))
            }
            ExprKind::Arith(op, a, b) => self.both(a, b, |x, y| arith(*op, x, y)),
            ExprKind::Neg(x) => match self.eval(x) {
                R::Known(Num(n)) => R::Known(Num(-n)),
                R::Known(Dur(d)) => R::Known(Dur(-d)),
                other => other,
            },
            ExprKind::Error => unreachable!("generated rulesets have no syntax errors"),
        }
    }

    /// `f` of both values when both are known (unknown when it gives
    /// none); otherwise unknown, for want of what either lacked.
    fn both(&self, a: &Expr, b: &Expr, f: impl FnOnce(&V, &V) -> Option<V>) -> R {
        match (self.eval(a), self.eval(b)) {
            (R::Known(x), R::Known(y)) => f(&x, &y).map_or(R::Unknown(BTreeSet::new()), R::Known),
            (R::Unknown(m), R::Known(_)) | (R::Known(_), R::Unknown(m)) => R::Unknown(m),
            (R::Unknown(m), R::Unknown(n)) => R::Unknown(m.union(&n).cloned().collect()),
        }
    }
}

/// Whether a known value holds as a condition.
fn truth(v: &V) -> bool {
    matches!(v, V::Bool(true))
}

/// `not`: unknown stays unknown.
fn not(r: R) -> R {
    match r {
        R::Known(v) => R::Known(V::Bool(!truth(&v))),
        unknown => unknown,
    }
}

/// `and` in Kleene logic: false if any is false, else unknown if any is
/// unknown (for want of everything any lacked), else true.
fn and(rs: Vec<R>) -> R {
    let mut missing: Option<BTreeSet<String>> = None;
    for r in rs {
        match r {
            R::Known(v) if !truth(&v) => return R::Known(V::Bool(false)),
            R::Known(_) => {}
            R::Unknown(m) => missing.get_or_insert_with(BTreeSet::new).extend(m),
        }
    }
    missing.map_or(R::Known(V::Bool(true)), R::Unknown)
}

/// Text in lower case, letter by letter: text comparisons ignore case.
fn lower(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Whether two values are equal; text ignores letter case.
fn same(x: &V, y: &V) -> bool {
    match (x, y) {
        (V::Num(a), V::Num(b)) | (V::Dur(a), V::Dur(b)) => a == b,
        (V::Bool(a), V::Bool(b)) => a == b,
        (V::Text(a), V::Text(b)) => lower(a) == lower(b),
        _ => false,
    }
}

fn compare(op: CompareOp, x: &V, y: &V) -> bool {
    let (a, b) = match (op, x, y) {
        (CompareOp::Eq, _, _) => return same(x, y),
        (CompareOp::Ne, _, _) => return !same(x, y),
        (_, V::Num(a), V::Num(b)) | (_, V::Dur(a), V::Dur(b)) => (a, b),
        _ => unreachable!("only numbers and durations are ordered"),
    };
    match op {
        CompareOp::Lt => a < b,
        CompareOp::Le => a <= b,
        CompareOp::Gt => a > b,
        _ => a >= b,
    }
}

/// The arithmetic of docs/language.md; nothing for a division by zero.
fn arith(op: ArithOp, x: &V, y: &V) -> Option<V> {
    use V::{Dur, Num};
    let divide = |a: f64, b: f64| (b != 0.0).then(|| a / b);
    Some(match (op, x, y) {
        (ArithOp::Add, Num(a), Num(b)) => Num(a + b),
        (ArithOp::Sub, Num(a), Num(b)) => Num(a - b),
        (ArithOp::Mul, Num(a), Num(b)) => Num(a * b),
        (ArithOp::Div, Num(a), Num(b)) => Num(divide(*a, *b)?),
        (ArithOp::Add, Dur(a), Dur(b)) => Dur(a + b),
        (ArithOp::Sub, Dur(a), Dur(b)) => Dur(a - b),
        (ArithOp::Mul, Dur(a), Num(b)) => Dur(a * b),
        (ArithOp::Mul, Num(a), Dur(b)) => Dur(a * b),
        (ArithOp::Div, Dur(a), Num(b)) => Dur(divide(*a, *b)?),
        (ArithOp::Div, Dur(a), Dur(b)) => Num(divide(*a, *b)?),
        other => unreachable!("checked rules do no arithmetic on {other:?}"),
    })
}

/// The generated patterns, matched by hand. The generated texts hold no
/// digit outside ASCII, and no letter outside ASCII whose case folds to
/// one of `refund`'s.
fn matches(text: &str, pattern: &str) -> bool {
    match pattern {
        "(?i)refund" => text.to_ascii_lowercase().contains("refund"),
        "^R" => text.starts_with('R'),
        "d$" => text.ends_with('d'),
        r"\d" => text.chars().any(|c| c.is_ascii_digit()),
        "é|ß" => text.contains(['é', 'ß']),
        other => unreachable!("no generated pattern is {other:?}"),
    }
}
