//! A direct reading of rules and tests written without mistakes, beside
//! pest. pest stays the grammar of record and the source of every syntax
//! diagnostic; this reader only spares it the common case, where it spent
//! most of the time of loading a large ruleset (a rule call and its
//! bookkeeping for every alternative tried, white space between every two
//! tokens, every name compared with all 36 keywords).
//!
//! It reads one `rule` or `test` item by the grammar's own rules (ordered
//! choice, greedy repetition), and gives up, returning `None`, at the first
//! thing it does not expect: another kind of item, a syntax error, and
//! every mistake the grammar accepts so that the AST builder can name it
//! (curly quotes, `=`, `&&`, `30sec`, an unclosed text or `{`, a text or a
//! condition over the limits). pest then reads the item from its start.
//! When it does not give up, the item is the one pest and the builder make,
//! span for span, with no diagnostic: `tests/direct_reading.rs` holds it to
//! that on every rule file of the project and on mutations of them, and
//! so does the `check` fuzz target.

use super::ast::*;
use super::expected::KEYWORDS;
use super::expr::{depth, duration_seconds, minus_applied, number_value};
use super::scan::{closed_text_end, is_word_byte, skip_trivia, word_at};
use super::text::{self, Decoded};
use crate::limits::Limits;
use crate::source::{FileId, Span};

/// Reads the item starting at `pos` (a token, not trivia) if it is a rule
/// or a test written without mistakes: the item, and the end of its last
/// token. `None` leaves the item to pest.
pub fn item(text: &str, pos: usize, file: FileId, limits: &Limits) -> Option<(Item, usize)> {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        at: pos,
        end: pos,
        file,
        limits,
    };
    let item = match r.word() {
        "rule" | "when" => Item::Rule(r.rule()?),
        "test" => Item::Test(r.test()?),
        _ => return None,
    };
    Some((item, r.end))
}

/// Where reading stands: `at` is the next token (trivia skipped), `end`
/// the end of the last token read.
struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    end: usize,
    file: FileId,
    limits: &'t Limits,
}

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

