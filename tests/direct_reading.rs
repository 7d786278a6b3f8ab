//! Rules and tests written without mistakes are read directly, beside pest
//! (`src/syntax/fast.rs`), because pest made loading a large ruleset slow.
//! A rule writer must never notice: every rule file of the project, and
//! thousands of mutations of them (the mistakes people make, typed at every
//! kind of place), give the same items, spans and diagnostics read either
//! way.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use baton::Limits;
use baton::source::{FileId, SourceFile};
use baton::syntax::ast::Item;
use baton::syntax::{parse_file, parse_file_by_grammar};

use common::fixture_limits;

/// Every `.baton` file under `dir`, in order.
fn baton_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("readable").path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            baton_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "baton") {
            out.push(path);
        }
    }
}

/// The rule texts of the project: rule files, fixtures, fuzz seeds and the
/// `baton` blocks of the documentation.
fn texts() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["rules", "examples", "tests/fixtures", "fuzz/seeds"] {
        baton_files(&root.join(dir), &mut paths);
    }
    // A file that is not UTF-8 (a fixture of that error) is never parsed.
    let mut texts: Vec<(String, String)> = paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some((common::relative(p).display().to_string(), text))
        })
        .collect();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    for page in pages {
        let text = std::fs::read_to_string(&page).expect("readable");
        let name = common::relative(&page).display().to_string();
        for block in common::blocks(&text) {
            if block.info.starts_with("baton") {
                texts.push((name.clone(), block.text));
            }
        }
    }
    texts
}

/// Items and diagnostics read both ways, or what differs.
fn same_both_ways(name: &str, text: &str, limits: &Limits) -> Result<Vec<Item>, String> {
    let source = Arc::new(SourceFile::new(name, text));
    let direct = parse_file(FileId(0), &source, limits);
    let grammar = parse_file_by_grammar(FileId(0), &source, limits);
    if direct.items != grammar.items {
        let at = direct
            .items
            .iter()
            .zip(&grammar.items)
            .position(|(a, b)| a != b)
            .unwrap_or(direct.items.len().min(grammar.items.len()));
        return Err(format!(
            "{name}: item {at} differs\ndirect: {:?}\npest:   {:?}\n--- text ---\n{text}",
            direct.items.get(at),
            grammar.items.get(at)
        ));
    }
    let shown = |p: &baton::syntax::ParsedFile| format!("{:?}", p.diagnostics);
    if shown(&direct) != shown(&grammar) {
        return Err(format!(
            "{name}: diagnostics differ\ndirect: {}\npest:   {}\n--- text ---\n{text}",
            shown(&direct),
            shown(&grammar)
        ));
    }
    Ok(direct.items)
}

#[test]
fn every_rule_file_of_the_project_reads_the_same_both_ways() {
    let texts = texts();
    assert!(texts.len() > 150, "found only {} rule texts", texts.len());
    for (name, text) in &texts {
        if let Err(diff) = same_both_ways(name, text, &fixture_limits(text)) {
            panic!("{diff}");
        }
    }
}

#[test]
fn text_in_curly_quotes_before_a_rule_on_its_line_reads_the_same_both_ways() {
    // A review found these: a `#` in curly or single quotes was taken for a
    // comment, and a curly quote closed by a straight one turned quoted
    // text inside out, so pest's spans were trimmed at the wrong place.
    for text in [
        "queue q '#' when a then continue # c",
        "queue q “a\" when a == \"#\" then continue",
        "when“\"then continue test\"\"given d:\"#\"s:\"\"with p=0 expect collect s",
        "let v = '#' when a then continue # c\n",
        "queue q „#“ when a then continue # c\n",
    ] {
        if let Err(diff) = same_both_ways("curly.baton", text, &Limits::default()) {
            panic!("{diff}");
        }
    }
}

/// What people mistype, and the words and signs around which reading
/// could go wrong: inserted at random places of the project's rule files.
const SLIPS: &[&str] = &[
    "\"",
    "\\\n",
    "“",
    "’",
    "'",
    "«",
    "\\",
    "\\\"",
    "=",
    "==",
    "!=",
    "!",
    "<",
    ">=",
    "&&",
    "||",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "-",
    "+",
    "*",
    "/",
    "%",
    "#",
    "\n",
    " ",
    "\t",
    "\u{feff}",
    "é",
    "{",
    "}",
    "{x}",
    "30sec",
    "5min ",
    "1hand ",
    "2sor ",
    "3dis ",
    "4hin ",
    "1h30min",
    "1h30",
    "5k",
    "1_",
    "1__0",
    "1.",
    "not not not ",
    "- - -1 ",
    "1 + 2 - 3 + 4 ",
    "2 * 3 / 4 * 5 ",
    "not not -(-(a + b * -c) * -d) + e < 1 and ",
    ".5",
    "0.6",
    "1e400",
    "99999999999999999999999999",
    " not ",
    " in ",
    " is ",
    " is not ",
    " missing ",
    " exists ",
    " and ",
    " or ",
    " then ",
    " unless ",
    " when ",
    "rule ",
    "test ",
    "with x = 1 ",
    "with x == 1 ",
    "after 5m ",
    "after 5 ",
    "expect continue ",
    "expect tag \"t\" ",
    "expect collect a.b ",
    "priority high ",
    "priority ",
    "tag \"t\", ",
    "collect ",
    "customer: ",
    "customer: \"x\" ",
    "true",
    "falsey",
    "queue",
    "to",
    "handoff to q ",
    "continue ",
    "-(",
    "--",
    "[]",
    "[,]",
    "[a,]",
    "()",
    ":",
];

