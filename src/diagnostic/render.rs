//! Diagnostics as text: `human` (miette, for a terminal), `plain` (no colour,
//! no box drawing, stable enough to snapshot) and `json` (for machines).
//!
//! Rendering builds strings; printing them is the caller's business.

use std::fmt::{self, Write as _};

use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::source::SourceFile;

use super::{Diagnostic, Label, Severity};

/// Renders one diagnostic the way rustc does, without colour:
///
/// ```text
/// error[E0201]: queue `biling` is not declared
///   --> rules/billing.baton:3:39
///    |
///  3 | when sentiment < -0.6 then handoff to biling
///    |                                       ^^^^^^ not declared
///    = help: did you mean `billing`?
/// ```
pub fn render_plain(d: &Diagnostic) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}[{}]: {}", d.severity().as_str(), d.code, d.message);
    let gutter = d
        .labels
        .iter()
        .map(|l| l.line_col().0.to_string().len())
        .max()
        .unwrap_or(1);
    let pad = " ".repeat(gutter);
    let mut previous: Option<&Label> = None;
    for (i, label) in d.labels.iter().enumerate() {
        let (line, column) = label.line_col();
        let same_file = previous.is_some_and(|p| std::sync::Arc::ptr_eq(&p.source, &label.source));
        if i == 0 {
            let _ = writeln!(out, "{pad}--> {}:{line}:{column}", label.source.name());
        } else if !same_file {
            let _ = writeln!(out, "{pad}::: {}:{line}:{column}", label.source.name());
        }
        let _ = writeln!(out, "{pad} |");
        let (text, start, width) = excerpt(label);
        let _ = writeln!(out, "{line:>gutter$} | {text}");
        let mark = if i == 0 { "^" } else { "-" };
        let underline = format!("{}{}", " ".repeat(start), mark.repeat(width.max(1)));
        let note = if label.text.is_empty() {
            String::new()
        } else {
            format!(" {}", label.text)
        };
        let _ = writeln!(out, "{pad} | {underline}{note}");
        previous = Some(label);
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} = help: {help}");
    }
    out
}

/// The label's line as shown (tabs as four spaces, long lines cut around the
/// span), with the display column and width of the underline.
fn excerpt(label: &Label) -> (String, usize, usize) {
    const WINDOW: usize = 100;
    let (line, _) = label.line_col();
    let range = label.source.line_range(line);
    let text = &label.source.text()[range.clone()];
    let start = label.offset.clamp(range.start, range.end) - range.start;
    let end = (label.offset + label.length).clamp(range.start, range.end) - range.start;
    let shown: Vec<char> = text.replace('\t', "    ").chars().collect();
    let col = |byte: usize| display_width(text.get(..byte).unwrap_or(text));
    let (from, to) = (col(start), col(end));
    let width = to.saturating_sub(from);
    if shown.len() <= WINDOW * 2 {
        return (shown.iter().collect(), from, width);
    }
    let first = from.saturating_sub(WINDOW / 2);
    let last = (first + WINDOW * 2).min(shown.len());
    let mut cut: String = shown[first..last].iter().collect();
    let mut start_col = from - first;
    if first > 0 {
        cut.insert_str(0, "...");
        start_col += 3;
    }
    if last < shown.len() {
        cut.push_str("...");
    }
    (cut, start_col, width.min(last.saturating_sub(from)))
}

fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

/// Renders one diagnostic with miette's graphical report: colour when `colour`
/// is set, box drawing always.
pub fn render_human(d: &Diagnostic, colour: bool) -> String {
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    let mut out = String::new();
    let report = MietteView::new(d);
    let _ = handler.render_report(&mut out, &report);
    out
}

/// A diagnostic as miette sees it: labels in the primary label's file are
/// shown on its source; labels in other files become related notes.
#[derive(Debug)]
struct MietteView {
    code: String,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<Shown>,
    labels: Vec<LabeledSpan>,
    related: Vec<MietteView>,
}

