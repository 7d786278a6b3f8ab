//! The parser driver: one pest call per top-level item, so that after a
//! syntax error it can report the problem, skip to the next item and go on.
//! Every problem in a file is reported at once, not only the first.

use std::sync::Arc;

use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};

use super::ast::Item;
use super::build::Builder;
use super::expected::syntax_error;
use super::fast;
use super::grammar::{BatonParser, Rule};
use super::scan;
use crate::diagnostic::{Code, Diagnostic};
use crate::limits::{Limits, size};
use crate::source::{FileId, SourceFile};

/// The items of one file, in order, with every syntax problem found in it.
#[derive(Debug)]
pub struct ParsedFile {
    /// The file parsed.
    pub file: FileId,
    /// The items that parsed; an item with a syntax error is left out.
    pub items: Vec<Item>,
    /// Syntax errors, in the order of the text.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one rule file. Parsing never fails: what cannot be read is
/// reported and skipped, and the items around it are still returned.
pub fn parse_file(file: FileId, source: &Arc<SourceFile>, limits: &Limits) -> ParsedFile {
    read_file(file, source, limits, true)
}

/// [`parse_file`] with every item read by pest, none by the direct reader
/// of [`fast`]: what the tests and the `parse` fuzz target hold it to.
#[doc(hidden)]
pub fn parse_file_by_grammar(
    file: FileId,
    source: &Arc<SourceFile>,
    limits: &Limits,
) -> ParsedFile {
    read_file(file, source, limits, false)
}

fn read_file(file: FileId, source: &Arc<SourceFile>, limits: &Limits, direct: bool) -> ParsedFile {
    let mut parsed = ParsedFile {
        file,
        items: Vec::new(),
        diagnostics: Vec::new(),
    };
    let text = source.text();
    if text.len() > limits.max_file_bytes {
        parsed
            .diagnostics
            .push(file_too_large(source, text.len(), limits));
        return parsed;
    }
    let starts = scan::item_starts(text);
    let deep = scan::deep_brackets(text, limits.max_nesting, &starts);
    let comments = scan::comment_starts(text);
    let mut errors = 0;
    let mut last_error = None;
    let mut pos = scan::skip_trivia(text, 0);
    while pos < text.len() {
        let next_start = first_after(&starts, pos).unwrap_or(text.len());
        let deeper = deep.get(deep.partition_point(|&at| at < pos)).copied();
        if let Some(at) = deeper.filter(|&at| at < next_start) {
            parsed.diagnostics.push(too_deep(source, at, limits));
            pos = scan::skip_trivia(text, next_start);
            continue;
        }
        // An item may read on past where the next one probably starts (a
        // rule's header on a line of its own before an unindented `when`,
        // a test's transcript line `queue: "..."`): it is read only up to
        // the first bracket nested too deep, and reaching that is E0105,
        // so no item ever recurses into it.
        let limit = deeper.unwrap_or(text.len());
        let readable = &text[..limit];
        if direct && let Some((item, end)) = fast::item(readable, pos, file, limits) {
            parsed.items.push(item);
            pos = scan::skip_trivia(text, end.max(pos + 1));
            continue;
        }
        match BatonParser::parse(Rule::item, &readable[pos..]) {
            Ok(mut pairs) => {
                let Some(pair) = pairs.next() else { break };
                let end = pos + pair.as_span().end();
                let mut builder = Builder {
                    file,
                    source,
                    base: pos,
                    limits,
                    comments: &comments,
                    diagnostics: Vec::new(),
                };
                if let Some(item) = builder.item(pair) {
                    parsed.items.push(item);
                }
                parsed.diagnostics.append(&mut builder.diagnostics);
                pos = scan::skip_trivia(text, end.max(pos + 1));
            }
            Err(error) if limit < text.len() && error_at(&error, pos) >= limit => {
                parsed.diagnostics.push(too_deep(source, limit, limits));
                pos = match first_after(&starts, limit) {
                    Some(resume) => resume,
                    None => break,
                };
            }
            Err(error) => {
                let at = error_at(&error, pos);
                if last_error != Some(at) {
                    errors += 1;
                    if errors > limits.max_syntax_errors {
                        parsed.diagnostics.push(too_many(source, at, limits));
                        break;
                    }
                    let positives = match &error.variant {
                        ErrorVariant::ParsingError { positives, .. } => positives.as_slice(),
                        ErrorVariant::CustomError { .. } => &[],
                    };
                    parsed.diagnostics.push(syntax_error(source, at, positives));
                    last_error = Some(at);
                }
                let line = scan::line_start(text, at);
                pos = match first_after(&starts, pos.max(line.saturating_sub(1))) {
                    Some(resume) => resume,
                    None => break,
                };
            }
        }
    }
    parsed
}

/// A size in bytes as people read it: `812 bytes`, `3.5 KiB`, `8 MiB`.
/// Error E0106: a rule file of `bytes` bytes is over the limit.
pub fn file_too_large(source: &Arc<SourceFile>, bytes: usize, limits: &Limits) -> Diagnostic {
    Diagnostic::new(
        Code::E0106,
        format!(
            "this file holds {}, more than the {} a rule file may hold",
            size(bytes),
            size(limits.max_file_bytes)
        ),
    )
    .label_in(source, 0, 0, "file starts here")
    .help("split the rules over several files in one folder, or raise the limit with `--max-file-size`")
}

/// Where in the file pest's error for the item at `pos` stands.
fn error_at(error: &pest::error::Error<Rule>, pos: usize) -> usize {
    pos + match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((p, _)) => p,
    }
}

/// The first item start after `pos` (starts are in order).
fn first_after(starts: &[usize], pos: usize) -> Option<usize> {
    starts.get(starts.partition_point(|&s| s <= pos)).copied()
}

fn too_deep(source: &Arc<SourceFile>, at: usize, limits: &Limits) -> Diagnostic {
    Diagnostic::new(
        Code::E0105,
        format!(
            "brackets are nested more than {} deep here",
            limits.max_nesting
        ),
    )
    .label_in(source, at, 1, "too deep")
    .help("split the condition into named parts with `let`")
}

fn too_many(source: &Arc<SourceFile>, at: usize, limits: &Limits) -> Diagnostic {
    Diagnostic::new(
        Code::E0113,
        format!(
            "more than {} syntax errors in this file; the rest of it was not read",
            limits.max_syntax_errors
        ),
    )
    .label_in(source, at, 0, "reading stopped here")
    .help("fix the errors above, or check that this is a rule file")
}
