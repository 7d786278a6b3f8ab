//! Conditions as regions of the space of conversations. A condition is
//! turned into a union of boxes (its disjunctive normal form): each box holds
//! one constraint per value it reads, an interval for numbers, a set for
//! text, a truth value for yes/no values and for tests that cannot be
//! reasoned about (a pattern, arithmetic), which are kept as opaque
//! propositions named by their text. A box only holds for conversations that
//! have every value it constrains, as a rule only fires when its condition
//! is true (a missing value makes it unknown).

use std::collections::{BTreeMap, BTreeSet};

use crate::check::Ruleset;
use crate::check::ir::{CompareOp, Expr, ExprKind, Ref, Type, Value};
use crate::check::signals::Signal;

/// The most boxes one condition, or one difference of regions, may have
/// before it is left out of the analysis.
pub const MAX_BOXES: usize = 256;

/// A value a condition constrains.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dim {
    /// A declared field, by its index.
    Field(u32),
    /// A built-in signal.
    Signal(Signal),
    /// A test that is not reasoned about, by its text.
    Opaque(String),
}

/// One end of an interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    /// The number.
    pub at: f64,
    /// Whether the number itself is inside.
    pub closed: bool,
}

/// The values a number may take in a box: one interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The lower end (`-inf` when open below).
    pub lo: Bound,
    /// The upper end (`inf` when open above).
    pub hi: Bound,
    /// Whether only whole numbers count (counts of messages).
    pub whole: bool,
}

/// The constraint a box puts on one value.
#[derive(Clone, Debug, PartialEq)]
pub enum Domain {
    /// A number in this interval.
    Number(Interval),
    /// Text among these (lower case).
    Among(BTreeSet<String>),
    /// Text other than these (lower case).
    Except(BTreeSet<String>),
    /// A yes/no value, or an opaque test, that is this.
    Truth(bool),
}

/// A conjunction of constraints, one per value.
pub type Region = BTreeMap<Dim, Domain>;

impl Interval {
    /// Every number, or every whole number.
    pub fn all(whole: bool) -> Interval {
        Interval {
            lo: Bound {
                at: f64::NEG_INFINITY,
                closed: false,
            },
            hi: Bound {
                at: f64::INFINITY,
                closed: false,
            },
            whole,
        }
    }

    /// Whether no number (or no whole number) is inside.
    pub fn is_empty(&self) -> bool {
        if self.whole {
            return self.pick().is_none();
        }
        self.lo.at > self.hi.at || (self.lo.at == self.hi.at && !(self.lo.closed && self.hi.closed))
    }

    fn intersect(&self, other: &Interval) -> Interval {
        let lo = if self.lo.at > other.lo.at || (self.lo.at == other.lo.at && !self.lo.closed) {
            self.lo
        } else {
            other.lo
        };
        let hi = if self.hi.at < other.hi.at || (self.hi.at == other.hi.at && !self.hi.closed) {
            self.hi
        } else {
            other.hi
        };
        Interval {
            lo,
            hi,
            whole: self.whole || other.whole,
        }
    }

    /// The numbers outside, as up to two intervals.
    fn complement(&self) -> Vec<Interval> {
        let mut out = Vec::new();
        if self.lo.at > f64::NEG_INFINITY {
            out.push(Interval {
                lo: Interval::all(self.whole).lo,
                hi: Bound {
                    at: self.lo.at,
                    closed: !self.lo.closed,
                },
                whole: self.whole,
            });
        }
        if self.hi.at < f64::INFINITY {
            out.push(Interval {
                lo: Bound {
                    at: self.hi.at,
                    closed: !self.hi.closed,
                },
                hi: Interval::all(self.whole).hi,
                whole: self.whole,
            });
        }
        out
    }

    /// A number inside, as round as the interval allows.
    pub fn pick(&self) -> Option<f64> {
        let (lo, hi) = (self.lo, self.hi);
        let inside = |x: f64| {
            (x > lo.at || (x == lo.at && lo.closed)) && (x < hi.at || (x == hi.at && hi.closed))
        };
        if self.whole {
            let first = if lo.at.is_finite() {
                lo.at.floor()
            } else {
                hi.at.min(0.0).floor() - 1.0
            };
            return (0..4)
                .map(|k| first + f64::from(k))
                .chain(hi.at.is_finite().then_some(hi.at.floor()))
                .find(|&x| x.is_finite() && inside(x));
        }
        let candidates = [
            lo.at,
            hi.at,
            (lo.at + hi.at) / 2.0,
            lo.at + 1.0,
            hi.at - 1.0,
            0.0,
        ];
        candidates
            .into_iter()
            .filter(|x| x.is_finite())
            .find(|&x| inside(x))
    }
}

