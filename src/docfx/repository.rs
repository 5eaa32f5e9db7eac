//! A Learn repository as a whole: its `docfx.json` (which loaded files are pages and
//! resources, and where they are published) and its dependent repositories. Without a
//! `docfx.json` at the root, every loaded file keeps its role and path, as for any site;
//! only files inside a dependency's folder are dropped, since they are never pages.

use std::collections::BTreeMap;

use serde::Serialize;

use super::deps::Dependencies;
use super::project::{Project, Role, DOCFX_FILE};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::load::{Kind, SourceFile};

/// What the build needs to know about the repository.
#[derive(Debug, Default)]
pub struct Repository {
    project: Option<Project>,
    pub deps: Dependencies,
    /// Output path of each page source whose published path differs from its source path.
    dest: BTreeMap<String, String>,
    /// Output path of each resource whose published path differs from its source path.
    pub resource_out: BTreeMap<String, String>,
}

/// One include or code block that points into an absent dependent repository.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AbsentRef {
    pub repository: String,
    /// The file holding the reference, as shown in diagnostics.
    pub file: String,
    pub line: usize,
    pub col: usize,
    /// The path as written.
    pub path: String,
}

impl Repository {
    /// Reads `docfx.json` (when the root is the content folder and holds one) and the
    /// dependent repositories. Err is an I/O or usage problem (exit 2).
    pub fn open(cfg: &Config) -> Result<(Repository, Vec<Diagnostic>), String> {
        let (deps, mut diags) = Dependencies::resolve(&cfg.root, &cfg.dependencies)?;
        let mut repo = Repository {
            deps,
            ..Repository::default()
        };
        let file = cfg.root.join(DOCFX_FILE);
        let content_is_root = cfg.content_dir == cfg.root;
        if content_is_root {
            match std::fs::read(&file) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    match Project::parse(DOCFX_FILE, &text) {
                        Ok(p) => repo.project = Some(p),
                        Err(d) => diags.extend(d),
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("{}: {e}", file.display())),
            }
        }
        Ok((repo, diags))
    }

    /// Keeps the loaded files this site builds: never a dependency's file; with
    /// `docfx.json`, only files a content or resource entry lists (plus the redirection
    /// file), resources becoming static files whatever their extension.
    pub fn select(&mut self, files: &mut Vec<SourceFile>) {
        files.retain(|f| !self.deps.owns(&f.rel));
        let Some(project) = &self.project else {
            return;
        };
        let mut dest = BTreeMap::new();
        let mut resource_out = BTreeMap::new();
        files.retain_mut(|f| {
            if f.kind == Kind::Redirects && !f.rel.contains('/') {
                return true;
            }
            match project.role(&f.rel) {
                Role::Content(to) => {
                    if to != f.rel {
                        dest.insert(f.rel.clone(), to);
                    }
                    true
                }
                Role::Resource(to) => {
                    f.kind = Kind::Static;
                    if to != f.rel {
                        resource_out.insert(f.rel.clone(), to);
                    }
                    true
                }
                Role::Unlisted => false,
            }
        });
        self.dest = dest;
        self.resource_out = resource_out;
    }

    /// Where a page source is published (its path below the output folder, before the
    /// `.md` becomes a folder URL).
    pub fn page_path<'a>(&'a self, id: &'a str) -> &'a str {
        self.dest.get(id).map(String::as_str).unwrap_or(id)
    }

    /// Where a static file is written.
    pub fn static_path<'a>(&'a self, rel: &'a str) -> &'a str {
        self.resource_out
            .get(rel)
            .map(String::as_str)
            .unwrap_or(rel)
    }

    /// One warning per absent repository, at its first reference, with the count.
    pub fn absent_warnings(&self, refs: &[AbsentRef]) -> Vec<Diagnostic> {
        let mut by_repo: BTreeMap<&str, Vec<&AbsentRef>> = BTreeMap::new();
        for r in refs {
            by_repo.entry(&r.repository).or_default().push(r);
        }
        by_repo
            .into_iter()
            .filter_map(|(name, mut list)| {
                list.sort();
                let first = list.first()?;
                let n = list.len();
                Some(Diagnostic::warning(
                    &first.file,
                    first.line,
                    first.col,
                    "absent-dependency",
                    format!(
                        "dependent repository `{name}` is not here: {n} reference{} to it (includes, code blocks) show a note instead, the first here (`{}`); clone it to <root>/{name} or pass --dependency {name}=DIR",
                        if n == 1 { "" } else { "s" },
                        first.path
                    ),
                ))
            })
            .collect()
    }
}

/// The visible, accessible note shown in place of content from an absent repository.
pub fn absent_note(repository: &str, path: &str, inline: bool) -> String {
    let text = format!(
        "<strong>Not shown:</strong> <code>{}</code> from the dependent repository <code>{}</code>, which is not in this checkout.",
        crate::escape::html(path),
        crate::escape::html(repository)
    );
    if inline {
        format!("<span class=\"td-missing-dep\" role=\"note\">{text}</span>")
    } else {
        format!("<div class=\"td-missing-dep\" role=\"note\"><p>{text}</p></div>\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(file: &str, line: usize) -> AbsentRef {
        AbsentRef {
            repository: "rc".into(),
            file: file.into(),
            line,
            col: 1,
            path: "~/rc/x.md".into(),
        }
    }

    #[test]
    fn one_warning_per_repository() {
        let repo = Repository::default();
        let w = repo.absent_warnings(&[r("b.md", 3), r("a.md", 9), r("a.md", 2)]);
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].path.as_str(), w[0].line), ("a.md", 2));
        assert!(w[0].message.contains("`rc`") && w[0].message.contains("3 references"));
    }

    #[test]
    fn note_is_escaped() {
        let n = absent_note("r<x>", "~/a\"b.md", true);
        assert!(n.contains("r&lt;x&gt;") && n.contains("a&quot;b.md"), "{n}");
        assert!(n.starts_with("<span") && n.contains("role=\"note\""));
    }
}
