//! The rule graph as a picture, for `baton graph`: the rules in the order
//! they are tried, each fed by its conditions, with a condition that several
//! rules (or a shared `let`) read drawn once; and each rule's outcome (lane,
//! queue, priority) as a leaf, one leaf per distinct outcome. The picture is
//! built once as vertices and edges, then written as Mermaid (which GitHub
//! renders in Markdown) or as Graphviz DOT.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{Node, NodeId, RuleGraph};
use crate::check::ir::{Action, Outcome};

/// How to write the picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A Mermaid flowchart.
    Mermaid,
    /// A Graphviz `digraph`.
    Dot,
}

/// What a vertex stands for, which decides its shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Start,
    Rule,
    Default,
    /// `and`, `or`, `not`.
    Logic,
    /// A single test, such as `loops >= 3`.
    Test,
    Outcome,
}

#[derive(Debug)]
struct Vertex {
    id: String,
    label: String,
    kind: Kind,
}

#[derive(Debug)]
struct Edge {
    from: String,
    to: String,
    label: &'static str,
    /// Drawn dashed: the way to the next rule, and `unless`.
    dashed: bool,
}

/// The picture as data.
#[derive(Debug, Default)]
struct Picture {
    vertices: Vec<Vertex>,
    edges: Vec<Edge>,
}

/// Draws `graph` in `format`.
pub fn draw(graph: &RuleGraph, format: Format) -> String {
    let picture = picture(graph);
    match format {
        Format::Mermaid => mermaid(&picture),
        Format::Dot => dot(&picture),
    }
}

fn picture(graph: &RuleGraph) -> Picture {
    let mut tests: HashMap<NodeId, &str> = HashMap::new();
    for rule in &graph.rules {
        for test in rule.when_tests.iter().chain(&rule.unless_tests) {
            tests.entry(test.node).or_insert(test.text(&graph.ruleset));
        }
    }
    let mut lets: HashMap<NodeId, &str> = HashMap::new();
    for (id, node) in graph.let_nodes.iter().enumerate() {
        if let (Some(node), Some(l)) = (node, graph.ruleset.lets.get(id)) {
            lets.entry(*node).or_insert(&l.name);
        }
    }
    let mut builder = Builder {
        graph,
        tests,
        lets,
        picture: Picture::default(),
        drawn: vec![false; graph.nodes.len()],
        outcomes: HashMap::new(),
    };
    builder.vertex("start".into(), "start".into(), Kind::Start);
    let mut previous = "start".to_string();
    for (i, (rule, compiled)) in graph.ruleset.rules.iter().zip(&graph.rules).enumerate() {
        let id = format!("r{i}");
        builder.vertex(id.clone(), format!("{}. {}", i + 1, rule.name), Kind::Rule);
        let label = if i == 0 { "" } else { "no match" };
        builder.edge(&previous, &id, label, i > 0);
        let when = builder.condition(compiled.when);
        builder.edge(&when, &id, "when", false);
        if let Some(unless) = compiled.unless {
            let unless = builder.condition(unless);
            builder.edge(&unless, &id, "unless", true);
        }
        let outcome = builder.outcome(&rule.outcome);
        builder.edge(&id, &outcome, "match", false);
        previous = id;
    }
    builder.vertex("default".into(), "default".into(), Kind::Default);
    let label = if graph.rules.is_empty() {
        ""
    } else {
        "no match"
    };
    builder.edge(&previous, "default", label, !graph.rules.is_empty());
    let outcome = builder.outcome(&graph.ruleset.default);
    builder.edge("default", &outcome, "", false);
    builder.picture
}

struct Builder<'g> {
    graph: &'g RuleGraph,
    /// Each test's text as written, by its node.
    tests: HashMap<NodeId, &'g str>,
    /// The `let` a node is the definition of.
    lets: HashMap<NodeId, &'g str>,
    picture: Picture,
    /// The condition nodes already drawn.
    drawn: Vec<bool>,
    /// The vertex of each outcome drawn, by its label.
    outcomes: HashMap<String, String>,
}