impl Domain {
    /// Both constraints at once; `None` when nothing satisfies both.
    pub fn intersect(&self, other: &Domain) -> Option<Domain> {
        let out = match (self, other) {
            (Domain::Number(a), Domain::Number(b)) => Domain::Number(a.intersect(b)),
            (Domain::Among(a), Domain::Among(b)) => {
                Domain::Among(a.intersection(b).cloned().collect())
            }
            (Domain::Among(a), Domain::Except(b)) | (Domain::Except(b), Domain::Among(a)) => {
                Domain::Among(a.difference(b).cloned().collect())
            }
            (Domain::Except(a), Domain::Except(b)) => Domain::Except(a.union(b).cloned().collect()),
            (Domain::Truth(a), Domain::Truth(b)) if a == b => Domain::Truth(*a),
            _ => return None,
        };
        (!out.is_empty()).then_some(out)
    }

    /// Whether some value satisfies both, without building the intersection.
    pub fn meets(&self, other: &Domain) -> bool {
        match (self, other) {
            (Domain::Number(a), Domain::Number(b)) => !a.intersect(b).is_empty(),
            (Domain::Among(a), Domain::Among(b)) => !a.is_disjoint(b),
            (Domain::Among(a), Domain::Except(b)) | (Domain::Except(b), Domain::Among(a)) => {
                a.iter().any(|x| !b.contains(x))
            }
            (Domain::Except(_), Domain::Except(_)) => true,
            (Domain::Truth(a), Domain::Truth(b)) => a == b,
            _ => false,
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Domain::Number(i) => i.is_empty(),
            Domain::Among(s) => s.is_empty(),
            Domain::Except(_) | Domain::Truth(_) => false,
        }
    }

    /// The values outside, as a union of domains.
    pub fn complement(&self) -> Vec<Domain> {
        match self {
            Domain::Number(i) => i.complement().into_iter().map(Domain::Number).collect(),
            Domain::Among(s) => vec![Domain::Except(s.clone())],
            Domain::Except(s) if s.is_empty() => Vec::new(),
            Domain::Except(s) => vec![Domain::Among(s.clone())],
            Domain::Truth(b) => vec![Domain::Truth(!b)],
        }
    }

    /// Whether every value here is also in `other`.
    pub fn within(&self, other: &Domain) -> bool {
        self.intersect(other).as_ref() == Some(self)
    }
}

/// The intersection of two regions; `None` when it is empty.
pub fn meet(a: &Region, b: &Region) -> Option<Region> {
    let mut out = a.clone();
    for (dim, domain) in b {
        let merged = match out.get(dim) {
            Some(mine) => mine.intersect(domain)?,
            None => domain.clone(),
        };
        out.insert(dim.clone(), merged);
    }
    Some(out)
}

/// Whether every conversation in `a` is in `b` (and has the values `b`
/// needs).
pub fn within(a: &Region, b: &Region) -> bool {
    b.iter()
        .all(|(dim, domain)| a.get(dim).is_some_and(|mine| mine.within(domain)))
}

/// `region` without the conversations `taken` decides, where `taken` only
/// takes what it is sure to have the values for: dimensions `region`
/// constrains, or values every conversation has. `None` when the
/// difference grows past [`MAX_BOXES`].
pub fn subtract(
    region: &Region,
    taken: &Region,
    always_known: impl Fn(&Dim) -> bool,
) -> Option<Vec<Region>> {
    if taken
        .keys()
        .any(|d| !region.contains_key(d) && !always_known(d))
    {
        return Some(vec![region.clone()]);
    }
    let meets = taken
        .iter()
        .all(|(dim, domain)| region.get(dim).is_none_or(|mine| mine.meets(domain)));
    if !meets {
        return Some(vec![region.clone()]);
    }
    // Peel off, dimension by dimension, what lies outside `taken` there.
    let mut out = Vec::new();
    let mut inside = region.clone();
    for (dim, domain) in taken {
        for outside in domain.complement() {
            let mut piece = inside.clone();
            let merged = match piece.get(dim) {
                Some(mine) => mine.intersect(&outside),
                None => Some(outside),
            };
            if let Some(merged) = merged {
                piece.insert(dim.clone(), merged);
                out.push(piece);
            }
        }
        let narrowed = match inside.get(dim) {
            Some(mine) => mine.intersect(domain),
            None => Some(domain.clone()),
        };
        match narrowed {
            Some(d) => {
                inside.insert(dim.clone(), d);
            }
            None => break,
        }
        if out.len() > MAX_BOXES {
            return None;
        }
    }
    Some(out)
}

