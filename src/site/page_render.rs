//! Renders one page body: trustdoc directives and DocFX constructs become placeholders,
//! pulldown-cmark renders the rest, placeholders are swapped for their HTML. The DocFX
//! `Host` lives here too: it reads includes and `:::code` sources (never outside the site
//! root), renders fragments through this same function, and checks their links.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::data::Data;
use crate::config::Config;
use crate::docfx::deps::{Located, Repo};
use crate::docfx::repository::{absent_note, AbsentRef, Repository};
use crate::docfx::{self, Host, PivotConfig, ReadFailure};
use crate::error::Diagnostic;
use crate::load::{display, slash_path};
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
    /// docfx.json and the dependent repositories.
    pub repo: &'a Repository,
    /// Includes and code blocks met that point into absent dependent repositories.
    pub absent: Mutex<Vec<AbsentRef>>,
}

/// One page's Markdown output with the anchors and external links it asks for.
pub struct RenderedPage {
    pub rendered: Rendered,
    /// The anchors its links ask for, by target page: its link targets whose headings
    /// matter to it.
    pub anchors: Vec<AnchorCheck>,
    pub externals: BTreeSet<String>,
    pub deps: Deps,
}

/// What a page's Markdown output depends on besides its own text and the site's URLs,
/// recorded while it renders, so a change to one of these re-renders only the pages
/// that use it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deps {
    /// Root-relative paths of the files it reads (includes, `:::code` sources), also
    /// when a read failed: the file appearing changes the page.
    pub files: BTreeSet<String>,
    /// Content-relative paths of the comparison files it shows (directives, bound images).
    pub data: BTreeSet<String>,
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
    let deps: RefCell<Deps> = RefCell::new(Deps::default());
    let hook = |rel: &str, alt: &str| {
        if let Some((cmp, _)) = sh.data.bound_images.get(rel) {
            deps.borrow_mut().data.insert(cmp.clone());
        }
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
        deps: &deps,
        reads: &reads,
        diags: RefCell::new(Vec::new()),
    };
    let (mut html_rendered, more) = host.render(id, disp, text, body_offset);
    // Each tab of the page (its own or an include's) is a target for `#tab/id` links.
    html_rendered
        .anchors
        .extend(tab_ids(&html_rendered.html).map(|t| format!("tab/{t}")));
    diags.extend(more);
    diags.extend(host.diags.into_inner());
    let rp = RenderedPage {
        rendered: html_rendered,
        anchors: linker.anchors.take(),
        externals: linker.externals.take(),
        deps: deps.take(),
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
    /// What the page read and showed, shared by nested hosts.
    deps: &'b RefCell<Deps>,
    /// Files read so far for this page and their bytes, shared by nested hosts.
    reads: &'b Cell<(usize, usize)>,
    diags: RefCell<Vec<Diagnostic>>,
}

