//! Watching: `notify` with `notify-debouncer-full` on the whole site root (content,
//! templates, assets, trustdoc.toml, comparison data, includes, TOC files). Editor litter
//! (swap, backup and temporary files), version-control folders and the output folder are
//! ignored. Debounced batches that follow each other closely are merged, so a burst of
//! writes or a checkout touching hundreds of files gives one rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

/// How long a file must stay quiet before its change is reported. An editor's save (a
/// test file, a backup, the write or rename, the backup removed) takes well under this.
/// The wait counts in the time from save to page served, so it is kept short.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How long after one batch another may still join it: short for a save (a few paths), so
/// the page is back quickly; longer once a burst is under way (a checkout, a script), so a
/// writer that pauses mid-burst on a busy machine still gives one rebuild.
const SETTLE: Duration = Duration::from_millis(12);
const SETTLE_BURST: Duration = Duration::from_millis(150);
/// More paths than a save touches (file, temporary file, backup, swap file).
const SAVE_PATHS: usize = 4;

pub struct Watcher {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    rx: Receiver<Vec<PathBuf>>,
}

impl Watcher {
    /// Watches `root` recursively, ignoring everything under `skip` (the output folder).
    pub fn new(root: &Path, skip: Vec<PathBuf>) -> Result<Watcher, String> {
        let (tx, rx) = channel();
        let mut debouncer = new_debouncer(DEBOUNCE, None, move |res: DebounceEventResult| {
            let Ok(events) = res else { return };
            let paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| !e.kind.is_access())
                .flat_map(|e| e.paths.iter())
                .filter(|p| relevant(p, &skip))
                .cloned()
                .collect();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        })
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        debouncer
            .watch(root, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        Ok(Watcher {
            _debouncer: debouncer,
            rx,
        })
    }

    /// Waits for the next burst of changes and returns every path it touched, once.
    /// None when the watcher has stopped.
    pub fn next_burst(&self) -> Option<BTreeSet<PathBuf>> {
        let mut paths: BTreeSet<PathBuf> = self.rx.recv().ok()?.into_iter().collect();
        loop {
            let settle = if paths.len() > SAVE_PATHS {
                SETTLE_BURST
            } else {
                SETTLE
            };
            match self.rx.recv_timeout(settle) {
                Ok(more) => paths.extend(more),
                Err(RecvTimeoutError::Timeout) => return Some(paths),
                Err(RecvTimeoutError::Disconnected) => return Some(paths),
            }
        }
    }
}

/// False for editor litter, version-control folders and the output folder.
pub fn relevant(path: &Path, skip: &[PathBuf]) -> bool {
    if skip.iter().any(|s| path.starts_with(s)) {
        return false;
    }
    let ignored_dir = path.components().any(|c| {
        matches!(
            c.as_os_str().to_str(),
            Some(".git" | ".hg" | ".svn" | "target" | "node_modules")
        )
    });
    if ignored_dir {
        return false;
    }
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    !(name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name == ".DS_Store"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            ".kate-swp",
            ".crswap",
        ]
        .iter()
        .any(|ext| lower.ends_with(ext))
        || lower.contains(".tmp."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_litter_and_output() {
        let skip = vec![PathBuf::from("/s/public")];
        for p in [
            "/s/content/a.md",
            "/s/trustdoc.toml",
            "/s/templates/page.html",
        ] {
            assert!(relevant(Path::new(p), &skip), "{p}");
        }
        for p in [
            "/s/content/.a.md.swp",
            "/s/content/a.md~",
            "/s/content/.#a.md",
            "/s/content/#a.md#",
            "/s/content/4913",
            "/s/content/a.md.tmp.1234",
            "/s/public/index.html",
            "/s/.git/index",
        ] {
            assert!(!relevant(Path::new(p), &skip), "{p}");
        }
    }
}
