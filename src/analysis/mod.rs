//! What a ruleset does as a whole, found by reasoning over intervals and
//! sets (no solver): a rule that earlier rules leave nothing to; an earlier
//! rule that silently takes part of what a later one, with another outcome,
//! was written for; a condition that can never hold; and, when asked,
//! conversations next to what a rule routes that no rule routes. Each
//! finding comes with a conversation that shows it, and is reported only
//! once deciding that conversation with the compiled rules confirms it.

mod example;
mod pairs;
mod space;

use std::collections::HashSet;

use serde_json::Value as Json;

use crate::check::Ruleset;
use crate::check::ir::{Action, Outcome};
use crate::compile::RuleGraph;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::runtime::Options;
use space::{Dim, Domain, Region};

/// How many findings of each kind are reported at most: past that, a
/// ruleset has a problem of that kind to look at, and the rest would bury it.
const MAX_FINDINGS: usize = 20;

/// How many comparisons of boxes one rule may take; past that, the rule is
/// left out, so that a large ruleset is still checked in seconds.
const STEPS_PER_RULE: usize = 1024;

/// The time examples are decided at (`waiting` is never set by them).
const NOW: i64 = 1_795_000_000_000;

/// Checks `sources` as one ruleset and, when it has no errors, adds what
/// [`analyse`] finds: everything `baton check` reports, with the checked
/// ruleset.
pub fn check_and_analyse(
    sources: &crate::source::Sources,
    limits: &crate::Limits,
    gaps: bool,
) -> (Ruleset, Diagnostics) {
    let checked = crate::check_sources(sources, limits);
    let mut diagnostics = checked.diagnostics;
    if diagnostics.has_errors() {
        return (checked.ruleset, diagnostics);
    }
    let graph = crate::compile::compile(checked.ruleset);
    let found = analyse(&graph, &diagnostics, gaps);
    diagnostics.extend(found);
    diagnostics.sort(sources);
    (graph.ruleset, diagnostics)
}

/// Conversations a rule matches, one for each box of its condition that
/// one can be written for, each with its box in rule words: what `baton
/// diff` decides with two rulesets to show what a change of rules changes.
pub fn rule_examples(ruleset: &Ruleset, rule: usize) -> Vec<(String, Json)> {
    let r = &ruleset.rules[rule];
    let Some(boxes) = space::rule_region(ruleset, &r.when, r.unless.as_ref()) else {
        return Vec::new();
    };
    boxes
        .iter()
        .filter_map(|b| Some((describe(ruleset, b), example::conversation(b, ruleset)?)))
        .take(4)
        .collect()
}

