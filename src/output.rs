//! Output: the one place that writes to disk. A build renders into `OutputFile`s and hands
//! them to a [`Sink`]: [`Staging`] writes them into a fresh temporary folder beside the
//! output folder and swaps it in only when the build succeeded, so a failed build leaves
//! the last good site untouched; [`Collect`] keeps them in memory; [`Discard`] drops them.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::outdir;

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

/// Where a build puts its files. Pages arrive from many threads while they are rendered,
/// so a large site never holds all of its HTML in memory at once.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), String>;
}

/// Keeps every file in memory (tests, and `site::build`).
#[derive(Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Collect {
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// Drops every file (`trustdoc check`).
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> Result<(), String> {
        Ok(())
    }
}

/// A fresh temporary folder beside the output folder. Files are written into it as they
/// come; [`Staging::commit`] swaps it in for the output folder with two renames, and a
/// staging dropped without a commit (a failed build) is removed, leaving the last good
/// site untouched. It holds the output's lock ([`crate::outdir`]) from start to swap.
pub struct Staging {
    out_dir: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
    /// Folders already created inside `tmp`.
    made: Mutex<BTreeSet<PathBuf>>,
    committed: bool,
    lock: Option<(outdir::OutputLock, PathBuf)>,
    /// Folders above the output this build created (removed again if it fails).
    parents: Vec<PathBuf>,
}

impl Staging {
    /// A staging folder for an output folder that must be absent, empty or stamped.
    pub fn new(out_dir: &Path) -> Result<Staging, String> {
        Staging::open(out_dir, false)
    }

    /// A staging folder for `out_dir`; `force` allows replacing a folder without the stamp.
    pub fn open(out_dir: &Path, force: bool) -> Result<Staging, String> {
        let out_dir = crate::config::resolve_path(out_dir);
        outdir::check_owned(&out_dir, force)?;
        let parent = out_dir
            .parent()
            .map(Path::to_path_buf)
            .ok_or_else(|| format!("{}: cannot be the output folder", out_dir.display()))?;
        let name = out_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parents = outdir::make_parents(&out_dir)?;
        let mut staging = Staging {
            tmp: parent.join(format!(".{name}.tmp-{}", std::process::id())),
            old: parent.join(format!(".{name}.old-{}", std::process::id())),
            out_dir,
            made: Mutex::new(BTreeSet::new()),
            committed: false,
            lock: None,
            parents,
        };
        // Dropping `staging` on an error below removes what it made.
        let lock = outdir::lock(&parent, &name)?;
        staging.lock = Some((lock, parent.join(format!(".{name}.lock"))));
        outdir::check_owned(&staging.out_dir, force)?;
        outdir::remove_stale(&parent, &name);
        let tmp = &staging.tmp;
        let _ = fs::remove_dir_all(tmp);
        fs::create_dir(tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
        fs::write(tmp.join(outdir::STAMP), outdir::STAMP_TEXT)
            .map_err(|e| format!("{}: {e}", tmp.display()))?;
        Ok(staging)
    }

    /// The output folder, resolved (`..` applied, links followed).
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// Replaces the output folder by everything put so far.
    pub fn commit(mut self) -> Result<(), String> {
        let out_dir = self.out_dir.clone();
        let had_old = out_dir.exists();
        if had_old {
            fs::rename(&out_dir, &self.old).map_err(|e| {
                format!(
                    "{}: cannot move the previous output aside: {e}",
                    out_dir.display()
                )
            })?;
        }
        if let Err(e) = fs::rename(&self.tmp, &out_dir) {
            if had_old {
                let _ = fs::rename(&self.old, &out_dir);
            }
            return Err(format!(
                "{}: cannot put the new output in place: {e}",
                out_dir.display()
            ));
        }
        self.committed = true;
        if had_old {
            let _ = fs::remove_dir_all(&self.old);
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), String> {
        if !safe_relative(&file.path) {
            return Err(format!(
                "refusing to write outside the output folder: {}",
                file.path
            ));
        }
        let target = self.tmp.join(&file.path);
        if let Some(p) = target.parent() {
            // The folder is made while the lock is held: a second file for the same folder
            // waits until it exists instead of being written into nothing.
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(p) {
                fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))?;
                made.insert(p.to_path_buf());
            }
        }
        let mut f = fs::File::create(&target).map_err(|e| format!("{}: {e}", target.display()))?;
        f.write_all(&file.bytes)
            .map_err(|e| format!("{}: {e}", target.display()))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
        let lock = self.lock.take();
        if !self.committed && !self.parents.is_empty() {
            // The folders above the output are this build's own, and so is the lock file.
            if let Some((lock, path)) = lock {
                drop(lock);
                let _ = fs::remove_file(path);
            }
            outdir::remove_made(&self.parents);
        }
    }
}

/// Writes `files` to `out_dir` atomically (as far as the file system allows: the old folder
/// is replaced by two renames).
pub fn write(out_dir: &Path, files: &[OutputFile]) -> Result<(), String> {
    let staging = Staging::new(out_dir)?;
    for f in files {
        staging.put(f.clone())?;
    }
    staging.commit()
}

/// The bytes the previous build wrote at `rel` under `out_dir`, for work a rebuild may
/// keep: a regular file (not a symbolic link) of at most 64 MB, or nothing.
pub fn previous_file(out_dir: &Path, rel: &str) -> Option<Vec<u8>> {
    if !safe_relative(rel) {
        return None;
    }
    let path = out_dir.join(rel);
    let meta = fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 64 << 20 {
        return None;
    }
    fs::read(path).ok()
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
    fn files_put_at_once_into_one_new_folder_all_land() {
        // Pages are handed to the sink while they render, several at a time: a file must
        // never be written before its folder exists because another thread claimed it.
        let t = tempfile::tempdir().unwrap();
        let staging = Staging::new(&t.path().join("public")).unwrap();
        let threads = 4;
        let barrier = std::sync::Barrier::new(threads);
        std::thread::scope(|scope| {
            for n in 0..threads {
                let (staging, barrier) = (&staging, &barrier);
                scope.spawn(move || {
                    for folder in 0..300 {
                        barrier.wait();
                        let path = format!("f{folder}/g/{n}.html");
                        staging.put(OutputFile::new(path, "x")).unwrap();
                    }
                });
            }
        });
        for folder in 0..300 {
            for n in 0..threads {
                assert!(staging.tmp.join(format!("f{folder}/g/{n}.html")).is_file());
            }
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
        let leftovers: Vec<_> = fs::read_dir(t.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name() != ".public.lock")
            .collect();
        assert_eq!(leftovers.len(), 1);
        assert!(out.join(crate::outdir::STAMP).is_file());
    }

    #[test]
    fn staging_dropped_without_commit_leaves_the_output_alone() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("public");
        write(&out, &[OutputFile::new("keep.html", "old")]).unwrap();
        {
            let s = Staging::new(&out).unwrap();
            s.put(OutputFile::new("new.html", "new")).unwrap();
            assert!(s.put(OutputFile::new("../escape.html", "x")).is_err());
        }
        assert_eq!(fs::read_to_string(out.join("keep.html")).unwrap(), "old");
        assert!(!out.join("new.html").exists());
        let names: Vec<_> = fs::read_dir(t.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name() != ".public.lock")
            .collect();
        assert_eq!(names.len(), 1, "the staging folder was removed");
        assert!(!t.path().join("escape.html").exists());
    }
}
