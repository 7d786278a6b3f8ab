//! Random rulesets as syntax trees: queues, typed fields (some with `one
//! of`), `let`s that build on earlier ones, a `default`, rules with every
//! action and modifier (their conditions from `conditions.rs`), and tests,
//! in any order. Every name is declared and every condition well typed, so
//! each ruleset checks without errors. The trees are in the form parsing
//! gives (no minus sign around a written number, no empty or adjacent plain
//! parts in a message, no place in the file), so printing and parsing one
//! gives it back.

use std::sync::Arc;

use baton::check::ir::Value;
use baton::syntax::ast::*;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::Union;

use super::conditions::{
    NOWHERE, choose_among, condition, expr, literal_of, name, number_literal, text, text_literal,
    topic_test, value_of,
};

/// The types a value can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `number`
    Number,
    /// `duration`
    Duration,
    /// `text`
    Text,
    /// `bool`
    Bool,
    /// `list of text`
    TextList,
}

/// The built-in signals with their types.
pub const SIGNALS: &[(&str, Ty)] = &[
    ("sentiment", Ty::Number),
    ("sentiment_min", Ty::Number),
    ("sentiment_avg", Ty::Number),
    ("sentiment_trend", Ty::Number),
    ("loops", Ty::Number),
    ("failed_attempts", Ty::Number),
    ("turns", Ty::Number),
    ("customer_turns", Ty::Number),
    ("ai_turns", Ty::Number),
    ("confidence", Ty::Number),
    ("asked_for_human", Ty::Bool),
    ("intent", Ty::Text),
    ("channel", Ty::Text),
    ("last_customer_message", Ty::Text),
    ("customer_text", Ty::Text),
    ("duration", Ty::Duration),
    ("waiting", Ty::Duration),
];

/// A declared field.
#[derive(Clone, Debug)]
pub struct Field {
    /// Its dotted path.
    pub path: String,
    /// Its type.
    pub ty: Ty,
    /// Its `one of` values, when it has them.
    pub one_of: Option<Vec<Value>>,
}

/// What a ruleset declares: the names its rules may use.
#[derive(Clone, Debug)]
pub struct Env {
    /// The queues.
    pub queues: Vec<String>,
    /// The fields.
    pub fields: Vec<Field>,
    /// The `let`s with the types of their values, in the order that each
    /// may use only those before it.
    pub lets: Vec<(String, Ty)>,
    /// Which text field or signal rules often require a value of (`intent
    /// == "refund" and ...`), so that baton indexes the rules by it.
    pub topic: usize,
}

impl Env {
    /// The names of type `ty` a condition may read, seeing the first `lets`
    /// `let`s.
    pub fn names(&self, ty: Ty, lets: usize) -> Vec<String> {
        let fields = self.fields.iter().filter(|f| f.ty == ty).map(|f| &f.path);
        let signals = SIGNALS.iter().filter(|(_, t)| *t == ty).map(|(n, _)| *n);
        let earlier = self.lets[..lets].iter().filter(|(_, t)| *t == ty);
        fields
            .cloned()
            .chain(signals.map(String::from))
            .chain(earlier.map(|(n, _)| n.clone()))
            .collect()
    }

    /// Every name a condition may read, whatever its type.
    pub fn all_names(&self, lets: usize) -> Vec<String> {
        [Ty::Number, Ty::Duration, Ty::Text, Ty::Bool, Ty::TextList]
            .into_iter()
            .flat_map(|ty| self.names(ty, lets))
            .collect()
    }

    /// The field with this path.
    pub fn field(&self, path: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.path == path)
    }

    /// The `one of` values of the field `e` reads, when it is one with them.
    pub fn one_of(&self, e: &Expr) -> Option<&[Value]> {
        match &e.kind {
            ExprKind::Path(name) => self.field(&name.text)?.one_of.as_deref(),
            _ => None,
        }
    }
}

/// A generated ruleset: what it declares and its items.
#[derive(Clone)]
pub struct Ruleset {
    /// The declarations, as the generator knows them.
    pub env: Arc<Env>,
    /// The items, in file order.
    pub items: Vec<Item>,
}