impl Reader<'_> {
    fn byte(&self) -> u8 {
        self.bytes.get(self.at).copied().unwrap_or(0)
    }

    fn byte_at(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(0)
    }

    /// Takes the token up to `to` and the trivia after it.
    fn take(&mut self, to: usize) {
        self.end = to;
        self.at = skip_trivia(self.text, to);
    }

    fn span(&self, start: usize) -> Span {
        Span::new(self.file, start, self.end)
    }

    /// The word at the next token, or "".
    fn word(&self) -> &str {
        if !is_word_start(self.byte()) {
            return "";
        }
        word_at(self.text, self.at)
    }

    /// Takes the keyword `word` if it is the next word.
    fn keyword(&mut self, word: &str) -> bool {
        let found = self.word() == word;
        if found {
            self.take(self.at + word.len());
        }
        found
    }

    fn expect(&mut self, word: &str) -> Option<()> {
        self.keyword(word).then_some(())
    }

    /// Takes the sign `sign` if it is next.
    fn sign(&mut self, sign: &str) -> bool {
        let found = self.bytes[self.at..].starts_with(sign.as_bytes());
        if found {
            self.take(self.at + sign.len());
        }
        found
    }

    /// A name that is not a keyword (`name`, `priority_level`).
    fn name(&mut self) -> Option<Name> {
        let word = self.word();
        if word.is_empty() || KEYWORDS.contains(&word) {
            return None;
        }
        let (start, len) = (self.at, word.len());
        let text = word.to_string();
        self.take(start + len);
        Some(Name {
            text,
            span: self.span(start),
        })
    }

    /// `customer.tier`: a name, then words after dots.
    fn path(&mut self) -> Option<Name> {
        let word = self.word();
        if word.is_empty() || KEYWORDS.contains(&word) {
            return None;
        }
        let start = self.at;
        let mut to = start + word.len();
        while self.byte_at(to) == b'.' && is_word_start(self.byte_at(to + 1)) {
            to += 1 + word_at(self.text, to + 1).len();
        }
        let text = self.text[start..to].to_string();
        self.take(to);
        Some(Name {
            text,
            span: self.span(start),
        })
    }

    /// A text in straight quotes, closed on its line, within the limit.
    fn text(&mut self) -> Option<Decoded> {
        let start = self.at;
        let end = closed_text_end(self.text, start)?;
        let body = &self.text[start + 1..end - 1];
        if body.len() > self.limits.max_text_bytes {
            return None;
        }
        self.take(end);
        Some(text::decode(body, start + 1, self.span(start)))
    }

    /// A message text: a text whose every `{` holds a name and is closed.
    fn message(&mut self) -> Option<Message> {
        let decoded = self.text()?;
        let (message, problems) = text::message(&decoded, self.file);
        problems.is_empty().then_some(message)
    }

    // ------------------------------------------------------------ items

    /// `[rule "name"] when CONDITION [unless CONDITION] then OUTCOME`
    fn rule(&mut self) -> Option<RuleDecl> {
        let start = self.at;
        let name = if self.keyword("rule") {
            Some(self.text()?.text)
        } else {
            None
        };
        self.expect("when")?;
        let when = self.condition()?;
        let unless = if self.keyword("unless") {
            Some(self.condition()?)
        } else {
            None
        };
        self.expect("then")?;
        let outcome = self.outcome()?;
        Some(RuleDecl {
            name,
            when,
            unless,
            outcome,
            span: self.span(start),
        })
    }

    fn outcome(&mut self) -> Option<Outcome> {
        let start = self.at;
        let action = self.action()?;
        let mut modifiers = Vec::new();
        loop {
            let from = self.at;
            let modifier = match self.word() {
                "tag" => {
                    self.take(from + 3);
                    let mut messages = vec![self.message()?];
                    while self.sign(",") {
                        messages.push(self.message()?);
                    }
                    Modifier::Tag(messages, self.span(from))
                }
                "reason" => {
                    self.take(from + 6);
                    Modifier::Reason(self.message()?, self.span(from))
                }
                "next" => {
                    self.take(from + 4);
                    Modifier::Next(self.message()?, self.span(from))
                }
                "assign" => {
                    self.take(from + 6);
                    Modifier::Assign(self.message()?, self.span(from))
                }
                "collect" => {
                    self.take(from + 7);
                    Modifier::Collect(self.paths()?, self.span(from))
                }
                _ => break,
            };
            modifiers.push(modifier);
        }
        Some(Outcome {
            action,
            modifiers,
            span: self.span(start),
        })
    }

    /// `PATH, PATH, ...`
    fn paths(&mut self) -> Option<Vec<Name>> {
        let mut paths = vec![self.path()?];
        while self.sign(",") {
            paths.push(self.path()?);
        }
        Some(paths)
    }

    fn action(&mut self) -> Option<Action> {
        let start = self.at;
        let kind = match self.word() {
            "handoff" => ActionKind::Handoff,
            "approval" => ActionKind::Approval,
            "offer" => ActionKind::Offer,
            "continue" => ActionKind::Continue,
            _ => return None,
        };
        let word = self.word().len();
        self.take(start + word);
        let queue = match kind {
            ActionKind::Handoff => {
                self.expect("to")?;
                Some(self.name()?)
            }
            ActionKind::Approval => {
                self.expect("from")?;
                Some(self.name()?)
            }
            ActionKind::Offer => {
                self.expect("handoff")?;
                self.expect("to")?;
                Some(self.name()?)
            }
            ActionKind::Continue => None,
        };
        let priority = if queue.is_some() && self.keyword("priority") {
            Some(self.name()?)
        } else {
            None
        };
        Some(Action {
            kind,
            queue,
            priority,
            span: self.span(start),
        })
    }

    /// `test "name" given ... [with PATH = VALUE]... [after DURATION] expect ...`
    fn test(&mut self) -> Option<TestDecl> {
        let start = self.at;
        self.expect("test")?;
        let name = self.text()?.text;
        self.expect("given")?;
        let given = if self.byte() == b'"' {
            Given::File(self.text()?.text)
        } else {
            Given::Transcript(self.transcript()?)
        };
        let mut with = Vec::new();
        while self.word() == "with" {
            let from = self.at;
            self.take(from + 4);
            let path = self.path()?;
            if self.byte() != b'=' || self.byte_at(self.at + 1) == b'=' {
                return None;
            }
            self.take(self.at + 1);
            let value = self.checked(Self::unary)?;
            with.push(WithClause {
                path,
                value,
                span: self.span(from),
            });
        }
        let after = if self.keyword("after") {
            match self.number()? {
                ExprKind::Duration(seconds) => Some(seconds),
                _ => return None,
            }
        } else {
            None
        };
        let mut expect = Vec::new();
        while self.keyword("expect") {
            let from = self.at;
            expect.push(match self.word() {
                "rule" => {
                    self.take(from + 4);
                    Expectation::Rule(self.text()?.text)
                }
                "tag" => {
                    self.take(from + 3);
                    Expectation::Tag(self.text()?.text)
                }
                "collect" => {
                    self.take(from + 7);
                    let paths = self.paths()?;
                    Expectation::Collect(paths, self.span(from))
                }
                _ => Expectation::Action(self.action()?),
            });
        }
        if expect.is_empty() {
            return None;
        }
        Some(TestDecl {
            name,
            given,
            with,
            after,
            expect,
            span: self.span(start),
        })
    }

    /// `role: "text"` lines, at least one; a word not followed by `:` ends
    /// them.
    fn transcript(&mut self) -> Option<Vec<TranscriptLine>> {
        let mut lines = Vec::new();
        loop {
            let (start, word) = (self.at, self.word().len());
            if word == 0 || self.byte_at(skip_trivia(self.text, start + word)) != b':' {
                break;
            }
            let role = Name {
                text: self.text[start..start + word].to_string(),
                span: Span::new(self.file, start, start + word),
            };
            self.take(start + word);
            self.take(self.at + 1);
            let text = self.text()?.text;
            lines.push(TranscriptLine {
                role,
                text,
                span: self.span(start),
            });
        }
        (!lines.is_empty()).then_some(lines)
    }

    // ------------------------------------------------------- conditions

    /// A whole condition, within the nesting limit.
    fn condition(&mut self) -> Option<Expr> {
        self.checked(Self::or)
    }

    fn checked(&mut self, read: fn(&mut Self) -> Option<Expr>) -> Option<Expr> {
        let expr = read(self)?;
        (depth(&expr) <= self.limits.max_nesting * 4).then_some(expr)
    }

    fn or(&mut self) -> Option<Expr> {
        self.logic("or", Self::and, ExprKind::Or)
    }

    fn and(&mut self) -> Option<Expr> {
        self.logic("and", Self::negation, ExprKind::And)
    }

    /// `A or B or ...` / `A and B and ...`, a flat list. The signs pest
    /// accepts to report (`||`, `&&`, a lone `=`) end the condition here,
    /// and nothing that may follow a condition starts with them, so the
    /// item is left to pest.
    fn logic(
        &mut self,
        word: &str,
        operand: fn(&mut Self) -> Option<Expr>,
        make: fn(Vec<Expr>) -> ExprKind,
    ) -> Option<Expr> {
        let start = self.at;
        let first = operand(self)?;
        if self.word() != word {
            return Some(first);
        }
        let mut operands = vec![first];
        while self.keyword(word) {
            operands.push(operand(self)?);
        }
        Some(Expr {
            kind: make(operands),
            span: self.span(start),
        })
    }

    /// `not A`, as many `not`s as written.
    fn negation(&mut self) -> Option<Expr> {
        let mut nots = Vec::new();
        while self.word() == "not" {
            let at = self.at;
            self.take(at + 3);
            nots.push(self.span(at));
        }
        let mut expr = self.comparison()?;
        if nots.len() > self.limits.max_nesting {
            return None;
        }
        for at in nots.into_iter().rev() {
            let span = at.to(expr.span);
            expr = Expr {
                kind: ExprKind::Not(Box::new(expr)),
                span,
            };
        }
        Some(expr)
    }

    /// A value, and the comparison or test after it if there is one.
    fn comparison(&mut self) -> Option<Expr> {
        let start = self.at;
        let left = Box::new(self.sum()?);
        let sign = match &self.bytes[self.at..] {
            [b'<', b'=', ..] => Some((CompareOp::Le, 2)),
            [b'>', b'=', ..] => Some((CompareOp::Ge, 2)),
            [b'=', b'=', ..] => Some((CompareOp::Eq, 2)),
            [b'!', b'=', ..] => Some((CompareOp::Ne, 2)),
            [b'<', ..] => Some((CompareOp::Lt, 1)),
            [b'>', ..] => Some((CompareOp::Gt, 1)),
            _ => None,
        };
        let kind = if let Some((op, len)) = sign {
            self.take(self.at + len);
            ExprKind::Compare(op, left, Box::new(self.sum()?))
        } else {
            match self.word() {
                "is" => {
                    self.take(self.at + 2);
                    if self.keyword("missing") {
                        ExprKind::Exists {
                            negated: true,
                            operand: left,
                        }
                    } else if self.keyword("not") {
                        if self.keyword("missing") {
                            ExprKind::Exists {
                                negated: false,
                                operand: left,
                            }
                        } else {
                            ExprKind::Compare(CompareOp::Ne, left, Box::new(self.sum()?))
                        }
                    } else {
                        ExprKind::Compare(CompareOp::Eq, left, Box::new(self.sum()?))
                    }
                }
                "exists" => {
                    self.take(self.at + 6);
                    ExprKind::Exists {
                        negated: false,
                        operand: left,
                    }
                }
                "not" => {
                    self.take(self.at + 3);
                    self.expect("in")?;
                    ExprKind::In {
                        negated: true,
                        item: left,
                        list: Box::new(self.sum()?),
                    }
                }
                "in" => {
                    self.take(self.at + 2);
                    ExprKind::In {
                        negated: false,
                        item: left,
                        list: Box::new(self.sum()?),
                    }
                }
                "contains" => {
                    self.take(self.at + 8);
                    ExprKind::Contains(left, Box::new(self.sum()?))
                }
                "matches" => {
                    self.take(self.at + 7);
                    ExprKind::Matches(left, Box::new(self.sum()?))
                }
                _ => return Some(*left),
            }
        };
        Some(Expr {
            kind,
            span: self.span(start),
        })
    }

    fn sum(&mut self) -> Option<Expr> {
        self.arithmetic(Self::product, |b| match b {
            b'+' => Some(ArithOp::Add),
            b'-' => Some(ArithOp::Sub),
            _ => None,
        })
    }

    fn product(&mut self) -> Option<Expr> {
        self.arithmetic(Self::unary, |b| match b {
            b'*' => Some(ArithOp::Mul),
            b'/' => Some(ArithOp::Div),
            _ => None,
        })
    }

    /// `A + B - C` or `A * B / C`, left to right.
    fn arithmetic(
        &mut self,
        operand: fn(&mut Self) -> Option<Expr>,
        sign: fn(u8) -> Option<ArithOp>,
    ) -> Option<Expr> {
        let mut expr = operand(self)?;
        let mut count = 0;
        while let Some(op) = sign(self.byte()) {
            self.take(self.at + 1);
            count += 1;
            if count > self.limits.max_nesting {
                return None;
            }
            let right = operand(self)?;
            let span = expr.span.to(right.span);
            expr = Expr {
                kind: ExprKind::Arith(op, Box::new(expr), Box::new(right)),
                span,
            };
        }
        Some(expr)
    }

    /// `-A`; a minus before a number or duration is folded into it.
    fn unary(&mut self) -> Option<Expr> {
        let mut minus = Vec::new();
        while self.byte() == b'-' {
            let at = self.at;
            self.take(at + 1);
            minus.push(self.span(at));
        }
        let expr = self.primary()?;
        (minus.len() <= self.limits.max_nesting).then(|| minus_applied(&minus, expr))
    }

    /// A bracket, a list, a path or a written value.
    fn primary(&mut self) -> Option<Expr> {
        let start = self.at;
        let kind = match self.byte() {
            b'(' => {
                self.take(start + 1);
                let inner = self.or()?;
                return self.sign(")").then_some(inner);
            }
            b'[' => {
                self.take(start + 1);
                let mut items = Vec::new();
                while !self.sign("]") {
                    items.push(self.or()?);
                    if !self.sign(",") {
                        if !self.sign("]") {
                            return None;
                        }
                        break;
                    }
                }
                ExprKind::List(items)
            }
            b'"' => ExprKind::Text(self.text()?.text),
            b'0'..=b'9' => self.number()?,
            _ => match self.word() {
                "true" | "false" => {
                    let value = self.word() == "true";
                    self.take(start + if value { 4 } else { 5 });
                    ExprKind::Bool(value)
                }
                _ => {
                    let name = self.path()?;
                    return Some(Expr {
                        span: name.span,
                        kind: ExprKind::Path(name),
                    });
                }
            },
        };
        Some(Expr {
            kind,
            span: self.span(start),
        })
    }

    /// `50_000`, `0.6`, `80%`, `1h30m`; a number run together with
    /// letters (`30sec`) is left to pest, which reports it.
    fn number(&mut self) -> Option<ExprKind> {
        let start = self.at;
        let mut to = self.decimal(start)?;
        let kind = match self.byte_at(to) {
            b's' | b'm' | b'h' | b'd' => {
                to += 1;
                while let Some(next) = self.decimal(to) {
                    if !matches!(self.byte_at(next), b's' | b'm' | b'h' | b'd') {
                        break;
                    }
                    to = next + 1;
                }
                if is_word_byte(self.byte_at(to)) {
                    return None;
                }
                ExprKind::Duration(duration_seconds(&self.text[start..to], |d| {
                    number_value(d)
                })?)
            }
            b'%' => {
                let n = number_value(&self.text[start..to])?;
                to += 1;
                ExprKind::Number(n / 100.0)
            }
            b if is_word_byte(b) => return None,
            _ => ExprKind::Number(number_value(&self.text[start..to])?),
        };
        self.take(to);
        Some(kind)
    }

    /// The end of digits (grouped with `_`) and an optional fraction
    /// starting at `at`, if a digit is there.
    fn decimal(&self, at: usize) -> Option<usize> {
        let digits = |mut at: usize| {
            if !self.byte_at(at).is_ascii_digit() {
                return None;
            }
            at += 1;
            loop {
                match self.byte_at(at) {
                    b'0'..=b'9' => at += 1,
                    b'_' if self.byte_at(at + 1).is_ascii_digit() => at += 2,
                    _ => return Some(at),
                }
            }
        };
        let end = digits(at)?;
        if self.byte_at(end) == b'.'
            && let Some(fraction) = digits(end + 1)
        {
            return Some(fraction);
        }
        Some(end)
    }
}
