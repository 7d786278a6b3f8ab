//! Conversation to decision: read the conversation, evaluate the rule graph
//! on it (first match in rule order, three-valued logic), and write the
//! decision, its case brief and, on request, its explanation. No I/O: the
//! evaluation time comes in as an option.

mod brief;
mod conversation;
mod decision;
mod eval;
mod read;
mod signals;
pub mod text;
pub mod time;
mod trace;
mod value;

use serde_json::Value as Json;

pub use brief::{Brief, Fields};
pub use conversation::{InputError, Warning};
pub use decision::{Act, Decision, Lane, Priority, RuleRef, Undecided};
pub use read::parse_kept;
pub use trace::{TraceRule, TraceTest};
pub use value::cut;

use crate::check::ir::{Outcome, Template, TemplatePart, format_duration};
use crate::compile::RuleGraph;
use crate::diagnostic::Code;
use conversation::Conversation;
use eval::{Eval, Truth};
use signals::Signals;

/// How to decide.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The evaluation time, in milliseconds since 1970 UTC, for `waiting`.
    /// Give it to make decisions reproducible; without it `waiting` is
    /// measured to the time the caller supplies as "now" (the CLI uses the clock).
    pub now: Option<time::Millis>,
    /// Whether to add the explanation (`trace`).
    pub explain: bool,
}

/// Decides one conversation given as JSON text, building only what
/// `graph` reads of it (see [`parse_kept`]). Arrays and objects may nest
/// at most `max_depth` levels (E0406).
pub fn decide_str(
    graph: &RuleGraph,
    text: &str,
    max_depth: usize,
    options: &Options,
) -> Result<Decision, InputError> {
    match parse_kept(graph, text, max_depth) {
        Some(input) => decide_read(graph, Conversation::from_input(&input?)?, options),
        None => {
            let json = serde_json::from_str(text).map_err(|e| refused(&e, max_depth))?;
            check_depth(&json, max_depth)?;
            decide(graph, &json, options)
        }
    }
}

/// Reads JSON text, with error E0401 (located, in plain words) when it is
/// not valid JSON.
pub fn parse(text: &str) -> Result<Json, InputError> {
    serde_json::from_str(text).map_err(|e| read_error(&e))
}

/// A JSON reader's error for a conversation that may nest `max_depth`
/// levels: E0406 for that limit when the reader stopped at its own (which
/// is never lower), else what [`read_error`] says.
fn refused(e: &serde_json::Error, max_depth: usize) -> InputError {
    match read_error(e) {
        e if e.code == Code::E0406 => too_deep(max_depth),
        e => e,
    }
}

/// A JSON reader's error as an input error: E0406 when it stopped at its
/// nesting limit, else E0401.
fn read_error(e: &serde_json::Error) -> InputError {
    InputError {
        code: if e.to_string().starts_with("recursion limit exceeded") {
            Code::E0406
        } else {
            Code::E0401
        },
        message: json_error(e),
    }
}

/// How deep the JSON reader itself lets arrays and objects nest.
pub const JSON_READER_DEPTH: usize = 128;

/// Error E0406 when arrays and objects in `json` nest more than `max`
/// levels deep (the conversation object itself is level 1).
pub fn check_depth(json: &Json, max: usize) -> Result<(), InputError> {
    if max == 0 || !within(json, 1, max) {
        return Err(too_deep(max));
    }
    Ok(())
}

/// Whether `value`, at `depth`, and everything in it nest within `max`
/// levels: the walk goes no deeper than `max + 1`.
fn within(value: &Json, depth: usize, max: usize) -> bool {
    match value {
        Json::Array(items) => depth <= max && items.iter().all(|v| within(v, depth + 1, max)),
        Json::Object(map) => depth <= max && map.values().all(|v| within(v, depth + 1, max)),
        _ => true,
    }
}

/// Error E0406: arrays and objects nest more than `max` levels deep.
pub fn too_deep(max: usize) -> InputError {
    InputError {
        code: Code::E0406,
        message: format!(
            "arrays and objects in this conversation nest more than {max} levels deep"
        ),
    }
}

/// A JSON syntax error in words, with where it is.
fn json_error(e: &serde_json::Error) -> String {
    let place = if e.line() > 1 {
        format!("line {}, column {}", e.line(), e.column())
    } else {
        format!("column {}", e.column())
    };
    if e.is_eof() {
        return format!("the JSON stops before it is complete, at {place}");
    }
    if e.to_string().starts_with("recursion limit exceeded") {
        return format!(
            "arrays and objects here nest more than {JSON_READER_DEPTH} levels deep, at {place}"
        );
    }
    let text = e.to_string();
    let what = text.split(" at line ").next().unwrap_or(&text);
    format!("this is not valid JSON: {what}, at {place}")
}

