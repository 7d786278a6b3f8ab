//! Declarations and rules: queues, fields, the `default`, rule names, and
//! each rule's condition and outcome.

use std::collections::HashMap;

use super::Checker;
use super::ir::{Field, FieldId, Outcome, Queue, QueueId, Rule, Type, Value};
use super::signals::Signal;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;
use crate::syntax::ast;

impl Checker<'_> {
    pub(super) fn declare_queue(&mut self, q: &ast::QueueDecl) {
        let name = &q.name.text;
        if let Some(first) = self.queue_ids.get(name) {
            let first = self.queues[first.0 as usize].name_span;
            self.twice(&format!("queue `{name}`"), q.name.span, first);
            return;
        }
        let id = QueueId(self.queues.len() as u32);
        self.queue_ids.insert(name.clone(), id);
        self.queues.push(Queue {
            name: name.clone(),
            description: q.description.as_ref().map(|d| d.value.clone()),
            sla: q.sla.map(|(seconds, _)| seconds),
            name_span: q.name.span,
            span: q.span,
        });
    }

    /// Reports a second declaration of something already declared at `first`.
    pub(super) fn twice(&mut self, what: &str, again: Span, first: Span) {
        let d = self
            .at(
                Code::E0211,
                format!("{what} is declared twice"),
                again,
                "declared again here",
            )
            .label(self.sources, first, "first declared here")
            .help("remove one of the two declarations, or give this one another name");
        self.push(d);
    }

    pub(super) fn declare_field(&mut self, f: &ast::FieldDecl) {
        let path = &f.path.text;
        if path.is_empty() {
            return;
        }
        if let Some(first) = self.field_ids.get(path) {
            let first = self.fields[first.0 as usize].span;
            self.twice(&format!("field `{path}`"), f.path.span, first);
            return;
        }
        if Signal::from_name(path).is_some() {
            let d = self
                .at(
                    Code::E0211,
                    format!("`{path}` is a built-in signal and needs no `field` declaration"),
                    f.path.span,
                    "built-in signal",
                )
                .help(format!(
                    "remove this declaration; rules can use `{path}` as it is"
                ));
            self.push(d);
            return;
        }
        let ty = self.field_type(&f.ty);
        let one_of = f.one_of.as_ref().map(|list| self.one_of(list, &ty));
        let id = FieldId(self.fields.len() as u32);
        self.field_ids.insert(path.clone(), id);
        self.fields.push(Field {
            path: path.clone(),
            ty,
            one_of,
            span: f.span,
        });
    }

    fn field_type(&mut self, t: &ast::TypeExpr) -> Type {
        let word = t.name.text.as_str();
        let scalar = match word {
            "number" => Some(Type::Number),
            "text" => Some(Type::Text),
            "bool" => Some(Type::Bool),
            "duration" => Some(Type::Duration),
            _ => None,
        };
        match (t.list, scalar) {
            (false, Some(ty)) => ty,
            (true, Some(Type::Text)) => Type::List(Box::new(Type::Text)),
            (true, Some(_)) => {
                let d = self
                    .at(
                        Code::E0212,
                        format!("a field can be a `list of text`, not a `list of {word}`"),
                        t.span,
                        "unsupported list type",
                    )
                    .help("declare it as `list of text`, or as a single value");
                self.push(d);
                Type::Any
            }
            (_, None) => {
                let alias = match word {
                    "boolean" => Some("bool"),
                    "string" | "str" => Some("text"),
                    "int" | "integer" | "float" | "decimal" => Some("number"),
                    "time" | "interval" => Some("duration"),
                    _ => None,
                };
                let help = alias
                    .map(|a| format!("did you mean `{a}`?"))
                    .or_else(|| did_you_mean(word, ["number", "text", "bool", "duration"]))
                    .unwrap_or_else(|| {
                        "a field is a `number`, `text`, `bool`, `duration` or `list of text`".into()
                    });
                let d = self
                    .at(
                        Code::E0212,
                        format!("unknown type `{word}`"),
                        t.name.span,
                        "unknown type",
                    )
                    .help(help);
                self.push(d);
                Type::Any
            }
        }
    }

    fn one_of(&mut self, list: &ast::Expr, ty: &Type) -> Vec<Value> {
        if !matches!(ty, Type::Text | Type::Number | Type::Any) {
            let d = self
                .at(
                    Code::E0212,
                    format!(
                        "`one of` lists the values of a text or number field, not of {}",
                        ty.words()
                    ),
                    list.span,
                    "not allowed here",
                )
                .help("remove `one of [...]`");
            self.push(d);
            return Vec::new();
        }
        let ast::ExprKind::List(items) = &list.kind else {
            return Vec::new();
        };
        let mut values = Vec::new();
        for item in items {
            let value = match &item.kind {
                ast::ExprKind::Number(n) => Some((Value::Number(*n), Type::Number)),
                ast::ExprKind::Text(t) => Some((Value::Text(t.value.clone()), Type::Text)),
                ast::ExprKind::Error => continue,
                _ => None,
            };
            match value {
                Some((v, vt)) if vt.fits(ty) => values.push(v),
                _ => {
                    let d = self
                        .at(
                            Code::E0204,
                            format!(
                                "this field is {}, so its `one of` list must hold {} values",
                                ty.words(),
                                ty.words()
                            ),
                            item.span,
                            "does not fit the field's type",
                        )
                        .help("write each possible value, e.g. `one of [\"free\", \"pro\"]`");
                    self.push(d);
                }
            }
        }
        values
    }

    pub(super) fn check_default(&mut self, items: &[ast::Item]) -> (Outcome, Option<Span>) {
        let mut first: Option<(Outcome, Span)> = None;
        for item in items {
            let ast::Item::Default(d) = item else {
                continue;
            };
            match &first {
                None => {
                    let outcome = self.outcome(&d.outcome);
                    first = Some((outcome, d.span));
                }
                Some((_, at)) => {
                    // Checked for its own mistakes, though only the first default is used.
                    self.outcome(&d.outcome);
                    let diagnostic = self
                        .at(
                            Code::E0209,
                            "there is more than one `default`".into(),
                            d.span,
                            "another default",
                        )
                        .label(self.sources, *at, "first default")
                        .help("keep one `default`: it decides when no rule matches");
                    self.push(diagnostic);
                }
            }
        }
        match first {
            Some((outcome, span)) => (outcome, Some(span)),
            None => (Outcome::default(), None),
        }
    }

    /// Error E0115 on the first rule over the limit.
    fn too_many_rules(&mut self, rule: &ast::RuleDecl) {
        let source = self.sources.get(rule.span.file);
        let line = source.line_col(rule.span.start as usize).0;
        let end = source.line_range(line).end.min(rule.span.end as usize);
        let span = Span::new(rule.span.file, rule.span.start as usize, end);
        let max = self.limits.max_rules;
        let d = self
            .at(
                Code::E0115,
                format!(
                    "this is rule {}, and a ruleset may have at most {max}",
                    max + 1
                ),
                span,
                "one rule too many",
            )
            .help("remove rules that are no longer needed, or raise the limit with `--max-rules`");
        self.push(d);
    }

    pub(super) fn check_rules(&mut self, items: &[ast::Item]) -> Vec<Rule> {
        let mut names: HashMap<String, Span> = HashMap::new();
        let mut rules = Vec::new();
        for item in items {
            let ast::Item::Rule(r) = item else { continue };
            if rules.len() == self.limits.max_rules {
                self.too_many_rules(r);
            }
            let source = self.sources.get(r.span.file);
            let file = source.name().to_string();
            let line = source.line_col(r.span.start as usize).0;
            let name = match &r.name {
                Some(n) if !n.value.trim().is_empty() => {
                    if let Some(first) = names.get(&n.value) {
                        let d: Diagnostic = self
                            .at(Code::E0208, format!("two rules are named `{}`", n.value), n.span, "second rule with this name")
                            .label(self.sources, *first, "first rule with this name")
                            .help("give each rule its own name: decisions and tests refer to rules by name");
                        self.push(d);
                    } else {
                        names.insert(n.value.clone(), n.span);
                    }
                    n.value.clone()
                }
                _ => format!("{file}:{line}"),
            };
            let mut when = self.condition(&r.when);
            let mut unless = r.unless.as_ref().map(|u| self.condition(u));
            for part in std::iter::once(&mut when).chain(unless.as_mut()) {
                let depth = self.depth(part);
                if depth > self.max_depth {
                    if depth != usize::MAX {
                        self.too_deep(part, "this condition");
                    }
                    part.kind = super::ir::ExprKind::Invalid;
                }
            }
            let outcome = self.outcome(&r.outcome);
            rules.push(Rule {
                name,
                file,
                line,
                when,
                unless,
                outcome,
                head: r.name.as_ref().map_or(r.when.span, |n| n.span),
                span: r.span,
            });
        }
        rules
    }
}
