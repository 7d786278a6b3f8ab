//! Checked ruleset to rule graph: every condition becomes nodes in one table
//! addressed by typed ids, and a sub-condition written in several rules (or
//! in a `let` they share) is one node, so it is evaluated at most once per
//! conversation. The graph also records which fields and signals any rule
//! reads, so the runtime never computes the others.

mod build;
pub mod draw;
mod fast;
mod index;
mod plan;

use crate::check::Ruleset;
use crate::check::ir::{ArithOp, CompareOp, FieldId, Ref, Value};
use crate::check::signals::Signal;

pub use fast::Fast;
pub use index::{Candidates, RuleIndex};
pub use plan::{Operand, Shape, Test};

/// The index of a node in [`RuleGraph::nodes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// The index of a constant in [`RuleGraph::consts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConstId(pub u32);

/// The index of a compiled pattern in [`RuleGraph::patterns`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PatternId(pub u32);

/// One step of a condition. Children always have smaller ids than their
/// parents, so the table is in an order where every node follows its inputs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// A written value.
    Const(ConstId),
    /// A declared field of the conversation.
    Field(FieldId),
    /// A built-in signal.
    Signal(Signal),
    /// `not A`
    Not(NodeId),
    /// `A and B and ...`
    And(Box<[NodeId]>),
    /// `A or B or ...`
    Or(Box<[NodeId]>),
    /// `A < B` and the other comparisons.
    Compare(CompareOp, NodeId, NodeId),
    /// `A in LIST` or `A not in LIST`.
    In {
        /// Whether it is `not in`.
        negated: bool,
        /// The value looked for.
        item: NodeId,
        /// The list looked in.
        list: NodeId,
    },
    /// `A contains B` on a list, or on text with a computed needle.
    Contains(NodeId, NodeId),
    /// `A contains "written text"`: a case-insensitive search compiled once.
    ContainsText(NodeId, PatternId),
    /// `A matches "pattern"`
    Matches(NodeId, PatternId),
    /// `A exists` or `A is missing`.
    Exists {
        /// Whether it is `is missing`.
        negated: bool,
        /// What must be present.
        operand: NodeId,
    },
    /// `A + B` and the other arithmetic.
    Arith(ArithOp, NodeId, NodeId),
    /// `-A`
    Neg(NodeId),
}

impl Node {
    /// The nodes this node reads.
    pub fn inputs(&self) -> Vec<NodeId> {
        match self {
            Node::Const(_) | Node::Field(_) | Node::Signal(_) => Vec::new(),
            Node::Not(x) | Node::Neg(x) | Node::ContainsText(x, _) | Node::Matches(x, _) => {
                vec![*x]
            }
            Node::Exists { operand, .. } => vec![*operand],
            Node::And(xs) | Node::Or(xs) => xs.to_vec(),
            Node::Compare(_, a, b) | Node::Contains(a, b) | Node::Arith(_, a, b) => vec![*a, *b],
            Node::In { item, list, .. } => vec![*item, *list],
        }
    }
}

/// A written value, with text already lower-cased for comparisons that
/// ignore case.
#[derive(Clone, Debug)]
pub struct Const {
    /// The value as written.
    pub value: Value,
    /// For text, the same in lower case.
    pub lower: Option<String>,
}

/// A rule's conditions as nodes, and how to explain them.
#[derive(Clone, Debug)]
pub struct CompiledRule {
    /// The condition after `when`.
    pub when: NodeId,
    /// The exception after `unless`.
    pub unless: Option<NodeId>,
    /// The fields and signals the rule reads, through its `let`s, in the
    /// order they are written.
    pub reads: Vec<Ref>,
    /// The tests of the `when` condition, for explanations.
    pub when_tests: Vec<Test>,
    /// The tests of the `unless` condition, for explanations.
    pub unless_tests: Vec<Test>,
}

/// A ruleset ready to decide: the checked rules and their conditions as a
/// graph of shared nodes.
#[derive(Debug)]
pub struct RuleGraph {
    /// The checked ruleset: names, outcomes, queues, messages.
    pub ruleset: Ruleset,
    /// Every node, inputs before the nodes that use them.
    pub nodes: Vec<Node>,
    /// Written values.
    pub consts: Vec<Const>,
    /// Compiled patterns (`matches` and `contains "..."`).
    pub patterns: Vec<regex::Regex>,
    /// The rules, in evaluation order, parallel to `ruleset.rules`.
    pub rules: Vec<CompiledRule>,
    /// The path of each declared field, split at the dots.
    pub field_paths: Vec<Vec<String>>,
    /// Whether any rule reads each field (by field id).
    pub field_read: Vec<bool>,
    /// The signals any rule reads.
    pub signals_read: Vec<Signal>,
    /// The node of each `let` some rule or message uses (by `let` id).
    pub let_nodes: Vec<Option<NodeId>>,
    /// Identifies the rule files: `sha256:` and the hash of their names and text.
    pub hash: String,
    /// The rules by the value they require of one field or signal, with
    /// the node that reads it, when enough rules require one.
    pub index: Option<(NodeId, RuleIndex)>,
    /// For each node read from more than one place, its slot in a
    /// decision's memo (`u32::MAX`: computed where it is read, which is
    /// once): the memo holds only what can be asked for twice.
    pub memo_slots: Vec<u32>,
    /// How many nodes have a memo slot.
    pub memo_len: usize,
    /// Each rule's `when` and `unless` in the flat form, by rule.
    pub fast: Vec<(Fast, Option<Fast>)>,
    /// Each rule's `when` in the flat form without its tests of the indexed
    /// field, for a rule the index chose (those tests hold then).
    pub fast_indexed: Vec<Fast>,
}

