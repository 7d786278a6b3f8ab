//! Which rules can meet at all, found without comparing every pair: rules
//! are grouped by the values they test, and a group is passed over when its
//! values rule it out (a rule cannot take from another what it needs values
//! for that the other does not have; two rules cannot overlap when they
//! test no value in common); within a group, rules whose lists of text
//! values (`intent in [...]`) have nothing in common are passed over too.

use std::collections::{BTreeSet, HashMap};

use super::space::{Dim, Domain, Region};

/// How many rules of one group are compared with a rule at most.
const MAX_CANDIDATES: usize = 256;

/// What the pairing needs to know of one rule.
struct Summary {
    /// The values its boxes test, interned, sorted.
    dims: Vec<u32>,
    /// For each text value every box restricts to a list, the union of
    /// those lists.
    among: Vec<(u32, BTreeSet<String>)>,
}

/// The rules that test the same values.
struct Group {
    /// Those values, interned, sorted.
    dims: Vec<u32>,
    /// The rules, in order.
    rules: Vec<usize>,
    /// A text value every rule of the group restricts to a list, and the
    /// rules by each value in their lists, in order.
    by_value: Option<(u32, HashMap<String, Vec<usize>>)>,
}

/// The rules of a ruleset, ready to be paired.
pub struct Pairs {
    summaries: Vec<Option<Summary>>,
    /// Rules by the values they test, in rule order.
    groups: Vec<Group>,
    /// Values every conversation has, interned.
    always: Vec<bool>,
    /// Whether an interned value is an opaque test.
    opaque: Vec<bool>,
    /// The interned values.
    ids: HashMap<Dim, u32>,
}

impl Pairs {
    /// Summarises every rule's boxes (`None`: left out of the analysis).
    pub fn new(regions: &[Option<Vec<Region>>], always: impl Fn(&Dim) -> bool) -> Pairs {
        let mut ids: HashMap<Dim, u32> = HashMap::new();
        let mut always_known = Vec::new();
        let mut opaque = Vec::new();
        let mut summaries = Vec::new();
        let mut groups: HashMap<Vec<u32>, usize> = HashMap::new();
        let mut grouped: Vec<(Vec<u32>, Vec<usize>)> = Vec::new();
        for (r, boxes) in regions.iter().enumerate() {
            let Some(boxes) = boxes else {
                summaries.push(None);
                continue;
            };
            let mut id = |d: &Dim| {
                *ids.entry(d.clone()).or_insert_with(|| {
                    always_known.push(always(d));
                    opaque.push(matches!(d, Dim::Opaque(_)));
                    (always_known.len() - 1) as u32
                })
            };
            let dims: BTreeSet<u32> = boxes.iter().flat_map(|b| b.keys()).map(&mut id).collect();
            let mut among = Vec::new();
            if let Some(first) = boxes.first() {
                for dim in first.keys() {
                    let mut union = BTreeSet::new();
                    let all = boxes.iter().all(|b| match b.get(dim) {
                        Some(Domain::Among(set)) => {
                            union.extend(set.iter().cloned());
                            true
                        }
                        _ => false,
                    });
                    if all {
                        among.push((id(dim), union));
                    }
                }
            }
            let dims: Vec<u32> = dims.into_iter().collect();
            let group = *groups.entry(dims.clone()).or_insert_with(|| {
                grouped.push((dims.clone(), Vec::new()));
                grouped.len() - 1
            });
            grouped[group].1.push(r);
            summaries.push(Some(Summary { dims, among }));
        }
        let groups = grouped
            .into_iter()
            .map(|(dims, rules)| {
                let key = dims.iter().copied().find(|d| {
                    rules.iter().all(|&r| {
                        summaries[r]
                            .as_ref()
                            .is_some_and(|s: &Summary| s.among.iter().any(|(k, _)| k == d))
                    })
                });
                let by_value = key.map(|key| {
                    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
                    for &r in &rules {
                        if let Some((_, set)) = summaries[r]
                            .as_ref()
                            .and_then(|s| s.among.iter().find(|(k, _)| *k == key))
                        {
                            for value in set {
                                index.entry(value.clone()).or_default().push(r);
                            }
                        }
                    }
                    (key, index)
                });
                Group {
                    dims,
                    rules,
                    by_value,
                }
            })
            .collect();
        Pairs {
            summaries,
            groups,
            always: always_known,
            opaque,
            ids,
        }
    }

