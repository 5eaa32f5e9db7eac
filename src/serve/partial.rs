//! Rebuilding part of the kept site after an edit. Each changed path is one of: a page
//! whose URL, kind and front matter (its title aside) stay the same; a comparison file; a
//! file pages read (an include, a `:::code` source; a page may be one too). Anything else
//! returns None and the whole pipeline runs. Then:
//!
//! - bodies are rendered again for the edited pages, the pages that read a changed file
//!   and the pages that show a changed comparison (each body records what it read and
//!   showed while it rendered: `RenderedPage::deps`); a page showing a comparison that is
//!   re-rendered for another reason takes the whole pipeline, as the diagram files and
//!   their warnings (which name where a diagram is shown) depend on all of its pages;
//! - a new title rebuilds the navigation; when its shape is kept, the pages showing the
//!   title (sidebar, breadcrumbs, previous/next, the folder's landing page) go through
//!   their templates again, with the special pages; a new shape (the title moved the page
//!   in its folder's order), or a new home page title, takes every page's template, still
//!   without rendering any body again;
//! - new anchors change no other page's output (a link's `href` does not depend on the
//!   target's headings), but the link checks of the pages linking to them run again, with
//!   those of every re-rendered page;
//! - a comparison file draws its diagram files again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use axum::body::Bytes;

use super::state::{by_path, served_bytes, Update, Warm};
use crate::config::Config;
use crate::load::{slash_path, Kind};
use crate::output::{Collect, OutputFile};
use crate::resolve::anchors::{self, PageAnchors};
use crate::resolve::nav::Nav;
use crate::resolve::nav_shown;
use crate::site::{self, Page, Parsed};

/// What an edit touched.
#[derive(Default)]
struct Plan {
    /// Edited pages, parsed again.
    pages: Vec<Page>,
    /// Changed comparison files (content-relative).
    data: BTreeSet<String>,
    /// Changed files that pages read (root-relative).
    reads: BTreeSet<String>,
}

