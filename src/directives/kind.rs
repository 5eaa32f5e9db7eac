//! The directive registry: every trustdoc directive with its name, the attributes it
//! takes and how it renders, in one enum. The page pass, the DocFX pass and the renderer
//! all read it, so adding a directive is a variant here (plus its HTML in a sibling file),
//! and the compiler points at every `match` that needs an arm.

use super::{tables, Directive};
use crate::compare::access::AccessMatrix;
use crate::compare::model::Comparison;

/// Draws the inline diagram figure of the directive's comparison: (model to show or
/// "all", title) -> HTML. The site supplies it, since figures link to its diagram files.
pub type Figure<'a> = dyn Fn(&str, Option<String>) -> Result<String, String> + 'a;

/// One trustdoc directive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    TrustBoundary,
    AccessMatrix,
    DecisionTable,
    DecisionGuide,
    GuidanceMatrix,
}

impl Kind {
    /// Every directive, in the order the documentation lists them.
    pub const ALL: [Kind; 5] = [
        Kind::TrustBoundary,
        Kind::AccessMatrix,
        Kind::DecisionTable,
        Kind::DecisionGuide,
        Kind::GuidanceMatrix,
    ];

    /// The name written after `:::`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::TrustBoundary => "trust-boundary",
            Kind::AccessMatrix => "access-matrix",
            Kind::DecisionTable => "decision-table",
            Kind::DecisionGuide => "decision-guide",
            Kind::GuidanceMatrix => "guidance-matrix",
        }
    }

    /// The attributes it takes; `source` (the comparison file) is always required.
    pub fn attributes(self) -> &'static [&'static str] {
        match self {
            Kind::TrustBoundary => &["source", "model", "title"],
            Kind::AccessMatrix
            | Kind::DecisionTable
            | Kind::DecisionGuide
            | Kind::GuidanceMatrix => &["source", "title"],
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The HTML of directive `d` (of this kind) for comparison `cmp`.
    pub fn render(
        self,
        d: &Directive,
        cmp: &Comparison,
        access: &AccessMatrix,
        figure: &Figure,
    ) -> Result<String, String> {
        let decision = || {
            (cmp.decision.as_ref()).ok_or_else(|| format!("{} has no [decision] table", d.source))
        };
        Ok(match self {
            Kind::TrustBoundary => figure(d.model.as_deref().unwrap_or("all"), d.title.clone())?,
            Kind::AccessMatrix => tables::access_matrix(cmp, access),
            Kind::DecisionTable => tables::decision_table(cmp, decision()?),
            Kind::DecisionGuide => tables::decision_guide(cmp, decision()?),
            Kind::GuidanceMatrix => tables::guidance_matrix(cmp),
        })
    }

    /// Every directive name, for suggestions and lists.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Kind::ALL.into_iter().map(Kind::name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A variant missing from `ALL` would never be recognised: this match makes the
    /// compiler list each variant, and the test checks `ALL` holds it once.
    fn position(k: Kind) -> usize {
        match k {
            Kind::TrustBoundary => 0,
            Kind::AccessMatrix => 1,
            Kind::DecisionTable => 2,
            Kind::DecisionGuide => 3,
            Kind::GuidanceMatrix => 4,
        }
    }

    #[test]
    fn all_lists_every_variant_once_and_names_round_trip() {
        for (i, k) in Kind::ALL.into_iter().enumerate() {
            assert_eq!(position(k), i);
            assert_eq!(Kind::from_name(k.name()), Some(k));
            assert_eq!(k.attributes().first(), Some(&"source"));
        }
        assert_eq!(Kind::from_name("trust-boundry"), None);
    }
}
