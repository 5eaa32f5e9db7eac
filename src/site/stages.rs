//! The reading stages of a build: [`load`] (source files, templates, theme assets),
//! [`parse`] (pages with their URLs, comparison data, zone pivot groups) and [`resolve`]
//! (the link index, every page's Markdown output, the anchor checks and the navigation).
//! Each is a plain function over plain data, so a server can keep their results in memory
//! and re-render some pages later with [`render_bodies`] and [`check_anchors`].

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::data::{self, Data};
use super::page_render::{self, RenderedPage};
use super::pages::{self, Page};
use crate::config::Config;
use crate::docfx::repository::{AbsentRef, Repository};
use crate::docfx::PivotGroups;
use crate::error::Diagnostic;
use crate::load::{self, Kind, SourceFile};
use crate::markdown::RenderOptions;
use crate::render::templates::{self, Templates};
use crate::resolve::anchors::{self, PageAnchors};
use crate::resolve::links::{LinkPolicy, SiteIndex};
use crate::resolve::nav::{Nav, NavPage};
use crate::resolve::{index, site_nav};

/// Stage 1: the site's source files, its templates and theme assets.
pub struct Loaded {
    pub files: Vec<SourceFile>,
    /// None when the templates have errors (reported in `diagnostics`): no page is rendered.
    pub templates: Option<Templates>,
    /// Theme asset name -> bytes, written under `assets/`.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// docfx.json (which files are pages and where they go) and the dependent repositories.
    pub repo: Repository,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Drops the bytes of Markdown sources: parsed pages hold their own text.
    pub fn forget_markdown(&mut self) {
        for f in self.files.iter_mut().filter(|f| f.kind == Kind::Markdown) {
            f.bytes = Vec::new();
        }
    }
}

/// Reads the site. Err only for I/O trouble outside the content.
pub fn load(cfg: &Config) -> Result<Loaded, String> {
    let (mut files, mut diagnostics) = load::load(cfg)?;
    let (mut repo, d) = Repository::open(cfg)?;
    diagnostics.extend(d);
    repo.select(&mut files);
    let templates = Templates::load(&cfg.root)
        .map_err(|d| diagnostics.extend(d))
        .ok();
    let assets = templates::assets(&cfg.root).unwrap_or_else(|d| {
        diagnostics.extend(d);
        BTreeMap::new()
    });
    Ok(Loaded {
        files,
        templates,
        assets,
        repo,
        diagnostics,
    })
}

