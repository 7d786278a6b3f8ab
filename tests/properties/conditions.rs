//! Random conditions and values for a generated ruleset, well typed and
//! using only what it declares: written values, fields, signals and earlier
//! `let`s; arithmetic on numbers and durations; every test of the language;
//! `and`, `or`, `not` and `==` on conditions. Written values compared with a
//! `one of` field are among its values, as the checker requires.

use std::sync::Arc;

use baton::check::ir::Value;
use baton::source::{FileId, Span};
use baton::syntax::ast::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::Union;

use super::rulesets::{Env, Ty};

/// Texts that rules and conversations share, so that comparisons are
/// sometimes true: letter case, letters whose lower case is special, quotes,
/// backslashes, braces and line breaks.
///
/// Left out, because ignoring case is not one thing for them, and the
/// oracle lowers letter by letter while `contains` folds case as the regex
/// engine does (the same for a written needle and one read from a field):
/// `İ`, whose lower case is `i` and a dot, and a final `Σ`, which lowers to
/// `ς` at the end of a word but folds with `σ`.
pub const WORDS: &[&str] = &[
    "refund",
    "Refund",
    "REFUND",
    "billing",
    "",
    "été",
    "ÉTÉ",
    "straße",
    "ǅ",
    "ǆ",
    "i",
    "ΣΟΦΙΑ",
    "σοφια",
    "K",
    "k",
    "say \"hi\"",
    "a\\b",
    "{x}",
    "two\nlines",
];

/// Patterns after `matches`, as written between the quotes.
pub const PATTERNS: &[&str] = &["(?i)refund", "^R", "d$", r"\d", "é|ß"];

/// The one place every generated node is written at: spans are not compared.
pub const NOWHERE: Span = Span {
    file: FileId(0),
    start: 0,
    end: 0,
};

/// A name as written.
pub fn name(text: &str) -> Name {
    Name {
        text: text.into(),
        span: NOWHERE,
    }
}

/// A text as written, without escapes.
pub fn text(value: &str) -> Text {
    Text {
        value: value.into(),
        span: NOWHERE,
        origins: Vec::new(),
    }
}

/// An expression of this kind.
pub fn expr(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: NOWHERE,
    }
}

/// A field, signal or `let`, by name.
pub fn path(text: &str) -> Expr {
    expr(ExprKind::Path(name(text)))
}

/// Numbers as rules write them: whole, fractions, percentages, large,
/// tiny, and minus zero.
pub fn number_literal() -> BoxedStrategy<f64> {
    prop_oneof![
        4 => (-3i32..=12).prop_map(f64::from),
        2 => select(vec![0.5, -0.6, 0.25, 0.001, 2.5, 0.8, 0.07, -0.0]),
        1 => select(vec![50_000.0, 1e6, 1e20, 1.5e-7, 123_456.75]),
    ]
    .boxed()
}

/// Durations in seconds, as rules write them.
pub fn duration_literal() -> BoxedStrategy<f64> {
    select(vec![
        0.0, 30.0, 90.0, 300.0, 3_600.0, 5_400.0, 86_400.0, 0.5, 2e15,
    ])
    .boxed()
}

/// Texts: the shared words, or a few characters that need care in quotes.
pub fn text_literal() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(WORDS).prop_map(String::from),
        1 => "[abRdn2\"\\\\{}é \\t\\n]{0,6}",
    ]
    .boxed()
}

/// A written value or a name of type `ty`.
fn leaf(literal: BoxedStrategy<ExprKind>, names: Vec<String>) -> BoxedStrategy<Expr> {
    let literal = literal.prop_map(expr);
    if names.is_empty() {
        return literal.boxed();
    }
    prop_oneof![literal, select(names).prop_map(|n| path(&n))].boxed()
}

fn arith(op: ArithOp, a: Expr, b: Expr) -> Expr {
    expr(ExprKind::Arith(op, Box::new(a), Box::new(b)))
}

/// `-e`; a minus before a written value is part of the value, as parsing
/// has it.
fn negative(e: Expr) -> Expr {
    expr(match e.kind {
        ExprKind::Number(n) => ExprKind::Number(-n),
        ExprKind::Duration(d) => ExprKind::Duration(-d),
        kind => ExprKind::Neg(Box::new(expr(kind))),
    })
}

fn number_leaf(env: &Env, lets: usize) -> BoxedStrategy<Expr> {
    leaf(
        number_literal().prop_map(ExprKind::Number).boxed(),
        env.names(Ty::Number, lets),
    )
}

fn duration_leaf(env: &Env, lets: usize) -> BoxedStrategy<Expr> {
    leaf(
        duration_literal().prop_map(ExprKind::Duration).boxed(),
        env.names(Ty::Duration, lets),
    )
}

