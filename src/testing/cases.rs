//! Running one `test` block: the conversation it describes (a file's, or
//! its transcript, with its `with` values set), the time it decides at,
//! and each `expect` compared with the decision.

use serde_json::{Map, Value as Json, json};

use super::decided_at;
use crate::check::ir::{
    Action, Expectation, Given, Outcome as RuleOutcome, Ref, TemplatePart, Test, Value,
};
use crate::compile::RuleGraph;
use crate::runtime::time::Millis;
use crate::runtime::{self, Act, Decision, Options, Priority, TraceRule};

/// When the messages of a transcript are sent: 2026-01-01T00:00:00Z. A
/// transcript's messages all carry this time, so `after` can say how long
/// after them the test decides.
pub const TRANSCRIPT_TIME: Millis = 1_767_225_600_000;

/// How a test came out.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Every `expect` held.
    Passed,
    /// Some did not: each with what was expected and what came out.
    Failed(Vec<Mismatch>),
    /// The test could not decide: its conversation is missing or unusable.
    Broken(String),
}

/// An `expect` that did not hold.
#[derive(Clone, Debug)]
pub struct Mismatch {
    /// The `expect` line as rule text, e.g. `expect handoff to billing`.
    pub expected: String,
    /// What the decision says instead, in the same words.
    pub actual: String,
    /// The line the `expect` is written on.
    pub line: usize,
}

/// A test and how it came out.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// The test's name.
    pub name: String,
    /// The rule file it is written in, as shown to people.
    pub file: String,
    /// The line it starts on.
    pub line: usize,
    /// Passed, failed or broken.
    pub outcome: Outcome,
    /// The decision, when there was one.
    pub decision: Option<Decision>,
    /// When the test failed: how the rule that decided came out, and the
    /// rules that would have given what the test expects, in order.
    pub why: Vec<TraceRule>,
    /// When the test failed: what it expects that no rule (nor the default)
    /// ever gives, in rule words.
    pub nothing_gives: Vec<String>,
}

/// The conversation a test decides, when the test names a file: its JSON,
/// or why it could not be had.
pub type GivenFile = Result<Json, String>;

/// Runs `test` of `graph`. `file` is the content of its `given` file, when
/// it names one.
pub fn run(graph: &RuleGraph, test: &Test, file: Option<GivenFile>) -> CaseResult {
    let source = graph.ruleset.sources.get(test.span.file);
    let (line, _) = source.line_col(test.span.start as usize);
    let mut result = CaseResult {
        name: test.name.clone(),
        file: source.name().to_string(),
        line,
        outcome: Outcome::Passed,
        decision: None,
        why: Vec::new(),
        nothing_gives: Vec::new(),
    };
    let conversation = match (&test.given, file) {
        (Given::Transcript(lines), _) => Ok(transcript(lines)),
        (Given::File(_), Some(Ok(json))) => Ok(json),
        (Given::File(_), Some(Err(e))) => Err(e),
        (Given::File(path), None) => Err(format!("`{path}` was not read")),
    };
    let mut conversation = match conversation {
        Ok(c) => c,
        Err(e) => {
            result.outcome = Outcome::Broken(e);
            return result;
        }
    };
    for (target, value) in &test.with {
        set(&mut conversation, &path_of(graph, *target), json_of(value));
    }
    let now = match (decided_at(&conversation), test.after) {
        (at, None) => at,
        // Up to about a thousand years later.
        (Some(at), Some(after)) if after <= 3.2e10 => Some(at + (after * 1000.0) as Millis),
        (Some(_), Some(_)) => {
            result.outcome =
                Outcome::Broken("`after` is too long: write at most some hundred years".into());
            return result;
        }
        (None, Some(_)) => {
            result.outcome = Outcome::Broken(
                "`after` counts from the last message's time, and no message of this conversation has one (`at`)".into(),
            );
            return result;
        }
    };
    let options = Options { now, explain: true };
    let mut decision = match runtime::decide(graph, &conversation, &options) {
        Ok(d) => d,
        Err(e) => {
            result.outcome = Outcome::Broken(format!("{} ({})", e.message, e.code.as_str()));
            return result;
        }
    };
    let trace = decision.trace.take().unwrap_or_default();
    let failed: Vec<(&Expectation, Mismatch)> = test
        .expect
        .iter()
        .filter_map(|(expectation, span)| {
            let (line, _) = source.line_col(span.start as usize);
            check(graph, expectation, line, &decision).map(|m| (expectation, m))
        })
        .collect();
    if !failed.is_empty() {
        // The rule that decided, and the rules that would have given what
        // the test expects, with why they did not.
        let rules = &graph.ruleset.rules;
        let gives = |i: usize| {
            failed
                .iter()
                .any(|(e, _)| could_give(&rules[i].outcome, &rules[i].name, e))
        };
        result.why = trace
            .into_iter()
            .enumerate()
            .filter(|(i, t)| t.decided || gives(*i))
            .map(|(_, t)| t)
            .collect();
        result.nothing_gives = failed
            .iter()
            .filter(|(e, _)| {
                !rules.iter().any(|r| could_give(&r.outcome, &r.name, e))
                    && !could_give(&graph.ruleset.default, "", e)
            })
            .map(|(_, m)| m.expected.trim_start_matches("expect ").to_string())
            .collect();
        result.outcome = Outcome::Failed(failed.into_iter().map(|(_, m)| m).collect());
    }
    result.decision = Some(decision);
    result
}

