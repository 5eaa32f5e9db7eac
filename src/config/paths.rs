//! Folder containment for the configuration. Every folder is resolved the way the file
//! system will see it (absolute, `..` applied, symbolic links followed as far as the path
//! exists) before it is compared, so neither `..` nor a link can move the content folder
//! out of the site root or point the output folder at sources. The output folder matters
//! most: a build swaps a new folder in for it, so whatever it names is deleted.

use std::path::{Component, Path, PathBuf};

use toml::Spanned;

use super::{Folders, Overrides, RawConfig, CONFIG_FILE};
use crate::error::Diagnostic;

/// How many entries of an existing output folder are looked at for Markdown sources.
const SCAN_LIMIT: usize = 100_000;

/// Where a folder setting came from, for the message.
enum Origin<'a> {
    File(&'a str, (usize, usize)),
    Flag,
    Default(&'a str),
}

impl Origin<'_> {
    fn diagnostic(&self, message: String) -> Diagnostic {
        match self {
            Origin::File(key, (l, c)) => {
                Diagnostic::error(CONFIG_FILE, *l, *c, "config", format!("{key}: {message}"))
            }
            Origin::Default(name) => Diagnostic::error(*name, 0, 0, "config", message),
            Origin::Flag => Diagnostic::error("--output", 0, 0, "config", message),
        }
    }
}

/// Located problems with the folders (exit 1), or Err with a message about `--output`
/// (a usage error, exit 2).
pub(crate) fn check(
    raw: &RawConfig,
    ov: &Overrides,
    f: &Folders<'_>,
) -> Result<Vec<Diagnostic>, String> {
    let origin = |v: &Option<Spanned<String>>, key: &'static str, default: &'static str| match v {
        Some(s) => Origin::File(key, raw.at(s)),
        None => Origin::Default(default),
    };
    let root = resolve(f.root);
    let content = resolve(f.content);
    let docset = resolve(f.docset);
    let mut diags = Vec::new();

    let content_origin = origin(&raw.content_dir, "content_dir", "content");
    if !content.starts_with(&root) {
        diags.push(content_origin.diagnostic(format!(
            "the content folder resolves to {}, outside the site root {}; expected a folder \
             inside the site root (no `..` or links leading out)",
            content.display(),
            root.display()
        )));
    }
    if !docset.starts_with(&root) {
        let o = origin(&raw.docset_root, "docset_root", "docset_root");
        diags.push(o.diagnostic(format!(
            "the docset root resolves to {}, outside the site root {}; expected a folder \
             inside the site root",
            docset.display(),
            root.display()
        )));
    }

    let out_origin = if ov.output.is_some() {
        Origin::Flag
    } else {
        origin(&raw.output_dir, "output_dir", "public")
    };
    let out = resolve(f.output);
    // The file can come from anyone who can change the repository; only the command line
    // may send the output elsewhere.
    let outside = matches!(out_origin, Origin::File(..)) && !out.starts_with(&root);
    let problem = output_problem(&out, &root, &content, &docset).or_else(|| {
        outside.then(|| {
            format!(
                "the output folder resolves to {}, outside the site root {}; expected a folder \
             inside the site root (use --output for one elsewhere)",
                out.display(),
                root.display()
            )
        })
    });
    if let Some(problem) = problem {
        let msg = format!(
            "{problem}; a build replaces the whole output folder, so expected a folder of its \
             own such as `public` (nothing was deleted)"
        );
        match out_origin {
            Origin::Flag => return Err(format!("--output {}: {msg}", f.output.display())),
            o => diags.push(o.diagnostic(msg)),
        }
    }
    Ok(diags)
}

