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
//! The reading stages live in `stages.rs`, the producing ones in `outputs.rs`; this file
//! only runs them in order.

mod changes;
pub mod data;
mod outputs;
pub mod page_render;
mod page_views;
pub mod pages;
pub mod partial;
mod report;
mod stages;

use std::time::Instant;

use crate::config::Config;
use crate::error::Diagnostic;
use crate::output::{Collect, OutputFile, Sink};
pub use changes::{diff, previous_hashes, summary_markdown};
pub use outputs::{
    copied_files, finish_diagnostics, manifest_file, page_hashes, render_diagrams, render_pages,
    render_special, site_files, site_view, without_clashes, write,
};
pub use page_render::RenderedPage;
pub use pages::{Page, PageKind};
pub use report::Changes;
pub use report::Report;
pub use stages::{
    check_anchors, link_index, load, parse, render_bodies, resolve, Bodies, Loaded, Parsed,
    Resolved,
};

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
