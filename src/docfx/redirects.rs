//! `.openpublishing.redirection.json`: Learn's list of moved pages. Each entry maps
//! `source_path_from_root` (or `source_path`) to `redirect_url`. serde_json reads and checks
//! the file (its errors carry line and column); the line of each entry comes from a second,
//! span-keeping read with serde-saphyr (JSON is YAML), used only for positions.

use super::pivots::without_position;
use crate::error::Diagnostic;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old path as written (e.g. `/articles/area/old-page.md`).
    pub source: String,
    /// Where it goes now (site-absolute path or URL), as written.
    pub target: String,
    /// 1-based line of the entry in the file (0 if unknown).
    pub line: usize,
}

#[derive(Deserialize)]
struct File {
    redirections: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    source_path_from_root: Option<String>,
    #[serde(default)]
    source_path: Option<String>,
    #[serde(default)]
    redirect_url: Option<String>,
}

#[derive(Deserialize)]
struct SpannedFile {
    redirections: Vec<Spanned<serde::de::IgnoredAny>>,
}

/// Parse the redirection file. Bad JSON, entries without a source or target, and a source
/// listed twice are errors with their line (and column for JSON errors).
pub fn parse_redirects(display_path: &str, src: &str) -> Result<Vec<Redirect>, Vec<Diagnostic>> {
    let file: File = serde_json::from_str(src.trim_start_matches('\u{feff}')).map_err(|e| {
        let msg = without_position(&e.to_string());
        vec![Diagnostic::error(
            display_path,
            e.line(),
            e.column(),
            "redirects",
            msg,
        )]
    })?;
    let lines: Vec<usize> = serde_saphyr::from_str::<SpannedFile>(src)
        .map(|f| {
            f.redirections
                .iter()
                .map(|s| usize::try_from(s.referenced.line()).unwrap_or(0))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, e) in file.redirections.into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(0);
        let source = e
            .source_path_from_root
            .or(e.source_path)
            .map(|s| s.trim().to_string());
        let target = e.redirect_url.map(|s| s.trim().to_string());
        match (
            source.filter(|s| !s.is_empty()),
            target.filter(|t| !t.is_empty()),
        ) {
            (Some(source), Some(target)) => {
                if let Some(scheme) = unsafe_scheme(&target) {
                    let msg = format!(
                        "redirect_url \"{target}\" uses `{scheme}:`; expected a site path \
                         (such as /docs/new-page) or an http(s) URL"
                    );
                    errors.push(Diagnostic::error(display_path, line, 0, "redirects", msg));
                    continue;
                }
                if let Some(first) = seen.insert(source.to_ascii_lowercase(), line) {
                    let msg = format!(
                        "redirect source \"{source}\" is listed twice (first at line {first})"
                    );
                    errors.push(Diagnostic::error(display_path, line, 0, "redirects", msg));
                }
                out.push(Redirect {
                    source,
                    target,
                    line,
                });
            }
            (None, _) => {
                let msg = "redirect entry has no `source_path_from_root` (or `source_path`)";
                errors.push(Diagnostic::error(display_path, line, 0, "redirects", msg));
            }
            (_, None) => {
                let msg = "redirect entry has no `redirect_url`";
                errors.push(Diagnostic::error(display_path, line, 0, "redirects", msg));
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The scheme of a URL that is not http(s), read the way browsers read it (tabs and line
/// breaks removed, leading spaces and controls ignored), so `java\tscript:` is caught too.
fn unsafe_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    let scheme = cleaned.get(..end)?.to_ascii_lowercase();
    let is_scheme = cleaned.get(end..)?.starts_with(':')
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (is_scheme && scheme != "http" && scheme != "https").then_some(scheme)
}

/// One redirect as written into the site: the URL folder of its page, the site URL folder
/// it sends the browser to (None when that is a page or off the site), its source and line.
#[derive(Debug, Clone)]
pub struct Hop {
    pub from: String,
    pub to: Option<String>,
    pub source: String,
    pub line: usize,
}

/// Where `target` lands, as a URL folder of this site ("a/b/"), when it stays on the
/// site. `from` is the folder of the redirect page, `base_url` and `base_path` the site's.
pub fn site_folder(target: &str, from: &str, base_url: &str, base_path: &str) -> Option<String> {
    let t = target.split(['?', '#']).next().unwrap_or(target);
    let joined = if let Some(rest) = t.strip_prefix(base_url) {
        rest.to_string()
    } else if t.contains(':') || t.starts_with("//") {
        return None;
    } else if let Some(abs) = t.strip_prefix('/') {
        format!("/{abs}").strip_prefix(base_path)?.to_string()
    } else {
        format!("{from}{t}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if let Some(last) = parts.last_mut() {
        if *last == "index.html" {
            parts.pop();
        } else if let Some(stem) = last
            .strip_suffix(".html")
            .or_else(|| last.strip_suffix(".md"))
        {
            *last = stem;
        }
    }
    Some(parts.iter().map(|p| format!("{p}/")).collect())
}

/// Redirects that lead back to themselves (`a -> b -> a`, or `a -> a`), which would send a
/// browser round in circles. Each loop is reported once, at the line of its first entry.
pub fn redirect_loops(display_path: &str, hops: &[Hop]) -> Vec<Diagnostic> {
    let by_from: BTreeMap<&str, usize> = hops
        .iter()
        .enumerate()
        .map(|(i, h)| (h.from.as_str(), i))
        .collect();
    let next = |i: usize| -> Option<usize> {
        let to = hops.get(i)?.to.as_deref()?;
        by_from.get(to).copied()
    };
    let mut diags = Vec::new();
    for (i, hop) in hops.iter().enumerate() {
        let mut chain = vec![i];
        let mut cur = i;
        // Each step visits a new entry, so the walk ends within `hops.len()` steps.
        while let Some(j) = next(cur) {
            if let Some(start) = chain.iter().position(|&k| k == j) {
                // Report a loop only from its lowest entry, so each loop is listed once.
                let cycle = chain.get(start..).unwrap_or_default();
                if start == 0 && cycle.iter().all(|&k| k >= i) {
                    let mut steps: Vec<&str> = cycle
                        .iter()
                        .filter_map(|&k| hops.get(k).map(|h| h.source.as_str()))
                        .collect();
                    steps.push(&hop.source);
                    diags.push(Diagnostic::error(
                        display_path,
                        hop.line,
                        0,
                        "redirect-loop",
                        format!(
                            "redirect loop: {} (each redirect leads to the next); point one \
                             of them at a page that exists",
                            steps.join(" -> ")
                        ),
                    ));
                }
                break;
            }
            chain.push(j);
            cur = j;
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_with_lines() {
        let src = "{\n  \"redirections\": [\n    {\n      \"source_path_from_root\": \"/articles/a/old.md\",\n      \"redirect_url\": \"/a/new\",\n      \"redirect_document_id\": true\n    },\n    {\"source_path\": \"b.md\", \"redirect_url\": \"https://example.com/b\"}\n  ]\n}\n";
        let r = parse_redirects(".openpublishing.redirection.json", src).expect("parses");
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].source.as_str(), r[0].target.as_str()),
            ("/articles/a/old.md", "/a/new")
        );
        assert_eq!((r[0].line, r[1].line), (3, 8));
        assert_eq!(r[1].source, "b.md");
    }

    #[test]
    fn bad_json_and_bad_entries_are_errors() {
        let err = parse_redirects(
            "r.json",
            "{\n  \"redirections\": [\n    {\"source_path\": \"a.md\",}\n  ]\n}",
        )
        .expect_err("trailing comma");
        assert_eq!((err[0].line, err[0].kind.as_str()), (3, "redirects"));
        assert!(err[0].col > 0);
        let src = "{\"redirections\": [\n{\"source_path\": \"a.md\"},\n{\"redirect_url\": \"/x\"},\n{\"source_path\": \"c.md\", \"redirect_url\": \"/c\"},\n{\"source_path\": \"C.md\", \"redirect_url\": \"/d\"}\n]}";
        let err = parse_redirects("r.json", src).expect_err("missing fields");
        let lines: Vec<usize> = err.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![2, 3, 5]);
        assert!(parse_redirects("r.json", "[]").is_err());
    }

    #[test]
    fn corpus_redirects_parse() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpus/azure-confidential-computing/.openpublishing.redirection.json");
        let Ok(src) = std::fs::read_to_string(&path) else {
            println!("skipped: corpus not present");
            return;
        };
        let r = parse_redirects("redirects.json", &src).expect("parses");
        assert_eq!(r.len(), 2);
        assert!(r.iter().all(|x| x.line > 0 && x.target.starts_with('/')));
    }

    fn file(entries: &[(&str, &str)]) -> String {
        let items: Vec<String> = entries
            .iter()
            .map(|(s, t)| format!("{{\"source_path\": \"{s}\", \"redirect_url\": \"{t}\"}}"))
            .collect();
        format!("{{\"redirections\": [\n{}\n]}}", items.join(",\n"))
    }

    #[test]
    fn loops_are_errors_once() {
        let hop = |from: &str, to: Option<&str>, line| Hop {
            from: from.into(),
            to: to.map(Into::into),
            source: format!("{}.md", from.trim_end_matches('/')),
            line,
        };
        let hops = [
            hop("a/", Some("b/"), 2),
            hop("b/", Some("c/"), 3),
            hop("c/", Some("a/"), 4),
            hop("d/", Some("a/"), 5),
            hop("e/", Some("e/"), 6),
            hop("f/", None, 7),
        ];
        let err = redirect_loops("r.json", &hops);
        let lines: Vec<usize> = err.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![2, 6], "{err:?}");
        assert!(
            err[0].message.contains("a.md -> b.md -> c.md -> a.md"),
            "{err:?}"
        );
    }

    #[test]
    fn targets_map_to_site_folders() {
        let f = |t| site_folder(t, "old/", "https://d.example/docs/", "/docs/");
        assert_eq!(f("/docs/new/page").as_deref(), Some("new/page/"));
        assert_eq!(
            f("https://d.example/docs/x/index.html").as_deref(),
            Some("x/")
        );
        assert_eq!(f("../b.md#top").as_deref(), Some("b/"));
        assert_eq!(f("/elsewhere/x"), None);
        assert_eq!(f("https://other.example/docs/x"), None);
    }

    #[test]
    fn script_targets_are_refused() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:x",
            "java\\tscript:x",
            "data:text/html,x",
        ] {
            let err = parse_redirects("r.json", &file(&[("a.md", bad)])).expect_err(bad);
            assert!(err[0].message.contains("expected a site path"), "{err:?}");
        }
        for ok in ["/a/b", "b", "https://example.com/x:y", "../c?x=1:2"] {
            assert!(
                parse_redirects("r.json", &file(&[("a.md", ok)])).is_ok(),
                "{ok}"
            );
        }
    }
}
