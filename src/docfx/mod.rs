//! Microsoft Learn (DocFX-flavoured) Markdown: everything trustdoc needs to build real Learn
//! articles unmodified. `preprocess` turns DocFX constructs (`:::image`, alerts, `[!div]`,
//! `[!VIDEO]`, `:::code`, `[!INCLUDE]`, tab groups, zone pivots) into HTML-comment placeholders
//! `<!--td:N-->` and returns the HTML for each one; the core then renders the text with
//! pulldown-cmark and calls `swap_placeholders`. Line numbers never move: a construct is replaced
//! by a placeholder that spans exactly its own lines, and containers (alerts, tabs, zones, long
//! descriptions) keep their content as Markdown between an open and a close placeholder, so links
//! inside them are checked by the core with their true line numbers.
//!
//! Structure is found with pulldown-cmark itself (same options as the core), so fenced and
//! indented code, inline code and raw HTML blocks are never touched, exactly as the renderer
//! will see them. The other files here parse DocFX's YAML and JSON side files.

mod blocks;
mod code;
pub mod deps;
mod doc;
mod include;
mod media;
mod pivots;
pub mod project;
mod quotes;
pub mod repository;
mod scan;
mod tabs;

pub mod learn_yaml;
pub mod redirects;
pub mod toc;
pub mod toc_nav;

#[cfg(test)]
mod test_support;

pub use learn_yaml::{parse_learn_yaml, LearnKind, LearnPage};
pub use pivots::{parse_pivot_groups, PivotConfig, PivotGroup, PivotGroups};
pub use redirects::{parse_redirects, Redirect};
pub use toc::{parse_toc, TocItem};

use crate::error::Diagnostic;

/// Why [`Host::read`] gave no text: the reference is refused or names no file, or (`io`)
/// the file is there but the machine cannot read it, which is an I/O error (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFailure {
    pub message: String,
    pub io: bool,
}

impl From<String> for ReadFailure {
    fn from(message: String) -> Self {
        ReadFailure { message, io: false }
    }
}

impl std::fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl ReadFailure {
    /// The diagnostic kind: [`crate::error::READ_ERROR`] for an I/O failure, else `kind`.
    pub fn kind<'a>(&self, kind: &'a str) -> &'a str {
        if self.io {
            crate::error::READ_ERROR
        } else {
            kind
        }
    }
}

/// What the preprocessor needs from the core (the core implements it; tests use a fake).
pub trait Host {
    /// Rewrite and check a link or image target written in the page (relative path, `~/`
    /// docset path, URL). Returns the href to emit; the core records warnings and errors itself.
    fn url(&self, raw: &str, line: usize, col: usize, is_image: bool) -> String;
    /// Read a file named by `:::code source=` or `[!INCLUDE]`, relative to the current page
    /// (or `~/` = docset root). The core keeps reads inside the site root.
    /// Returns (display path, contents), or why not.
    fn read(&self, raw: &str, line: usize, col: usize) -> Result<(String, String), ReadFailure>;
    /// When `raw` (an include or `:::code` source) points into a dependent repository that
    /// is absent, the note to show instead (the host counts the reference); else None.
    fn absent(&self, _raw: &str, _line: usize, _col: usize, _inline: bool) -> Option<String> {
        None
    }
    /// Render a Markdown fragment with the full pipeline (which calls `preprocess` again):
    /// an include's content (`display_path` is then the included file, so its own relative
    /// links and includes resolve from there), or a quote construct that has no blank line
    /// after it. `inline` strips the outer `<p>`. The core guards include cycles and depth.
    fn markdown(&self, display_path: &str, text: &str, inline: bool) -> String;
    /// Highlight code for a language name or alias; returns a full `<pre>…</pre>`.
    /// `highlight_lines` are 1-based lines of `code`.
    fn highlight(&self, code: &str, lang: &str, highlight_lines: &[usize]) -> String;
}

/// The result of `preprocess`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preprocessed {
    /// The Markdown to render. Source line N is line N here. Only when a container is still
    /// open at the end of the input (reported as a warning) are extra lines added after the
    /// last one: its closing placeholder (and a closing fence if a code fence was left open).
    pub text: String,
    /// HTML for each placeholder index.
    pub blocks: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The parser options the core renders with; the preprocessor sees structure the same way.
pub fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Text that every DocFX construct (or a placeholder look-alike) contains: `:::` blocks,
/// `[!…]` alerts, includes, videos and divs, `#tab/` headings.
const MARKERS: [&str; 4] = [":::", "[!", "#tab/", "<!--td:"];

