//! What rules decide: actions and their queues and priorities, modifiers,
//! the values shown in messages, and the expectations of `test` blocks.

use std::collections::HashSet;

use super::Checker;
use super::ir::{
    Action, Expectation, FieldId, Given, Outcome, Priority, QueueId, Ref, Template, TemplatePart,
    Test, Value,
};
use super::signals::Signal;
use crate::diagnostic::{Code, did_you_mean};
use crate::source::Span;
use crate::syntax::ast;

impl Checker<'_> {
    pub(super) fn outcome(&mut self, o: &ast::Outcome) -> Outcome {
        let (action, priority) = self.action(&o.action, true);
        let mut outcome = Outcome {
            action,
            priority: priority.unwrap_or_default(),
            ..Outcome::default()
        };
        let mut seen: Vec<(&'static str, Span)> = Vec::new();
        for m in &o.modifiers {
            let word = match m {
                ast::Modifier::Tag(..) => "tag",
                ast::Modifier::Reason(..) => "reason",
                ast::Modifier::Next(..) => "next",
                ast::Modifier::Assign(..) => "assign",
                ast::Modifier::Collect(..) => "collect",
            };
            if let Some((_, first)) = seen
                .iter()
                .find(|(w, _)| *w == word && !matches!(*w, "tag" | "collect"))
            {
                let d = self
                    .at(
                        Code::E0215,
                        format!("this rule has `{word}` twice"),
                        m.span(),
                        "second one",
                    )
                    .label(self.sources, *first, "first one")
                    .help(format!(
                        "keep one `{word}`; put everything it should say in it"
                    ));
                self.push(d);
                continue;
            }
            seen.push((word, m.span()));
            match m {
                ast::Modifier::Tag(tags, _) => {
                    outcome.tags.extend(tags.iter().map(|t| self.template(t)))
                }
                ast::Modifier::Reason(t, _) => outcome.reason = Some(self.template(t)),
                ast::Modifier::Next(t, _) => outcome.next = Some(self.template(t)),
                ast::Modifier::Assign(t, _) => outcome.assign = Some(self.template(t)),
                ast::Modifier::Collect(paths, _) => {
                    outcome
                        .collect
                        .extend(paths.iter().filter_map(|p| self.collect_field(p)));
                }
            }
        }
        outcome
    }

    /// The action and, when written, the priority. `in_rule` marks queues as used.
    fn action(&mut self, a: &ast::Action, in_rule: bool) -> (Action, Option<Priority>) {
        let queue = a.queue.as_ref().and_then(|q| self.queue(q, in_rule));
        let priority = a.priority.as_ref().and_then(|p| self.priority(p));
        let action = match (a.kind, queue) {
            (ast::ActionKind::Handoff, Some(q)) => Action::Handoff(q),
            (ast::ActionKind::Approval, Some(q)) => Action::Approval(q),
            (ast::ActionKind::Offer, Some(q)) => Action::Offer(q),
            _ => Action::Continue,
        };
        (action, priority)
    }

    fn queue(&mut self, name: &ast::Name, in_rule: bool) -> Option<QueueId> {
        if let Some(&id) = self.queue_ids.get(&name.text) {
            if in_rule {
                self.used_queues.insert(id);
            }
            return Some(id);
        }
        let help = did_you_mean(&name.text, self.queue_ids.keys().map(String::as_str))
            .unwrap_or_else(|| {
                format!(
                    "declare it: `queue {} \"what this queue is for\"`",
                    name.text
                )
            });
        let d = self
            .at(
                Code::E0201,
                format!("queue `{}` is not declared", name.text),
                name.span,
                "not declared",
            )
            .help(help);
        self.push(d);
        None
    }

    fn priority(&mut self, name: &ast::Name) -> Option<Priority> {
        if let Some(p) = Priority::ALL.into_iter().find(|p| p.as_str() == name.text) {
            return Some(p);
        }
        let words = Priority::ALL.map(Priority::as_str);
        let help = did_you_mean(&name.text, words)
            .unwrap_or_else(|| "a priority is `low`, `normal`, `high` or `urgent`".into());
        let d = self
            .at(
                Code::E0213,
                format!("`{}` is not a priority", name.text),
                name.span,
                "unknown priority",
            )
            .help(help);
        self.push(d);
        None
    }

    fn template(&mut self, m: &ast::Message) -> Template {
        let parts = m
            .parts
            .iter()
            .filter_map(|part| match part {
                ast::MessagePart::Text(t) => Some(TemplatePart::Text(t.clone())),
                ast::MessagePart::Value(name) => match self.resolve(&name.text) {
                    Some((r, _)) => Some(TemplatePart::Value(r)),
                    None => {
                        self.unknown_name(name, Code::E0203);
                        None
                    }
                },
            })
            .collect();
        Template { parts }
    }

    fn collect_field(&mut self, path: &ast::Name) -> Option<FieldId> {
        if let Some(&id) = self.field_ids.get(&path.text) {
            return Some(id);
        }
        let help = if Signal::from_name(&path.text).is_some() {
            format!(
                "`{}` is computed by baton, not asked of the customer; `collect` takes declared fields",
                path.text
            )
        } else {
            did_you_mean(&path.text, self.field_ids.keys().map(String::as_str))
                .unwrap_or_else(|| format!("declare it first: `field {} : text`", path.text))
        };
        let d = self
            .at(
                Code::E0210,
                format!("`collect {}` names no declared field", path.text),
                path.span,
                "not a declared field",
            )
            .help(help);
        self.push(d);
        None
    }

    pub(super) fn check_test(&mut self, t: &ast::TestDecl, rule_names: &HashSet<&str>) -> Test {
        let given = match &t.given {
            ast::Given::File(path) => Given::File(path.value.clone()),
            ast::Given::Transcript(lines) => Given::Transcript(
                lines
                    .iter()
                    .map(|line| {
                        self.role(&line.role);
                        (line.role.text.clone(), line.text.value.clone())
                    })
                    .collect(),
            ),
        };
        let with = t.with.iter().filter_map(|w| self.with(w)).collect();
        let expect = t
            .expect
            .iter()
            .filter_map(|e| {
                let span = match e {
                    ast::Expectation::Action(a) => a.span,
                    ast::Expectation::Rule(text) | ast::Expectation::Tag(text) => text.span,
                    ast::Expectation::Collect(_, span) => *span,
                };
                self.expectation(e, rule_names).map(|e| (e, span))
            })
            .collect();
        Test {
            name: t.name.value.clone(),
            given,
            with,
            after: t.after,
            expect,
            span: t.span,
        }
    }

    fn expectation(
        &mut self,
        e: &ast::Expectation,
        rule_names: &HashSet<&str>,
    ) -> Option<Expectation> {
        match e {
            ast::Expectation::Action(a) => {
                let (action, priority) = self.action(a, false);
                let unresolved = a.queue.is_some() && action == Action::Continue;
                (!unresolved).then_some(Expectation::Action(action, priority))
            }
            ast::Expectation::Rule(name) => {
                if !rule_names.contains(name.value.as_str()) {
                    let help = did_you_mean(&name.value, rule_names.iter().copied())
                        .unwrap_or_else(|| "write the name exactly as it follows `rule`, or `file:line` for an unnamed rule".into());
                    let d = self
                        .at(
                            Code::E0218,
                            format!("no rule is named `{}`", name.value),
                            name.span,
                            "no such rule",
                        )
                        .help(help);
                    self.push(d);
                }
                Some(Expectation::Rule(name.value.clone()))
            }
            ast::Expectation::Tag(tag) => Some(Expectation::Tag(tag.value.clone())),
            ast::Expectation::Collect(paths, _) => Some(Expectation::Collect(
                paths.iter().filter_map(|p| self.collect_field(p)).collect(),
            )),
        }
    }

    fn role(&mut self, role: &ast::Name) {
        const ROLES: [&str; 6] = ["customer", "ai", "agent", "system", "bot", "assistant"];
        if ROLES.contains(&role.text.as_str()) {
            return;
        }
        let help = did_you_mean(&role.text, ROLES).unwrap_or_else(|| {
            "a message comes from `customer`, `ai` (or `bot`, `assistant`), `agent` or `system`"
                .into()
        });
        let d = self
            .at(
                Code::E0216,
                format!("`{}` is not a role in a conversation", role.text),
                role.span,
                "unknown role",
            )
            .help(help);
        self.push(d);
    }

    fn with(&mut self, w: &ast::WithClause) -> Option<(Ref, Value)> {
        let (r, ty) = match self.resolve(&w.path.text) {
            Some((r @ Ref::Field(_), ty)) => (r, ty),
            Some((r @ Ref::Signal(s), ty)) if s.is_input() => (r, ty),
            Some(_) => {
                let inputs: Vec<&str> = Signal::ALL
                    .iter()
                    .filter(|s| s.is_input())
                    .map(|s| s.name())
                    .collect();
                let d = self
                    .at(
                        Code::E0217,
                        format!(
                            "a test cannot set `{}`; baton works it out from the messages",
                            w.path.text
                        ),
                        w.path.span,
                        "not an input",
                    )
                    .help(format!(
                        "set declared fields or {}; write messages that produce the rest",
                        inputs.join(", ")
                    ));
                self.push(d);
                return None;
            }
            None => {
                self.unknown_name(&w.path, Code::E0202);
                return None;
            }
        };
        let value = self.expr(&w.value);
        let super::ir::ExprKind::Literal(v) = value.kind else {
            let d = self
                .at(
                    Code::E0204,
                    "a test sets a written value, not a condition".into(),
                    value.span,
                    "not a written value",
                )
                .help("write the value out, e.g. `with customer.tier = \"enterprise\"`");
            self.push(d);
            return None;
        };
        if !value.ty.fits(&ty) {
            let d = self
                .at(
                    Code::E0204,
                    format!(
                        "`{}` is {}, so it cannot be set to {}",
                        w.path.text,
                        ty.words(),
                        value.ty.words()
                    ),
                    value.span,
                    &value.ty.words(),
                )
                .help(format!("set it to {}", ty.words()));
            self.push(d);
            return None;
        }
        if let Ref::Field(id) = r {
            self.one_of_value(id, &v, value.span);
        }
        Some((r, v))
    }
}
