//! Safe mode (`--safe`, `safe = true`): for previews of outside contributions, the HTML that
//! came from an author's Markdown goes through ammonia, which keeps the structure Markdown
//! produces (headings with ids, tables, code spans with highlight classes, task-list boxes,
//! footnotes) and drops raw `<script>`, event handlers, `style`, iframes, forms and script
//! URLs. Generated output (diagrams, tables from data, DocFX blocks) is inserted after this
//! step, behind placeholders (HTML comments), which are kept.

use std::collections::HashSet;
use std::sync::OnceLock;

fn builder() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id", "class", "tabindex", "aria-label", "data-lang"])
            .add_tags(["input"])
            .add_tag_attributes("input", ["type", "checked", "disabled", "aria-hidden"])
            .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .strip_comments(false)
            .link_rel(Some("noopener noreferrer nofollow"));
        b
    })
}

/// Sanitises author HTML.
pub fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

/// Raw HTML blocks opened by `<script>`, `<style>`, `<textarea>` or `<pre>` run to their
/// closing tag, and without one to the end of the page; sanitising then drops the whole
/// rest of the page with the tag. Such an opening tag is escaped (shown as text, so the rest
/// is Markdown again) with a warning at its line. `body` starts at `body_offset` in `full`.
pub fn escape_unclosed_raw_blocks(
    disp: &str,
    full: &str,
    body_offset: usize,
) -> (String, Vec<crate::error::Diagnostic>) {
    use pulldown_cmark::{Event, Parser, Tag};
    let body = full.get(body_offset..).unwrap_or("");
    let end = body.trim_end().len();
    let mut at = Vec::new();
    for (event, range) in Parser::new(body).into_offset_iter() {
        let Event::Start(Tag::HtmlBlock) = event else {
            continue;
        };
        if range.end < end {
            continue;
        }
        let block = body.get(range.clone()).unwrap_or("").to_ascii_lowercase();
        let lead = block.len() - block.trim_start().len();
        let tag = ["script", "style", "textarea", "pre"]
            .into_iter()
            .find(|t| {
                let rest = block
                    .trim_start()
                    .strip_prefix('<')
                    .and_then(|r| r.strip_prefix(t));
                rest.is_some_and(|r| {
                    r.is_empty() || r.starts_with(|c: char| c == '>' || c.is_whitespace())
                })
            });
        if let Some(tag) = tag {
            if !block.contains(&format!("</{tag}")) {
                at.push((body_offset + range.start + lead, tag));
            }
        }
    }
    if at.is_empty() {
        return (full.to_string(), Vec::new());
    }
    let index = crate::error::LineIndex::new(full);
    let mut out = full.to_string();
    let mut diags = Vec::new();
    for (off, tag) in at.into_iter().rev() {
        let (line, col) = index.locate(full, off);
        diags.push(crate::error::Diagnostic::warning(
            disp,
            line,
            col,
            "unclosed-html",
            format!(
                "`<{tag}>` is never closed, so it would hide the rest of the page; it is shown \
                 as text (add `</{tag}>` or remove it)"
            ),
        ));
        out.insert(off, '\\');
    }
    diags.reverse();
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unclosed_style_is_escaped_and_the_rest_kept() {
        let full = "---\nt: x\n---\n# A\n\n<style>\n\nMore **text**.\n";
        let (out, d) = escape_unclosed_raw_blocks("a.md", full, 14);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].col), (6, 1));
        assert!(out.contains("\\<style>"), "{out}");
        let closed = "# A\n\n<style>\np{}\n</style>\n\nMore.\n";
        assert!(escape_unclosed_raw_blocks("a.md", closed, 0).1.is_empty());
    }

    #[test]
    fn removes_scripts_handlers_and_script_urls() {
        let out = clean("<p>hi<script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a><iframe src=\"https://e\"></iframe></p>");
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("onerror"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(!out.contains("iframe"), "{out}");
    }

    #[test]
    fn keeps_markdown_structure_and_placeholders() {
        let src = "<h2 id=\"a\">A<a class=\"td-anchor\" href=\"#a\" aria-label=\"Link\">#</a></h2>\n<!--tdd:0-->\n<pre class=\"td-code\" tabindex=\"0\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-x\">fn</span></code></pre>\n<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\"> done</li></ul>";
        let out = clean(src);
        for keep in [
            "id=\"a\"",
            "class=\"td-anchor\"",
            "<!--tdd:0-->",
            "data-lang=\"rust\"",
            "class=\"hl-x\"",
            "type=\"checkbox\"",
        ] {
            assert!(out.contains(keep), "lost {keep}: {out}");
        }
    }
}
