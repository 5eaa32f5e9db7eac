//! Link resolution: turns what an author wrote (`setup.md#install`, `../img/a.png`,
//! `/azure/...`, `~/includes/x.md`) into the href the page should carry, and records each
//! internal target so anchors can be checked once every page is rendered. Links into other
//! doc sets and site-absolute links to pages we do not have are external, never errors.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use crate::error::Diagnostic;
use crate::markdown::Linker;

/// How a missing local target is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkPolicy {
    #[default]
    Error,
    Warn,
}

/// Everything link resolution needs to know about the site, built once.
#[derive(Debug, Default)]
pub struct SiteIndex {
    /// Page source path (content-relative) -> page URL path ("guide/setup/").
    pub page_url: BTreeMap<String, String>,
    /// Page URL path -> source path.
    pub url_page: BTreeMap<String, String>,
    /// Lowercased source path -> real source path (for case-only mismatches).
    pub page_lower: BTreeMap<String, String>,
    /// Static files (content-relative).
    pub statics: BTreeSet<String>,
    pub statics_lower: BTreeMap<String, String>,
    /// Output path of each static file published somewhere else than its source path
    /// (docfx.json `src` -> `dest`).
    pub static_out: BTreeMap<String, String>,
    /// Image paths bound to generated diagrams (content-relative) -> (comparison path, show).
    pub bound_images: BTreeMap<String, (String, String)>,
    pub policy: LinkPolicy,
    pub safe: bool,
}

/// Renders the diagram bound to an image: (content-relative image path, alt text) -> HTML.
pub type DiagramHook<'a> = dyn Fn(&str, &str) -> Option<String> + 'a;

/// An internal link whose anchor must exist on the target page.
#[derive(Debug, Clone)]
pub struct AnchorCheck {
    pub target_page: String,
    pub anchor: String,
    pub line: usize,
    pub col: usize,
}

/// The linker for one page.
pub struct PageLinker<'a> {
    pub index: &'a SiteIndex,
    /// Source path of the page (content-relative).
    pub page: String,
    pub display: String,
    /// Folder of the source file ("" for top level).
    pub dir: String,
    /// URL folder of the output page ("guide/setup/").
    pub url: String,
    pub diags: RefCell<Vec<Diagnostic>>,
    pub anchors: RefCell<Vec<AnchorCheck>>,
    pub externals: RefCell<BTreeSet<String>>,
    /// Bound images met on this page: (content-relative image path, alt text comes later).
    pub bound: RefCell<Vec<String>>,
    /// Renders the diagram bound to an image path (content-relative path, alt text).
    pub diagram_hook: Option<&'a DiagramHook<'a>>,
}

impl<'a> PageLinker<'a> {
    pub fn new(index: &'a SiteIndex, page: &str, display: &str, url: &str) -> Self {
        let dir = page
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
            .unwrap_or_default();
        PageLinker {
            index,
            page: page.to_string(),
            display: display.to_string(),
            dir,
            url: url.to_string(),
            diags: RefCell::new(Vec::new()),
            anchors: RefCell::new(Vec::new()),
            externals: RefCell::new(BTreeSet::new()),
            bound: RefCell::new(Vec::new()),
            diagram_hook: None,
        }
    }

    fn missing(&self, line: usize, col: usize, kind: &str, msg: String) {
        let d = match self.index.policy {
            LinkPolicy::Error => Diagnostic::error(&self.display, line, col, kind, msg),
            LinkPolicy::Warn => Diagnostic::warning(&self.display, line, col, kind, msg),
        };
        self.diags.borrow_mut().push(d);
    }

    fn warn(&self, line: usize, col: usize, kind: &str, msg: String) {
        self.diags
            .borrow_mut()
            .push(Diagnostic::warning(&self.display, line, col, kind, msg));
    }

