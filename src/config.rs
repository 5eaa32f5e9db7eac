//! Site configuration: the optional `trustdoc.toml`, read into `RawConfig` (exactly the
//! keys a user may write; unknown keys are errors with their line) and turned into a
//! validated `Config` together with the command-line overrides. Folder keys are checked
//! for containment here, before anything is read or written: the content folder stays
//! inside the site root, and the output folder (which a build replaces wholesale) can
//! never be the root, hold it, or hold or sit among the sources.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Diagnostic, LineIndex};

mod paths;

pub(crate) use paths::resolve as resolve_path;

pub const CONFIG_FILE: &str = "trustdoc.toml";

/// Pages and data files above this size (MB) are refused before they are read.
pub const DEFAULT_MAX_FILE_MB: u64 = 16;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<Spanned<String>>,
    pub language: Option<String>,
    pub content_dir: Option<Spanned<String>>,
    pub output_dir: Option<Spanned<String>>,
    pub docset_root: Option<Spanned<String>>,
    pub safe: Option<bool>,
    /// Largest page or data file read, in MB (default [`DEFAULT_MAX_FILE_MB`]).
    pub max_file_mb: Option<u64>,
    /// Links to folders written as `folder/index.html` and no absolute URLs in pages, so
    /// the output works from any path and from `file://`.
    pub relative_urls: Option<bool>,
    /// Build the full-text search index and show the search box (default true).
    pub search: Option<bool>,
    #[serde(default)]
    pub markdown: RawMarkdown,
    #[serde(default)]
    pub nav: Vec<NavEntry>,
    pub extra: Option<toml::Table>,
    /// The file's text, so spans above can be turned into line and column.
    #[serde(skip)]
    pub source: String,
}

impl RawConfig {
    /// `trustdoc.toml` position of a spanned value (0, 0 when it did not come from the file).
    fn at<T>(&self, v: &Spanned<T>) -> (usize, usize) {
        if self.source.is_empty() {
            return (0, 0);
        }
        LineIndex::new(&self.source).locate(&self.source, v.span().start)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMarkdown {
    pub highlight: Option<bool>,
    pub smart_punctuation: Option<bool>,
}

/// One explicit sidebar entry: a page (`path`, content-relative `.md`) or a `url`, with children.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NavEntry {
    pub title: Option<String>,
    pub path: Option<String>,
    pub url: Option<String>,
    #[serde(default)]
    pub children: Vec<NavEntry>,
}

/// The validated configuration every stage reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub output_dir: PathBuf,
    pub docset_root: PathBuf,
    pub title: String,
    pub description: Option<String>,
    /// Absolute, ends with `/`.
    pub base_url: String,
    /// Path part of `base_url`, starts and ends with `/`.
    pub base_path: String,
    pub language: String,
    pub safe: bool,
    pub strict: bool,
    /// Largest page or data file read, in bytes.
    pub max_file_bytes: u64,
    pub highlight: bool,
    pub smart_punctuation: bool,
    /// See `RawConfig::relative_urls`.
    pub relative_urls: bool,
    pub search: bool,
    pub nav: Vec<NavEntry>,
    pub extra: serde_json::Value,
    /// `--dependency NAME=DIR`: folders of dependent repositories.
    pub dependencies: Vec<(String, PathBuf)>,
}

/// Command-line values that win over the file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub strict: bool,
    pub safe: bool,
    pub dependencies: Vec<(String, PathBuf)>,
}

impl Config {
    /// Reads `root/trustdoc.toml` if present. Err holds located diagnostics (exit 1) or,
    /// for I/O trouble, a plain message (exit 2).
    pub fn load(root: &Path, ov: &Overrides) -> Result<Config, ConfigError> {
        let file = root.join(CONFIG_FILE);
        let raw = match std::fs::read(&file) {
            Ok(bytes) => parse_raw(CONFIG_FILE, &bytes).map_err(ConfigError::Content)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => RawConfig::default(),
            Err(e) => return Err(ConfigError::Io(format!("{}: {e}", file.display()))),
        };
        Config::from_raw(root, raw, ov)
    }

    pub fn from_raw(root: &Path, raw: RawConfig, ov: &Overrides) -> Result<Config, ConfigError> {
        let mut diags = Vec::new();
        let content_dir = match &raw.content_dir {
            Some(dir) => root.join(dir.get_ref()),
            // With no config value and no content/ folder, the root itself is the content.
            None if root.join("content").is_dir() => root.join("content"),
            None => root.to_path_buf(),
        };
        let output_dir = match (&ov.output, &raw.output_dir) {
            (Some(o), _) => o.clone(),
            (None, Some(o)) => root.join(o.get_ref()),
            (None, None) => root.join("public"),
        };
        let docset_root = raw
            .docset_root
            .as_ref()
            .map(|d| root.join(d.get_ref()))
            .unwrap_or_else(|| content_dir.clone());
        let folders = Folders {
            root,
            content: &content_dir,
            output: &output_dir,
            docset: &docset_root,
        };
        match paths::check(&raw, ov, &folders) {
            Ok(found) => diags.extend(found),
            Err(usage) => return Err(ConfigError::Usage(usage)),
        }
        let (base, base_at) = match (&ov.base_url, &raw.base_url) {
            (Some(b), _) => (b.clone(), (0, 0)),
            (None, Some(b)) => (b.get_ref().clone(), raw.at(b)),
            (None, None) => ("http://localhost/".to_string(), (0, 0)),
        };
        let (base_url, base_path) = match normalize_base_url(&base) {
            Ok(v) => v,
            Err(msg) if ov.base_url.is_some() => {
                return Err(ConfigError::Usage(format!("--base-url {base}: {msg}")));
            }
            Err(msg) => {
                diags.push(Diagnostic::error(
                    CONFIG_FILE,
                    base_at.0,
                    base_at.1,
                    "config",
                    msg,
                ));
                ("http://localhost/".into(), "/".into())
            }
        };
        let extra = raw
            .extra
            .map(|t| crate::front_matter::toml_to_json(toml::Value::Table(t)))
            .unwrap_or(serde_json::Value::Object(Default::default()));
        if !diags.is_empty() {
            return Err(ConfigError::Content(diags));
        }
        let title = raw.title.unwrap_or_else(|| {
            root.canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "Documentation".into())
        });
        Ok(Config {
            root: root.to_path_buf(),
            content_dir,
            output_dir,
            docset_root,
            title,
            description: raw.description,
            base_url,
            base_path,
            language: raw.language.unwrap_or_else(|| "en".into()),
            safe: ov.safe || raw.safe.unwrap_or(false),
            strict: ov.strict,
            max_file_bytes: raw
                .max_file_mb
                .unwrap_or(DEFAULT_MAX_FILE_MB)
                .saturating_mul(1 << 20),
            highlight: raw.markdown.highlight.unwrap_or(true),
            smart_punctuation: raw.markdown.smart_punctuation.unwrap_or(false),
            relative_urls: raw.relative_urls.unwrap_or(false),
            search: raw.search.unwrap_or(true),
            nav: raw.nav,
            extra,
            dependencies: ov.dependencies.clone(),
        })
    }
}

