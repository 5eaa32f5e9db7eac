//! Chooses the navigation tree of a site: `[[nav]]` in the config wins (the site owner wrote
//! it for this site), then a root `toc.yml`/`TOC.yml` (which may come with imported content),
//! then the folder tree.

use super::links::{normalize, SiteIndex};
use super::nav::{Nav, NavNode, NavPage};
use crate::config::{NavEntry, CONFIG_FILE};
use crate::error::Diagnostic;
use crate::load::{self, Kind, SourceFile};

/// The navigation of a site with source `files` and `pages`.
pub fn choose(
    config_nav: &[NavEntry],
    files: &[SourceFile],
    pages: &[NavPage],
    index: &SiteIndex,
    diags: &mut Vec<Diagnostic>,
) -> Nav {
    let home = pages
        .iter()
        .find(|p| p.url.is_empty())
        .map(|p| p.id.as_str());
    if !config_nav.is_empty() {
        return Nav::new(from_config(config_nav, pages, diags), home);
    }
    if let Some(toc) = files
        .iter()
        .filter(|f| f.kind == Kind::Toc && !f.rel.contains('/'))
        .min_by(|a, b| a.rel.cmp(&b.rel))
    {
        match load::text(toc)
            .map_err(|d| vec![d])
            .and_then(|t| crate::docfx::parse_toc(&toc.display, t))
        {
            Ok(items) => {
                return Nav::new(
                    super::toc_nav::nodes(&items, "", &toc.display, index, diags),
                    home,
                )
            }
            Err(d) => diags.extend(d),
        }
    }
    Nav::from_folders(pages)
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
