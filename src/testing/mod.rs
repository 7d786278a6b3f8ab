//! `baton test` as data: a ruleset's `test` blocks run against their
//! conversations, example conversations compared with their stored decision
//! snapshots, which rules the two reach, and the verdict. Reading the given
//! files and the snapshots, asking a reviewer and writing files are the
//! command line's job (`cli/test.rs`); everything here is pure.

pub mod cases;
pub mod coverage;
pub mod report;
pub mod snapshot;

use serde_json::Value as Json;

use crate::compile::RuleGraph;
use crate::runtime::time::{Millis, parse_rfc3339};
use crate::runtime::{self, Options};
pub use cases::{CaseResult, GivenFile, Mismatch, Outcome};
pub use coverage::Coverage;
pub use snapshot::DiffLine;

/// When a conversation is decided in a test or a snapshot: at the time of
/// its latest message, so `waiting` and the brief do not depend on the day
/// the tests run. `None` when no message has a time.
pub fn decided_at(conversation: &Json) -> Option<Millis> {
    conversation
        .get("messages")?
        .as_array()?
        .iter()
        .filter_map(|m| m.get("at")?.as_str().and_then(parse_rfc3339))
        .max()
}

/// How an example conversation compares with its snapshot.
#[derive(Clone, Debug)]
pub enum SnapshotStatus {
    /// The decision is the one stored.
    Unchanged,
    /// The decision differs from the one stored.
    Changed(Vec<DiffLine>),
    /// No snapshot is stored yet.
    New,
    /// A snapshot is stored but its conversation is gone.
    Stale,
    /// The conversation could not be decided.
    Broken(String),
}

/// What a reviewer said of a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Review {
    /// Keep the new decision: the snapshot is rewritten (or removed, when stale).
    Accepted,
    /// The change is wrong: the snapshot stays, and the rules need a fix.
    Rejected,
    /// Left for later.
    Skipped,
}

/// One example conversation and its snapshot.
#[derive(Clone, Debug)]
pub struct SnapshotResult {
    /// The conversation file, as shown to people.
    pub conversation: String,
    /// The snapshot file, as shown to people.
    pub snapshot: String,
    /// How they compare.
    pub status: SnapshotStatus,
    /// What the reviewer said, when asked.
    pub review: Option<Review>,
    /// The snapshot of the decision made now, when there is one.
    pub fresh: Option<String>,
    /// The rule that decided; `None` for the default (or no decision).
    pub rule: Option<String>,
}

impl SnapshotResult {
    /// Whether this snapshot needs someone's attention: changed, new or
    /// stale, and not reviewed yet.
    pub fn needs_review(&self) -> bool {
        matches!(
            self.status,
            SnapshotStatus::Changed(_) | SnapshotStatus::New | SnapshotStatus::Stale
        ) && self.review != Some(Review::Accepted)
    }
}

/// Decides the conversation `conversation` (the JSON of `conversation_name`)
/// and compares it with the `stored` snapshot: its text, `None` when there
/// is none, or why it could not be read.
pub fn compare_snapshot(
    graph: &RuleGraph,
    conversation_name: &str,
    snapshot_name: &str,
    conversation: Result<Json, String>,
    stored: Result<Option<&str>, String>,
) -> SnapshotResult {
    let mut result = SnapshotResult {
        conversation: conversation_name.to_string(),
        snapshot: snapshot_name.to_string(),
        status: SnapshotStatus::Unchanged,
        review: None,
        fresh: None,
        rule: None,
    };
    let (json, stored) = match (conversation, stored) {
        (Ok(json), Ok(stored)) => (json, stored),
        (Err(e), _) => {
            result.status = SnapshotStatus::Broken(e);
            return result;
        }
        (_, Err(e)) => {
            result.status = SnapshotStatus::Broken(format!("its snapshot {snapshot_name} {e}"));
            return result;
        }
    };
    let options = Options {
        now: decided_at(&json),
        explain: false,
    };
    let decision = match runtime::decide(graph, &json, &options) {
        Ok(d) => d,
        Err(e) => {
            result.status = SnapshotStatus::Broken(format!("{} ({})", e.message, e.code.as_str()));
            return result;
        }
    };
    let fresh = snapshot::render(&decision);
    result.status = match stored {
        None => SnapshotStatus::New,
        Some(stored) => match snapshot::compare(stored, &fresh) {
            None => SnapshotStatus::Unchanged,
            Some(diff) => SnapshotStatus::Changed(diff),
        },
    };
    result.rule = decision.rule.map(|r| r.name);
    result.fresh = Some(fresh);
    result
}

