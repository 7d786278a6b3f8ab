//! An index of the rules by the text value they require. In a ruleset of
//! topics (`intent == "refund" and ...`, `intent in ["billing", ...] and
//! ...`), most rules cannot match a given conversation because they name
//! another topic. The index picks the field or signal that the most rules
//! require a value of, and lists for each value the rules that can match
//! when it has that value: the rules requiring it and the rules requiring
//! nothing of it. A conversation then tries only those rules, in order; the
//! others are false for it (the value is there and is not theirs), so the
//! decision is the same.

use std::collections::HashMap;

use crate::check::Ruleset;
use crate::check::ir::{CompareOp, Expr, ExprKind, Ref, Type, Value};
use crate::hash::FxMap;

/// The rules worth trying for each value of one field or signal.
#[derive(Clone, Debug)]
pub struct RuleIndex {
    /// The field or signal the rules are indexed by.
    pub on: Ref,
    /// For each value, in lower case: the rules requiring it, in order.
    pub by_value: FxMap<String, Vec<u32>>,
    /// The rules requiring nothing of it, in order: worth trying whatever
    /// the value.
    pub others: Vec<u32>,
    /// For each value, both lists merged beforehand, when that takes little
    /// memory (a ruleset of many values and many rules merges as it goes).
    pub merged: FxMap<String, Box<[u32]>>,
}

/// The most rule numbers kept merged beforehand, over all values.
const MERGED_MAX: usize = 1 << 20;

impl RuleIndex {
    /// The rules that can match when the indexed value is `value`, in
    /// order: those requiring it merged with those requiring nothing.
    pub fn candidates(&self, value: &str) -> Candidates<'_> {
        let lowered;
        // Not only upper case letters change: title case ones (`ǅ`) do too.
        let changes = if value.is_ascii() {
            value.bytes().any(|b| b.is_ascii_uppercase())
        } else {
            value.chars().any(|c| !c.to_lowercase().eq([c]))
        };
        let key = if changes {
            lowered = lower(value);
            lowered.as_str()
        } else {
            value
        };
        if !self.merged.is_empty() {
            return Candidates {
                a: self.merged.get(key).map_or(self.others.as_slice(), |m| m),
                b: &[],
            };
        }
        Candidates {
            a: self.by_value.get(key).map_or(&[], Vec::as_slice),
            b: &self.others,
        }
    }
}

/// Two ordered lists of rules, read as one ordered list.
#[derive(Clone, Copy, Debug)]
pub struct Candidates<'i> {
    a: &'i [u32],
    b: &'i [u32],
}

impl Iterator for Candidates<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let next = match (self.a.first(), self.b.first()) {
            (Some(&x), Some(&y)) if x < y => {
                self.a = &self.a[1..];
                x
            }
            (_, Some(&y)) => {
                self.b = &self.b[1..];
                y
            }
            (Some(&x), None) => {
                self.a = &self.a[1..];
                x
            }
            (None, None) => return None,
        };
        Some(next as usize)
    }
}

