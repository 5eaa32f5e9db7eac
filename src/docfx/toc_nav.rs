//! A DocFX `TOC.yml` as the navigation tree: each item's `href` (relative to the TOC file)
//! is matched to a page of the site; hrefs to other doc sets or the web stay links as
//! written, and local hrefs that match no page are reported once, at their TOC line.

use super::TocItem;
use crate::error::Diagnostic;
use crate::load::{self, Kind, SourceFile};
use crate::resolve::links::{normalize, percent_decode, LinkPolicy, SiteIndex};
use crate::resolve::nav::NavNode;

/// The navigation from the site's root `toc.yml`/`TOC.yml`, when it has one that parses
/// (its errors go to `diags`).
pub fn root_nav(
    files: &[SourceFile],
    index: &SiteIndex,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<NavNode>> {
    let toc = (files.iter())
        .filter(|f| f.kind == Kind::Toc && !f.rel.contains('/'))
        .min_by(|a, b| a.rel.cmp(&b.rel))?;
    match load::text(toc)
        .map_err(|d| vec![d])
        .and_then(|t| super::parse_toc(&toc.display, t))
    {
        Ok(items) => Some(nodes(&items, "", &toc.display, index, diags)),
        Err(d) => {
            diags.extend(d);
            None
        }
    }
}

/// Converts the TOC's items; `toc_dir` is the TOC file's content-relative folder.
pub fn nodes(
    items: &[TocItem],
    toc_dir: &str,
    display: &str,
    index: &SiteIndex,
    diags: &mut Vec<Diagnostic>,
) -> Vec<NavNode> {
    items
        .iter()
        .map(|item| {
            let (page, url) = match &item.href {
                Some(href) => target(href, toc_dir, index, item, display, diags),
                None => (None, None),
            };
            NavNode {
                title: item.name.clone(),
                page,
                url,
                expanded: item.expanded,
                children: nodes(&item.items, toc_dir, display, index, diags),
            }
        })
        .collect()
}

fn target(
    href: &str,
    toc_dir: &str,
    index: &SiteIndex,
    item: &TocItem,
    display: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Option<String>, Option<String>) {
    let h = href.trim();
    if h.contains("://") || h.starts_with("//") || h.starts_with('/') || h.starts_with("mailto:") {
        return (None, Some(h.to_string()));
    }
    let path = percent_decode(h.split('#').next().unwrap_or(h)).replace('\\', "/");
    let joined = if toc_dir.is_empty() {
        path.clone()
    } else {
        format!("{toc_dir}/{path}")
    };
    let Some(rel) = normalize(&joined) else {
        // Another doc set: a link, not a page of ours.
        return (None, Some(h.to_string()));
    };
    let folder = format!("{}/", rel.trim_end_matches('/'));
    let found = index
        .page_url
        .get(&rel)
        .map(|_| rel.clone())
        .or_else(|| index.url_page.get(&folder).cloned())
        .or_else(|| index.page_lower.get(&rel.to_lowercase()).cloned());
    match found {
        Some(id) => (Some(id), None),
        None => {
            let msg = format!(
                "TOC entry `{}` points at `{h}`, which is not a page of this site",
                item.name
            );
            diags.push(match index.policy {
                LinkPolicy::Error => Diagnostic::error(display, item.line, item.col, "toc", msg),
                LinkPolicy::Warn => Diagnostic::warning(display, item.line, item.col, "toc", msg),
            });
            (None, None)
        }
    }
}
