//! Anchor checks: a link to `page#anchor` needs the anchor to exist on the target page,
//! which is only known once every page's Markdown has been rendered.

use std::collections::{BTreeMap, BTreeSet};

use super::links::{AnchorCheck, LinkPolicy};
use crate::error::Diagnostic;

/// One rendered page as the anchor check sees it.
pub struct PageAnchors<'a> {
    pub id: &'a str,
    pub display: &'a str,
    /// Every id a link may target on the page.
    pub defined: &'a [String],
    /// The anchors its links (and its includes' links) ask for.
    pub wanted: &'a [AnchorCheck],
}

/// A diagnostic for every wanted anchor that its target page does not define; errors or
/// warnings by `policy`.
pub fn check(pages: &[PageAnchors], policy: LinkPolicy) -> Vec<Diagnostic> {
    let sets: BTreeMap<&str, BTreeSet<&str>> = pages
        .iter()
        .map(|p| (p.id, p.defined.iter().map(String::as_str).collect()))
        .collect();
    let mut diags = Vec::new();
    for p in pages {
        for a in p.wanted {
            let ok = sets
                .get(a.target_page.as_str())
                .is_some_and(|set| set.contains(a.anchor.as_str()));
            if ok || a.anchor.is_empty() {
                continue;
            }
            let target = if a.target_page == p.id {
                "this page"
            } else {
                a.target_page.as_str()
            };
            let msg = format!("anchor `#{}` does not exist on {target}", a.anchor);
            diags.push(match policy {
                LinkPolicy::Error => {
                    Diagnostic::error(p.display, a.line, a.col, "broken-anchor", msg)
                }
                LinkPolicy::Warn => {
                    Diagnostic::warning(p.display, a.line, a.col, "broken-anchor", msg)
                }
            });
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(page: &str, anchor: &str) -> AnchorCheck {
        AnchorCheck {
            target_page: page.into(),
            anchor: anchor.into(),
            line: 3,
            col: 5,
        }
    }

    #[test]
    fn reports_only_missing_anchors_with_the_link_position() {
        let defined_a = vec!["intro".to_string()];
        let wanted_a = vec![
            want("a.md", "intro"),
            want("b.md", "nope"),
            want("b.md", ""),
        ];
        let wanted_b = vec![want("b.md", "gone")];
        let pages = [
            PageAnchors {
                id: "a.md",
                display: "content/a.md",
                defined: &defined_a,
                wanted: &wanted_a,
            },
            PageAnchors {
                id: "b.md",
                display: "content/b.md",
                defined: &[],
                wanted: &wanted_b,
            },
        ];
        let diags = check(&pages, LinkPolicy::Error);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(diags.iter().all(|d| d.is_error()));
        let text = format!("{diags:?}");
        assert!(text.contains("`#nope` does not exist on b.md"), "{text}");
        assert!(
            text.contains("`#gone` does not exist on this page"),
            "{text}"
        );
        assert!(check(&pages, LinkPolicy::Warn)
            .iter()
            .all(|d| !d.is_error()));
    }
}
