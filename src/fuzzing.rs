//! Fuzz harness bodies. The `cargo fuzz` targets in `fuzz/` and the regression test
//! `tests/fuzz_regressions.rs` call these same functions, so an input that once crashed a
//! target is replayed by plain `cargo test`. Each function takes arbitrary bytes, must
//! never panic, and checks a few invariants the stage promises (a broken one panics on
//! purpose, so the fuzzer reports it).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::compare::{self, access, Format};
use crate::docfx::{self, Host, PivotConfig, Preprocessed};
use crate::{config, diagram, directives, front_matter, site};

/// Front matter: split, then parse the block as YAML or TOML; dates too.
pub fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let Ok(split) = front_matter::split("page.md", text) else {
        return;
    };
    // The body is a suffix of the text; its line is past the front matter.
    assert!(
        text.ends_with(split.body),
        "body is not a suffix of the page"
    );
    assert!(split.body_line >= 1);
    let Some((delim, block, first_line)) = split.front else {
        assert_eq!(split.body.len(), text.len());
        return;
    };
    if let Ok((fm, diags)) = front_matter::parse("page.md", delim, block, first_line) {
        for d in &diags {
            let _ = d.to_string();
        }
        if let Some(date) = &fm.date {
            let _ = front_matter::display_date(date);
        }
    }
    for line in block.lines().take(64) {
        if let Some(iso) = front_matter::parse_date(line) {
            let _ = front_matter::display_date(&iso);
        }
    }
}

/// An in-memory DocFX host: `url` escapes, `read` serves a few fixed files (and the input
/// itself as `self.md`), `markdown` recurses through `preprocess`; as in the core, `read`
/// refuses a file already being rendered and nesting deeper than a few levels.
struct FuzzHost<'a> {
    me: &'a str,
    pivots: PivotConfig,
    chain: RefCell<Vec<String>>,
}

const FUZZ_INCLUDE: &str =
    "Included text with a [link](other.md) and `code`.\n\n> [!NOTE]\n> A note.\n";
const FUZZ_CODE: &str =
    "fn main() {\n    println!(\"hi\");\n}\n// <snippet>\nlet x = 1;\n// </snippet>\n";

impl Host for FuzzHost<'_> {
    fn url(&self, raw: &str, _line: usize, _col: usize, _is_image: bool) -> String {
        crate::escape::html(raw)
    }

    fn read(
        &self,
        raw: &str,
        _line: usize,
        _col: usize,
    ) -> Result<(String, String), crate::docfx::ReadFailure> {
        let key = raw.trim_start_matches("~/").trim_start_matches("./");
        let chain = self.chain.borrow();
        if chain.len() > 4 || chain.iter().any(|c| c == key) {
            return Err(format!("`{key}` nests too deep or includes itself").into());
        }
        match key {
            "self.md" => Ok((key.to_string(), self.me.to_string())),
            "include.md" | "includes/note.md" => Ok((key.to_string(), FUZZ_INCLUDE.to_string())),
            "code.rs" | "src/main.rs" | "snippet.cs" => {
                Ok((key.to_string(), FUZZ_CODE.to_string()))
            }
            _ => Err(format!("no file `{key}`").into()),
        }
    }

    fn markdown(&self, display_path: &str, text: &str, inline: bool) -> String {
        // Quote fragments come back with the current path; only includes nest.
        let nested = self.chain.borrow().last().map(String::as_str) != Some(display_path);
        if nested {
            self.chain.borrow_mut().push(display_path.to_string());
        }
        let p = docfx::preprocess(display_path, text, self, &self.pivots);
        if nested {
            self.chain.borrow_mut().pop();
        }
        let html = render_preprocessed(&p);
        if inline {
            let t = html.trim();
            t.strip_prefix("<p>")
                .and_then(|t| t.strip_suffix("</p>"))
                .unwrap_or(t)
                .to_string()
        } else {
            html
        }
    }

    fn highlight(&self, code: &str, lang: &str, _highlight_lines: &[usize]) -> String {
        format!(
            "<pre data-lang=\"{}\"><code>{}</code></pre>",
            crate::escape::html(lang),
            crate::escape::html(code)
        )
    }
}

fn render_preprocessed(p: &Preprocessed) -> String {
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new_ext(&p.text, docfx::markdown_options());
    pulldown_cmark::html::push_html(&mut html, parser);
    docfx::swap_placeholders(&html, &p.blocks)
}

