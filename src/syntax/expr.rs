//! Conditions and values: from pest pairs to [`Expr`] nodes, with precedence
//! already in the parse tree (`or` < `and` < `not` < comparison < `+ -` <
//! `* /` < unary minus). Chains are built in loops, never by recursion, and
//! their length is bounded, so no input can make a tree deep enough to
//! exhaust the stack of a later stage.

use pest::iterators::Pair;

use super::ast::*;
use super::build::Builder;
use super::grammar::Rule;
use crate::diagnostic::Code;
use crate::source::Span;

type P<'i> = Pair<'i, Rule>;

impl Builder<'_> {
    /// Builds an expression and rejects it if it nests deeper than the limit.
    pub fn expr_checked(&mut self, pair: P<'_>) -> Expr {
        let expr = self.expr(pair);
        let limit = self.limits.max_nesting * 4;
        if depth(&expr) > limit {
            self.too_deep(expr.span);
            return Expr {
                kind: ExprKind::Error,
                span: expr.span,
            };
        }
        expr
    }

    fn too_deep(&mut self, span: Span) {
        self.report(
            Code::E0105,
            "this condition is nested too deeply".into(),
            span,
            "too deep",
            Some(format!(
                "split it into named parts with `let`; at most {} levels are allowed",
                self.limits.max_nesting
            )),
        );
    }

    fn error_node(&mut self, span: Span) -> Expr {
        self.too_deep(span);
        Expr {
            kind: ExprKind::Error,
            span,
        }
    }

    fn expr(&mut self, pair: P<'_>) -> Expr {
        let raw = pair.as_span();
        match pair.as_rule() {
            Rule::expr => self.logic(pair, Rule::or_op, ExprKind::Or),
            Rule::conjunction => self.logic(pair, Rule::and_op, ExprKind::And),
            Rule::negation => self.negation(pair),
            Rule::comparison => self.comparison(pair),
            Rule::sum | Rule::product => self.arithmetic(pair),
            Rule::unary => self.unary(pair),
            Rule::paren => match pair.into_inner().next() {
                Some(inner) => self.expr(inner),
                None => Expr {
                    kind: ExprKind::Error,
                    span: self.trimmed(raw),
                },
            },
            Rule::list => Expr {
                kind: ExprKind::List(
                    pair.into_inner()
                        .filter(|p| p.as_rule() == Rule::expr)
                        .map(|p| self.expr(p))
                        .collect(),
                ),
                span: self.trimmed(raw),
            },
            Rule::path => {
                let span = self.trimmed(raw);
                Expr {
                    kind: ExprKind::Path(Name {
                        text: pair.as_str().to_string(),
                        span,
                    }),
                    span,
                }
            }
            _ => self.literal(pair),
        }
    }

    /// `A or B or ...` / `A and B and ...`: a flat list, one level deep.
    fn logic(&mut self, pair: P<'_>, op: Rule, make: fn(Vec<Expr>) -> ExprKind) -> Expr {
        let raw = pair.as_span();
        let mut operands = Vec::new();
        for p in pair.into_inner() {
            if p.as_rule() == op {
                let word = if op == Rule::or_op { "or" } else { "and" };
                if p.as_str() != word {
                    let sign = p.as_str().to_string();
                    let at = self.span(&p);
                    self.symbol_for_word(&sign, word, at);
                }
            } else {
                operands.push(self.expr(p));
            }
        }
        if operands.len() == 1
            && let Some(only) = operands.pop()
        {
            return only;
        }
        Expr {
            kind: make(operands),
            span: self.trimmed(raw),
        }
    }

    fn symbol_for_word(&mut self, sign: &str, word: &str, at: Span) {
        self.report(
            Code::E0108,
            format!("`{sign}` is not a word of the language; write `{word}`"),
            at,
            "write a word here",
            Some(format!(
                "conditions are joined with `and`, `or` and `not`: write `{word}`"
            )),
        );
    }

    fn negation(&mut self, pair: P<'_>) -> Expr {
        let mut nots = Vec::new();
        let mut operand = None;
        for p in pair.into_inner() {
            if p.as_rule() == Rule::not_op {
                let at = self.span(&p);
                if p.as_str() == "!" {
                    self.symbol_for_word("!", "not", at);
                }
                nots.push(at);
            } else {
                operand = Some(self.expr(p));
            }
        }
        let Some(mut expr) = operand else {
            return Expr {
                kind: ExprKind::Error,
                span: nots
                    .first()
                    .copied()
                    .unwrap_or(Span::new(self.file, self.base, self.base)),
            };
        };
        if nots.len() > self.limits.max_nesting {
            return self.error_node(nots[0].to(expr.span));
        }
        for at in nots.into_iter().rev() {
            let span = at.to(expr.span);
            expr = Expr {
                kind: ExprKind::Not(Box::new(expr)),
                span,
            };
        }
        expr
    }

    fn comparison(&mut self, pair: P<'_>) -> Expr {
        let raw = pair.as_span();
        let mut inner = pair.into_inner();
        let Some(left) = inner.next().map(|p| self.expr(p)) else {
            return Expr {
                kind: ExprKind::Error,
                span: self.trimmed(raw),
            };
        };
        let Some(tail) = inner.next() else {
            return left;
        };
        let span = self.trimmed(raw);
        let tail_rule = tail.as_rule();
        let mut parts = tail.into_inner();
        let operator = parts.next();
        let right = parts
            .find(|p| p.as_rule() == Rule::sum)
            .map(|p| Box::new(self.expr(p)));
        let left = Box::new(left);
        let kind = match (tail_rule, right) {
            (Rule::missing_test, _) => ExprKind::Exists {
                negated: true,
                operand: left,
            },
            (Rule::exists_test, _) => ExprKind::Exists {
                negated: false,
                operand: left,
            },
            (Rule::is_not_test, Some(r)) => ExprKind::Compare(CompareOp::Ne, left, r),
            (Rule::is_test, Some(r)) => ExprKind::Compare(CompareOp::Eq, left, r),
            (Rule::not_in_test, Some(r)) => ExprKind::In {
                negated: true,
                item: left,
                list: r,
            },
            (Rule::in_test, Some(r)) => ExprKind::In {
                negated: false,
                item: left,
                list: r,
            },
            (Rule::contains_test, Some(r)) => ExprKind::Contains(left, r),
            (Rule::matches_test, Some(r)) => ExprKind::Matches(left, r),
            (Rule::compare_test, Some(r)) => {
                let (op, at) = operator.map_or(("==", span), |o| (o.as_str(), self.span(&o)));
                ExprKind::Compare(self.compare_op(op, at), left, r)
            }
            _ => ExprKind::Error,
        };
        Expr { kind, span }
    }

    fn compare_op(&mut self, op: &str, span: Span) -> CompareOp {
        match op {
            "<" => CompareOp::Lt,
            "<=" => CompareOp::Le,
            ">" => CompareOp::Gt,
            ">=" => CompareOp::Ge,
            "!=" => CompareOp::Ne,
            "==" => CompareOp::Eq,
            _ => {
                self.report(
                    Code::E0102,
                    "`=` is not a comparison; use `==` or `is`".into(),
                    span,
                    "use `==` or `is` here",
                    Some("to compare two values write `==` (or the word `is`), e.g. `intent == \"refund\"`".into()),
                );
                CompareOp::Eq
            }
        }
    }

    /// `A + B - C` and `A * B / C`, left to right.
    fn arithmetic(&mut self, pair: P<'_>) -> Expr {
        let raw = pair.as_span();
        let mut inner = pair.into_inner();
        let Some(first) = inner.next() else {
            return Expr {
                kind: ExprKind::Error,
                span: self.trimmed(raw),
            };
        };
        let mut expr = self.expr(first);
        let mut count = 0;
        while let (Some(op), Some(right)) = (inner.next(), inner.next()) {
            count += 1;
            if count > self.limits.max_nesting {
                return self.error_node(self.trimmed(raw));
            }
            let op = match op.as_str() {
                "+" => ArithOp::Add,
                "-" => ArithOp::Sub,
                "*" => ArithOp::Mul,
                _ => ArithOp::Div,
            };
            let right = self.expr(right);
            let span = expr.span.to(right.span);
            expr = Expr {
                kind: ExprKind::Arith(op, Box::new(expr), Box::new(right)),
                span,
            };
        }
        expr
    }

    /// `-A`; a minus before a number is folded into the number.
    fn unary(&mut self, pair: P<'_>) -> Expr {
        let raw = pair.as_span();
        let mut minus = Vec::new();
        let mut operand = None;
        for p in pair.into_inner() {
            if p.as_rule() == Rule::neg {
                minus.push(self.span(&p));
            } else {
                operand = Some(self.expr(p));
            }
        }
        let Some(expr) = operand else {
            return Expr {
                kind: ExprKind::Error,
                span: self.trimmed(raw),
            };
        };
        if minus.len() > self.limits.max_nesting {
            return self.error_node(self.trimmed(raw));
        }
        minus_applied(&minus, expr)
    }

    /// Numbers, durations, percentages, booleans and text.
    pub fn literal(&mut self, pair: P<'_>) -> Expr {
        let span = self.span(&pair);
        let written = pair.as_str();
        let kind = match pair.as_rule() {
            Rule::number => self
                .number(written, span)
                .map_or(ExprKind::Error, ExprKind::Number),
            Rule::percent => self
                .number(&written[..written.len() - 1], span)
                .map_or(ExprKind::Error, |n| ExprKind::Number(n / 100.0)),
            Rule::duration => self
                .duration(written, span)
                .map_or(ExprKind::Error, ExprKind::Duration),
            Rule::boolean => ExprKind::Bool(written == "true"),
            Rule::string | Rule::curly_string => ExprKind::Text(self.text(pair).text),
            Rule::bad_number => {
                self.bad_number(written, span);
                ExprKind::Error
            }
            _ => ExprKind::Error,
        };
        Expr { kind, span }
    }

    fn number(&mut self, written: &str, span: Span) -> Option<f64> {
        let n = parse_number(written)?;
        if n.is_finite() {
            return Some(n);
        }
        self.report(
            Code::E0110,
            format!("`{written}` is too large a number"),
            span,
            "too large",
            Some("numbers must stay below 10^308".into()),
        );
        None
    }

    fn duration(&mut self, written: &str, span: Span) -> Option<f64> {
        duration_seconds(written, |digits| self.number(digits, span))
    }

    fn bad_number(&mut self, written: &str, span: Span) {
        let digits: String = written
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '_')
            .collect();
        let unit = &written[digits.len()..];
        let hint = match unit.to_lowercase().as_str() {
            "sec" | "secs" | "second" | "seconds" => Some(format!("`{digits}s`")),
            "min" | "mins" | "minute" | "minutes" => Some(format!("`{digits}m`")),
            "hr" | "hrs" | "hour" | "hours" => Some(format!("`{digits}h`")),
            "day" | "days" => Some(format!("`{digits}d`")),
            "k" => Some(format!("`{digits}_000`")),
            _ => None,
        };
        let help = match hint {
            Some(h) => format!("write {h}"),
            None => "a number is digits like `50_000` or `0.6`; a duration ends in `s`, `m`, `h` or `d`, like `30m`".into(),
        };
        self.report(
            Code::E0110,
            format!("`{written}` is neither a number nor a duration"),
            span,
            "not a number",
            Some(help),
        );
    }
}

