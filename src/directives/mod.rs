//! trustdoc's own directives: `:::trust-boundary`, `:::access-matrix`, `:::decision-table`,
//! `:::decision-guide` and `:::guidance-matrix` lines place output generated from a
//! comparison file inside a page. This pass finds them (outside code), checks their names,
//! attributes and `source` path, and swaps each line for a placeholder that keeps the
//! page's line count, so later positions stay right.

mod kind;
pub mod tables;

use crate::error::Diagnostic;
use crate::resolve::links::normalize;
pub use kind::{Figure, Kind};

/// One directive found in a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub kind: Kind,
    /// Content-relative path of the comparison file.
    pub source: String,
    pub model: Option<String>,
    pub title: Option<String>,
    pub line: usize,
    pub col: usize,
}

/// Placeholder text for directive `n` (an HTML comment block, so Markdown leaves it alone).
pub fn placeholder(n: usize) -> String {
    format!("<!--tdd:{n}-->")
}

/// Scans `body` (which starts on page line `first_line`), returns the body with directive
/// lines replaced and the directives in order. `page_dir` is the page's content folder.
pub fn extract(
    display: &str,
    body: &str,
    first_line: usize,
    page_dir: &str,
) -> (String, Vec<Directive>, Vec<Diagnostic>) {
    let mut out = String::with_capacity(body.len());
    let mut found = Vec::new();
    let mut diags = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for (i, raw_line) in body.split_inclusive('\n').enumerate() {
        let line_no = first_line + i;
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(f) = fence_marker(trimmed) {
            match fence {
                None => fence = Some(f),
                Some((c, n))
                    if f.0 == c && f.1 >= n && trimmed.trim_end().chars().all(|x| x == c) =>
                {
                    fence = None
                }
                _ => {}
            }
            out.push_str(raw_line);
            continue;
        }
        if fence.is_some() || !trimmed.starts_with(":::") {
            out.push_str(raw_line);
            continue;
        }
        let inner = trimmed
            .trim_end()
            .trim_start_matches(':')
            .trim_end_matches(':')
            .trim();
        let name: String = inner
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let Some(kind) = Kind::from_name(&name) else {
            if let Some(s) = suggestion(&name) {
                diags.push(Diagnostic::error(
                    display,
                    line_no,
                    indent + 4,
                    "directive",
                    format!("unknown directive `{name}`; did you mean `{s}`?"),
                ));
            }
            out.push_str(raw_line);
            continue;
        };
        if !trimmed.trim_end().ends_with(":::") || trimmed.trim_end().len() < 6 {
            diags.push(Diagnostic::error(
                display,
                line_no,
                indent + 1,
                "directive",
                format!("`:::{name}` must end with `:::` on the same line"),
            ));
            out.push_str(raw_line);
            continue;
        }
        let attrs_text = &inner[name.len()..];
        match parse_directive(kind, attrs_text, page_dir) {
            Ok(mut d) => {
                d.line = line_no;
                d.col = indent + 1;
                out.push_str(&line[..indent]);
                out.push_str(&placeholder(found.len()));
                out.push_str(&raw_line[line.len()..]);
                found.push(d);
            }
            Err(msg) => {
                diags.push(Diagnostic::error(
                    display,
                    line_no,
                    indent + 1,
                    "directive",
                    msg,
                ));
                out.push_str(raw_line);
            }
        }
    }
    (out, found, diags)
}

