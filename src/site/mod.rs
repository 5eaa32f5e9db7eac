//! The build: runs the pipeline stages in order (load -> parse -> resolve -> render) and
//! returns every output file in memory with every diagnostic. `build`, `check` and the
//! tests share this; only the CLI decides whether to write.

mod changes;
mod data;
mod page_render;
mod page_views;
pub mod pages;
mod report;
mod special;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Config;
use crate::error::Diagnostic;
use crate::load::{self, Kind};
use crate::markdown::RenderOptions;
use crate::output::{Collect, OutputFile, Sink};
use crate::render::fingerprint;
use crate::render::search::{self, SearchDoc};
use crate::render::templates::{self, Templates};
use crate::render::views::SiteView;
use crate::resolve::links::{LinkPolicy, SiteIndex};
use crate::resolve::nav::{Nav, NavNode, NavPage};
pub use changes::{diff, previous_hashes, summary_markdown, Changes};
use page_render::RenderedPage;
pub use pages::{Page, PageKind};
pub use report::Report;
use special::{alias_path, not_found_page, redirect_page, sitemap};

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
    let mut timings: Vec<(String, f64)> = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &str, timings: &mut Vec<(String, f64)>| {
        timings.push((name.to_string(), clock.elapsed().as_secs_f64() * 1000.0));
        clock = Instant::now();
    };
    let mut diags = Vec::new();

    // Load.
    let (files, d) = load::load(cfg)?;
    diags.extend(d);
    let tpl = match Templates::load(&cfg.root) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let assets = templates::assets(&cfg.root).unwrap_or_else(|d| {
        diags.extend(d);
        BTreeMap::new()
    });
    lap("load", &mut timings);

    // Parse.
    let (mut pages, d) = pages::parse(&files);
    diags.extend(d);
    let (data, d) = data::load(&files);
    diags.extend(d);
    diags.extend(pages::assign_urls(&mut pages));
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    // Pages hold their own copy of the text from here on.
    let mut files = files;
    for f in files.iter_mut().filter(|f| f.kind == Kind::Markdown) {
        f.bytes = Vec::new();
    }
    lap("parse", &mut timings);

    // Resolve.
    // A Learn docset built as it is (no trustdoc.toml; a TOC.yml or `ms.*` front matter)
    // reports missing targets as warnings, as DocFX does; --strict makes them errors again.
    let has_config = cfg.root.join(crate::config::CONFIG_FILE).exists();
    let learn_docset = !has_config
        && (files.iter().any(|f| f.kind == Kind::Toc)
            || pages
                .iter()
                .any(|p| p.fm.extra.keys().any(|k| k.starts_with("ms."))));
    let mut index = SiteIndex {
        policy: if learn_docset {
            LinkPolicy::Warn
        } else {
            LinkPolicy::Error
        },
        safe: cfg.safe,
        ..SiteIndex::default()
    };
    for p in &pages {
        index.page_url.insert(p.id.clone(), p.url.clone());
        index.url_page.insert(p.url.clone(), p.id.clone());
        index.page_lower.insert(p.id.to_lowercase(), p.id.clone());
    }
    for f in files.iter().filter(|f| f.kind == Kind::Static) {
        index.statics.insert(f.rel.clone());
        index
            .statics_lower
            .insert(f.rel.to_lowercase(), f.rel.clone());
    }
    index.bound_images = data.bound_images.clone();
    let opts = RenderOptions {
        highlight: cfg.highlight,
        smart_punctuation: cfg.smart_punctuation,
    };
    let shared = page_render::Shared {
        index: &index,
        data: &data,
        cfg,
        opts,
        root_canon: cfg
            .root
            .canonicalize()
            .map_err(|e| format!("{}: {e}", cfg.root.display()))?,
        pivot_groups: pivot_groups(&files, &mut diags),
    };
    let rendered: Vec<(RenderedPage, Vec<Diagnostic>)> = pages
        .par_iter()
        .map(|p| {
            let zones = p.fm.zone_pivot_groups.as_deref();
            page_render::render_page(
                &shared,
                &p.id,
                &p.display,
                &p.url,
                &p.text,
                p.body_offset,
                zones,
            )
        })
        .collect();
    let mut outputs: Vec<RenderedPage> = Vec::with_capacity(rendered.len());
    for (rp, d) in rendered {
        diags.extend(d);
        outputs.push(rp);
    }
    for p in &mut pages {
        p.text = String::new();
    }
    lap("render-markdown", &mut timings);

    // Anchors can only be checked once every page is rendered.
    let anchor_sets: BTreeMap<&str, BTreeSet<&str>> = pages
        .iter()
        .zip(&outputs)
        .map(|(p, o)| {
            (
                p.id.as_str(),
                o.rendered.anchors.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    let mut externals = BTreeSet::new();
    for (p, o) in pages.iter().zip(&outputs) {
        externals.extend(o.externals.iter().cloned());
        for a in &o.anchors {
            let ok = anchor_sets
                .get(a.target_page.as_str())
                .is_some_and(|set| set.contains(a.anchor.as_str()));
            if !ok && !a.anchor.is_empty() {
                let target = if a.target_page == p.id {
                    "this page".to_string()
                } else {
                    a.target_page.clone()
                };
                let msg = format!("anchor `#{}` does not exist on {target}", a.anchor);
                diags.push(match index.policy {
                    LinkPolicy::Error => {
                        Diagnostic::error(&p.display, a.line, a.col, "broken-anchor", msg)
                    }
                    LinkPolicy::Warn => {
                        Diagnostic::warning(&p.display, a.line, a.col, "broken-anchor", msg)
                    }
                });
            }
        }
    }
    let nav_pages: Vec<NavPage> = pages
        .iter()
        .map(|p| NavPage {
            id: p.id.clone(),
            url: p.url.clone(),
            title: p.title.clone(),
            weight: p.fm.weight,
            landing: p.landing,
        })
        .collect();
    let nav = build_nav(cfg, &files, &pages, &nav_pages, &index, &mut diags);
    lap("resolve", &mut timings);

    // Render templates.
    let mut out_files: Vec<OutputFile> = Vec::new();
    let site_view = SiteView {
        title: cfg.title.clone(),
        description: cfg.description.clone(),
        language: cfg.language.clone(),
        base_url: cfg.base_url.clone(),
        generator: format!("trustdoc {}", env!("CARGO_PKG_VERSION")),
        extra: cfg.extra.clone(),
        search: cfg.search,
        asset_names: fingerprint::names(&assets),
    };
    let views = page_views::PageViews::new(&pages, &nav, cfg, &site_view);
    let url_of = |id: &str| views.url_of(id);
    let mut page_files: BTreeSet<String> = BTreeSet::new();
    let mut search_docs: Vec<SearchDoc> = Vec::new();
    let mut page_hashes: BTreeMap<String, String> = BTreeMap::new();
    let write_error: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    if let Some(tpl) = &tpl {
        // Each page goes to the sink as soon as it is rendered, and its Markdown output is
        // dropped with it.
        let results: Vec<Result<PageDone, Diagnostic>> = pages
            .par_iter()
            .zip(outputs.into_par_iter())
            .map(|(p, o)| {
                let html = views.render(tpl, p, &o)?;
                let path = format!("{}index.html", p.url);
                let hash = report::content_hash(&p.title, &o.rendered.html);
                let doc = cfg.search.then(|| SearchDoc {
                    url: p.url.clone(),
                    title: p.title.clone(),
                    content: o.rendered.html,
                });
                match sink.put(OutputFile::new(path.clone(), html)) {
                    Ok(()) => Ok((Some(path), doc, (p.url.clone(), hash))),
                    Err(e) => {
                        // Written only once, below, as the build's one I/O failure.
                        if let Ok(mut slot) = write_error.lock() {
                            slot.get_or_insert(e);
                        }
                        Ok((None, None, (p.url.clone(), hash)))
                    }
                }
            })
            .collect();
        if let Some(e) = write_error.into_inner().ok().flatten() {
            return Err(e);
        }
        for r in results {
            match r {
                Ok((path, doc, (url, hash))) => {
                    page_files.extend(path);
                    search_docs.extend(doc);
                    page_hashes.insert(url, hash);
                }
                Err(d) => diags.push(d),
            }
        }
        // Redirects for aliases.
        for p in &pages {
            for alias in &p.fm.aliases {
                match alias_path(alias) {
                    Some(a) => {
                        match redirect_page(tpl, &site_view, &a, special::To::Page(&p.url), cfg) {
                            Ok(f) => out_files.push(f),
                            Err(e) => {
                                diags.push(Diagnostic::error(&p.display, 0, 0, "template", e))
                            }
                        }
                    }
                    None => diags.push(Diagnostic::error(
                        &p.display,
                        p.fm.aliases_line,
                        1,
                        "alias",
                        format!("alias `{alias}` is not a path inside the site"),
                    )),
                }
            }
        }
        for f in files.iter().filter(|f| f.kind == Kind::Redirects) {
            let (outs, d) = special::learn_redirects(tpl, &site_view, f, &pages, cfg);
            out_files.extend(outs);
            diags.extend(d);
        }
        match not_found_page(tpl, &site_view, &nav, &url_of, cfg) {
            Ok(f) => out_files.push(f),
            Err(e) => diags.push(Diagnostic::error("templates/404.html", 0, 0, "template", e)),
        }
    }
    lap("render-templates", &mut timings);

    // Diagrams, static files, assets and site files.
    let (diagram_files, d) = data.files(Some(&cfg.output_dir));
    diags.extend(d);
    out_files.extend(diagram_files);
    lap("diagrams", &mut timings);
    for f in files.iter().filter(|f| f.kind == Kind::Static) {
        out_files.push(OutputFile::new(f.rel.clone(), f.bytes.clone()));
    }
    for (name, bytes) in &assets {
        let out_name = site_view.asset_names.get(name).unwrap_or(name);
        out_files.push(OutputFile::new(format!("assets/{out_name}"), bytes.clone()));
    }
    if cfg.search && tpl.is_some() {
        match search::index(search_docs, &cfg.language) {
            Ok(files) => out_files.extend(files),
            Err(e) => diags.push(Diagnostic::error("(search index)", 0, 0, "search", e)),
        }
        lap("search", &mut timings);
    }
    out_files.push(OutputFile::new(
        report::MANIFEST,
        report::manifest(&page_hashes),
    ));
    out_files.push(OutputFile::new("sitemap.xml", sitemap(cfg, &pages)));
    out_files.push(OutputFile::new(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            cfg.base_url
        ),
    ));
    out_files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut clash = |path: &str| {
        diags.push(Diagnostic::error(
            path,
            0,
            0,
            "output-clash",
            "two sources write this output file",
        ))
    };
    out_files.dedup_by(|b, a| {
        let same = a.path == b.path;
        if same {
            clash(&a.path);
        }
        same
    });
    out_files.retain(|f| {
        let page = page_files.contains(&f.path);
        if page {
            clash(&f.path);
        }
        !page
    });
    lap("site-files", &mut timings);

    if cfg.strict {
        for d in &mut diags {
            d.severity = crate::error::Severity::Error;
        }
    }
    diags.sort();
    diags.dedup();
    let report = Report::new(&pages, &out_files, &diags, &externals, timings, page_hashes);
    let written = page_files.len() + out_files.len();
    for f in out_files {
        sink.put(f)?;
    }
    Ok(Outcome {
        files: Vec::new(),
        written,
        diagnostics: diags,
        report,
    })
}

/// A rendered page: its output path (None when the sink failed), what the search index
/// needs of it, and its URL with its content hash.
type PageDone = (Option<String>, Option<SearchDoc>, (String, String));

/// The shallowest `zone-pivot-groups.yml` of the site, parsed.
fn pivot_groups(
    files: &[load::SourceFile],
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::docfx::PivotGroups> {
    let file = files
        .iter()
        .filter(|f| f.rel.rsplit('/').next() == Some("zone-pivot-groups.yml"))
        .min_by_key(|f| (f.rel.matches('/').count(), f.rel.clone()))?;
    let text = load::text(file).map_err(|d| diags.push(d)).ok()?;
    crate::docfx::parse_pivot_groups(&file.display, text)
        .map_err(|d| diags.extend(d))
        .ok()
}

/// The navigation tree: `[[nav]]` in the config wins (the site owner wrote it for this
/// site), then a root `toc.yml`/`TOC.yml` (which may come with imported content), then the
/// folder tree.
fn build_nav(
    cfg: &Config,
    files: &[load::SourceFile],
    pages: &[Page],
    nav_pages: &[NavPage],
    index: &SiteIndex,
    diags: &mut Vec<Diagnostic>,
) -> Nav {
    let home = pages
        .iter()
        .find(|p| p.url.is_empty())
        .map(|p| p.id.as_str());
    if !cfg.nav.is_empty() {
        return Nav::new(config_nav(&cfg.nav, pages, diags), home);
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
                    crate::resolve::toc_nav::nodes(&items, "", &toc.display, index, diags),
                    home,
                )
            }
            Err(d) => diags.extend(d),
        }
    }
    Nav::from_folders(nav_pages)
}

fn config_nav(
    entries: &[crate::config::NavEntry],
    pages: &[Page],
    diags: &mut Vec<Diagnostic>,
) -> Vec<NavNode> {
    entries
        .iter()
        .map(|e| {
            let page = e.path.as_ref().and_then(|p| {
                let rel =
                    crate::resolve::links::normalize(p.trim_start_matches('/')).unwrap_or_default();
                let found = pages.iter().find(|pg| pg.id == rel);
                if found.is_none() {
                    diags.push(Diagnostic::error(
                        crate::config::CONFIG_FILE,
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
                children: config_nav(&e.children, pages, diags),
            }
        })
        .collect()
}
