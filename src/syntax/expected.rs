//! Turns pest's "expected one of these grammar rules" into a sentence a rule
//! writer understands: what was expected, after what, what was found, and how
//! to fix it. No grammar rule name ever reaches the user.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::grammar::Rule;
use super::scan::{Token, skip_trivia, token_at, token_before, trim_trivia_end};
use crate::diagnostic::{Code, Diagnostic, suggest};
use crate::source::SourceFile;

/// The reserved words of the language.
pub const KEYWORDS: [&str; 36] = [
    "when", "then", "unless", "and", "or", "not", "in", "contains", "matches", "exists", "missing",
    "is", "rule", "queue", "field", "let", "default", "test", "given", "with", "expect", "handoff",
    "to", "priority", "approval", "from", "offer", "continue", "collect", "tag", "reason", "next",
    "assign", "sla", "true", "false",
];

/// What the parser wanted at the failing position, in the rule writer's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Want {
    Item,
    Then,
    Action,
    Value,
    Name,
    Path,
    Text,
    Type,
    Priority,
    Expect,
    Word(&'static str),
    Operator,
    Modifier,
    TranscriptLine,
}

fn want(rule: Rule) -> Option<Want> {
    use Rule as R;
    Some(match rule {
        R::item
        | R::queue_decl
        | R::field_decl
        | R::let_decl
        | R::default_decl
        | R::rule_decl
        | R::test_decl
        | R::rule_header => Want::Item,
        R::kw_then => Want::Then,
        R::handoff | R::approval | R::offer | R::continue_action | R::outcome => Want::Action,
        R::expr
        | R::conjunction
        | R::negation
        | R::comparison
        | R::sum
        | R::product
        | R::unary
        | R::neg
        | R::paren
        | R::list
        | R::duration
        | R::percent
        | R::bad_number
        | R::number
        | R::boolean
        | R::not_op => Want::Value,
        R::name => Want::Name,
        R::path => Want::Path,
        R::string | R::curly_string => Want::Text,
        R::field_type | R::list_type | R::type_name => Want::Type,
        R::priority_level => Want::Priority,
        R::expectation => Want::Expect,
        R::transcript | R::transcript_line => Want::TranscriptLine,
        R::missing_test
        | R::exists_test
        | R::is_not_test
        | R::is_test
        | R::not_in_test
        | R::in_test
        | R::contains_test
        | R::matches_test
        | R::compare_test
        | R::add_op
        | R::mul_op
        | R::and_op
        | R::or_op => Want::Operator,
        R::tag | R::reason | R::next | R::assign | R::collect => Want::Modifier,
        R::colon => Want::Word(":"),
        R::equals => Want::Word("="),
        R::close_paren => Want::Word(")"),
        R::close_bracket => Want::Word("]"),
        R::kw_unless => Want::Word("unless"),
        R::kw_expect => Want::Expect,
        R::kw_with => Want::Word("with"),
        R::kw_given => Want::Word("given"),
        R::kw_to => Want::Word("to"),
        R::kw_from => Want::Word("from"),
        R::kw_handoff => Want::Word("handoff"),
        R::kw_when => Want::Word("when"),
        R::kw_of => Want::Word("of"),
        R::kw_missing => Want::Word("missing"),
        R::kw_in => Want::Word("in"),
        R::given => Want::Word("given"),
        R::with => Want::Word("with"),
        R::after | R::kw_after => Want::Word("after"),
        R::sla => Want::Word("sla"),
        R::one_of => Want::Word("one of"),
        R::priority => Want::Word("priority"),
        _ => return None,
    })
}

