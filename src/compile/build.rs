//! Building the node table: each expression is turned into nodes bottom up,
//! and a node equal to one already in the table is not added again.

use super::{CompiledRule, Const, ConstId, Node, NodeId, PatternId, RuleGraph, plan};
use crate::check::Ruleset;
use crate::check::ir::{Expr, ExprKind, LetId, Ref, Value};
use crate::check::signals::Signal;
use crate::hash::FxMap;

/// The graph under construction.
pub struct Builder {
    nodes: Vec<Node>,
    ids: FxMap<Node, NodeId>,
    consts: Vec<Const>,
    const_ids: FxMap<ConstKey, ConstId>,
    patterns: Vec<regex::Regex>,
    pattern_ids: FxMap<String, PatternId>,
    let_nodes: Vec<Option<NodeId>>,
    field_read: Vec<bool>,
    signals_read: Vec<Signal>,
    /// The node of each expression already compiled, by its address in the
    /// ruleset (which stays put while the graph is built): explanation
    /// plans ask again for the nodes of sub-expressions.
    compiled: FxMap<usize, NodeId>,
}

/// The rules compiled, before the graph takes the ruleset.
pub struct Laid {
    rules: Vec<CompiledRule>,
    index: Option<(NodeId, super::index::RuleIndex)>,
    field_paths: Vec<Vec<String>>,
}

/// A constant as a table key: numbers by their bits, so that two constants
/// are one node only when they are the same value written the same way.
#[derive(PartialEq, Eq, Hash)]
enum ConstKey {
    Number(u64),
    Text(String),
    Bool(bool),
    Duration(u64),
    List(Vec<ConstKey>),
}

impl ConstKey {
    fn of(value: &Value) -> ConstKey {
        match value {
            Value::Number(n) => ConstKey::Number(n.to_bits()),
            Value::Text(t) => ConstKey::Text(t.clone()),
            Value::Bool(b) => ConstKey::Bool(*b),
            Value::Duration(d) => ConstKey::Duration(d.to_bits()),
            Value::List(items) => ConstKey::List(items.iter().map(ConstKey::of).collect()),
        }
    }
}

impl Builder {
    /// An empty graph for `ruleset`.
    pub fn new(ruleset: &Ruleset) -> Builder {
        // Every table sized once for the expressions there are: growing
        // them (and rehashing the maps) was a fifth of compiling.
        let expressions: usize = ruleset
            .rules
            .iter()
            .flat_map(|r| std::iter::once(&r.when).chain(&r.unless))
            .chain(ruleset.lets.iter().map(|l| &l.expr))
            .map(size)
            .sum();
        Builder {
            nodes: Vec::with_capacity(expressions),
            ids: FxMap::with_capacity_and_hasher(expressions, Default::default()),
            consts: Vec::with_capacity(expressions / 2),
            const_ids: FxMap::with_capacity_and_hasher(expressions / 2, Default::default()),
            patterns: Vec::new(),
            pattern_ids: FxMap::default(),
            let_nodes: vec![None; ruleset.lets.len()],
            field_read: vec![false; ruleset.fields.len()],
            signals_read: Vec::new(),
            compiled: FxMap::with_capacity_and_hasher(expressions, Default::default()),
        }
    }

