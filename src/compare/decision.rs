//! Decision tables under the DMN hit policies: which rules decide for a set of answers
//! (`evaluate`), and what is wrong with a table (`analyze`): gaps are errors under every
//! policy; overlaps are errors under U, and under A when the outputs differ; under F a
//! rule that earlier rules fully shadow is a warning. The search itself is in `coverage`.

use std::collections::BTreeMap;

use super::coverage::{self, Findings, Table};
use super::model::{Comparison, Decision, HitPolicy, Rule};
use super::region::Region;
use crate::error::Diagnostic;

/// Overlap and shadowing reports kept before an "and N more" line.
const MAX_REPORTS: usize = 20;

/// The rules that decide for a full set of answers, following the hit policy: U, A and F
/// give the single deciding rule (the first match); P the match whose output ranks highest
/// in `decision.priority` (rule order breaks ties); C and R every match in rule order; O
/// every match ordered by output priority. An input missing from `answers` matches only
/// rules that accept any answer to it.
pub fn evaluate<'d>(decision: &'d Decision, answers: &BTreeMap<String, String>) -> Vec<&'d Rule> {
    let matched: Vec<&Rule> = decision
        .rules
        .iter()
        .filter(|r| {
            r.when
                .iter()
                .all(|(input, allowed)| answers.get(input).is_some_and(|a| allowed.contains(a)))
        })
        .collect();
    let rank = |r: &Rule| {
        decision
            .priority
            .iter()
            .position(|p| p == &r.then)
            .unwrap_or(usize::MAX)
    };
    match decision.hit_policy {
        HitPolicy::U | HitPolicy::A | HitPolicy::F => matched.into_iter().take(1).collect(),
        HitPolicy::P => {
            // min_by_key keeps the first of equal keys, so rule order breaks ties.
            matched
                .into_iter()
                .min_by_key(|r| rank(r))
                .into_iter()
                .collect()
        }
        HitPolicy::C | HitPolicy::R => matched,
        HitPolicy::O => {
            let mut ordered = matched;
            ordered.sort_by_key(|r| rank(r));
            ordered
        }
    }
}

/// Gaps, forbidden overlaps and shadowed rules of the comparison's decision table.
/// A table whose rules name unknown inputs or answers is left to `validate`.
pub fn analyze(cmp: &Comparison) -> Vec<Diagnostic> {
    let Some(d) = &cmp.decision else {
        return Vec::new();
    };
    if d.inputs.len() > coverage::MAX_INPUTS {
        let msg = format!(
            "decision {} has {} inputs; gaps and overlaps are checked for at most {}",
            d.id,
            d.inputs.len(),
            coverage::MAX_INPUTS
        );
        return vec![Diagnostic::warning(
            &cmp.path,
            d.pos.line,
            d.pos.col,
            "decision-analysis",
            msg,
        )];
    }
    let Some(table) = Table::new(d) else {
        return Vec::new();
    };
    let findings = coverage::analyze(&table, d.hit_policy == HitPolicy::F);
    report(&cmp.path, d, &findings)
}