/// Stage 2: pages with their URLs, the comparison data and the zone pivot groups.
pub struct Parsed {
    /// Page id (content-relative source path) -> page.
    pub pages: BTreeMap<String, Page>,
    pub data: Data,
    /// The shallowest `zone-pivot-groups.yml`, when the site has one.
    pub pivot_groups: Option<PivotGroups>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn parse(loaded: &Loaded) -> Parsed {
    let (mut pages, mut diagnostics) = pages::parse(&loaded.files);
    let (data, d) = data::load(&loaded.files);
    diagnostics.extend(d);
    diagnostics.extend(pages::assign_urls_with(&mut pages, |id| {
        loaded.repo.page_path(id).to_string()
    }));
    let pivot_groups = pivot_groups(&loaded.files, &mut diagnostics);
    Parsed {
        pages: pages.into_iter().map(|p| (p.id.clone(), p)).collect(),
        data,
        pivot_groups,
        diagnostics,
    }
}

/// Stage 3: links resolved across the site.
pub struct Resolved {
    pub index: SiteIndex,
    /// Page id -> its Markdown output.
    pub bodies: BTreeMap<String, RenderedPage>,
    /// Every external link of the site.
    pub externals: BTreeSet<String>,
    pub nav: Nav,
    /// Includes and code blocks that point into absent dependent repositories.
    pub absent: Vec<AbsentRef>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The link index, every page's Markdown output, its anchor checks and the navigation.
/// Err only for I/O trouble outside the content.
pub fn resolve(cfg: &Config, loaded: &Loaded, parsed: &Parsed) -> Result<Resolved, String> {
    let index = link_index(cfg, loaded, parsed);
    let ids: Vec<&str> = parsed.pages.keys().map(String::as_str).collect();
    let (bodies, mut absent, mut diagnostics) =
        render_bodies(cfg, &loaded.repo, parsed, &index, &ids)?;
    absent.sort();
    diagnostics.extend(loaded.repo.absent_warnings(&absent));
    diagnostics.extend(check_anchors(parsed, &bodies, index.policy));
    let externals = bodies
        .values()
        .flat_map(|b| b.externals.iter().cloned())
        .collect();
    let (nav, nav_diagnostics) = nav(cfg, loaded, parsed, &index);
    diagnostics.extend(nav_diagnostics);
    Ok(Resolved {
        index,
        bodies,
        externals,
        nav,
        absent,
        diagnostics,
    })
}

/// The link index of the parsed site. A Learn docset built as it is (no trustdoc.toml; a
/// TOC.yml or `ms.*` front matter) reports missing targets as warnings, as DocFX does;
/// --strict makes them errors again.
pub fn link_index(cfg: &Config, loaded: &Loaded, parsed: &Parsed) -> SiteIndex {
    let has_config = cfg.root.join(crate::config::CONFIG_FILE).exists();
    let learn_docset = !has_config
        && (loaded.files.iter().any(|f| f.kind == Kind::Toc)
            || parsed
                .pages
                .values()
                .any(|p| p.fm.extra.keys().any(|k| k.starts_with("ms."))));
    let mut index = index::site_index(
        parsed
            .pages
            .values()
            .map(|p| (p.id.as_str(), p.url.as_str())),
        (loaded.files.iter())
            .filter(|f| f.kind == Kind::Static)
            .map(|f| f.rel.as_str()),
        parsed.data.bound_images.clone(),
        learn_docset,
        cfg.safe,
    );
    index.static_out = loaded.repo.resource_out.clone();
    index
}

/// What [`render_bodies`] makes: page id -> Markdown output, the references into absent
/// dependent repositories, and the diagnostics.
pub type Bodies = (
    BTreeMap<String, RenderedPage>,
    Vec<AbsentRef>,
    Vec<Diagnostic>,
);

/// The Markdown output of pages `ids`, in parallel. Err only when the site root cannot
/// be resolved.
pub fn render_bodies(
    cfg: &Config,
    repo: &Repository,
    parsed: &Parsed,
    index: &SiteIndex,
    ids: &[&str],
) -> Result<Bodies, String> {
    let (rendered, absent) = bodies_each(cfg, repo, parsed, index, ids)?;
    let mut diags = Vec::new();
    let mut bodies = BTreeMap::new();
    for (id, rp, d) in rendered {
        diags.extend(d);
        bodies.insert(id, rp);
    }
    Ok((bodies, absent, diags))
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

/// Anchors that links ask for and their target pages do not define.
pub fn check_anchors(
    parsed: &Parsed,
    bodies: &BTreeMap<String, RenderedPage>,
    policy: LinkPolicy,
) -> Vec<Diagnostic> {
    let pages: Vec<PageAnchors> = bodies
        .iter()
        .filter_map(|(id, b)| {
            Some(PageAnchors {
                id,
                display: &parsed.pages.get(id)?.display,
                defined: &b.rendered.anchors,
                wanted: &b.anchors,
            })
        })
        .collect();
    anchors::check(&pages, policy)
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

/// The shallowest `zone-pivot-groups.yml` of the site, parsed.
fn pivot_groups(files: &[SourceFile], diags: &mut Vec<Diagnostic>) -> Option<PivotGroups> {
    let file = files
        .iter()
        .filter(|f| f.rel.rsplit('/').next() == Some("zone-pivot-groups.yml"))
        .min_by_key(|f| (f.rel.matches('/').count(), f.rel.clone()))?;
    let text = load::text(file).map_err(|d| diags.push(d)).ok()?;
    crate::docfx::parse_pivot_groups(&file.display, text)
        .map_err(|d| diags.extend(d))
        .ok()
}
