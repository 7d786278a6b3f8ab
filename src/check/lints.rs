//! Lints: rules that can never be reached, tests that are always or never
//! true for a simple reason, and declarations nothing uses. Warnings only:
//! the ruleset still loads.

use std::collections::HashSet;

use super::ir::{
    CompareOp, Expr, ExprKind, LetId, QueueId, Ref, Rule, Ruleset, Value, format_number,
};
use super::signals::Signal;
use crate::diagnostic::{Code, Diagnostic};
use crate::hash::FxMap;

/// Runs every lint over a checked ruleset. Lints that weigh the ruleset as a
/// whole (unreachable rules, unused `let`s and queues) run only when it is
/// `settled`, without errors: an item that did not parse may change them.
pub fn lint(
    ruleset: &Ruleset,
    used_lets: &HashSet<LetId>,
    used_queues: &HashSet<QueueId>,
    settled: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for l in &ruleset.lets {
        constant_tests(ruleset, &l.expr, &mut out);
    }
    for rule in &ruleset.rules {
        whole_condition(ruleset, rule, &mut out);
        constant_tests(ruleset, &rule.when, &mut out);
        if let Some(u) = &rule.unless {
            constant_tests(ruleset, u, &mut out);
        }
    }
    if !settled {
        return out;
    }
    unreachable_rules(ruleset, &mut out);
    for (i, l) in ruleset.lets.iter().enumerate() {
        if !used_lets.contains(&LetId(i as u32)) {
            out.push(
                Diagnostic::new(Code::W0304, format!("`let {}` is never used", l.name))
                    .label(&ruleset.sources, l.name_span, "never used")
                    .help("use it in a rule, or remove it"),
            );
        }
    }
    for (i, q) in ruleset.queues.iter().enumerate() {
        if !used_queues.contains(&QueueId(i as u32)) {
            out.push(
                Diagnostic::new(
                    Code::W0305,
                    format!("no rule hands conversations to queue `{}`", q.name),
                )
                .label(&ruleset.sources, q.name_span, "never used")
                .help("write a rule that hands off to it, or remove the queue"),
            );
        }
    }
    out
}

/// `when true` and `when false`: a rule that always or never fires.
fn whole_condition(ruleset: &Ruleset, rule: &Rule, out: &mut Vec<Diagnostic>) {
    let ExprKind::Literal(Value::Bool(b)) = rule.when.kind else {
        return;
    };
    let (code, message, help) = if b {
        (
            Code::W0302,
            "this rule's condition is always true",
            "every rule after it is unreachable; to decide what no rule catches, use `default` instead",
        )
    } else {
        (
            Code::W0303,
            "this rule can never fire",
            "remove the rule, or turn it off with `#` at the start of its lines",
        )
    };
    out.push(
        Diagnostic::new(code, message)
            .label(&ruleset.sources, rule.when.span, "always the same")
            .help(help),
    );
}

/// Comparisons whose answer is fixed whatever the conversation, such as
/// `sentiment < -2` or `turns >= 0`.
fn constant_tests(ruleset: &Ruleset, expr: &Expr, out: &mut Vec<Diagnostic>) {
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        if let Some(fixed) = fixed_test(e) {
            let shown = ruleset.show(e);
            let (code, message, label) = if fixed.always {
                (
                    Code::W0302,
                    format!("`{shown}` is always true: {}", fixed.why),
                    "always true",
                )
            } else {
                (
                    Code::W0303,
                    format!("`{shown}` is never true: {}", fixed.why),
                    "never true",
                )
            };
            out.push(
                Diagnostic::new(code, message)
                    .label(&ruleset.sources, e.span, label)
                    .help(fixed.help),
            );
            continue;
        }
        stack.extend(e.children());
    }
}

/// A test whose answer does not depend on the conversation.
struct Fixed {
    always: bool,
    why: String,
    help: String,
}