/// A failing case shows the rules as a person writes them.
impl std::fmt::Debug for Ruleset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rules:\n{}", baton::syntax::print::print(&self.items))
    }
}

/// Random rulesets.
pub fn ruleset() -> impl Strategy<Value = Ruleset> {
    env().prop_flat_map(|env| {
        let env = Arc::new(env);
        items(&env).prop_map(move |items| Ruleset {
            env: env.clone(),
            items,
        })
    })
}

/// A message without values, as parsing gives it.
fn plain(value: &str) -> Message {
    message(vec![MessagePart::Text(value.into())])
}

/// A message from parts, with plain parts joined and empty ones dropped.
fn message(parts: Vec<MessagePart>) -> Message {
    let mut joined: Vec<MessagePart> = Vec::new();
    for part in parts {
        match (joined.last_mut(), part) {
            (_, MessagePart::Text(t)) if t.is_empty() => {}
            (Some(MessagePart::Text(last)), MessagePart::Text(t)) => last.push_str(&t),
            (_, part) => joined.push(part),
        }
    }
    Message {
        parts: joined,
        span: NOWHERE,
    }
}

fn env() -> impl Strategy<Value = Env> {
    let field = (
        select(vec!["", "customer.", "order.items."]),
        prop_oneof![
            option::of(vec(number_literal(), 1..4)).prop_map(|one_of| (
                Ty::Number,
                one_of.map(|ns| ns.into_iter().map(Value::Number).collect())
            )),
            option::of(vec(text_literal(), 1..4)).prop_map(|one_of| (
                Ty::Text,
                one_of.map(|ts| ts.into_iter().map(Value::Text).collect())
            )),
            Just((Ty::Bool, None)),
            Just((Ty::Duration, None)),
            Just((Ty::TextList, None)),
        ],
    );
    let let_type = select(vec![Ty::Number, Ty::Duration, Ty::Text, Ty::Bool, Ty::Bool]);
    (
        1usize..=3,
        vec(field, 0..=5),
        vec(let_type, 0..=4),
        any::<usize>(),
    )
        .prop_map(|(queues, fields, lets, topic)| Env {
            queues: (0..queues).map(|i| format!("q{i}")).collect(),
            fields: fields
                .into_iter()
                .enumerate()
                .map(|(i, (root, (ty, one_of)))| Field {
                    path: format!("{root}f{i}"),
                    ty,
                    one_of,
                })
                .collect(),
            lets: lets
                .into_iter()
                .enumerate()
                .map(|(i, ty)| (format!("l{i}"), ty))
                .collect(),
            topic,
        })
}

const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];

fn action(env: &Env) -> BoxedStrategy<Action> {
    let kinds = vec![
        ActionKind::Handoff,
        ActionKind::Approval,
        ActionKind::Offer,
        ActionKind::Continue,
    ];
    (
        select(kinds),
        select(env.queues.clone()),
        option::of(select(PRIORITIES.to_vec())),
    )
        .prop_map(|(kind, queue, priority)| {
            let continues = kind == ActionKind::Continue;
            Action {
                kind,
                queue: (!continues).then(|| name(&queue)),
                priority: priority.filter(|_| !continues).map(name),
                span: NOWHERE,
            }
        })
        .boxed()
}

/// Plain text for tags and messages: at least one character.
fn piece() -> impl Strategy<Value = String> {
    "[abR{}\\\\\" é\\n]{1,5}"
}

/// A message showing values of any name.
fn shown(env: &Env) -> BoxedStrategy<Message> {
    let part = prop_oneof![
        piece().prop_map(MessagePart::Text),
        select(env.all_names(env.lets.len())).prop_map(|n| MessagePart::Value(name(&n))),
    ];
    vec(part, 0..4).prop_map(message).boxed()
}