/// Numbers: written, read, and computed.
fn number(env: &Env, lets: usize) -> BoxedStrategy<Expr> {
    let durations = duration_leaf(env, lets);
    number_leaf(env, lets)
        .prop_recursive(2, 8, 2, move |inner| {
            prop_oneof![
                (
                    select(vec![ArithOp::Add, ArithOp::Sub, ArithOp::Mul, ArithOp::Div]),
                    inner.clone(),
                    inner.clone()
                )
                    .prop_map(|(op, a, b)| arith(op, a, b)),
                inner.prop_map(negative),
                (durations.clone(), durations.clone()).prop_map(|(a, b)| arith(ArithOp::Div, a, b)),
            ]
        })
        .boxed()
}

/// Durations: written, read, and computed with numbers.
fn duration(env: &Env, lets: usize) -> BoxedStrategy<Expr> {
    let numbers = number_leaf(env, lets);
    duration_leaf(env, lets)
        .prop_recursive(2, 8, 2, move |inner| {
            prop_oneof![
                (
                    select(vec![ArithOp::Add, ArithOp::Sub]),
                    inner.clone(),
                    inner.clone()
                )
                    .prop_map(|(op, a, b)| arith(op, a, b)),
                (inner.clone(), numbers.clone()).prop_map(|(d, n)| arith(ArithOp::Mul, d, n)),
                (numbers.clone(), inner.clone()).prop_map(|(n, d)| arith(ArithOp::Mul, n, d)),
                (inner.clone(), numbers.clone()).prop_map(|(d, n)| arith(ArithOp::Div, d, n)),
                inner.prop_map(negative),
            ]
        })
        .boxed()
}

fn text_value(env: &Env, lets: usize) -> BoxedStrategy<Expr> {
    leaf(
        text_literal()
            .prop_map(|t| ExprKind::Text(text(&t)))
            .boxed(),
        env.names(Ty::Text, lets),
    )
}

/// A written value of type `ty` (for `with`).
pub fn literal_of(ty: Ty) -> BoxedStrategy<Expr> {
    let kind = match ty {
        Ty::Number => number_literal().prop_map(ExprKind::Number).boxed(),
        Ty::Duration => duration_literal().prop_map(ExprKind::Duration).boxed(),
        Ty::Text => text_literal()
            .prop_map(|t| ExprKind::Text(text(&t)))
            .boxed(),
        Ty::Bool => any::<bool>().prop_map(ExprKind::Bool).boxed(),
        Ty::TextList => vec(text_literal(), 0..3)
            .prop_map(|ts| {
                ExprKind::List(ts.iter().map(|t| expr(ExprKind::Text(text(t)))).collect())
            })
            .boxed(),
    };
    kind.prop_map(expr).boxed()
}

/// A value of type `ty`, for a `let`.
pub fn value_of(env: &Env, ty: Ty, lets: usize) -> BoxedStrategy<Expr> {
    match ty {
        Ty::Number => number(env, lets),
        Ty::Duration => duration(env, lets),
        Ty::Text | Ty::TextList => text_value(env, lets),
        Ty::Bool => condition(env, lets),
    }
}

const COMPARISONS: [CompareOp; 6] = [
    CompareOp::Lt,
    CompareOp::Le,
    CompareOp::Gt,
    CompareOp::Ge,
    CompareOp::Eq,
    CompareOp::Ne,
];

fn compare(op: CompareOp, a: Expr, b: Expr) -> ExprKind {
    ExprKind::Compare(op, Box::new(a), Box::new(b))
}