/// Ids an author wrote in HTML that no link can reach and no valid HTML page may carry:
/// one with whitespace in it (`#a b` is not one fragment), or one written twice on the
/// page. Each is rewritten (whitespace runs to `-`, a repeat gets `-2`, `-3`, ...) with a
/// warning at its position; the page text comes back with the repairs made.
fn repair_ids(disp: &str, body: &str, body_line: usize) -> (String, Vec<Diagnostic>) {
    let mut found = markdown::slug::author_ids(body);
    if !found.is_empty() {
        let code = markdown::render::code_ranges(body);
        found.retain(|(at, _)| !code.iter().any(|r| r.contains(at)));
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut out = Vec::new();
    for (at, id) in &found {
        let mut new = id.split_whitespace().collect::<Vec<_>>().join("-");
        if new.is_empty() {
            continue;
        }
        let base = new.clone();
        let mut n = 1;
        while seen.contains(&new) || (new != *id && found.iter().any(|(_, f)| *f == new)) {
            n += 1;
            new = format!("{base}-{n}");
        }
        seen.insert(new.clone());
        if new == *id {
            continue;
        }
        let why = if id.contains(char::is_whitespace) {
            "has whitespace in it, so no link can reach it"
        } else {
            "is written twice on this page"
        };
        let msg = format!("id=\"{id}\" {why}; written as id=\"{new}\"");
        let line = body_line + body[..*at].matches('\n').count();
        let col = body[..*at]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        out.push(Diagnostic::warning(disp, line, col, "html-id", msg));
        // The value starts after `id="`.
        edits.push((at + 4, at + 4 + id.len(), new));
    }
    let mut text = body.to_string();
    for (start, end, new) in edits.into_iter().rev() {
        text.replace_range(start..end, &new);
    }
    (text, out)
}

/// The `data-tab` values of tab panels in rendered HTML.
fn tab_ids(html: &str) -> impl Iterator<Item = &str> {
    const ATTR: &str = "class=\"td-tab-panel\" data-tab=\"";
    html.match_indices(ATTR).filter_map(move |(at, _)| {
        let rest = &html[at + ATTR.len()..];
        rest.find('"').map(|end| &rest[..end])
    })
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
        let (body, more) = repair_ids(disp, &body, body_line);
        diags.extend(more);
        let (body, directives, more) = crate::directives::extract(disp, &body, body_line, dir);
        diags.extend(more);
        let pre = docfx::preprocess(
            disp,
            &format!("{head}{body}"),
            self,
            &PivotConfig::default(),
        );
        diags.extend(pre.diagnostics);
        let mut full = pre.text;
        if self.sh.cfg.safe {
            let (escaped, d) =
                markdown::sanitize::escape_unclosed_raw_blocks(disp, &full, body_offset);
            full = escaped;
            diags.extend(d);
        }
        let body = full.get(body_offset..).unwrap_or("");
        let mut rendered = markdown::render(&full, body_offset, body, self.sh.opts, self.linker);
        if self.sh.cfg.safe {
            rendered.html = markdown::sanitize::clean(&rendered.html);
        }
        for (n, d) in directives.iter().enumerate() {
            self.deps.borrow_mut().data.insert(d.source.clone());
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

    /// The file an include or `:::code` path names: its path as joined (`~/` = docset
    /// root, else the current file's folder) and, when it lies under the site root, its
    /// root-relative path. Err when it is absolute or climbs out.
    fn target(&self, raw: &str) -> Result<(PathBuf, Option<String>), String> {
        let cleaned = crate::resolve::links::percent_decode(raw.trim()).replace('\\', "/");
        let cfg = self.sh.cfg;
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
        let root_rel = path.strip_prefix(&cfg.root).ok().map(slash_path);
        Ok((path, root_rel))
    }

    fn current(&self) -> &str {
        self.chain.last().map(String::as_str).unwrap_or("")
    }
}

/// `raw` cannot be read because of `e`; an I/O failure unless the file is simply missing.
fn cannot_read(raw: &str, e: &std::io::Error) -> ReadFailure {
    ReadFailure {
        message: format!("`{raw}` cannot be read: {e}"),
        io: crate::error::is_read_failure(e),
    }
}

impl Host for SiteHost<'_, '_> {
    fn url(&self, raw: &str, line: usize, col: usize, is_image: bool) -> String {
        self.linker.link(raw, is_image, line, col)
    }

    fn read(&self, raw: &str, _line: usize, _col: usize) -> Result<(String, String), ReadFailure> {
        if self.reads.get().0 >= MAX_READS_PER_PAGE {
            return Err(ReadFailure::from(format!(
                "`{raw}` refused: the page already reads {MAX_READS_PER_PAGE} included or code files (counting repeats)"
            )));
        }
        if self.chain.len() > MAX_INCLUDE_DEPTH {
            return Err(ReadFailure::from(format!(
                "includes nest deeper than {MAX_INCLUDE_DEPTH} levels"
            )));
        }
        let cfg = self.sh.cfg;
        let (path, root_rel) = self.target(raw)?;
        let key = root_rel.clone().unwrap_or_else(|| slash_path(&path));
        self.deps.borrow_mut().files.insert(key);
        // A file of a dependent repository is read from that repository's folder, and
        // must stay inside it; any other file must stay inside the site root.
        let (path, allowed): (PathBuf, &Path) = match root_rel
            .as_deref()
            .and_then(|r| self.sh.repo.deps.locate(r))
        {
            Some(Located {
                repo: Repo::Present(dir),
                inner,
                ..
            }) => (dir.join(inner), dir.as_path()),
            Some(Located { name, .. }) => {
                return Err(ReadFailure::from(format!(
                    "`{raw}` is in the dependent repository {name}, which is absent"
                )))
            }
            None => (path, self.sh.root_canon.as_path()),
        };
        let canon = path.canonicalize().map_err(|e| cannot_read(raw, &e))?;
        if !canon.starts_with(allowed) {
            return Err(ReadFailure::from(format!(
                "`{raw}` points outside the site root; refused"
            )));
        }
        let disp = root_rel.unwrap_or_else(|| display(cfg, &path));
        if self.chain.iter().any(|c| *c == self.id_of(&disp)) {
            return Err(ReadFailure::from(format!(
                "`{raw}` includes itself (include cycle: {} -> {disp})",
                self.chain.join(" -> ")
            )));
        }
        let (count, total) = self.reads.get();
        // Only regular files: a named pipe or a device would block the read forever. The
        // size is checked before reading.
        let meta = std::fs::metadata(&canon).map_err(|e| cannot_read(raw, &e))?;
        if !meta.is_file() {
            return Err(ReadFailure::from(format!(
                "`{raw}` is not a regular file (a folder, named pipe or device); expected a file"
            )));
        }
        let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
        if total.saturating_add(size) > MAX_READ_BYTES_PER_PAGE {
            return Err(ReadFailure::from(format!(
                "`{raw}` refused: included and code files for this page exceed {} MiB",
                MAX_READ_BYTES_PER_PAGE >> 20
            )));
        }
        let bytes = std::fs::read(&canon).map_err(|e| cannot_read(raw, &e))?;
        let total = total.saturating_add(bytes.len());
        self.reads.set((count + 1, total));
        if total > MAX_READ_BYTES_PER_PAGE {
            return Err(ReadFailure::from(format!(
                "`{raw}` refused: included and code files for this page exceed {} MiB",
                MAX_READ_BYTES_PER_PAGE >> 20
            )));
        }
        let text = String::from_utf8(bytes).map_err(|_| format!("`{raw}` is not valid UTF-8"))?;
        Ok((disp, text.trim_start_matches('\u{feff}').to_string()))
    }

    fn absent(&self, raw: &str, line: usize, col: usize, inline: bool) -> Option<String> {
        if self.sh.repo.deps.is_empty() {
            return None;
        }
        let (_, root_rel) = self.target(raw).ok()?;
        let located = self.sh.repo.deps.locate(root_rel.as_deref()?)?;
        if located.repo != &Repo::Absent {
            return None;
        }
        let r = AbsentRef {
            repository: located.name.to_string(),
            file: self.linker.display.clone(),
            line,
            col,
            path: raw.trim().to_string(),
        };
        if let Ok(mut list) = self.sh.absent.lock() {
            list.push(r);
        }
        Some(absent_note(located.name, raw.trim(), inline))
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
            deps: self.deps,
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