fn outcome(env: &Env) -> BoxedStrategy<Outcome> {
    let paths: Vec<String> = env.fields.iter().map(|f| f.path.clone()).collect();
    let collect = if paths.is_empty() {
        Just(Vec::new()).boxed()
    } else {
        vec(vec(select(paths), 1..=2), 0..=1).boxed()
    };
    let tags = vec(vec(piece().prop_map(|t| plain(&t)), 1..=2), 0..=2);
    (
        action(env),
        tags,
        option::of(shown(env)),
        option::of(shown(env)),
        option::of(shown(env)),
        collect,
    )
        .prop_flat_map(|(action, tags, reason, next, assign, collect)| {
            let mut modifiers: Vec<Modifier> = tags
                .into_iter()
                .map(|t| Modifier::Tag(t, NOWHERE))
                .collect();
            modifiers.extend(reason.map(|m| Modifier::Reason(m, NOWHERE)));
            modifiers.extend(next.map(|m| Modifier::Next(m, NOWHERE)));
            modifiers.extend(assign.map(|m| Modifier::Assign(m, NOWHERE)));
            modifiers.extend(
                collect
                    .into_iter()
                    .map(|ps| Modifier::Collect(ps.iter().map(|p| name(p)).collect(), NOWHERE)),
            );
            (Just(action), Just(modifiers).prop_shuffle())
        })
        .prop_map(|(action, modifiers)| Outcome {
            action,
            modifiers,
            span: NOWHERE,
        })
        .boxed()
}

/// A rule: whether it is named (and a little text to make its name odd),
/// its conditions and its outcome. Names are numbered when the ruleset is
/// put together, so they differ.
type RuleParts = (Option<String>, Expr, Option<Expr>, Outcome);

fn rule(env: &Env) -> BoxedStrategy<RuleParts> {
    let lets = env.lets.len();
    let when = prop_oneof![
        condition(env, lets),
        (topic_test(env), condition(env, lets))
            .prop_map(|(guard, rest)| expr(ExprKind::And(vec![guard, rest]))),
    ];
    (
        option::weighted(0.75, text_literal()),
        when,
        option::weighted(0.3, condition(env, lets)),
        outcome(env),
    )
        .boxed()
}

/// A test: its given conversation, `with` values, `after`, and what it
/// expects; an expected rule is a number, resolved to a named rule.
type TestParts = (
    Given,
    Vec<WithClause>,
    Option<f64>,
    Vec<Result<usize, Expectation>>,
);

fn test(env: &Env) -> BoxedStrategy<TestParts> {
    let roles = vec!["customer", "ai", "bot", "assistant", "agent", "system"];
    let given = prop_oneof![
        text_literal().prop_map(|t| Given::File(text(&t))),
        vec((select(roles), text_literal()), 1..=3).prop_map(|lines| {
            Given::Transcript(
                lines
                    .iter()
                    .map(|(role, t)| TranscriptLine {
                        role: name(role),
                        text: text(t),
                        span: NOWHERE,
                    })
                    .collect(),
            )
        }),
    ];
    let mut targets: Vec<(String, Ty)> = vec![
        ("confidence".into(), Ty::Number),
        ("intent".into(), Ty::Text),
        ("channel".into(), Ty::Text),
    ];
    targets.extend(env.fields.iter().map(|f| (f.path.clone(), f.ty)));
    let one_of = Arc::new(env.clone());
    let with = select(targets).prop_flat_map(move |(target, ty)| {
        let env = one_of.clone();
        literal_of(ty).prop_map(move |mut value| {
            if let Some(values) = env.field(&target).and_then(|f| f.one_of.as_deref()) {
                choose_among(values, &mut value);
            }
            WithClause {
                path: name(&target),
                value,
                span: NOWHERE,
            }
        })
    });
    let paths: Vec<String> = env.fields.iter().map(|f| f.path.clone()).collect();
    let mut expectations = vec![
        action(env)
            .prop_map(|a| Err(Expectation::Action(a)))
            .boxed(),
        any::<usize>().prop_map(Ok).boxed(),
        text_literal()
            .prop_map(|t| Err(Expectation::Tag(text(&t))))
            .boxed(),
    ];
    if !paths.is_empty() {
        expectations.push(
            vec(select(paths), 1..=2)
                .prop_map(|ps| {
                    Err(Expectation::Collect(
                        ps.iter().map(|p| name(p)).collect(),
                        NOWHERE,
                    ))
                })
                .boxed(),
        );
    }
    (
        given,
        vec(with, 0..=2),
        option::of(select(vec![30.0, 1_200.0, 5_400.0])),
        vec(Union::new(expectations), 1..=3),
    )
        .boxed()
}

