//! Exact coverage analysis of a decision table: which answer combinations no rule matches
//! (gaps), which rule pairs match a common combination (overlaps), and which rules can
//! never be the first match (shadowed, for hit policy F).
//!
//! Two independent methods give the same `Findings`: brute-force enumeration of every
//! combination (small tables), and a symbolic one (large tables) that splits the answer
//! space input by input, following only the rules still alive, and intersects rule boxes
//! pairwise. Gaps from both are put into one canonical form, a hash-consed decision
//! diagram over the inputs, so they are grouped into the same regions either way.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::model::Decision;

/// Tables with at most this many answer combinations are enumerated.
pub(crate) const ENUMERATION_LIMIT: u64 = 100_000;
/// Enumeration also does pairwise work per combination; above this, go symbolic.
const ENUMERATION_WORK_LIMIT: u64 = 50_000_000;
/// Steps the symbolic method may take before it gives up (bounded time on any input).
const SYMBOLIC_WORK_LIMIT: u64 = 5_000_000;
/// Gap regions kept for reporting.
pub(crate) const MAX_GAP_REGIONS: usize = 20;

/// A decision table with answers as indices: `allow[rule][input][answer]`.
pub(crate) struct Table {
    pub(crate) radix: Vec<usize>,
    allow: Vec<Vec<Vec<bool>>>,
    /// First input index from which a rule allows every answer of every later input.
    univ_from: Vec<usize>,
}

impl Table {
    /// `None` when a rule names an unknown input or answer, or ids repeat: validation
    /// reports those, and an analysis of a table that means something else would mislead.
    pub(crate) fn new(d: &Decision) -> Option<Table> {
        let mut input_ids = HashSet::new();
        for i in &d.inputs {
            let answers: HashSet<&str> = i.answers.iter().map(String::as_str).collect();
            if !input_ids.insert(i.id.as_str()) || answers.len() != i.answers.len() {
                return None;
            }
        }
        let mut allow = Vec::with_capacity(d.rules.len());
        for r in &d.rules {
            if r.when.keys().any(|k| !input_ids.contains(k.as_str())) {
                return None;
            }
            let mut per_input = Vec::with_capacity(d.inputs.len());
            for input in &d.inputs {
                let row = match r.when.get(&input.id) {
                    None => vec![true; input.answers.len()],
                    Some(list) => {
                        if list.iter().any(|a| !input.answers.contains(a)) {
                            return None;
                        }
                        input.answers.iter().map(|a| list.contains(a)).collect()
                    }
                };
                per_input.push(row);
            }
            allow.push(per_input);
        }
        let univ_from = allow
            .iter()
            .map(|rows| {
                let tail = rows
                    .iter()
                    .rev()
                    .take_while(|row| row.iter().all(|&b| b))
                    .count();
                rows.len() - tail
            })
            .collect();
        Some(Table {
            radix: d.inputs.iter().map(|i| i.answers.len()).collect(),
            allow,
            univ_from,
        })
    }

    fn allows(&self, rule: usize, input: usize, answer: usize) -> bool {
        self.allow
            .get(rule)
            .and_then(|rows| rows.get(input))
            .and_then(|row| row.get(answer))
            .copied()
            .unwrap_or(false)
    }

    fn rule_count(&self) -> usize {
        self.allow.len()
    }

    /// Number of answer combinations (saturating).
    pub(crate) fn combinations(&self) -> u64 {
        self.radix
            .iter()
            .fold(1u64, |acc, &r| acc.saturating_mul(r as u64))
    }

    fn matches(&self, rule: usize, combo: &[usize]) -> bool {
        combo
            .iter()
            .enumerate()
            .all(|(i, &a)| self.allows(rule, i, a))
    }

    /// The lexicographically smallest combination both rules match, if any.
    fn common(&self, a: usize, b: usize) -> Option<Vec<usize>> {
        (0..self.radix.len())
            .map(|i| (0..self.radix[i]).find(|&x| self.allows(a, i, x) && self.allows(b, i, x)))
            .collect()
    }