/// Replace DocFX constructs in `src` by placeholders. Never panics; problems become
/// diagnostics. Pass the whole file: a leading `---`/`+++` front matter block is left as it is
/// and not analysed (the core must not render it), or pass the body with those lines blanked.
pub fn preprocess(
    display_path: &str,
    src: &str,
    host: &dyn Host,
    pivots: &PivotConfig,
) -> Preprocessed {
    // Every construct starts with one of these; a page without any (most pages of a plain
    // Markdown site) is returned as it is, sparing a second Markdown parse.
    if !MARKERS.iter().any(|m| src.contains(m)) {
        return Preprocessed {
            text: src.to_string(),
            blocks: Vec::new(),
            diagnostics: Vec::new(),
        };
    }
    let mut doc = doc::Doc::new(display_path, src, host);
    if src.contains("<!--td:") {
        neutralize_lookalikes(&mut doc);
    }
    quotes::run(&mut doc);
    let analysis = scan::analyze(&doc.analysis_text(), doc.body_start);
    tabs::run(&mut doc, &analysis);
    blocks::run(&mut doc, &analysis, pivots);
    doc.finish()
}

/// An author's own `<!--td:N-->` comment would be swapped like ours; a space keeps it an
/// ordinary comment. Code (where it is visible text) is left alone.
fn neutralize_lookalikes(doc: &mut doc::Doc) {
    let a = scan::analyze(&doc.analysis_text(), doc.body_start);
    for i in doc.body_start..doc.lines.len() {
        if a.code.get(i).copied().unwrap_or(true) {
            continue;
        }
        let spans = a.code_spans.get(i).map(Vec::as_slice).unwrap_or_default();
        let line = doc.text(i).to_string();
        let mut out = String::with_capacity(line.len() + 4);
        let mut last = 0;
        for (at, _) in line.match_indices("<!--td:") {
            if !spans.iter().any(|r| r.contains(&at)) {
                out.push_str(&line[last..at]);
                out.push_str("<!-- td:");
                last = at + 7;
            }
        }
        out.push_str(&line[last..]);
        doc.set(i, out);
    }
}

/// Swap the placeholders in rendered HTML for their blocks. Accepts both one-line
/// `<!--td:N-->` and padded `<!--td:N\n\n-->` forms; unknown indexes are left as they are.
pub fn swap_placeholders(html: &str, blocks: &[String]) -> String {
    const OPEN: &str = "<!--td:";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let tail = &after[digits..];
        let padding = tail.len() - tail.trim_start().len();
        let index = after[..digits].parse::<usize>().ok();
        match (
            index.and_then(|i| blocks.get(i)),
            tail[padding..].starts_with("-->"),
        ) {
            (Some(block), true) => {
                out.push_str(block);
                rest = &tail[padding + 3..];
            }
            _ => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parse a DocFX attribute list such as `type="content" source='a.png' border="false"`.
/// Keys are letters, digits, `-`, `_`, `.` and `:`; values are single- or double-quoted.
/// Errors say which character was unexpected (0-based char offset into `s`).
pub fn parse_attributes(s: &str) -> Result<Vec<(String, String)>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    let is_key = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
    loop {
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        let Some(&first) = chars.get(i) else {
            return Ok(out);
        };
        if !is_key(first) {
            return Err(format!(
                "expected an attribute name at character {}, found `{first}`",
                i + 1
            ));
        }
        let start = i;
        while chars.get(i).is_some_and(|&c| is_key(c)) {
            i += 1;
        }
        let key: String = chars[start..i].iter().collect();
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        if chars.get(i) != Some(&'=') {
            return Err(format!("expected `=\"…\"` after attribute `{key}`"));
        }
        i += 1;
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        let quote = match chars.get(i) {
            Some(&q) if q == '"' || q == '\'' => q,
            _ => {
                return Err(format!(
                    "the value of `{key}` must be quoted, like {key}=\"…\""
                ))
            }
        };
        i += 1;
        let vstart = i;
        while chars.get(i).is_some_and(|&c| c != quote) {
            i += 1;
        }
        if i >= chars.len() {
            return Err(format!("the value of `{key}` has no closing {quote}"));
        }
        let value: String = chars[vstart..i].iter().collect();
        i += 1;
        if out.iter().any(|(k, _)| k.eq_ignore_ascii_case(&key)) {
            return Err(format!("attribute `{key}` is given twice"));
        }
        out.push((key, value));
    }
}

/// Look up an attribute case-insensitively.
pub(crate) fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// The trimmed `source` of a `:::{directive}` block; without one, a warning at the block
/// says nothing is shown.
pub(crate) fn required_source<'a>(
    doc: &mut doc::Doc,
    line0: usize,
    col: usize,
    attrs: &'a [(String, String)],
    directive: &str,
) -> Option<&'a str> {
    let source = attr(attrs, "source")
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if source.is_none() {
        doc.warn(
            line0,
            col,
            &format!("docfx-{directive}"),
            format!("`:::{directive}` has no source=\"…\"; nothing is shown"),
        );
    }
    source
}

#[cfg(test)]
mod tests;
