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
}
