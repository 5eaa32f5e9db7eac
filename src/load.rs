//! Load: walks the content folder (walkdir, following symlinks but never out of the site
//! root and never around a loop), reads every file, and sorts it into pages, comparison
//! data, navigation files and static files. Nothing here interprets content.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{is_read_failure, read_kind, Diagnostic, READ_ERROR};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Markdown,
    /// `index.yml` landing pages and FAQ pages written in Learn's YAML.
    LearnYaml,
    /// `toc.yml` / `TOC.yml`.
    Toc,
    /// `.openpublishing.redirection.json`.
    Redirects,
    /// A `.toml`/`.yaml`/`.yml`/`.json` file; comparison files are told apart later by their schema line.
    Data,
    Static,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Content-relative, `/`-separated.
    pub rel: String,
    /// Shown to users: root-relative where possible.
    pub display: String,
    pub abs: PathBuf,
    pub kind: Kind,
    pub bytes: Vec<u8>,
}

/// Folder names never treated as content when the site root is itself the content folder.
const SKIP_DIRS: [&str; 5] = ["public", "templates", "assets", "target", "node_modules"];

pub fn classify(rel: &str) -> Kind {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    if lower == "toc.yml" || lower == "toc.yaml" {
        return Kind::Toc;
    }
    if lower == ".openpublishing.redirection.json" {
        return Kind::Redirects;
    }
    match lower.rsplit_once('.').map(|(_, ext)| ext) {
        Some("md" | "markdown") => Kind::Markdown,
        Some("yml" | "yaml") => Kind::Data,
        Some("toml" | "json") => Kind::Data,
        _ => Kind::Static,
    }
}

/// Reads the whole content folder. File-system trouble inside it is reported as diagnostics;
/// an unreadable content folder itself is an I/O error (Err).
pub fn load(cfg: &Config) -> Result<(Vec<SourceFile>, Vec<Diagnostic>), String> {
    let content = &cfg.content_dir;
    if !content.is_dir() {
        return Err(format!(
            "content folder {} does not exist",
            content.display()
        ));
    }
    let root_canon = cfg
        .root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", cfg.root.display()))?;
    let content_canon = content
        .canonicalize()
        .map_err(|e| format!("{}: {e}", content.display()))?;
    let out_canon = cfg.output_dir.canonicalize().ok();
    let content_is_root = content_canon == root_canon;
    let refused = std::cell::RefCell::new(Vec::new());
    let mut diags = Vec::new();
    let mut found: Vec<(String, PathBuf)> = Vec::new();

    let walker = WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            if e.depth() == 0 {
                return true;
            }
            if name.starts_with('.') && name != ".openpublishing.redirection.json" {
                return false;
            }
            // Whatever a symbolic link says, what it points at must live inside the site
            // root. Only links need the check: everything below a checked folder is inside.
            if e.path_is_symlink() {
                match e.path().canonicalize() {
                    Ok(c) if c.starts_with(&root_canon) => {}
                    Ok(_) => {
                        refused.borrow_mut().push(Diagnostic::error(
                            display(cfg, e.path()),
                            0,
                            0,
                            "outside-root",
                            "links to a file outside the site root; refused",
                        ));
                        return false;
                    }
                    Err(err) => {
                        refused.borrow_mut().push(Diagnostic::error(
                            display(cfg, e.path()),
                            0,
                            0,
                            read_kind(&err, "file-system"),
                            format!("cannot read: {err}"),
                        ));
                        return false;
                    }
                }
            }
            if e.file_type().is_dir() {
                if content_is_root && e.depth() == 1 && SKIP_DIRS.contains(&name.as_ref()) {
                    return false;
                }
                if let (Some(out), Ok(c)) = (&out_canon, e.path().canonicalize()) {
                    if &c == out {
                        return false;
                    }
                }
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| display(cfg, p))
                    .unwrap_or_else(|| display(cfg, content));
                let kind = e
                    .io_error()
                    .map_or("file-system", |io| read_kind(io, "file-system"));
                let msg = if e.loop_ancestor().is_some() {
                    "symbolic link loop: this folder links back to one of its parents; skipped"
                        .to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        e.io_error()
                            .map(|io| io.to_string())
                            .unwrap_or_else(|| e.to_string())
                    )
                };
                diags.push(Diagnostic::error(path, 0, 0, kind, msg));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Ok(rel) = path.strip_prefix(content) else {
            continue;
        };
        let rel = slash_path(rel);
        if content_is_root && rel == crate::config::CONFIG_FILE {
            continue;
        }
        found.push((rel, path.to_path_buf()));
    }

    diags.extend(refused.into_inner());
    diags.extend(collisions(cfg, &found));

    let read: Vec<Result<SourceFile, Diagnostic>> = found
        .into_par_iter()
        .map(|(rel, abs)| {
            let kind = classify(&rel);
            let disp = display(cfg, &abs);
            if kind != Kind::Static {
                if let Some(d) = too_large(&abs, &disp, cfg.max_file_bytes) {
                    return Err(d);
                }
            }
            match std::fs::read(&abs) {
                Ok(bytes) => Ok(SourceFile {
                    rel,
                    display: disp,
                    abs,
                    kind,
                    bytes,
                }),
                Err(e) if is_read_failure(&e) => Err(Diagnostic::error(
                    disp,
                    0,
                    0,
                    READ_ERROR,
                    format!("cannot read: {e}"),
                )),
                Err(e) => Err(Diagnostic::error(
                    disp,
                    0,
                    0,
                    "file-system",
                    format!("cannot read: {e} (did it disappear during the build?)"),
                )),
            }
        })
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    Ok((files, diags))
}