    /// Compiles every rule, reading the ruleset without taking it (so
    /// that other work may read it at the same time).
    pub fn lay(&mut self, ruleset: &Ruleset) -> Laid {
        let rules: Vec<CompiledRule> = ruleset
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let when = self.expr(ruleset, &rule.when);
                let unless = rule.unless.as_ref().map(|u| self.expr(ruleset, u));
                let mut reads = Vec::new();
                plan::reads(ruleset, &rule.when, &mut reads);
                if let Some(u) = &rule.unless {
                    plan::reads(ruleset, u, &mut reads);
                }
                let when_tests = plan::tests(
                    ruleset,
                    &rule.when,
                    plan::At::condition(i, false),
                    &mut |e| self.expr(ruleset, e),
                );
                let unless_tests = match &rule.unless {
                    Some(u) => plan::tests(ruleset, u, plan::At::condition(i, true), &mut |e| {
                        self.expr(ruleset, e)
                    }),
                    None => Vec::new(),
                };
                CompiledRule {
                    when,
                    unless,
                    reads,
                    when_tests,
                    unless_tests,
                }
            })
            .collect();
        // Messages may show values no condition reads; those are read too.
        for template in ruleset
            .rules
            .iter()
            .map(|r| &r.outcome)
            .chain(std::iter::once(&ruleset.default))
            .flat_map(|o| {
                o.tags
                    .iter()
                    .chain(&o.reason)
                    .chain(&o.next)
                    .chain(&o.assign)
            })
        {
            for part in &template.parts {
                if let crate::check::ir::TemplatePart::Value(r) = part {
                    self.value_ref(ruleset, *r);
                }
            }
        }
        let index = super::index::index(ruleset).map(|i| (self.value_ref(ruleset, i.on), i));
        let field_paths = ruleset
            .fields
            .iter()
            .map(|f| f.path.split('.').map(str::to_string).collect())
            .collect();
        Laid {
            rules,
            index,
            field_paths,
        }
    }

    /// Hands back the finished graph of the rules laid out by [`Builder::lay`].
    pub fn finish(mut self, laid: Laid, ruleset: Ruleset) -> RuleGraph {
        // The tables were sized for every expression; shared ones are fewer.
        self.nodes.shrink_to_fit();
        self.consts.shrink_to_fit();
        let Laid {
            rules,
            index,
            field_paths,
        } = laid;
        let roots = rules
            .iter()
            .flat_map(|r: &CompiledRule| std::iter::once(r.when).chain(r.unless))
            .chain(self.let_nodes.iter().flatten().copied())
            .chain(index.as_ref().map(|(node, _)| *node));
        let (memo_slots, memo_len) = RuleGraph::memo_slots(&self.nodes, roots);
        let mut graph = RuleGraph {
            fast: Vec::new(),
            fast_indexed: Vec::new(),
            memo_slots,
            memo_len,
            hash: hash(&ruleset),
            ruleset,
            nodes: self.nodes,
            consts: self.consts,
            patterns: self.patterns,
            rules,
            field_paths,
            field_read: self.field_read,
            signals_read: self.signals_read,
            let_nodes: self.let_nodes,
            index,
        };
        graph.fast = graph
            .rules
            .iter()
            .map(|r| {
                (
                    super::fast::fast(&graph, r.when),
                    r.unless.map(|u| super::fast::fast(&graph, u)),
                )
            })
            .collect();
        if let Some((_, index)) = &graph.index
            && let crate::check::ir::Ref::Field(on) = index.on
        {
            graph.fast_indexed = graph
                .fast
                .iter()
                .map(|(when, _)| super::fast::without_guards(when, on))
                .collect();
        }
        graph
    }

    fn add(&mut self, node: Node) -> NodeId {
        if let Some(&id) = self.ids.get(&node) {
            return id;
        }
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(node.clone());
        self.ids.insert(node, id);
        id
    }

    fn constant(&mut self, value: &Value) -> NodeId {
        let key = ConstKey::of(value);
        let id = match self.const_ids.get(&key) {
            Some(&id) => id,
            None => {
                let id = ConstId(self.consts.len() as u32);
                let lower = match value {
                    Value::Text(t) => Some(t.to_lowercase()),
                    _ => None,
                };
                self.consts.push(Const {
                    value: value.clone(),
                    lower,
                });
                self.const_ids.insert(key, id);
                id
            }
        };
        self.add(Node::Const(id))
    }

    fn pattern(&mut self, regex: &regex::Regex) -> PatternId {
        if let Some(&id) = self.pattern_ids.get(regex.as_str()) {
            return id;
        }
        let id = PatternId(self.patterns.len() as u32);
        self.patterns.push(regex.clone());
        self.pattern_ids.insert(regex.as_str().to_string(), id);
        id
    }

    /// The node of a field, signal or `let`, marking it read.
    pub fn value_ref(&mut self, ruleset: &Ruleset, r: Ref) -> NodeId {
        match r {
            Ref::Field(id) => {
                self.field_read[id.0 as usize] = true;
                self.add(Node::Field(id))
            }
            Ref::Signal(s) => {
                if !self.signals_read.contains(&s) {
                    self.signals_read.push(s);
                }
                self.add(Node::Signal(s))
            }
            Ref::Let(id) => self.let_node(ruleset, id),
        }
    }

    fn let_node(&mut self, ruleset: &Ruleset, id: LetId) -> NodeId {
        if let Some(node) = self.let_nodes[id.0 as usize] {
            return node;
        }
        let node = self.expr(ruleset, &ruleset.lets[id.0 as usize].expr);
        self.let_nodes[id.0 as usize] = Some(node);
        node
    }

    /// The node of an expression, built bottom up.
    pub fn expr(&mut self, ruleset: &Ruleset, e: &Expr) -> NodeId {
        let address = std::ptr::from_ref(e) as usize;
        if let Some(&id) = self.compiled.get(&address) {
            return id;
        }
        let id = self.compile_expr(ruleset, e);
        self.compiled.insert(address, id);
        id
    }

    fn compile_expr(&mut self, ruleset: &Ruleset, e: &Expr) -> NodeId {
        let node = match &e.kind {
            ExprKind::Literal(v) => return self.constant(v),
            ExprKind::Ref(r) => return self.value_ref(ruleset, *r),
            ExprKind::Not(x) => Node::Not(self.expr(ruleset, x)),
            ExprKind::And(xs) => Node::And(xs.iter().map(|x| self.expr(ruleset, x)).collect()),
            ExprKind::Or(xs) => Node::Or(xs.iter().map(|x| self.expr(ruleset, x)).collect()),
            ExprKind::Compare(op, a, b) => {
                Node::Compare(*op, self.expr(ruleset, a), self.expr(ruleset, b))
            }
            ExprKind::In {
                negated,
                item,
                list,
            } => Node::In {
                negated: *negated,
                item: self.expr(ruleset, item),
                list: self.expr(ruleset, list),
            },
            ExprKind::Contains(a, b) => {
                let haystack = self.expr(ruleset, a);
                let search = match (&a.ty, &b.kind) {
                    (crate::check::ir::Type::Text, ExprKind::Literal(Value::Text(needle))) => {
                        regex::Regex::new(&format!("(?i){}", regex::escape(needle))).ok()
                    }
                    _ => None,
                };
                match search {
                    Some(regex) => Node::ContainsText(haystack, self.pattern(&regex)),
                    None => Node::Contains(haystack, self.expr(ruleset, b)),
                }
            }
            ExprKind::Matches(a, p) => Node::Matches(self.expr(ruleset, a), self.pattern(&p.regex)),
            ExprKind::Exists { negated, operand } => Node::Exists {
                negated: *negated,
                operand: self.expr(ruleset, operand),
            },
            ExprKind::Arith(op, a, b) => {
                Node::Arith(*op, self.expr(ruleset, a), self.expr(ruleset, b))
            }
            ExprKind::Neg(x) => Node::Neg(self.expr(ruleset, x)),
            // A checked ruleset without errors has no invalid node; should one
            // reach here, it is a condition that never holds.
            ExprKind::Invalid => return self.constant(&Value::Bool(false)),
        };
        self.add(node)
    }
}

/// How many expressions `expr` is made of, itself included.
fn size(expr: &Expr) -> usize {
    let mut count = 0;
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        count += 1;
        stack.extend(e.children());
    }
    count
}

/// `sha256:` and the hex SHA-256 of every file's name and text, in order,
/// each length-prefixed so that no two rulesets share a hash by accident.
fn hash(ruleset: &Ruleset) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for (_, file) in ruleset.sources.iter() {
        for part in [file.name(), file.text()] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}
