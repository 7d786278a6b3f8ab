//! Helpers shared by the integration tests: reading fixtures the way `baton
//! check` reads files, rendering diagnostics, and printing syntax trees in a
//! compact form that a reviewer can read in a snapshot.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use baton::Limits;
use baton::diagnostic::{Diagnostics, render_plain};
use baton::source::Sources;
use baton::syntax::ast::*;

/// A fenced code block of a Markdown page: its info string (`baton`,
/// `baton expect=E0201`, `json`, ...), its text, and the line it opens on.
pub struct Block {
    pub info: String,
    pub text: String,
    pub line: usize,
}

/// The fenced code blocks of a Markdown page, in order.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in markdown.lines().enumerate() {
        match (&mut open, line.trim_start().strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    info: info.trim().to_string(),
                    text: String::new(),
                    line: i + 1,
                })
            }
            (Some(_), Some(_)) => out.extend(open.take()),
            (Some(block), None) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

/// A path relative to the crate root, as the tests name files.
pub fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_path_buf()
}

/// Limits for a fixture: the defaults, changed by `# limits: key = value`
/// lines, so a fixture can show a limit without being megabytes long.
pub fn fixture_limits(text: &str) -> Limits {
    let mut limits = Limits::default();
    for line in text.lines() {
        let Some(setting) = line.strip_prefix("# limits:") else {
            continue;
        };
        let (key, value) = setting.split_once('=').expect("`# limits: key = value`");
        let value: usize = value.trim().parse().expect("a limit is a whole number");
        match key.trim() {
            "max_file_bytes" => limits.max_file_bytes = value,
            "max_nesting" => limits.max_nesting = value,
            "max_syntax_errors" => limits.max_syntax_errors = value,
            "max_conversation_bytes" => limits.max_conversation_bytes = value,
            "max_rules" => limits.max_rules = value,
            "max_text_bytes" => limits.max_text_bytes = value,
            "max_pattern_bytes" => limits.max_pattern_bytes = value,
            "max_json_depth" => limits.max_json_depth = value,
            other => panic!("unknown limit `{other}`"),
        }
    }
    limits
}

/// Reads and checks rule files as `baton check` does, with the limits the
/// first file asks for, and with `--gaps` when a file says `# check: --gaps`.
pub fn check_paths(paths: &[PathBuf]) -> (Sources, Diagnostics) {
    let loaded = baton::reload::load_paths(paths).expect("fixture readable");
    let limits = loaded
        .sources
        .iter()
        .next()
        .map_or_else(Limits::default, |(_, f)| fixture_limits(f.text()));
    let gaps = loaded
        .sources
        .iter()
        .any(|(_, f)| f.text().contains("# check: --gaps"));
    let (_, checked) = baton::analysis::check_and_analyse(&loaded.sources, &limits, gaps);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(checked);
    (loaded.sources, diagnostics)
}

