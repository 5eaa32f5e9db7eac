//! The output folder's guard, used by [`crate::output::Staging`] before a build writes
//! anything. A build replaces its output folder wholesale, so it only ever replaces a
//! folder it made itself: every build leaves a stamp file ([`STAMP`]) in its output, and a
//! non-empty folder without one is refused unless the user says `--force`; a folder that
//! holds a Git repository is refused even then. Builds of one output folder take turns
//! through a lock file beside it, and the staging folders (`.NAME.tmp-PID`,
//! `.NAME.old-PID`) that a killed build left behind are removed by the next one.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::config::{resolve_path, Config, CONFIG_FILE};

/// The file every build writes at the top of its output folder.
pub const STAMP: &str = ".trustdoc-output";

/// What the stamp says (the same for every build, so builds stay byte-identical).
pub const STAMP_TEXT: &str = "This folder is the output of a trustdoc build; the next build \
replaces all of it.\n";

/// Err when a build may not replace `out` (a resolved path). Reads only.
pub fn check_owned(out: &Path, force: bool) -> Result<(), String> {
    let shown = out.display();
    let meta = match fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("{shown}: cannot look at the output folder: {e}")),
    };
    if !meta.is_dir() {
        return Err(format!(
            "{shown}: the output path exists and is not a folder; nothing was touched"
        ));
    }
    if fs::symlink_metadata(out.join(".git")).is_ok() {
        return Err(format!(
            "{shown}: the output folder holds a Git repository (.git); a build replaces the \
             whole folder, so it is refused even with --force (nothing was touched); name a \
             folder of its own such as `public`"
        ));
    }
    if force || out.join(STAMP).is_file() {
        return Ok(());
    }
    let mut entries = fs::read_dir(out).map_err(|e| format!("{shown}: {e}"))?;
    if entries.next().is_none() {
        return Ok(());
    }
    Err(format!(
        "{shown}: the output folder is not empty and was not written by trustdoc (it has no \
         {STAMP} file); a build replaces the whole folder, so nothing was touched; name a new \
         or empty folder, or pass --force to replace this one"
    ))
}

/// Creates the missing folders above `out` and returns them, outermost first, so a build
/// that fails can remove them again ([`remove_made`]).
pub fn make_parents(out: &Path) -> Result<Vec<PathBuf>, String> {
    let mut missing = Vec::new();
    let mut cur = out.parent();
    while let Some(p) = cur.filter(|p| !p.as_os_str().is_empty()) {
        if fs::symlink_metadata(p).is_ok() {
            break;
        }
        missing.push(p.to_path_buf());
        cur = p.parent();
    }
    missing.reverse();
    for p in &missing {
        fs::create_dir(p).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    Ok(missing)
}

/// Removes the folders [`make_parents`] made, innermost first, as long as they are empty.
pub fn remove_made(made: &[PathBuf]) {
    for p in made.iter().rev() {
        if fs::remove_dir(p).is_err() {
            break;
        }
    }
}

/// The lock that lets one build at a time stage and swap an output folder. Released when
/// dropped (and by the system when the process dies).
pub struct OutputLock {
    _file: File,
}

/// Takes the lock file `.NAME.lock` in `parent`. When another build holds it, says which
/// process does and waits for it.
pub fn lock(parent: &Path, name: &str) -> Result<OutputLock, String> {
    let path = parent.join(format!(".{name}.lock"));
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| format!("{}: cannot create the output lock: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            let who = if holder.is_empty() {
                "another build".to_string()
            } else {
                format!("another build (process {holder})")
            };
            eprintln!(
                "waiting for {who}, which holds {}, to finish",
                path.display()
            );
            file.lock()
                .map_err(|e| format!("{}: cannot lock: {e}", path.display()))?;
        }
        Err(fs::TryLockError::Error(e)) => {
            return Err(format!("{}: cannot lock: {e}", path.display()));
        }
    }
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = write!(file, "{}", std::process::id());
    Ok(OutputLock { _file: file })
}

/// Removes `.NAME.tmp-PID` and `.NAME.old-PID` folders in `parent` left by builds that are
/// no longer running. Call it holding the lock: no live build of this version has one then.
pub fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let own = std::process::id();
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(pid) = stale_pid(&file_name.to_string_lossy(), name) else {
            continue;
        };
        if pid == own || running(pid) {
            continue;
        }
        let _ = fs::remove_dir_all(e.path());
    }
}

/// The process id in a staging folder name of output `name`.
fn stale_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    let pid = rest
        .strip_prefix(".tmp-")
        .or_else(|| rest.strip_prefix(".old-"))?;
    pid.parse().ok()
}

/// Where `--report FILE` may go. Err when the file is among the sources (the content,
/// docset, templates or assets folders, or the configuration file), which it would
/// overwrite; Ok(Some(path)) with the output-relative path when it is inside the output
/// folder, where it must be written into the new output rather than beside the old one.
pub fn report_target(report: &Path, cfg: &Config) -> Result<Option<String>, String> {
    let at = resolve_path(report);
    let root = resolve_path(&cfg.root);
    let sources = [
        resolve_path(&cfg.content_dir),
        resolve_path(&cfg.docset_root),
        root.join("templates"),
        root.join("assets"),
    ];
    let refused = at == root.join(CONFIG_FILE) || sources.iter().any(|s| at.starts_with(s));
    if refused {
        return Err(format!(
            "--report {}: this file is among the site's sources (content, templates, assets \
             or {CONFIG_FILE}), which a report would overwrite; name a file elsewhere, such \
             as report.json beside the site",
            report.display()
        ));
    }
    let out = resolve_path(&cfg.output_dir);
    match at.strip_prefix(&out) {
        Ok(rel) if !rel.as_os_str().is_empty() => Ok(Some(crate::load::slash_path(rel))),
        Ok(_) => Err(format!(
            "--report {}: this is the output folder itself; name a file",
            report.display()
        )),
        Err(_) => Ok(None),
    }
}

/// Whether process `pid` runs (as far as this system shows it; false where it cannot tell).
fn running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_names_are_recognised() {
        assert_eq!(stale_pid(".public.tmp-42", "public"), Some(42));
        assert_eq!(stale_pid(".public.old-7", "public"), Some(7));
        assert_eq!(stale_pid(".public.tmp-x", "public"), None);
        assert_eq!(stale_pid(".other.tmp-42", "public"), None);
        assert_eq!(stale_pid("public.tmp-42", "public"), None);
    }

    #[test]
    fn unowned_folders_are_refused() {
        let t = tempfile::tempdir().expect("tempdir");
        let out = t.path().join("out");
        assert!(check_owned(&out, false).is_ok(), "absent");
        fs::create_dir(&out).expect("mkdir");
        assert!(check_owned(&out, false).is_ok(), "empty");
        fs::write(out.join("thesis.txt"), "mine").expect("write");
        assert!(check_owned(&out, false).is_err());
        assert!(check_owned(&out, true).is_ok());
        fs::write(out.join(STAMP), STAMP_TEXT).expect("write");
        assert!(check_owned(&out, false).is_ok());
        fs::create_dir(out.join(".git")).expect("mkdir");
        assert!(check_owned(&out, true).is_err());
    }

    #[test]
    fn made_parents_are_removed_again() {
        let t = tempfile::tempdir().expect("tempdir");
        let out = t.path().join("a/b/out");
        let made = make_parents(&out).expect("parents");
        assert_eq!(made.len(), 2);
        assert!(t.path().join("a/b").is_dir());
        remove_made(&made);
        assert!(!t.path().join("a").exists());
    }
}
