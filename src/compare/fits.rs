//! Decisions checked against the models' own facts. A model's `fits` lists, per decision
//! input, the answers it can serve; a rule that can recommend a model for an answer outside
//! that list is a misfit, reported at the rule with a witness combination. Under single-hit
//! policies only the rule that would be chosen counts (an earlier or higher-priority match
//! hides it); under multi-hit policies every matching rule does.
//!
//! Like gaps and overlaps, misfits are found two ways with the same findings: by
//! enumerating every combination (small tables) and by a symbolic search that follows only
//! the rules that could still hide the rule in question (large tables).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::coverage::{Table, ENUMERATION_LIMIT, MAX_INPUTS};
use super::decision::{combo_text, incomplete as incomplete_warning};
use super::model::{Comparison, Decision, HitPolicy, NO_MODEL};
use super::names::did_you_mean;
use crate::error::Diagnostic;

/// Misfit reports kept before an "and N more" line.
const MAX_REPORTS: usize = 20;
/// Steps enumeration may take before handing over to the symbolic search.
const ENUMERATION_WORK_LIMIT: u64 = 50_000_000;
/// Steps the symbolic search may take before it gives up (bounded time on any input).
const SYMBOLIC_WORK_LIMIT: u64 = 5_000_000;

/// Which search finds misfits. Both give the same findings; `Auto` picks by table size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Auto,
    Enumerate,
    Symbolic,
}

/// Rule `rule` can recommend its model for `answers` of `input`, which the model does not
/// fit; `witness` is the smallest combination where it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Misfit {
    pub(crate) rule: usize,
    pub(crate) input: usize,
    pub(crate) answers: Vec<usize>,
    pub(crate) witness: Vec<usize>,
}

/// What the searches need besides the table.
struct Fits {
    /// `served[rule][input]`: the answers the rule's model serves, when it restricts them.
    served: Vec<Vec<Option<Vec<bool>>>>,
    /// `blockers[rule]`: the rules that win over it wherever both match.
    blockers: Vec<Vec<u32>>,
}

/// Checks the `fits` entries and the rules that recommend no model: unknown inputs and
/// answers are errors, as is a `then = "none"` rule without a note or a model named "none".
pub(crate) fn validate(cmp: &Comparison) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut err = |pos: super::model::Pos, kind: &str, msg: String| {
        out.push(Diagnostic::error(&cmp.path, pos.line, pos.col, kind, msg));
    };
    let d = cmp.decision.as_ref();
    for (mi, m) in cmp.models.iter().enumerate() {
        if m.id == NO_MODEL {
            let msg = format!("model[{mi}].id: \"{NO_MODEL}\" is reserved for rules that recommend no model; choose another id");
            err(m.pos, "reserved-id", msg);
        }
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (fi, f) in m.fits.iter().enumerate() {
            let fpath = format!("model[{mi}].fits.{}", f.input);
            if let Some(first) = seen.insert(&f.input, fi) {
                let msg = format!(
                    "{fpath}: input \"{}\" is already listed (entry {first} of this table)",
                    f.input
                );
                err(f.pos, "duplicate-id", msg);
            }
            let Some(d) = d else {
                let msg = format!(
                    "{fpath}: the file has no decision, so there is no input \"{}\" to fit",
                    f.input
                );
                err(f.pos, "unknown-reference", msg);
                continue;
            };
            let Some(input) = d.inputs.iter().find(|i| i.id == f.input) else {
                let hint = did_you_mean(&f.input, d.inputs.iter().map(|i| i.id.as_str()));
                let msg = format!("{fpath}: unknown input \"{}\"{hint}", f.input);
                err(f.pos, "unknown-reference", msg);
                continue;
            };
            if f.answers.is_empty() {
                let msg =
                    format!("{fpath}: an empty list fits no answer; omit the input to fit any");
                err(f.pos, "decision-fits", msg);
            }
            for a in &f.answers {
                if !input.answers.contains(a) {
                    let hint = did_you_mean(a, input.answers.iter().map(String::as_str));
                    let msg = format!(
                        "{fpath}: unknown answer to \"{}\": \"{a}\"{hint} (answers: {})",
                        f.input,
                        input.answers.join(", ")
                    );
                    err(f.pos, "unknown-reference", msg);
                }
            }
        }
    }
    for (ri, r) in d
        .map(|d| d.rules.as_slice())
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        if r.recommends_none() && r.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            let msg = format!("decision.rules[{ri}].note: rule {} recommends no model (then = \"{NO_MODEL}\"); say why in a note, which readers see", r.id);
            err(r.pos, "decision-rule", msg);
        }
    }
    out
}