impl MietteView {
    fn new(d: &Diagnostic) -> MietteView {
        let severity = match d.severity() {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        };
        let mut view = MietteView {
            code: d.code.to_string(),
            message: d.message.clone(),
            severity,
            help: d.help.clone(),
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        };
        let Some(primary) = d.primary() else {
            return view;
        };
        if let Some(label) = d.labels.iter().find(|l| too_wide(l)) {
            // miette pads and underlines with format widths, which stop at
            // 65,535 columns: such a line is named, not shown.
            let (line, column) = label.line_col();
            view.message = format!(
                "{}\n  at {}:{line}:{column} (the line is too long to show)",
                view.message,
                label.source.name()
            );
            return view;
        }
        view.source = Some(Shown(primary.source.clone()));
        for (i, label) in d.labels.iter().enumerate() {
            let text = (!label.text.is_empty()).then(|| label.text.clone());
            let span = LabeledSpan::new(text, label.offset, label.length);
            if Arc::ptr_eq(&label.source, &primary.source) {
                view.labels.push(if i == 0 {
                    LabeledSpan::new_primary_with_span(
                        span.label().map(str::to_string),
                        *span.inner(),
                    )
                } else {
                    span
                });
            } else {
                view.related.push(MietteView {
                    code: String::new(),
                    message: label.text.clone(),
                    severity: miette::Severity::Advice,
                    help: None,
                    source: Some(Shown(label.source.clone())),
                    labels: vec![LabeledSpan::new(None, label.offset, label.length)],
                    related: Vec::new(),
                });
            }
        }
        view
    }
}

/// The widest line, and the longest label, miette is given to show.
const WIDEST: usize = 10_000;

/// Whether the label, or the line it starts on, is too wide to show.
fn too_wide(label: &Label) -> bool {
    let (line, _) = label.line_col();
    label.length > WIDEST || label.source.line_range(line).len() > WIDEST
}

/// A rule file as miette reads it. miette finds a span's lines by walking
/// the text from its start, which makes many diagnostics in a long file
/// quadratic; this hands it only the lines around the span (found with the
/// file's line table), then puts the offsets and line numbers back.
#[derive(Debug)]
struct Shown(Arc<SourceFile>);

impl SourceCode for Shown {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = &*self.0;
        let text = file.text();
        let name = file.name().to_string();
        // A lone `\r` is a line break to miette but not to the line table.
        if file.has_lone_cr() || span.offset() + span.len() > text.len() {
            let whole =
                text.as_bytes()
                    .read_span(span, context_lines_before, context_lines_after)?;
            return Ok(Box::new(MietteSpanContents::new_named(
                name,
                whole.data(),
                *whole.span(),
                whole.line(),
                whole.column(),
                whole.line_count(),
            )));
        }
        // One line more on each side than asked for, so the window looks to
        // miette exactly like the whole file around the span.
        let first = (file.line_col(span.offset()).0 - 1).saturating_sub(context_lines_before + 1);
        let last = file.line_col(span.offset() + span.len()).0 + context_lines_after + 1;
        let start = file.line_range(first + 1).start;
        let end = if last < file.line_count() {
            file.line_range(last + 1).start
        } else {
            text.len()
        };
        let window = &text.as_bytes()[start..end];
        let local = SourceSpan::new((span.offset() - start).into(), span.len());
        let part = window.read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            name,
            part.data(),
            SourceSpan::new((part.span().offset() + start).into(), part.span().len()),
            part.line() + first,
            part.column(),
            part.line_count() + first,
        )))
    }
}

impl fmt::Display for MietteView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MietteView {}

impl miette::Diagnostic for MietteView {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty()).then(|| Box::new(self.labels.iter().cloned()) as Box<_>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        (!self.related.is_empty())
            .then(|| Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)) as Box<_>)
    }
}