/// `expr` after the minus signs at `minus` (in the order written): a
/// minus before a number or duration is folded into it.
pub fn minus_applied(minus: &[Span], mut expr: Expr) -> Expr {
    for &at in minus.iter().rev() {
        let span = at.to(expr.span);
        expr = match expr.kind {
            ExprKind::Number(n) => Expr {
                kind: ExprKind::Number(-n),
                span,
            },
            ExprKind::Duration(d) => Expr {
                kind: ExprKind::Duration(-d),
                span,
            },
            kind => Expr {
                kind: ExprKind::Neg(Box::new(Expr {
                    kind,
                    span: expr.span,
                })),
                span,
            },
        };
    }
    expr
}

/// The value of a number as written (`50_000`, `0.6`), if it is finite.
pub fn number_value(written: &str) -> Option<f64> {
    parse_number(written).filter(|n| n.is_finite())
}

fn parse_number(written: &str) -> Option<f64> {
    written.replace('_', "").parse().ok()
}

/// The seconds of a duration as written (`1h30m`), each number read by
/// `number`.
pub fn duration_seconds(written: &str, mut number: impl FnMut(&str) -> Option<f64>) -> Option<f64> {
    let mut total = 0.0;
    let mut digits = String::new();
    for c in written.chars() {
        let unit = match c {
            's' => 1.0,
            'm' => 60.0,
            'h' => 3_600.0,
            'd' => 86_400.0,
            _ => {
                digits.push(c);
                continue;
            }
        };
        total += number(&std::mem::take(&mut digits))? * unit;
    }
    Some(total)
}

/// How deep an expression nests, computed without recursion.
pub fn depth(expr: &Expr) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(expr, 1)];
    while let Some((e, d)) = stack.pop() {
        deepest = deepest.max(d);
        for child in children(e) {
            stack.push((child, d + 1));
        }
    }
    deepest
}

/// The direct sub-expressions of an expression.
pub fn children(expr: &Expr) -> Vec<&Expr> {
    match &expr.kind {
        ExprKind::List(items) | ExprKind::And(items) | ExprKind::Or(items) => {
            items.iter().collect()
        }
        ExprKind::Not(e) | ExprKind::Neg(e) | ExprKind::Exists { operand: e, .. } => vec![e],
        ExprKind::Compare(_, a, b)
        | ExprKind::Contains(a, b)
        | ExprKind::Matches(a, b)
        | ExprKind::Arith(_, a, b)
        | ExprKind::In {
            item: a, list: b, ..
        } => vec![a, b],
        ExprKind::Number(_)
        | ExprKind::Duration(_)
        | ExprKind::Text(_)
        | ExprKind::Bool(_)
        | ExprKind::Path(_)
        | ExprKind::Error => Vec::new(),
    }
}
