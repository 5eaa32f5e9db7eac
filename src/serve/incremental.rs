//! Rebuilds for serve: the site stays loaded between edits (the build's stages: loaded,
//! parsed and resolved site, its output, its diagnostics by source and its page hashes).
//! An edit re-renders what depends on it ([`super::partial`]): the page itself; for a new
//! title, the pages whose sidebar, breadcrumbs, previous/next or child list show it; for
//! a changed include or `:::code` file or comparison file, the pages that read it. Anchor
//! changes re-run the link checks of the pages linking to them. Anything else (pages
//! added, removed or moved, templates, assets, configuration, TOC files) runs the whole
//! pipeline again. Either way the output and the diagnostics equal a fresh full build;
//! `tests/serve.rs` holds that over a sequence of edits.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use axum::body::Bytes;

use super::state::{by_path, served_bytes, Diags, Update, Warm};
use crate::config::{Config, ConfigError, Overrides};
use crate::output::{Collect, OutputFile};
use crate::site;

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
                        changed: Vec::new(),
                        full: false,
                        diagnostics,
                        pages: 0,
                    });
                }
            }
        }
        if let (Some(cfg), Some(warm)) = (&self.cfg, &mut self.warm) {
            if let Some(update) = super::partial::rebuild(cfg, warm, &mut self.output, changed) {
                return Ok(update);
            }
        }
        self.full()
    }

    /// The whole pipeline, stage by stage as `site::build_to` runs it, keeping the stages
    /// and each stage's diagnostics.
    fn full(&mut self) -> Result<Update, String> {
        self.warm = None;
        self.output = BTreeMap::new();
        let Some(cfg) = &self.cfg else {
            return Err("no configuration".into());
        };
        let mut loaded = site::load(cfg)?;
        let parsed = site::parse(&loaded);
        loaded.forget_markdown();
        let each = site::partial::resolve_each(cfg, &loaded, &parsed)?;
        let resolved = each.resolved;
        let sink = Collect::default();
        let ids: Vec<&str> = parsed.pages.keys().map(String::as_str).collect();
        let (page_paths, mut fixed) =
            site::render_pages(cfg, &loaded, &parsed, &resolved, &ids, &sink)?;
        // `site::site_files` piece by piece, keeping each piece's diagnostics and paths;
        // the preview has no search index.
        let previous = Some(cfg.output_dir.as_path());
        let (special, special_diags) = site::render_special(cfg, &loaded, &parsed, &resolved);
        let (diagrams, diagram_diags) = site::render_diagrams(&parsed.data, previous);
        let paths = |files: &[OutputFile]| files.iter().map(|f| f.path.clone()).collect();
        let (special_paths, diagram_paths) = (paths(&special), paths(&diagrams));
        let hashes = site::page_hashes(&parsed, &resolved);
        let mut files = special;
        files.extend(diagrams);
        files.extend(site::copied_files(&loaded));
        files.push(site::partial::manifest(&hashes));
        let files = site::without_clashes(files, &page_paths, &mut fixed);
        site::write(&sink, files)?;
        fixed.extend(loaded.diagnostics.iter().cloned());
        fixed.extend(parsed.diagnostics.iter().cloned());
        fixed.extend(resolved.diagnostics.iter().cloned());
        let anchors = site::check_anchors(&parsed, &resolved.bodies, resolved.index.policy);
        let warm = Warm {
            loaded,
            parsed,
            resolved,
            diags: Diags {
                fixed,
                special: special_diags,
                diagrams: diagram_diags,
                nav: each.nav_diagnostics,
                bodies: each.body_diagnostics,
                anchors: by_path(anchors),
            },
            hashes,
            special_paths,
            diagram_paths,
        };
        // The bytes move into the served map: one copy of the site in memory.
        self.output = (sink.into_files().into_iter())
            .map(|f| (f.path, served_bytes(f.bytes)))
            .collect();
        let update = Update {
            changed: self.output.keys().cloned().collect(),
            full: true,
            diagnostics: warm.diagnostics(cfg),
            pages: warm.parsed.pages.len(),
        };
        self.warm = Some(warm);
        Ok(update)
    }
}

/// The configuration a preview builds with: the site's own, without the search index.
pub fn preview_config(mut cfg: Config) -> Config {
    cfg.search = false;
    cfg
}