/// Whether a rule deciding `outcome` (named `rule`) would meet `expectation`.
fn could_give(outcome: &RuleOutcome, rule: &str, expectation: &Expectation) -> bool {
    match expectation {
        Expectation::Action(action, priority) => {
            outcome.action == *action && priority.is_none_or(|p| p == outcome.priority)
        }
        Expectation::Rule(name) => rule == name,
        Expectation::Tag(tag) => outcome.tags.iter().any(|template| {
            let mut written = String::new();
            for part in &template.parts {
                match part {
                    TemplatePart::Text(text) => written.push_str(text),
                    // A tag made from a value could be anything.
                    TemplatePart::Value(_) => return true,
                }
            }
            &written == tag
        }),
        Expectation::Collect(fields) => fields.iter().all(|f| outcome.collect.contains(f)),
    }
}

/// A conversation of the transcript's messages, all sent at
/// [`TRANSCRIPT_TIME`].
fn transcript(lines: &[(String, String)]) -> Json {
    let at = crate::runtime::time::format_rfc3339(TRANSCRIPT_TIME);
    let messages: Vec<Json> = lines
        .iter()
        .map(|(role, text)| json!({ "role": role, "text": text, "at": at }))
        .collect();
    json!({ "messages": messages })
}

/// The place in the conversation a `with` sets, split at the dots.
fn path_of(graph: &RuleGraph, target: Ref) -> Vec<String> {
    match target {
        Ref::Field(id) => graph.field_paths[id.0 as usize].clone(),
        Ref::Signal(signal) => vec![signal.name().to_string()],
        Ref::Let(id) => vec![graph.ruleset.lets[id.0 as usize].name.clone()],
    }
}

/// Sets `path` in `conversation` to `value`, making the objects on the way.
fn set(conversation: &mut Json, path: &[String], value: Json) {
    let mut place = conversation;
    for key in path {
        if !place.is_object() {
            *place = Json::Object(Map::new());
        }
        let Json::Object(map) = place else {
            return;
        };
        place = map.entry(key.clone()).or_insert(Json::Null);
    }
    *place = value;
}

/// A written value as the conversation would carry it (durations in seconds).
fn json_of(value: &Value) -> Json {
    match value {
        Value::Number(n) | Value::Duration(n) => json!(n),
        Value::Text(t) => json!(t),
        Value::Bool(b) => json!(b),
        Value::List(items) => Json::Array(items.iter().map(json_of).collect()),
    }
}

