//! baton side by side with six peer rule engines on one escalation ruleset.
//!
//! `cargo run --release -p baton-peers` (from the workspace root) reads the
//! conversation corpus, turns every conversation into a flat feature object
//! (untimed), writes one ~100-rule first-match ruleset in baton, CEL, Rego,
//! JSONLogic, GoRules (zen), rhai and evalexpr from one description, checks
//! that every engine reaches baton's decision on every conversation (exiting
//! 1 at the first disagreement), times each engine over the whole corpus,
//! and prints a table, also written to `bench/peers/RESULTS.md`.
//!
//! `--emit DIR` also writes the seven generated programs into DIR;
//! `--baton-only` stops after baton's decisions and the rule histogram (for
//! tuning the ruleset).

mod emit;
mod engines;
mod features;
mod ruleset;

use std::fmt::Write as _;
use std::hint::black_box;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use engines::Engine;
use features::Row;
use ruleset::Rule;

const COMMAND: &str = "cargo run --release -p baton-peers";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One engine's measurement.
struct Measured {
    name: &'static str,
    krate: &'static str,
    best: Duration,
    passes: usize,
    decisions: usize,
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut emit_dir = None;
    let mut baton_only = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--emit" => emit_dir = rest.next().map(std::path::PathBuf::from),
            "--baton-only" => baton_only = true,
            _ => return Err(format!("usage: {COMMAND} [-- [--emit DIR] [--baton-only]]")),
        }
    }

    let started = Instant::now();
    let corpus = features::load()?;
    let rows = &corpus.rows;
    let n = rows.len();
    if n == 0 {
        return Err(format!("{} has no conversations", corpus.shown));
    }
    println!(
        "corpus:   {} ({n} conversations, features in {:.1} s, untimed)",
        corpus.shown,
        started.elapsed().as_secs_f64()
    );
    let rules = ruleset::rules();
    ruleset::check(&rules)?;
    println!("ruleset:  {} rules, first match wins", rules.len());
    if let Some(dir) = &emit_dir {
        write_programs(dir, &rules)?;
        println!("programs: written to {}", dir.display());
    }

    // The description evaluated directly: what every engine must agree with.
    let reference: Vec<Option<usize>> = rows
        .iter()
        .map(|r| rules.iter().position(|rule| rule.when.holds(&r.f)))
        .collect();

    let mut results = Vec::new();
    let (baton, warnings) = engines::baton(&rules, rows)?;
    if warnings > 0 {
        println!("baton:    the generated rules load with {warnings} warning(s), shown above");
    }
    let expected = reference.clone();
    let baton_decisions = measure(baton, rows, &rules, &expected, "the ruleset's description")?;
    results.push(baton_decisions.0);
    let decisions = baton_decisions.1;

    let hist = Histogram::new(&decisions, &rules);
    print!("\n{}", hist.text());
    if baton_only {
        return Ok(());
    }

    type Build = fn(&[Rule], &[Row]) -> Result<Engine, String>;
    let peers: [Build; 9] = [
        engines::cel,
        engines::rego_vm,
        engines::rego_interpreter,
        engines::rego_vm_min,
        engines::rego_interpreter_min,
        engines::jsonlogic,
        engines::zen,
        engines::rhai,
        engines::evalexpr,
    ];
    println!();
    for build in peers {
        let engine = build(&rules, rows)?;
        let (m, _) = measure(engine, rows, &rules, &decisions, "baton")?;
        results.push(m);
    }
    println!("\nequivalence: every engine reached baton's decision on all {n} conversations");

    let table = table(&results, n);
    println!("\n{table}");
    let verdict = verdict(&results);
    println!("{verdict}");

    let report = report(&corpus, &rules, &hist, &results, &table, &verdict);
    let path = features::workspace_root().join("bench/peers/RESULTS.md");
    std::fs::write(&path, report).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("\nwritten: bench/peers/RESULTS.md");
    Ok(())
}

/// How long each engine is timed for at least.
const MIN_TIMING: Duration = Duration::from_secs(3);