/// Why a configuration was refused: located problems in the content (exit 1), trouble
/// reading the file (exit 2), or a bad command-line value (exit 2).
#[derive(Debug)]
pub enum ConfigError {
    Content(Vec<Diagnostic>),
    Io(String),
    Usage(String),
}

/// The folders a configuration names, joined to the root but not yet resolved.
pub(crate) struct Folders<'a> {
    pub root: &'a Path,
    pub content: &'a Path,
    pub output: &'a Path,
    pub docset: &'a Path,
}

pub fn parse_raw(display: &str, bytes: &[u8]) -> Result<RawConfig, Vec<Diagnostic>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}'),
        Err(e) => {
            let idx = LineIndex::new(&String::from_utf8_lossy(bytes));
            let (l, c) = idx.locate(
                &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
                e.valid_up_to(),
            );
            return Err(vec![Diagnostic::error(
                display,
                l,
                c,
                "config",
                "file is not valid UTF-8",
            )]);
        }
    };
    let mut raw = toml::from_str::<RawConfig>(text).map_err(|e| {
        let (l, c) = match e.span() {
            Some(span) => LineIndex::new(text).locate(text, span.start),
            None => (0, 0),
        };
        vec![Diagnostic::error(
            display,
            l,
            c,
            "config",
            with_suggestion(e.message().trim()),
        )]
    })?;
    raw.source = text.to_string();
    Ok(raw)
}

/// serde's "unknown field `titel`, expected one of `title`, …" plus the closest known key.
fn with_suggestion(msg: &str) -> String {
    let Some((word, tail)) = msg
        .strip_prefix("unknown field `")
        .and_then(|r| r.split_once('`'))
    else {
        return msg.to_string();
    };
    let known = tail.split('`').skip(1).step_by(2);
    match crate::compare::suggest(word, known) {
        Some(s) => format!("{msg}; did you mean `{s}`?"),
        None => msg.to_string(),
    }
}

/// `https://example.org/docs` -> (`https://example.org/docs/`, `/docs/`). A bare path such as
/// `/docs/` is accepted too (for hosting under a prefix without a known host).
pub fn normalize_base_url(raw: &str) -> Result<(String, String), String> {
    let raw = raw.trim();
    let mut url = raw.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    let path = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        match rest.find('/') {
            Some(i) if i > 0 => rest[i..].to_string(),
            _ => return Err(format!("base_url `{raw}` has no host name")),
        }
    } else if url.starts_with('/') {
        url.clone()
    } else {
        return Err(format!(
            "base_url `{raw}` must start with http://, https:// or /"
        ));
    };
    if path.contains("..") || path.contains(['"', '<', '>', ' ', '\\']) {
        return Err(format!(
            "base_url `{raw}` has characters that cannot appear in a URL path"
        ));
    }
    Ok((url, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let err = parse_raw("trustdoc.toml", b"title = \"x\"\n\ncolour = 3\n").unwrap_err();
        assert_eq!(err[0].line, 3, "{err:?}");
        assert!(err[0].message.contains("colour"), "{err:?}");
    }

    #[test]
    fn unknown_key_gets_a_suggestion() {
        let err = parse_raw("t", b"titel = \"x\"\n").unwrap_err();
        assert!(err[0].message.ends_with("did you mean `title`?"), "{err:?}");
        let err = parse_raw("t", b"zzzzzz = 1\n").unwrap_err();
        assert!(!err[0].message.contains("did you mean"), "{err:?}");
    }

    #[test]
    fn nested_unknown_key_is_located() {
        let err = parse_raw("t", b"[markdown]\nhighlight = true\nmath = true\n").unwrap_err();
        assert_eq!((err[0].line, err[0].col), (3, 1), "{err:?}");
    }

    #[test]
    fn base_url_forms() {
        assert_eq!(
            normalize_base_url("https://example.org/docs").unwrap(),
            ("https://example.org/docs/".into(), "/docs/".into())
        );
        assert_eq!(normalize_base_url("http://h").unwrap().1, "/");
        assert_eq!(normalize_base_url("/pr/42/").unwrap().1, "/pr/42/");
        assert!(normalize_base_url("example.org").is_err());
        assert!(normalize_base_url("https:///x").is_err());
    }
}