/// DocFX: the block preprocessor (rendered and placeholders swapped, as the core does),
/// plus the TOC, Learn YAML, redirect and zone pivot parsers and attribute lists.
pub fn docfx(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut pivots = PivotConfig::default();
    pivots.titles.insert("cli".into(), "Azure CLI".into());
    pivots.titles.insert("portal".into(), "Portal".into());
    let host = FuzzHost {
        me: &text,
        pivots: pivots.clone(),
        chain: RefCell::new(vec!["docs/page.md".to_string()]),
    };
    let p = docfx::preprocess("docs/page.md", &text, &host, &pivots);
    // Source line N stays line N; only a container left open at the end adds lines.
    assert!(
        p.text.lines().count() >= text.lines().count(),
        "preprocess dropped lines"
    );
    let _ = render_preprocessed(&p);
    for d in &p.diagnostics {
        let _ = d.to_string();
    }
    let _ = docfx::parse_toc("toc.yml", &text);
    let _ = docfx::parse_learn_yaml("index.yml", &text);
    let _ = docfx::parse_redirects(".openpublishing.redirection.json", &text);
    if let Ok(groups) = docfx::parse_pivot_groups("zone-pivot-groups.yml", &text) {
        let names: Vec<&str> = groups.groups.iter().map(|g| g.id.as_str()).collect();
        let _ = groups.config_for(&names);
    }
    for line in text.lines().take(256) {
        let _ = docfx::parse_attributes(line);
    }
}

/// Directives: extraction from a page body and the attribute and `source` parsers.
pub fn directives(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (out, found, diags) = directives::extract("guide/page.md", &text, 3, "guide");
    // Each directive line becomes one placeholder line: the line count is kept.
    assert_eq!(
        out.split_inclusive('\n').count(),
        text.split_inclusive('\n').count(),
        "directive extraction changed the line count"
    );
    for d in &found {
        assert!(directives::Kind::ALL.contains(&d.kind));
        assert!(!d.source.is_empty() && !d.source.starts_with('/'));
        assert!(
            d.source.split('/').all(|s| s != ".." && s != "."),
            "source `{}` climbs out of the content folder",
            d.source
        );
    }
    for d in &diags {
        let _ = d.to_string();
    }
    for line in text.lines().take(256) {
        let _ = directives::parse_attributes(line);
        if let Ok(p) = directives::resolve_source(line, "guide") {
            assert!(!p.starts_with('/') && p.split('/').all(|s| s != ".."));
        }
        let _ = directives::resolve_source(line, "");
    }
}

/// Comparison data: sniff and load as TOML, YAML and JSON; for every one that loads,
/// validate, analyse the decision table and evaluate each rule's own answers; when it
/// validates, derive access and draw the tables and the diagram.
pub fn comparison(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for (name, format) in [
        ("models.toml", Format::Toml),
        ("models.yaml", Format::Yaml),
        ("models.json", Format::Json),
    ] {
        let _ = compare::sniff(name, &text);
        let (cmp, diags) = compare::check(name, &text, format);
        for d in &diags {
            let _ = d.to_string();
        }
        let Some(cmp) = cmp else { continue };
        if let Some(d) = &cmp.decision {
            for rule in d.rules.iter().take(64) {
                let answers: BTreeMap<String, String> = rule
                    .when
                    .iter()
                    .filter_map(|(k, v)| v.first().map(|a| (k.clone(), a.clone())))
                    .collect();
                let _ = compare::evaluate(d, &answers);
            }
        }
        if diags.iter().any(|d| d.is_error()) {
            continue;
        }
        let matrix = access::derive(&cmp);
        let _ = directives::tables::access_matrix(&cmp, &matrix);
        let _ = directives::tables::guidance_matrix(&cmp);
        if let Some(d) = &cmp.decision {
            let _ = directives::tables::decision_table(&cmp, d);
            let _ = directives::tables::decision_guide(&cmp, d);
        }
        let opts = diagram::DiagramOptions {
            id_prefix: "fz".into(),
            title: None,
        };
        let _ = diagram::render(&cmp, &matrix, diagram::Show::All, &opts);
        if let Some(m) = cmp.models.first() {
            let _ = diagram::render(&cmp, &matrix, diagram::Show::Model(&m.id), &opts);
        }
    }
}

/// A small valid comparison file, so directives in fuzzed pages have data to draw from.
/// (The bundled reference file would do, but rasterising its diagrams to PNG costs several
/// seconds per build in an instrumented binary.)
pub const PAGE_COMPARISON: &str = r#"schema = "trustdoc-comparison/1"
id = "fuzz"
title = "Fuzz models"
layer = [ { id = "hw", order = 1, name = "Hardware" }, { id = "os", order = 2, name = "OS" } ]
actor = [ { id = "op", name = "Operator", acts_at = "os" } ]
guidance = [ { favors = ["vm"], text = "Choose the VM" } ]
image = [ { path = "media/boundary.png", show = "all" } ]

