//! Front matter: splits a page into its metadata block and body, parses YAML (`---`) or
//! TOML (`+++`), and maps the keys trustdoc knows (including Microsoft Learn's `ms.*`
//! keys and its `8/22/2023` dates) onto `FrontMatter`. Unknown keys are kept in `extra`.
//! Errors carry the line in the page file, not in the extracted block.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Diagnostic, LineIndex};

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Normalised `YYYY-MM-DD`.
    pub date: Option<String>,
    pub author: Option<String>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub template: Option<String>,
    pub aliases: Vec<String>,
    pub slug: Option<String>,
    pub zone_pivot_groups: Option<String>,
    /// Every other key, as written.
    pub extra: BTreeMap<String, Value>,
    /// Page line of the `aliases` key (0 when absent), for messages about an alias.
    #[serde(skip)]
    pub aliases_line: usize,
    /// Page line of the `template` key (0 when absent), for an unknown template's message.
    #[serde(skip)]
    pub template_line: usize,
}

/// A page split into front matter and body. `body_offset` is the byte offset of the body in
/// the original text and `body_line` its 1-based line, so Markdown positions map back.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    pub front: Option<(Delim, &'a str, usize)>,
    pub body: &'a str,
    pub body_line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delim {
    Yaml,
    Toml,
}

/// Splits `text` (BOM already removed). An opening fence without a closing one is an error.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_end].trim_end_matches('\r').trim_end();
    let delim = match first {
        "---" => Delim::Yaml,
        "+++" => Delim::Toml,
        _ => {
            return Ok(Split {
                front: None,
                body: text,
                body_line: 1,
            })
        }
    };
    let fence = if delim == Delim::Yaml { "---" } else { "+++" };
    let mut offset = (first_end + 1).min(text.len());
    let block_start = offset;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map(|i| offset + i)
            .unwrap_or(text.len());
        let l = text[offset..end].trim_end_matches('\r').trim_end();
        if l == fence || (delim == Delim::Yaml && l == "...") {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                front: Some((delim, &text[block_start..offset], 2)),
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err(Diagnostic::error(
        path,
        1,
        1,
        "front-matter",
        format!("front matter opened with `{fence}` is never closed: add a line with `{fence}` after the metadata"),
    ))
}

/// Parses the metadata block; `first_line` is the page line the block starts on.
pub fn parse(
    path: &str,
    delim: Delim,
    block: &str,
    first_line: usize,
) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
    let value: Value = match delim {
        Delim::Yaml => {
            if block.trim().is_empty() {
                Value::Object(Default::default())
            } else {
                serde_saphyr::from_str::<Value>(block).map_err(|e| {
                    let (l, c) = e
                        .location()
                        .map(|loc| (loc.line() as usize, loc.column() as usize))
                        .unwrap_or((0, 0));
                    // Alias and snippet wrappers only add positions; the innermost error
                    // is the message. Its own "line N column M" would be block-relative.
                    let mut inner = &e;
                    while let serde_saphyr::Error::AliasError { error, .. }
                    | serde_saphyr::Error::WithSnippet { error, .. } = inner
                    {
                        inner = error;
                    }
                    let msg = first_sentence(&serde_saphyr::MessageFormatter::format_message(
                        &serde_saphyr::UserMessageFormatter,
                        inner,
                    ));
                    Diagnostic::error(
                        path,
                        first_line + l.saturating_sub(1),
                        c.max(1),
                        "front-matter",
                        format!("invalid YAML front matter: {msg}"),
                    )
                })?
            }
        }
        Delim::Toml => {
            let table: toml::Table = toml::from_str(block).map_err(|e| {
                let (l, c) = e
                    .span()
                    .map(|s| LineIndex::new(block).locate(block, s.start))
                    .unwrap_or((1, 1));
                Diagnostic::error(
                    path,
                    first_line + l - 1,
                    c,
                    "front-matter",
                    format!("invalid TOML front matter: {}", e.message().trim()),
                )
            })?;
            toml_to_json(toml::Value::Table(table))
        }
    };
    let map = match value {
        Value::Object(m) => m,
        Value::Null => Default::default(),
        other => {
            return Err(Diagnostic::error(
                path,
                first_line,
                1,
                "front-matter",
                format!(
                    "front matter must be a mapping of keys to values, found {}",
                    kind(&other)
                ),
            ))
        }
    };
    interpret(path, map, first_line, block)
}