/// Why `out` cannot be the output folder, if it cannot.
fn output_problem(out: &Path, root: &Path, content: &Path, docset: &Path) -> Option<String> {
    let shown = out.display();
    if out == root {
        return Some(format!("the output folder {shown} is the site root itself"));
    }
    if root.starts_with(out) {
        return Some(format!("the output folder {shown} holds the site root"));
    }
    if content.starts_with(out) {
        return Some(format!(
            "the output folder {shown} holds the content folder"
        ));
    }
    if docset.starts_with(out) {
        return Some(format!("the output folder {shown} holds the docset root"));
    }
    for name in ["templates", "assets", CONFIG_FILE] {
        if root.join(name).starts_with(out) {
            return Some(format!("the output folder {shown} is the site's `{name}`"));
        }
        // Assets are copied into the output: inside them it would copy itself each build.
        if out.starts_with(root.join(name)) {
            return Some(format!(
                "the output folder {shown} is inside the site's `{name}`"
            ));
        }
    }
    if out.components().any(|c| c.as_os_str() == ".git") {
        return Some(format!(
            "the output folder {shown} is inside a Git repository's `.git` folder"
        ));
    }
    let meta = std::fs::symlink_metadata(out).ok();
    if meta.as_ref().is_some_and(|m| !m.is_dir()) {
        return Some(format!(
            "the output path {shown} exists and is not a folder"
        ));
    }
    if out.starts_with(content) {
        // A content folder that is the site root may hold the output (the default
        // `public/` of a plain Markdown folder); the loader skips it. Anywhere else inside
        // the content it would be read back as content.
        if content != root {
            return Some(format!(
                "the output folder {shown} is inside the content folder {}",
                content.display()
            ));
        }
        if meta.is_some() {
            if let Some(src) = markdown_inside(out) {
                return Some(format!(
                    "the output folder {shown} holds Markdown sources (such as {})",
                    src.display()
                ));
            }
        }
    }
    None
}

/// The first Markdown file or TOC under `dir`, if any (looked at up to `SCAN_LIMIT` entries).
fn markdown_inside(dir: &Path) -> Option<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .take(SCAN_LIMIT)
        .flatten()
        .find(|e| {
            let name = e.file_name().to_string_lossy().to_ascii_lowercase();
            e.file_type().is_file()
                && (name.ends_with(".md") || name.ends_with(".markdown") || name == "toc.yml")
        })
        .map(|e| e.into_path())
}

/// `p` as the file system will see it: absolute, `.` and `..` applied, and every existing
/// symbolic link along the way followed. Parts that do not exist yet are kept as written.
pub(crate) fn resolve(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let mut cur = PathBuf::new();
    for comp in abs.components() {
        match comp {
            Component::Prefix(_) | Component::RootDir => cur.push(comp.as_os_str()),
            Component::CurDir => {}
            // `cur` never holds a link (each step is canonical), so dropping the last
            // name is exactly what the file system does with `..`.
            Component::ParentDir => {
                cur.pop();
            }
            Component::Normal(name) => {
                let next = cur.join(name);
                cur = match next.canonicalize() {
                    Ok(real) => real,
                    Err(_) => next,
                };
            }
        }
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_applies_dots_and_links() {
        let t = tempfile::tempdir().expect("tempdir");
        let base = t.path().canonicalize().expect("canon");
        std::fs::create_dir_all(base.join("a/b")).expect("mkdir");
        assert_eq!(resolve(&base.join("a/./b/../b/new/..")), base.join("a/b"));
        assert_eq!(resolve(&base.join("a/missing/x")), base.join("a/missing/x"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("a/b"), base.join("link")).expect("link");
            assert_eq!(resolve(&base.join("link/..")), base.join("a"));
        }
    }

    #[test]
    fn output_cannot_hold_sources() {
        let r = Path::new("/s");
        let c = Path::new("/s/content");
        let bad = ["/s", "/", "/s/content", "/s/content/x", "/s/templates"];
        for out in bad {
            assert!(output_problem(Path::new(out), r, c, c).is_some(), "{out}");
        }
        assert!(output_problem(Path::new("/s/public"), r, c, c).is_none());
        assert!(output_problem(Path::new("/elsewhere/out"), r, c, c).is_none());
    }
}
