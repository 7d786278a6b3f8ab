//! Syntax tree to checked ruleset: names resolved, types checked, patterns
//! compiled, lints run. Every problem is reported, not only the first: the
//! checker keeps going with a placeholder wherever something did not check.

mod declare;
pub mod ir;
mod lets;
mod lints;
mod outcome;
mod pattern;
pub mod signals;
mod types;

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::limits::Limits;
use crate::source::{Sources, Span};
use crate::syntax::{self, ast};

pub use ir::Ruleset;

/// A checked ruleset and everything found wrong with it.
#[derive(Debug)]
pub struct Checked {
    /// The ruleset; complete only when there are no errors.
    pub ruleset: Ruleset,
    /// Syntax errors, name and type errors and lints, in file order.
    pub diagnostics: Diagnostics,
}

impl Checked {
    /// The ruleset when it has no errors, or the diagnostics when it has.
    pub fn into_result(self) -> Result<(Ruleset, Diagnostics), Diagnostics> {
        if self.diagnostics.has_errors() {
            Err(self.diagnostics)
        } else {
            Ok((self.ruleset, self.diagnostics))
        }
    }
}

/// Parses and checks every file of a ruleset.
pub fn check_sources(sources: &Sources, limits: &Limits) -> Checked {
    check(sources, parse_all(sources, limits), limits)
}

/// Rule text, in bytes, above which files are parsed on several threads.
const PARALLEL_BYTES: usize = 256 * 1024;

