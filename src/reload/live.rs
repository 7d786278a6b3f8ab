//! The ruleset in force, replaced atomically when the rule files change and
//! the new files check without error. A failed reload leaves the last good
//! ruleset deciding and keeps its diagnostics for whoever asks. A caller
//! takes one snapshot per decision, so one conversation is always decided
//! entirely by one ruleset.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;

use super::files::LoadError;
use crate::diagnostic::Diagnostics;
use crate::limits::Limits;
use crate::rules::{LoadFailure, Rules, clock_now};
use crate::runtime::time::Millis;

/// How long a reload waits, at most, for rule files caught in the middle
/// of a save. A file is empty for a moment while most editors and scripts
/// save it (cut to nothing, then written), and missing for a moment when it
/// is deleted and created again: rules read in that moment would be a
/// ruleset without that file's rules, which may check clean and decide
/// wrongly, or a failed reload for a file about to be back. Files still
/// empty or missing after this are taken as they are.
pub const EMPTY_WAIT: Duration = Duration::from_millis(500);

/// How often a reload looks again at files caught in the middle of a save.
const EMPTY_LOOK: Duration = Duration::from_millis(20);

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
        let report = match self.load_written() {
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

impl Live {
    /// Reads, checks and compiles the rules; while one of their files is
    /// empty or missing, reads them again a little later, up to
    /// [`EMPTY_WAIT`].
    fn load_written(&self) -> Result<Rules, LoadFailure> {
        let deadline = Instant::now() + EMPTY_WAIT;
        loop {
            let loaded = Rules::load(&self.paths, &self.limits);
            if !mid_save(&loaded) || Instant::now() >= deadline {
                return loaded;
            }
            std::thread::sleep(EMPTY_LOOK);
        }
    }
}

/// Whether rules were read while a file was being saved: a rule file empty,
/// or a path or file missing.
fn mid_save(loaded: &Result<Rules, LoadFailure>) -> bool {
    match loaded {
        Ok(rules) => {
            let sources = &rules.graph().ruleset.sources;
            sources.iter().any(|(_, file)| file.text().is_empty())
        }
        Err(LoadFailure::Read(LoadError::NotFound(_) | LoadError::NoRuleFiles(_))) => true,
        Err(LoadFailure::Read(LoadError::Io(_, e))) => e.kind() == std::io::ErrorKind::NotFound,
        Err(LoadFailure::Invalid(_)) => false,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::Options;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("baton-live-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    }

    fn version(v: &str) -> String {
        format!("queue tier1\nrule \"r\" when turns >= 1 then handoff to tier1 tag \"{v}\"\n")
    }

    /// The tags the rules in force give a conversation of one message.
    fn tags(live: &Live) -> Vec<String> {
        let conversation = r#"{"messages":[{"role":"customer","text":"hi"}]}"#;
        let decision = live
            .current()
            .rules
            .decide_str(conversation, &Options::default())
            .expect("decided");
        decision.tags
    }

    /// Reloads while `file` gets version `v` of the rules a moment later.
    fn reload_while_written(live: &Live, file: &std::path::Path, v: &str) -> Arc<Report> {
        let writer = {
            let (file, text) = (file.to_path_buf(), version(v));
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(100));
                std::fs::write(&file, text).expect("write");
            })
        };
        let report = live.reload("change");
        writer.join().expect("the writer finishes");
        report
    }

    #[test]
    fn rules_caught_in_the_middle_of_a_save_are_read_again_once_saved() {
        let dir = scratch("saving");
        let file = dir.join("rules.baton");
        std::fs::write(&file, version("v1")).expect("write");
        let live = Live::start(vec![dir.clone()], Limits::default()).expect("v1 loads");
        assert_eq!(tags(&live), ["v1"]);

        // Cut to nothing, as a save starts; written a moment later.
        std::fs::write(&file, "").expect("truncate");
        let report = reload_while_written(&live, &file, "v2");
        assert!(report.ok);
        assert_eq!(tags(&live), ["v2"], "the saved rules, not an empty file's");
        assert_eq!(live.counts(), (2, 0));

        // Deleted and created again: the folder is without rule files for a
        // moment.
        std::fs::remove_file(&file).expect("remove");
        let report = reload_while_written(&live, &file, "v3");
        assert!(report.ok, "no failed reload for a file about to be back");
        assert_eq!(tags(&live), ["v3"]);
        assert_eq!(live.counts(), (3, 0));

        // A file that stays empty is taken as it is, once the wait is over.
        std::fs::write(&file, "").expect("truncate");
        let report = live.reload("change");
        assert!(report.ok);
        assert!(
            tags(&live).is_empty(),
            "no rule is left to tag the decision"
        );

        // A folder left without rule files fails the reload once the wait
        // is over, and the last good rules stay.
        std::fs::write(&file, version("v4")).expect("write");
        assert!(live.reload("change").ok);
        std::fs::remove_file(&file).expect("remove");
        let report = live.reload("change");
        assert!(!report.ok);
        assert_eq!(tags(&live), ["v4"]);
        assert_eq!(live.counts(), (5, 1));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