/// Errors for paths that differ only in letter case or Unicode normalization (`Foo.md`
/// beside `foo.md`, NFC beside NFD `ümlaut.md`), files and folders alike: on macOS and
/// Windows hosting they are one name, and one output would overwrite the other.
fn collisions(cfg: &Config, found: &[(String, PathBuf)]) -> Vec<Diagnostic> {
    use std::collections::BTreeMap;
    use unicode_normalization::UnicodeNormalization;
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut diags = Vec::new();
    let mut reported = std::collections::BTreeSet::new();
    for (rel, _) in found {
        // The file and each folder above it, shortest first.
        let mut prefix = String::new();
        for (i, seg) in rel.split('/').enumerate() {
            if i > 0 {
                prefix.push('/');
            }
            prefix.push_str(seg);
            let key: String = prefix.nfc().collect::<String>().to_lowercase();
            match names.get(&key) {
                None => {
                    names.insert(key, prefix.clone());
                }
                Some(first) if *first == prefix => {}
                Some(first) => {
                    if reported.insert(key.clone()) {
                        let shown = |r: &str| display(cfg, &cfg.content_dir.join(r));
                        diags.push(Diagnostic::error(
                            shown(&prefix),
                            0,
                            0,
                            "name-collision",
                            format!(
                                "this name and `{}` differ only in letter case or Unicode \
                                 normalization; on case-insensitive hosting (macOS, Windows) \
                                 one would overwrite the other, so rename one of them",
                                shown(first)
                            ),
                        ));
                    }
                    break;
                }
            }
        }
    }
    diags
}

/// An error when the file at `abs` is larger than `limit` bytes, found before reading it
/// (a sparse 1 GB page would otherwise be read, parsed and rendered whole).
fn too_large(abs: &Path, disp: &str, limit: u64) -> Option<Diagnostic> {
    let len = std::fs::metadata(abs).ok()?.len();
    if len <= limit {
        return None;
    }
    let mb = |n: u64| n.div_ceil(1 << 20);
    Some(Diagnostic::error(
        disp,
        0,
        0,
        "too-large",
        format!(
            "this file is {} MB; the limit is {} MB for pages and data files (raise \
             `max_file_mb` in trustdoc.toml if it is meant to be this large)",
            mb(len),
            limit >> 20
        ),
    ))
}

/// A path with `/` separators whatever the platform (site paths and URLs use `/`).
pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A path as users see it in messages: relative to the site root when inside it.
pub fn display(cfg: &Config, path: &Path) -> String {
    let s = slash_path(path.strip_prefix(&cfg.root).unwrap_or(path));
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

/// Decodes a text file: strips a BOM, rejects invalid UTF-8 with the line and column of the
/// first bad byte.
pub fn text(file: &SourceFile) -> Result<&str, Diagnostic> {
    match std::str::from_utf8(&file.bytes) {
        Ok(t) => Ok(t.strip_prefix('\u{feff}').unwrap_or(t)),
        Err(e) => {
            let good = &file.bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = good.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            Err(Diagnostic::error(
                &file.display,
                line,
                col,
                "encoding",
                "this file is not valid UTF-8; save it as UTF-8",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies() {
        assert_eq!(classify("a/b.md"), Kind::Markdown);
        assert_eq!(classify("TOC.yml"), Kind::Toc);
        assert_eq!(classify("x/models.toml"), Kind::Data);
        assert_eq!(classify("img/a.PNG"), Kind::Static);
        assert_eq!(
            classify(".openpublishing.redirection.json"),
            Kind::Redirects
        );
    }

    #[test]
    fn bad_utf8_is_located() {
        let f = SourceFile {
            rel: "a.md".into(),
            display: "a.md".into(),
            abs: PathBuf::new(),
            kind: Kind::Markdown,
            bytes: b"ok\nab\xffc".to_vec(),
        };
        let e = text(&f).unwrap_err();
        assert_eq!((e.line, e.col), (2, 3));
    }
}
