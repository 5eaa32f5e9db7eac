//! Rebuilds for serve: the site stays loaded between edits (the build's stages: loaded,
//! parsed and resolved site, its output and diagnostics). An edit to the body of pages
//! whose front matter, title, URL and anchors stay the same, in a site without includes or
//! `:::code` files, re-renders only those pages: nothing else can show what changed. Every
//! other change (a title, anchors, pages added or removed, data, includes, templates,
//! assets, configuration) runs the whole pipeline again. Either way the output and the
//! diagnostics equal a fresh full build; `tests/serve.rs` holds that over a sequence of
//! edits.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use axum::body::Bytes;

use crate::config::{Config, ConfigError, Overrides};
use crate::error::Diagnostic;
use crate::load::Kind;
use crate::output::{Collect, OutputFile};
use crate::site::{self, Loaded, Parsed, Resolved};

/// What one rebuild produced.
pub struct Update {
    /// The files that changed (every file when `full`).
    pub files: Vec<OutputFile>,
    /// The whole output was rebuilt: files not in `files` are gone.
    pub full: bool,
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
}

impl Update {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// The site of the last full build, kept for the next edit.
struct Warm {
    loaded: Loaded,
    parsed: Parsed,
    resolved: Resolved,
    /// Every diagnostic of the build but the anchor checks, unsorted.
    base: Vec<Diagnostic>,
    /// No page includes files or reads `:::code` sources.
    self_contained: bool,
}

/// The loaded site.
pub struct Site {
    root: PathBuf,
    overrides: Overrides,
    cfg: Option<Config>,
    warm: Option<Warm>,
    output: BTreeMap<String, Bytes>,
}

impl Site {
    pub fn new(root: &Path, overrides: Overrides) -> Site {
        Site {
            root: root.to_path_buf(),
            overrides,
            cfg: None,
            warm: None,
            output: BTreeMap::new(),
        }
    }

    /// The configuration of the last build that could read it.
    pub fn config(&self) -> Option<&Config> {
        self.cfg.as_ref()
    }

    /// Every output file of the last build, by path.
    pub fn output(&self) -> &BTreeMap<String, Bytes> {
        &self.output
    }

    /// Rebuilds after `changed` (absolute paths; empty for the first build). Err only for
    /// I/O trouble outside the content.
    pub fn rebuild(&mut self, changed: &BTreeSet<PathBuf>) -> Result<Update, String> {
        let config_changed = changed.iter().any(|p| {
            p.file_name()
                .is_some_and(|n| n == crate::config::CONFIG_FILE)
        });
        if self.cfg.is_none() || config_changed {
            self.warm = None;
            match Config::load(&self.root, &self.overrides) {
                // The preview has no search index: Pagefind indexes the whole site, which
                // would undo what page-only rebuilds save (the search box says so).
                Ok(c) => self.cfg = Some(preview_config(c)),
                Err(ConfigError::Io(m) | ConfigError::Usage(m)) => return Err(m),
                Err(ConfigError::Content(diagnostics)) => {
                    // Read the file again next time, whatever changes.
                    self.cfg = None;
                    return Ok(Update {
                        files: Vec::new(),
                        full: false,
                        diagnostics,
                        pages: 0,
                    });
                }
            }
        }
        if let Some(update) = self.pages_only(changed) {
            return Ok(update);
        }
        self.full()
    }

    /// The whole pipeline, stage by stage as `site::build_to` runs it, keeping the stages.
    fn full(&mut self) -> Result<Update, String> {
        self.warm = None;
        let Some(cfg) = &self.cfg else {
            return Err("no configuration".into());
        };
        let mut loaded = site::load(cfg)?;
        let parsed = site::parse(&loaded);
        loaded.forget_markdown();
        let resolved = site::resolve(cfg, &loaded, &parsed)?;
        let sink = Collect::default();
        let ids: Vec<&str> = parsed.pages.keys().map(String::as_str).collect();
        let (page_paths, mut base) =
            site::render_pages(cfg, &loaded, &parsed, &resolved, &ids, &sink)?;
        let previous = Some(cfg.output_dir.as_path());
        let (files, d) = site::site_files(cfg, &loaded, &parsed, &resolved, &page_paths, previous);
        base.extend(d);
        site::write(&sink, files)?;
        base.extend(loaded.diagnostics.iter().cloned());
        base.extend(parsed.diagnostics.iter().cloned());
        base.extend(resolved.diagnostics.iter().cloned());
        let anchors = site::check_anchors(&parsed, &resolved.bodies, resolved.index.policy);
        for a in &anchors {
            if let Some(i) = base.iter().position(|d| d == a) {
                base.swap_remove(i);
            }
        }
        let files = sink.into_files();
        self.output = files
            .iter()
            .map(|f| (f.path.clone(), Bytes::from(f.bytes.clone())))
            .collect();
        let self_contained = parsed.pages.values().all(|p| !reads_files(&p.text));
        let update = Update {
            files,
            full: true,
            diagnostics: site::finish_diagnostics(
                cfg,
                base.iter().chain(&anchors).cloned().collect(),
            ),
            pages: parsed.pages.len(),
        };
        self.warm = Some(Warm {
            loaded,
            parsed,
            resolved,
            base,
            self_contained,
        });
        Ok(update)
    }