impl Builder<'_> {
    fn vertex(&mut self, id: String, label: String, kind: Kind) {
        self.picture.vertices.push(Vertex { id, label, kind });
    }

    fn edge(&mut self, from: &str, to: &str, label: &'static str, dashed: bool) {
        self.picture.edges.push(Edge {
            from: from.to_string(),
            to: to.to_string(),
            label,
            dashed,
        });
    }

    /// Draws a condition once (with everything it is built of) and returns
    /// its vertex. `and`, `or` and `not` are vertices of their own; any other
    /// node is a test, shown as written.
    fn condition(&mut self, node: NodeId) -> String {
        let id = format!("n{}", node.0);
        if self.drawn[node.0 as usize] {
            return id;
        }
        self.drawn[node.0 as usize] = true;
        let (word, inputs): (&str, Vec<NodeId>) = match self.graph.node(node) {
            Node::And(xs) => ("and", xs.to_vec()),
            Node::Or(xs) => ("or", xs.to_vec()),
            Node::Not(x) => ("not", vec![*x]),
            _ => ("", Vec::new()),
        };
        let (label, kind) = if word.is_empty() {
            let text = self.tests.get(&node).copied().unwrap_or("(a test)");
            (text.to_string(), Kind::Test)
        } else {
            (word.to_string(), Kind::Logic)
        };
        let label = match self.lets.get(&node) {
            Some(name) => format!("{name}: {label}"),
            None => label,
        };
        self.vertex(id.clone(), label, kind);
        for input in inputs {
            let from = self.condition(input);
            self.edge(&from, &id, "", false);
        }
        id
    }

    /// The leaf of an outcome: one per distinct lane, queue and priority, so the rules that lead to one place meet there.
    fn outcome(&mut self, outcome: &Outcome) -> String {
        let queue = |q: crate::check::ir::QueueId| &self.graph.ruleset.queues[q.0 as usize].name;
        let mut label = match outcome.action {
            Action::Handoff(q) => format!("human now · {}", queue(q)),
            Action::Approval(q) => format!("AI with approval · {}", queue(q)),
            Action::Offer(q) => format!("AI offers a person · {}", queue(q)),
            Action::Continue => "AI alone".to_string(),
        };
        let _ = write!(label, " · {}", outcome.priority.as_str());
        if let Some(id) = self.outcomes.get(&label) {
            return id.clone();
        }
        let id = format!("o{}", self.outcomes.len());
        self.outcomes.insert(label.clone(), id.clone());
        self.vertex(id.clone(), label, Kind::Outcome);
        id
    }
}

fn mermaid(picture: &Picture) -> String {
    let mut out = String::from("flowchart TD\n");
    for v in &picture.vertices {
        let label = mermaid_text(&v.label);
        let _ = match v.kind {
            Kind::Start => writeln!(out, "    {}((\"{label}\"))", v.id),
            Kind::Rule => writeln!(out, "    {}[\"{label}\"]", v.id),
            Kind::Default => writeln!(out, "    {}[[\"{label}\"]]", v.id),
            Kind::Logic => writeln!(out, "    {}{{\"{label}\"}}", v.id),
            Kind::Test => writeln!(out, "    {}[/\"{label}\"/]", v.id),
            Kind::Outcome => writeln!(out, "    {}([\"{label}\"])", v.id),
        };
    }
    for e in &picture.edges {
        let arrow = if e.dashed { "-.->" } else { "-->" };
        let _ = if e.label.is_empty() {
            writeln!(out, "    {} {arrow} {}", e.from, e.to)
        } else {
            writeln!(out, "    {} {arrow}|{}| {}", e.from, e.label, e.to)
        };
    }
    out
}

