//! `let` definitions: their names, the order to check them in (each after
//! the `let`s it uses), and the circles that have no such order.

use super::Checker;
use super::ir::{Let, LetId, Type};
use super::signals::Signal;
use crate::diagnostic::Code;
use crate::syntax::{self, ast};

impl Checker<'_> {
    pub(super) fn check_lets(&mut self, decls: &[&ast::LetDecl]) {
        let mut accepted: Vec<&ast::LetDecl> = Vec::new();
        for decl in decls {
            let name = &decl.name.text;
            if Signal::from_name(name).is_some() || self.field_ids.contains_key(name) {
                let what = if Signal::from_name(name).is_some() {
                    "a built-in signal"
                } else {
                    "a declared field"
                };
                let d = self
                    .at(
                        Code::E0211,
                        format!("`{name}` is {what}, so a `let` cannot take its name"),
                        decl.name.span,
                        "name taken",
                    )
                    .help(format!("choose another name, such as `is_{name}`"));
                self.push(d);
            } else if let Some(first) = self.let_ids.get(name) {
                let first = accepted[first.0 as usize].name.span;
                self.twice(&format!("`let {name}`"), decl.name.span, first);
            } else {
                self.let_ids
                    .insert(name.clone(), LetId(accepted.len() as u32));
                accepted.push(decl);
            }
        }
        let deps: Vec<Vec<usize>> = accepted
            .iter()
            .map(|d| {
                let mut uses = Vec::new();
                collect_names(&d.value, &mut |name| {
                    if let Some(id) = self.let_ids.get(name) {
                        uses.push(id.0 as usize);
                    }
                });
                uses
            })
            .collect();
        let (ordered, cycles) = order(&deps);
        self.lets = vec![None; accepted.len()];
        self.let_types = vec![Type::Any; accepted.len()];
        for cycle in &cycles {
            let names: Vec<String> = cycle
                .iter()
                .chain(cycle.first())
                .map(|&i| format!("`{}`", accepted[i].name.text))
                .collect();
            let first = accepted[cycle[0]];
            let message = if cycle.len() == 1 {
                format!("`{}` is defined in terms of itself", first.name.text)
            } else {
                format!(
                    "`{}` is defined in terms of itself: {}",
                    first.name.text,
                    names.join(" → ")
                )
            };
            let d = self
                .at(Code::E0207, message, first.name.span, "defined in a circle")
                .help("a `let` may use other `let`s, but not in a circle: write one of them without the others");
            self.push(d);
        }
        let mut in_cycle = vec![false; accepted.len()];
        for &i in cycles.iter().flatten() {
            in_cycle[i] = true;
        }
        let mut placed = in_cycle.clone();
        for &i in &ordered {
            placed[i] = true;
        }
        let rest: Vec<usize> = (0..accepted.len()).filter(|&i| !placed[i]).collect();
        self.let_depths = vec![0; accepted.len()];
        for i in ordered.iter().copied().chain(rest) {
            let decl = accepted[i];
            let mut expr = self.expr(&decl.value);
            self.let_depths[i] = self.depth(&expr);
            if self.let_depths[i] > self.max_depth {
                if self.let_depths[i] != usize::MAX {
                    self.too_deep(&expr, "this `let`");
                }
                // `let`s built on this one are too deep as well: said once here.
                expr.kind = super::ir::ExprKind::Invalid;
                self.let_depths[i] = usize::MAX;
            }
            self.let_types[i] = expr.ty.clone();
            self.lets[i] = Some(Let {
                name: decl.name.text.clone(),
                expr,
                name_span: decl.name.span,
                span: decl.span,
            });
        }
        for &i in cycle_members(&in_cycle).iter() {
            let decl = accepted[i];
            self.lets[i] = Some(Let {
                name: decl.name.text.clone(),
                expr: super::ir::Expr {
                    kind: super::ir::ExprKind::Invalid,
                    ty: Type::Any,
                    span: decl.value.span,
                },
                name_span: decl.name.span,
                span: decl.span,
            });
        }
    }
}

