//! `docfx.json`: which files of a Learn repository are pages and which are resources, and
//! where each is published. Each `build.content` / `build.resource` entry names a `src`
//! folder, `files` and `exclude` globs relative to it, and a `dest` folder: a file under
//! `src` that matches `files` and no `exclude` is published at `dest/<path below src>`.
//! Paths here are relative to the folder holding `docfx.json` (the `~/` of its articles).
//! DocFX reads the file with a lenient JSON reader, so comments and trailing commas are
//! accepted here too.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::error::Diagnostic;

pub const DOCFX_FILE: &str = "docfx.json";

#[derive(Debug, Deserialize)]
struct RawFile {
    build: Option<RawBuild>,
}

#[derive(Debug, Deserialize)]
struct RawBuild {
    #[serde(default)]
    content: Vec<RawEntry>,
    #[serde(default)]
    resource: Vec<RawEntry>,
}

/// `files` and `exclude` may be one glob or a list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Globs {
    One(String),
    Many(Vec<String>),
}

impl Globs {
    fn list(&self) -> Vec<&str> {
        match self {
            Globs::One(s) => vec![s.as_str()],
            Globs::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct RawEntry {
    files: Option<Globs>,
    exclude: Option<Globs>,
    src: Option<String>,
    dest: Option<String>,
}

/// One `build.content` or `build.resource` entry, compiled.
#[derive(Debug)]
struct Entry {
    /// Folder prefix relative to the docfx.json folder, `/`-separated, no trailing `/`; "" = that folder.
    src: String,
    dest: String,
    files: GlobSet,
    exclude: GlobSet,
}

impl Entry {
    /// Where `rel` (relative to the docfx.json folder) is published, if this entry takes it.
    fn map(&self, rel: &str) -> Option<String> {
        let below = if self.src.is_empty() {
            rel
        } else {
            rel.strip_prefix(&self.src)?.strip_prefix('/')?
        };
        if !self.files.is_match(below) || self.exclude.is_match(below) {
            return None;
        }
        Some(if self.dest.is_empty() {
            below.to_string()
        } else {
            format!("{}/{below}", self.dest)
        })
    }
}

/// What `docfx.json` says about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Built (a page, a TOC or a data file), published at this path.
    Content(String),
    /// Copied as it is, to this path.
    Resource(String),
    /// Neither: an include file, a draft folder, a file of another tool.
    Unlisted,
}

/// A parsed `docfx.json`.
#[derive(Debug)]
pub struct Project {
    content: Vec<Entry>,
    resource: Vec<Entry>,
}

impl Project {
    /// Parses `docfx.json` text; `display` names the file in diagnostics.
    pub fn parse(display: &str, text: &str) -> Result<Project, Vec<Diagnostic>> {
        let mut clean = text.trim_start_matches('\u{feff}').to_string();
        let at = |line, col, msg: String| Diagnostic::error(display, line, col, "docfx-json", msg);
        // Comments become spaces, so serde_json's line and column still point into the file.
        if json_strip_comments::strip(&mut clean).is_err() {
            return Err(vec![at(0, 0, "a comment is not closed".into())]);
        }
        let raw: RawFile = serde_json::from_str(&clean)
            .map_err(|e| vec![at(e.line(), e.column(), format!("not a docfx.json: {e}"))])?;
        let Some(build) = raw.build else {
            return Err(vec![at(
                1,
                1,
                "no `build` section; expected {\"build\": {\"content\": [...]}}".into(),
            )]);
        };
        let mut diags = Vec::new();
        let mut compile = |entries: &[RawEntry], section: &str| -> Vec<Entry> {
            let mut out = Vec::new();
            for (i, e) in entries.iter().enumerate() {
                let name = format!("build.{section}[{i}]");
                let Some(files) = &e.files else {
                    diags.push(at(0, 0, format!("{name} has no `files`; it is skipped")));
                    continue;
                };
                let set = |globs: Option<&Globs>, diags: &mut Vec<Diagnostic>| {
                    globset(globs.map(Globs::list).unwrap_or_default(), &name, diags)
                };
                let (Some(files), Some(exclude)) = (
                    set(Some(files), &mut diags),
                    set(e.exclude.as_ref(), &mut diags),
                ) else {
                    continue;
                };
                let (Some(src), Some(dest)) = (
                    folder(e.src.as_deref(), &name, "src", &mut diags),
                    folder(e.dest.as_deref(), &name, "dest", &mut diags),
                ) else {
                    continue;
                };
                out.push(Entry {
                    src,
                    dest,
                    files,
                    exclude,
                });
            }
            out
        };
        let content = compile(&build.content, "content");
        let resource = compile(&build.resource, "resource");
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        Ok(Project { content, resource })
    }

    /// The role of a file, by its path relative to the docfx.json folder. Content entries
    /// are tried first, in order, then resource entries; the first match wins.
    pub fn role(&self, rel: &str) -> Role {
        if let Some(to) = self.content.iter().find_map(|e| e.map(rel)) {
            return Role::Content(to);
        }
        if let Some(to) = self.resource.iter().find_map(|e| e.map(rel)) {
            return Role::Resource(to);
        }
        Role::Unlisted
    }
}

/// Compiles globs the way DocFX matches them: relative to `src`, case-insensitive, `*`
/// within one folder, `**` across folders.
fn globset(globs: Vec<&str>, name: &str, diags: &mut Vec<Diagnostic>) -> Option<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let pattern = g.trim().trim_start_matches("./");
        match GlobBuilder::new(pattern)
            .case_insensitive(true)
            .literal_separator(true)
            .build()
        {
            Ok(glob) => {
                b.add(glob);
            }
            Err(e) => {
                diags.push(Diagnostic::error(
                    DOCFX_FILE,
                    0,
                    0,
                    "docfx-json",
                    format!("{name}: glob `{g}` is not valid: {e}"),
                ));
                return None;
            }
        }
    }
    b.build().ok()
}

