//! Exact coverage analysis of a decision table: which answer combinations no rule matches
//! (gaps), which rule pairs match a common combination (overlaps), and which rules can
//! never be the first match (shadowed, for hit policy F).
//!
//! Two independent methods give the same `Findings`: brute-force enumeration of every
//! combination (small tables), and a symbolic one (large tables) that splits the answer
//! space input by input, following only the rules still alive, and intersects rule boxes
//! pairwise. Gaps from both are put into one canonical form, a hash-consed decision
//! diagram over the inputs (`region`), so they are grouped into the same regions either way.

use std::collections::{BTreeMap, HashMap};

use super::model::Decision;
use super::region::{Diagram, Region, EMPTY, FULL};

/// Tables with at most this many answer combinations are enumerated.
pub(crate) const ENUMERATION_LIMIT: u64 = 100_000;
/// Steps (rule checks and rule pairs) enumeration may take before it hands over to the
/// symbolic method, which gives the same findings.
const ENUMERATION_WORK_LIMIT: u64 = 50_000_000;
/// Steps the symbolic method may take before it gives up (bounded time on any input).
const SYMBOLIC_WORK_LIMIT: u64 = 5_000_000;
/// Overlapping pairs kept; past this the findings are marked incomplete (bounded memory).
const MAX_OVERLAPS: usize = 100_000;

/// Decisions with more inputs than this are not analysed (the symbolic search recurses
/// once per input; no real questionnaire comes close).
pub(crate) const MAX_INPUTS: usize = 64;

/// A decision table with answers as indices: `allow[rule][input]` is `None` when the rule
/// accepts any answer, else a flag per answer.
pub(crate) struct Table {
    pub(crate) radix: Vec<usize>,
    pub(crate) allow: Vec<Vec<Option<Vec<bool>>>>,
    /// First input index from which a rule allows every answer of every later input.
    pub(crate) univ_from: Vec<usize>,
}

impl Table {
    /// `None` when a rule names an unknown input or answer, or ids repeat: validation
    /// reports those, and an analysis of a table that means something else would mislead.
    pub(crate) fn new(d: &Decision) -> Option<Table> {
        let mut index: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
        for i in &d.inputs {
            let answers: HashMap<&str, usize> = i
                .answers
                .iter()
                .enumerate()
                .map(|(n, a)| (a.as_str(), n))
                .collect();
            if answers.len() != i.answers.len() || index.insert(&i.id, answers).is_some() {
                return None;
            }
        }
        let mut allow = Vec::with_capacity(d.rules.len());
        for r in &d.rules {
            if r.when.keys().any(|k| !index.contains_key(k.as_str())) {
                return None;
            }
            let mut per_input = Vec::with_capacity(d.inputs.len());
            for input in &d.inputs {
                let row = match (r.when.get(&input.id), index.get(input.id.as_str())) {
                    (Some(list), Some(answers)) => {
                        let mut flags = vec![false; input.answers.len()];
                        for a in list {
                            *flags.get_mut(*answers.get(a.as_str())?)? = true;
                        }
                        // A list of every answer is the same as "any".
                        (!flags.iter().all(|&f| f)).then_some(flags)
                    }
                    _ => None,
                };
                per_input.push(row);
            }
            allow.push(per_input);
        }
        let univ_from = allow
            .iter()
            .map(|rows| rows.len() - rows.iter().rev().take_while(|row| row.is_none()).count())
            .collect();
        Some(Table {
            radix: d.inputs.iter().map(|i| i.answers.len()).collect(),
            allow,
            univ_from,
        })
    }

    pub(crate) fn allows(&self, rule: usize, input: usize, answer: usize) -> bool {
        match self.allow.get(rule).and_then(|rows| rows.get(input)) {
            Some(None) => self.radix.get(input).is_some_and(|&r| answer < r),
            Some(Some(flags)) => flags.get(answer).copied().unwrap_or(false),
            None => false,
        }
    }

    pub(crate) fn rule_count(&self) -> usize {
        self.allow.len()
    }