/// `None` when `expectation` holds for `decision`, else what differs.
fn check(
    graph: &RuleGraph,
    expectation: &Expectation,
    line: usize,
    decision: &Decision,
) -> Option<Mismatch> {
    let queue_name = |action: Action| {
        action
            .queue()
            .map(|q| graph.ruleset.queues[q.0 as usize].name.as_str())
    };
    let mismatch = |expected: String, actual: String| {
        Some(Mismatch {
            expected: format!("expect {expected}"),
            actual,
            line,
        })
    };
    match expectation {
        Expectation::Action(action, priority) => {
            let act = Act::of(*action);
            let same = decision.action == act
                && (act == Act::Continue || decision.queue.as_deref() == queue_name(*action))
                && priority.is_none_or(|p| p == decision.priority);
            if same {
                return None;
            }
            let expected = action_words(act, queue_name(*action), *priority);
            let shown_priority = priority.map(|_| decision.priority);
            mismatch(expected, describe(graph, decision, shown_priority))
        }
        Expectation::Collect(fields) => {
            let written: Vec<&str> = fields
                .iter()
                .map(|f| graph.ruleset.fields[f.0 as usize].path.as_str())
                .collect();
            let mut expected = written.clone();
            let mut actual: Vec<&str> = decision.collect.iter().map(String::as_str).collect();
            expected.sort_unstable();
            actual.sort_unstable();
            if decision.action == Act::Collect && expected == actual {
                return None;
            }
            let expected = format!("collect {}", written.join(", "));
            mismatch(expected, describe(graph, decision, None))
        }
        Expectation::Rule(name) => {
            if decision.rule.as_ref().is_some_and(|r| &r.name == name) {
                return None;
            }
            let actual = match &decision.rule {
                Some(r) => format!("rule \"{}\" decided", r.name),
                None => "no rule matched; the default decided".into(),
            };
            mismatch(format!("rule \"{name}\""), actual)
        }
        Expectation::Tag(tag) => {
            if decision.tags.contains(tag) {
                return None;
            }
            let actual = if decision.tags.is_empty() {
                "no tags".to_string()
            } else {
                let tags: Vec<String> = decision.tags.iter().map(|t| format!("\"{t}\"")).collect();
                format!("tags {}", tags.join(", "))
            };
            mismatch(format!("tag \"{tag}\""), actual)
        }
    }
}

/// An action in rule words: `handoff to billing priority high`.
fn action_words(act: Act, queue: Option<&str>, priority: Option<Priority>) -> String {
    let mut words = match (act, queue) {
        (Act::Handoff, Some(q)) => format!("handoff to {q}"),
        (Act::Approval, Some(q)) => format!("approval from {q}"),
        (Act::Offer, Some(q)) => format!("offer handoff to {q}"),
        _ => act.as_str().to_string(),
    };
    if let Some(p) = priority {
        words.push_str(" priority ");
        words.push_str(p.as_str());
    }
    words
}

/// What a decision does, in rule words, with its priority when `priority`
/// is given: `handoff to tier2 priority high`, or `collect order.id, then
/// approval from finance`.
pub fn describe(graph: &RuleGraph, decision: &Decision, priority: Option<Priority>) -> String {
    if decision.action != Act::Collect {
        return action_words(decision.action, decision.queue.as_deref(), priority);
    }
    let rules = &graph.ruleset.rules;
    let outcome = decision
        .rule
        .as_ref()
        .and_then(|r| rules.iter().find(|rule| rule.name == r.name))
        .map_or(&graph.ruleset.default, |rule| &rule.outcome);
    let then = Act::of(outcome.action);
    format!(
        "collect {}, then {}",
        decision.collect.join(", "),
        action_words(then, decision.queue.as_deref(), priority)
    )
}