fn items(env: &Arc<Env>) -> BoxedStrategy<Vec<Item>> {
    let queues: Vec<BoxedStrategy<Item>> = env
        .queues
        .iter()
        .map(|q| {
            let q = q.clone();
            (
                option::of(text_literal()),
                option::of(select(vec![900.0, 3_600.0, 5_400.0, 86_400.0])),
            )
                .prop_map(move |(description, sla)| {
                    Item::Queue(QueueDecl {
                        name: name(&q),
                        description: description.map(|d| text(&d)),
                        sla: sla.map(|s| (s, NOWHERE)),
                        span: NOWHERE,
                    })
                })
                .boxed()
        })
        .collect();
    let lets: Vec<BoxedStrategy<Item>> = env
        .lets
        .iter()
        .enumerate()
        .map(|(i, (let_name, ty))| {
            let let_name = let_name.clone();
            value_of(env, *ty, i)
                .prop_map(move |value| {
                    Item::Let(LetDecl {
                        name: name(&let_name),
                        value,
                        span: NOWHERE,
                    })
                })
                .boxed()
        })
        .collect();
    let fields: Vec<Item> = env.fields.iter().map(field_decl).collect();
    let default = option::weighted(0.5, outcome(env)).prop_map(|o| {
        o.map(|outcome| {
            Item::Default(DefaultDecl {
                outcome,
                span: NOWHERE,
            })
        })
    });
    (
        queues,
        lets,
        default,
        vec(rule(env), 1..=6),
        vec(test(env), 0..=2),
    )
        .prop_map(move |(queues, lets, default, rules, tests)| {
            let rules: Vec<RuleDecl> = rules
                .into_iter()
                .enumerate()
                .map(|(i, (named, when, unless, outcome))| RuleDecl {
                    name: named.map(|odd| text(&format!("rule {i} {odd}"))),
                    when,
                    unless,
                    outcome,
                    span: NOWHERE,
                })
                .collect();
            let named: Vec<String> = rules
                .iter()
                .filter_map(|r| r.name.as_ref().map(|n| n.value.clone()))
                .collect();
            let tests = tests
                .into_iter()
                .enumerate()
                .map(|(i, (given, with, after, expect))| {
                    let expect = expect
                        .into_iter()
                        .map(|e| match e {
                            Ok(k) if !named.is_empty() => {
                                Expectation::Rule(text(&named[k % named.len()]))
                            }
                            Ok(_) => Expectation::Tag(text("no rule is named")),
                            Err(e) => e,
                        })
                        .collect();
                    Item::Test(TestDecl {
                        name: text(&format!("test {i}")),
                        given,
                        with,
                        after,
                        expect,
                        span: NOWHERE,
                    })
                });
            queues
                .into_iter()
                .chain(fields.iter().cloned())
                .chain(lets)
                .chain(default)
                .chain(rules.into_iter().map(Item::Rule))
                .chain(tests)
                .collect::<Vec<Item>>()
        })
        .prop_flat_map(|items| Just(items).prop_shuffle())
        .boxed()
}

fn field_decl(field: &Field) -> Item {
    let (list, ty) = match field.ty {
        Ty::Number => (false, "number"),
        Ty::Duration => (false, "duration"),
        Ty::Text => (false, "text"),
        Ty::Bool => (false, "bool"),
        Ty::TextList => (true, "text"),
    };
    let one_of = field.one_of.as_ref().map(|values| {
        expr(ExprKind::List(
            values
                .iter()
                .map(|v| {
                    expr(match v {
                        Value::Number(n) => ExprKind::Number(*n),
                        Value::Text(t) => ExprKind::Text(text(t)),
                        other => unreachable!("`one of` holds numbers or text, not {other:?}"),
                    })
                })
                .collect(),
        ))
    });
    Item::Field(FieldDecl {
        path: name(&field.path),
        ty: TypeExpr {
            list,
            name: name(ty),
            span: NOWHERE,
        },
        one_of,
        span: NOWHERE,
    })
}