/// Every file parsed, in file order: on one thread for a small ruleset, on
/// as many as the machine has for a large one (files are independent).
fn parse_all(sources: &Sources, limits: &Limits) -> Vec<syntax::ParsedFile> {
    let files: Vec<_> = sources.iter().collect();
    let bytes: usize = files.iter().map(|(_, s)| s.text().len()).sum();
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(files.len());
    if bytes < PARALLEL_BYTES || workers < 2 {
        return files
            .iter()
            .map(|(id, source)| syntax::parse_file(*id, source, limits))
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut parsed: Vec<Option<syntax::ParsedFile>> = files.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((id, source)) = files.get(i) else {
                            return done;
                        };
                        done.push((i, syntax::parse_file(*id, source, limits)));
                    }
                })
            })
            .collect();
        for handle in handles {
            match handle.join() {
                Ok(done) => {
                    for (i, file) in done {
                        parsed[i] = Some(file);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    parsed.into_iter().flatten().collect()
}

/// Checks parsed files (in rule order) as one ruleset.
pub fn check(sources: &Sources, parsed: Vec<syntax::ParsedFile>, limits: &Limits) -> Checked {
    let (ruleset, lints) = check_before_lints(sources, parsed, limits);
    Checked {
        diagnostics: lints.run(&ruleset),
        ruleset,
    }
}

/// Parses and checks every file of a ruleset, leaving the lints that weigh
/// the whole ruleset to run, so that they may run beside compiling it.
pub fn check_sources_before_lints(sources: &Sources, limits: &Limits) -> (Ruleset, Lints) {
    check_before_lints(sources, parse_all(sources, limits), limits)
}

fn check_before_lints(
    sources: &Sources,
    parsed: Vec<syntax::ParsedFile>,
    limits: &Limits,
) -> (Ruleset, Lints) {
    let mut checker = Checker::new(sources, limits);
    let mut items = Vec::new();
    for file in parsed {
        checker.diagnostics.extend(file.diagnostics);
        items.extend(file.items);
    }
    let ruleset = checker.run(&items);
    // Whether something is unused is only worth saying about a ruleset
    // that reads in full: an item with an error may be what uses it.
    let lints = Lints {
        settled: !checker.diagnostics.has_errors(),
        used_lets: checker.used_lets,
        used_queues: checker.used_queues,
        diagnostics: checker.diagnostics,
    };
    (ruleset, lints)
}

/// A checked ruleset's diagnostics so far, and what its lints need.
#[derive(Debug)]
pub struct Lints {
    settled: bool,
    used_lets: HashSet<ir::LetId>,
    used_queues: HashSet<ir::QueueId>,
    diagnostics: Diagnostics,
}

impl Lints {
    /// Whether the ruleset has errors (and will not be compiled).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }

    /// Runs the lints over `ruleset` and gives every diagnostic, in file order.
    pub fn run(self, ruleset: &Ruleset) -> Diagnostics {
        let mut diagnostics = self.diagnostics;
        diagnostics.extend(lints::lint(
            ruleset,
            &self.used_lets,
            &self.used_queues,
            self.settled,
        ));
        diagnostics.sort(&ruleset.sources);
        diagnostics
    }
}

/// The state of one check: the symbol tables so far and the diagnostics.
struct Checker<'a> {
    sources: &'a Sources,
    limits: &'a Limits,
    /// How deep a condition may nest, counting the `let`s it is built on.
    max_depth: usize,
    /// How deep each `let` nests, counting the `let`s it is built on.
    let_depths: Vec<usize>,
    diagnostics: Diagnostics,
    queues: Vec<ir::Queue>,
    queue_ids: HashMap<String, ir::QueueId>,
    fields: Vec<ir::Field>,
    field_ids: HashMap<String, ir::FieldId>,
    lets: Vec<Option<ir::Let>>,
    let_ids: HashMap<String, ir::LetId>,
    let_types: Vec<ir::Type>,
    used_lets: HashSet<ir::LetId>,
    used_queues: HashSet<ir::QueueId>,
    /// The did-you-mean worked out for each unknown name, by the name and
    /// how many `let`s and fields there were: a name misspelt in a
    /// thousand rules is compared with every known name once.
    name_suggestions: HashMap<(String, usize, usize), Option<String>>,
}

impl<'a> Checker<'a> {
    fn new(sources: &'a Sources, limits: &'a Limits) -> Checker<'a> {
        Checker {
            sources,
            limits,
            max_depth: limits.max_nesting * 4,
            let_depths: Vec::new(),
            diagnostics: Diagnostics::new(),
            queues: Vec::new(),
            queue_ids: HashMap::new(),
            fields: Vec::new(),
            field_ids: HashMap::new(),
            lets: Vec::new(),
            let_ids: HashMap::new(),
            let_types: Vec::new(),
            used_lets: HashSet::new(),
            used_queues: HashSet::new(),
            name_suggestions: HashMap::new(),
        }
    }

    fn run(&mut self, items: &[ast::Item]) -> Ruleset {
        for item in items {
            match item {
                ast::Item::Queue(q) => self.declare_queue(q),
                ast::Item::Field(f) => self.declare_field(f),
                _ => {}
            }
        }
        let lets: Vec<&ast::LetDecl> = items
            .iter()
            .filter_map(|i| match i {
                ast::Item::Let(l) => Some(l),
                _ => None,
            })
            .collect();
        self.check_lets(&lets);
        let (default, default_span) = self.check_default(items);
        let rules = self.check_rules(items);
        let rule_names: HashSet<&str> = rules.iter().map(|r| r.name.as_str()).collect();
        let mut test_names: HashMap<&str, Span> = HashMap::new();
        let mut tests = Vec::new();
        for item in items {
            let ast::Item::Test(t) = item else { continue };
            match test_names.get(t.name.value.as_str()) {
                Some(first) => {
                    let d = self
                        .at(
                            Code::E0208,
                            format!("two tests are named `{}`", t.name.value),
                            t.name.span,
                            "second test with this name",
                        )
                        .label(self.sources, *first, "first test with this name")
                        .help("give each test its own name: reports and CI systems tell tests apart by name");
                    self.push(d);
                }
                None => {
                    test_names.insert(&t.name.value, t.name.span);
                }
            }
            tests.push(self.check_test(t, &rule_names));
        }
        let mut ruleset = Ruleset {
            sources: self.sources.clone(),
            queues: std::mem::take(&mut self.queues),
            fields: std::mem::take(&mut self.fields),
            lets: Vec::new(),
            rules,
            default,
            default_span,
            tests,
        };
        ruleset.lets = std::mem::take(&mut self.lets)
            .into_iter()
            .flatten()
            .collect();
        ruleset
    }

    /// Records a diagnostic built by the caller.
    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// A diagnostic with one label on `span`.
    fn at(
        &self,
        code: crate::diagnostic::Code,
        message: String,
        span: Span,
        label: &str,
    ) -> Diagnostic {
        Diagnostic::new(code, message).label(self.sources, span, label)
    }

    /// The text of a span, on one line and cut short, for quoting in messages.
    fn snippet(&self, span: Span) -> String {
        let text = self.sources.get(span.file).text();
        let raw = text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        let flat = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() > 40 {
            format!("{}...", flat.chars().take(37).collect::<String>())
        } else {
            flat
        }
    }
}