/// Rebuilds the part of the site `changed` touches, updating `warm` and `output`; None
/// when the whole pipeline must run (`warm` may then be half updated: the full build
/// replaces it).
pub(super) fn rebuild(
    cfg: &Config,
    warm: &mut Warm,
    output: &mut BTreeMap<String, Bytes>,
    changed: &BTreeSet<PathBuf>,
) -> Option<Update> {
    if changed.is_empty() || !warm.partial_ok() {
        return None;
    }
    let plan = plan(cfg, warm, changed)?;
    let mut retitled = Vec::new();
    let mut bodies: BTreeSet<String> = BTreeSet::new();
    for page in plan.pages {
        bodies.insert(page.id.clone());
        let id = page.id.clone();
        let title = page.title.clone();
        let old = warm.parsed.pages.insert(id.clone(), page)?;
        if old.title != title {
            retitled.push(id);
        }
    }
    if !plan.data.is_empty() {
        reload_data(warm, &plan.data)?;
    }
    let readers: BTreeSet<String> = (warm.resolved.bodies.iter())
        .filter(|(_, b)| b.deps.files.iter().any(|f| plan.reads.contains(f)))
        .map(|(id, _)| id.clone())
        .collect();
    let showing: BTreeSet<String> = (warm.resolved.bodies.iter())
        .filter(|(_, b)| b.deps.data.iter().any(|f| plan.data.contains(f)))
        .map(|(id, _)| id.clone())
        .collect();
    bodies.extend(readers.iter().cloned());
    bodies.extend(showing.iter().cloned());
    let moved = render_bodies(cfg, warm, &bodies, &showing)?;
    // Link checks: the re-rendered pages' own, and those of the pages linking to pages
    // whose anchors changed.
    let linking = (warm.resolved.bodies.iter())
        .filter(|(_, b)| b.anchors.iter().any(|a| moved.contains(&a.target_page)))
        .map(|(id, _)| id.clone());
    let checked: BTreeSet<String> = bodies.iter().cloned().chain(linking).collect();
    check_anchors(warm, &checked);
    let mut files = Vec::new();
    let mut templated = bodies.clone();
    if !retitled.is_empty() {
        let r = &warm.resolved;
        let (nav, nav_diags) = site::partial::nav(cfg, &warm.loaded, &warm.parsed, &r.index);
        let old = std::mem::replace(&mut warm.resolved.nav, nav);
        warm.diags.nav = nav_diags;
        templated.extend(showing_titles(
            &warm.parsed,
            &old,
            &warm.resolved.nav,
            &retitled,
        ));
        let (special, d) = site::render_special(cfg, &warm.loaded, &warm.parsed, &warm.resolved);
        if !same_paths(&special, &warm.special_paths) {
            return None;
        }
        warm.diags.special = d;
        files.extend(special);
    }
    if !plan.data.is_empty() {
        let previous = Some(cfg.output_dir.as_path());
        let (diagrams, d) = site::render_diagrams(&warm.parsed.data, previous);
        if !same_paths(&diagrams, &warm.diagram_paths) {
            return None;
        }
        warm.diags.diagrams = d;
        files.extend(diagrams);
    }
    let ids: Vec<&str> = templated.iter().map(String::as_str).collect();
    let sink = Collect::default();
    let r = &warm.resolved;
    let (paths, template_diags) =
        site::render_pages(cfg, &warm.loaded, &warm.parsed, r, &ids, &sink).ok()?;
    if !template_diags.is_empty() || paths.len() != ids.len() {
        return None;
    }
    files.extend(sink.into_files());
    for id in bodies.iter().chain(&retitled) {
        let (page, body) = (warm.parsed.pages.get(id)?, r.bodies.get(id)?);
        let hash = site::partial::page_hash(&page.title, &body.rendered.html);
        warm.hashes.insert(page.url.clone(), hash);
    }
    files.push(site::partial::manifest(&warm.hashes));
    let changed = files.iter().map(|f| f.path.clone()).collect();
    for f in files {
        output.insert(f.path, served_bytes(f.bytes));
    }
    Some(Update {
        changed,
        full: false,
        diagnostics: warm.diagnostics(cfg),
        pages: templated.len(),
    })
}

/// Sorts the changed paths into a [`Plan`]; None for a path only a full build handles.
fn plan(cfg: &Config, warm: &Warm, changed: &BTreeSet<PathBuf>) -> Option<Plan> {
    let root = cfg.root.canonicalize().ok()?;
    let content = cfg.content_dir.canonicalize().ok()?;
    let mut plan = Plan::default();
    for path in changed {
        // A path gone (deleted, renamed away) or a folder: pages may come and go.
        if !path.is_file() {
            return None;
        }
        let path = path.canonicalize().ok()?;
        let root_rel = slash_path(path.strip_prefix(&root).ok()?);
        let read = (warm.resolved.bodies.values()).any(|b| b.deps.files.contains(&root_rel));
        let content_rel = path.strip_prefix(&content).ok().map(slash_path);
        let loaded =
            (content_rel.as_ref()).and_then(|rel| warm.loaded.files.iter().find(|f| f.rel == *rel));
        match (content_rel, loaded.map(|f| f.kind)) {
            (Some(rel), Some(Kind::Markdown)) if warm.parsed.pages.contains_key(&rel) => {
                plan.pages.push(reparse(warm, &rel, &path)?);
            }
            (Some(rel), Some(Kind::Data)) if warm.parsed.data.comparisons.contains_key(&rel) => {
                plan.data.insert(rel);
            }
            // A file outside the content that pages read (a docset's includes).
            (None, _) if read => {}
            _ => return None,
        }
        if read {
            plan.reads.insert(root_rel);
        }
    }
    Some(plan)
}

