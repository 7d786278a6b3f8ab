//! Watching the rule files: any change to a `.baton` file (written in
//! place, saved to a temporary file and renamed, deleted and created again,
//! saved several times in a burst) leads, once the changes settle, to one
//! reload of the whole ruleset.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::live::Live;

/// How long the files must be quiet before a reload: long enough to gather
/// an editor's delete-and-create or a burst of saves into one reload.
pub const SETTLE: Duration = Duration::from_millis(100);

/// Watches a live ruleset's files until dropped.
pub struct Watch {
    _debouncer: Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>,
}

/// Starts watching the paths `live` reads its rules from.
pub fn watch(live: Arc<Live>) -> Result<Watch, notify_debouncer_full::notify::Error> {
    let handler_live = live.clone();
    let mut debouncer = new_debouncer(
        SETTLE,
        None,
        move |result: DebounceEventResult| match result {
            Ok(events) => {
                let relevant = events.iter().any(|e| {
                    // Reading the files (as a reload does) is reported on some
                    // systems; only changes count.
                    matches!(
                        e.kind,
                        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                    ) && !matches!(
                        e.kind,
                        EventKind::Modify(
                            notify_debouncer_full::notify::event::ModifyKind::Metadata(_)
                        )
                    ) && e.paths.iter().any(|p| is_rule_file(p) || p.is_dir())
                });
                if relevant {
                    handler_live.reload("change");
                }
            }
            Err(errors) => {
                for e in errors {
                    tracing::warn!(error = %e, "watching the rule files");
                }
            }
        },
    )?;
    for path in live.paths() {
        if path.is_dir() {
            debouncer.watch(path, RecursiveMode::Recursive)?;
        } else {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            debouncer.watch(parent, RecursiveMode::NonRecursive)?;
        }
    }
    Ok(Watch {
        _debouncer: debouncer,
    })
}

fn is_rule_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "baton")
        && !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}