/// A small random number generator, the same on every run.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// A character boundary of `text` near `at`.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A place to type at: anywhere, or (every other time) where a token
/// starts or ends, where a slip most often reads as something.
fn place(text: &str, dice: &mut Dice) -> usize {
    let at = boundary(text, dice.below(text.len() + 1));
    if dice.below(2) == 0 {
        return at;
    }
    let edge = |c: char| c.is_whitespace() || "([,".contains(c);
    text[at..]
        .find(edge)
        .map_or(text.len(), |i| at + i + dice.below(2))
        .min(text.len())
}

fn mutate(text: &str, dice: &mut Dice) -> String {
    let mut out = text.to_string();
    for _ in 0..1 + dice.below(3) {
        let at = place(&out, dice);
        match dice.below(4) {
            0 => {
                let to = boundary(&out, at + 1 + dice.below(6));
                out.replace_range(at..to, "");
            }
            1 => {
                let to = boundary(&out, at + 1 + dice.below(6));
                let slip = SLIPS[dice.below(SLIPS.len())];
                out.replace_range(at..to, slip);
            }
            _ => out.insert_str(at, SLIPS[dice.below(SLIPS.len())]),
        }
    }
    out
}

#[test]
fn mistakes_typed_anywhere_read_the_same_both_ways() {
    let mut dice = Dice(0x0ba7_0ba7);
    let limits = [
        Limits::default(),
        Limits {
            max_nesting: 2,
            max_text_bytes: 8,
            ..Limits::default()
        },
    ];
    let mut read = 0;
    for (name, text) in texts().iter().filter(|(_, t)| t.len() < 20_000) {
        for round in 0..60 {
            let mutated = mutate(text, &mut dice);
            let limits = &limits[round % 2];
            if let Err(diff) = same_both_ways(name, &mutated, limits) {
                panic!("{diff}");
            }
            read += 1;
        }
    }
    assert!(read > 9_000, "only {read} mutations read");
}

/// A large team's rules in the shapes the scale benchmark generates.
fn generated(n: usize) -> String {
    let mut text = String::from(
        "queue q0 \"Queue 0\" sla 15m\nfield customer.tier : text one of [\"free\", \"pro\"]\n",
    );
    for i in 0..n {
        let condition = match i % 6 {
            0 => format!("intent == \"refund_{i}\" and (angry or loops >= {})", i % 3),
            1 => format!("intent in [\"a\", \"b_{i}\",] and refund.amount > {i} and not vip"),
            2 => format!("channel == \"chat\" and waiting > {}m and customer_turns >= 3", i),
            3 => format!("(sentiment_min < -0.{} or x is not missing) and -y * 2 / -3 - 1 != 4", 1 + i % 9),
            4 => "customer_text matches \"(?i)\\\\bhuman\\\\b\" or a.b.c is missing or z exists # note\n  or tier not in [1h30m, 80%, 1_000.5] or t contains \"\\{x\\}\" or not not k is true".to_string(),
            _ => "x is y or x is not \"z\" and w < 2d and v <= 1 and u >= 2 and s > -1".to_string(),
        };
        text.push_str(&format!(
            "rule \"Rule {i}\"\n  when {condition}\n  unless false\n  then handoff to q0 priority high\n    tag \"t{i}\", \"{{intent}}\"\n    reason \"Rule {i} for {{intent}}\" # why\n    next \"n\" assign \"a\" collect order.id, customer.tier\n\n",
        ));
        text.push_str(&format!(
            "test \"rule {i}\"\n  given\n    customer: \"hello\"\n    agent : \"hi\"\n  with intent = \"refund_{i}\"\n  with n = -5\n  after 20m\n  expect handoff to q0 priority high\n  expect rule \"Rule {i}\"\n  expect tag \"t\"\n  expect collect order.id\n\n\
             test \"file {i}\" given \"c.json\" expect offer handoff to q0 expect approval from q0 expect continue\n",
        ));
    }
    text
}

#[test]
fn rules_and_tests_written_well_are_read_directly() {
    let text = generated(60);
    let items = same_both_ways("generated.baton", &text, &Limits::default())
        .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(items.len(), 2 + 60 * 3);
    let limits = Limits::default();
    let mut pos = 0;
    let mut direct = 0;
    // Every rule and test item is one the direct reader takes whole.
    while let Some(start) = text[pos..].find(['\n']).map(|i| pos + i + 1) {
        pos = start;
        if (text[pos..].starts_with("rule ") || text[pos..].starts_with("test "))
            && baton::syntax::read_directly(&text, pos, FileId(0), &limits).is_some()
        {
            direct += 1;
        }
    }
    assert_eq!(direct, 60 * 3);
}