[[model]]
id = "vm"
name = "VM"
deployment = "IaaS"
technologies = ["T"]
isolation_unit = "VM"
code_changes = "None"
attestation = "Quote"
memory = "Encrypted"
stack = [ { layer = "hw", trust = "root" }, { layer = "os", trust = "protected" } ]

[decision]
id = "pick"
hit_policy = "U"
inputs = [ { id = "q", question = "Which?", answers = ["a", "b"] } ]
rules = [
  { id = "R1", when = { q = "a" }, then = "vm" },
  { id = "R2", when = { q = "b" }, then = "vm", note = "Also the VM" },
]
"#;

/// Splits a page input into site files: the text before the first `@@@ path` line is
/// `index.md`; each `@@@ path` line starts another file. Paths are kept to plain relative
/// names (at most 8 files) so the harness never writes outside its folder.
pub fn page_files(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = vec![("index.md".into(), Vec::new())];
    for line in data.split_inclusive(|b| *b == b'\n') {
        if let Some(rest) = line.strip_prefix(b"@@@ ") {
            let name = String::from_utf8_lossy(rest).trim().to_string();
            let plain = !name.is_empty()
                && name.len() <= 64
                && name.split('/').all(|s| {
                    !s.is_empty()
                        && s != "."
                        && s != ".."
                        && s.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
                });
            if plain && files.len() < 8 && name != "trustdoc.toml" {
                files.push((name, Vec::new()));
                continue;
            }
        }
        if let Some((_, bytes)) = files.last_mut() {
            bytes.extend_from_slice(line);
        }
    }
    files
}

static PAGE_RUN: AtomicUsize = AtomicUsize::new(0);

/// The whole pipeline: writes the input as a small site (see `page_files`; `PAGE_COMPARISON`
/// is there as `models.toml` when the input names that file and does not replace it) into a fresh
/// temporary folder and builds it. Errors are fine; every output path must be safe.
pub fn page(data: &[u8]) {
    let n = PAGE_RUN.fetch_add(1, Ordering::Relaxed);
    let root: PathBuf =
        std::env::temp_dir().join(format!("trustdoc-fuzz-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let content = root.join("content");
    if std::fs::create_dir_all(&content).is_err() {
        return;
    }
    let config_text = "title = \"Fuzz\"\nbase_url = \"https://fuzz.example/docs/\"\n";
    let mut ok = std::fs::write(root.join(config::CONFIG_FILE), config_text).is_ok();
    // Only when the input names it: every comparison's diagrams are rasterised to PNG,
    // which would dominate every run.
    if data.windows(11).any(|w| w == b"models.toml") {
        ok &= std::fs::write(content.join("models.toml"), PAGE_COMPARISON).is_ok();
    }
    for (name, bytes) in page_files(data) {
        let path = content.join(&name);
        if let Some(parent) = path.parent() {
            ok &= std::fs::create_dir_all(parent).is_ok();
        }
        ok &= std::fs::write(&path, bytes).is_ok();
    }
    if ok {
        if let Ok(cfg) = config::Config::load(&root, &config::Overrides::default()) {
            if let Ok(outcome) = site::build(&cfg) {
                for f in &outcome.files {
                    assert!(
                        crate::output::safe_relative(&f.path),
                        "unsafe output path `{}`",
                        f.path
                    );
                }
                for d in &outcome.diagnostics {
                    let _ = d.to_string();
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_comparison_is_valid() {
        let (cmp, diags) = compare::check("models.toml", PAGE_COMPARISON, Format::Toml);
        assert!(cmp.is_some());
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn page_files_split_on_markers_and_refuse_odd_paths() {
        let files = page_files(b"# A\n@@@ b/c.md\nB\n@@@ ../x.md\nstill B\n@@@ trustdoc.toml\n");
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["index.md", "b/c.md"]);
        assert_eq!(files[1].1, b"B\n@@@ ../x.md\nstill B\n@@@ trustdoc.toml\n");
    }

    #[test]
    fn self_include_stops_at_the_cycle() {
        // Three self-includes would multiply without the cycle guard.
        let page =
            "[!INCLUDE [a](self.md)]\n\n[!INCLUDE [a](self.md)]\n\n[!INCLUDE [a](self.md)]\n";
        let start = std::time::Instant::now();
        docfx(page.as_bytes());
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }
}