/// Every misfit of the comparison's decision table, as errors at the rules.
pub fn misfits(cmp: &Comparison, method: Method) -> Vec<Diagnostic> {
    let Some(d) = &cmp.decision else {
        return Vec::new();
    };
    if d.inputs.len() > MAX_INPUTS || cmp.models.iter().all(|m| m.fits.is_empty()) {
        return Vec::new();
    }
    let (Some(t), Some(fits)) = (Table::new(d), Fits::new(cmp, d)) else {
        return Vec::new();
    };
    let found = match method {
        Method::Enumerate => enumerate(&t, &fits, u64::MAX),
        Method::Symbolic => symbolic(&t, &fits),
        Method::Auto => (t.combinations() <= ENUMERATION_LIMIT)
            .then(|| enumerate(&t, &fits, ENUMERATION_WORK_LIMIT))
            .flatten()
            .or_else(|| symbolic(&t, &fits)),
    };
    report(cmp, d, found)
}

impl Fits {
    /// `None` when a `fits` entry names an unknown input or answer (`validate` reports it).
    fn new(cmp: &Comparison, d: &Decision) -> Option<Fits> {
        let mut served = Vec::with_capacity(d.rules.len());
        for r in &d.rules {
            let model = cmp.model(&r.then).filter(|_| !r.recommends_none());
            let mut row = Vec::with_capacity(d.inputs.len());
            for input in &d.inputs {
                let flags = match model.and_then(|m| m.fit_for(&input.id)) {
                    None => None,
                    Some(list) => {
                        let mut flags = vec![false; input.answers.len()];
                        for a in list {
                            *flags.get_mut(input.answers.iter().position(|x| x == a)?)? = true;
                        }
                        (!flags.iter().all(|&f| f)).then_some(flags)
                    }
                };
                row.push(flags);
            }
            served.push(row);
        }
        for m in &cmp.models {
            if m.fits
                .iter()
                .any(|f| !d.inputs.iter().any(|i| i.id == f.input))
            {
                return None;
            }
        }
        let rank = |i: usize| {
            let then = d.rules.get(i).map(|r| r.then.as_str()).unwrap_or("");
            let p = d.priority.iter().position(|p| p == then);
            (p.unwrap_or(usize::MAX), i)
        };
        let blockers = (0..d.rules.len())
            .map(|r| match d.hit_policy {
                HitPolicy::U | HitPolicy::A | HitPolicy::F => (0..r as u32).collect(),
                HitPolicy::P => (0..d.rules.len())
                    .filter(|&j| rank(j) < rank(r))
                    .map(|j| j as u32)
                    .collect(),
                HitPolicy::C | HitPolicy::R | HitPolicy::O => Vec::new(),
            })
            .collect();
        Some(Fits { served, blockers })
    }

    fn restricted(&self, rule: usize) -> impl Iterator<Item = (usize, &[bool])> {
        self.served
            .get(rule)
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, f)| f.as_deref().map(|f| (i, f)))
    }
}

/// Checks every combination in answer order, or gives up (`None`) after `budget` steps.
fn enumerate(t: &Table, fits: &Fits, budget: u64) -> Option<(Vec<Misfit>, bool)> {
    if t.radix.contains(&0) {
        return Some((Vec::new(), false));
    }
    let mut found: BTreeMap<(usize, usize), (BTreeSet<usize>, Vec<usize>)> = BTreeMap::new();
    let mut work: u64 = 0;
    let mut combo = vec![0usize; t.radix.len()];
    'combos: loop {
        let matched: Vec<bool> = (0..t.rule_count()).map(|r| t.matches(r, &combo)).collect();
        work = work.saturating_add(t.rule_count() as u64 * 2);
        if work > budget {
            return None;
        }
        for rule in (0..t.rule_count()).filter(|&r| matched[r]) {
            let blockers = fits.blockers.get(rule).map(Vec::as_slice).unwrap_or(&[]);
            work = work.saturating_add(blockers.len() as u64);
            if blockers.iter().any(|&b| matched[b as usize]) {
                continue;
            }
            for (input, served) in fits.restricted(rule) {
                let answer = combo[input];
                if !served.get(answer).copied().unwrap_or(true) {
                    let entry = found
                        .entry((rule, input))
                        .or_insert_with(|| (BTreeSet::new(), combo.clone()));
                    entry.0.insert(answer);
                }
            }
        }
        for (digit, &r) in combo.iter_mut().zip(&t.radix).rev() {
            *digit += 1;
            if *digit < r {
                continue 'combos;
            }
            *digit = 0;
        }
        break;
    }
    let misfits = found
        .into_iter()
        .map(|((rule, input), (answers, witness))| Misfit {
            rule,
            input,
            answers: answers.into_iter().collect(),
            witness,
        })
        .collect();
    Some((misfits, false))
}

struct OutOfWork;

/// The smallest combination in one rule's box, with one input fixed to one answer, that
/// none of the rule's blockers matches.
struct Search<'a> {
    t: &'a Table,
    rule: usize,
    fixed: (usize, usize),
    work: &'a mut u64,
    memo: HashMap<(usize, Vec<u32>), Option<Vec<usize>>>,
}

