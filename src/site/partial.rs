//! The stages again, for rebuilding part of a site (`trustdoc serve`): the resolve stage
//! with each page's body diagnostics kept apart (so re-rendering a page replaces just its
//! own), page bodies rendered with their own diagnostics, the navigation alone, and the
//! page manifest from kept hashes. They compute what [`super::resolve`],
//! [`super::render_bodies`] and [`super::manifest_file`] do; `tests/serve.rs` compares
//! rebuilds made with them with full builds, byte for byte.

use std::collections::BTreeMap;

use super::page_render::RenderedPage;
pub use super::stages::{bodies_each, nav, Body};
use super::{Loaded, Parsed, Resolved};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::output::OutputFile;

/// The resolved site with its diagnostics by source.
pub struct ResolvedEach {
    /// Its `diagnostics` hold only the warnings about absent dependent repositories.
    pub resolved: Resolved,
    /// Page id -> the diagnostics of rendering its body (pages without any left out).
    pub body_diagnostics: BTreeMap<String, Vec<Diagnostic>>,
    pub nav_diagnostics: Vec<Diagnostic>,
}

/// [`super::resolve`] with the diagnostics kept by source; the anchor checks are left to
/// the caller ([`super::check_anchors`]), who runs them after every rebuild.
pub fn resolve_each(
    cfg: &Config,
    loaded: &Loaded,
    parsed: &Parsed,
) -> Result<ResolvedEach, String> {
    let index = super::link_index(cfg, loaded, parsed);
    let ids: Vec<&str> = parsed.pages.keys().map(String::as_str).collect();
    let (rendered, mut absent) = bodies_each(cfg, &loaded.repo, parsed, &index, &ids)?;
    absent.sort();
    let diagnostics = loaded.repo.absent_warnings(&absent);
    let (mut bodies, mut body_diagnostics) = (BTreeMap::new(), BTreeMap::new());
    for (id, mut body, d) in rendered {
        // Kept while serving: without a growing string's spare capacity.
        body.rendered.html.shrink_to_fit();
        if !d.is_empty() {
            body_diagnostics.insert(id.clone(), d);
        }
        bodies.insert(id, body);
    }
    let externals = (bodies.values())
        .flat_map(|b: &RenderedPage| b.externals.iter().cloned())
        .collect();
    let (nav, nav_diagnostics) = nav(cfg, loaded, parsed, &index);
    Ok(ResolvedEach {
        resolved: Resolved {
            index,
            bodies,
            externals,
            nav,
            absent,
            diagnostics,
        },
        body_diagnostics,
        nav_diagnostics,
    })
}

/// The hash the page manifest holds for a page with `title` and Markdown output `html`.
pub fn page_hash(title: &str, html: &str) -> String {
    super::report::content_hash(title, html)
}

/// The page manifest file from page URL -> [`page_hash`]: the bytes a build writes,
/// written straight from the map (a rebuild makes it again after every edit).
pub fn manifest(hashes: &BTreeMap<String, String>) -> OutputFile {
    let json = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut s = String::with_capacity(hashes.len() * 64 + 32);
    s.push_str("{\n  \"pages\": {");
    for (i, (url, hash)) in hashes.iter().enumerate() {
        s.push_str(if i == 0 { "\n    " } else { ",\n    " });
        s.push_str(&json(&format!("/{url}")));
        s.push_str(": ");
        s.push_str(&json(hash));
    }
    if !hashes.is_empty() {
        s.push_str("\n  ");
    }
    s.push_str("}\n}\n");
    OutputFile::new(super::report::MANIFEST, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_is_the_one_a_build_writes() {
        let mut hashes = BTreeMap::new();
        for _ in 0..3 {
            let made = manifest(&hashes);
            assert_eq!(
                made.bytes,
                super::super::report::manifest(&hashes).into_bytes()
            );
            hashes.insert(format!("a\"b\\{}/", hashes.len()), "0f".repeat(16));
            hashes.insert(String::new(), "home".into());
        }
    }
}