/// Findings about `graph`, as warnings: W0301 (a rule earlier rules leave
/// nothing to), W0306 (overlap with another outcome), W0307 (a condition
/// that can never hold) and, with `gaps`, W0308. `known` are the diagnostics
/// the checker already gave: a rule it already reported is not reported again.
pub fn analyse(graph: &RuleGraph, known: &Diagnostics, gaps: bool) -> Diagnostics {
    let ruleset = &graph.ruleset;
    let reported: HashSet<(String, usize)> = known
        .iter()
        .filter(|d| matches!(d.code, Code::W0301 | Code::W0303))
        .filter_map(|d| {
            d.primary()
                .map(|l| (l.source.name().to_string(), l.line_col().0))
        })
        .collect();
    let regions: Vec<Option<Vec<Region>>> = ruleset
        .rules
        .iter()
        .map(|r| space::rule_region(ruleset, &r.when, r.unless.as_ref()))
        .collect();
    let always = |d: &Dim| matches!(d, Dim::Signal(s) if s.always_known());
    let pairs = pairs::Pairs::new(&regions, always);
    let mut out = Diagnostics::new();
    let mut counts = [0usize; 4];
    let mut shadowed = vec![false; regions.len()];
    for (b, rule) in ruleset.rules.iter().enumerate() {
        let Some(boxes) = &regions[b] else { continue };
        let head = ruleset
            .sources
            .get(rule.head.file)
            .line_col(rule.head.start as usize)
            .0;
        let already = reported.contains(&(rule.file.clone(), head))
            || reported.contains(&(rule.file.clone(), rule.line));
        if boxes.is_empty() {
            shadowed[b] = true;
            if !already {
                push(&mut out, &mut counts[2], impossible(ruleset, b));
            }
            continue;
        }
        // What is left of the rule once every earlier rule has taken its part.
        let mut left = boxes.clone();
        let mut takers = Vec::new();
        let mut steps = 0usize;
        for a in pairs.may_take(b) {
            let Some(earlier) = &regions[a] else { continue };
            steps += left.len() * earlier.len();
            if steps > STEPS_PER_RULE {
                // Too many earlier rules share it out to follow in time:
                // nothing is claimed about this rule.
                left.push(Region::new());
                break;
            }
            let mut next = Vec::new();
            let mut took = false;
            for piece in &left {
                let mut pieces = vec![piece.clone()];
                for taken in earlier {
                    let mut rest = Vec::new();
                    for p in &pieces {
                        match space::subtract(p, taken, always) {
                            Some(r) => rest.extend(r),
                            None => rest.push(p.clone()),
                        }
                    }
                    pieces = rest;
                }
                took |= pieces.len() != 1 || pieces[0] != *piece;
                next.extend(pieces);
            }
            if took {
                takers.push(a);
            }
            left = next;
            if left.is_empty() || left.len() > space::MAX_BOXES {
                break;
            }
        }
        if left.is_empty() {
            shadowed[b] = true;
            if !already && counts[0] < MAX_FINDINGS {
                let finding = boxes
                    .iter()
                    .find_map(|r| example::conversation(r, ruleset))
                    .and_then(|example| confirm_shadow(graph, b, &takers, example));
                if let Some(example) = finding {
                    push(
                        &mut out,
                        &mut counts[0],
                        shadow(ruleset, b, &takers, &example),
                    );
                }
            }
        }
    }
    // Overlaps: an earlier rule with another outcome takes part, not all,
    // of a later rule, and is not simply an exception carved out of it.
    for b in 0..regions.len() {
        if counts[1] >= MAX_FINDINGS {
            break;
        }
        let (Some(later), false) = (&regions[b], shadowed[b]) else {
            continue;
        };
        for a in pairs
            .may_overlap(b)
            .into_iter()
            .rev()
            .take(STEPS_PER_RULE / 16)
        {
            let Some(earlier) = &regions[a] else { continue };
            if shadowed[a] || !loses(&ruleset.rules[a].outcome, &ruleset.rules[b].outcome) {
                continue;
            }
            let exception = earlier
                .iter()
                .all(|e| later.iter().any(|l| space::within(e, l)));
            if exception {
                continue;
            }
            let found = later.iter().find_map(|l| {
                earlier.iter().find_map(|e| {
                    let both = space::meet(e, l)?;
                    let shared = e
                        .keys()
                        .any(|d| !matches!(d, Dim::Opaque(_)) && l.contains_key(d));
                    shared
                        .then(|| example::conversation(&both, ruleset))
                        .flatten()
                })
            });
            let confirmed = found.and_then(|example| {
                let decision = decide(graph, &example)?;
                let decider = decision.rule.as_ref()?.name.clone();
                (decider == ruleset.rules[a].name
                    && decision.also_matched.contains(&ruleset.rules[b].name))
                .then_some(example)
            });
            if let Some(example) = confirmed {
                push(&mut out, &mut counts[1], overlap(ruleset, a, b, &example));
                if counts[1] >= MAX_FINDINGS {
                    break;
                }
            }
        }
    }
    if gaps {
        for finding in find_gaps(graph, &regions, &pairs) {
            push(&mut out, &mut counts[3], Some(finding));
        }
    }
    out
}

fn push(out: &mut Diagnostics, count: &mut usize, d: Option<Diagnostic>) {
    let Some(d) = d else { return };
    *count += 1;
    if *count <= MAX_FINDINGS {
        out.push(d);
    }
}

fn decide(graph: &RuleGraph, example: &Json) -> Option<crate::runtime::Decision> {
    let options = Options {
        now: Some(NOW),
        explain: false,
    };
    crate::runtime::decide(graph, example, &options).ok()
}

fn confirm_shadow(graph: &RuleGraph, b: usize, takers: &[usize], example: Json) -> Option<Json> {
    let decision = decide(graph, &example)?;
    let rules = &graph.ruleset.rules;
    let decider = decision.rule.as_ref()?.name.clone();
    (takers.iter().any(|&a| rules[a].name == decider)
        && decision.also_matched.contains(&rules[b].name))
    .then_some(example)
}

/// Whether a conversation loses something when `earlier` decides it
/// instead of `later`: a person it would have had, or, between two people,
/// the queue or the urgency it would have had. An earlier rule that sends
/// it further up (to a person instead of the AI) is the usual way of
/// putting exceptions first, and is not reported.
fn loses(earlier: &Outcome, later: &Outcome) -> bool {
    let rank = |o: &Outcome| match o.action {
        Action::Handoff(_) => 2,
        Action::Approval(_) => 1,
        Action::Offer(_) | Action::Continue => 0,
    };
    match rank(later).cmp(&rank(earlier)) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => {
            rank(later) > 0
                && (later.action.queue() != earlier.action.queue()
                    || later.priority > earlier.priority)
        }
    }
}