/// A syntax error at byte `pos` of `source`, where the grammar wanted one of `positives`.
pub fn syntax_error(source: &Arc<SourceFile>, pos: usize, positives: &[Rule]) -> Diagnostic {
    let text = source.text();
    let wants: BTreeSet<Want> = positives.iter().copied().filter_map(want).collect();
    let found = token_at(text, pos);
    let before = token_before(text, pos);
    if wants.contains(&Want::Item) {
        let next_pos = skip_trivia(text, pos + found.len());
        let next = token_at(text, next_pos);
        if let Some((code, message, label, help)) = misplaced_modifier(found, next) {
            // A value missing at the end of a line is pointed at there.
            let (at, len) = if text[pos..next_pos].contains('\n') {
                (pos + found.len(), 0)
            } else {
                (next_pos, next.len())
            };
            return Diagnostic::new(code, message)
                .label_in(source, at, len, label)
                .maybe_help(help);
        }
    }
    let (code, message, label, help) = explain(&wants, found, before);
    // When what is missing belongs at the end of a line and the parser only
    // noticed on the next one, point at the end of that line.
    let after_previous = trim_trivia_end(text, 0, pos);
    let (at, len) = if text[after_previous..pos].contains('\n') && !wants.contains(&Want::Item) {
        (after_previous, 0)
    } else {
        (pos, found.len())
    };
    Diagnostic::new(code, message)
        .label_in(source, at, len, label)
        .maybe_help(help)
}

/// A modifier word where an item should start usually means the modifier
/// lacks its value, so the rule ended before it: say what the value should be.
fn misplaced_modifier(found: Token<'_>, next: Token<'_>) -> Option<Explanation> {
    let Token::Word(word) = found else {
        return None;
    };
    let shown = next.describe();
    match (word, next) {
        ("priority", Token::Word(w)) if ["low", "normal", "high", "urgent"].contains(&w) => None,
        ("priority", _) => Some((
            Code::E0101,
            format!("expected a priority after `priority`, found {shown}"),
            "expected a priority here".into(),
            Some("a priority is `low`, `normal`, `high` or `urgent`".into()),
        )),
        ("reason" | "next" | "assign" | "tag", Token::Word(_) | Token::Symbol(_) | Token::End) => {
            Some((
                Code::E0101,
                format!("expected text in double quotes after `{word}`, found {shown}"),
                "expected quoted text here".into(),
                Some(format!("put the text in double quotes: `{word} \"...\"`")),
            ))
        }
        ("collect", Token::Text(_) | Token::Symbol(_) | Token::End) => Some((
            Code::E0101,
            format!("expected a field's path after `collect`, found {shown}"),
            "expected a field here".into(),
            Some("`collect` lists declared fields, e.g. `collect order.id`".into()),
        )),
        _ => None,
    }
}

type Explanation = (Code, String, String, Option<String>);