fn interpret(
    path: &str,
    map: serde_json::Map<String, Value>,
    first_line: usize,
    block: &str,
) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
    let mut fm = FrontMatter::default();
    let mut warnings = Vec::new();
    let line_of = |key: &str| -> usize {
        block
            .lines()
            .position(|l| {
                let t = l.trim_start();
                t.starts_with(key) && t[key.len()..].trim_start().starts_with([':', '='])
            })
            .map(|i| first_line + i)
            .unwrap_or(first_line)
    };
    let text = |key: &str, v: &Value| -> Result<String, Diagnostic> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(Diagnostic::error(
                path,
                line_of(key),
                1,
                "front-matter",
                format!("`{key}` must be text, found {}", kind(other)),
            )),
        }
    };
    for (key, v) in map {
        match key.as_str() {
            "title" => fm.title = Some(text(&key, &v)?),
            "description" | "summary" => fm.description = Some(text(&key, &v)?),
            "author" | "ms.author" => {
                if fm.author.is_none() || key == "author" {
                    fm.author = Some(text(&key, &v)?)
                }
                fm.extra.insert(key, v);
            }
            "date" | "updated" | "ms.date" | "lastmod" => {
                let raw = text(&key, &v)?;
                match parse_date(&raw) {
                    Some(d) => {
                        if fm.date.as_deref().is_none_or(|cur| d.as_str() > cur) {
                            fm.date = Some(d);
                        }
                    }
                    None => warnings.push(Diagnostic::warning(path, line_of(&key), 1, "date", format!("`{key}: {raw}` is not a date trustdoc understands (use 2024-04-30 or 4/30/2024); it is ignored"))),
                }
                fm.extra.insert(key, v);
            }
            "draft" => match v {
                Value::Bool(b) => fm.draft = b,
                other => {
                    return Err(Diagnostic::error(
                        path,
                        line_of(&key),
                        1,
                        "front-matter",
                        format!("`draft` must be true or false, found {}", kind(&other)),
                    ))
                }
            },
            "weight" => match v.as_i64() {
                Some(w) => fm.weight = Some(w),
                None => {
                    return Err(Diagnostic::error(
                        path,
                        line_of(&key),
                        1,
                        "front-matter",
                        format!("`weight` must be a whole number, found {}", kind(&v)),
                    ))
                }
            },
            "template" => {
                fm.template_line = line_of(&key);
                fm.template = Some(text(&key, &v)?);
            }
            "slug" => fm.slug = Some(text(&key, &v)?),
            "zone_pivot_groups" => fm.zone_pivot_groups = Some(text(&key, &v)?),
            "aliases" => {
                fm.aliases_line = line_of(&key);
                match v {
                    Value::Array(items) => {
                        for item in items {
                            fm.aliases.push(text(&key, &item)?);
                        }
                    }
                    Value::String(s) => fm.aliases.push(s),
                    other => {
                        return Err(Diagnostic::error(
                            path,
                            line_of(&key),
                            1,
                            "front-matter",
                            format!("`aliases` must be a list of paths, found {}", kind(&other)),
                        ))
                    }
                }
            }
            _ => {
                fm.extra.insert(key, v);
            }
        }
    }
    Ok((fm, warnings))
}

