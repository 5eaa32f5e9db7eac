//! The `--report` JSON: what was built, what went wrong, where the time went, and a hash
//! of each page's content, which a later build compares against (`--compare-with`). The
//! same hashes go into the output folder as [`MANIFEST`], so a previous output folder
//! serves as well as a previous report.

use std::collections::{BTreeMap, BTreeSet};

use siphasher::sip128::Hasher128;

use serde::Serialize;

use crate::compare::access::Access;
use crate::docfx::repository::AbsentRef;
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
    /// Who can read data in use, per comparison file (three values: `can_read`,
    /// `cannot_read`, `not_present`; an override keeps its reason).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub access: Vec<AccessReport>,
    /// Every include and code block that points into an absent dependent repository.
    pub absent_dependencies: Vec<AbsentRef>,
    /// Page URL (as in `pages`) -> hash of its title and rendered content.
    pub page_hashes: BTreeMap<String, String>,
    /// With `--compare-with`: pages added, changed and removed since that build.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Changes>,
}

/// Pages added, changed and removed since an earlier build (page URLs as in the report).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

/// One comparison file's access matrix, cell by cell in actor-major file order.
#[derive(Debug, Clone, Serialize)]
pub struct AccessReport {
    pub source: String,
    pub cells: Vec<Access>,
}

/// File in the output folder listing every page with its content hash.
pub const MANIFEST: &str = "trustdoc-pages.json";

/// Hash of what a reader sees of a page: its title and its content, not the sidebar or
/// the neighbours' links (which change whenever another page is added).
pub fn content_hash(title: &str, content: &str) -> String {
    let mut h = siphasher::sip128::SipHasher13::new();
    std::hash::Hasher::write(&mut h, title.as_bytes());
    std::hash::Hasher::write(&mut h, &[0]);
    std::hash::Hasher::write(&mut h, content.as_bytes());
    format!("{:032x}", h.finish128().as_u128())
}

/// The [`MANIFEST`] file: `{"pages": {"/url/": "hash", ...}}` (keys as in the report).
pub fn manifest(hashes: &BTreeMap<String, String>) -> String {
    let pages: BTreeMap<String, &String> =
        hashes.iter().map(|(u, h)| (format!("/{u}"), h)).collect();
    let mut s =
        serde_json::to_string_pretty(&serde_json::json!({ "pages": pages })).unwrap_or_default();
    s.push('\n');
    s
}

impl Report {
    /// `pages` are the URL folders of the pages built.
    pub fn new<'a>(
        pages: impl IntoIterator<Item = &'a str>,
        files: &[OutputFile],
        diags: &[Diagnostic],
        externals: &BTreeSet<String>,
        timings: Vec<(String, f64)>,
        page_hashes: BTreeMap<String, String>,
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
            access: Vec::new(),
            absent_dependencies: Vec::new(),
            page_hashes: page_hashes
                .into_iter()
                .map(|(u, h)| (format!("/{u}"), h))
                .collect(),
            changes: None,
        }
    }

    /// Adds the access matrix of every comparison file.
    pub fn with_access(mut self, data: &super::data::Data) -> Report {
        self.access = data
            .comparisons
            .values()
            .map(|(cmp, matrix)| AccessReport {
                source: cmp.path.clone(),
                cells: matrix.cells.iter().flatten().cloned().collect(),
            })
            .collect();
        self
    }
}
