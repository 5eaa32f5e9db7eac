//! The build conductor: runs the pipeline stages in order and returns every diagnostic;
//! `build`, `check`, the tests and a long-running server share it.
//!
//! Each stage is a plain function over plain data, so a server can keep the loaded and
//! parsed site in memory and re-render a subset of pages later:
//!
//! - [`load`]`(cfg) -> Loaded`: source files, templates and theme assets.
//! - [`parse`]`(&Loaded) -> Parsed`: pages (id-keyed map, URLs assigned), comparison data,
//!   zone pivot groups.
//! - [`resolve`]`(cfg, &Loaded, &Parsed) -> Resolved`: the link index, every page's
//!   Markdown output, the anchor diagnostics and the navigation. Its parts are public too:
//!   [`link_index`], [`render_bodies`] (for some page ids), [`check_anchors`].
//! - [`render_pages`]`(.., ids, sink)`: pages through their templates, each handed to the
//!   sink as soon as it is made; [`render_special`] (redirects, 404, sitemap, robots.txt),
//!   [`render_diagrams`] (given the previous output folder, whose unchanged PNGs are
//!   reused), [`copied_files`] (static files and assets).
//! - [`write`]: the one place files leave a build, after the output-clash check.
//!
//! Every stage result carries its own `diagnostics`; a diagnostic never stops the build.

mod changes;
pub mod data;
pub mod page_render;
mod page_views;
pub mod pages;
pub mod partial;
mod report;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Config;
use crate::docfx::repository::{AbsentRef, Repository};
use crate::docfx::PivotGroups;
use crate::error::{Diagnostic, Severity};
use crate::load::{self, Kind, SourceFile};
use crate::markdown::RenderOptions;
use crate::output::{Collect, OutputFile, Sink};
use crate::render::fingerprint;
use crate::render::search::{self, SearchDoc};
use crate::render::special::{self, Alias};
use crate::render::templates::{self, Templates};
use crate::render::views::SiteView;
use crate::resolve::anchors::{self, PageAnchors};
use crate::resolve::links::{LinkPolicy, SiteIndex};
use crate::resolve::nav::{Nav, NavPage};
use crate::resolve::{index, site_nav};
pub use changes::{diff, previous_hashes, summary_markdown};
use data::Data;
pub use page_render::RenderedPage;
pub use pages::{Page, PageKind};
pub use report::Changes;
pub use report::Report;

/// Everything a build produced.
pub struct Outcome {
    /// Every output file, from [`build`]; [`build_to`] hands them to its sink instead and
    /// leaves this empty.
    pub files: Vec<OutputFile>,
    /// How many files went to the sink.
    pub written: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub report: Report,
}

