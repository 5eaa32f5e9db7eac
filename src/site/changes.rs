//! The change report for pull-request previews: which pages a build added, changed and
//! removed against an earlier build (its `--report` JSON or its output folder, which holds
//! the page hashes as `trustdoc-pages.json`), and the Markdown summary a CI job posts.

use std::collections::BTreeMap;
use std::path::Path;

use super::report::{Changes, Report, MANIFEST};
use crate::error::Diagnostic;

/// Page URL -> content hash of an earlier build: `path` is its report JSON, its
/// `trustdoc-pages.json`, or its output folder.
pub fn previous_hashes(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let file = if path.is_dir() {
        path.join(MANIFEST)
    } else {
        path.to_path_buf()
    };
    let text = std::fs::read_to_string(&file).map_err(|e| {
        if path.is_dir() && e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "{}: no {MANIFEST}; expected the output folder of a trustdoc build or its --report file",
                path.display()
            )
        } else {
            format!("{}: {e}", file.display())
        }
    })?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not JSON: {e}",
            file.display(),
            e.line(),
            e.column()
        )
    })?;
    let pages = value
        .get("page_hashes")
        .or_else(|| value.get("pages").filter(|p| p.is_object()))
        .and_then(|p| p.as_object())
        .ok_or_else(|| {
            format!(
                "{}: expected a trustdoc report (with `page_hashes`) or {MANIFEST} (with `pages`)",
                file.display()
            )
        })?;
    Ok(pages
        .iter()
        .map(|(url, h)| (url.clone(), h.as_str().unwrap_or_default().to_string()))
        .collect())
}

/// What changed from `old` to `new` (both page URL -> content hash), each list sorted.
pub fn diff(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Changes {
    let mut c = Changes::default();
    for (url, hash) in new {
        match old.get(url) {
            None => c.added.push(url.clone()),
            Some(h) if h != hash => c.changed.push(url.clone()),
            Some(_) => {}
        }
    }
    c.removed = old
        .keys()
        .filter(|u| !new.contains_key(*u))
        .cloned()
        .collect();
    c
}

/// The Markdown summary: counts, the changed pages (linked under `base_url` when one is
/// given), then every error and warning.
pub fn summary_markdown(report: &Report, base_url: Option<&str>) -> String {
    let mut s = String::from("## trustdoc build\n\n");
    let (errors, warnings) = (report.errors.len(), report.warnings.len());
    s.push_str(&format!(
        "{} pages, {errors} error{}, {warnings} warning{}.\n",
        report.pages.len(),
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    ));
    if let Some(c) = &report.changes {
        s.push_str(&format!(
            "\n### Pages changed\n\n{} added, {} changed, {} removed.\n",
            c.added.len(),
            c.changed.len(),
            c.removed.len()
        ));
        let link = |u: &str| match base_url {
            Some(b) => format!("[`{u}`]({}{})", b.trim_end_matches('/'), u),
            None => format!("`{u}`"),
        };
        for (label, list, linked) in [
            ("Added", &c.added, true),
            ("Changed", &c.changed, true),
            ("Removed", &c.removed, false),
        ] {
            if list.is_empty() {
                continue;
            }
            s.push_str(&format!("\n**{label}**\n\n"));
            for u in list {
                let u = markdown_text(u);
                let item = if linked { link(&u) } else { format!("`{u}`") };
                s.push_str(&format!("- {item}\n"));
            }
        }
    }
    for (label, list) in [("Errors", &report.errors), ("Warnings", &report.warnings)] {
        if list.is_empty() {
            continue;
        }
        s.push_str(&format!("\n### {label}\n\n"));
        for d in list {
            s.push_str(&format!("- {}\n", diagnostic_line(d)));
        }
    }
    s
}

fn diagnostic_line(d: &Diagnostic) -> String {
    let at = match (d.line, d.col) {
        (0, _) => d.path.clone(),
        (l, 0) => format!("{}:{l}", d.path),
        (l, c) => format!("{}:{l}:{c}", d.path),
    };
    format!("`{}` {}", markdown_text(&at), markdown_text(&d.message))
}

/// Text from content made inert in Markdown: no HTML, no backtick breaking out of a code
/// span, no line breaks, no link syntax.
fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' => out.push('\''),
            '\n' | '\r' => out.push(' '),
            '[' | ']' | '*' | '_' | '|' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn diff_sorts_pages_into_three_lists() {
        let old = map(&[("/", "1"), ("/a/", "2"), ("/gone/", "3")]);
        let new = map(&[("/", "1"), ("/a/", "9"), ("/new/", "4")]);
        let c = diff(&old, &new);
        assert_eq!(c.added, ["/new/"]);
        assert_eq!(c.changed, ["/a/"]);
        assert_eq!(c.removed, ["/gone/"]);
        assert_eq!(diff(&new, &new), Changes::default());
    }

    #[test]
    fn markdown_text_is_inert() {
        let t = markdown_text("<script>`x`[a](b)\n*y*");
        assert!(
            !t.contains('<') && !t.contains('`') && !t.contains('\n'),
            "{t}"
        );
        assert!(t.contains("\\[a\\]"), "{t}");
    }
}
