//! Dependent repositories: `.openpublishing.publish.config.json` lists repositories the
//! cloud build clones into `<root>/<path_to_root>`, so an article's `~/<path_to_root>/x.md`
//! is a file of that repository. Each one is present when a writer cloned it there, or
//! when `--dependency NAME=DIR` names a folder for it; otherwise it is absent, and what
//! points into it is shown as a note instead of failing the build. Reads may enter a
//! present dependency's folder and nothing else outside the root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Diagnostic;

pub const PUBLISH_CONFIG: &str = ".openpublishing.publish.config.json";

#[derive(Debug, Deserialize)]
struct RawPublish {
    #[serde(default)]
    dependent_repositories: Vec<RawDependency>,
}

#[derive(Debug, Deserialize)]
struct RawDependency {
    path_to_root: Option<String>,
}

/// Where a dependent repository's files are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repo {
    /// Its folder, resolved (symbolic links followed): reads must stay inside it.
    Present(PathBuf),
    Absent,
}

/// The dependent repositories of a site, by `path_to_root` (`/`-separated, no trailing `/`).
#[derive(Debug, Default, Clone)]
pub struct Dependencies {
    repos: BTreeMap<String, Repo>,
}

/// A file of a dependent repository: the repository's name and the path inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<'a> {
    pub name: &'a str,
    pub repo: &'a Repo,
    pub inner: &'a str,
}

impl Dependencies {
    /// Reads `<root>/.openpublishing.publish.config.json` when there is one and joins the
    /// `--dependency` folders (`given`). A given name the file does not list is a
    /// dependency too (a docset built without its repository's config). Err is a usage
    /// problem with `--dependency` (exit 2); diagnostics are about the config file.
    pub fn resolve(
        root: &Path,
        given: &[(String, PathBuf)],
    ) -> Result<(Dependencies, Vec<Diagnostic>), String> {
        let mut diags = Vec::new();
        let mut repos = BTreeMap::new();
        match std::fs::read_to_string(root.join(PUBLISH_CONFIG)) {
            Ok(text) => match parse_names(&text) {
                Ok(names) => {
                    for n in names {
                        repos.insert(n, Repo::Absent);
                    }
                }
                Err((line, col, msg)) => diags.push(Diagnostic::warning(
                    PUBLISH_CONFIG,
                    line,
                    col,
                    "publish-config",
                    format!("{msg}; dependent repositories are not known"),
                )),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: {e}", root.join(PUBLISH_CONFIG).display())),
        }
        for name in repos.keys().cloned().collect::<Vec<_>>() {
            if let Ok(dir) = root.join(&name).canonicalize() {
                if dir.is_dir() {
                    repos.insert(name, Repo::Present(dir));
                }
            }
        }
        for (name, dir) in given {
            let clean = clean_name(name).ok_or_else(|| {
                format!("--dependency {name}=…: expected a repository name like reusable-content (path_to_root)")
            })?;
            let dir = dir
                .canonicalize()
                .map_err(|e| format!("--dependency {name}={}: {e}", dir.display()))?;
            if !dir.is_dir() {
                return Err(format!(
                    "--dependency {name}={}: not a folder",
                    dir.display()
                ));
            }
            repos.insert(clean, Repo::Present(dir));
        }
        Ok((Dependencies { repos }, diags))
    }

    pub fn is_empty(&self) -> bool {
        self.repos.is_empty()
    }

    /// The dependency a root-relative path points into, if any (longest name first, so
    /// `a/b` wins over `a`).
    pub fn locate<'a>(&'a self, rel: &'a str) -> Option<Located<'a>> {
        self.repos.iter().rev().find_map(|(name, repo)| {
            let inner = rel.strip_prefix(name.as_str())?.strip_prefix('/')?;
            Some(Located { name, repo, inner })
        })
    }

    /// True when a root-relative path lies in a dependency's folder under the root; such
    /// files are never pages or resources of this site.
    pub fn owns(&self, rel: &str) -> bool {
        self.locate(rel).is_some()
    }

    /// The folders reads may enter besides the root.
    pub fn present_dirs(&self) -> impl Iterator<Item = &Path> {
        self.repos.values().filter_map(|r| match r {
            Repo::Present(p) => Some(p.as_path()),
            Repo::Absent => None,
        })
    }
}

/// `path_to_root` values of the publish config, cleaned; Err is (line, col, message).
fn parse_names(text: &str) -> Result<Vec<String>, (usize, usize, String)> {
    let mut clean = text.trim_start_matches('\u{feff}').to_string();
    json_strip_comments::strip(&mut clean)
        .map_err(|_| (0, 0, "a comment is not closed".to_string()))?;
    let raw: RawPublish = serde_json::from_str(&clean)
        .map_err(|e| (e.line(), e.column(), format!("not a publish config: {e}")))?;
    Ok(raw
        .dependent_repositories
        .iter()
        .filter_map(|d| d.path_to_root.as_deref().and_then(clean_name))
        .collect())
}

/// A `path_to_root` as a clean relative folder; None when empty or leaving the root.
fn clean_name(raw: &str) -> Option<String> {
    let s = raw.trim().replace('\\', "/");
    if s.starts_with('/') || s.get(1..2) == Some(":") {
        return None;
    }
    crate::resolve::links::normalize(&s)
        .map(|n| n.trim_end_matches('/').to_string())
        .filter(|n| !n.is_empty())
}

/// Parses `NAME=DIR` for `--dependency`.
pub fn parse_dependency_arg(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((name, dir)) if !name.trim().is_empty() && !dir.is_empty() => {
            Ok((name.trim().to_string(), PathBuf::from(dir)))
        }
        _ => Err(format!(
            "`{s}`: expected NAME=DIR, e.g. reusable-content=../reusable-content"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_the_publish_config() {
        let text = r#"{
  "docsets_to_publish": [{"docset_name": "x", "build_source_folder": "."}],
  "dependent_repositories": [
    {"path_to_root": "reusable-content", "url": "u", "branch": "main"},
    {"path_to_root": "../escape", "url": "u"},
    {"path_to_root": "samples/sub/", "url": "u"},
  ]
}"#;
        assert_eq!(
            parse_names(text).unwrap(),
            ["reusable-content", "samples/sub"]
        );
        assert_eq!(
            parse_names("{\n  \"dependent_repositories\": 3}")
                .unwrap_err()
                .0,
            2
        );
    }

    #[test]
    fn locates_longest_name() {
        let mut d = Dependencies::default();
        d.repos.insert("a".into(), Repo::Absent);
        d.repos
            .insert("a/b".into(), Repo::Present(PathBuf::from("/x")));
        let l = d.locate("a/b/c.md").unwrap();
        assert_eq!((l.name, l.inner), ("a/b", "c.md"));
        assert_eq!(d.locate("a/c.md").unwrap().name, "a");
        assert!(d.locate("ab/c.md").is_none());
        assert!(d.owns("a/x"));
    }

    #[test]
    fn dependency_argument() {
        assert_eq!(
            parse_dependency_arg("rc=../rc").unwrap(),
            ("rc".to_string(), PathBuf::from("../rc"))
        );
        assert!(parse_dependency_arg("rc").is_err());
        assert!(parse_dependency_arg("=x").is_err());
    }
}