    /// Resolves a content-relative path to a page or static file, tolerating case-only
    /// mismatches (with a warning, since the site will be served case-sensitively).
    fn find(&self, rel: &str, line: usize, col: usize, raw: &str) -> Option<Target> {
        if let Some(url) = self.index.page_url.get(rel) {
            return Some(Target::Page(rel.to_string(), url.clone()));
        }
        if self.index.statics.contains(rel) {
            return Some(Target::File(rel.to_string()));
        }
        // Directory-style links: `guide/` or `guide` mean the folder's landing page.
        let as_url = format!("{}/", rel.trim_end_matches('/'));
        let as_url = if rel.is_empty() {
            String::new()
        } else {
            as_url
        };
        if let Some(src) = self.index.url_page.get(&as_url) {
            return Some(Target::Page(src.clone(), as_url));
        }
        let lower = rel.to_lowercase();
        if let Some(real) = self.index.page_lower.get(&lower) {
            self.warn(line, col, "link-case", format!("`{raw}` differs only in letter case from {real}; fix the link, the site is case-sensitive"));
            let url = self.index.page_url.get(real).cloned().unwrap_or_default();
            return Some(Target::Page(real.clone(), url));
        }
        if let Some(real) = self.index.statics_lower.get(&lower) {
            self.warn(line, col, "link-case", format!("`{raw}` differs only in letter case from {real}; fix the link, the site is case-sensitive"));
            return Some(Target::File(real.clone()));
        }
        None
    }
}

enum Target {
    Page(String, String),
    File(String),
}

impl Linker for PageLinker<'_> {
    fn link(&self, dest: &str, is_image: bool, line: usize, col: usize) -> String {
        resolve_link(self, dest, is_image, line, col)
    }

    fn image_html(&self, href: &str, alt: &str) -> Option<String> {
        let hook = self.diagram_hook?;
        let rel = self
            .bound
            .borrow()
            .iter()
            .rev()
            .find(|r| href.ends_with(&encode_path(r)))
            .cloned()?;
        hook(&rel, alt)
    }
}

pub fn resolve_link(
    pl: &PageLinker,
    dest: &str,
    is_image: bool,
    line: usize,
    col: usize,
) -> String {
    let raw = dest;
    let trimmed = dest.trim();
    if trimmed.is_empty() {
        return String::new();
    }
    if let Some(anchor) = trimmed.strip_prefix('#') {
        pl.anchors.borrow_mut().push(AnchorCheck {
            target_page: pl.page.clone(),
            anchor: tab_anchor(&percent_decode(anchor)),
            line,
            col,
        });
        return trimmed.to_string();
    }
    if let Some(scheme) = scheme_of(trimmed) {
        if pl.index.safe && !matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel") {
            pl.warn(
                line,
                col,
                "unsafe-url",
                format!("`{scheme}:` links are removed in safe mode"),
            );
            return "#".into();
        }
        if scheme == "javascript" || scheme == "vbscript" {
            pl.warn(
                line,
                col,
                "unsafe-url",
                format!("`{scheme}:` URL kept as written; use --safe to strip it"),
            );
        }
        return trimmed.to_string();
    }
    if trimmed.starts_with("//") {
        return trimmed.to_string();
    }
    // Split off ?query and #fragment; normalise separators and stray spaces.
    let (path_q, frag) = match trimmed.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (trimmed, None),
    };
    let (path_part, query) = match path_q.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_q, None),
    };
    let mut path = percent_decode(path_part);
    if path.contains('\\') {
        pl.warn(
            line,
            col,
            "link-backslash",
            format!("`{raw}` uses backslashes; use `/` in links"),
        );
        path = path.replace('\\', "/");
    }
    if path != path.trim() {
        pl.warn(
            line,
            col,
            "link-space",
            format!("`{raw}` has stray spaces around the path"),
        );
        path = path.trim().to_string();
    }
    if path.is_empty() {
        // `?x` or `#a` after a stripped path: same page.
        return trimmed.to_string();
    }
    let (base, site_absolute) = if let Some(rest) = path.strip_prefix("~/") {
        (rest.to_string(), false)
    } else if let Some(rest) = path.strip_prefix('/') {
        (rest.to_string(), true)
    } else if pl.dir.is_empty() {
        (path.clone(), false)
    } else {
        (format!("{}/{}", pl.dir, path), false)
    };
    let Some(rel) = normalize(&base) else {
        // Leaves the content folder: another doc set on the same host.
        if is_image {
            // Never read or copied; said aloud, since for an image it is usually a mistake.
            pl.warn(
                line,
                col,
                "image-outside",
                format!("image `{raw}` points outside the content folder; it is kept as a URL and nothing is copied"),
            );
        }
        pl.externals.borrow_mut().insert(trimmed.to_string());
        return trimmed.to_string();
    };
    let found = if is_image && pl.index.bound_images.contains_key(&rel) {
        None
    } else {
        pl.find(&rel, line, col, raw)
    };
    match found {
        Some(Target::Page(src, url)) => {
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                pl.anchors.borrow_mut().push(AnchorCheck {
                    target_page: src,
                    anchor: tab_anchor(&percent_decode(f)),
                    line,
                    col,
                });
            }
            let mut href = relative_href(&pl.url, &url);
            if let Some(q) = query {
                href.push('?');
                href.push_str(q);
            }
            if let Some(f) = frag {
                href.push('#');
                href.push_str(f);
            }
            href
        }
        _ if is_image && pl.index.bound_images.contains_key(&rel) => {
            pl.bound.borrow_mut().push(rel.clone());
            relative_href(&pl.url, &rel)
        }
        Some(Target::File(file)) => {
            let out = pl.index.static_out.get(&file).unwrap_or(&file);
            let mut href = relative_href(&pl.url, out);
            if let Some(f) = frag {
                href.push('#');
                href.push_str(f);
            }
            href
        }
        None if site_absolute => {
            pl.externals.borrow_mut().insert(trimmed.to_string());
            trimmed.to_string()
        }
        None => {
            let what = if is_image { "image" } else { "link target" };
            pl.missing(
                line,
                col,
                if is_image {
                    "missing-image"
                } else {
                    "broken-link"
                },
                format!("{what} `{raw}` not found (looked for {rel})"),
            );
            trimmed.to_string()
        }
    }
}

