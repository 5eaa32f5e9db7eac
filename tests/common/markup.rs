//! Checks that a generated file holds no script in an executable position: a small start
//! tag scanner for HTML (handlers, script URLs, injected tags, evaluated templates, NULs)
//! and an XML parse for SVG and sitemaps. Used by the escaping sweep in tests/xss.rs.

use resvg::usvg::roxmltree;

/// Problems with one HTML file: payloads in executable positions, evaluated templates, NULs.
pub fn html_problems(name: &str, html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    for bad in [
        "<script>alert",
        "<img src=x",
        "<svg onload",
        "t749t7",
        "t7t7",
    ] {
        if let Some(at) = lower.find(bad) {
            found.push(format!("{name}: `{bad}` near {:?}", context(html, at)));
        }
    }
    if html.contains('\0') {
        found.push(format!("{name}: raw NUL"));
    }
    for (at, tag) in tags(html) {
        for (attr, value) in attributes(tag) {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                found.push(format!(
                    "{name}: handler `{attr}` in {:?}",
                    context(html, at)
                ));
            }
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if matches!(
                attr.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) && (v.starts_with("javascript:")
                || v.starts_with("vbscript:")
                || v.starts_with("data:text"))
            {
                found.push(format!("{name}: script URL in {:?}", context(html, at)));
            }
        }
    }
    found
}

fn context(s: &str, at: usize) -> String {
    s.chars()
        .skip(s[..at].chars().count().saturating_sub(60))
        .take(160)
        .collect()
}

/// Start tags (`<name …>`, quotes respected) with their byte offsets. The text of script
/// elements is skipped: it is not markup.
fn tags(html: &str) -> Vec<(usize, &str)> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            let mut j = i + 1;
            let mut quote = None;
            while j < bytes.len() {
                match (quote, bytes[j]) {
                    (None, b'"' | b'\'') => quote = Some(bytes[j]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            let tag = &html[i..j.min(html.len())];
            out.push((i, tag));
            i = j;
            if tag.to_ascii_lowercase().starts_with("<script") {
                i = html[i..].find("</script").map_or(html.len(), |k| i + k + 1);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// `(name, value)` pairs of one start tag (without the `<name`).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let rest = tag
        .trim_start_matches('<')
        .trim_start_matches(|c: char| !c.is_whitespace() && c != '/');
    let chars: Vec<char> = rest.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '=' | '/') {
            i += 1;
        }
        let name: String = chars[start..i].iter().collect();
        let mut value = String::new();
        if chars.get(i) == Some(&'=') {
            i += 1;
            match chars.get(i) {
                Some(&q @ ('"' | '\'')) => {
                    i += 1;
                    while i < chars.len() && chars[i] != q {
                        value.push(chars[i]);
                        i += 1;
                    }
                    i += 1;
                }
                _ => {
                    while i < chars.len() && !chars[i].is_whitespace() {
                        value.push(chars[i]);
                        i += 1;
                    }
                }
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

/// Problems with an SVG or XML file: it must parse, and hold no script element, no event
/// handler and no script URL.
pub fn xml_problems(name: &str, bytes: &[u8]) -> Vec<String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return vec![format!("{name}: not UTF-8: {e}")],
    };
    let doc = match roxmltree::Document::parse(text) {
        Ok(d) => d,
        Err(e) => return vec![format!("{name}: does not parse as XML: {e}")],
    };
    let mut found = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name().name().to_ascii_lowercase();
        if tag == "script" || tag == "foreignobject" {
            found.push(format!("{name}: <{tag}> element"));
        }
        for a in node.attributes() {
            let v = a.value().trim().to_ascii_lowercase();
            if a.name().to_ascii_lowercase().starts_with("on") || v.starts_with("javascript:") {
                found.push(format!("{name}: attribute {}={:?}", a.name(), a.value()));
            }
        }
    }
    found
}