/// Whether a single test has a fixed answer when its values are known, and why.
fn fixed_test(e: &Expr) -> Option<Fixed> {
    match &e.kind {
        ExprKind::Compare(op, a, b) => {
            if let (ExprKind::Literal(x), ExprKind::Literal(y)) = (&a.kind, &b.kind) {
                return compare_values(*op, x, y).map(|always| Fixed {
                    always,
                    why: "both sides are written values".into(),
                    help: "compare a field or signal with a value".into(),
                });
            }
            let (signal, op, bound) = match (&a.kind, &b.kind) {
                (ExprKind::Ref(Ref::Signal(s)), ExprKind::Literal(v)) => (*s, *op, number(v)?),
                (ExprKind::Literal(v), ExprKind::Ref(Ref::Signal(s))) => {
                    (*s, op.flipped(), number(v)?)
                }
                _ => return None,
            };
            let (lo, hi) = signal.range()?;
            let always = against_range(op, bound, lo, hi)?;
            let (why, within) = range_words(signal, lo, hi);
            let help = if always {
                "as written it lets every conversation through; remove it, or compare with another value".into()
            } else {
                format!("compare with a value {within}, or remove the test")
            };
            Some(Fixed { always, why, help })
        }
        ExprKind::In { negated, list, .. } => match &list.kind {
            ExprKind::Literal(Value::List(items)) if items.is_empty() => Some(Fixed {
                always: *negated,
                why: "the list is empty".into(),
                help: "list the values to look for between the brackets".into(),
            }),
            _ => None,
        },
        _ => None,
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) | Value::Duration(n) => Some(*n),
        _ => None,
    }
}

/// The answer of `x OP bound` for every `x` in `lo..=hi`, if it is the same for all.
fn against_range(op: CompareOp, bound: f64, lo: f64, hi: f64) -> Option<bool> {
    let (all, none) = match op {
        CompareOp::Lt => (hi < bound, lo >= bound),
        CompareOp::Le => (hi <= bound, lo > bound),
        CompareOp::Gt => (lo > bound, hi <= bound),
        CompareOp::Ge => (lo >= bound, hi < bound),
        CompareOp::Eq => (false, bound < lo || bound > hi),
        CompareOp::Ne => (bound < lo || bound > hi, false),
    };
    if all {
        Some(true)
    } else if none {
        Some(false)
    } else {
        None
    }
}

/// Why a signal's range fixes a test, and the values worth comparing with.
fn range_words(signal: Signal, lo: f64, hi: f64) -> (String, String) {
    let show = |n: f64| match signal.ty() {
        super::ir::Type::Duration => super::ir::format_duration(n),
        _ => format_number(n),
    };
    let name = signal.name();
    if hi.is_infinite() {
        (
            format!("`{name}` is never below {}", show(lo)),
            format!("above {}", show(lo)),
        )
    } else {
        (
            format!("`{name}` is always between {} and {}", show(lo), show(hi)),
            format!("between {} and {}", show(lo), show(hi)),
        )
    }
}

fn compare_values(op: CompareOp, x: &Value, y: &Value) -> Option<bool> {
    let ordering = match (x, y) {
        (Value::Number(a), Value::Number(b)) | (Value::Duration(a), Value::Duration(b)) => {
            a.partial_cmp(b)?
        }
        (Value::Text(a), Value::Text(b)) => a.cmp(b),
        (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
        _ => return None,
    };
    Some(match op {
        CompareOp::Lt => ordering.is_lt(),
        CompareOp::Le => ordering.is_le(),
        CompareOp::Gt => ordering.is_gt(),
        CompareOp::Ge => ordering.is_ge(),
        CompareOp::Eq => ordering.is_eq(),
        CompareOp::Ne => ordering.is_ne(),
    })
}

/// Rules that an earlier rule always takes first: the earlier rule always
/// matches, or its condition is part of this rule's condition (the same
/// tests, or fewer of them, joined with `and`).
fn unreachable_rules(ruleset: &Ruleset, out: &mut Vec<Diagnostic>) {
    let mut always: Option<usize> = None;
    let mut tests = Tests::default();
    let mut by_conjuncts: FxMap<Vec<u32>, usize> = FxMap::default();
    let mut keys_of: Vec<Vec<u32>> = Vec::with_capacity(ruleset.rules.len());
    for (j, rule) in ruleset.rules.iter().enumerate() {
        if has_invalid(&rule.when) || rule.unless.as_ref().is_some_and(has_invalid) {
            keys_of.push(Vec::new());
            continue;
        }
        let keys = conjunct_keys(ruleset, rule, &mut tests);
        // Of the earlier rules whose tests are some of this rule's, the
        // first: it is the one that takes this rule's conversations.
        let earlier = always.or_else(|| {
            subsets(&keys)
                .filter_map(|s| by_conjuncts.get(&s).copied())
                .min()
        });
        if let Some(i) = earlier {
            let first = &ruleset.rules[i];
            let why = if Some(i) == always {
                "always matches first"
            } else if keys_of[i] == keys {
                "has the same condition"
            } else {
                "matches every conversation this rule matches"
            };
            out.push(
                Diagnostic::new(Code::W0301, format!("this rule can never be reached: rule `{}` above {why}", first.name))
                    .label(&ruleset.sources, rule.head, "never reached")
                    .label(&ruleset.sources, first.head, "this rule decides first")
                    .help(format!(
                        "rules are tried in order and the first match decides; move this rule above `{}`, or remove it",
                        first.name
                    )),
            );
            keys_of.push(keys);
            continue;
        }
        if always.is_none() && certainly_true(rule) {
            always = Some(j);
        }
        by_conjuncts.entry(keys.clone()).or_insert(j);
        keys_of.push(keys);
    }
}

/// Each test's canonical text numbered, so that conditions are compared
/// as short lists of numbers.
#[derive(Default)]
struct Tests {
    ids: FxMap<String, u32>,
}

impl Tests {
    fn id(&mut self, text: String) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(text).or_insert(next)
    }
}

