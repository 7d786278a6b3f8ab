//! The explanation of a decision: every rule tried, in order, and for each
//! of its tests the values it saw and why it came out true, false or
//! unknown, in plain words ("loops is 1, needs >= 2").

use serde::Serialize;

use super::eval::{Eval, Res, Truth};
use super::value::{Val, cut};
use crate::compile::{Node, Operand, RuleGraph, Shape, Test};

/// How one rule fared.
#[derive(Clone, Debug, Serialize)]
pub struct TraceRule {
    /// The rule's name.
    pub rule: String,
    /// The file it is written in.
    pub file: String,
    /// The line it starts on.
    pub line: usize,
    /// `true`, `false` or `unknown`: whether it matched.
    pub result: &'static str,
    /// Whether this rule made the decision.
    pub decided: bool,
    /// The tests of its `when` condition.
    pub tests: Vec<TraceTest>,
    /// The tests of its `unless` condition, when it has one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unless: Vec<TraceTest>,
}

/// How one test fared.
#[derive(Clone, Debug, Serialize)]
pub struct TraceTest {
    /// The test as written, e.g. `loops >= 2`.
    pub test: String,
    /// The `let` it is written in, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// `true`, `false` or `unknown`.
    pub result: &'static str,
    /// Why, with the values seen.
    pub why: String,
}

/// The word for a truth.
pub fn word(t: Truth) -> &'static str {
    match t {
        Truth::True => "true",
        Truth::False => "false",
        Truth::Unknown(_) => "unknown",
    }
}

/// Explains every rule, given what each came to and which decided.
pub fn trace(
    eval: &mut Eval<'_>,
    graph: &RuleGraph,
    results: &[Truth],
    decider: Option<usize>,
) -> Vec<TraceRule> {
    graph
        .rules
        .iter()
        .zip(&graph.ruleset.rules)
        .enumerate()
        .map(|(i, (compiled, rule))| TraceRule {
            rule: rule.name.clone(),
            file: rule.file.clone(),
            line: rule.line,
            result: word(results[i]),
            decided: decider == Some(i),
            tests: compiled
                .when_tests
                .iter()
                .map(|t| test(eval, graph, t))
                .collect(),
            unless: compiled
                .unless_tests
                .iter()
                .map(|t| test(eval, graph, t))
                .collect(),
        })
        .collect()
}

fn test(eval: &mut Eval<'_>, graph: &RuleGraph, t: &Test) -> TraceTest {
    let truth = eval.truth(t.node);
    TraceTest {
        test: t.text(&graph.ruleset).to_string(),
        via: t
            .via
            .and_then(|l| graph.ruleset.lets.get(l.0 as usize))
            .map(|l| l.name.clone()),
        result: word(truth),
        why: why(eval, graph, t, truth),
    }
}

/// The values of a test's operands: each known value, or the names missing.
fn values<'s>(eval: &mut Eval<'s>, operands: &[Operand]) -> Result<Vec<Val<'s>>, Vec<String>> {
    let mut known = Vec::new();
    let mut missing = Vec::new();
    for o in operands {
        match eval.eval(o.node) {
            Res::Known(v) => known.push(v),
            Res::Unknown(m) => missing.extend(eval.missing(m).to_vec()),
        }
    }
    if missing.is_empty() && known.len() == operands.len() {
        return Ok(known);
    }
    Err(missing.into_iter().map(|r| eval_name(eval, r)).collect())
}

fn eval_name(eval: &Eval<'_>, r: crate::check::ir::Ref) -> String {
    eval.ref_name(r).to_string()
}

fn missing_words(mut names: Vec<String>) -> String {
    names.dedup();
    match names.as_slice() {
        [] => "a value could not be worked out (a division by zero)".to_string(),
        [one] => format!("{one} is missing"),
        [init @ .., last] => format!("{} and {last} are missing", init.join(", ")),
    }
}

fn why(eval: &mut Eval<'_>, graph: &RuleGraph, t: &Test, truth: Truth) -> String {
    let rules = &graph.ruleset;
    // "X is V" for an operand that is not a written value.
    let is = |o: &Operand, v: Val<'_>| format!("{} is {}", o.text(t, rules), v.show());
    let vals = match values(eval, &t.operands) {
        Ok(vals) => vals,
        Err(missing) => return missing_words(missing),
    };
    let ops = &t.operands;
    match t.shape {
        Shape::Compare(op) => match (ops.as_slice(), vals.as_slice()) {
            ([a, b], [va, _]) if !a.written && b.written => {
                format!("{}, needs {} {}", is(a, *va), op.as_str(), b.text(t, rules))
            }
            ([a, b], [_, vb]) if a.written && !b.written => {
                format!("{}, needs {}", is(b, *vb), t.text(rules))
            }
            ([a, b], [va, vb]) if !a.written && !b.written => {
                format!("{}, {}, needs {}", is(a, *va), is(b, *vb), t.text(rules))
            }
            _ => format!("{} is {}", t.text(rules), word(truth)),
        },
        Shape::In { negated } => {
            let need = if negated { "none of" } else { "one of" };
            match (ops.as_slice(), vals.as_slice()) {
                ([a, list], [va, _]) => {
                    format!("{}, needs {need} {}", is(a, *va), list.text(t, rules))
                }
                _ => format!("{} is {}", t.text(rules), word(truth)),
            }
        }
        Shape::Contains => {
            let verb = if truth == Truth::True {
                "contains"
            } else {
                "does not contain"
            };
            match (ops.as_slice(), vals.as_slice()) {
                ([a, b], [va, _]) => format!(
                    "{} ({}) {verb} {}",
                    a.text(t, rules),
                    va.show(),
                    b.text(t, rules)
                ),
                _ => t.text(rules).to_string(),
            }
        }
        Shape::Matches => {
            let found = match (graph.node(t.node), vals.first()) {
                (Node::Matches(_, p), Some(Val::Text(text))) => {
                    graph.patterns[p.0 as usize].find(text).map(|m| m.as_str())
                }
                _ => None,
            };
            let a = &ops[0];
            match found {
                Some(m) => format!("{} matches: found \"{}\"", a.text(t, rules), cut(m, 60)),
                None => format!(
                    "{} ({}) has no match",
                    a.text(t, rules),
                    vals.first().map_or(String::new(), |v| v.show())
                ),
            }
        }
        Shape::Exists { .. } => match (ops.first(), vals.first()) {
            (Some(a), Some(v)) => format!("{} is present: {}", a.text(t, rules), v.show()),
            _ => t.text(rules).to_string(),
        },
        Shape::Flag => match (ops.first(), vals.first()) {
            (Some(a), Some(v)) => is(a, *v),
            _ => t.text(rules).to_string(),
        },
        Shape::Constant => format!("written as {}", word(truth)),
    }
}