/// The JSON form of a list of diagnostics, as `baton check --format json` prints it:
/// `{"diagnostics":[{"code","severity","message","file","line","column","offset","length","help"}],"errors":N,"warnings":N}`.
pub fn render_json<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> serde_json::Value {
    let mut errors = 0;
    let mut warnings = 0;
    let items: Vec<serde_json::Value> = diagnostics
        .into_iter()
        .map(|d| {
            match d.severity() {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            let place = d.primary().map(|l| {
                let (line, column) = l.line_col();
                (
                    l.source.name().to_string(),
                    line,
                    column,
                    l.offset,
                    l.length,
                )
            });
            serde_json::json!({
                "code": d.code.as_str(),
                "severity": d.severity().as_str(),
                "message": d.message,
                "file": place.as_ref().map(|p| p.0.clone()),
                "line": place.as_ref().map(|p| p.1),
                "column": place.as_ref().map(|p| p.2),
                "offset": place.as_ref().map(|p| p.3),
                "length": place.as_ref().map(|p| p.4),
                "help": d.help,
            })
        })
        .collect();
    serde_json::json!({ "diagnostics": items, "errors": errors, "warnings": warnings })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::SourceFile;
    use std::sync::Arc;

    fn sample() -> Diagnostic {
        let source = Arc::new(SourceFile::new(
            "rules/billing.baton",
            "queue billing\nwhen loops >= 2 then handoff to biling\n",
        ));
        let at = source.text().find("biling").unwrap();
        Diagnostic::new(Code::E0201, "queue `biling` is not declared")
            .label_in(&source, at, 6, "not declared")
            .help("did you mean `billing`?")
    }

    #[test]
    fn plain_points_at_the_span_with_a_caret_line() {
        let text = render_plain(&sample());
        assert_eq!(
            text,
            "error[E0201]: queue `biling` is not declared\n\
             \x20--> rules/billing.baton:2:33\n\
             \x20 |\n\
             2 | when loops >= 2 then handoff to biling\n\
             \x20 |                                 ^^^^^^ not declared\n\
             \x20 = help: did you mean `billing`?\n"
        );
    }

    #[test]
    fn a_line_too_wide_to_show_is_named_not_shown() {
        let source = Arc::new(SourceFile::new(
            "rules/wide.baton",
            format!("when x then continue reason \"{}{{\"\n", "a".repeat(70_000)),
        ));
        let at = source.text().find('{').unwrap();
        let d = Diagnostic::new(Code::E0111, "`{` is not closed in this text").label_in(
            &source,
            at,
            1,
            "opened here, never closed",
        );
        let text = render_human(&d, false);
        assert!(
            text.contains("at rules/wide.baton:1:70030 (the line is too long to show)"),
            "{text}"
        );
        assert!(text.len() < 1_000, "{text}");
    }

    #[test]
    fn human_names_the_file_and_the_code() {
        let text = render_human(&sample(), false);
        assert!(text.contains("E0201"), "{text}");
        assert!(text.contains("rules/billing.baton:2:33"), "{text}");
        assert!(text.contains("did you mean `billing`?"), "{text}");
        assert!(
            !text.contains('\u{1b}'),
            "no colour codes without a terminal"
        );
    }

    #[test]
    fn json_gives_line_column_and_counts() {
        let json = render_json([&sample()]);
        assert_eq!(json["errors"], 1);
        assert_eq!(json["warnings"], 0);
        let d = &json["diagnostics"][0];
        assert_eq!(d["code"], "E0201");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(2), Some(33))
        );
        assert_eq!(d["length"], 6);
    }

    #[test]
    fn the_lines_around_a_span_are_those_of_the_whole_file() {
        // Line breaks of every kind; a lone `\r` breaks a line for miette
        // and not for the file's line table.
        for text in [
            "rule a\r\n  when loops >= 2\r\n  then continue\n\n# note\nrule b\n  when x\n  then handoff to biling\n",
            "rule a\r  when loops >= 2\r\n  then continue\r\r# note\nrule b\n  when x\r",
        ] {
            lines_around_spans_match(text);
        }
    }

    fn lines_around_spans_match(text: &str) {
        let shown = Shown(Arc::new(SourceFile::new("r.baton", text)));
        for offset in 0..text.len() {
            for len in [0, 1, 9] {
                let len = len.min(text.len() - offset);
                let span = SourceSpan::new(offset.into(), len);
                for (before, after) in [(0, 0), (1, 1), (2, 3), (5, 5)] {
                    let whole = text.as_bytes().read_span(&span, before, after).unwrap();
                    let part = shown.read_span(&span, before, after).unwrap();
                    let at = format!("span {offset}+{len}, context {before}/{after}");
                    assert_eq!(part.data(), whole.data(), "{at}");
                    assert_eq!(part.span(), whole.span(), "{at}");
                    assert_eq!(part.line(), whole.line(), "{at}");
                    assert_eq!(part.column(), whole.column(), "{at}");
                    assert_eq!(part.name(), Some("r.baton"), "{at}");
                }
            }
        }
    }
}