impl Outcome {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Runs the whole pipeline and keeps every output file in memory (`Outcome::files`).
pub fn build(cfg: &Config) -> Result<Outcome, String> {
    let sink = Collect::default();
    let mut outcome = build_to(cfg, &sink)?;
    outcome.files = sink.into_files();
    Ok(outcome)
}

/// Runs the whole pipeline, handing each output file to `sink` as soon as it is made (pages
/// while they render), so memory holds the pages' Markdown output, not the whole site.
/// The caller discards the sink's work when the outcome has errors. Err only for I/O
/// trouble outside the content (exit code 2).
pub fn build_to(cfg: &Config, sink: &dyn Sink) -> Result<Outcome, String> {
    let file_links = crate::render::relative::FileLinks(sink);
    let sink: &dyn Sink = if cfg.relative_urls { &file_links } else { sink };
    let mut clock = Clock::start();
    let mut loaded = load(cfg)?;
    clock.lap("load");
    let mut parsed = parse(&loaded);
    loaded.forget_markdown();
    clock.lap("parse");
    let mut resolved = resolve(cfg, &loaded, &parsed)?;
    clock.lap("resolve");

    let ids: Vec<&str> = parsed.pages.keys().map(String::as_str).collect();
    let (page_paths, mut diags) = render_pages(cfg, &loaded, &parsed, &resolved, &ids, sink)?;
    clock.lap("render-templates");
    // The last build's output: unchanged diagram PNGs are taken from it.
    let previous = Some(cfg.output_dir.as_path());
    let (files, d) = site_files(cfg, &loaded, &parsed, &resolved, &page_paths, previous);
    diags.extend(d);
    clock.lap("site-files");
    let hashes = page_hashes(&parsed, &resolved);

    diags.append(&mut loaded.diagnostics);
    diags.append(&mut parsed.diagnostics);
    diags.append(&mut resolved.diagnostics);
    let diags = finish_diagnostics(cfg, diags);
    let urls = parsed.pages.values().map(|p| p.url.as_str());
    let mut report = Report::new(
        urls,
        &files,
        &diags,
        &resolved.externals,
        clock.laps,
        hashes,
    )
    .with_access(&parsed.data);
    report.absent_dependencies = std::mem::take(&mut resolved.absent);
    let written = page_paths.len() + files.len();
    write(sink, files)?;
    Ok(Outcome {
        files: Vec::new(),
        written,
        diagnostics: diags,
        report,
    })
}

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
    let nav_pages: Vec<NavPage> = parsed.pages.values().map(nav_page).collect();
    let toc = |d: &mut Vec<Diagnostic>| crate::docfx::toc_nav::root_nav(&loaded.files, &index, d);
    let nav = site_nav::choose(&cfg.nav, toc, &nav_pages, &mut diagnostics);
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
    let rendered: Vec<(String, RenderedPage, Vec<Diagnostic>)> = ids
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
    let mut diags = Vec::new();
    let mut bodies = BTreeMap::new();
    for (id, rp, d) in rendered {
        diags.extend(d);
        bodies.insert(id, rp);
    }
    let absent = shared.absent.into_inner().unwrap_or_default();
    Ok((bodies, absent, diags))
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

/// Every output file besides the pages (`page_paths`): special pages, diagram files (PNGs
/// unchanged since `previous_output` are kept), copied files, the page manifest and the
/// search index, sorted and without clashes.
pub fn site_files(
    cfg: &Config,
    loaded: &Loaded,
    parsed: &Parsed,
    resolved: &Resolved,
    page_paths: &BTreeSet<String>,
    previous_output: Option<&Path>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let (mut files, mut diags) = render_special(cfg, loaded, parsed, resolved);
    let (diagram_files, d) = render_diagrams(&parsed.data, previous_output);
    files.extend(diagram_files);
    diags.extend(d);
    files.extend(copied_files(loaded));
    files.push(manifest_file(parsed, resolved));
    if cfg.search && loaded.templates.is_some() {
        match search::index(search_docs(parsed, resolved), &cfg.language) {
            Ok(index) => files.extend(index),
            Err(e) => diags.push(Diagnostic::error("(search index)", 0, 0, "search", e)),
        }
    }
    let files = without_clashes(files, page_paths, &mut diags);
    (files, diags)
}

/// Page URL -> hash of what a reader sees of it (title and content), for the change report
/// and the [`report::MANIFEST`] file.
pub fn page_hashes(parsed: &Parsed, resolved: &Resolved) -> BTreeMap<String, String> {
    (resolved.bodies.iter())
        .filter_map(|(id, body)| {
            let p = parsed.pages.get(id)?;
            Some((
                p.url.clone(),
                report::content_hash(&p.title, &body.rendered.html),
            ))
        })
        .collect()
}

/// The manifest file of page hashes, as a build writes it.
pub fn manifest_file(parsed: &Parsed, resolved: &Resolved) -> OutputFile {
    OutputFile::new(
        report::MANIFEST,
        report::manifest(&page_hashes(parsed, resolved)),
    )
}

/// What the search index needs of every page: URL, title and rendered content.
fn search_docs(parsed: &Parsed, resolved: &Resolved) -> Vec<SearchDoc> {
    (resolved.bodies.iter())
        .filter_map(|(id, body)| {
            let p = parsed.pages.get(id)?;
            Some(SearchDoc {
                url: p.url.clone(),
                title: p.title.clone(),
                content: body.rendered.html.clone(),
            })
        })
        .collect()
}

/// What every template sees as `site`.
pub fn site_view(cfg: &Config, assets: &BTreeMap<String, Vec<u8>>) -> SiteView {
    SiteView {
        title: cfg.title.clone(),
        description: cfg.description.clone(),
        language: cfg.language.clone(),
        base_url: cfg.base_url.clone(),
        generator: format!("trustdoc {}", env!("CARGO_PKG_VERSION")),
        extra: cfg.extra.clone(),
        search: cfg.search,
        asset_names: fingerprint::names(assets),
    }
}

/// Renders pages `ids` through their templates and hands each to `sink` as soon as it is
/// made. Returns the output paths handed over and the template diagnostics; Err when the
/// sink fails (the build's one I/O failure).
pub fn render_pages(
    cfg: &Config,
    loaded: &Loaded,
    parsed: &Parsed,
    resolved: &Resolved,
    ids: &[&str],
    sink: &dyn Sink,
) -> Result<(BTreeSet<String>, Vec<Diagnostic>), String> {
    let (mut paths, mut diags) = (BTreeSet::new(), Vec::new());
    let Some(tpl) = &loaded.templates else {
        return Ok((paths, diags));
    };
    let views = page_views::PageViews::new(
        &parsed.pages,
        &resolved.nav,
        cfg,
        &site_view(cfg, &loaded.assets),
    );
    let write_error: Mutex<Option<String>> = Mutex::new(None);
    let results: Vec<Result<Option<String>, Diagnostic>> = ids
        .par_iter()
        .filter_map(|id| Some((parsed.pages.get(*id)?, resolved.bodies.get(*id)?)))
        .map(|(p, body)| {
            let html = views.render(tpl, p, body)?;
            let path = format!("{}index.html", p.url);
            match sink.put(OutputFile::new(path.clone(), html)) {
                Ok(()) => Ok(Some(path)),
                Err(e) => {
                    if let Ok(mut slot) = write_error.lock() {
                        slot.get_or_insert(e);
                    }
                    Ok(None)
                }
            }
        })
        .collect();
    if let Some(e) = write_error.into_inner().ok().flatten() {
        return Err(e);
    }
    for r in results {
        match r {
            Ok(path) => paths.extend(path),
            Err(d) => diags.push(d),
        }
    }
    Ok((paths, diags))
}

/// Redirect pages (front matter aliases, a Learn redirection file), the 404 page, the
/// sitemap and robots.txt.
pub fn render_special(
    cfg: &Config,
    loaded: &Loaded,
    parsed: &Parsed,
    resolved: &Resolved,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let (mut files, mut diags) = (Vec::new(), Vec::new());
    let pages = &parsed.pages;
    if let Some(tpl) = &loaded.templates {
        let site = site_view(cfg, &loaded.assets);
        let aliases: Vec<Alias> = (pages.values())
            .flat_map(|p| {
                p.fm.aliases.iter().map(|alias| Alias {
                    display: &p.display,
                    line: p.fm.aliases_line,
                    alias,
                    to_url: &p.url,
                })
            })
            .collect();
        let (f, d) = special::alias_redirects(tpl, &site, &aliases, cfg);
        files.extend(f);
        diags.extend(d);
        let ids_urls: Vec<(&str, &str)> = (pages.values())
            .map(|p| (p.id.as_str(), p.url.as_str()))
            .collect();
        for f in loaded.files.iter().filter(|f| f.kind == Kind::Redirects) {
            let (outs, d) = special::learn_redirects(tpl, &site, f, &ids_urls, cfg);
            files.extend(outs);
            diags.extend(d);
        }
        let url_of = |id: &str| pages.get(id).map(|p| p.url.clone());
        match special::not_found_page(tpl, &site, &resolved.nav, &url_of, cfg) {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    let dated: Vec<(&str, Option<&str>)> = (pages.values())
        .map(|p| (p.url.as_str(), p.fm.date.as_deref()))
        .collect();
    files.push(special::sitemap(cfg, &dated));
    files.push(special::robots(cfg));
    (files, diags)
}

/// Every diagram file (SVG, PNG at 1x and 2x, bound image paths). PNGs in
/// `previous_output` that record the same SVG source are reused instead of drawn.
pub fn render_diagrams(
    data: &Data,
    previous_output: Option<&Path>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let previous =
        |rel: &str| previous_output.and_then(|dir| crate::output::previous_file(dir, rel));
    data.files(&previous)
}

/// Static files of the content and the theme's assets, as they are.
pub fn copied_files(loaded: &Loaded) -> Vec<OutputFile> {
    let statics = (loaded.files.iter())
        .filter(|f| f.kind == Kind::Static)
        .map(|f| OutputFile::new(loaded.repo.static_path(&f.rel), f.bytes.clone()));
    let names = fingerprint::names(&loaded.assets);
    let assets = (loaded.assets.iter()).map(|(name, bytes)| {
        let out_name = names.get(name).unwrap_or(name);
        OutputFile::new(format!("assets/{out_name}"), bytes.clone())
    });
    statics.chain(assets).collect()
}

/// `files` sorted, with an `output-clash` error for every path two sources write (a page
/// among them: `page_paths`) and only the first file kept.
pub fn without_clashes(
    mut files: Vec<OutputFile>,
    page_paths: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<OutputFile> {
    let mut clash = |path: &str| {
        let msg = "two sources write this output file";
        diags.push(Diagnostic::error(path, 0, 0, "output-clash", msg))
    };
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|b, a| {
        let same = a.path == b.path;
        if same {
            clash(&a.path);
        }
        same
    });
    files.retain(|f| {
        let page = page_paths.contains(&f.path);
        if page {
            clash(&f.path);
        }
        !page
    });
    files
}

/// Hands `files` to the sink: the one place a build's files leave it.
pub fn write(sink: &dyn Sink, files: Vec<OutputFile>) -> Result<(), String> {
    files.into_iter().try_for_each(|f| sink.put(f))
}

/// Sorted and deduplicated; all errors under --strict.
pub fn finish_diagnostics(cfg: &Config, mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if cfg.strict {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    diags.sort();
    diags.dedup();
    diags
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

/// Stage timings for the report, in milliseconds.
struct Clock {
    last: Instant,
    laps: Vec<(String, f64)>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &str) {
        let ms = self.last.elapsed().as_secs_f64() * 1000.0;
        self.laps.push((name.to_string(), ms));
        self.last = Instant::now();
    }
}
