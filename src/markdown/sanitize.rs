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

#[cfg(test)]
mod tests {
    use super::*;

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
