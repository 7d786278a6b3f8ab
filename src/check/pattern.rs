//! `matches` patterns: compiled once at check time, and when one is invalid,
//! the error points inside the pattern at the construct that is wrong.

use regex_syntax::ast::parse::Parser as AstParser;
use regex_syntax::hir::translate::Translator;

use super::ir::Pattern;
use crate::source::Span;
use crate::syntax::ast::Text;

/// Why a pattern did not compile, and where inside it.
pub struct Problem {
    /// One line, in the rule writer's words.
    pub message: String,
    /// The part of the pattern at fault.
    pub span: Span,
    /// What to write beside that part.
    pub label: String,
    /// How to fix it.
    pub help: String,
}

/// Compiles the pattern written in `text`, to at most `max_bytes` of
/// compiled program.
pub fn compile(text: &Text, max_bytes: usize) -> Result<Pattern, Problem> {
    let source = text.value.as_str();
    match regex::RegexBuilder::new(source)
        .size_limit(max_bytes)
        .build()
    {
        Ok(regex) => Ok(Pattern {
            source: source.to_string(),
            regex,
        }),
        Err(regex::Error::CompiledTooBig(_)) => Err(Problem {
            message: format!(
                "this pattern grows to more than {} once compiled, too large to run quickly",
                crate::limits::size(max_bytes)
            ),
            span: text.span,
            label: "too large".into(),
            help: "split it into several simpler `matches` tests joined with `or` (a repeat such as `{1000}` multiplies its size), or raise the limit with `--max-pattern-size`".into(),
        }),
        Err(_) => Err(locate(text)),
    }
}

/// Finds the offending part of a pattern that failed to compile.
fn locate(text: &Text) -> Problem {
    let source = text.value.as_str();
    let (range, what) = match AstParser::new().parse(source) {
        Err(e) => (
            e.span().start.offset..e.span().end.offset,
            e.kind().to_string(),
        ),
        Ok(ast) => match Translator::new().translate(source, &ast) {
            Err(e) => (
                e.span().start.offset..e.span().end.offset,
                e.kind().to_string(),
            ),
            Ok(_) => (0..source.len(), "it cannot be compiled".to_string()),
        },
    };
    Problem {
        message: format!("this pattern is not a valid regular expression: {what}"),
        span: text.span_of(range),
        label: what,
        help: "patterns use Rust regex syntax; to match a character such as `(`, `[`, `+` or `?` itself, put `\\` before it".into(),
    }
}