/// A `src`/`dest` folder as a clean relative prefix; `..`, absolute paths and drive
/// letters would leave the repository and are refused.
fn folder(v: Option<&str>, name: &str, key: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let raw = v.unwrap_or("").trim().replace('\\', "/");
    let refuse = raw.starts_with('/') || raw.get(1..2) == Some(":");
    match crate::resolve::links::normalize(&raw).filter(|_| !refuse) {
        Some(n) => Some(n.trim_end_matches('/').to_string()),
        None => {
            diags.push(Diagnostic::error(
                DOCFX_FILE,
                0,
                0,
                "docfx-json",
                format!(
                    "{name}: {key} \"{raw}\" leaves the repository; expected a folder inside it"
                ),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEARN: &str = r#"{
  // As Learn repositories write it, with comments and a trailing comma.
  "build": {
    "content": [
      { "files": ["**/*.md", "**/*.yml"], "exclude": ["**/includes/**", "**/obj/**"],
        "src": "articles", "dest": "." },
      { "files": "bread/toc.yml", "dest": "bread" },
    ],
    "resource": [
      { "files": ["**/*.png", "**/*.svg"], "exclude": ["**/obj/**"], "src": "articles", "dest": "." }
    ]
  }
}"#;

    #[test]
    fn maps_src_to_dest() {
        let p = Project::parse("docfx.json", LEARN).unwrap();
        assert_eq!(
            p.role("articles/attestation/overview.md"),
            Role::Content("attestation/overview.md".into())
        );
        assert_eq!(
            p.role("articles/index.yml"),
            Role::Content("index.yml".into())
        );
        assert_eq!(p.role("articles/x/includes/a.md"), Role::Unlisted);
        assert_eq!(p.role("includes/a.md"), Role::Unlisted);
        assert_eq!(p.role("README.md"), Role::Unlisted);
        assert_eq!(
            p.role("articles/a/MEDIA/X.PNG"),
            Role::Resource("a/MEDIA/X.PNG".into())
        );
        assert_eq!(
            p.role("bread/toc.yml"),
            Role::Content("bread/bread/toc.yml".into())
        );
        // `*` stays within one folder.
        assert_eq!(p.role("articlesx/a.md"), Role::Unlisted);
    }

    #[test]
    fn errors_are_located() {
        let e = Project::parse("docfx.json", "{\n  \"build\": [1,\n}").unwrap_err();
        assert_eq!(e[0].line, 2);
        let e = Project::parse("docfx.json", "{}").unwrap_err();
        assert!(e[0].message.contains("no `build`"));
        let bad = r#"{"build": {"content": [{"files": ["a/[z"], "src": "."}]}}"#;
        assert!(Project::parse("docfx.json", bad).unwrap_err()[0]
            .message
            .contains("a/[z"));
        let out = r#"{"build": {"content": [{"files": ["*.md"], "src": "../x"}]}}"#;
        assert!(Project::parse("docfx.json", out).unwrap_err()[0]
            .message
            .contains("leaves the repository"));
    }
}