/// Text inside a Mermaid label's quotes: quotes and the characters Mermaid
/// reads as markup become entity codes.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn dot(picture: &Picture) -> String {
    let mut out = String::from(
        "digraph rules {\n    rankdir=TB;\n    node [fontname=\"Helvetica\", fontsize=11];\n    edge [fontname=\"Helvetica\", fontsize=9];\n",
    );
    for v in &picture.vertices {
        let shape = match v.kind {
            Kind::Start => "shape=circle",
            Kind::Rule => "shape=box, style=bold",
            Kind::Default => "shape=box, peripheries=2",
            Kind::Logic => "shape=diamond",
            Kind::Test => "shape=parallelogram",
            Kind::Outcome => "shape=box, style=rounded",
        };
        let _ = writeln!(
            out,
            "    {} [{shape}, label=\"{}\"];",
            v.id,
            dot_text(&v.label)
        );
    }
    for e in &picture.edges {
        let mut attributes = Vec::new();
        if !e.label.is_empty() {
            attributes.push(format!("label=\"{}\"", e.label));
        }
        if e.dashed {
            attributes.push("style=dashed".to_string());
        }
        let attributes = if attributes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attributes.join(", "))
        };
        let _ = writeln!(out, "    {} -> {}{attributes};", e.from, e.to);
    }
    out.push_str("}\n");
    out
}

/// Text inside a DOT string: backslashes and quotes escaped, line breaks
/// as spaces.
fn dot_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(text: &str, format: Format) -> String {
        let rules = crate::Rules::from_text("rules.baton", text).expect("rules check");
        draw(rules.graph(), format)
    }

    const SHARED: &str = "queue billing\nlet angry = sentiment < -0.6\n\
        rule \"Angry and looping\"\n  when angry and loops >= 2\n  then handoff to billing priority high\n\
        rule \"Angry\"\n  when angry\n  unless asked_for_human\n  then handoff to billing priority high\n\
        rule \"Quote \\\"this\\\"\"\n  when intent == \"a<b>\"\n  then continue\n";

    #[test]
    fn a_shared_condition_is_drawn_once_and_feeds_each_rule() {
        let text = drawn(SHARED, Format::Mermaid);
        assert_eq!(
            text.matches("angry: sentiment #lt; -0.6").count(),
            1,
            "{text}"
        );
        let angry = text
            .lines()
            .find(|l| l.contains("angry: sentiment"))
            .and_then(|l| l.trim_start().split('[').next())
            .expect("the let is drawn");
        let feeds: Vec<&str> = text
            .lines()
            .filter(|l| l.trim_start().starts_with(&format!("{angry} ")))
            .collect();
        assert_eq!(feeds.len(), 2, "an `and` and a rule read it: {text}");
    }

    #[test]
    fn rules_with_one_outcome_meet_at_one_leaf() {
        let text = drawn(SHARED, Format::Mermaid);
        assert_eq!(
            text.matches("([\"human now · billing · high\"])").count(),
            1,
            "{text}"
        );
        assert!(text.contains("r0 -->|match| o0"), "{text}");
        assert!(text.contains("r1 -->|match| o0"), "{text}");
        assert!(text.contains("-.->|unless| r1"), "{text}");
        assert!(text.contains("r0 -.->|no match| r1"), "{text}");
        assert!(text.contains("r2 -.->|no match| default"), "{text}");
    }

    #[test]
    fn labels_are_escaped_for_each_format() {
        let mermaid = drawn(SHARED, Format::Mermaid);
        assert!(
            mermaid.contains("r2[\"3. Quote #quot;this#quot;\"]"),
            "{mermaid}"
        );
        assert!(
            mermaid.contains("intent == #quot;a#lt;b#gt;#quot;"),
            "{mermaid}"
        );
        let dot = drawn(SHARED, Format::Dot);
        assert!(dot.starts_with("digraph rules {"), "{dot}");
        assert!(dot.contains("label=\"3. Quote \\\"this\\\"\""), "{dot}");
        assert!(dot.trim_end().ends_with('}'));
    }
}