impl Checker<'_> {
    /// How deep an expression nests, counting through the `let`s it uses
    /// (whose depths are already known: they are checked first).
    /// `usize::MAX` stands for "built on a `let` already reported too deep".
    pub(super) fn depth(&self, expr: &super::ir::Expr) -> usize {
        let own = match expr.kind {
            super::ir::ExprKind::Ref(super::ir::Ref::Let(id)) => {
                self.let_depths.get(id.0 as usize).copied().unwrap_or(0)
            }
            _ => 0,
        };
        let below = expr.children().map(|c| self.depth(c)).max().unwrap_or(0);
        own.max(below).saturating_add(1)
    }

    /// Reports a condition that, with the `let`s it uses, nests too deeply
    /// to evaluate safely.
    pub(super) fn too_deep(&mut self, expr: &super::ir::Expr, what: &str) {
        let d = self
            .at(
                Code::E0105,
                format!(
                    "{what}, with the `let`s it is built on, nests more than {} levels deep",
                    self.max_depth
                ),
                expr.span,
                "too deep",
            )
            .help("build it from fewer layers of `let`s");
        self.push(d);
    }
}

fn cycle_members(in_cycle: &[bool]) -> Vec<usize> {
    (0..in_cycle.len()).filter(|&i| in_cycle[i]).collect()
}

/// Calls `f` with every name used in an expression.
pub(super) fn collect_names(expr: &ast::Expr, f: &mut impl FnMut(&str)) {
    if let ast::ExprKind::Path(name) = &expr.kind {
        f(&name.text);
    }
    for child in syntax::children(expr) {
        collect_names(child, f);
    }
}

/// Orders nodes so that each comes after the nodes it depends on, and finds
/// the circles that leave some nodes without such an order. Iterative, so a
/// long chain of `let`s cannot exhaust the stack.
pub(super) fn order(deps: &[Vec<usize>]) -> (Vec<usize>, Vec<Vec<usize>>) {
    let n = deps.len();
    let mut waiting_on: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents = vec![Vec::new(); n];
    for (node, uses) in deps.iter().enumerate() {
        for &used in uses {
            dependents[used].push(node);
        }
    }
    let mut ready: Vec<usize> = (0..n).rev().filter(|&i| waiting_on[i] == 0).collect();
    let mut ordered = Vec::with_capacity(n);
    while let Some(node) = ready.pop() {
        ordered.push(node);
        for &d in &dependents[node] {
            waiting_on[d] -= 1;
            if waiting_on[d] == 0 {
                ready.push(d);
            }
        }
    }
    let mut cycles = Vec::new();
    let mut visited = vec![false; n];
    for start in 0..n {
        if waiting_on[start] == 0 || visited[start] {
            continue;
        }
        let mut path = Vec::new();
        let mut node = start;
        loop {
            if let Some(at) = path.iter().position(|&p| p == node) {
                cycles.push(path[at..].to_vec());
                break;
            }
            if visited[node] {
                break;
            }
            visited[node] = true;
            path.push(node);
            match deps[node].iter().find(|&&d| waiting_on[d] > 0) {
                Some(&next) => node = next,
                None => break,
            }
        }
    }
    (ordered, cycles)
}

#[cfg(test)]
mod tests {
    use super::order;

    #[test]
    fn dependencies_come_first() {
        let (ordered, cycles) = order(&[vec![1], vec![2], vec![]]);
        assert_eq!(ordered, [2, 1, 0]);
        assert!(cycles.is_empty());
    }

    #[test]
    fn circles_are_found_once_each() {
        // 0 -> 1 -> 0 is a circle; 2 uses it; 3 uses itself.
        let (ordered, cycles) = order(&[vec![1], vec![0], vec![0], vec![3], vec![]]);
        assert_eq!(ordered, [4]);
        assert_eq!(cycles, [vec![0, 1], vec![3]]);
    }

    #[test]
    fn long_chains_need_no_deep_stack() {
        let deps: Vec<Vec<usize>> = (0..100_000)
            .map(|i| if i == 0 { vec![] } else { vec![i - 1] })
            .collect();
        let (ordered, _) = order(&deps);
        assert_eq!(ordered.len(), 100_000);
    }
}