/// TOML values as JSON, with dates and times as their text (serde would make them objects).
pub fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn first_sentence(s: &str) -> String {
    s.lines().next().unwrap_or(s).trim().to_string()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Accepts `2024-04-30`, `2024-04-30T10:00:00Z` and Learn's `4/30/2024` / `04/30/2024`.
pub fn parse_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    let ymd = |y: u32, m: u32, d: u32| -> Option<String> {
        let days = [
            31,
            if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) {
                29
            } else {
                28
            },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        let max = *days.get(m.checked_sub(1)? as usize)?;
        ((1000..=9999).contains(&y) && d >= 1 && d <= max).then(|| format!("{y:04}-{m:02}-{d:02}"))
    };
    if let Some(date) = s.get(..10).filter(|d| d.as_bytes().get(4) == Some(&b'-')) {
        let mut it = date.split('-').map(|p| p.parse::<u32>().ok());
        if let (Some(Some(y)), Some(Some(m)), Some(Some(d))) = (it.next(), it.next(), it.next()) {
            if s.len() == 10 || matches!(s.as_bytes().get(10), Some(b'T' | b' ')) {
                return ymd(y, m, d);
            }
        }
        return None;
    }
    let parts: Vec<&str> = s.split('/').collect();
    if let [m, d, y] = parts.as_slice() {
        let (m, d, y) = (m.parse().ok()?, d.parse().ok()?, y.parse().ok()?);
        return ymd(y, m, d);
    }
    None
}

/// `2023-08-22` -> `August 22, 2023`.
pub fn display_date(iso: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let y = iso.get(0..4)?;
    let m: usize = iso.get(5..7)?.parse().ok()?;
    let d: u32 = iso.get(8..10)?.parse().ok()?;
    Some(format!("{} {d}, {y}", MONTHS.get(m.checked_sub(1)?)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
        let s = split("p.md", text)?;
        let (d, block, line) = s.front.expect("front matter");
        parse("p.md", d, block, line)
    }

    #[test]
    fn yaml_with_learn_keys() {
        let (fm, w) = load("---\ntitle: Hello\nms.date: 8/22/2023\nms.author: someone\nms.topcic: typo kept\n---\nbody").unwrap();
        assert_eq!(fm.title.as_deref(), Some("Hello"));
        assert_eq!(fm.date.as_deref(), Some("2023-08-22"));
        assert_eq!(fm.author.as_deref(), Some("someone"));
        assert!(fm.extra.contains_key("ms.topcic"));
        assert!(w.is_empty());
    }

    #[test]
    fn toml_front_matter() {
        let (fm, _) =
            load("+++\ntitle = \"T\"\nweight = 3\ndate = 2024-01-02\n[extra]\nx = 1\n+++\n")
                .unwrap();
        assert_eq!(fm.weight, Some(3));
        assert_eq!(fm.date.as_deref(), Some("2024-01-02"));
        assert!(fm.extra.contains_key("extra"));
    }

    #[test]
    fn crlf_is_tolerated() {
        let s = split("p.md", "---\r\ntitle: A\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(s.body, "body\r\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn yaml_error_has_the_page_line() {
        let err = load("---\ntitle: ok\nbad: [unclosed\nmore: 1\n---\n").unwrap_err();
        assert!(err.line >= 3 && err.line <= 5, "{err}");
        assert!(err.message.contains("YAML"));
    }

    #[test]
    fn toml_error_has_the_page_line() {
        let err = load("+++\ntitle = \"a\"\nweight = = 2\n+++\n").unwrap_err();
        assert_eq!(err.line, 3, "{err}");
    }

    #[test]
    fn unterminated_is_an_error() {
        let err = split("p.md", "---\ntitle: x\n").unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn bad_date_is_a_warning() {
        let (fm, w) = load("---\nms.date: someday\n---\n").unwrap();
        assert!(fm.date.is_none());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 2);
    }

    #[test]
    fn wrong_type_is_located() {
        let err = load("---\ntitle: a\nweight: heavy\n---\n").unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("11/04/2021").as_deref(), Some("2021-11-04"));
        assert_eq!(parse_date("2021-02-30"), None);
        assert_eq!(
            display_date("2023-08-22").as_deref(),
            Some("August 22, 2023")
        );
    }
}
