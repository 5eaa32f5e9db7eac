//! Output: the one place that writes to disk. A build renders into `OutputFile`s in memory;
//! `write` puts them in a fresh temporary folder beside the output folder and swaps it in
//! only when everything was written, so a failed build leaves the last good site untouched.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OutputFile {
    /// Output-relative, `/`-separated; never absolute, never `..`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// Rejects output paths that could leave the output folder.
pub fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != ".." && seg != "." && !seg.contains(':'))
}

/// Writes `files` to `out_dir` atomically (as far as the file system allows: the old folder
/// is replaced by two renames).
pub fn write(out_dir: &Path, files: &[OutputFile]) -> Result<(), String> {
    let parent = out_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    fs::create_dir_all(&parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let result = write_all(&tmp, files);
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let had_old = out_dir.exists();
    if had_old {
        fs::rename(out_dir, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&tmp);
            format!(
                "{}: cannot move the previous output aside: {e}",
                out_dir.display()
            )
        })?;
    }
    if let Err(e) = fs::rename(&tmp, out_dir) {
        if had_old {
            let _ = fs::rename(&old, out_dir);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(format!(
            "{}: cannot put the new output in place: {e}",
            out_dir.display()
        ));
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
}

fn write_all(dir: &Path, files: &[OutputFile]) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut made = std::collections::BTreeSet::new();
    for f in files {
        if !safe_relative(&f.path) {
            return Err(format!(
                "refusing to write outside the output folder: {}",
                f.path
            ));
        }
        let target = dir.join(&f.path);
        if let Some(p) = target.parent() {
            if made.insert(p.to_path_buf()) {
                fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))?;
            }
        }
        let mut file =
            fs::File::create(&target).map_err(|e| format!("{}: {e}", target.display()))?;
        file.write_all(&f.bytes)
            .map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escaping_paths() {
        assert!(safe_relative("a/b.html"));
        for bad in ["", "/etc/x", "../x", "a/../../x", "a//b", "c:/x", "a\\b"] {
            assert!(!safe_relative(bad), "{bad}");
        }
    }

    #[test]
    fn swaps_in_new_output() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        write(&out, &[OutputFile::new("a/index.html", "one")]).unwrap();
        write(&out, &[OutputFile::new("b.html", "two")]).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "two");
        let leftovers: Vec<_> = fs::read_dir(t.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