fn fence_marker(t: &str) -> Option<(char, usize)> {
    let c = t.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let n = t.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

fn parse_directive(kind: Kind, attrs: &str, page_dir: &str) -> Result<Directive, String> {
    let pairs = parse_attributes(attrs)?;
    let (name, ok) = (kind.name(), kind.attributes());
    let mut d = Directive {
        kind,
        source: String::new(),
        model: None,
        title: None,
        line: 0,
        col: 0,
    };
    let mut source = None;
    for (k, v) in pairs {
        if !ok.contains(&k.as_str()) {
            let hint = closest(&k, ok)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_else(|| format!("; `{name}` takes {}", ok.join(", ")));
            return Err(format!("unknown attribute `{k}` on `{name}`{hint}"));
        }
        match k.as_str() {
            "source" => source = Some(v),
            "model" => d.model = Some(v),
            "title" => d.title = Some(v),
            _ => {}
        }
    }
    let source = source
        .ok_or_else(|| format!("`{name}` needs source=\"file.toml\" naming a comparison file"))?;
    d.source = resolve_source(&source, page_dir)?;
    Ok(d)
}

/// A `source` path, relative to the page, as a content-relative path. Absolute paths,
/// URLs and paths that climb out of the content folder are refused without reading anything.
pub fn resolve_source(source: &str, page_dir: &str) -> Result<String, String> {
    let s = crate::resolve::links::percent_decode(source.trim());
    if s.starts_with('/')
        || s.starts_with('\\')
        || s.contains("://")
        || s.contains('\0')
        || s.get(1..2) == Some(":")
    {
        return Err(format!(
            "source `{source}` must be a path relative to the page"
        ));
    }
    let joined = if page_dir.is_empty() {
        s.replace('\\', "/")
    } else {
        format!("{page_dir}/{}", s.replace('\\', "/"))
    };
    match normalize(&joined) {
        Some(p) if !p.is_empty() => Ok(p),
        _ => Err(format!(
            "source `{source}` points outside the site root; refused"
        )),
    }
}

/// `key="value"` pairs (double or single quotes; bare values up to whitespace).
pub fn parse_attributes(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or_else(|| format!("expected key=\"value\", found `{rest}`"))?;
        let key = rest[..eq].trim().to_string();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!("`{key}` is not an attribute name"));
        }
        let after = rest[eq + 1..].trim_start();
        let (value, remaining) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let close = after[1..]
                    .find(q)
                    .ok_or_else(|| format!("the value of `{key}` has no closing quote"))?;
                (after[1..1 + close].to_string(), &after[close + 2..])
            }
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (after[..end].to_string(), &after[end..])
            }
        };
        out.push((key, value));
        rest = remaining.trim_start();
    }
    Ok(out)
}

fn suggestion(name: &str) -> Option<&'static str> {
    closest(name, &Kind::ALL.map(Kind::name))
}

fn closest(name: &str, options: &[&'static str]) -> Option<&'static str> {
    options
        .iter()
        .map(|o| (edit_distance(name, o), *o))
        .filter(|(d, o)| *d <= 2.max(o.len() / 4))
        .min()
        .map(|(_, o)| o)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let v = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_directives_and_keeps_lines() {
        let body = "Intro\n\n:::trust-boundary source=\"../m.toml\" model=\"a\":::\n\n```\n:::access-matrix source=\"x.toml\":::\n```\n  :::access-matrix source='m.toml':::\n";
        let (text, found, diags) = extract("p.md", body, 5, "models");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(text.lines().count(), body.lines().count());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].source, "m.toml");
        assert_eq!(found[0].model.as_deref(), Some("a"));
        assert_eq!((found[0].line, found[0].col), (7, 1));
        assert_eq!(found[1].source, "models/m.toml");
        assert!(text.contains("  <!--tdd:1-->"));
        assert!(
            text.contains(":::access-matrix source=\"x.toml\":::"),
            "code stays as written"
        );
    }

    #[test]
    fn unknown_name_and_attribute_suggest() {
        let (_, _, d) = extract(
            "p.md",
            ":::trust-boundry source=\"m.toml\":::\n:::access-matrix src=\"m.toml\":::\n",
            1,
            "",
        );
        assert_eq!(d.len(), 2);
        assert!(
            d[0].message.contains("did you mean `trust-boundary`"),
            "{}",
            d[0]
        );
        assert_eq!(d[1].line, 2);
        assert!(d[1].message.contains("unknown attribute `src`"), "{}", d[1]);
    }

    #[test]
    fn sources_never_leave_the_root() {
        for bad in [
            "/etc/passwd",
            "../../x.toml",
            "..%2F..%2Fx.toml",
            "C:/x.toml",
            "https://x/y.toml",
        ] {
            assert!(resolve_source(bad, "a").is_err(), "{bad}");
        }
        assert_eq!(resolve_source("../m.toml", "a").unwrap(), "m.toml");
    }

    #[test]
    fn attributes() {
        let a = parse_attributes(r#"source="a b.toml" model='x' title=plain"#).unwrap();
        assert_eq!(a[0], ("source".into(), "a b.toml".into()));
        assert_eq!(a[2], ("title".into(), "plain".into()));
        assert!(parse_attributes("source=\"open").is_err());
    }
}
