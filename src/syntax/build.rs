//! From pest's parse tree of one item to the AST, reporting the mistakes the
//! grammar accepts on purpose (curly quotes, unclosed text, `sla 4`, ...)
//! so that one slip does not hide the rest of the item.

use std::sync::Arc;

use pest::iterators::Pair;

use super::ast::*;
use super::grammar::Rule;
use super::scan;
use super::text::{self, Decoded};
use crate::diagnostic::{Code, Diagnostic};
use crate::limits::Limits;
use crate::source::{FileId, SourceFile, Span};

/// Builds AST nodes from the pairs of one item, collecting diagnostics.
pub struct Builder<'a> {
    /// The file being parsed.
    pub file: FileId,
    /// Its text, for diagnostics.
    pub source: &'a Arc<SourceFile>,
    /// Where the item's slice starts in the file.
    pub base: usize,
    /// Bounds on nesting.
    pub limits: &'a Limits,
    /// Where the file's comments start ([`scan::comment_starts`]).
    pub comments: &'a [usize],
    /// What was found wrong so far.
    pub diagnostics: Vec<Diagnostic>,
}

type P<'i> = Pair<'i, Rule>;

impl Builder<'_> {
    /// The file span of a pair, from its first token to the end of its last:
    /// pest's own span may run on over the white space and comments after it.
    pub fn span(&self, pair: &P<'_>) -> Span {
        self.trimmed(pair.as_span())
    }

    /// The span of pest's span `s`, without the white space and comments
    /// at its end. Kept as pest's until needed: most nodes never need it.
    pub fn trimmed(&self, s: pest::Span<'_>) -> Span {
        let (start, end) = (self.base + s.start(), self.base + s.end());
        Span::new(
            self.file,
            start,
            scan::trim_trivia_end_with(self.source.text(), self.comments, start, end),
        )
    }

    /// Records a diagnostic with one label.
    pub fn report(
        &mut self,
        code: Code,
        message: String,
        span: Span,
        label: &str,
        help: Option<String>,
    ) {
        let d = Diagnostic::new(code, message)
            .label_in(self.source, span.start as usize, span.len(), label)
            .maybe_help(help);
        self.diagnostics.push(d);
    }

    /// Builds one top-level item from an `item` pair.
    pub fn item(&mut self, pair: P<'_>) -> Option<Item> {
        let inner = pair.into_inner().next()?;
        let span = self.span(&inner);
        Some(match inner.as_rule() {
            Rule::queue_decl => Item::Queue(self.queue(inner, span)),
            Rule::field_decl => Item::Field(self.field(inner, span)),
            Rule::let_decl => {
                let (name, value) = self.name_and_expr(inner);
                Item::Let(LetDecl {
                    name: name?,
                    value: value?,
                    span,
                })
            }
            Rule::default_decl => Item::Default(DefaultDecl {
                outcome: self
                    .outcome(inner.into_inner().find(|p| p.as_rule() == Rule::outcome)?)?,
                span,
            }),
            Rule::rule_decl => Item::Rule(self.rule(inner, span)?),
            Rule::test_decl => Item::Test(self.test(inner, span)?),
            _ => return None,
        })
    }

    fn name(&self, pair: &P<'_>) -> Name {
        Name {
            text: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    fn queue(&mut self, pair: P<'_>, span: Span) -> QueueDecl {
        let mut decl = QueueDecl {
            name: Name {
                text: String::new(),
                span,
            },
            description: None,
            sla: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name => decl.name = self.name(&p),
                Rule::string | Rule::curly_string => decl.description = Some(self.text(p).text),
                Rule::sla => {
                    decl.sla = p
                        .into_inner()
                        .nth(1)
                        .and_then(|v| self.duration_after("sla", v))
                }
                _ => {}
            }
        }
        decl
    }

    /// The duration written after `word` (`sla 4h`, `after 20m`); a number
    /// without a unit, or another value, is reported.
    fn duration_after(&mut self, word: &str, value: P<'_>) -> Option<(f64, Span)> {
        let span = self.span(&value);
        let expr = self.literal(value);
        match expr.kind {
            ExprKind::Duration(seconds) => return Some((seconds, span)),
            ExprKind::Error => {}
            ExprKind::Number(n) => self.report(
                Code::E0110,
                format!("`{word} {n}` needs a unit"),
                span,
                "no unit",
                Some(format!(
                    "write `{n}m` for minutes, `{n}h` for hours or `{n}d` for days"
                )),
            ),
            _ => self.report(
                Code::E0110,
                format!("`{word}` needs a duration"),
                span,
                "not a duration",
                Some("write a duration such as `15m`, `4h` or `2d`".into()),
            ),
        }
        None
    }

    fn field(&mut self, pair: P<'_>, span: Span) -> FieldDecl {
        let mut decl = FieldDecl {
            path: Name {
                text: String::new(),
                span,
            },
            ty: TypeExpr {
                list: false,
                name: Name {
                    text: String::new(),
                    span,
                },
                span,
            },
            one_of: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::path => decl.path = self.name(&p),
                Rule::field_type => {
                    decl.ty.span = self.span(&p);
                    for t in p.into_inner().flat_map(|t| {
                        if t.as_rule() == Rule::list_type {
                            decl.ty.list = true;
                            t.into_inner().collect::<Vec<_>>()
                        } else {
                            vec![t]
                        }
                    }) {
                        if t.as_rule() == Rule::type_name {
                            decl.ty.name = self.name(&t);
                        }
                    }
                }
                Rule::one_of => {
                    if let Some(list) = p.into_inner().find(|l| l.as_rule() == Rule::list) {
                        decl.one_of = Some(self.expr_checked(list));
                    }
                }
                _ => {}
            }
        }
        decl
    }

    fn name_and_expr(&mut self, pair: P<'_>) -> (Option<Name>, Option<Expr>) {
        let mut name = None;
        let mut value = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name | Rule::path => name = Some(self.name(&p)),
                Rule::expr | Rule::unary => value = Some(self.expr_checked(p)),
                _ => {}
            }
        }
        (name, value)
    }

    fn rule(&mut self, pair: P<'_>, span: Span) -> Option<RuleDecl> {
        let mut name = None;
        let mut when = None;
        let mut unless = None;
        let mut outcome = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::rule_header => {
                    name = p.into_inner().nth(1).map(|t| self.text(t).text);
                }
                Rule::expr => when = Some(self.expr_checked(p)),
                Rule::unless => {
                    unless = p.into_inner().nth(1).map(|e| self.expr_checked(e));
                }
                Rule::outcome => outcome = self.outcome(p),
                _ => {}
            }
        }
        Some(RuleDecl {
            name,
            when: when?,
            unless,
            outcome: outcome?,
            span,
        })
    }

    fn outcome(&mut self, pair: P<'_>) -> Option<Outcome> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let action = self.action(inner.next()?);
        let modifiers = inner.filter_map(|m| self.modifier(m)).collect();
        Some(Outcome {
            action,
            modifiers,
            span,
        })
    }

    fn action(&mut self, pair: P<'_>) -> Action {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::handoff => ActionKind::Handoff,
            Rule::approval => ActionKind::Approval,
            Rule::offer => ActionKind::Offer,
            _ => ActionKind::Continue,
        };
        let mut action = Action {
            kind,
            queue: None,
            priority: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name => action.queue = Some(self.name(&p)),
                Rule::priority => {
                    action.priority = p
                        .into_inner()
                        .find(|l| l.as_rule() == Rule::priority_level)
                        .map(|l| self.name(&l));
                }
                _ => {}
            }
        }
        action
    }

    fn modifier(&mut self, pair: P<'_>) -> Option<Modifier> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut messages = Vec::new();
        let mut paths = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string | Rule::curly_string => messages.push(self.message(p)),
                Rule::path => paths.push(self.name(&p)),
                _ => {}
            }
        }
        let mut one = || messages.pop();
        Some(match rule {
            Rule::tag => Modifier::Tag(messages, span),
            Rule::reason => Modifier::Reason(one()?, span),
            Rule::next => Modifier::Next(one()?, span),
            Rule::assign => Modifier::Assign(one()?, span),
            Rule::collect => Modifier::Collect(paths, span),
            _ => return None,
        })
    }

    fn test(&mut self, pair: P<'_>, span: Span) -> Option<TestDecl> {
        let mut name = None;
        let mut given = None;
        let mut with = Vec::new();
        let mut after = None;
        let mut expect = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string | Rule::curly_string => name = Some(self.text(p).text),
                Rule::given => given = p.into_inner().nth(1).map(|g| self.given(g)),
                Rule::with => {
                    let span = self.span(&p);
                    if let (Some(path), Some(value)) = self.name_and_expr(p) {
                        with.push(WithClause { path, value, span });
                    }
                }
                Rule::after => {
                    after = p
                        .into_inner()
                        .nth(1)
                        .and_then(|v| self.duration_after("after", v))
                        .map(|(seconds, _)| seconds)
                }
                Rule::expectation => expect.extend(self.expectation(p)),
                _ => {}
            }
        }
        Some(TestDecl {
            name: name?,
            given: given?,
            with,
            after,
            expect,
            span,
        })
    }

    fn given(&mut self, pair: P<'_>) -> Given {
        if pair.as_rule() != Rule::transcript {
            return Given::File(self.text(pair).text);
        }
        let lines = pair
            .into_inner()
            .filter_map(|line| {
                let span = self.span(&line);
                let mut inner = line.into_inner();
                let role = self.name(&inner.next()?);
                let text = self.text(inner.nth(1)?).text;
                Some(TranscriptLine { role, text, span })
            })
            .collect();
        Given::Transcript(lines)
    }

    fn expectation(&mut self, pair: P<'_>) -> Option<Expectation> {
        let what = pair.into_inner().nth(1)?;
        let span = self.span(&what);
        Some(match what.as_rule() {
            Rule::expect_rule => Expectation::Rule(self.text(what.into_inner().nth(1)?).text),
            Rule::expect_tag => Expectation::Tag(self.text(what.into_inner().nth(1)?).text),
            Rule::expect_collect => Expectation::Collect(
                what.into_inner()
                    .filter(|p| p.as_rule() == Rule::path)
                    .map(|p| self.name(&p))
                    .collect(),
                span,
            ),
            _ => Expectation::Action(self.action(what)),
        })
    }

    /// Decodes a `string` or `curly_string` pair, reporting curly quotes and a
    /// missing closing quote.
    pub fn text(&mut self, pair: P<'_>) -> Decoded {
        let span = self.span(&pair);
        let curly = pair.as_rule() == Rule::curly_string;
        let mut inner = pair.into_inner();
        let (open, body, close) = if curly {
            let open = inner.next();
            (open, inner.next(), inner.next())
        } else {
            (None, inner.next(), inner.next())
        };
        let (body_text, body_start) = body.map_or(("", span.start as usize + 1), |b| {
            (b.as_str(), self.base + b.as_span().start())
        });
        let closed = close.is_some_and(|c| !c.as_str().is_empty());
        if let Some(open) = open {
            let quote = open.as_str();
            let what = if quote == "'" { "single" } else { "curly" };
            self.report(
                Code::E0104,
                format!("text must be in straight double quotes, not {what} quotes like `{quote}`"),
                span,
                "not straight double quotes",
                Some(format!(
                    "write `\"{}\"`; word processors turn quotes curly, so write rules in a plain text editor",
                    body_text.trim_end_matches('\r')
                )),
            );
        } else if !closed {
            self.report(
                Code::E0103,
                "this text has no closing quote".into(),
                span,
                "the text starts here and runs to the end of the line",
                Some("add `\"` where the text ends; text cannot run over several lines".into()),
            );
        }
        if body_text.len() > self.limits.max_text_bytes {
            self.report(
                Code::E0114,
                format!(
                    "this text is {}, more than the {} quoted text may have",
                    crate::limits::size(body_text.len()),
                    crate::limits::size(self.limits.max_text_bytes)
                ),
                span,
                "too long",
                Some("shorten it (a reason or message is read by a person; a pattern this long is better split), or raise the limit with `--max-text-size`".into()),
            );
        }
        text::decode(body_text, body_start, span)
    }

    fn message(&mut self, pair: P<'_>) -> Message {
        let decoded = self.text(pair);
        let (message, problems) = text::message(&decoded, self.file);
        for problem in problems {
            let (msg, help) = if problem.unclosed {
                (
                    "`{` is not closed in this text",
                    "write `{customer.name}` to show a value, or `\\{` for a brace",
                )
            } else {
                (
                    "`{...}` must hold the name of a field or signal",
                    "write the name between the braces, like `{customer.arr}`, or `\\{` for a brace",
                )
            };
            let label = if problem.unclosed {
                "opened here, never closed"
            } else {
                "no name inside"
            };
            self.report(
                Code::E0111,
                msg.into(),
                problem.span,
                label,
                Some(help.into()),
            );
        }
        message
    }
}