/// Whether two outcomes send a conversation to the same lane, queue and
/// priority.
fn same_place(a: &Outcome, b: &Outcome) -> bool {
    std::mem::discriminant(&a.action) == std::mem::discriminant(&b.action)
        && a.action.queue() == b.action.queue()
        && a.priority == b.priority
}

/// An outcome as rules write it: `handoff to billing priority high`.
pub fn place(ruleset: &Ruleset, outcome: &Outcome) -> String {
    let queue = |q: crate::check::ir::QueueId| ruleset.queues[q.0 as usize].name.clone();
    let action = match outcome.action {
        Action::Handoff(q) => format!("handoff to {}", queue(q)),
        Action::Approval(q) => format!("approval from {}", queue(q)),
        Action::Offer(q) => format!("offer handoff to {}", queue(q)),
        Action::Continue => "continue".to_string(),
    };
    format!("{action} priority {}", outcome.priority.as_str())
}

fn rule_label(d: Diagnostic, ruleset: &Ruleset, i: usize, text: &str) -> Diagnostic {
    d.label(&ruleset.sources, ruleset.rules[i].head, text)
}

fn shown(example: &Json) -> String {
    serde_json::to_string(example).unwrap_or_default()
}

fn shadow(ruleset: &Ruleset, b: usize, takers: &[usize], example: &Json) -> Option<Diagnostic> {
    let names: Vec<String> = takers
        .iter()
        .map(|&a| format!("`{}`", ruleset.rules[a].name))
        .collect();
    let mut d = Diagnostic::new(
        Code::W0301,
        format!(
            "rule `{}` can never decide: every conversation it matches is taken by {}",
            ruleset.rules[b].name,
            names.join(" and ")
        ),
    );
    d = rule_label(d, ruleset, b, "never decides");
    let took = if takers.len() == 1 {
        "takes all of it first"
    } else {
        "takes part of it first"
    };
    for &a in takers {
        d = rule_label(d, ruleset, a, took);
    }
    Some(d.help(format!(
        "move it above the rules that take it, or remove it; this conversation matches it but is decided earlier: {}",
        shown(example)
    )))
}

fn overlap(ruleset: &Ruleset, a: usize, b: usize, example: &Json) -> Option<Diagnostic> {
    let (first, second) = (&ruleset.rules[a], &ruleset.rules[b]);
    let d = Diagnostic::new(
        Code::W0306,
        format!(
            "rules `{}` and `{}` both match some conversations, and the earlier one silently wins: {} instead of {}",
            first.name,
            second.name,
            place(ruleset, &first.outcome),
            place(ruleset, &second.outcome)
        ),
    );
    let d = rule_label(d, ruleset, b, "written for these conversations too");
    let d = rule_label(d, ruleset, a, "decides them first");
    Some(d.help(format!(
        "if the later rule should win there, move it up or add `unless` to the earlier one; a conversation both match: {}",
        shown(example)
    )))
}

fn impossible(ruleset: &Ruleset, b: usize) -> Option<Diagnostic> {
    let rule = &ruleset.rules[b];
    let d = Diagnostic::new(
        Code::W0307,
        format!(
            "the condition of rule `{}` can never be true: its tests contradict each other",
            rule.name
        ),
    );
    Some(rule_label(d, ruleset, b, "no conversation matches this").help(
        "look for a value compared both ways (`x > 5 and x < 3`), two different `==` on one value, or an `unless` that holds whenever `when` does",
    ))
}

/// Conversations next to what a rule routes (the same, but for one value)
/// that no rule routes, so the default decides them.
fn find_gaps(
    graph: &RuleGraph,
    regions: &[Option<Vec<Region>>],
    pairs: &pairs::Pairs,
) -> Vec<Diagnostic> {
    let ruleset = &graph.ruleset;
    let always = |d: &Dim| matches!(d, Dim::Signal(s) if s.always_known());
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (r, boxes) in regions.iter().enumerate() {
        let Some(boxes) = boxes else { continue };
        if same_place(&ruleset.rules[r].outcome, &ruleset.default) {
            continue;
        }
        for region in boxes {
            for (dim, domain) in region {
                // Only a declared field with named values (`one of`, or
                // yes/no) has neighbours worth naming: "tier free" next to
                // "tier enterprise". The other side of a threshold is
                // usually the calm side, and other intents are the
                // default's own business.
                let named = match dim {
                    Dim::Field(id) => {
                        let field = &ruleset.fields[*id as usize];
                        field.one_of.is_some() || field.ty == crate::check::ir::Type::Bool
                    }
                    _ => false,
                };
                if !named || !seen.insert((r, dim.clone())) {
                    continue;
                }
                let natural = space::natural(dim, ruleset);
                for other in domain.complement() {
                    let other = match &natural {
                        Some(n) => match other.intersect(n) {
                            Some(o) => o,
                            None => continue,
                        },
                        None => other,
                    };
                    let mut next = region.clone();
                    next.insert(dim.clone(), other);
                    let takers = pairs.may_take_region(&next);
                    let mut left = vec![next];
                    for taken in takers.iter().filter_map(|&t| regions[t].as_ref()).flatten() {
                        let mut rest = Vec::new();
                        for p in &left {
                            rest.extend(space::subtract(p, taken, always).unwrap_or_default());
                        }
                        left = rest;
                        if left.is_empty() || left.len() > space::MAX_BOXES {
                            break;
                        }
                    }
                    let found = left.iter().find_map(|l| {
                        let example = example::conversation(l, ruleset)?;
                        let decision = decide(graph, &example)?;
                        decision.rule.is_none().then_some((l.clone(), example))
                    });
                    if let Some((left, example)) = found {
                        // Shown as the rule's own tests, with this value changed.
                        let shown: Region = left
                            .into_iter()
                            .filter(|(d, _)| region.contains_key(d))
                            .collect();
                        out.push(gap(ruleset, r, dim, &shown, &example));
                        break;
                    }
                }
            }
        }
    }
    out
}

