//! The stages again, for rebuilding part of a site (`trustdoc serve`): the resolve stage
//! with each page's body diagnostics kept apart (so re-rendering a page replaces just its
//! own), page bodies rendered with their own diagnostics, the navigation alone, and the
//! page manifest from kept hashes. They compute what [`super::resolve`],
//! [`super::render_bodies`] and [`super::manifest_file`] do; `tests/serve.rs` compares
//! rebuilds made with them with full builds, byte for byte.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::page_render::{self, RenderedPage};
use super::{Loaded, Page, Parsed, Resolved};
use crate::config::Config;
use crate::docfx::repository::{AbsentRef, Repository};
use crate::error::Diagnostic;
use crate::markdown::RenderOptions;
use crate::output::OutputFile;
use crate::resolve::links::SiteIndex;
use crate::resolve::nav::{Nav, NavPage};
use crate::resolve::site_nav;

/// The resolved site with its diagnostics by source.
pub struct ResolvedEach {
    /// Its `diagnostics` hold only the warnings about absent dependent repositories.
    pub resolved: Resolved,
    /// Page id -> the diagnostics of rendering its body (pages without any left out).
    pub body_diagnostics: BTreeMap<String, Vec<Diagnostic>>,
    pub nav_diagnostics: Vec<Diagnostic>,
}

/// [`super::resolve`] with the diagnostics kept by source; the anchor checks are left to
/// the caller ([`super::check_anchors`]), who runs them after every rebuild.
pub fn resolve_each(
    cfg: &Config,
    loaded: &Loaded,
    parsed: &Parsed,
) -> Result<ResolvedEach, String> {
    let index = super::link_index(cfg, loaded, parsed);
    let ids: Vec<&str> = parsed.pages.keys().map(String::as_str).collect();
    let (rendered, mut absent) = bodies_each(cfg, &loaded.repo, parsed, &index, &ids)?;
    absent.sort();
    let diagnostics = loaded.repo.absent_warnings(&absent);
    let (mut bodies, mut body_diagnostics) = (BTreeMap::new(), BTreeMap::new());
    for (id, mut body, d) in rendered {
        // Kept while serving: without a growing string's spare capacity.
        body.rendered.html.shrink_to_fit();
        if !d.is_empty() {
            body_diagnostics.insert(id.clone(), d);
        }
        bodies.insert(id, body);
    }
    let externals = (bodies.values())
        .flat_map(|b: &RenderedPage| b.externals.iter().cloned())
        .collect();
    let (nav, nav_diagnostics) = nav(cfg, loaded, parsed, &index);
    Ok(ResolvedEach {
        resolved: Resolved {
            index,
            bodies,
            externals,
            nav,
            absent,
            diagnostics,
        },
        body_diagnostics,
        nav_diagnostics,
    })
}

/// One rendered body: page id, Markdown output, its diagnostics.
pub type Body = (String, RenderedPage, Vec<Diagnostic>);

/// The Markdown output of pages `ids`, in parallel, each with its own diagnostics, and
/// the references into absent dependent repositories met. Err only when the site root
/// cannot be resolved.
pub fn bodies_each(
    cfg: &Config,
    repo: &Repository,
    parsed: &Parsed,
    index: &SiteIndex,
    ids: &[&str],
) -> Result<(Vec<Body>, Vec<AbsentRef>), String> {
    let shared = page_render::Shared {
        index,
        data: &parsed.data,
        cfg,
        opts: RenderOptions {
            highlight: cfg.highlight,
            smart_punctuation: cfg.smart_punctuation,
        },
        root_canon: (cfg.root.canonicalize())
            .map_err(|e| format!("{}: {e}", cfg.root.display()))?,
        pivot_groups: parsed.pivot_groups.as_ref(),
        repo,
        absent: std::sync::Mutex::new(Vec::new()),
    };
    let rendered = ids
        .par_iter()
        .filter_map(|id| parsed.pages.get(*id))
        .map(|p| {
            let zones = p.fm.zone_pivot_groups.as_deref();
            let (text, offset) = (&p.text, p.body_offset);
            let (rp, d) =
                page_render::render_page(&shared, &p.id, &p.display, &p.url, text, offset, zones);
            (p.id.clone(), rp, d)
        })
        .collect();
    let absent = shared.absent.into_inner().unwrap_or_default();
    Ok((rendered, absent))
}

/// The navigation of the parsed site and its diagnostics, as [`super::resolve`] makes it.
pub fn nav(
    cfg: &Config,
    loaded: &Loaded,
    parsed: &Parsed,
    index: &SiteIndex,
) -> (Nav, Vec<Diagnostic>) {
    let pages: Vec<NavPage> = parsed.pages.values().map(nav_page).collect();
    let toc = |d: &mut Vec<Diagnostic>| crate::docfx::toc_nav::root_nav(&loaded.files, index, d);
    let mut diags = Vec::new();
    let nav = site_nav::choose(&cfg.nav, toc, &pages, &mut diags);
    (nav, diags)
}

fn nav_page(p: &Page) -> NavPage {
    NavPage {
        id: p.id.clone(),
        url: p.url.clone(),
        title: p.title.clone(),
        weight: p.fm.weight,
        landing: p.landing,
    }
}

/// The hash the page manifest holds for a page with `title` and Markdown output `html`.
pub fn page_hash(title: &str, html: &str) -> String {
    super::report::content_hash(title, html)
}

/// The page manifest file from page URL -> [`page_hash`]: the bytes a build writes,
/// written straight from the map (a rebuild makes it again after every edit).
pub fn manifest(hashes: &BTreeMap<String, String>) -> OutputFile {
    let json = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut s = String::with_capacity(hashes.len() * 64 + 32);
    s.push_str("{\n  \"pages\": {");
    for (i, (url, hash)) in hashes.iter().enumerate() {
        s.push_str(if i == 0 { "\n    " } else { ",\n    " });
        s.push_str(&json(&format!("/{url}")));
        s.push_str(": ");
        s.push_str(&json(hash));
    }
    if !hashes.is_empty() {
        s.push_str("\n  ");
    }
    s.push_str("}\n}\n");
    OutputFile::new(super::report::MANIFEST, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_is_the_one_a_build_writes() {
        let mut hashes = BTreeMap::new();
        for _ in 0..3 {
            let made = manifest(&hashes);
            assert_eq!(
                made.bytes,
                super::super::report::manifest(&hashes).into_bytes()
            );
            hashes.insert(format!("a\"b\\{}/", hashes.len()), "0f".repeat(16));
            hashes.insert(String::new(), "home".into());
        }
    }
}
