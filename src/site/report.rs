//! The `--report` JSON: what was built, what went wrong, where the time went.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::error::Diagnostic;
use crate::output::OutputFile;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub pages: Vec<String>,
    pub assets: Vec<String>,
    pub diagrams: Vec<String>,
    pub external_links: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
    /// Stage name and milliseconds, in pipeline order.
    pub timings_ms: Vec<(String, f64)>,
}

impl Report {
    /// `pages` are the URL folders of the pages built.
    pub fn new<'a>(
        pages: impl IntoIterator<Item = &'a str>,
        files: &[OutputFile],
        diags: &[Diagnostic],
        externals: &BTreeSet<String>,
        timings: Vec<(String, f64)>,
    ) -> Report {
        Report {
            pages: pages.into_iter().map(|url| format!("/{url}")).collect(),
            // Pages went to the sink as they rendered; `files` is everything else.
            assets: files.iter().map(|f| f.path.clone()).collect(),
            diagrams: files
                .iter()
                .filter(|f| f.path.ends_with(".svg") && !f.path.starts_with("assets/"))
                .map(|f| f.path.clone())
                .collect(),
            external_links: externals.iter().cloned().collect(),
            warnings: diags.iter().filter(|d| !d.is_error()).cloned().collect(),
            errors: diags.iter().filter(|d| d.is_error()).cloned().collect(),
            timings_ms: timings,
        }
    }
}