/// The rule that decides `json`, by its place in `graph.rules` (`None`
/// when the default decides): the decision without its brief, reasons or
/// explanation, for measuring and for callers that only route.
pub fn first_match(
    graph: &RuleGraph,
    json: &Json,
    options: &Options,
) -> Result<Option<usize>, InputError> {
    let conversation = Conversation::read(json)?;
    let signals = Signals::new(&conversation, options.now);
    let (fields, buffer) = eval::keep_fields(graph, conversation.root);
    let mut eval = Eval::with_fields(graph, &signals, &fields, &buffer);
    Ok(match rules_to_try(&mut eval, graph) {
        Some(mut candidates) => candidates.find(|&i| eval.indexed_rule(i) == Truth::True),
        None => (0..graph.rules.len()).find(|&i| eval.rule(i) == Truth::True),
    })
}

/// A conversation read once, to be routed many times (by rulesets that
/// read the same fields, or the same ruleset in a benchmark): its messages
/// and every field the rules read.
pub struct Prepared<'c> {
    conversation: Conversation<'c>,
    fields: Vec<eval::Kept<'c>>,
    /// The fields' text, together, so deciding touches little memory.
    buffer: String,
}

/// Reads `json` for [`first_match_prepared`] with `graph`.
pub fn prepare<'c>(graph: &RuleGraph, json: &'c Json) -> Result<Prepared<'c>, InputError> {
    let conversation = Conversation::read(json)?;
    let (fields, buffer) = eval::keep_fields(graph, conversation.root);
    Ok(Prepared {
        conversation,
        fields,
        buffer,
    })
}

/// [`first_match`] on a conversation read beforehand by [`prepare`] with
/// the same graph.
pub fn first_match_prepared(
    graph: &RuleGraph,
    prepared: &Prepared<'_>,
    options: &Options,
) -> Option<usize> {
    let signals = Signals::new(&prepared.conversation, options.now);
    let mut eval = Eval::with_fields(graph, &signals, &prepared.fields, &prepared.buffer);
    match rules_to_try(&mut eval, graph) {
        Some(mut candidates) => candidates.find(|&i| eval.indexed_rule(i) == Truth::True),
        None => (0..graph.rules.len()).find(|&i| eval.rule(i) == Truth::True),
    }
}

/// The rules worth trying for this conversation, in order, when the graph
/// has an index and the conversation has the value it is keyed on; the
/// others are false for it. `None`: try every rule.
fn rules_to_try<'g>(
    eval: &mut Eval<'_>,
    graph: &'g RuleGraph,
) -> Option<crate::compile::Candidates<'g>> {
    let (node, index) = graph.index.as_ref()?;
    if let crate::check::ir::Ref::Field(field) = index.on
        && let Some(t) = eval
            .kept_lower_ascii(field)
            .or_else(|| eval.kept_text(field))
    {
        return graph.candidates(Some(t));
    }
    match eval.eval(*node) {
        eval::Res::Known(value::Val::Text(t)) => graph.candidates(Some(t)),
        _ => None,
    }
}

/// Every built-in signal of `json`, by name, as JSON; those the
/// conversation does not have are left out.
pub fn signal_values(
    json: &Json,
    options: &Options,
) -> Result<serde_json::Map<String, Json>, InputError> {
    let conversation = Conversation::read(json)?;
    let signals = Signals::new(&conversation, options.now);
    Ok(crate::check::signals::Signal::ALL
        .iter()
        .filter_map(|&s| match signals.get(s) {
            Ok(Some(v)) => Some((s.name().to_string(), v.json())),
            _ => None,
        })
        .collect())
}

/// The declared fields and the signals the rules read that a conversation
/// lacks: a field absent, `null` or of the wrong type; a signal it cannot
/// give (no customer message for `sentiment`, no times for `waiting`).
pub fn missing_values(
    graph: &RuleGraph,
    json: &Json,
    options: &Options,
) -> Result<Vec<String>, InputError> {
    let conversation = Conversation::read(json)?;
    let signals = Signals::new(&conversation, options.now);
    let fields = eval::read_fields(graph, conversation.root);
    let mut out: Vec<String> = fields
        .iter()
        .enumerate()
        .filter(|(i, reading)| graph.field_read[*i] && !matches!(reading, Ok(Some(_))))
        .map(|(i, _)| graph.ruleset.fields[i].path.clone())
        .collect();
    out.extend(
        graph
            .signals_read
            .iter()
            .filter(|s| !s.always_known() && !matches!(signals.get(**s), Ok(Some(_))))
            .map(|s| s.name().to_string()),
    );
    Ok(out)
}

/// Decides one conversation given as parsed JSON.
pub fn decide(graph: &RuleGraph, json: &Json, options: &Options) -> Result<Decision, InputError> {
    decide_read(graph, Conversation::read(json)?, options)
}