fn has_invalid(e: &Expr) -> bool {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        if matches!(e.kind, ExprKind::Invalid) {
            return true;
        }
        stack.extend(e.children());
    }
    false
}

/// Whether a rule matches every conversation: its condition is `true`, or a
/// test that is always true on a value every conversation has.
fn certainly_true(rule: &Rule) -> bool {
    if rule.unless.is_some() {
        return false;
    }
    match &rule.when.kind {
        ExprKind::Literal(Value::Bool(true)) => true,
        ExprKind::Compare(op, a, b) => match (&a.kind, &b.kind) {
            (ExprKind::Ref(Ref::Signal(s)), ExprKind::Literal(v)) if s.always_known() => s
                .range()
                .zip(number(v))
                .and_then(|((lo, hi), n)| against_range(*op, n, lo, hi))
                .unwrap_or(false),
            _ => false,
        },
        _ => false,
    }
}

/// The tests a rule's condition joins with `and`, each numbered by its
/// canonical text, sorted and without repeats; `unless U` counts as the
/// test `not (U)`.
fn conjunct_keys(ruleset: &Ruleset, rule: &Rule, tests: &mut Tests) -> Vec<u32> {
    let mut keys: Vec<u32> = match &rule.when.kind {
        ExprKind::And(items) => items.iter().map(|e| tests.id(ruleset.show(e))).collect(),
        _ => vec![tests.id(ruleset.show(&rule.when))],
    };
    if let Some(u) = &rule.unless {
        keys.push(tests.id(format!("not ({})", ruleset.show(u))));
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Every non-empty subset of `keys` (each sorted), or, for long conditions,
/// only the whole set and the single tests.
fn subsets(keys: &[u32]) -> Box<dyn Iterator<Item = Vec<u32>> + '_> {
    if keys.len() > 10 {
        let singles = keys.iter().map(|k| vec![*k]);
        return Box::new(std::iter::once(keys.to_vec()).chain(singles));
    }
    Box::new((1u32..(1 << keys.len())).map(move |mask| {
        keys.iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, k)| *k)
            .collect()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_fix_comparisons_only_beyond_their_ends() {
        assert_eq!(against_range(CompareOp::Lt, -2.0, -1.0, 1.0), Some(false));
        assert_eq!(against_range(CompareOp::Ge, -1.0, -1.0, 1.0), Some(true));
        assert_eq!(against_range(CompareOp::Lt, -0.6, -1.0, 1.0), None);
        assert_eq!(against_range(CompareOp::Eq, 2.0, -1.0, 1.0), Some(false));
        assert_eq!(
            against_range(CompareOp::Ge, 0.0, 0.0, f64::INFINITY),
            Some(true)
        );
        assert_eq!(
            against_range(CompareOp::Gt, 100.0, 0.0, f64::INFINITY),
            None
        );
    }

    #[test]
    fn subsets_cover_every_combination() {
        assert_eq!(subsets(&[1, 2, 3]).count(), 7);
    }
}