    /// Number of answer combinations (saturating).
    pub(crate) fn combinations(&self) -> u64 {
        self.radix
            .iter()
            .fold(1u64, |acc, &r| acc.saturating_mul(r as u64))
    }

    pub(crate) fn matches(&self, rule: usize, combo: &[usize]) -> bool {
        combo
            .iter()
            .enumerate()
            .all(|(i, &a)| self.allows(rule, i, a))
    }

    /// The lexicographically smallest combination both rules match, if any.
    fn common(&self, a: usize, b: usize) -> Option<Vec<usize>> {
        self.radix
            .iter()
            .enumerate()
            .map(|(i, &r)| (0..r).find(|&x| self.allows(a, i, x) && self.allows(b, i, x)))
            .collect()
    }

    fn box_is_empty(&self, rule: usize) -> bool {
        self.radix
            .iter()
            .enumerate()
            .any(|(i, &r)| (0..r).all(|x| !self.allows(rule, i, x)))
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
    /// The first `region::MAX_GAP_REGIONS` gap regions, in answer order.
    pub(crate) gaps: Vec<Region>,
    /// How many gap regions there are in all.
    pub(crate) gap_regions: u64,
    /// Every overlapping rule pair, by later rule, then earlier rule.
    pub(crate) overlaps: Vec<Overlap>,
    /// Rules that are never the first match (computed only when asked).
    pub(crate) never_first: Vec<usize>,
    /// A work or memory limit was reached; the findings are partial.
    pub(crate) incomplete: bool,
}

/// Analyses a table with whichever method fits its size.
pub(crate) fn analyze(t: &Table, shadowing: bool) -> Findings {
    if t.combinations() <= ENUMERATION_LIMIT {
        if let Some(findings) = enumerate_within(t, shadowing, ENUMERATION_WORK_LIMIT) {
            return findings;
        }
    }
    symbolic(t, shadowing)
}

/// Checks every combination, however long it takes (tests compare it with `symbolic`).
#[cfg(test)]
pub(crate) fn enumerate(t: &Table, shadowing: bool) -> Findings {
    enumerate_within(t, shadowing, u64::MAX).unwrap_or_default()
}

/// Checks every combination, or gives up (`None`) after `budget` steps.
fn enumerate_within(t: &Table, shadowing: bool, budget: u64) -> Option<Findings> {
    let n = t.radix.len();
    let mut findings = Findings::default();
    if t.radix.contains(&0) {
        return Some(findings);
    }
    let mut work: u64 = 0;
    let mut combo = vec![0usize; n];
    let mut gaps: Vec<Vec<usize>> = Vec::new();
    let mut pairs: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    let mut first = vec![false; t.rule_count()];
    'combos: loop {
        let matched: Vec<usize> = (0..t.rule_count())
            .filter(|&r| t.matches(r, &combo))
            .collect();
        let m = matched.len() as u64;
        work = work.saturating_add(t.rule_count() as u64 + m.saturating_mul(m) / 2);
        if work > budget {
            return None;
        }
        match matched.first().and_then(|&r| first.get_mut(r)) {
            None => gaps.push(combo.clone()),
            Some(f) => *f = true,
        }
        for (j, &later) in matched.iter().enumerate() {
            for &earlier in matched.iter().take(j) {
                if pairs.len() >= MAX_OVERLAPS && !pairs.contains_key(&(later, earlier)) {
                    findings.incomplete = true;
                    continue;
                }
                pairs
                    .entry((later, earlier))
                    .or_insert_with(|| combo.clone());
            }
        }
        // Next combination in lexicographic order (last input fastest).
        for (digit, &r) in combo.iter_mut().zip(&t.radix).rev() {
            *digit += 1;
            if *digit < r {
                continue 'combos;
            }
            *digit = 0;
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
        findings.never_first = first
            .iter()
            .enumerate()
            .filter(|(_, &fired)| !fired)
            .map(|(r, _)| r)
            .collect();
    }
    Some(findings)
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
            if s.spend(t.radix.len() + 1).is_err() || findings.overlaps.len() >= MAX_OVERLAPS {
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