/// Decides every conversation once (warm-up), checks each decision against
/// `expected`, then times at least three more passes (and at least
/// [`MIN_TIMING`] of them) and keeps the best. Every timed pass is checked
/// too.
fn measure(
    mut engine: Engine,
    rows: &[Row],
    rules: &[Rule],
    expected: &[Option<usize>],
    against: &str,
) -> Result<(Measured, Vec<Option<usize>>), String> {
    let n = rows.len();
    let mut out = vec![None; n];
    let warm = Instant::now();
    pass(&mut engine, &mut out)?;
    let warm = warm.elapsed();
    agree(&engine, &out, expected, rows, rules, against)?;
    // At least a few passes, and passes for at least a few seconds: the
    // machine is shared, and a fast engine's pass is over in milliseconds,
    // so a handful of them can all fall in one slow spell.
    let least = if warm > Duration::from_secs(4) { 3 } else { 5 };
    let mut best = Duration::MAX;
    let mut passes = 0;
    let timing = Instant::now();
    while passes < least || timing.elapsed() < MIN_TIMING {
        let start = Instant::now();
        pass(&mut engine, &mut out)?;
        best = best.min(start.elapsed());
        agree(&engine, &out, expected, rows, rules, against)?;
        passes += 1;
    }
    println!(
        "timed:    {:<30} best of {passes} passes: {:>9.1} ms ({:.0} ns per decision)",
        engine.name,
        best.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e9 / n as f64
    );
    Ok((
        Measured {
            name: engine.name,
            krate: engine.krate,
            best,
            passes,
            decisions: n,
        },
        out,
    ))
}

/// One pass over every conversation, single thread.
fn pass(engine: &mut Engine, out: &mut [Option<usize>]) -> Result<(), String> {
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = (engine.decide)(black_box(i))
            .map_err(|e| format!("{} failed on conversation {i}: {e}", engine.name))?;
    }
    black_box(out);
    Ok(())
}

fn agree(
    engine: &Engine,
    got: &[Option<usize>],
    expected: &[Option<usize>],
    rows: &[Row],
    rules: &[Rule],
    against: &str,
) -> Result<(), String> {
    let Some(i) = (0..got.len()).find(|&i| got[i] != expected[i]) else {
        return Ok(());
    };
    let name = |d: Option<usize>| match d {
        Some(k) => format!("rule {k} {:?}", rules[k].name),
        None => "default (continue)".to_string(),
    };
    Err(format!(
        "{} disagrees with {against} on conversation {i} ({}): {} decided {}, {against} decided {}\nfeatures: {}",
        engine.name,
        rows[i].id,
        engine.name,
        name(got[i]),
        name(expected[i]),
        serde_json::Value::Object(rows[i].f.clone())
    ))
}

