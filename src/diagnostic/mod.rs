//! One shape for every problem baton reports: a code, a severity, a message in
//! the rule writer's words, labelled spans and a `help` with the fix.
//!
//! Each label carries its own source file, so a diagnostic renders on its own,
//! wherever it travels (a log line, an HTTP answer, a terminal).

mod codes;
mod render;
mod suggest;

use std::sync::Arc;

pub use codes::{Code, Severity};
pub use render::{render_human, render_json, render_plain};
pub use suggest::{did_you_mean, suggest};

use crate::source::{SourceFile, Sources, Span};

/// A span of one file with a short text shown beside it.
#[derive(Clone, Debug)]
pub struct Label {
    /// The file the span lies in.
    pub source: Arc<SourceFile>,
    /// The byte offset where the span starts.
    pub offset: usize,
    /// The number of bytes covered (zero points between two characters).
    pub length: usize,
    /// What the label says, e.g. "not declared"; may be empty.
    pub text: String,
}

impl Label {
    /// The 1-based line and column where the label starts.
    pub fn line_col(&self) -> (usize, usize) {
        self.source.line_col(self.offset)
    }
}

/// A problem found in a ruleset.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// The stable code, e.g. `E0201`.
    pub code: Code,
    /// One line, lower case, no trailing period.
    pub message: String,
    /// Where: the first label is the primary one; the others add context.
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with a code and a message; its severity comes from the code.
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    /// Adds a label on `span` of a file in `sources`.
    pub fn label(self, sources: &Sources, span: Span, text: impl Into<String>) -> Diagnostic {
        let source = sources.get(span.file).clone();
        self.label_in(&source, span.start as usize, span.len(), text)
    }

    /// Adds a label on a byte range of `source`.
    pub fn label_in(
        mut self,
        source: &Arc<SourceFile>,
        offset: usize,
        length: usize,
        text: impl Into<String>,
    ) -> Diagnostic {
        let len = source.text().len();
        let offset = offset.min(len);
        self.labels.push(Label {
            source: source.clone(),
            offset,
            length: length.min(len - offset),
            text: text.into(),
        });
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line when there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    /// Error or warning, as the code says.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// The primary label, if the diagnostic points anywhere.
    pub fn primary(&self) -> Option<&Label> {
        self.labels.first()
    }
}

/// The diagnostics of a run, in the order they were found.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No diagnostics yet.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Records one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records all of `other`.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// How many errors there are.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// How many warnings there are.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    fn count(&self, severity: Severity) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity() == severity)
            .count()
    }

    /// Sorts by file order, then position, keeping the order of equal places, so
    /// the report reads top to bottom whichever stage found each problem.
    pub fn sort(&mut self, sources: &Sources) {
        let rank = |d: &Diagnostic| {
            d.primary().map_or((usize::MAX, 0), |l| {
                let file = sources
                    .iter()
                    .position(|(_, f)| Arc::ptr_eq(f, &l.source))
                    .unwrap_or(usize::MAX);
                (file, l.offset)
            })
        };
        self.items.sort_by_key(rank);
    }

    /// The diagnostics, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}