/// `tab/id/condition` -> `tab/id`: a tab link names a tab of the page (`#tab/id` selects it),
/// and pages list their tabs as `tab/id` anchors. Other anchors are returned as they are.
pub fn tab_anchor(anchor: &str) -> String {
    match anchor.strip_prefix("tab/") {
        Some(rest) => format!("tab/{}", rest.split('/').next().unwrap_or(rest)),
        None => anchor.to_string(),
    }
}

/// `a/./b/../c` -> `a/c`; None when `..` climbs out of the content folder.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut s = parts.join("/");
    if path.ends_with('/') && !s.is_empty() {
        s.push('/');
    }
    Some(s)
}

/// The href from a page at URL folder `from` ("a/b/") to root-relative `to` ("c/d/" or "img/x.png").
pub fn relative_href(from: &str, to: &str) -> String {
    // Called for every sidebar entry of every page, so it walks the two paths in place
    // instead of collecting their segments.
    let depth = from.split('/').filter(|s| !s.is_empty()).count();
    // Share the common prefix of folders so links between siblings stay short; the last
    // segment of `to` (a file name, or empty for a folder URL) is never shared.
    let mut common = 0;
    let mut offset = 0;
    if let Some(end) = to.rfind('/') {
        let mut from_segments = from.split('/').filter(|s| !s.is_empty());
        for seg in to[..end].split('/') {
            match from_segments.next() {
                Some(f) if f == seg => {
                    common += 1;
                    offset += seg.len() + 1;
                }
                _ => break,
            }
        }
    }
    let rest = to.get(offset..).unwrap_or_default();
    let mut out = String::with_capacity(3 * depth.saturating_sub(common) + rest.len() + 2);
    for _ in common..depth {
        out.push_str("../");
    }
    // `c:d/` on its own would read as a URL with scheme `c`.
    if out.is_empty() && rest.split('/').next().is_some_and(|s| s.contains(':')) {
        out.push_str("./");
    }
    // Paths come from file names and slugs: `#`, `?`, `%` and spaces must not end the path.
    out.push_str(&encode_path(rest));
    if out.is_empty() {
        "./".into()
    } else {
        out
    }
}