/// Every diagnostic in the plain format, separated by blank lines.
pub fn render(diagnostics: &Diagnostics) -> String {
    diagnostics
        .iter()
        .map(render_plain)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The code a fixture's file name starts with, e.g. `E0201`.
pub fn code_of(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.split('_').next().unwrap_or("").to_string()
}

/// A syntax tree as nested parentheses, each node with its byte span:
/// `(< @5..21 sentiment@5..14 -0.6@17..21)`.
pub fn sexpr(items: &[Item]) -> String {
    let mut out = String::new();
    for item in items {
        item_sexpr(&mut out, item);
        out.push('\n');
    }
    out
}

fn at(span: baton::source::Span) -> String {
    format!("@{}..{}", span.start, span.end)
}

fn item_sexpr(out: &mut String, item: &Item) {
    match item {
        Item::Queue(q) => {
            let _ = write!(
                out,
                "(queue {} {}{}",
                at(q.span),
                q.name.text,
                at(q.name.span)
            );
            if let Some(d) = &q.description {
                let _ = write!(out, " {:?}{}", d.value, at(d.span));
            }
            if let Some((sla, span)) = q.sla {
                let _ = write!(out, " (sla {sla}s{})", at(span));
            }
            out.push(')');
        }
        Item::Field(f) => {
            let list = if f.ty.list { "list of " } else { "" };
            let _ = write!(
                out,
                "(field {} {}{} : {list}{}{}",
                at(f.span),
                f.path.text,
                at(f.path.span),
                f.ty.name.text,
                at(f.ty.span)
            );
            if let Some(one_of) = &f.one_of {
                out.push_str(" (one of ");
                expr_sexpr(out, one_of);
                out.push(')');
            }
            out.push(')');
        }
        Item::Let(l) => {
            let _ = write!(
                out,
                "(let {} {}{} ",
                at(l.span),
                l.name.text,
                at(l.name.span)
            );
            expr_sexpr(out, &l.value);
            out.push(')');
        }
        Item::Default(d) => {
            let _ = write!(out, "(default {} ", at(d.span));
            outcome_sexpr(out, &d.outcome);
            out.push(')');
        }
        Item::Rule(r) => {
            let _ = write!(out, "(rule {}", at(r.span));
            if let Some(n) = &r.name {
                let _ = write!(out, " {:?}{}", n.value, at(n.span));
            }
            out.push_str("\n  (when ");
            expr_sexpr(out, &r.when);
            out.push(')');
            if let Some(u) = &r.unless {
                out.push_str("\n  (unless ");
                expr_sexpr(out, u);
                out.push(')');
            }
            out.push_str("\n  ");
            outcome_sexpr(out, &r.outcome);
            out.push(')');
        }
        Item::Test(t) => {
            let _ = write!(out, "(test {} {:?}", at(t.span), t.name.value);
            match &t.given {
                Given::File(f) => {
                    let _ = write!(out, "\n  (given {:?}{})", f.value, at(f.span));
                }
                Given::Transcript(lines) => {
                    out.push_str("\n  (given");
                    for l in lines {
                        let _ = write!(
                            out,
                            "\n    ({}{} {:?}{})",
                            l.role.text,
                            at(l.role.span),
                            l.text.value,
                            at(l.text.span)
                        );
                    }
                    out.push(')');
                }
            }
            for w in &t.with {
                let _ = write!(out, "\n  (with {}{} ", w.path.text, at(w.path.span));
                expr_sexpr(out, &w.value);
                out.push(')');
            }
            if let Some(after) = t.after {
                let _ = write!(out, "\n  (after {after}s)");
            }
            for e in &t.expect {
                out.push_str("\n  (expect ");
                match e {
                    Expectation::Action(a) => action_sexpr(out, a),
                    Expectation::Rule(r) => {
                        let _ = write!(out, "rule {:?}{}", r.value, at(r.span));
                    }
                    Expectation::Tag(r) => {
                        let _ = write!(out, "tag {:?}{}", r.value, at(r.span));
                    }
                    Expectation::Collect(paths, span) => {
                        let _ = write!(out, "collect{}", at(*span));
                        for p in paths {
                            let _ = write!(out, " {}{}", p.text, at(p.span));
                        }
                    }
                }
                out.push(')');
            }
            out.push(')');
        }
    }
}

fn action_sexpr(out: &mut String, a: &Action) {
    let _ = write!(out, "({:?} {}", a.kind, at(a.span));
    if let Some(q) = &a.queue {
        let _ = write!(out, " {}{}", q.text, at(q.span));
    }
    if let Some(p) = &a.priority {
        let _ = write!(out, " (priority {}{})", p.text, at(p.span));
    }
    out.push(')');
}

fn outcome_sexpr(out: &mut String, o: &Outcome) {
    let _ = write!(out, "(then {} ", at(o.span));
    action_sexpr(out, &o.action);
    for m in &o.modifiers {
        let _ = write!(out, "\n    ");
        match m {
            Modifier::Tag(tags, span) => {
                let _ = write!(out, "(tag {}", at(*span));
                for t in tags {
                    out.push(' ');
                    message_sexpr(out, t);
                }
            }
            Modifier::Reason(m, span) => {
                let _ = write!(out, "(reason {} ", at(*span));
                message_sexpr(out, m);
            }
            Modifier::Next(m, span) => {
                let _ = write!(out, "(next {} ", at(*span));
                message_sexpr(out, m);
            }
            Modifier::Assign(m, span) => {
                let _ = write!(out, "(assign {} ", at(*span));
                message_sexpr(out, m);
            }
            Modifier::Collect(paths, span) => {
                let _ = write!(out, "(collect {}", at(*span));
                for p in paths {
                    let _ = write!(out, " {}{}", p.text, at(p.span));
                }
            }
        }
        out.push(')');
    }
    out.push(')');
}

fn message_sexpr(out: &mut String, m: &Message) {
    let _ = write!(out, "(message{}", at(m.span));
    for part in &m.parts {
        match part {
            MessagePart::Text(t) => {
                let _ = write!(out, " {t:?}");
            }
            MessagePart::Value(n) => {
                let _ = write!(out, " {{{}{}}}", n.text, at(n.span));
            }
        }
    }
    out.push(')');
}

fn expr_sexpr(out: &mut String, e: &Expr) {
    let span = at(e.span);
    match &e.kind {
        ExprKind::Number(n) => {
            let _ = write!(out, "{n}{span}");
        }
        ExprKind::Duration(d) => {
            let _ = write!(out, "{d}s{span}");
        }
        ExprKind::Text(t) => {
            let _ = write!(out, "{:?}{span}", t.value);
        }
        ExprKind::Bool(b) => {
            let _ = write!(out, "{b}{span}");
        }
        ExprKind::Path(p) => {
            let _ = write!(out, "{}{span}", p.text);
        }
        ExprKind::Error => {
            let _ = write!(out, "<error>{span}");
        }
        ExprKind::List(items) => nary(out, "list", &span, items),
        ExprKind::And(items) => nary(out, "and", &span, items),
        ExprKind::Or(items) => nary(out, "or", &span, items),
        ExprKind::Not(x) => nary(out, "not", &span, std::slice::from_ref(&**x)),
        ExprKind::Neg(x) => nary(out, "neg", &span, std::slice::from_ref(&**x)),
        ExprKind::Compare(op, a, b) => pair(out, op.as_str(), &span, a, b),
        ExprKind::Arith(op, a, b) => pair(out, op.as_str(), &span, a, b),
        ExprKind::Contains(a, b) => pair(out, "contains", &span, a, b),
        ExprKind::Matches(a, b) => pair(out, "matches", &span, a, b),
        ExprKind::In {
            negated,
            item,
            list,
        } => pair(
            out,
            if *negated { "not-in" } else { "in" },
            &span,
            item,
            list,
        ),
        ExprKind::Exists { negated, operand } => nary(
            out,
            if *negated { "is-missing" } else { "exists" },
            &span,
            std::slice::from_ref(&**operand),
        ),
    }
}

fn nary(out: &mut String, name: &str, span: &str, items: &[Expr]) {
    let _ = write!(out, "({name} {span}");
    for item in items {
        out.push(' ');
        expr_sexpr(out, item);
    }
    out.push(')');
}

fn pair(out: &mut String, name: &str, span: &str, a: &Expr, b: &Expr) {
    let _ = write!(out, "({name} {span} ");
    expr_sexpr(out, a);
    out.push(' ');
    expr_sexpr(out, b);
    out.push(')');
}

/// Decides every line of a conversation fixture with the input fixtures'
/// rules, as `baton decide` would: a decision, or an error record, a line.
pub fn decide_fixture(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
    let limits = fixture_limits(&text);
    let rules = baton::Rules::load(
        &[PathBuf::from("tests/fixtures/runtime/rules.baton")],
        &limits,
    )
    .expect("the input fixtures' rules load");
    let options = baton::runtime::Options {
        now: Some(0),
        explain: false,
    };
    text.lines()
        .enumerate()
        // `# limits:` lines set the fixture's limits; they are not input.
        .filter(|(_, line)| !line.starts_with("# limits:"))
        .map(|(i, line)| match rules.decide_str(line, &options) {
            Ok(decision) => serde_json::to_value(decision).expect("serialisable"),
            Err(error) => error.record(i + 1, None),
        })
        .collect()
}

/// What a reader of an input fixture's outcome cares about: the error
/// record as it is, or a decision's action, held-back rules and warnings.
pub fn outcome_view(output: &serde_json::Value) -> serde_json::Value {
    if output.get("error").is_some() {
        return output.clone();
    }
    serde_json::json!({
        "conversation": output["conversation"],
        "action": output["action"],
        "undecided": output["undecided"],
        "warnings": output["warnings"],
    })
}

/// Runs `baton ARGS` in `dir` with `input` on standard input (written from
/// another thread, so a large input cannot block on a full output pipe),
/// without colour and outside CI.
pub fn baton_with_input(dir: &Path, args: &[&str], input: &[u8]) -> std::process::Output {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("baton runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // baton may stop reading early (it exits on bad arguments).
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("baton finishes");
    writer.join().expect("input written");
    output
}

/// Runs `baton ARGS` in the crate's folder and returns its exit status,
/// standard output and standard error.
pub fn baton_run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("baton runs");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}