pub(crate) fn combo_text(d: &Decision, combo: &[usize]) -> String {
    if d.inputs.is_empty() {
        return "any answers (the table has no inputs)".to_string();
    }
    d.inputs
        .iter()
        .zip(combo)
        .map(|(input, &a)| {
            let answer = input.answers.get(a).map(String::as_str).unwrap_or("?");
            format!("{}={answer}", input.id)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `code=refactor, guest_admin=yes, shape=any, cpu=amd|intel`.
fn region_text(d: &Decision, region: &Region) -> String {
    d.inputs
        .iter()
        .zip(&region.sets)
        .map(|(input, set)| {
            let answers = if set.len() == input.answers.len() {
                "any".to_string()
            } else {
                set.iter()
                    .filter_map(|&a| input.answers.get(a).map(String::as_str))
                    .collect::<Vec<_>>()
                    .join("|")
            };
            format!("{}={answers}", input.id)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn rule_at(d: &Decision, index: usize) -> Option<&Rule> {
    d.rules.get(index)
}

pub(crate) fn report(file: &str, d: &Decision, f: &Findings) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let policy = d.hit_policy;
    let context = format!("(decision {}, hit policy {policy:?})", d.id);
    for region in &f.gaps {
        let mut msg = format!(
            "no rule matches {} {context}",
            combo_text(d, &region.witness())
        );
        let size = region.size();
        if size > 1 {
            msg.push_str(&format!(
                "; the gap covers {size} combinations: {}",
                region_text(d, region)
            ));
        }
        out.push(Diagnostic::error(
            file,
            d.pos.line,
            d.pos.col,
            "decision-gap",
            msg,
        ));
    }
    let more_gaps = f.gap_regions.saturating_sub(f.gaps.len() as u64);
    if more_gaps > 0 {
        let msg = format!("and {more_gaps} more gap regions {context}");
        out.push(Diagnostic::error(
            file,
            d.pos.line,
            d.pos.col,
            "decision-gap",
            msg,
        ));
    }

    let forbidden: Vec<_> = f
        .overlaps
        .iter()
        .filter_map(|o| Some((o, rule_at(d, o.earlier)?, rule_at(d, o.later)?)))
        .filter(|(_, a, b)| match policy {
            HitPolicy::U => true,
            HitPolicy::A => a.then != b.then,
            _ => false,
        })
        .collect();
    for (o, a, b) in forbidden.iter().take(MAX_REPORTS) {
        let mut msg = format!(
            "rules {} and {} both match {} under hit policy {policy:?}",
            a.id,
            b.id,
            combo_text(d, &o.witness)
        );
        if policy == HitPolicy::A {
            msg.push_str(&format!(
                " but recommend different models (\"{}\" and \"{}\")",
                a.then, b.then
            ));
        }
        out.push(Diagnostic::error(
            file,
            b.pos.line,
            b.pos.col,
            "decision-overlap",
            msg,
        ));
    }
    if forbidden.len() > MAX_REPORTS {
        let msg = format!(
            "and {} more overlapping rule pairs {context}",
            forbidden.len() - MAX_REPORTS
        );
        out.push(Diagnostic::error(
            file,
            d.pos.line,
            d.pos.col,
            "decision-overlap",
            msg,
        ));
    }

    for &index in f.never_first.iter().take(MAX_REPORTS) {
        let Some(rule) = rule_at(d, index) else {
            continue;
        };
        let shadows: Vec<&str> = f
            .overlaps
            .iter()
            .filter(|o| o.later == index)
            .filter_map(|o| rule_at(d, o.earlier).map(|r| r.id.as_str()))
            .collect();
        let msg = if shadows.is_empty() {
            format!(
                "rule {} can never fire: it matches no combination of answers",
                rule.id
            )
        } else {
            let (word, verb) = if shadows.len() == 1 {
                ("rule", "matches")
            } else {
                ("rules", "match")
            };
            format!(
                "rule {} can never fire under hit policy F: earlier {word} {} {verb} every combination it matches",
                rule.id,
                shadows.join(", ")
            )
        };
        out.push(Diagnostic::warning(
            file,
            rule.pos.line,
            rule.pos.col,
            "decision-shadowed",
            msg,
        ));
    }
    if f.never_first.len() > MAX_REPORTS {
        let msg = format!(
            "and {} more rules that can never fire {context}",
            f.never_first.len() - MAX_REPORTS
        );
        out.push(Diagnostic::warning(
            file,
            d.pos.line,
            d.pos.col,
            "decision-shadowed",
            msg,
        ));
    }

    if f.incomplete {
        out.push(incomplete(file, d, "gaps and overlaps"));
    }
    out
}

/// The warning for an analysis that reached its work limit: `what` may be missing.
pub(crate) fn incomplete(file: &str, d: &Decision, what: &str) -> Diagnostic {
    let msg = format!(
        "the decision table is too large to check completely; {what} may be missing from this report (decision {}, hit policy {:?})",
        d.id, d.hit_policy
    );
    Diagnostic::warning(file, d.pos.line, d.pos.col, "decision-analysis", msg)
}

#[cfg(test)]
#[path = "decision_tests.rs"]
mod tests;
