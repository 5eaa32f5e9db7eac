//! Comparison data: loading `trustdoc-comparison/1` files (TOML, YAML, JSON), checking
//! them, deriving who can read data in use, and analysing the decision table.
//!
//! `sniff` tells a comparison file from other data cheaply; `load` parses any of the three
//! formats through one positioned value tree (`tree`) and one typed converter (`load`);
//! `validate` checks references and structure; `decision` checks the decision table for
//! gaps and overlaps under its hit policy; `fits` checks the rules against the models'
//! `fits` (no rule may recommend a model for an answer it cannot serve); `check` runs all.

pub mod access;
mod coverage;
pub mod decision;
pub mod fits;
mod load;
pub mod model;
mod names;
mod region;
pub(crate) mod tree;
mod validate;

#[cfg(test)]
mod tests;

use crate::error::Diagnostic;

pub use decision::{analyze, evaluate};
pub(crate) use names::suggest;
pub use names::SUPPORTED_SCHEMAS;

/// The prefix every comparison schema name shares; `sniff` accepts any version so an
/// unsupported one is reported instead of the file being silently skipped.
const SCHEMA_PREFIX: &str = "trustdoc-comparison/";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Toml,
    Yaml,
    Json,
}

/// Is this file a comparison file? Decided from the extension and a line scan for the
/// schema declaration (TOML `schema = "trustdoc-comparison/…"`, YAML `schema: …` at the
/// top level, JSON `"schema": "…"`), without parsing the file.
pub fn sniff(file_name: &str, src: &str) -> Option<Format> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    let format = match ext.as_str() {
        "toml" => Format::Toml,
        "yaml" | "yml" => Format::Yaml,
        "json" => Format::Json,
        _ => return None,
    };
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let declares = match format {
        Format::Toml => src.lines().any(|l| {
            let l = l.trim_start();
            l.strip_prefix("schema")
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('='))
                .is_some_and(|r| is_schema_value(r.trim_start()))
        }),
        // Top-level key only: it must start the line.
        Format::Yaml => src.lines().any(|l| {
            ["schema:", "\"schema\":", "'schema':"]
                .iter()
                .find_map(|k| l.strip_prefix(k))
                .is_some_and(|r| is_schema_value(r.trim_start()))
        }),
        Format::Json => src.match_indices("\"schema\"").any(|(i, k)| {
            src.get(i + k.len()..)
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix(':'))
                .is_some_and(|r| is_schema_value(r.trim_start()))
        }),
    };
    declares.then_some(format)
}

fn is_schema_value(rest: &str) -> bool {
    let unquoted = rest
        .strip_prefix('"')
        .or_else(|| rest.strip_prefix('\''))
        .unwrap_or(rest);
    unquoted.starts_with(SCHEMA_PREFIX)
}

/// Parses a comparison file. Errors carry `file:line:col` and the key path.
pub fn load(
    display_path: &str,
    src: &str,
    format: Format,
) -> Result<model::Comparison, Vec<Diagnostic>> {
    // Editors hide a byte-order mark, so positions are counted without it.
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let parsed = match format {
        Format::Toml => tree::parse_toml(src),
        Format::Yaml => tree::parse_yaml(src),
        Format::Json => tree::parse_json(src),
    };
    match parsed {
        Ok(root) => load::from_tree(display_path, &root),
        Err(e) => Err(vec![Diagnostic::error(
            display_path,
            e.pos.line,
            e.pos.col,
            "comparison-syntax",
            e.message,
        )]),
    }
}

/// Checks references and structure of a loaded comparison: errors and warnings.
pub fn validate(cmp: &model::Comparison) -> Vec<Diagnostic> {
    let mut diags = validate::validate(cmp);
    diags.extend(fits::validate(cmp));
    diags
}

/// Load, validate and analyse the decision table. The comparison is returned whenever it
/// loaded, even with validation errors, together with every diagnostic.
pub fn check(
    display_path: &str,
    src: &str,
    format: Format,
) -> (Option<model::Comparison>, Vec<Diagnostic>) {
    match load(display_path, src, format) {
        Err(diags) => (None, diags),
        Ok(cmp) => {
            let mut diags = validate(&cmp);
            diags.extend(analyze(&cmp));
            diags.extend(fits::misfits(&cmp, fits::Method::Auto));
            (Some(cmp), diags)
        }
    }
}