/// Conditions: every test of the language, joined by `and`, `or`, `not`
/// and `==`, using the first `lets` `let`s.
pub fn condition(env: &Env, lets: usize) -> BoxedStrategy<Expr> {
    let env = Arc::new(env.clone());
    let (numbers, durations, texts) = (
        number(&env, lets),
        duration(&env, lets),
        text_value(&env, lets),
    );
    let mut tests: Vec<BoxedStrategy<Expr>> = vec![
        any::<bool>().prop_map(|b| expr(ExprKind::Bool(b))).boxed(),
        (
            select(COMPARISONS.to_vec()),
            numbers.clone(),
            numbers.clone(),
        )
            .prop_map(|(op, a, b)| compare(op, a, b))
            .prop_map(fit_with(&env))
            .boxed(),
        (select(COMPARISONS.to_vec()), durations.clone(), durations)
            .prop_map(|(op, a, b)| expr(compare(op, a, b)))
            .boxed(),
        (
            select(vec![CompareOp::Eq, CompareOp::Ne]),
            texts.clone(),
            texts.clone(),
        )
            .prop_map(|(op, a, b)| compare(op, a, b))
            .prop_map(fit_with(&env))
            .boxed(),
        (any::<bool>(), texts.clone(), vec(text_literal(), 0..3))
            .prop_map(|(negated, item, list)| ExprKind::In {
                negated,
                item: Box::new(item),
                list: Box::new(expr(ExprKind::List(
                    list.iter().map(|t| expr(ExprKind::Text(text(t)))).collect(),
                ))),
            })
            .prop_map(fit_with(&env))
            .boxed(),
        (any::<bool>(), numbers, vec(number_literal(), 0..3))
            .prop_map(|(negated, item, list)| ExprKind::In {
                negated,
                item: Box::new(item),
                list: Box::new(expr(ExprKind::List(
                    list.into_iter()
                        .map(|n| expr(ExprKind::Number(n)))
                        .collect(),
                ))),
            })
            .prop_map(fit_with(&env))
            .boxed(),
        (texts.clone(), texts.clone())
            .prop_map(|(a, b)| expr(ExprKind::Contains(Box::new(a), Box::new(b))))
            .boxed(),
        (texts.clone(), select(PATTERNS))
            .prop_map(|(a, p)| {
                let pattern = expr(ExprKind::Text(text(p)));
                expr(ExprKind::Matches(Box::new(a), Box::new(pattern)))
            })
            .boxed(),
        (any::<bool>(), select(env.all_names(lets)))
            .prop_map(|(negated, n)| {
                expr(ExprKind::Exists {
                    negated,
                    operand: Box::new(path(&n)),
                })
            })
            .boxed(),
    ];
    let flags = env.names(Ty::Bool, lets);
    if !flags.is_empty() {
        tests.push(select(flags).prop_map(|n| path(&n)).boxed());
    }
    let lists = env.names(Ty::TextList, lets);
    if !lists.is_empty() {
        tests.push(
            (any::<bool>(), texts.clone(), select(lists.clone()))
                .prop_map(|(negated, item, list)| {
                    expr(ExprKind::In {
                        negated,
                        item: Box::new(item),
                        list: Box::new(path(&list)),
                    })
                })
                .boxed(),
        );
        tests.push(
            (select(lists), texts)
                .prop_map(|(list, t)| expr(ExprKind::Contains(Box::new(path(&list)), Box::new(t))))
                .boxed(),
        );
    }
    Union::new(tests)
        .prop_recursive(3, 16, 3, |inner| {
            prop_oneof![
                inner.clone().prop_map(|x| expr(ExprKind::Not(Box::new(x)))),
                vec(inner.clone(), 2..=3).prop_map(|xs| expr(ExprKind::And(xs))),
                vec(inner.clone(), 2..=3).prop_map(|xs| expr(ExprKind::Or(xs))),
                (
                    select(vec![CompareOp::Eq, CompareOp::Ne]),
                    inner.clone(),
                    inner
                )
                    .prop_map(|(op, a, b)| expr(compare(op, a, b))),
            ]
        })
        .boxed()
}

/// [`fit_one_of`] in `env`, for `prop_map`.
fn fit_with(env: &Arc<Env>) -> impl Fn(ExprKind) -> Expr + use<> {
    let env = env.clone();
    move |kind: ExprKind| fit_one_of(&env, expr(kind))
}

/// A comparison of a `one of` field with written values, changed so that
/// the values are among the field's: another is an error (E0205).
fn fit_one_of(env: &Env, mut e: Expr) -> Expr {
    match &mut e.kind {
        ExprKind::Compare(_, a, b) => {
            if let Some(values) = env.one_of(a) {
                choose_among(values, b);
            }
            if let Some(values) = env.one_of(b) {
                choose_among(values, a);
            }
        }
        ExprKind::In { item, list, .. } => {
            if let (Some(values), ExprKind::List(items)) = (env.one_of(item), &mut list.kind) {
                for written in items {
                    choose_among(values, written);
                }
            }
        }
        _ => {}
    }
    e
}

/// Replaces a written value with one of `values`, chosen by the value.
pub fn choose_among(values: &[Value], written: &mut Expr) {
    let at = match &written.kind {
        ExprKind::Number(n) => n.to_bits() as usize,
        ExprKind::Text(t) => t.value.len(),
        _ => return,
    };
    written.kind = match &values[at % values.len()] {
        Value::Number(n) => ExprKind::Number(*n),
        Value::Text(t) => ExprKind::Text(text(t)),
        other => unreachable!("`one of` holds numbers or text, not {other:?}"),
    };
}

/// A test that the topic has a written value, or one of several.
pub fn topic_test(env: &Env) -> BoxedStrategy<Expr> {
    let names = env.names(Ty::Text, 0);
    let topic = names[env.topic % names.len()].clone();
    let env = Arc::new(env.clone());
    let (on, also, fit) = (topic.clone(), topic, fit_with(&env));
    prop_oneof![
        text_literal().prop_map(move |t| {
            compare(CompareOp::Eq, path(&on), expr(ExprKind::Text(text(&t))))
        }),
        vec(text_literal(), 1..=3).prop_map(move |ts| ExprKind::In {
            negated: false,
            item: Box::new(path(&also)),
            list: Box::new(expr(ExprKind::List(
                ts.iter().map(|t| expr(ExprKind::Text(text(t)))).collect(),
            ))),
        }),
    ]
    .prop_map(fit)
    .boxed()
}