/// A rule's condition (`when`, and not `unless`) as boxes, with the
/// ranges of the signals applied and empty boxes dropped. `None` when the
/// condition has more than [`MAX_BOXES`] boxes.
pub fn rule_region(ruleset: &Ruleset, when: &Expr, unless: Option<&Expr>) -> Option<Vec<Region>> {
    let mut boxes = dnf(ruleset, when, true)?;
    if let Some(unless) = unless {
        boxes = and(boxes, dnf(ruleset, unless, false)?)?;
    }
    Some(
        boxes
            .into_iter()
            .filter_map(|b| with_ranges(b, ruleset))
            .collect(),
    )
}

/// A box with each signal's own range applied (a sentiment is between -1
/// and 1, a count is at least 0), or `None` when that leaves it empty.
fn with_ranges(mut region: Region, ruleset: &Ruleset) -> Option<Region> {
    for (dim, domain) in region.iter_mut() {
        if let Some(natural) = natural(dim, ruleset) {
            *domain = domain.intersect(&natural)?;
        }
        if domain.is_empty() {
            return None;
        }
    }
    Some(region)
}

/// The values a dimension can take at all, when that is narrower than
/// anything: a signal's range, a field's `one of` list.
pub fn natural(dim: &Dim, ruleset: &Ruleset) -> Option<Domain> {
    match dim {
        Dim::Signal(s) => s.range().map(|(lo, hi)| {
            Domain::Number(Interval {
                lo: Bound {
                    at: lo,
                    closed: true,
                },
                hi: Bound {
                    at: hi,
                    closed: hi.is_finite(),
                },
                whole: is_count(*s),
            })
        }),
        Dim::Field(id) => {
            let field = &ruleset.fields[*id as usize];
            let texts: Option<BTreeSet<String>> = field
                .one_of
                .as_ref()?
                .iter()
                .map(|v| match v {
                    Value::Text(t) => Some(t.to_lowercase()),
                    _ => None,
                })
                .collect();
            texts.map(Domain::Among)
        }
        Dim::Opaque(_) => None,
    }
}

/// Whether a signal counts messages.
pub fn is_count(s: Signal) -> bool {
    matches!(
        s,
        Signal::Loops
            | Signal::FailedAttempts
            | Signal::Turns
            | Signal::CustomerTurns
            | Signal::AiTurns
    )
}

fn and(a: Vec<Region>, b: Vec<Region>) -> Option<Vec<Region>> {
    let mut out = Vec::new();
    for x in &a {
        for y in &b {
            if let Some(m) = meet(x, y) {
                out.push(m);
                if out.len() > MAX_BOXES {
                    return None;
                }
            }
        }
    }
    Some(out)
}

/// The boxes where `expr` is `positive` (true) or false, with its `let`s
/// read through.
fn dnf(ruleset: &Ruleset, expr: &Expr, positive: bool) -> Option<Vec<Region>> {
    match &expr.kind {
        ExprKind::Not(x) => dnf(ruleset, x, !positive),
        ExprKind::And(xs) | ExprKind::Or(xs) => {
            let conjunction = matches!(expr.kind, ExprKind::And(_)) == positive;
            let mut out: Vec<Region> = if conjunction {
                vec![Region::new()]
            } else {
                Vec::new()
            };
            for x in xs {
                let part = dnf(ruleset, x, positive)?;
                if conjunction {
                    out = and(out, part)?;
                } else {
                    out.extend(part);
                }
                if out.len() > MAX_BOXES {
                    return None;
                }
            }
            Some(out)
        }
        ExprKind::Ref(Ref::Let(id)) if expr.ty == Type::Bool => {
            dnf(ruleset, &ruleset.lets[id.0 as usize].expr, positive)
        }
        ExprKind::Literal(Value::Bool(b)) => Some(if *b == positive {
            vec![Region::new()]
        } else {
            Vec::new()
        }),
        _ => Some(atom(ruleset, expr, positive)),
    }
}

/// A single test as boxes (one, or two for `!=` on a number).
fn atom(ruleset: &Ruleset, expr: &Expr, positive: bool) -> Vec<Region> {
    let single = |dim: Dim, domain: Domain| vec![Region::from([(dim, domain)])];
    match &expr.kind {
        ExprKind::Ref(r) if expr.ty == Type::Bool => {
            if let Some(dim) = dim_of(r) {
                return single(dim, Domain::Truth(positive));
            }
        }
        ExprKind::Compare(op, a, b) => {
            let (op, r, value) = match (&a.kind, &b.kind) {
                (ExprKind::Ref(r), ExprKind::Literal(v)) => (*op, r, v),
                (ExprKind::Literal(v), ExprKind::Ref(r)) => (op.flipped(), r, v),
                _ => return opaque(ruleset, expr, positive),
            };
            let op = if positive { op } else { negate(op) };
            if let Some(boxes) = dim_of(r).and_then(|dim| compare(dim, op, value)) {
                return boxes;
            }
        }
        ExprKind::In {
            negated,
            item,
            list,
        } => {
            if let (ExprKind::Ref(r), ExprKind::Literal(Value::List(items))) =
                (&item.kind, &list.kind)
            {
                let texts: Option<BTreeSet<String>> = items
                    .iter()
                    .map(|v| match v {
                        Value::Text(t) => Some(t.to_lowercase()),
                        _ => None,
                    })
                    .collect();
                if let (Some(dim), Some(texts)) = (dim_of(r), texts) {
                    return single(
                        dim,
                        if *negated != positive {
                            Domain::Among(texts)
                        } else {
                            Domain::Except(texts)
                        },
                    );
                }
            }
        }
        _ => {}
    }
    opaque(ruleset, expr, positive)
}