/// Text in lower case, letter by letter, as text comparisons see it.
fn lower(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Rules fewer than this requiring a value of one field are not worth an
/// index.
const MIN_GUARDED: usize = 3;

/// The index of `ruleset`'s rules, when some field or signal is required by
/// enough of them.
pub fn index(ruleset: &Ruleset) -> Option<RuleIndex> {
    let guards: Vec<Vec<(Ref, Vec<String>)>> = ruleset
        .rules
        .iter()
        .map(|rule| {
            let mut found = Vec::new();
            guards(&rule.when, &mut found);
            found
        })
        .collect();
    let mut counts: HashMap<Ref, usize> = HashMap::new();
    for rule in &guards {
        let mut seen = Vec::new();
        for (r, _) in rule {
            if !seen.contains(r) {
                seen.push(*r);
                *counts.entry(*r).or_default() += 1;
            }
        }
    }
    let (on, count) = counts
        .into_iter()
        .max_by_key(|&(r, n)| (n, std::cmp::Reverse(r)))?;
    if count < MIN_GUARDED {
        return None;
    }
    // Each rule's allowed values for `on` (the intersection when it has
    // several guards on it), or `None` when it requires nothing of it.
    let allowed: Vec<Option<Vec<String>>> = guards
        .iter()
        .map(|rule| {
            rule.iter()
                .filter(|(r, _)| *r == on)
                .map(|(_, values)| values.clone())
                .reduce(|a, b| a.into_iter().filter(|v| b.contains(v)).collect())
        })
        .collect();
    let mut by_value: FxMap<String, Vec<u32>> = FxMap::default();
    for (i, values) in allowed.iter().enumerate() {
        for v in values.iter().flatten() {
            let rules = by_value.entry(v.clone()).or_default();
            if rules.last() != Some(&(i as u32)) {
                rules.push(i as u32);
            }
        }
    }
    let others: Vec<u32> = allowed
        .iter()
        .enumerate()
        .filter(|(_, a)| a.is_none())
        .map(|(i, _)| i as u32)
        .collect();
    let total: usize = by_value.values().map(|v| v.len() + others.len()).sum();
    let merged = if total <= MERGED_MAX {
        by_value
            .iter()
            .map(|(value, rules)| {
                let all: Box<[u32]> = Candidates {
                    a: rules,
                    b: &others,
                }
                .map(|i| i as u32)
                .collect();
                (value.clone(), all)
            })
            .collect()
    } else {
        FxMap::default()
    };
    Some(RuleIndex {
        on,
        by_value,
        others,
        merged,
    })
}

/// The values `expr` requires of fields and signals, when it holds: for
/// each `A == "text"` and `A in ["text", ...]` among its `and`ed tests.
fn guards(expr: &Expr, out: &mut Vec<(Ref, Vec<String>)>) {
    let text_ref = |e: &Expr| match e.kind {
        ExprKind::Ref(r @ (Ref::Field(_) | Ref::Signal(_))) if e.ty == Type::Text => Some(r),
        _ => None,
    };
    match &expr.kind {
        ExprKind::And(items) => {
            for item in items {
                guards(item, out);
            }
        }
        ExprKind::Compare(CompareOp::Eq, a, b) => {
            let pair = match (&a.kind, &b.kind) {
                (_, ExprKind::Literal(Value::Text(t))) => text_ref(a).map(|r| (r, t)),
                (ExprKind::Literal(Value::Text(t)), _) => text_ref(b).map(|r| (r, t)),
                _ => None,
            };
            if let Some((r, t)) = pair {
                out.push((r, vec![lower(t)]));
            }
        }
        ExprKind::In {
            negated: false,
            item,
            list,
        } => {
            if let (Some(r), ExprKind::Literal(Value::List(values))) = (text_ref(item), &list.kind)
            {
                let texts: Option<Vec<String>> = values
                    .iter()
                    .map(|v| match v {
                        Value::Text(t) => Some(lower(t)),
                        _ => None,
                    })
                    .collect();
                if let Some(texts) = texts {
                    out.push((r, texts));
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Sources};

    fn index_of(text: &str) -> Option<RuleIndex> {
        let mut sources = Sources::new();
        sources.add(SourceFile::new("t.baton", text));
        let checked = crate::check_sources(&sources, &crate::Limits::default());
        assert!(!checked.diagnostics.has_errors());
        index(&checked.ruleset)
    }

    #[test]
    fn rules_are_listed_under_the_values_they_require() {
        let index = index_of(
            "queue q\n\
             rule \"a\" when intent == \"Refund\" then handoff to q\n\
             rule \"b\" when loops >= 2 then handoff to q\n\
             rule \"c\" when intent in [\"refund\", \"billing\"] and loops >= 1 then handoff to q\n\
             rule \"d\" when \"billing\" == intent then handoff to q\n\
             rule \"e\" when intent == \"billing\" or loops >= 5 then handoff to q\n",
        )
        .expect("an index");
        assert_eq!(index.on, Ref::Signal(crate::check::signals::Signal::Intent));
        let listed = |v: &str| index.candidates(v).collect::<Vec<_>>();
        assert_eq!(listed("REFUND"), [0, 1, 2, 4]);
        assert_eq!(listed("billing"), [1, 2, 3, 4]);
        assert_eq!(listed("shipping"), [1, 4]);
    }

    #[test]
    fn a_ruleset_with_few_such_rules_has_no_index() {
        assert!(index_of("queue q\nrule \"a\" when intent == \"x\" then handoff to q\n").is_none());
    }
}
