//! Which rules the tests and snapshots reach: for each rule, how many of
//! them it decided, and the rules nothing reaches.

use super::{CaseResult, SnapshotResult};
use crate::compile::RuleGraph;

/// How much of a ruleset the tests and snapshots reach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage {
    /// Every rule, in evaluation order.
    pub rules: Vec<RuleCoverage>,
    /// How many tests the default decided.
    pub default_tests: usize,
    /// How many snapshots the default decided.
    pub default_snapshots: usize,
}

/// One rule's share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleCoverage {
    /// The rule's name.
    pub name: String,
    /// The file it is written in.
    pub file: String,
    /// The line it starts on.
    pub line: usize,
    /// How many tests it decided.
    pub tests: usize,
    /// How many snapshots it decided.
    pub snapshots: usize,
}

impl RuleCoverage {
    /// Whether any test or snapshot reaches it.
    pub fn reached(&self) -> bool {
        self.tests + self.snapshots > 0
    }
}

impl Coverage {
    /// How many rules something reaches.
    pub fn reached(&self) -> usize {
        self.rules.iter().filter(|r| r.reached()).count()
    }

    /// The share of rules something reaches, in percent (100 for no rules).
    pub fn percent(&self) -> f64 {
        if self.rules.is_empty() {
            return 100.0;
        }
        100.0 * self.reached() as f64 / self.rules.len() as f64
    }
}

/// The coverage of `graph`'s rules by `tests` and `snapshots`.
pub fn coverage(graph: &RuleGraph, tests: &[CaseResult], snapshots: &[SnapshotResult]) -> Coverage {
    let mut rules: Vec<RuleCoverage> = graph
        .ruleset
        .rules
        .iter()
        .map(|r| RuleCoverage {
            name: r.name.clone(),
            file: r.file.clone(),
            line: r.line,
            tests: 0,
            snapshots: 0,
        })
        .collect();
    let (mut default_tests, mut default_snapshots) = (0, 0);
    let mut count = |decider: Option<&str>, snapshot: bool| {
        let counter = match decider.and_then(|name| rules.iter_mut().find(|r| r.name == name)) {
            Some(rule) if snapshot => &mut rule.snapshots,
            Some(rule) => &mut rule.tests,
            None if snapshot => &mut default_snapshots,
            None => &mut default_tests,
        };
        *counter += 1;
    };
    for t in tests {
        if let Some(d) = &t.decision {
            count(d.rule.as_ref().map(|r| r.name.as_str()), false);
        }
    }
    for s in snapshots {
        if s.fresh.is_some() {
            count(s.rule.as_deref(), true);
        }
    }
    Coverage {
        rules,
        default_tests,
        default_snapshots,
    }
}