fn opaque(ruleset: &Ruleset, expr: &Expr, positive: bool) -> Vec<Region> {
    vec![Region::from([(
        Dim::Opaque(ruleset.show(expr)),
        Domain::Truth(positive),
    )])]
}

fn dim_of(r: &Ref) -> Option<Dim> {
    match r {
        Ref::Field(id) => Some(Dim::Field(id.0)),
        Ref::Signal(s) => Some(Dim::Signal(*s)),
        Ref::Let(_) => None,
    }
}

fn negate(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Ge,
        CompareOp::Le => CompareOp::Gt,
        CompareOp::Gt => CompareOp::Le,
        CompareOp::Ge => CompareOp::Lt,
        CompareOp::Eq => CompareOp::Ne,
        CompareOp::Ne => CompareOp::Eq,
    }
}

/// `dim OP value` as boxes, for numbers, durations, text and yes/no.
fn compare(dim: Dim, op: CompareOp, value: &Value) -> Option<Vec<Region>> {
    let single = |domain: Domain| vec![Region::from([(dim.clone(), domain)])];
    let whole = matches!(dim, Dim::Signal(s) if is_count(s));
    match value {
        Value::Number(n) | Value::Duration(n) => {
            let at = |closed| Bound { at: *n, closed };
            let all = Interval::all(whole);
            let interval = |lo, hi| Domain::Number(Interval { lo, hi, whole });
            Some(match op {
                CompareOp::Lt => single(interval(all.lo, at(false))),
                CompareOp::Le => single(interval(all.lo, at(true))),
                CompareOp::Gt => single(interval(at(false), all.hi)),
                CompareOp::Ge => single(interval(at(true), all.hi)),
                CompareOp::Eq => single(interval(at(true), at(true))),
                CompareOp::Ne => {
                    let mut both = single(interval(all.lo, at(false)));
                    both.extend(single(interval(at(false), all.hi)));
                    both
                }
            })
        }
        Value::Text(t) => {
            let set = BTreeSet::from([t.to_lowercase()]);
            match op {
                CompareOp::Eq => Some(single(Domain::Among(set))),
                CompareOp::Ne => Some(single(Domain::Except(set))),
                _ => None,
            }
        }
        Value::Bool(b) => match op {
            CompareOp::Eq => Some(single(Domain::Truth(*b))),
            CompareOp::Ne => Some(single(Domain::Truth(!b))),
            _ => None,
        },
        Value::List(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(lo: f64, hi: f64) -> Interval {
        Interval {
            lo: Bound {
                at: lo,
                closed: true,
            },
            hi: Bound {
                at: hi,
                closed: true,
            },
            whole: true,
        }
    }

    #[test]
    fn whole_numbers_need_a_whole_number_inside() {
        assert!(whole(2.2, 2.8).is_empty());
        assert_eq!(whole(2.2, 3.5).pick(), Some(3.0));
        assert_eq!(Interval::all(true).pick(), Some(-1.0));
    }

    #[test]
    fn a_region_minus_a_wider_one_is_empty_and_minus_a_narrower_one_is_not() {
        let d = Dim::Signal(Signal::Loops);
        let at_least = |n| Region::from([(d.clone(), Domain::Number(whole(n, f64::INFINITY)))]);
        let known = |_: &Dim| true;
        assert_eq!(
            subtract(&at_least(3.0), &at_least(2.0), known).map(|v| v.len()),
            Some(0)
        );
        let left = subtract(&at_least(2.0), &at_least(3.0), known).expect("small");
        assert_eq!(left.len(), 1);
        let Some(Domain::Number(i)) = left[0].get(&d) else {
            panic!("a number")
        };
        assert_eq!(i.pick(), Some(2.0));
    }

    #[test]
    fn a_rule_on_a_value_the_region_may_lack_takes_nothing() {
        let loops = Region::from([(Dim::Signal(Signal::Loops), Domain::Truth(true))]);
        let tier = Region::from([(Dim::Field(0), Domain::Truth(true))]);
        let left = subtract(&loops, &tier, |d| matches!(d, Dim::Signal(_))).expect("small");
        assert_eq!(left, vec![loops]);
    }
}