fn explain(wants: &BTreeSet<Want>, found: Token<'_>, before: Option<&str>) -> Explanation {
    let shown = found.describe();
    let after = before.map_or(String::new(), |b| format!(" after `{b}`"));
    let word = match found {
        Token::Word(w) => Some(w),
        _ => None,
    };
    if let Some(w) = word {
        let lower = w.to_lowercase();
        if lower != w && KEYWORDS.contains(&lower.as_str()) {
            return (
                Code::E0112,
                format!("keywords are written in lower case: `{lower}`, not `{w}`"),
                "write this in lower case".into(),
                Some(format!("write `{lower}`")),
            );
        }
    }
    let reserved = word.filter(|w| KEYWORDS.contains(w));
    let close_keyword = |candidates: &[&'static str]| {
        word.and_then(|w| suggest(w, candidates.iter().copied()))
            .map(|k| format!("did you mean `{k}`?"))
    };

    if wants.contains(&Want::Then) {
        let help = close_keyword(&["then", "and", "or", "unless"]).unwrap_or_else(|| {
            "a rule reads `when CONDITION then ACTION`, e.g. `when loops >= 2 then handoff to tier2`"
                .into()
        });
        return (
            Code::E0101,
            format!("expected `then` after the condition, found {shown}"),
            "expected `then` here".into(),
            Some(help),
        );
    }
    if wants.contains(&Want::Item) {
        return top_level(found, &shown);
    }
    if wants.contains(&Want::Action) {
        let synonyms = ["escalate", "transfer", "route", "send", "handover", "hand"];
        let help = close_keyword(&["handoff", "approval", "offer", "continue"])
            .or_else(|| {
                word.filter(|w| synonyms.contains(&w.to_lowercase().as_str()))
                    .map(|_| "to pass the conversation to people, write `handoff to QUEUE`".into())
            })
            .unwrap_or_else(|| {
                "write `handoff to QUEUE`, `approval from QUEUE`, `offer handoff to QUEUE` or `continue`"
                    .into()
            });
        return (
            Code::E0101,
            format!("expected an action{after}, found {shown}"),
            "expected an action here".into(),
            Some(help),
        );
    }
    if wants.contains(&Want::Value) {
        let condition = matches!(
            before,
            Some("when" | "unless" | "and" | "or" | "not" | "(") | None
        );
        let what = if condition { "a condition" } else { "a value" };
        let structural = [
            "then", "and", "or", "not", "unless", "when", "is", "in", "contains", "matches",
            "exists",
        ];
        if let Some(w) = reserved.filter(|w| !structural.contains(w)) {
            return (
                Code::E0109,
                format!("expected {what}{after}, found the reserved word `{w}`"),
                "reserved word".into(),
                Some(format!(
                    "`{w}` is part of the language; to mean the text {w}, write it in quotes: `\"{w}\"`"
                )),
            );
        }
        let help = if condition {
            "a condition is a test such as `sentiment < -0.6`, `intent == \"refund\"` or `asked_for_human`"
        } else {
            "a value is a number (`2`, `80%`), a duration (`30m`), quoted text (`\"refund\"`), `true`, `false`, a list (`[\"a\", \"b\"]`), or a field or signal"
        };
        return (
            Code::E0101,
            format!("expected {what}{after}, found {shown}"),
            format!("expected {what} here"),
            Some(help.into()),
        );
    }
    if wants.contains(&Want::Name) {
        let what = match before {
            Some("to" | "from") => "a queue name",
            Some("queue") => "the queue's name",
            Some("let") => "a name for the `let`",
            _ => "a name",
        };
        if let Some(w) = reserved {
            let example = if before == Some("let") {
                format!("is_{w}")
            } else {
                format!("{w}_queue")
            };
            return (
                Code::E0109,
                format!("`{w}` is a reserved word and cannot be used as {what}"),
                "reserved word".into(),
                Some(format!("choose another name, such as `{example}`")),
            );
        }
        return (
            Code::E0101,
            format!("expected {what}{after}, found {shown}"),
            format!("expected {what} here"),
            Some("names are letters, digits and `_`, starting with a letter, e.g. `tier2`".into()),
        );
    }
    if wants.contains(&Want::Path) {
        if let Some(w) = reserved {
            return (
                Code::E0109,
                format!("`{w}` is a reserved word and cannot start a field's path"),
                "reserved word".into(),
                Some(format!("choose another path, such as `ticket.{w}`")),
            );
        }
        return (
            Code::E0101,
            format!("expected a field's path{after}, found {shown}"),
            "expected a field here".into(),
            Some("a field's path is names joined by dots, e.g. `customer.tier`".into()),
        );
    }
    if wants.contains(&Want::Text) && wants.len() == 1 {
        let what = if before == Some("rule") {
            "the rule's name in double quotes"
        } else {
            "text in double quotes"
        };
        let help = match found {
            Token::Word(_) => {
                "put the text in double quotes, e.g. `\"Angry customers go to tier 2\"`"
            }
            _ => "text is written between straight double quotes: `\"...\"`",
        };
        return (
            Code::E0101,
            format!("expected {what}{after}, found {shown}"),
            "expected quoted text here".into(),
            Some(help.into()),
        );
    }
    if wants.contains(&Want::Type) {
        let help = word
            .and_then(|w| suggest(w, ["number", "text", "bool", "duration", "list"]))
            .map_or_else(
                || {
                    "a field is a `number`, `text`, `bool`, `duration` or `list of text`"
                        .to_string()
                },
                |t| format!("did you mean `{t}`?"),
            );
        return (
            Code::E0101,
            format!("expected a type{after}, found {shown}"),
            "expected a type here".into(),
            Some(help),
        );
    }
    if wants.contains(&Want::Priority) {
        return (
            Code::E0101,
            format!("expected a priority after `priority`, found {shown}"),
            "expected a priority here".into(),
            Some("a priority is `low`, `normal`, `high` or `urgent`".into()),
        );
    }
    if wants.contains(&Want::Word(":")) {
        return (
            Code::E0101,
            format!("expected `:`{after}, found {shown}"),
            "expected `:` here".into(),
            Some(
                "a field is declared as `field PATH : TYPE`, e.g. `field order.total : number`"
                    .into(),
            ),
        );
    }
    if wants.contains(&Want::Word(")")) {
        return (
            Code::E0101,
            format!("expected `)` to close the group, found {shown}"),
            "expected `)` here".into(),
            Some("every `(` needs a matching `)`".into()),
        );
    }
    if wants.contains(&Want::Word("]")) {
        return (
            Code::E0101,
            format!("expected `,` or `]` in the list, found {shown}"),
            "expected `,` or `]` here".into(),
            Some("a list is written `[\"a\", \"b\"]`".into()),
        );
    }
    if wants.contains(&Want::Expect) {
        return (
            Code::E0101,
            format!("expected `expect`{after}, found {shown}"),
            "expected `expect` here".into(),
            Some("a test ends with what it expects, e.g. `expect handoff to billing`".into()),
        );
    }
    let single: Vec<&str> = wants
        .iter()
        .filter_map(|w| match w {
            Want::Word(k) => Some(*k),
            _ => None,
        })
        .collect();
    if single.len() == 1 && wants.len() == 1 {
        let k = single[0];
        let shape = match k {
            "to" => Some("write `handoff to QUEUE`, e.g. `handoff to billing`"),
            "from" => Some("write `approval from QUEUE`, e.g. `approval from finance`"),
            "handoff" => Some("write `offer handoff to QUEUE`, e.g. `offer handoff to tier1`"),
            "=" => Some("write `let NAME = ...` in a `let`, `with PATH = VALUE` in a test"),
            _ => None,
        };
        return (
            Code::E0101,
            format!("expected `{k}`{after}, found {shown}"),
            format!("expected `{k}` here"),
            close_keyword(&[k]).or(shape.map(String::from)),
        );
    }
    let listed: Vec<String> = wants.iter().map(|w| describe(*w)).collect();
    (
        Code::E0101,
        format!("expected {}{after}, found {shown}", join_or(&listed)),
        "unexpected here".into(),
        None,
    )
}

