//! Relative mode (`relative_urls = true`): links to a folder (`guide/`, `../`, `./#top`)
//! are rewritten to its `index.html`, since a browser opening the site from `file://`
//! shows a folder listing for a folder URL instead of its index page. Applied to every
//! HTML file on its way to the output.

use crate::output::{OutputFile, Sink};

/// Passes files on to `inner`, HTML files with their folder links made file links.
pub struct FileLinks<'a>(pub &'a dyn Sink);

impl Sink for FileLinks<'_> {
    fn put(&self, mut file: OutputFile) -> Result<(), String> {
        if file.path.ends_with(".html") {
            if let Ok(text) = std::str::from_utf8(&file.bytes) {
                if let Some(fixed) = folder_links_to_files(text) {
                    file.bytes = fixed.into_bytes();
                }
            }
        }
        self.0.put(file)
    }
}

/// `href="x/"` -> `href="x/index.html"` for every relative link whose path ends in a
/// folder (and the same for a meta refresh `url=`); None when nothing changes. Absolute URLs (`https:`, `mailto:`, `//host`, `/x`)
/// and fragment-only links are left alone.
pub fn folder_links_to_files(html: &str) -> Option<String> {
    let once = rewrite_after(html, "href=\"");
    // Redirect pages: `<meta http-equiv="refresh" content="0; url=../x/">`.
    let twice = rewrite_after(once.as_deref().unwrap_or(html), "; url=");
    twice.or(once)
}

/// [`folder_links_to_files`] for the values that follow `marker` (up to the next `"`).
fn rewrite_after(html: &str, marker: &str) -> Option<String> {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    let mut changed = false;
    while let Some(at) = rest.find(marker) {
        let start = at + marker.len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        match with_index(value) {
            Some(v) => {
                out.push_str(&v);
                changed = true;
            }
            None => out.push_str(value),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The link with `index.html` added to its folder path, or None when it is not a relative
/// folder link.
fn with_index(href: &str) -> Option<String> {
    if href.is_empty() || href.starts_with('#') || href.starts_with('/') || href.starts_with('?') {
        return None;
    }
    let split = href.find(['?', '#']).unwrap_or(href.len());
    let (path, tail) = href.split_at(split);
    // A scheme (`https:`, `mailto:`) comes before any `/`.
    let first = path.split('/').next().unwrap_or("");
    if first.contains(':') {
        return None;
    }
    let folder = path.ends_with('/')
        || path == "."
        || path == ".."
        || path.ends_with("/.")
        || path.ends_with("/..");
    if !folder {
        return None;
    }
    let sep = if path.ends_with('/') { "" } else { "/" };
    Some(format!("{path}{sep}index.html{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_links_get_index_html() {
        let html = r##"<a href="guide/">g</a><a href="../">up</a><a href="./#x">t</a><a href="..">u</a><link href="a/b/?q=1">"##;
        let out = folder_links_to_files(html).unwrap();
        assert_eq!(
            out,
            r##"<a href="guide/index.html">g</a><a href="../index.html">up</a><a href="./index.html#x">t</a><a href="../index.html">u</a><link href="a/b/index.html?q=1">"##
        );
    }

    #[test]
    fn meta_refresh_targets_too() {
        let html =
            r##"<meta http-equiv="refresh" content="0; url=../new/"><a href="../new/">x</a>"##;
        assert_eq!(
            folder_links_to_files(html).unwrap(),
            r##"<meta http-equiv="refresh" content="0; url=../new/index.html"><a href="../new/index.html">x</a>"##
        );
    }

    #[test]
    fn other_links_are_left_alone() {
        for html in [
            r##"<a href="https://x.org/">e</a>"##,
            r##"<a href="mailto:a@b">m</a>"##,
            r##"<a href="#top">t</a>"##,
            r##"<a href="/abs/">a</a>"##,
            r##"<a href="//host/">h</a>"##,
            r##"<a href="page.html">p</a>"##,
            r##"<a href="">e</a>"##,
            r##"<img src="x/">"##,
        ] {
            assert_eq!(folder_links_to_files(html), None, "{html}");
        }
    }
}