    fn box_is_empty(&self, rule: usize) -> bool {
        (0..self.radix.len()).any(|i| (0..self.radix[i]).all(|x| !self.allows(rule, i, x)))
    }
}

/// A set of combinations: one answer set per input (all answers = any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Region {
    pub(crate) sets: Vec<Vec<usize>>,
}

impl Region {
    pub(crate) fn witness(&self) -> Vec<usize> {
        self.sets
            .iter()
            .map(|s| s.first().copied().unwrap_or(0))
            .collect()
    }
    pub(crate) fn size(&self) -> u64 {
        self.sets
            .iter()
            .fold(1u64, |acc, s| acc.saturating_mul(s.len() as u64))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Overlap {
    pub(crate) earlier: usize,
    pub(crate) later: usize,
    /// The smallest combination both match.
    pub(crate) witness: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Findings {
    /// The first `MAX_GAP_REGIONS` gap regions, in answer order.
    pub(crate) gaps: Vec<Region>,
    /// How many gap regions there are in all.
    pub(crate) gap_regions: u64,
    /// Every overlapping rule pair, by later rule, then earlier rule.
    pub(crate) overlaps: Vec<Overlap>,
    /// Rules that are never the first match (computed only when asked).
    pub(crate) never_first: Vec<usize>,
    /// The symbolic method ran out of its work budget; findings are partial.
    pub(crate) incomplete: bool,
}

/// Analyses a table with whichever method fits its size.
pub(crate) fn analyze(t: &Table, shadowing: bool) -> Findings {
    let rules = t.rule_count().max(1) as u64;
    let combos = t.combinations();
    if combos <= ENUMERATION_LIMIT
        && combos.saturating_mul(rules.saturating_mul(rules)) <= ENUMERATION_WORK_LIMIT
    {
        enumerate(t, shadowing)
    } else {
        symbolic(t, shadowing)
    }
}

const EMPTY: u32 = 0;
const FULL: u32 = 1;

/// A hash-consed decision diagram of a set of combinations. A node at input `k` has one
/// child per answer; `EMPTY` and `FULL` stand for "none" and "all" of the remaining inputs.
/// Equal sets get equal node ids, which makes the gap regions canonical.
struct Diagram {
    nodes: Vec<Vec<u32>>,
    ids: HashMap<(usize, Vec<u32>), u32>,
}

impl Diagram {
    fn new() -> Self {
        Diagram {
            nodes: vec![Vec::new(), Vec::new()],
            ids: HashMap::new(),
        }
    }

    fn node(&mut self, level: usize, children: Vec<u32>) -> u32 {
        if children.iter().all(|&c| c == EMPTY) {
            return EMPTY;
        }
        if children.iter().all(|&c| c == FULL) {
            return FULL;
        }
        let key = (level, children);
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.nodes.len() as u32;
        self.nodes.push(key.1.clone());
        self.ids.insert(key, id);
        id
    }

    fn children(&self, id: u32) -> &[u32] {
        self.nodes
            .get(id as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Answers of one node grouped by the child they lead to, in answer order.
    fn groups(&self, id: u32) -> Vec<(u32, Vec<usize>)> {
        let mut groups: Vec<(u32, Vec<usize>)> = Vec::new();
        for (a, &c) in self.children(id).iter().enumerate() {
            match groups.iter_mut().find(|(g, _)| *g == c) {
                Some((_, answers)) => answers.push(a),
                None => groups.push((c, vec![a])),
            }
        }
        groups
    }

    fn count(&self, id: u32, memo: &mut HashMap<u32, u64>) -> u64 {
        match id {
            EMPTY => 0,
            FULL => 1,
            _ => {
                if let Some(&n) = memo.get(&id) {
                    return n;
                }
                let n = self
                    .groups(id)
                    .into_iter()
                    .fold(0u64, |acc, (c, _)| acc.saturating_add(self.count(c, memo)));
                memo.insert(id, n);
                n
            }
        }
    }

    /// Regions: paths of answer groups from the root to `FULL`.
    fn regions(&self, root: u32, radix: &[usize]) -> (Vec<Region>, u64) {
        let mut out = Vec::new();
        let mut prefix = Vec::new();
        self.walk(root, radix, &mut prefix, &mut out);
        (out, self.count(root, &mut HashMap::new()))
    }

    fn walk(&self, id: u32, radix: &[usize], prefix: &mut Vec<Vec<usize>>, out: &mut Vec<Region>) {
        if out.len() >= MAX_GAP_REGIONS || id == EMPTY {
            return;
        }
        if id == FULL {
            let mut sets = prefix.clone();
            sets.extend(radix.iter().skip(prefix.len()).map(|&r| (0..r).collect()));
            out.push(Region { sets });
            return;
        }
        for (child, answers) in self.groups(id) {
            prefix.push(answers);
            self.walk(child, radix, prefix, out);
            prefix.pop();
        }
    }

    /// Builds the diagram of a sorted list of distinct combinations that share `level` inputs.
    fn add_sorted(&mut self, combos: &[Vec<usize>], level: usize, radix: &[usize]) -> u32 {
        if combos.is_empty() {
            return EMPTY;
        }
        let all = radix
            .iter()
            .skip(level)
            .fold(1u64, |acc, &r| acc.saturating_mul(r as u64));
        if combos.len() as u64 == all {
            return FULL;
        }
        let width = radix.get(level).copied().unwrap_or(0);
        let mut children = Vec::with_capacity(width);
        let mut rest = combos;
        for a in 0..width {
            let n = rest.iter().take_while(|c| c.get(level) == Some(&a)).count();
            let (here, tail) = rest.split_at(n);
            children.push(self.add_sorted(here, level + 1, radix));
            rest = tail;
        }
        self.node(level, children)
    }
}

/// Checks every combination.
pub(crate) fn enumerate(t: &Table, shadowing: bool) -> Findings {
    let n = t.radix.len();
    let mut findings = Findings::default();
    if t.radix.contains(&0) {
        return findings;
    }
    let mut combo = vec![0usize; n];
    let mut gaps: Vec<Vec<usize>> = Vec::new();
    let mut pairs: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    let mut first = vec![false; t.rule_count()];
    'combos: loop {
        let matched: Vec<usize> = (0..t.rule_count())
            .filter(|&r| t.matches(r, &combo))
            .collect();
        match matched.first().and_then(|&r| first.get_mut(r)) {
            None => gaps.push(combo.clone()),
            Some(f) => *f = true,
        }
        for (j, &later) in matched.iter().enumerate() {
            for &earlier in matched.iter().take(j) {
                pairs
                    .entry((later, earlier))
                    .or_insert_with(|| combo.clone());
            }
        }
        // Next combination in lexicographic order (last input fastest).
        for i in (0..n).rev() {
            combo[i] += 1;
            if combo[i] < t.radix[i] {
                continue 'combos;
            }
            combo[i] = 0;
        }
        break;
    }
    let mut diagram = Diagram::new();
    let root = diagram.add_sorted(&gaps, 0, &t.radix);
    (findings.gaps, findings.gap_regions) = diagram.regions(root, &t.radix);
    findings.overlaps = pairs
        .into_iter()
        .map(|((later, earlier), witness)| Overlap {
            earlier,
            later,
            witness,
        })
        .collect();
    if shadowing {
        findings.never_first = (0..t.rule_count()).filter(|&r| !first[r]).collect();
    }
    findings
}

struct OutOfWork;

struct Symbolic<'t> {
    t: &'t Table,
    work: u64,
}

impl Symbolic<'_> {
    fn spend(&mut self, steps: usize) -> Result<(), OutOfWork> {
        self.work = self.work.saturating_add(steps as u64);
        if self.work > SYMBOLIC_WORK_LIMIT {
            Err(OutOfWork)
        } else {
            Ok(())
        }
    }

    /// Does a rule among `alive` match everything from `level` on?
    fn covered(&self, level: usize, alive: &[u32]) -> bool {
        alive.iter().any(|&r| {
            self.t
                .univ_from
                .get(r as usize)
                .is_some_and(|&u| u <= level)
        })
    }

    fn alive_for(&self, level: usize, answer: usize, alive: &[u32]) -> Vec<u32> {
        alive
            .iter()
            .copied()
            .filter(|&r| self.t.allows(r as usize, level, answer))
            .collect()
    }

    /// The diagram of combinations (from `level` on) that no rule in `alive` matches.
    fn gaps(
        &mut self,
        level: usize,
        alive: Vec<u32>,
        d: &mut Diagram,
        memo: &mut HashMap<(usize, Vec<u32>), u32>,
    ) -> Result<u32, OutOfWork> {
        if alive.is_empty() {
            return Ok(FULL);
        }
        if self.covered(level, &alive) {
            return Ok(EMPTY);
        }
        let key = (level, alive);
        if let Some(&id) = memo.get(&key) {
            return Ok(id);
        }
        let width = self.t.radix.get(level).copied().unwrap_or(0);
        self.spend(width * key.1.len() + 1)?;
        let mut children = Vec::with_capacity(width);
        for a in 0..width {
            let sub = self.alive_for(level, a, &key.1);
            children.push(self.gaps(level + 1, sub, d, memo)?);
        }
        let id = d.node(level, children);
        memo.insert(key, id);
        Ok(id)
    }

    /// Does `rule`'s box (from `level` on) contain a combination no rule in `alive` matches?
    fn escapes(
        &mut self,
        rule: usize,
        level: usize,
        alive: Vec<u32>,
        memo: &mut HashMap<(usize, Vec<u32>), bool>,
    ) -> Result<bool, OutOfWork> {
        if alive.is_empty() {
            return Ok(true);
        }
        if self.covered(level, &alive) {
            return Ok(false);
        }
        let key = (level, alive);
        if let Some(&b) = memo.get(&key) {
            return Ok(b);
        }
        let width = self.t.radix.get(level).copied().unwrap_or(0);
        self.spend(width * key.1.len() + 1)?;
        let mut found = false;
        for a in (0..width).filter(|&a| self.t.allows(rule, level, a)) {
            let sub = self.alive_for(level, a, &key.1);
            if self.escapes(rule, level + 1, sub, memo)? {
                found = true;
                break;
            }
        }
        memo.insert(key, found);
        Ok(found)
    }
}

/// Splits the answer space by input (gaps) and intersects rules pairwise (overlaps).
pub(crate) fn symbolic(t: &Table, shadowing: bool) -> Findings {
    let mut findings = Findings::default();
    if t.radix.contains(&0) {
        return findings;
    }
    let mut s = Symbolic { t, work: 0 };
    let mut diagram = Diagram::new();
    let all: Vec<u32> = (0..t.rule_count() as u32).collect();
    match s.gaps(0, all, &mut diagram, &mut HashMap::new()) {
        Ok(root) => (findings.gaps, findings.gap_regions) = diagram.regions(root, &t.radix),
        Err(OutOfWork) => findings.incomplete = true,
    }
    'pairs: for later in 0..t.rule_count() {
        for earlier in 0..later {
            if s.spend(t.radix.len() + 1).is_err() {
                findings.incomplete = true;
                break 'pairs;
            }
            if let Some(witness) = t.common(earlier, later) {
                findings.overlaps.push(Overlap {
                    earlier,
                    later,
                    witness,
                });
            }
        }
    }
    if shadowing {
        for rule in 0..t.rule_count() {
            if t.box_is_empty(rule) {
                findings.never_first.push(rule);
                continue;
            }
            let earlier: Vec<u32> = findings
                .overlaps
                .iter()
                .filter(|o| o.later == rule)
                .map(|o| o.earlier as u32)
                .collect();
            match s.escapes(rule, 0, earlier, &mut HashMap::new()) {
                Ok(true) => {}
                Ok(false) => findings.never_first.push(rule),
                Err(OutOfWork) => {
                    findings.incomplete = true;
                    break;
                }
            }
        }
    }
    findings
}
