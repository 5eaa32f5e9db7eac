//! Renders one page body: trustdoc directives and DocFX constructs become placeholders,
//! pulldown-cmark renders the rest, placeholders are swapped for their HTML. The DocFX
//! `Host` lives here too: it reads includes and `:::code` sources (never outside the site
//! root), renders fragments through this same function, and checks their links.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::data::Data;
use crate::config::Config;
use crate::docfx::{self, Host, PivotConfig};
use crate::error::Diagnostic;
use crate::load::display;
use crate::markdown::{self, highlight, Linker, RenderOptions, Rendered};
use crate::resolve::links::{normalize, AnchorCheck, PageLinker, SiteIndex};

/// Includes nested deeper than this are refused (DocFX allows a handful of levels).
const MAX_INCLUDE_DEPTH: usize = 8;
/// Files one page may read for includes and `:::code` (counting every repeat), and their
/// total size: a chain of files that each include the next many times would otherwise
/// multiply (ten includes of ten includes, eight deep, is 10^8 renders).
const MAX_READS_PER_PAGE: usize = 1000;
const MAX_READ_BYTES_PER_PAGE: usize = 64 << 20;

pub(super) struct Shared<'a> {
    pub index: &'a SiteIndex,
    pub data: &'a Data,
    pub cfg: &'a Config,
    pub opts: RenderOptions,
    /// Canonical site root: every file read must resolve inside it.
    pub root_canon: PathBuf,
    /// `zone-pivot-groups.yml`, when the site has one.
    pub pivot_groups: Option<&'a docfx::PivotGroups>,
}

/// One page's Markdown output with the anchors and external links it asks for.
pub struct RenderedPage {
    pub rendered: Rendered,
    pub anchors: Vec<AnchorCheck>,
    pub externals: BTreeSet<String>,
}

/// Renders the page with source id `id` (content-relative) at URL folder `url`.
/// `zone_groups` is the page's `zone_pivot_groups` front matter value.
#[allow(clippy::too_many_arguments)]
pub(super) fn render_page(
    sh: &Shared,
    id: &str,
    disp: &str,
    url: &str,
    text: &str,
    body_offset: usize,
    zone_groups: Option<&str>,
) -> (RenderedPage, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let pivots = match (zone_groups, sh.pivot_groups) {
        (Some(names), Some(groups)) => {
            let names: Vec<&str> = names
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .collect();
            let (cfg, unknown) = groups.config_for(&names);
            for u in unknown {
                diags.push(Diagnostic::warning(disp, 1, 1, "zone-pivots", format!("zone_pivot_groups names `{u}`, which zone-pivot-groups.yml does not define")));
            }
            cfg
        }
        _ => PivotConfig::default(),
    };
    let mut linker = PageLinker::new(sh.index, id, disp, url);
    // Figures for bound images wait behind placeholders until the author's HTML has been
    // sanitised (safe mode), so generated SVG is never filtered.
    let figs: RefCell<Vec<String>> = RefCell::new(Vec::new());
    let hook = |rel: &str, alt: &str| {
        let n = figs.borrow().len();
        let html = sh.data.bound_figure(rel, alt, url, 100 + n)?;
        figs.borrow_mut().push(html);
        Some(fig_placeholder(n))
    };
    linker.diagram_hook = Some(&hook);
    let reads = Cell::new((0, 0));
    let host = SiteHost {
        sh,
        linker: &linker,
        chain: vec![id.to_string()],
        pivots: &pivots,
        figs: &figs,
        reads: &reads,
        diags: RefCell::new(Vec::new()),
    };
    let (html_rendered, more) = host.render(id, disp, text, body_offset);
    diags.extend(more);
    diags.extend(host.diags.into_inner());
    let rp = RenderedPage {
        rendered: html_rendered,
        anchors: linker.anchors.take(),
        externals: linker.externals.take(),
    };
    diags.extend(linker.diags.take());
    (rp, diags)
}