impl Search<'_> {
    fn options(&self, level: usize) -> impl Iterator<Item = usize> + '_ {
        let width = self.t.radix.get(level).copied().unwrap_or(0);
        (0..width).filter(move |&a| {
            self.t.allows(self.rule, level, a) && (level != self.fixed.0 || a == self.fixed.1)
        })
    }

    fn first(&mut self, level: usize, alive: Vec<u32>) -> Result<Option<Vec<usize>>, OutOfWork> {
        if alive.is_empty() {
            // Nothing can hide the rule any more: the smallest rest of its box.
            return Ok((level..self.t.radix.len())
                .map(|l| self.options(l).next())
                .collect());
        }
        let univ = &self.t.univ_from;
        if alive
            .iter()
            .any(|&b| univ.get(b as usize).is_some_and(|&u| u <= level))
        {
            return Ok(None);
        }
        let key = (level, alive);
        if let Some(hit) = self.memo.get(&key) {
            return Ok(hit.clone());
        }
        let width = self.t.radix.get(level).copied().unwrap_or(0);
        *self.work = self.work.saturating_add((width * key.1.len() + 1) as u64);
        if *self.work > SYMBOLIC_WORK_LIMIT {
            return Err(OutOfWork);
        }
        let mut hit = None;
        for a in self.options(level).collect::<Vec<_>>() {
            let sub: Vec<u32> = key
                .1
                .iter()
                .copied()
                .filter(|&b| self.t.allows(b as usize, level, a))
                .collect();
            if let Some(mut rest) = self.first(level + 1, sub)? {
                rest.insert(0, a);
                hit = Some(rest);
                break;
            }
        }
        self.memo.insert(key, hit.clone());
        Ok(hit)
    }
}

/// For each rule, input and unserved answer, searches the rule's box for a combination
/// where the rule is chosen. `incomplete` is set when the work limit is reached.
fn symbolic(t: &Table, fits: &Fits) -> Option<(Vec<Misfit>, bool)> {
    let mut misfits = Vec::new();
    if t.radix.contains(&0) {
        return Some((misfits, false));
    }
    let mut work = 0u64;
    for rule in 0..t.rule_count() {
        let blockers = fits.blockers.get(rule).cloned().unwrap_or_default();
        for (input, served) in fits.restricted(rule) {
            let mut answers = Vec::new();
            let mut witness: Option<Vec<usize>> = None;
            let width = t.radix.get(input).copied().unwrap_or(0);
            for a in (0..width).filter(|&a| t.allows(rule, input, a) && !served[a]) {
                let mut s = Search {
                    t,
                    rule,
                    fixed: (input, a),
                    work: &mut work,
                    memo: HashMap::new(),
                };
                match s.first(0, blockers.clone()) {
                    Ok(Some(w)) => {
                        answers.push(a);
                        if witness.as_ref().is_none_or(|old| w < *old) {
                            witness = Some(w);
                        }
                    }
                    Ok(None) => {}
                    Err(OutOfWork) => return Some((misfits, true)),
                }
            }
            if let Some(witness) = witness {
                misfits.push(Misfit {
                    rule,
                    input,
                    answers,
                    witness,
                });
            }
        }
    }
    Some((misfits, false))
}

fn report(cmp: &Comparison, d: &Decision, found: Option<(Vec<Misfit>, bool)>) -> Vec<Diagnostic> {
    let (misfits, incomplete) = found.unwrap_or_default();
    let mut out = Vec::new();
    for m in misfits.iter().take(MAX_REPORTS) {
        let (Some(rule), Some(input)) = (d.rules.get(m.rule), d.inputs.get(m.input)) else {
            continue;
        };
        let model = &rule.then;
        let fit = cmp
            .model(model)
            .and_then(|x| x.fit_for(&input.id))
            .unwrap_or(&[])
            .join(", ");
        let answers: Vec<&str> = m
            .answers
            .iter()
            .filter_map(|&a| input.answers.get(a).map(String::as_str))
            .collect();
        let msg = format!(
            "rule {} recommends {model} for {}={}, which {model} does not fit (fits {} = {fit}); witness: {}",
            rule.id,
            input.id,
            answers.join("|"),
            input.id,
            combo_text(d, &m.witness)
        );
        out.push(Diagnostic::error(
            &cmp.path,
            rule.pos.line,
            rule.pos.col,
            "decision-misfit",
            msg,
        ));
    }
    let context = format!("(decision {}, hit policy {:?})", d.id, d.hit_policy);
    if misfits.len() > MAX_REPORTS {
        let msg = format!("and {} more misfits {context}", misfits.len() - MAX_REPORTS);
        out.push(Diagnostic::error(
            &cmp.path,
            d.pos.line,
            d.pos.col,
            "decision-misfit",
            msg,
        ));
    }
    if incomplete {
        out.push(incomplete_warning(
            &cmp.path,
            d,
            "misfits against the models' fits",
        ));
    }
    out
}

#[cfg(test)]
#[path = "fits_tests.rs"]
mod tests;
