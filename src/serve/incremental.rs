//! Rebuilds for serve: the site stays loaded between edits and each burst of changes
//! produces the new output in memory. The result must equal a fresh full build byte for
//! byte; `tests/serve.rs` holds that over a sequence of edits.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError, Overrides};
use crate::error::Diagnostic;
use crate::output::{Collect, OutputFile};
use crate::site;

/// What one rebuild produced.
pub struct Update {
    /// Every output file of the build.
    pub files: Vec<OutputFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
}

impl Update {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// The loaded site.
pub struct Site {
    root: PathBuf,
    overrides: Overrides,
    cfg: Option<Config>,
}

impl Site {
    pub fn new(root: &Path, overrides: Overrides) -> Site {
        Site {
            root: root.to_path_buf(),
            overrides,
            cfg: None,
        }
    }

    /// The configuration of the last build that could read it.
    pub fn config(&self) -> Option<&Config> {
        self.cfg.as_ref()
    }

    /// Rebuilds after `changed` (absolute paths; empty for the first build). Err only for
    /// I/O trouble outside the content.
    pub fn rebuild(&mut self, changed: &BTreeSet<PathBuf>) -> Result<Update, String> {
        let config_changed = changed.iter().any(|p| {
            p.file_name()
                .is_some_and(|n| n == crate::config::CONFIG_FILE)
        });
        if self.cfg.is_none() || config_changed {
            match Config::load(&self.root, &self.overrides) {
                Ok(c) => self.cfg = Some(c),
                Err(ConfigError::Io(m) | ConfigError::Usage(m)) => return Err(m),
                Err(ConfigError::Content(diagnostics)) => {
                    // Read the file again next time, whatever changes.
                    self.cfg = None;
                    return Ok(Update {
                        files: Vec::new(),
                        diagnostics,
                        pages: 0,
                    });
                }
            }
        }
        let Some(cfg) = &self.cfg else {
            return Err("no configuration".into());
        };
        let sink = Collect::default();
        let outcome = site::build_to(cfg, &sink)?;
        Ok(Update {
            files: sink.into_files(),
            pages: outcome.report.pages.len(),
            diagnostics: outcome.diagnostics,
        })
    }
}
