//! Chooses the navigation tree of a site: `[[nav]]` in the config wins (the site owner wrote
//! it for this site), then a root `toc.yml`/`TOC.yml` (which may come with imported content),
//! then the folder tree.

use super::links::normalize;
use super::nav::{Nav, NavNode, NavPage};
use crate::config::{NavEntry, CONFIG_FILE};
use crate::error::Diagnostic;

/// The navigation of a site with `pages`: `config_nav` when set, else what `toc` makes of
/// the site's root TOC file (called only then), else the folder tree.
pub fn choose(
    config_nav: &[NavEntry],
    toc: impl FnOnce(&mut Vec<Diagnostic>) -> Option<Vec<NavNode>>,
    pages: &[NavPage],
    diags: &mut Vec<Diagnostic>,
) -> Nav {
    let home = pages
        .iter()
        .find(|p| p.url.is_empty())
        .map(|p| p.id.as_str());
    if !config_nav.is_empty() {
        return Nav::new(from_config(config_nav, pages, diags), home);
    }
    match toc(diags) {
        Some(nodes) => Nav::new(nodes, home),
        None => Nav::from_folders(pages),
    }
}

/// `[[nav]]` entries as nodes; a path that names no page is an error.
fn from_config(
    entries: &[NavEntry],
    pages: &[NavPage],
    diags: &mut Vec<Diagnostic>,
) -> Vec<NavNode> {
    entries
        .iter()
        .map(|e| {
            let page = e.path.as_ref().and_then(|p| {
                let rel = normalize(p.trim_start_matches('/')).unwrap_or_default();
                let found = pages.iter().find(|pg| pg.id == rel);
                if found.is_none() {
                    diags.push(Diagnostic::error(
                        CONFIG_FILE,
                        0,
                        0,
                        "nav",
                        format!("[[nav]] path `{p}` is not a page of this site"),
                    ));
                }
                found
            });
            NavNode {
                title: e
                    .title
                    .clone()
                    .or_else(|| page.map(|p| p.title.clone()))
                    .unwrap_or_default(),
                page: page.map(|p| p.id.clone()),
                url: e.url.clone(),
                expanded: false,
                children: from_config(&e.children, pages, diags),
            }
        })
        .collect()
}
