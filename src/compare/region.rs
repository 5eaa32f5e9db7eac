//! Canonical sets of answer combinations. A set is held as a hash-consed decision
//! diagram over the inputs, so equal sets get equal nodes however they were built; its
//! regions (paths of answer groups that lead to "all") are therefore the same whether the
//! set came from enumeration or from symbolic splitting, and gaps are grouped alike.

use std::collections::HashMap;

/// Gap regions kept for reporting.
pub(crate) const MAX_GAP_REGIONS: usize = 20;

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

pub(crate) const EMPTY: u32 = 0;
pub(crate) const FULL: u32 = 1;

/// A hash-consed decision diagram of a set of combinations. A node at input `k` has one
/// child per answer; `EMPTY` and `FULL` stand for "none" and "all" of the remaining inputs.
/// Equal sets get equal node ids, which makes the gap regions canonical.
pub(crate) struct Diagram {
    nodes: Vec<Vec<u32>>,
    ids: HashMap<(usize, Vec<u32>), u32>,
}

impl Diagram {
    pub(crate) fn new() -> Self {
        Diagram {
            nodes: vec![Vec::new(), Vec::new()],
            ids: HashMap::new(),
        }
    }

    pub(crate) fn node(&mut self, level: usize, children: Vec<u32>) -> u32 {
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
    pub(crate) fn regions(&self, root: u32, radix: &[usize]) -> (Vec<Region>, u64) {
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
    pub(crate) fn add_sorted(
        &mut self,
        combos: &[Vec<usize>],
        level: usize,
        radix: &[usize],
    ) -> u32 {
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