/// Page `rel` read again from `path`, when only its body and title changed.
fn reparse(warm: &Warm, rel: &str, path: &Path) -> Option<Page> {
    let page = warm.parsed.pages.get(rel)?;
    let file = (warm.loaded.files.iter()).find(|f| f.rel == rel && f.kind == Kind::Markdown)?;
    let mut source = file.clone();
    source.bytes = std::fs::read(path).ok()?;
    let mut old_source = file.clone();
    old_source.bytes = page.text.clone().into_bytes();
    let (mut new, new_diags) = site::pages::parse(std::slice::from_ref(&source));
    let (_, old_diags) = site::pages::parse(std::slice::from_ref(&old_source));
    let mut new = new.pop()?;
    let repo = &warm.loaded.repo;
    site::pages::assign_urls_with(std::slice::from_mut(&mut new), |id| {
        repo.page_path(id).to_string()
    });
    let mut fm = new.fm.clone();
    fm.title.clone_from(&page.fm.title);
    let same_shape = new_diags == old_diags
        && new.id == page.id
        && new.url == page.url
        && new.landing == page.landing
        && new.kind == page.kind
        && fm == page.fm
        && same_diagrams(&warm.parsed.data, &page.text, &new.text);
    same_shape.then_some(new)
}

/// Parses the comparison files again after `changed` did; Err when more than their
/// contents changed (their diagnostics, the images bound to them, the set of files).
fn reload_data(warm: &mut Warm, changed: &BTreeSet<String>) -> Option<()> {
    let (_, old_diags) = site::data::load(&warm.loaded.files);
    for f in (warm.loaded.files.iter_mut()).filter(|f| changed.contains(&f.rel)) {
        f.bytes = std::fs::read(&f.abs).ok()?;
    }
    let (data, diags) = site::data::load(&warm.loaded.files);
    let old = &warm.parsed.data;
    let same = diags == old_diags
        && data.bound_images == old.bound_images
        && data.comparisons.keys().eq(old.comparisons.keys());
    if !same {
        return None;
    }
    data.keep_used(old, changed);
    warm.parsed.data = data;
    Some(())
}

/// Runs the anchor checks of the links on `pages` again, replacing their results.
fn check_anchors(warm: &mut Warm, pages: &BTreeSet<String>) {
    let (parsed, r) = (&warm.parsed, &warm.resolved);
    let targets: BTreeSet<&str> = (pages.iter())
        .filter_map(|id| r.bodies.get(id))
        .flat_map(|b| b.anchors.iter().map(|a| a.target_page.as_str()))
        .filter(|t| !pages.contains(*t))
        .collect();
    let list: Vec<PageAnchors> = (pages.iter().map(String::as_str))
        .chain(targets)
        .filter_map(|id| {
            let (page, body) = (parsed.pages.get(id)?, r.bodies.get(id)?);
            Some(PageAnchors {
                id: &page.id,
                display: &page.display,
                defined: &body.rendered.anchors,
                wanted: if pages.contains(id) {
                    &body.anchors
                } else {
                    &[]
                },
            })
        })
        .collect();
    let found = by_path(anchors::check(&list, r.index.policy));
    let displays: Vec<String> = (pages.iter())
        .filter_map(|id| Some(parsed.pages.get(id)?.display.clone()))
        .collect();
    for d in displays {
        warm.diags.anchors.remove(&d);
    }
    warm.diags.anchors.extend(found);
}

