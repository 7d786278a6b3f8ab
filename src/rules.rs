//! The library's front door: load a ruleset (from files or text), check and
//! compile it, and decide conversations with it. Reading files and the
//! clock happen here, at the edge; the stages behind it stay pure.

use std::fmt;
use std::path::PathBuf;

use serde_json::Value as Json;

use crate::compile::{RuleGraph, compile_beside};
use crate::diagnostic::{Diagnostics, render_plain};
use crate::limits::Limits;
use crate::reload::{LoadError, load_paths_within};
use crate::runtime::{self, Decision, InputError, Options, time::Millis};
use crate::source::{SourceFile, Sources};

/// Rules from which the lints run on a thread of their own beside
/// compiling; below it, starting a thread costs more than it saves.
const LINTS_BESIDE: usize = 500;

/// A checked, compiled ruleset, ready to decide.
#[derive(Debug)]
pub struct Rules {
    graph: RuleGraph,
    warnings: Diagnostics,
    limits: Limits,
}

/// Why a ruleset could not be loaded.
#[derive(Debug)]
pub enum LoadFailure {
    /// A path could not be read.
    Read(LoadError),
    /// The rules have errors (and perhaps warnings), all listed.
    Invalid(Diagnostics),
}

impl fmt::Display for LoadFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadFailure::Read(e) => write!(f, "{e}"),
            LoadFailure::Invalid(diagnostics) => {
                for d in diagnostics {
                    writeln!(f, "{}", render_plain(d))?;
                }
                write!(f, "the rules have {} error(s)", diagnostics.errors())
            }
        }
    }
}

impl std::error::Error for LoadFailure {}

impl Rules {
    /// Loads the rule files and folders at `paths` (folders are read
    /// recursively for `*.baton`, in byte order of their paths).
    pub fn load(paths: &[PathBuf], limits: &Limits) -> Result<Rules, LoadFailure> {
        let loaded = load_paths_within(paths, limits).map_err(LoadFailure::Read)?;
        Rules::build(loaded.sources, loaded.diagnostics, limits)
    }

    /// Loads rules written in `text`, shown in diagnostics as `name`.
    pub fn from_text(name: &str, text: &str) -> Result<Rules, LoadFailure> {
        let mut sources = Sources::new();
        sources.add(SourceFile::new(name, text));
        Rules::build(sources, Diagnostics::new(), &Limits::default())
    }

    /// Checks and compiles rule files already read.
    pub fn build(
        sources: Sources,
        mut diagnostics: Diagnostics,
        limits: &Limits,
    ) -> Result<Rules, LoadFailure> {
        let (ruleset, lints) = crate::check::check_sources_before_lints(&sources, limits);
        if lints.has_errors() || diagnostics.has_errors() {
            diagnostics.extend(lints.run(&ruleset));
            return Err(LoadFailure::Invalid(diagnostics));
        }
        // The lints only warn, so they run beside compiling.
        let (graph, warnings) = compile_beside(ruleset, LINTS_BESIDE, |r| lints.run(r));
        diagnostics.extend(warnings);
        Ok(Rules {
            graph,
            warnings: diagnostics,
            limits: limits.clone(),
        })
    }

    /// Decides one conversation. Without `options.now`, `waiting` is
    /// measured to the current time of the system clock.
    /// Arrays and objects may nest at most `max_json_depth` levels (E0406).
    pub fn decide(&self, conversation: &Json, options: &Options) -> Result<Decision, InputError> {
        runtime::check_depth(conversation, self.limits.max_json_depth)?;
        runtime::decide(&self.graph, conversation, &with_clock(options))
    }

    /// Decides one conversation given as JSON text, of at most
    /// `max_conversation_bytes` (error E0405 otherwise) and
    /// `max_json_depth` levels of nesting (E0406).
    pub fn decide_str(
        &self,
        conversation: &str,
        options: &Options,
    ) -> Result<Decision, InputError> {
        too_large(conversation.len(), &self.limits)?;
        runtime::decide_str(
            &self.graph,
            conversation,
            self.limits.max_json_depth,
            &with_clock(options),
        )
    }

    /// Which rule decides a conversation, by its place in the rules (in
    /// evaluation order; `None` when the default decides), without building
    /// the rest of the decision. Without `options.now`, `waiting` is
    /// measured to the system clock.
    pub fn first_match(
        &self,
        conversation: &Json,
        options: &Options,
    ) -> Result<Option<usize>, InputError> {
        runtime::first_match(&self.graph, conversation, &with_clock(options))
    }

    /// Reads a conversation once, for [`Rules::first_match_prepared`]:
    /// its messages and every field these rules read. For routing the
    /// same conversation many times, and for measuring rule evaluation
    /// alone.
    pub fn prepare<'c>(&self, conversation: &'c Json) -> Result<runtime::Prepared<'c>, InputError> {
        runtime::prepare(&self.graph, conversation)
    }

    /// [`Rules::first_match`] on a conversation these rules prepared.
    pub fn first_match_prepared(
        &self,
        prepared: &runtime::Prepared<'_>,
        options: &Options,
    ) -> Option<usize> {
        runtime::first_match_prepared(&self.graph, prepared, &with_clock(options))
    }

    /// The value of every built-in signal of a conversation, by name
    /// (`sentiment`, `loops`, ...); those it does not have are left out.
    pub fn signal_values(
        &self,
        conversation: &Json,
        options: &Options,
    ) -> Result<serde_json::Map<String, Json>, InputError> {
        runtime::signal_values(conversation, &with_clock(options))
    }

    /// The limits the rules were loaded with, which their decisions keep to.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The compiled rule graph.
    pub fn graph(&self) -> &RuleGraph {
        &self.graph
    }

    /// The warnings found while checking the rules.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// Which rule files these are: `sha256:...`, as every decision names it.
    pub fn hash(&self) -> &str {
        &self.graph.hash
    }
}

/// Error E0405 when `bytes` is over the conversation size limit.
pub fn too_large(bytes: usize, limits: &Limits) -> Result<(), InputError> {
    if bytes <= limits.max_conversation_bytes {
        return Ok(());
    }
    Err(InputError {
        code: crate::diagnostic::Code::E0405,
        message: format!(
            "this conversation is {bytes} bytes, more than the {} bytes a conversation may have",
            limits.max_conversation_bytes
        ),
    })
}

fn with_clock(options: &Options) -> Options {
    Options {
        now: options.now.or_else(|| Some(clock_now())),
        ..options.clone()
    }
}

/// The current time of the system clock, in milliseconds since 1970 UTC.
pub fn clock_now() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as Millis)
}