/// A stored snapshot whose conversation is gone.
pub fn stale_snapshot(conversation_name: &str, snapshot_name: &str) -> SnapshotResult {
    SnapshotResult {
        conversation: conversation_name.to_string(),
        snapshot: snapshot_name.to_string(),
        status: SnapshotStatus::Stale,
        review: None,
        fresh: None,
        rule: None,
    }
}

/// Everything one `baton test` found.
#[derive(Clone, Debug)]
pub struct Run {
    /// Where the rules are, as the person gave them.
    pub rules: String,
    /// The `test` blocks, in the order written.
    pub tests: Vec<CaseResult>,
    /// Where the example conversations are, when snapshots were compared.
    pub snapshots_dir: Option<String>,
    /// The example conversations, in path order.
    pub snapshots: Vec<SnapshotResult>,
    /// Which rules the tests and snapshots reach, when asked for.
    pub coverage: Option<Coverage>,
    /// The least coverage accepted, in percent.
    pub min_coverage: Option<f64>,
    /// Whether new and stale snapshots fail (as in continuous integration).
    pub ci: bool,
    /// Why no snapshots were compared, when none were and none were asked
    /// to be left out.
    pub no_snapshots_because: Option<String>,
}

/// The counts a summary line shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Tests that passed.
    pub passed: usize,
    /// Tests that failed.
    pub failed: usize,
    /// Tests that could not run.
    pub broken: usize,
    /// Snapshots unchanged.
    pub unchanged: usize,
    /// Snapshots changed and not accepted.
    pub changed: usize,
    /// Conversations without a snapshot, not accepted.
    pub new: usize,
    /// Snapshots without a conversation, not accepted.
    pub stale: usize,
    /// Conversations that could not be decided.
    pub unreadable: usize,
    /// Snapshots accepted in this run.
    pub accepted: usize,
}

impl Run {
    /// How many of each.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for t in &self.tests {
            match t.outcome {
                Outcome::Passed => c.passed += 1,
                Outcome::Failed(_) => c.failed += 1,
                Outcome::Broken(_) => c.broken += 1,
            }
        }
        for s in &self.snapshots {
            if s.review == Some(Review::Accepted) {
                c.accepted += 1;
                continue;
            }
            match s.status {
                SnapshotStatus::Unchanged => c.unchanged += 1,
                SnapshotStatus::Changed(_) => c.changed += 1,
                SnapshotStatus::New => c.new += 1,
                SnapshotStatus::Stale => c.stale += 1,
                SnapshotStatus::Broken(_) => c.unreadable += 1,
            }
        }
        c
    }

    /// Whether the coverage is under the least accepted.
    pub fn coverage_too_low(&self) -> bool {
        match (&self.coverage, self.min_coverage) {
            (Some(c), Some(min)) => c.percent() < min,
            _ => false,
        }
    }

    /// Whether everything passed: every test, every snapshot unchanged or
    /// accepted (new and stale ones only fail under `ci`), enough coverage.
    pub fn passed(&self) -> bool {
        let c = self.counts();
        c.failed + c.broken + c.changed + c.unreadable == 0
            && (!self.ci || c.new + c.stale == 0)
            && !self.coverage_too_low()
    }
}