fn scheme_of(s: &str) -> Option<String> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let ok = scheme.len() >= 2
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then(|| scheme.to_ascii_lowercase())
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes what cannot stand in a URL path (spaces, quotes, non-ASCII stays as is).
/// A backslash is encoded because URL parsers read it as `/`, and control characters
/// because they drop tabs and newlines.
pub fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '%' => out.push_str("%25"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_anchors_name_the_tab() {
        assert_eq!(tab_anchor("tab/azure-cli"), "tab/azure-cli");
        assert_eq!(tab_anchor("tab/pwsh/windows"), "tab/pwsh");
        assert_eq!(tab_anchor("install"), "install");
    }

    #[test]
    fn relative_hrefs() {
        assert_eq!(relative_href("", "guide/setup/"), "guide/setup/");
        assert_eq!(
            relative_href("guide/setup/", "models/x/"),
            "../../models/x/"
        );
        assert_eq!(relative_href("guide/setup/", "guide/other/"), "../other/");
        assert_eq!(relative_href("guide/", ""), "../");
        assert_eq!(relative_href("guide/", "guide/"), "./");
        assert_eq!(relative_href("a/", "a/img.png"), "img.png");
        assert_eq!(relative_href("a/b/c/", "a/x/y.png"), "../../x/y.png");
        assert_eq!(relative_href("a/b/", "a//b/"), "..//b/");
        assert_eq!(relative_href("a/b/", "a/b/c/d/"), "c/d/");
        assert_eq!(relative_href("", ""), "./");
        assert_eq!(relative_href("a/", "b"), "../b");
        // A first segment with a colon would read as a URL scheme.
        assert_eq!(relative_href("", "c:d/"), "./c:d/");
        assert_eq!(relative_href("a/", "a/x:y.png"), "./x:y.png");
        assert_eq!(relative_href("a/", "x:y/"), "../x:y/");
        assert_eq!(relative_href("", "a#b/"), "a%23b/");
        assert_eq!(relative_href("a?b/", "a?b/100%/"), "100%25/");
    }

    #[test]
    fn encodes_what_url_parsers_would_change() {
        assert_eq!(encode_path("a b#c?d%e"), "a%20b%23c%3Fd%25e");
        // Parsers read `\` as `/` and drop tabs and newlines.
        assert_eq!(encode_path("a\\b"), "a%5Cb");
        assert_eq!(encode_path("a\tb\n"), "a%09b%0A");
        assert_eq!(encode_path("é/x"), "é/x");
    }

    #[test]
    fn normalizes() {
        assert_eq!(normalize("a/./b/../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalize("../x"), None);
    }

    fn index() -> SiteIndex {
        let mut i = SiteIndex::default();
        for (src, url) in [
            ("index.md", ""),
            ("guide/setup.md", "guide/setup/"),
            ("guide/_index.md", "guide/"),
        ] {
            i.page_url.insert(src.into(), url.into());
            i.url_page.insert(url.into(), src.into());
            i.page_lower.insert(src.to_lowercase(), src.into());
        }
        i.statics.insert("guide/img/a.png".into());
        i
    }

    #[test]
    fn rewrites_md_links_and_records_anchors() {
        let idx = index();
        let pl = PageLinker::new(&idx, "guide/_index.md", "content/guide/_index.md", "guide/");
        assert_eq!(pl.link("setup.md#install", false, 3, 4), "setup/#install");
        assert_eq!(pl.link("img/a.png", true, 3, 4), "img/a.png");
        assert_eq!(pl.link("../index.md", false, 1, 1), "../");
        assert_eq!(
            pl.link("https://x.org/a.md", false, 1, 1),
            "https://x.org/a.md"
        );
        assert_eq!(
            pl.link("../../other-docset/a.md", false, 1, 1),
            "../../other-docset/a.md"
        );
        assert_eq!(
            pl.link("/azure/virtual-machines/", false, 1, 1),
            "/azure/virtual-machines/"
        );
        assert_eq!(pl.anchors.borrow()[0].anchor, "install");
        assert_eq!(pl.externals.borrow().len(), 2);
        assert!(pl.diags.borrow().is_empty());
    }

    #[test]
    fn broken_and_case_mismatch() {
        let idx = index();
        let pl = PageLinker::new(&idx, "index.md", "content/index.md", "");
        pl.link("nope.md", false, 7, 9);
        pl.link("Guide/Setup.md", false, 8, 1);
        pl.link("guide\\setup.md", false, 9, 1);
        let d = pl.diags.borrow();
        assert_eq!((d[0].line, d[0].col, d[0].is_error()), (7, 9, true));
        assert_eq!(d[1].kind, "link-case");
        assert_eq!(d[2].kind, "link-backslash");
    }
}