struct SiteHost<'a, 'b> {
    sh: &'a Shared<'a>,
    linker: &'b PageLinker<'a>,
    /// Source ids of the page and the includes being rendered, outermost first.
    chain: Vec<String>,
    pivots: &'b PivotConfig,
    figs: &'b RefCell<Vec<String>>,
    /// Files read so far for this page and their bytes, shared by nested hosts.
    reads: &'b Cell<(usize, usize)>,
    diags: RefCell<Vec<Diagnostic>>,
}

fn fig_placeholder(n: usize) -> String {
    format!("<!--tdf:{n}-->")
}

impl SiteHost<'_, '_> {
    /// The pipeline for one source text (a page, or an included fragment).
    fn render(
        &self,
        id: &str,
        disp: &str,
        text: &str,
        body_offset: usize,
    ) -> (Rendered, Vec<Diagnostic>) {
        let head = text.get(..body_offset).unwrap_or("");
        let body = text.get(body_offset..).unwrap_or("");
        let body_line = head.matches('\n').count() + 1;
        let dir = id.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let (body, mut diags) = markdown::lenient::close_spaced_links(disp, body, body_line);
        let (body, directives, more) = crate::directives::extract(disp, &body, body_line, dir);
        diags.extend(more);
        let pre = docfx::preprocess(
            disp,
            &format!("{head}{body}"),
            self,
            &PivotConfig::default(),
        );
        diags.extend(pre.diagnostics);
        let full = pre.text;
        let body = full.get(body_offset..).unwrap_or("");
        let mut rendered = markdown::render(&full, body_offset, body, self.sh.opts, self.linker);
        if self.sh.cfg.safe {
            rendered.html = markdown::sanitize::clean(&rendered.html);
        }
        for (n, d) in directives.iter().enumerate() {
            let html = self
                .sh
                .data
                .directive(d, disp, &self.linker.url, n)
                .unwrap_or_else(|e| {
                    diags.push(e);
                    String::new()
                });
            rendered.html = rendered
                .html
                .replacen(&crate::directives::placeholder(n), &html, 1);
        }
        rendered.html = docfx::swap_placeholders(&rendered.html, &pre.blocks);
        for (n, fig) in self.figs.borrow().iter().enumerate() {
            let ph = fig_placeholder(n);
            if rendered.html.contains(&ph) {
                // A bound image stands alone in its paragraph; the figure replaces the paragraph.
                let html = rendered.html.replace(&format!("<p>{ph}</p>"), fig);
                rendered.html = html.replace(&ph, fig);
            }
        }
        (rendered, diags)
    }

    /// Content-relative id of a file shown to users as `disp`.
    fn id_of(&self, disp: &str) -> String {
        let content = display(self.sh.cfg, &self.sh.cfg.content_dir);
        if content == "." {
            disp.to_string()
        } else {
            disp.strip_prefix(&format!("{content}/"))
                .unwrap_or(disp)
                .to_string()
        }
    }

    fn current(&self) -> &str {
        self.chain.last().map(String::as_str).unwrap_or("")
    }
}

impl Host for SiteHost<'_, '_> {
    fn url(&self, raw: &str, line: usize, col: usize, is_image: bool) -> String {
        self.linker.link(raw, is_image, line, col)
    }