    /// The rules before `b` that may take part of it: every value they test
    /// is one `b` tests, or one every conversation has.
    pub fn may_take(&self, b: usize) -> Vec<usize> {
        let Some(later) = &self.summaries[b] else {
            return Vec::new();
        };
        self.before(b, |dims| {
            dims.iter()
                .all(|d| self.always[*d as usize] || later.dims.binary_search(d).is_ok())
        })
    }

    /// The rules before `b` that test a value (other than an opaque test)
    /// that `b` tests too.
    pub fn may_overlap(&self, b: usize) -> Vec<usize> {
        let Some(later) = &self.summaries[b] else {
            return Vec::new();
        };
        self.before(b, |dims| {
            dims.iter()
                .any(|d| !self.opaque[*d as usize] && later.dims.binary_search(d).is_ok())
        })
    }

    /// Every rule that may take part of `region` (a region that is not a
    /// rule's own), in rule order.
    pub fn may_take_region(&self, region: &Region) -> Vec<usize> {
        let mut dims: Vec<u32> = region
            .keys()
            .filter_map(|d| self.ids.get(d).copied())
            .collect();
        dims.sort_unstable();
        let among: Vec<(u32, BTreeSet<String>)> = region
            .iter()
            .filter_map(|(d, domain)| match domain {
                Domain::Among(set) => Some((*self.ids.get(d)?, set.clone())),
                _ => None,
            })
            .collect();
        let mut out = Vec::new();
        for group in &self.groups {
            let fits = group
                .dims
                .iter()
                .all(|d| self.always[*d as usize] || dims.binary_search(d).is_ok());
            if fits {
                self.candidates(group, &among, usize::MAX, &mut out);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn before(&self, b: usize, group_fits: impl Fn(&[u32]) -> bool) -> Vec<usize> {
        let Some(later) = &self.summaries[b] else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for group in &self.groups {
            if group_fits(&group.dims) {
                self.candidates(group, &later.among, b, &mut out);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The rules of `group` before `end` whose text lists meet `among`.
    fn candidates(
        &self,
        group: &Group,
        among: &[(u32, BTreeSet<String>)],
        end: usize,
        out: &mut Vec<usize>,
    ) {
        let meets = |a: usize| {
            self.summaries[a]
                .as_ref()
                .is_some_and(|s| lists_meet(&s.among, among))
        };
        let keyed = group.by_value.as_ref().and_then(|(key, index)| {
            let (_, values) = among.iter().find(|(d, _)| d == key)?;
            Some((index, values))
        });
        // The nearest rules first, and only so many: the analysis claims
        // nothing about what it did not compare.
        let start = out.len();
        match keyed {
            Some((index, values)) => {
                for value in values {
                    let Some(rules) = index.get(value) else {
                        continue;
                    };
                    let before = rules.partition_point(|&a| a < end);
                    out.extend(
                        rules[..before]
                            .iter()
                            .rev()
                            .filter(|&&a| meets(a))
                            .take(MAX_CANDIDATES),
                    );
                }
            }
            None => {
                let before = group.rules.partition_point(|&a| a < end);
                out.extend(
                    group.rules[..before]
                        .iter()
                        .rev()
                        .filter(|&&a| meets(a))
                        .take(MAX_CANDIDATES),
                );
            }
        }
        if out.len() - start > MAX_CANDIDATES {
            out[start..].sort_unstable_by(|a, b| b.cmp(a));
            out.truncate(start + MAX_CANDIDATES);
        }
    }
}

/// Whether two rules' text lists have a value in common on every value both
/// restrict.
fn lists_meet(a: &[(u32, BTreeSet<String>)], b: &[(u32, BTreeSet<String>)]) -> bool {
    a.iter().all(|(dim, set)| {
        b.iter()
            .find(|(d, _)| d == dim)
            .is_none_or(|(_, other)| !set.is_disjoint(other))
    })
}
