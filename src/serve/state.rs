//! What serve keeps between edits and hands out: the warm site of the last build (its
//! loaded, parsed and resolved stages, its diagnostics grouped by where they come from, its
//! page hashes and the paths of its special and diagram files), the record of one rebuild,
//! and the bytes kept for serving. Both kinds of rebuild, whole ([`super::incremental`])
//! and partial ([`super::partial`]), read and write these.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Bytes;

use crate::config::Config;
use crate::error::Diagnostic;
use crate::site::{self, Loaded, Parsed, Resolved};

/// What one rebuild produced.
pub struct Update {
    /// Paths of the output files it made (every file when `full`).
    pub changed: Vec<String>,
    /// The whole output was rebuilt: files not in `changed` are gone.
    pub full: bool,
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
}

impl Update {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// The site of the last build, kept for the next edit.
pub(super) struct Warm {
    pub loaded: Loaded,
    pub parsed: Parsed,
    pub resolved: Resolved,
    pub diags: Diags,
    /// Page URL -> content hash, as the page manifest holds them.
    pub hashes: BTreeMap<String, String>,
    /// Output paths of the special pages (redirects, 404, sitemap, robots.txt) and of
    /// the diagram files.
    pub special_paths: BTreeSet<String>,
    pub diagram_paths: BTreeSet<String>,
}

impl Warm {
    /// Whether part of the site may be rebuilt: every page has its template output and
    /// nothing outside the pages' bodies has an error (a clash, a bad front matter) that
    /// an edit might resolve.
    pub fn partial_ok(&self) -> bool {
        self.loaded.templates.is_some()
            && self.resolved.absent.is_empty()
            && !self.diags.fixed.iter().any(Diagnostic::is_error)
    }

    /// Every diagnostic, sorted.
    pub fn diagnostics(&self, cfg: &Config) -> Vec<Diagnostic> {
        let d = &self.diags;
        let all = (d.fixed.iter())
            .chain(&d.special)
            .chain(&d.diagrams)
            .chain(&d.nav)
            .chain(d.bodies.values().flatten())
            .chain(d.anchors.values().flatten())
            .cloned()
            .collect();
        site::finish_diagnostics(cfg, all)
    }
}

/// A build's diagnostics by where they come from, so a rebuild of part of the site
/// replaces just the parts it ran again.
#[derive(Default)]
pub(super) struct Diags {
    /// Loading, parsing, page templates, clashes, absent dependent repositories.
    pub fixed: Vec<Diagnostic>,
    pub special: Vec<Diagnostic>,
    pub diagrams: Vec<Diagnostic>,
    pub nav: Vec<Diagnostic>,
    /// Page id -> the diagnostics of its body.
    pub bodies: BTreeMap<String, Vec<Diagnostic>>,
    /// Page display path -> the anchors its links ask for that their pages lack.
    pub anchors: BTreeMap<String, Vec<Diagnostic>>,
}

/// Diagnostics grouped by the file they name.
pub(super) fn by_path(diags: Vec<Diagnostic>) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut out: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for d in diags {
        out.entry(d.path.clone()).or_default().push(d);
    }
    out
}

/// Bytes to keep while serving: without the spare capacity a growing page string leaves
/// (up to as much again), which `Bytes` would otherwise hold on to.
pub(super) fn served_bytes(mut bytes: Vec<u8>) -> Bytes {
    bytes.shrink_to_fit();
    Bytes::from(bytes)
}
