//! The ruleset in force, replaced atomically when the rule files change and
//! the new files check without error. A failed reload leaves the last good
//! ruleset deciding and keeps its diagnostics for whoever asks. A caller
//! takes one snapshot per decision, so one conversation is always decided
//! entirely by one ruleset.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;

use crate::diagnostic::Diagnostics;
use crate::limits::Limits;
use crate::rules::{LoadFailure, Rules, clock_now};
use crate::runtime::time::Millis;

/// A ruleset in force, and where and when it came from.
#[derive(Debug)]
pub struct Snapshot {
    /// The checked, compiled rules.
    pub rules: Rules,
    /// When they were loaded (milliseconds since 1970 UTC).
    pub loaded_at: Millis,
    /// The rule files, in rule order.
    pub files: Vec<String>,
}

/// How the last reload went.
#[derive(Debug)]
pub struct Report {
    /// When it happened.
    pub at: Millis,
    /// What set it off: `start`, `change`, `SIGHUP`, ...
    pub trigger: String,
    /// Whether the new rules are now in force.
    pub ok: bool,
    /// The ruleset in force after it.
    pub hash: String,
    /// The new rules' diagnostics (errors when it failed; warnings otherwise).
    pub diagnostics: Diagnostics,
    /// A path that could not be read, when that is why it failed.
    pub error: Option<String>,
}

/// The ruleset in force, replaceable while it is being used.
pub struct Live {
    paths: Vec<PathBuf>,
    limits: Limits,
    current: ArcSwap<Snapshot>,
    last: ArcSwap<Report>,
    reloading: Mutex<()>,
    succeeded: AtomicU64,
    failed: AtomicU64,
}

impl Live {
    /// Loads the rules at `paths` for the first time. Failing here is final:
    /// there is no last good ruleset to fall back on.
    pub fn start(paths: Vec<PathBuf>, limits: Limits) -> Result<Live, LoadFailure> {
        let rules = Rules::load(&paths, &limits)?;
        let snapshot = snapshot(rules);
        let report = Report {
            at: snapshot.loaded_at,
            trigger: "start".to_string(),
            ok: true,
            hash: snapshot.rules.hash().to_string(),
            diagnostics: snapshot.rules.warnings().clone(),
            error: None,
        };
        Ok(Live {
            paths,
            limits,
            current: ArcSwap::from_pointee(snapshot),
            last: ArcSwap::from_pointee(report),
            reloading: Mutex::new(()),
            succeeded: AtomicU64::new(1),
            failed: AtomicU64::new(0),
        })
    }

    /// The ruleset in force: hold on to it for a whole decision.
    pub fn current(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// How the last reload (or the first load) went.
    pub fn last(&self) -> Arc<Report> {
        self.last.load_full()
    }

    /// Reloads (first load included) that succeeded and that failed.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.succeeded.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed),
        )
    }

    /// The paths the rules are read from.
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// Reads, checks and compiles the whole ruleset again; puts it in force
    /// only when it has no error. Reloads run one at a time.
    pub fn reload(&self, trigger: &str) -> Arc<Report> {
        let _one_at_a_time = self
            .reloading
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let report = match Rules::load(&self.paths, &self.limits) {
            Ok(rules) => {
                let snapshot = snapshot(rules);
                let report = Report {
                    at: snapshot.loaded_at,
                    trigger: trigger.to_string(),
                    ok: true,
                    hash: snapshot.rules.hash().to_string(),
                    diagnostics: snapshot.rules.warnings().clone(),
                    error: None,
                };
                self.current.store(Arc::new(snapshot));
                self.succeeded.fetch_add(1, Ordering::Relaxed);
                report
            }
            Err(failure) => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                let (diagnostics, error) = match failure {
                    LoadFailure::Invalid(d) => (d, None),
                    LoadFailure::Read(e) => (Diagnostics::new(), Some(e.to_string())),
                };
                Report {
                    at: clock_now(),
                    trigger: trigger.to_string(),
                    ok: false,
                    hash: self.current.load().rules.hash().to_string(),
                    diagnostics,
                    error,
                }
            }
        };
        let report = Arc::new(report);
        self.last.store(report.clone());
        log(&report);
        report
    }
}

fn snapshot(rules: Rules) -> Snapshot {
    let files = rules
        .graph()
        .ruleset
        .sources
        .iter()
        .map(|(_, f)| f.name().to_string())
        .collect();
    Snapshot {
        rules,
        loaded_at: clock_now(),
        files,
    }
}

fn log(report: &Report) {
    if report.ok {
        tracing::info!(
            trigger = %report.trigger,
            ruleset = %report.hash,
            warnings = report.diagnostics.warnings(),
            "rules reloaded"
        );
        return;
    }
    let problems: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            let place = d.primary().map_or(String::new(), |l| {
                let (line, column) = l.line_col();
                format!("{}:{line}:{column}: ", l.source.name())
            });
            format!("{place}{} {}", d.code, d.message)
        })
        .chain(report.error.clone())
        .collect();
    tracing::warn!(
        trigger = %report.trigger,
        ruleset = %report.hash,
        errors = report.diagnostics.errors(),
        problems = %problems.join("; "),
        "rules not reloaded; the last good rules stay in force"
    );
}
