//! The producing stages of a build: [`render_pages`] (pages through their templates,
//! each handed to the sink as soon as it is made), [`site_files`] (special pages, diagram
//! files, copied files, the page manifest and the search index, without clashes) and
//! [`write`], the one place the other files leave a build. The previous output folder is
//! handed in explicitly where unchanged files are reused from it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use super::data::Data;
use super::page_views;
use super::report;
use super::stages::{Loaded, Parsed, Resolved};
use crate::config::Config;
use crate::error::{Diagnostic, Severity};
use crate::load::Kind;
use crate::outdir;
use crate::output::{OutputFile, Sink};
use crate::render::fingerprint;
use crate::render::search::{self, SearchDoc};
use crate::render::special::{self, Alias};
use crate::render::views::SiteView;

/// Every output file besides the pages (`page_paths`): special pages, diagram files (PNGs
/// unchanged since `previous_output` are kept), copied files, the page manifest and the
/// search index (kept from `previous_output` when its input is unchanged), sorted and
/// without clashes. Nothing is kept from a folder without the trustdoc output stamp. The
/// diagrams are drawn while the search index is made.
pub fn site_files(
    cfg: &Config,
    loaded: &Loaded,
    parsed: &Parsed,
    resolved: &Resolved,
    page_paths: &BTreeSet<String>,
    previous_output: Option<&Path>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let previous_output = previous_output.filter(|dir| dir.join(outdir::STAMP).is_file());
    let previous =
        |rel: &str| previous_output.and_then(|dir| crate::output::previous_file(dir, rel));
    let (mut files, mut diags) = render_special(cfg, loaded, parsed, resolved);
    let ((diagram_files, d), search) = rayon::join(
        || render_diagrams(&parsed.data, previous_output),
        || {
            let wanted = cfg.search && loaded.templates.is_some();
            let docs = || search_docs(parsed, resolved);
            wanted.then(|| search::index_reusing(docs(), &cfg.language, &previous))
        },
    );
    files.extend(diagram_files);
    diags.extend(d);
    files.extend(copied_files(loaded));
    files.push(manifest_file(parsed, resolved));
    match search {
        Some(Ok(index)) => files.extend(index.files),
        Some(Err(e)) => diags.push(Diagnostic::error("(search index)", 0, 0, "search", e)),
        None => {}
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