    fn read(&self, raw: &str, _line: usize, _col: usize) -> Result<(String, String), String> {
        if self.reads.get().0 >= MAX_READS_PER_PAGE {
            return Err(format!(
                "`{raw}` refused: the page already reads {MAX_READS_PER_PAGE} included or code files (counting repeats)"
            ));
        }
        if self.chain.len() > MAX_INCLUDE_DEPTH {
            return Err(format!(
                "includes nest deeper than {MAX_INCLUDE_DEPTH} levels"
            ));
        }
        let cleaned = crate::resolve::links::percent_decode(raw.trim()).replace('\\', "/");
        let cfg = self.sh.cfg;
        // `~/` names the docset root; everything else is relative to the current file.
        let (base, rel): (&Path, String) = if let Some(rest) = cleaned.strip_prefix("~/") {
            (&cfg.docset_root, rest.to_string())
        } else if cleaned.starts_with('/')
            || cleaned.contains("://")
            || cleaned.get(1..2) == Some(":")
        {
            return Err(format!("`{raw}` must be a relative path or start with ~/"));
        } else {
            let dir = self
                .current()
                .rsplit_once('/')
                .map(|(d, _)| d)
                .unwrap_or("");
            (
                &cfg.content_dir,
                if dir.is_empty() {
                    cleaned.clone()
                } else {
                    format!("{dir}/{cleaned}")
                },
            )
        };
        let rel = normalize(&rel)
            .filter(|r| !r.is_empty())
            .ok_or_else(|| format!("`{raw}` points outside the site root; refused"))?;
        let path = base.join(&rel);
        let canon = path
            .canonicalize()
            .map_err(|e| format!("`{raw}` cannot be read: {e}"))?;
        if !canon.starts_with(&self.sh.root_canon) {
            return Err(format!("`{raw}` points outside the site root; refused"));
        }
        let disp = display(cfg, &path);
        if self.chain.iter().any(|c| *c == self.id_of(&disp)) {
            return Err(format!(
                "`{raw}` includes itself (include cycle: {} -> {disp})",
                self.chain.join(" -> ")
            ));
        }
        let (count, total) = self.reads.get();
        let bytes = std::fs::read(&canon).map_err(|e| format!("`{raw}` cannot be read: {e}"))?;
        let total = total.saturating_add(bytes.len());
        self.reads.set((count + 1, total));
        if total > MAX_READ_BYTES_PER_PAGE {
            return Err(format!(
                "`{raw}` refused: included and code files for this page exceed {} MiB",
                MAX_READ_BYTES_PER_PAGE >> 20
            ));
        }
        let text = String::from_utf8(bytes).map_err(|_| format!("`{raw}` is not valid UTF-8"))?;
        Ok((disp, text.trim_start_matches('\u{feff}').to_string()))
    }

    fn markdown(&self, display_path: &str, text: &str, inline: bool) -> String {
        let id = self.id_of(display_path);
        let mut chain = self.chain.clone();
        if id != self.current() {
            chain.push(id.clone());
        }
        // Links in an included file resolve from its own folder but point from the page.
        let mut linker = PageLinker::new(self.linker.index, &id, display_path, &self.linker.url);
        linker.page = self.linker.page.clone();
        linker.diagram_hook = self.linker.diagram_hook;
        let child = SiteHost {
            sh: self.sh,
            linker: &linker,
            chain,
            pivots: self.pivots,
            figs: self.figs,
            reads: self.reads,
            diags: RefCell::new(Vec::new()),
        };
        let body_offset = crate::front_matter::split(display_path, text)
            .map(|s| text.len() - s.body.len())
            .unwrap_or(0);
        let (rendered, diags) = child.render(&id, display_path, text, body_offset);
        let mut own = self.diags.borrow_mut();
        own.extend(diags);
        own.extend(child.diags.into_inner());
        own.extend(linker.diags.take());
        self.linker
            .anchors
            .borrow_mut()
            .extend(linker.anchors.take());
        self.linker
            .externals
            .borrow_mut()
            .extend(linker.externals.take());
        let html = rendered.html;
        if inline {
            let t = html.trim();
            match t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
                Some(inner) if !inner.contains("<p>") => inner.to_string(),
                _ => html,
            }
        } else {
            html
        }
    }

    fn highlight(&self, code: &str, lang: &str, highlight_lines: &[usize]) -> String {
        highlight::code_block(code, lang, highlight_lines, self.sh.opts.highlight)
    }
}