/// Decides a conversation once read.
fn decide_read(
    graph: &RuleGraph,
    conversation: Conversation<'_>,
    options: &Options,
) -> Result<Decision, InputError> {
    let signals = Signals::new(&conversation, options.now);
    let (fields, buffer) = eval::keep_fields(graph, conversation.root);
    let mut eval = Eval::with_fields(graph, &signals, &fields, &buffer);
    // With an explanation every rule is tried and shown; without, only
    // those the index leaves (the others are false for this conversation).
    let candidates = if options.explain {
        None
    } else {
        rules_to_try(&mut eval, graph)
    };
    let results: Vec<Truth> = match candidates {
        Some(candidates) => {
            let mut results = vec![Truth::False; graph.rules.len()];
            for i in candidates {
                results[i] = eval.indexed_rule(i);
            }
            results
        }
        None => (0..graph.rules.len()).map(|i| eval.rule(i)).collect(),
    };
    let decider = results.iter().position(|t| *t == Truth::True);
    let rules = &graph.ruleset.rules;
    let also_matched = results
        .iter()
        .enumerate()
        .filter(|(i, t)| **t == Truth::True && Some(*i) != decider)
        .map(|(i, _)| rules[i].name.clone())
        .collect();
    let undecided = results
        .iter()
        .take(decider.unwrap_or(results.len()))
        .enumerate()
        .filter_map(|(i, t)| match t {
            Truth::Unknown(m) => Some(Undecided {
                rule: rules[i].name.clone(),
                missing: eval
                    .missing(*m)
                    .iter()
                    .map(|r| eval.ref_name(*r).to_string())
                    .collect(),
            }),
            _ => None,
        })
        .collect();
    let outcome = decider.map_or(&graph.ruleset.default, |i| &rules[i].outcome);
    let mut decision = outcome_decision(&mut eval, graph, outcome);
    decision.conversation = conversation.id.clone();
    decision.rule = decider.map(|i| RuleRef {
        name: rules[i].name.clone(),
        file: rules[i].file.clone(),
        line: rules[i].line,
    });
    decision.also_matched = also_matched;
    decision.undecided = undecided;
    decision.brief = brief::brief(&mut eval, graph, &signals, decider, decision.next.clone());
    if options.explain {
        decision.trace = Some(trace::trace(&mut eval, graph, &results, decider));
    }
    decision.warnings = conversation.warnings.clone();
    // Values are read in whatever order deciding needs them (the rule
    // index first, every test with `--explain`): the warnings about them
    // are listed by what they say, the same either way.
    let mut read: Vec<&Warning> = eval
        .warnings
        .iter()
        .filter(|w| !decision.warnings.contains(w))
        .collect();
    read.sort_by(|a, b| a.message.cmp(&b.message));
    read.dedup();
    decision.warnings.extend(read.into_iter().cloned());
    decision.ruleset = graph.hash.clone();
    Ok(decision)
}

/// The parts of a decision that come from the outcome (the deciding rule's
/// or the default): lane, action, queue, priority, messages, `collect`.
fn outcome_decision(eval: &mut Eval<'_>, graph: &RuleGraph, outcome: &Outcome) -> Decision {
    let ruleset = &graph.ruleset;
    let mut action = Act::of(outcome.action);
    let mut lane = action.lane();
    let queue = outcome
        .action
        .queue()
        .map(|q| &ruleset.queues[q.0 as usize]);
    let mut collect = Vec::new();
    if outcome.priority != Priority::Urgent {
        for &field in &outcome.collect {
            if eval.field(field).is_none() {
                collect.push(ruleset.fields[field.0 as usize].path.clone());
            }
        }
        if !collect.is_empty() {
            (lane, action) = (Lane::Ai, Act::Collect);
        }
    }
    Decision {
        conversation: None,
        lane,
        action,
        queue: queue.map(|q| q.name.clone()),
        priority: outcome.priority,
        sla: queue.and_then(|q| q.sla).map(format_duration),
        rule: None,
        tags: outcome.tags.iter().map(|t| render(eval, t).0).collect(),
        reason: outcome.reason.as_ref().map(|t| render(eval, t).0),
        next: outcome.next.as_ref().map(|t| render(eval, t).0),
        assignee: outcome
            .assign
            .as_ref()
            .map(|t| render(eval, t))
            .and_then(|(text, complete)| (complete && !text.trim().is_empty()).then_some(text)),
        collect,
        brief: Brief {
            summary: String::new(),
            what_happened: Vec::new(),
            ai_tried: Vec::new(),
            learned: Fields::default(),
            next: None,
            signals: Fields::default(),
            last_customer_message: None,
        },
        also_matched: Vec::new(),
        undecided: Vec::new(),
        warnings: Vec::new(),
        ruleset: String::new(),
        trace: None,
    }
}

/// A message with its `{values}` filled in, and whether every value was known
/// (an unknown one reads "unknown").
fn render(eval: &mut Eval<'_>, template: &Template) -> (String, bool) {
    let mut out = String::new();
    let mut complete = true;
    for part in &template.parts {
        match part {
            TemplatePart::Text(t) => out.push_str(t),
            TemplatePart::Value(r) => match eval.value_of(*r) {
                Some(v) => out.push_str(&v.plain()),
                None => {
                    complete = false;
                    out.push_str("unknown");
                }
            },
        }
    }
    (out, complete)
}