/// Renders the bodies of `ids` again and keeps them with their diagnostics; returns the
/// pages whose anchors changed. None when a page not in `showing` (the pages showing a
/// changed comparison) shows a comparison before or after: the diagram files and their
/// warnings depend on every page showing it.
fn render_bodies(
    cfg: &Config,
    warm: &mut Warm,
    ids: &BTreeSet<String>,
    showing: &BTreeSet<String>,
) -> Option<BTreeSet<String>> {
    let list: Vec<&str> = ids.iter().map(String::as_str).collect();
    let (repo, index) = (&warm.loaded.repo, &warm.resolved.index);
    let (rendered, absent) =
        site::partial::bodies_each(cfg, repo, &warm.parsed, index, &list).ok()?;
    if !absent.is_empty() {
        return None;
    }
    let mut moved = BTreeSet::new();
    for (id, body, diags) in rendered {
        let old = warm.resolved.bodies.insert(id.clone(), body)?;
        let new_body = warm.resolved.bodies.get(&id)?;
        if new_body.rendered.anchors != old.rendered.anchors {
            moved.insert(id.clone());
        }
        let new = &new_body.deps.data;
        // A page showing a comparison names where its diagrams are shown (in the
        // diagram warnings): only a change to the comparison itself, which re-renders
        // every page showing it and draws its files again, keeps those right.
        let drawn_same = showing.contains(&id) || (old.deps.data.is_empty() && new.is_empty());
        if !drawn_same {
            return None;
        }
        if diags.is_empty() {
            warm.diags.bodies.remove(&id);
        } else {
            warm.diags.bodies.insert(id, diags);
        }
    }
    Some(moved)
}

/// The pages that show the new titles of `retitled`: every page when the navigation
/// changed shape or the home page was retitled (its title leads every breadcrumb trail);
/// else the retitled pages, their neighbours in reading order, the landing pages listing
/// them, and the pages whose sidebar or breadcrumbs show a retitled entry.
fn showing_titles(parsed: &Parsed, old: &Nav, new: &Nav, retitled: &[String]) -> Vec<String> {
    let every = || parsed.pages.keys().cloned().collect();
    if !nav_shown::same_shape(old, new) {
        return every();
    }
    let mut out: BTreeSet<String> = BTreeSet::new();
    for id in retitled {
        let Some(p) = parsed.pages.get(id) else {
            continue;
        };
        if p.url.is_empty() {
            return every();
        }
        let (prev, next) = new.neighbours(id);
        out.extend(prev.into_iter().chain(next).map(String::from));
        let folder = parent_url(&p.url);
        let landing = (parsed.pages.values()).filter(|q| q.landing && q.url == folder);
        out.extend(landing.map(|q| q.id.clone()));
    }
    let nodes = nav_shown::retitled(old, new);
    if !nodes.is_empty() {
        let shown = |q: &String| nodes.iter().any(|n| nav_shown::shows(new, q, n));
        out.extend(parsed.pages.keys().filter(|q| shown(q)).cloned());
    }
    out.into_iter().collect()
}

/// The URL folder a landing page lists a page in: "a/b/" -> "a/", "a/" -> "".
fn parent_url(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    match trimmed.rsplit_once('/') {
        Some((parent, _)) => format!("{parent}/"),
        None => String::new(),
    }
}

fn same_paths(files: &[OutputFile], paths: &BTreeSet<String>) -> bool {
    files.len() == paths.len() && files.iter().all(|f| paths.contains(&f.path))
}

/// Whether an edit keeps the page's diagrams: the same directives (kind, data file, model)
/// and no image bound to a diagram on either side. Diagram files are drawn for the
/// diagrams pages show, so a change there takes the whole pipeline.
fn same_diagrams(data: &site::data::Data, old: &str, new: &str) -> bool {
    let shown = |text: &str| {
        let (_, found, _) = crate::directives::extract("", text, 1, "");
        found
            .into_iter()
            .map(|d| (d.kind, d.source, d.model))
            .collect::<Vec<_>>()
    };
    let bound = |text: &str| {
        (data.bound_images.keys())
            .any(|k| text.contains(k.rsplit('/').next().unwrap_or(k.as_str())))
    };
    !bound(old) && !bound(new) && shown(old) == shown(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_urls_are_the_folders_landing_pages_list() {
        assert_eq!(parent_url("a/b/"), "a/");
        assert_eq!(parent_url("a/"), "");
    }
}