fn top_level(found: Token<'_>, shown: &str) -> Explanation {
    let modifiers = [
        "priority", "tag", "reason", "next", "assign", "collect", "unless", "then",
    ];
    let help = match found {
        Token::Word(w) if modifiers.contains(&w) => format!(
            "`{w}` belongs inside a rule: the rule above ended before it; check the words just before `{w}`"
        ),
        Token::Word(w) => match suggest(w, KEYWORDS) {
            Some(k) => format!("did you mean `{k}`?"),
            None => items_help(),
        },
        Token::Text(_) => "to name a rule, write `rule` before its name: `rule \"...\"`".into(),
        _ => items_help(),
    };
    (
        Code::E0101,
        format!("expected a rule or a declaration, found {shown}"),
        "not the start of a rule or declaration".into(),
        Some(help),
    )
}

fn items_help() -> String {
    "each part of a rule file starts with `rule`, `when`, `queue`, `field`, `let`, `default` or `test`"
        .into()
}

fn describe(want: Want) -> String {
    match want {
        Want::Item => "a rule or a declaration".into(),
        Want::Then => "`then`".into(),
        Want::Action => "an action".into(),
        Want::Value => "a value".into(),
        Want::Name => "a name".into(),
        Want::Path => "a field's path".into(),
        Want::Text => "quoted text".into(),
        Want::Type => "a type".into(),
        Want::Priority => "a priority".into(),
        Want::Expect => "`expect`".into(),
        Want::Word(k) => format!("`{k}`"),
        Want::Operator => "an operator such as `and`, `or` or `==`".into(),
        Want::Modifier => "`tag`, `reason`, `next`, `assign` or `collect`".into(),
        Want::TranscriptLine => "a message line such as `customer: \"...\"`".into(),
    }
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => "something else".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