    /// Re-renders only the changed pages when nothing outside them can change; None when
    /// the whole pipeline must run (the kept stages may then be half updated: `full`
    /// rebuilds them).
    fn pages_only(&mut self, changed: &BTreeSet<PathBuf>) -> Option<Update> {
        let cfg = self.cfg.as_ref()?;
        let warm = self.warm.as_mut()?;
        if !warm.self_contained || changed.is_empty() {
            return None;
        }
        let content = cfg.content_dir.canonicalize().ok()?;
        let mut edits = Vec::new();
        for path in changed {
            let rel = path
                .strip_prefix(&content)
                .ok()?
                .to_str()?
                .replace('\\', "/");
            let page = warm.parsed.pages.get(&rel)?;
            let file =
                (warm.loaded.files.iter()).find(|f| f.rel == rel && f.kind == Kind::Markdown)?;
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
            let same_shape = new_diags == old_diags
                && new.url == page.url
                && new.title == page.title
                && new.landing == page.landing
                && new.kind == page.kind
                && new.text.get(..new.body_offset) == page.text.get(..page.body_offset)
                && !reads_files(&new.text)
                && same_diagrams(&warm.parsed.data, &page.text, &new.text);
            if !same_shape {
                return None;
            }
            edits.push((rel, new));
        }
        let ids: Vec<&str> = edits.iter().map(|(id, _)| id.as_str()).collect();
        let index = &warm.resolved.index;
        let repo = &warm.loaded.repo;
        let (_, _, old_body_diags) =
            site::render_bodies(cfg, repo, &warm.parsed, index, &ids).ok()?;
        for (id, page) in &edits {
            warm.parsed.pages.insert(id.clone(), page.clone());
        }
        let (bodies, absent, new_body_diags) =
            site::render_bodies(cfg, repo, &warm.parsed, index, &ids).ok()?;
        if !absent.is_empty() {
            return None;
        }
        for (id, body) in bodies {
            let old = warm.resolved.bodies.get(&id)?;
            if old.rendered.anchors != body.rendered.anchors {
                return None;
            }
            warm.resolved.bodies.insert(id, body);
        }
        let sink = Collect::default();
        let (_, template_diags) =
            site::render_pages(cfg, &warm.loaded, &warm.parsed, &warm.resolved, &ids, &sink)
                .ok()?;
        let mut files = sink.into_files();
        if !template_diags.is_empty() || files.len() != ids.len() {
            return None;
        }
        files.push(site::manifest_file(&warm.parsed, &warm.resolved));
        for d in &old_body_diags {
            let i = warm.base.iter().position(|b| b == d)?;
            warm.base.swap_remove(i);
        }
        warm.base.extend(new_body_diags);
        let anchors = site::check_anchors(
            &warm.parsed,
            &warm.resolved.bodies,
            warm.resolved.index.policy,
        );
        for f in &files {
            self.output
                .insert(f.path.clone(), Bytes::from(f.bytes.clone()));
        }
        Some(Update {
            files,
            full: false,
            diagnostics: site::finish_diagnostics(
                cfg,
                warm.base.iter().chain(&anchors).cloned().collect(),
            ),
            pages: ids.len(),
        })
    }
}

/// The configuration a preview builds with: the site's own, without the search index.
pub fn preview_config(mut cfg: Config) -> Config {
    cfg.search = false;
    cfg
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

/// Whether a page's text may read other files (includes, `:::code` sources), which makes
/// other pages depend on them.
fn reads_files(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("[!include") || lower.contains(":::code")
}