impl RuleGraph {
    /// The node with this id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }

    /// The rules worth trying for a conversation, in order, given the
    /// value of the indexed field or signal (`None`: try them all).
    pub fn candidates(&self, indexed: Option<&str>) -> Option<Candidates<'_>> {
        let (_, index) = self.index.as_ref()?;
        Some(index.candidates(indexed?))
    }

    /// The memo slot of each node read from more than one place: by other
    /// nodes, or as a rule's condition, a `let` or the index.
    fn memo_slots(nodes: &[Node], roots: impl Iterator<Item = NodeId>) -> (Vec<u32>, usize) {
        let mut reads = vec![0u32; nodes.len()];
        for node in nodes {
            for input in node.inputs() {
                reads[input.0 as usize] += 1;
            }
        }
        for root in roots {
            reads[root.0 as usize] += 1;
        }
        let mut next = 0;
        let slots = reads
            .iter()
            .map(|&n| {
                if n >= 2 {
                    next += 1;
                    next - 1
                } else {
                    u32::MAX
                }
            })
            .collect();
        (slots, next as usize)
    }

    /// Whether some rule reads this signal.
    pub fn reads_signal(&self, signal: Signal) -> bool {
        self.signals_read.contains(&signal)
    }
}

/// Compiles a checked ruleset, which must have no errors.
pub fn compile(ruleset: Ruleset) -> RuleGraph {
    // Nothing to do beside: never worth a thread.
    compile_beside(ruleset, usize::MAX, |_| ()).0
}

/// Compiles a checked ruleset, which must have no errors, while `beside`
/// reads it on another thread (`baton` runs the whole-ruleset lints there).
/// Both run on the calling thread when the ruleset has fewer than
/// `threshold` rules or the machine has one core: a thread is not worth
/// starting for a little work.
pub fn compile_beside<T: Send>(
    ruleset: Ruleset,
    threshold: usize,
    beside: impl FnOnce(&Ruleset) -> T + Send,
) -> (RuleGraph, T) {
    let mut builder = build::Builder::new(&ruleset);
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (laid, other) = if ruleset.rules.len() < threshold || cores < 2 {
        let other = beside(&ruleset);
        (builder.lay(&ruleset), other)
    } else {
        std::thread::scope(|scope| {
            let job = scope.spawn(|| beside(&ruleset));
            let laid = builder.lay(&ruleset);
            match job.join() {
                Ok(other) => (laid, other),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    };
    (builder.finish(laid, ruleset), other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Sources};

    fn graph(text: &str) -> RuleGraph {
        let mut sources = Sources::new();
        sources.add(SourceFile::new("t.baton", text));
        let checked = crate::check_sources(&sources, &crate::Limits::default());
        assert!(
            !checked.diagnostics.has_errors(),
            "{:?}",
            checked.diagnostics
        );
        compile(checked.ruleset)
    }

    #[test]
    fn identical_conditions_across_rules_are_one_node() {
        let g = graph(
            "queue q\n\
             let angry = sentiment < -0.6\n\
             when angry and loops >= 2 then handoff to q\n\
             when sentiment < -0.6 or turns > 10 then handoff to q\n\
             when loops >= 2 then continue\n",
        );
        let [a, b, c] = [0, 1, 2].map(|i| g.node(g.rules[i].when).clone());
        let (Node::And(a), Node::Or(b)) = (a, b) else {
            panic!("shapes")
        };
        assert_eq!(a[0], b[0], "`angry` and `sentiment < -0.6` are one node");
        assert_eq!(a[1], g.rules[2].when, "`loops >= 2` is one node");
        assert!(matches!(c, Node::Compare(CompareOp::Ge, ..)));
    }

    #[test]
    fn children_come_before_their_parents() {
        let g = graph(
            "queue q\nwhen (loops >= 2 or turns > 3) and not asked_for_human then handoff to q\n",
        );
        for (i, node) in g.nodes.iter().enumerate() {
            for child in node.inputs() {
                assert!((child.0 as usize) < i, "{node:?} at {i}");
            }
        }
    }

    #[test]
    fn only_what_rules_read_is_marked_for_reading() {
        let g = graph(
            "field customer.tier : text\nfield customer.arr : number\n\
             let unused = loops > 1\n\
             when customer.arr > 10 and sentiment < 0 then continue\n",
        );
        assert_eq!(g.field_read, [false, true]);
        assert_eq!(g.signals_read, [Signal::Sentiment]);
    }
}