fn gap(ruleset: &Ruleset, r: usize, dim: &Dim, region: &Region, example: &Json) -> Diagnostic {
    let rule = &ruleset.rules[r];
    let d = Diagnostic::new(
        Code::W0308,
        format!(
            "no rule routes conversations where {}: `{}` takes them only when {}, and they fall to the default ({})",
            describe(ruleset, region),
            rule.name,
            describe_one(
                ruleset,
                dim,
                &space::rule_region(ruleset, &rule.when, rule.unless.as_ref())
                    .and_then(|b| b.into_iter().find_map(|b| b.get(dim).cloned()))
                    .unwrap_or(Domain::Truth(true))
            ),
            place(ruleset, &ruleset.default)
        ),
    );
    rule_label(d, ruleset, r, "the nearest rule").help(format!(
        "if these conversations need a person too, widen this rule or add one; an example the default decides: {}",
        shown(example)
    ))
}

/// A region in rule words: `customer.tier is "free" and sentiment < -0.6`.
fn describe(ruleset: &Ruleset, region: &Region) -> String {
    region
        .iter()
        .filter(|(d, _)| !matches!(d, Dim::Opaque(_)))
        .map(|(d, domain)| describe_one(ruleset, d, domain))
        .collect::<Vec<_>>()
        .join(" and ")
}

fn describe_one(ruleset: &Ruleset, dim: &Dim, domain: &Domain) -> String {
    let name = match dim {
        Dim::Field(id) => ruleset.fields[*id as usize].path.clone(),
        Dim::Signal(s) => s.name().to_string(),
        Dim::Opaque(text) => text.clone(),
    };
    let quoted = |set: &std::collections::BTreeSet<String>| {
        set.iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let number = |n: f64| crate::check::ir::Value::Number(n).to_string();
    match domain {
        Domain::Truth(true) => name,
        Domain::Truth(false) => format!("not {name}"),
        Domain::Among(set) if set.len() == 1 => format!("{name} is {}", quoted(set)),
        Domain::Among(set) => format!("{name} in [{}]", quoted(set)),
        Domain::Except(set) if set.len() == 1 => format!("{name} is not {}", quoted(set)),
        Domain::Except(set) => format!("{name} not in [{}]", quoted(set)),
        Domain::Number(i) => {
            let natural = space::natural(dim, ruleset);
            let (lo_natural, hi_natural) = match natural {
                Some(Domain::Number(n)) => (n.lo.at, n.hi.at),
                _ => (f64::NEG_INFINITY, f64::INFINITY),
            };
            let low = (i.lo.at.is_finite()
                && (i.lo.at > lo_natural || (i.lo.at == lo_natural && !i.lo.closed)))
                .then(|| {
                    format!(
                        "{name} {} {}",
                        if i.lo.closed { ">=" } else { ">" },
                        number(i.lo.at)
                    )
                });
            let high = (i.hi.at.is_finite()
                && (i.hi.at < hi_natural || (i.hi.at == hi_natural && !i.hi.closed)))
                .then(|| {
                    format!(
                        "{name} {} {}",
                        if i.hi.closed { "<=" } else { "<" },
                        number(i.hi.at)
                    )
                });
            match (low, high) {
                _ if i.lo.at == i.hi.at => format!("{name} == {}", number(i.lo.at)),
                (Some(l), Some(h)) => format!("{l} and {h}"),
                (Some(l), None) => l,
                (None, Some(h)) => h,
                (None, None) => format!("{name} is anything"),
            }
        }
    }
}
