//! Names and types inside conditions: every name resolved to a field, signal
//! or `let`, every operator given operands it can use. A type error points at
//! the operand that does not fit and says what would.

use super::Checker;
use super::ir::{Expr, ExprKind, FieldId, Ref, Type, Value};
use super::signals::Signal;
use crate::diagnostic::{Code, did_you_mean, suggest};
use crate::source::Span;
use crate::syntax::ast::{self, ArithOp, CompareOp};

impl Checker<'_> {
    /// Checks an expression that must be true or false.
    pub(super) fn condition(&mut self, e: &ast::Expr) -> Expr {
        let x = self.expr(e);
        if !x.ty.fits(&Type::Bool) {
            let what = self.snippet(x.span);
            let example = match x.ty {
                Type::Number => format!("`{what} > 10`"),
                Type::Duration => format!("`{what} > 30m`"),
                Type::List(_) => format!("`{what} contains \"...\"`"),
                _ => format!("`{what} == \"...\"`"),
            };
            self.wrong_type(
                &x,
                ", not a condition",
                format!("compare it with something, e.g. {example}"),
            );
        }
        x
    }

    /// Reports an operand of a type its operator cannot use:
    /// "`WHAT` is TYPE{rest}", labelled with the type.
    fn wrong_type(&mut self, x: &Expr, rest: &str, help: impl Into<String>) {
        let what = self.snippet(x.span);
        let words = x.ty.words();
        let d = self
            .at(
                Code::E0204,
                format!("`{what}` is {words}{rest}"),
                x.span,
                &words,
            )
            .help(help);
        self.push(d);
    }

    /// Checks and types any expression.
    pub(super) fn expr(&mut self, e: &ast::Expr) -> Expr {
        let (kind, ty) = match &e.kind {
            ast::ExprKind::Number(n) => (ExprKind::Literal(Value::Number(*n)), Type::Number),
            ast::ExprKind::Duration(d) => (ExprKind::Literal(Value::Duration(*d)), Type::Duration),
            ast::ExprKind::Text(t) => (ExprKind::Literal(Value::Text(t.value.clone())), Type::Text),
            ast::ExprKind::Bool(b) => (ExprKind::Literal(Value::Bool(*b)), Type::Bool),
            ast::ExprKind::List(items) => self.list(items),
            ast::ExprKind::Path(name) => match self.resolve(&name.text) {
                Some((r, ty)) => (ExprKind::Ref(r), ty),
                None => {
                    self.unknown_name(name, Code::E0202);
                    (ExprKind::Invalid, Type::Any)
                }
            },
            ast::ExprKind::Not(x) => (ExprKind::Not(Box::new(self.condition(x))), Type::Bool),
            ast::ExprKind::And(xs) => (
                ExprKind::And(xs.iter().map(|x| self.condition(x)).collect()),
                Type::Bool,
            ),
            ast::ExprKind::Or(xs) => (
                ExprKind::Or(xs.iter().map(|x| self.condition(x)).collect()),
                Type::Bool,
            ),
            ast::ExprKind::Compare(op, a, b) => self.compare(*op, a, b),
            ast::ExprKind::In {
                negated,
                item,
                list,
            } => self.membership(*negated, item, list),
            ast::ExprKind::Contains(a, b) => self.contains(a, b),
            ast::ExprKind::Matches(a, b) => self.matches(a, b),
            ast::ExprKind::Exists { negated, operand } => self.exists(*negated, operand),
            ast::ExprKind::Arith(op, a, b) => self.arith(*op, a, b),
            ast::ExprKind::Neg(x) => self.negative(x),
            ast::ExprKind::Error => (ExprKind::Invalid, Type::Any),
        };
        Expr {
            kind,
            ty,
            span: e.span,
        }
    }

    /// What a name refers to, and its type; marks `let`s as used.
    pub(super) fn resolve(&mut self, name: &str) -> Option<(Ref, Type)> {
        if let Some(&id) = self.let_ids.get(name) {
            self.used_lets.insert(id);
            return Some((Ref::Let(id), self.let_types[id.0 as usize].clone()));
        }
        if let Some(&id) = self.field_ids.get(name) {
            return Some((Ref::Field(id), self.fields[id.0 as usize].ty.clone()));
        }
        Signal::from_name(name).map(|s| (Ref::Signal(s), s.ty()))
    }

    /// Reports a name that is not a field, signal or `let`.
    pub(super) fn unknown_name(&mut self, name: &ast::Name, code: Code) {
        let text = name.text.as_str();
        let key = (text.to_string(), self.let_ids.len(), self.field_ids.len());
        let suggestion = match self.name_suggestions.get(&key) {
            Some(suggestion) => suggestion.clone(),
            None => {
                let known = self
                    .let_ids
                    .keys()
                    .map(String::as_str)
                    .chain(self.field_ids.keys().map(String::as_str))
                    .chain(Signal::ALL.iter().map(|s| s.name()));
                let suggestion = did_you_mean(text, known);
                self.name_suggestions.insert(key, suggestion.clone());
                suggestion
            }
        };
        let prefix = format!("{text}.");
        let mut under: Vec<&str> = self
            .field_ids
            .keys()
            .filter(|p| p.starts_with(&prefix))
            .map(String::as_str)
            .collect();
        under.sort();
        let help = if let Some(d) = suggestion {
            d
        } else if !under.is_empty() {
            let listed: Vec<String> = under.iter().take(3).map(|p| format!("`{p}`")).collect();
            format!(
                "`{text}` holds fields, not a value; use one of them, such as {}",
                listed.join(", ")
            )
        } else if text.contains('.') || code == Code::E0203 {
            format!(
                "declare it with `field {text} : TYPE` (number, text, bool, duration or list of text)"
            )
        } else {
            format!(
                "declare it with `field {text} : TYPE`, or write `\"{text}\"` if you meant the text {text}"
            )
        };
        let message = if code == Code::E0203 {
            format!("`{{{text}}}` names no field, signal or `let`")
        } else {
            format!("`{text}` is not a field, a signal or a `let`")
        };
        let d = self.at(code, message, name.span, "unknown name").help(help);
        self.push(d);
    }

    fn list(&mut self, items: &[ast::Expr]) -> (ExprKind, Type) {
        let mut values = Vec::new();
        let mut element = Type::Any;
        for item in items {
            let x = self.expr(item);
            match x.kind {
                ExprKind::Literal(value) if element.fits(&x.ty) => {
                    if element == Type::Any {
                        element = x.ty.clone();
                    }
                    values.push(value);
                }
                ExprKind::Literal(_) => {
                    let d = self
                        .at(
                            Code::E0204,
                            format!(
                                "this list holds {}, but this item is {}",
                                element.plural(),
                                x.ty.words()
                            ),
                            x.span,
                            "does not fit the list",
                        )
                        .help("a list holds values of one type, e.g. `[\"refund\", \"billing\"]`");
                    self.push(d);
                }
                ExprKind::Invalid => {}
                _ => {
                    let d = self
                        .at(Code::E0204, "a list can only hold written-out values".into(), x.span, "not a written value")
                        .help("write each item out: numbers, quoted text, durations, `true` or `false`");
                    self.push(d);
                }
            }
        }
        (
            ExprKind::Literal(Value::List(values)),
            Type::List(Box::new(element)),
        )
    }

    fn compare(&mut self, op: CompareOp, a: &ast::Expr, b: &ast::Expr) -> (ExprKind, Type) {
        let (l, r) = (self.expr(a), self.expr(b));
        let ordered = matches!(
            op,
            CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge
        );
        let has_order = |t: &Type| matches!(t, Type::Number | Type::Duration | Type::Any);
        if ordered && !has_order(&l.ty) {
            self.no_order(&l, op);
        } else if ordered && !has_order(&r.ty) {
            self.mismatch_blaming(&r, &l);
        } else if !ordered && matches!(l.ty, Type::List(_)) {
            self.list_equality(&l);
        } else if !ordered && matches!(r.ty, Type::List(_)) {
            self.list_equality(&r);
        } else if !l.ty.fits(&r.ty) {
            self.mismatch(&l, &r);
        } else {
            self.within_one_of(&l, b);
            self.within_one_of(&r, a);
        }
        (ExprKind::Compare(op, Box::new(l), Box::new(r)), Type::Bool)
    }

    fn no_order(&mut self, x: &Expr, op: CompareOp) {
        let help = match x.ty {
            Type::Text => "text is compared with `==`, `!=`, `in`, `contains` or `matches`",
            Type::Bool => {
                "true/false values are compared with `==`, or used alone: `when asked_for_human`"
            }
            _ => "use `contains` to look inside a list",
        };
        let rest = format!(", which cannot be compared with `{}`", op.as_str());
        self.wrong_type(x, &rest, help);
    }

    fn list_equality(&mut self, x: &Expr) {
        let d = self
            .at(
                Code::E0204,
                "a list cannot be compared with `==` or `!=`".into(),
                x.span,
                "a list",
            )
            .help("use `in` to test one value against a list, or `contains` to look inside a list");
        self.push(d);
    }

    /// Reports two operands of different types, blaming the one more likely
    /// mistyped: a written value rather than a field or signal.
    fn mismatch(&mut self, l: &Expr, r: &Expr) {
        let literal = |x: &Expr| matches!(x.kind, ExprKind::Literal(_));
        let (blamed, other) = if literal(r) || !literal(l) {
            (r, l)
        } else {
            (l, r)
        };
        self.mismatch_blaming(blamed, other);
    }

    fn mismatch_blaming(&mut self, blamed: &Expr, other: &Expr) {
        let literal = |x: &Expr| matches!(x.kind, ExprKind::Literal(_));
        let other_text = self.snippet(other.span);
        let blamed_text = self.snippet(blamed.span);
        let blamed_words = if literal(blamed) {
            format!("{} `{blamed_text}`", noun(&blamed.ty))
        } else {
            format!("`{blamed_text}`, which is {}", blamed.ty.words())
        };
        let help = match (&other.ty, &blamed.ty, &blamed.kind) {
            (Type::Duration, Type::Number, ExprKind::Literal(Value::Number(n))) => {
                let n = super::ir::format_number(*n);
                format!("give the number a unit: `{n}m`, `{n}s`, `{n}h` or `{n}d`")
            }
            (Type::Number, Type::Duration, _) => "write a plain number, without a unit".into(),
            (Type::Number, Type::Text, ExprKind::Literal(Value::Text(t)))
                if t.trim().parse::<f64>().is_ok() =>
            {
                format!("remove the quotes: `{}`", t.trim())
            }
            (Type::Number, _, _) => format!(
                "compare `{other_text}` with a number, e.g. `{other_text} {}`",
                example_bound(other)
            ),
            (Type::Text, _, _) if literal(blamed) => {
                format!("put the value in double quotes: `\"{blamed_text}\"`")
            }
            (Type::Text, _, _) => {
                format!("compare `{other_text}` with quoted text, e.g. `{other_text} == \"...\"`")
            }
            (Type::Bool, _, _) => {
                format!("compare `{other_text}` with `true` or `false`, or use it alone")
            }
            (Type::Duration, _, _) => {
                format!("compare `{other_text}` with a duration such as `30m`")
            }
            _ => "compare values of the same type".into(),
        };
        let d = self
            .at(
                Code::E0204,
                format!(
                    "`{other_text}` is {}, so it cannot be compared with {blamed_words}",
                    other.ty.words()
                ),
                blamed.span,
                &format!("this is {}", blamed.ty.words()),
            )
            .help(help);
        self.push(d);
    }

    /// Reports written values (one, or a list of them) that a `one of` field can never hold.
    fn within_one_of(&mut self, field: &Expr, written: &ast::Expr) {
        let ExprKind::Ref(Ref::Field(id)) = field.kind else {
            return;
        };
        let items = match &written.kind {
            ast::ExprKind::List(items) => items.iter().collect(),
            _ => vec![written],
        };
        for item in items {
            let value = match &item.kind {
                ast::ExprKind::Text(t) => Value::Text(t.value.clone()),
                ast::ExprKind::Number(n) => Value::Number(*n),
                _ => continue,
            };
            self.one_of_value(id, &value, item.span);
        }
    }

    pub(super) fn one_of_value(&mut self, id: FieldId, value: &Value, span: Span) {
        let field = &self.fields[id.0 as usize];
        let Some(allowed) = &field.one_of else { return };
        // Text comparisons ignore letter case, so `one of` does too.
        let same = |a: &Value| match (a, value) {
            (Value::Text(a), Value::Text(b)) => a.to_lowercase() == b.to_lowercase(),
            (a, b) => a == b,
        };
        if allowed.iter().any(same) {
            return;
        }
        let listed: Vec<String> = allowed.iter().map(ToString::to_string).collect();
        let shown: Vec<String> = listed.iter().map(|v| format!("`{v}`")).collect();
        let close = suggest(&value.to_string(), listed.iter().map(String::as_str));
        let mut help = close.map_or(String::new(), |c| format!("did you mean `{c}`? "));
        help.push_str(&format!("`{}` is one of {}", field.path, shown.join(", ")));
        let message = format!("`{value}` is not one of the values of `{}`", field.path);
        let d = self
            .at(Code::E0205, message, span, "not a possible value")
            .help(help);
        self.push(d);
    }

    fn membership(
        &mut self,
        negated: bool,
        item: &ast::Expr,
        list: &ast::Expr,
    ) -> (ExprKind, Type) {
        let (i, l) = (self.expr(item), self.expr(list));
        let word = if negated { "not in" } else { "in" };
        match &l.ty {
            Type::List(element) if !i.ty.fits(element) => {
                let what = self.snippet(i.span);
                let d = self
                    .at(
                        Code::E0204,
                        format!(
                            "`{what}` is {}, but this list holds {}",
                            i.ty.words(),
                            element.plural()
                        ),
                        l.span,
                        &format!("a list of {}", element.plural()),
                    )
                    .help(format!("list values of the same type as `{what}`"));
                self.push(d);
            }
            Type::List(_) => self.within_one_of(&i, list),
            Type::Any => {}
            Type::Text => {
                let (what, inside) = (self.snippet(i.span), self.snippet(l.span));
                let d = self
                    .at(
                        Code::E0204,
                        format!("`{word}` needs a list after it, not text"),
                        l.span,
                        "text",
                    )
                    .help(format!(
                        "to look inside text, write `{inside} contains {what}`"
                    ));
                self.push(d);
            }
            other => {
                let d = self
                    .at(
                        Code::E0204,
                        format!("`{word}` needs a list after it, not {}", other.words()),
                        l.span,
                        "not a list",
                    )
                    .help(
                        "write the values in brackets, e.g. `intent in [\"refund\", \"billing\"]`",
                    );
                self.push(d);
            }
        }
        (
            ExprKind::In {
                negated,
                item: Box::new(i),
                list: Box::new(l),
            },
            Type::Bool,
        )
    }

    fn contains(&mut self, a: &ast::Expr, b: &ast::Expr) -> (ExprKind, Type) {
        let (l, r) = (self.expr(a), self.expr(b));
        let wanted = match &l.ty {
            Type::Text => Some(Type::Text),
            Type::List(element) => Some((**element).clone()),
            Type::Any => None,
            _ => {
                self.wrong_type(
                    &l,
                    "; `contains` looks inside text or a list",
                    "use `contains` on text, like `customer_text contains \"refund\"`",
                );
                None
            }
        };
        if let Some(wanted) = wanted.filter(|w| !r.ty.fits(w)) {
            let d = self
                .at(
                    Code::E0204,
                    format!(
                        "`contains` looks for {} here, not {}",
                        wanted.words(),
                        r.ty.words()
                    ),
                    r.span,
                    &r.ty.words(),
                )
                .help("put the text to look for in double quotes, e.g. `contains \"refund\"`");
            self.push(d);
        }
        (ExprKind::Contains(Box::new(l), Box::new(r)), Type::Bool)
    }

    fn matches(&mut self, a: &ast::Expr, b: &ast::Expr) -> (ExprKind, Type) {
        let l = self.expr(a);
        if !l.ty.fits(&Type::Text) {
            self.wrong_type(
                &l,
                "; `matches` tests text",
                "use `matches` on text, like `customer_text matches \"(?i)refund\"`",
            );
        }
        let ast::ExprKind::Text(pattern) = &b.kind else {
            if !matches!(b.kind, ast::ExprKind::Error) {
                let d = self
                    .at(Code::E0214, "the pattern after `matches` must be written as quoted text".into(), b.span, "not quoted text")
                    .help("write the pattern in double quotes, e.g. `matches \"(?i)refund|chargeback\"`");
                self.push(d);
            }
            return (ExprKind::Invalid, Type::Bool);
        };
        match super::pattern::compile(pattern, self.limits.max_pattern_bytes) {
            Ok(p) => (ExprKind::Matches(Box::new(l), p), Type::Bool),
            Err(problem) => {
                let d = self
                    .at(Code::E0206, problem.message, problem.span, &problem.label)
                    .help(problem.help);
                self.push(d);
                (ExprKind::Invalid, Type::Bool)
            }
        }
    }

    fn exists(&mut self, negated: bool, operand: &ast::Expr) -> (ExprKind, Type) {
        let x = self.expr(operand);
        if !matches!(x.kind, ExprKind::Ref(_) | ExprKind::Invalid) {
            let word = if negated { "is missing" } else { "exists" };
            let d = self
                .at(
                    Code::E0204,
                    format!("`{word}` checks a field or signal, not a computed value"),
                    x.span,
                    "not a field or signal",
                )
                .help(format!(
                    "write a field's name before it, like `order.id {word}`"
                ));
            self.push(d);
        }
        (
            ExprKind::Exists {
                negated,
                operand: Box::new(x),
            },
            Type::Bool,
        )
    }

    fn arith(&mut self, op: ArithOp, a: &ast::Expr, b: &ast::Expr) -> (ExprKind, Type) {
        use Type::{Any, Duration as D, Number as N};
        let (l, r) = (self.expr(a), self.expr(b));
        let ty = match (op, &l.ty, &r.ty) {
            (_, Any, _) | (_, _, Any) => Some(Any),
            (_, N, N) => Some(N),
            (ArithOp::Add | ArithOp::Sub, D, D) => Some(D),
            (ArithOp::Mul, D, N) | (ArithOp::Mul, N, D) | (ArithOp::Div, D, N) => Some(D),
            (ArithOp::Div, D, D) => Some(N),
            _ => None,
        };
        let ty = ty.unwrap_or_else(|| {
            self.bad_arith(op, &l, &r);
            Any
        });
        (ExprKind::Arith(op, Box::new(l), Box::new(r)), ty)
    }

    fn bad_arith(&mut self, op: ArithOp, l: &Expr, r: &Expr) {
        let numeric = |t: &Type| matches!(t, Type::Number | Type::Duration);
        let sign = op.as_str();
        if !numeric(&l.ty) || !numeric(&r.ty) {
            let blamed = if numeric(&l.ty) { r } else { l };
            let rest = format!("; `{sign}` works on numbers and durations");
            self.wrong_type(
                blamed,
                &rest,
                "use arithmetic only on numbers and durations",
            );
            return;
        }
        let blamed = if l.ty == Type::Number { l } else { r };
        let what = self.snippet(blamed.span);
        let (message, help) = match op {
            ArithOp::Add | ArithOp::Sub => (
                format!("a number and a duration cannot be combined with `{sign}`"),
                format!("give `{what}` a unit, such as `{what}m`"),
            ),
            ArithOp::Mul => (
                "two durations cannot be multiplied".to_string(),
                "multiply a duration by a plain number, like `waiting * 2`".to_string(),
            ),
            ArithOp::Div => (
                "a number cannot be divided by a duration".to_string(),
                "divide the duration by the number instead, like `duration / 2`".to_string(),
            ),
        };
        let d = self
            .at(Code::E0204, message, blamed.span, &blamed.ty.words())
            .help(help);
        self.push(d);
    }

    fn negative(&mut self, x: &ast::Expr) -> (ExprKind, Type) {
        let inner = self.expr(x);
        if !matches!(inner.ty, Type::Number | Type::Duration | Type::Any) {
            self.wrong_type(
                &inner,
                ", which cannot be negative",
                "put a minus sign only before numbers and durations",
            );
        }
        let ty = inner.ty.clone();
        (ExprKind::Neg(Box::new(inner)), ty)
    }
}

/// A comparison that makes sense for a number: `< -0.5` for sentiment,
/// `>= 2` for counts and fields.
fn example_bound(x: &Expr) -> String {
    let range = match x.kind {
        ExprKind::Ref(Ref::Signal(s)) => s.range(),
        _ => None,
    };
    match range {
        Some((lo, hi)) if hi.is_finite() => {
            format!("< {}", super::ir::format_number(lo + (hi - lo) / 4.0))
        }
        _ => ">= 2".into(),
    }
}

/// "the number", "the text", ... for a written value of this type.
fn noun(ty: &Type) -> &'static str {
    match ty {
        Type::Number => "the number",
        Type::Text => "the text",
        Type::Bool => "the value",
        Type::Duration => "the duration",
        Type::List(_) => "the list",
        Type::Any => "the value",
    }
}