/// Which rule decided how many conversations.
struct Histogram {
    counts: Vec<(usize, &'static str)>,
    default: usize,
    total: usize,
    rules_read: f64,
}

impl Histogram {
    fn new(decisions: &[Option<usize>], rules: &[Rule]) -> Histogram {
        let mut counts: Vec<(usize, &'static str)> = rules.iter().map(|r| (0, r.name)).collect();
        let mut default = 0;
        let mut read = 0usize;
        for d in decisions {
            match d {
                Some(k) => {
                    counts[*k].0 += 1;
                    read += k + 1;
                }
                None => {
                    default += 1;
                    read += rules.len();
                }
            }
        }
        Histogram {
            counts,
            default,
            total: decisions.len(),
            rules_read: read as f64 / decisions.len().max(1) as f64,
        }
    }

    fn pct(&self, k: usize) -> f64 {
        100.0 * k as f64 / self.total.max(1) as f64
    }

    fn text(&self) -> String {
        let deciding = self.counts.iter().filter(|c| c.0 > 0).count();
        let one_percent = self.counts.iter().filter(|c| self.pct(c.0) >= 1.0).count();
        let mut sorted: Vec<(usize, usize, &str)> = self
            .counts
            .iter()
            .enumerate()
            .map(|(i, (c, name))| (*c, i, *name))
            .collect();
        sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut out = String::new();
        let _ = writeln!(
            out,
            "rules deciding: {deciding} of {} decide at least one conversation, {one_percent} decide 1% or more; \
             the default (continue) decides {} ({:.1}%); on average {:.1} rules are tried per decision",
            self.counts.len(),
            self.default,
            self.pct(self.default),
            self.rules_read
        );
        let _ = writeln!(out, "\n| rule | decides | share |\n| --- | ---: | ---: |");
        for (c, i, name) in sorted.iter().take(15) {
            let _ = writeln!(out, "| {i}. {name} | {c} | {:.1}% |", self.pct(*c));
        }
        let rest: usize = sorted.iter().skip(15).map(|s| s.0).sum();
        let _ = writeln!(
            out,
            "| the other {} rules | {rest} | {:.1}% |",
            sorted.len().saturating_sub(15),
            self.pct(rest)
        );
        let _ = writeln!(
            out,
            "| default (continue) | {} | {:.1}% |",
            self.default,
            self.pct(self.default)
        );
        let never: Vec<String> = sorted
            .iter()
            .filter(|s| s.0 == 0)
            .map(|s| format!("{}. {}", s.1, s.2))
            .collect();
        if !never.is_empty() {
            let _ = writeln!(
                out,
                "\nnever deciding here ({}): {}",
                never.len(),
                never.join("; ")
            );
        }
        out
    }
}

fn table(results: &[Measured], n: usize) -> String {
    let baton = results[0].best.as_secs_f64();
    let mut out = String::from(
        "| engine | crate | decisions/s | ns/decision | baton vs this engine |\n| --- | --- | ---: | ---: | ---: |\n",
    );
    for m in results {
        let secs = m.best.as_secs_f64();
        let ratio = if m.name == "baton" {
            "—".to_string()
        } else {
            speed(secs / baton)
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.0} | {ratio} |",
            m.name,
            m.krate,
            thousands(n as f64 / secs),
            secs * 1e9 / n as f64
        );
    }
    let passes: Vec<String> = results
        .iter()
        .map(|m| format!("{} {}", m.name, m.passes))
        .collect();
    let _ = write!(
        out,
        "\nEach figure is the best of several timed passes over all {n} conversations after a warm-up pass \
         (passes: {}), one thread.",
        passes.join(", ")
    );
    out
}

/// baton's speed relative to a peer, in words.
fn speed(ratio: f64) -> String {
    if ratio >= 1.0 {
        format!("{ratio:.1}× faster")
    } else {
        format!("{:.1}× slower", 1.0 / ratio)
    }
}

fn verdict(results: &[Measured]) -> String {
    let baton = results[0].best;
    let Some(fastest) = results[1..].iter().min_by_key(|m| m.best) else {
        return String::new();
    };
    let ratio = fastest.best.as_secs_f64() / baton.as_secs_f64();
    format!(
        "target (baton at least 10× faster than the fastest peer): the fastest peer is {} ({}); baton is {}: {}",
        fastest.name,
        fastest.krate,
        speed(ratio),
        if ratio >= 10.0 { "met" } else { "NOT met" }
    )
}

fn thousands(x: f64) -> String {
    let s = format!("{:.0}", x);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = output("nproc", &[]).unwrap_or_else(|| {
        std::thread::available_parallelism().map_or("?".into(), |n| n.get().to_string())
    });
    let rustc = output("rustc", &["-V"]).unwrap_or_else(|| "rustc: unknown".into());
    format!("{cpu}, {cores} cores (nproc); {rustc}")
}

fn baton_version() -> String {
    let root = features::workspace_root();
    let root = root.to_string_lossy();
    let commit = output("git", &["-C", &root, "rev-parse", "--short", "HEAD"])
        .unwrap_or_else(|| "unknown commit".into());
    let dirty = output("git", &["-C", &root, "status", "--porcelain", "--", "src"])
        .is_some_and(|s| !s.is_empty());
    if dirty {
        format!("{commit} with uncommitted changes in src/")
    } else {
        commit
    }
}

fn report(
    corpus: &features::Corpus,
    rules: &[Rule],
    hist: &Histogram,
    results: &[Measured],
    table: &str,
    verdict: &str,
) -> String {
    let now = baton::runtime::time::format_rfc3339(baton::clock_now());
    let synthetic: Vec<String> = corpus
        .synthetic
        .iter()
        .map(|(name, k)| format!("`{name}` {k}"))
        .collect();
    format!(
        "# baton and its peers: results\n\n\
         Written by `{COMMAND}` (from the workspace root) on {now}; overwritten by each run. \
         See [README.md](README.md) for what is measured and how equivalence is checked.\n\n\
         - machine: {machine}\n\
         - command: `{COMMAND}`\n\
         - baton: commit {version}\n\
         - corpus: `{shown}`, {n} conversations, features precomputed (untimed)\n\
         - ruleset: {rules} rules, first match wins, default `continue` (src/ruleset.rs)\n\
         - synthetic values (the corpus lacks them; drawn from a hash of the id, see src/features.rs): {synthetic}\n\
         - equivalence: every engine reached baton's decision on every conversation, in the warm-up pass \
         and in every timed pass (baton's own decisions agree with the description evaluated directly in Rust)\n\n\
         ## Decisions per second\n\n{table}\n\n{verdict}\n\n\
         ## Which rules decide\n\n{hist}\n\
         ## How each engine runs the rules\n\n\
         - **baton**: `Rules::first_match_prepared` on `{{\"f\": {{...}}, \"messages\": []}}` read beforehand by \
         `Rules::prepare` (every field the rules read, read once, like the peers' contexts), `Options::now` fixed. \
         The rules are indexed by the value most of them require (`intent`), so each conversation tries only the \
         rules that can match it.\n\
         - **CEL, JSONLogic, GoRules, rhai, evalexpr**: each rule's condition compiled once; per conversation, \
         the conditions are evaluated in order in Rust until the first true, as a user does first match with an \
         expression engine. The per-conversation context (CEL `Context` with a map `f`, datalogic `ParsedData`, \
         zen `Scope`, rhai `Scope` with an object map `f`, evalexpr `HashMapContext` with `f.NAME` variables) \
         is built before timing.\n\
         - **Rego**: Rego has no rule order, but it has `else`. Each rule is a named boolean rule \
         (`rule_7 if {{ ... }}`; a body is a conjunction, so each `or`, and each `not` over more than one test, \
         is a helper rule with one body per alternative), and the decision is one ordered chain \
         `decision := 0 if {{ rule_0 }} else := 1 if {{ rule_1 }} ...` with `default decision := -1`: first match \
         as Rego writes it, one query per conversation, and the evaluator can stop at the first rule that holds. \
         This is the formulation compared (the rows `Rego (RVM)` and `Rego (interpreter)`). The other natural \
         formulation, `matching contains 7 if rule_7` for every rule and `decision := min(matching)`, \
         evaluates every rule every time; it is measured too (the `min of set` rows), held to the same \
         equivalence check, and the faster of the two depends on the evaluator: {rego}. Each runs on regorus's bytecode VM (`RegoVM`: the policy compiled \
         once to a program; per conversation `set_input` and `execute_entry_point_by_index`) and on its \
         interpreter (`Engine::set_input` and `eval_rule`). The input `Value` is built before timing; \
         `set_input` of a clone (a reference count) is inside it. Writing the rule bodies straight into the \
         `else` chain reads as naturally, but regorus's bytecode compiler then runs out of the 255 registers \
         one rule may use.\n",
        machine = machine(),
        version = baton_version(),
        shown = corpus.shown,
        n = corpus.rows.len(),
        rules = rules.len(),
        synthetic = synthetic.join(", "),
        hist = hist.text(),
        rego = rego_note(results),
    )
}

/// Which Rego formulation was faster on which evaluator, in this run.
fn rego_note(results: &[Measured]) -> String {
    let ns = |name: &str| {
        results
            .iter()
            .find(|m| m.name == name)
            .map_or(f64::NAN, |m| {
                m.best.as_secs_f64() * 1e9 / m.decisions as f64
            })
    };
    let say = |chain: f64, set: f64| {
        format!(
            "the `else` chain {chain:.0} ns, the min of set {set:.0} ns per decision ({} faster)",
            if chain <= set { "the chain" } else { "the set" }
        )
    };
    format!(
        "in this run, on the bytecode VM {}; on the interpreter {}",
        say(ns("Rego (RVM)"), ns("Rego (RVM, min of set)")),
        say(
            ns("Rego (interpreter)"),
            ns("Rego (interpreter, min of set)")
        )
    )
}

fn write_programs(dir: &std::path::Path, rules: &[Rule]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let per_rule = |f: fn(&ruleset::Cond) -> String| {
        rules
            .iter()
            .map(|r| f(&r.when))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    let files = [
        ("peers.baton", emit::baton(rules)),
        ("peers.rego", emit::rego(rules, emit::RegoForm::ElseChain)),
        (
            "peers-min-of-set.rego",
            emit::rego(rules, emit::RegoForm::MinOfSet),
        ),
        ("rules.cel", per_rule(emit::cel)),
        ("rules.jsonlogic", per_rule(emit::jsonlogic)),
        ("rules.zen", per_rule(emit::zen)),
        ("rules.rhai", per_rule(emit::rhai)),
        ("rules.evalexpr", per_rule(emit::evalexpr)),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}
