//! Test helpers: a fake `Host` over an in-memory file map, and a renderer that does what the
//! core does with `Preprocessed` (pulldown-cmark, then `swap_placeholders`).

use super::{markdown_options, preprocess, swap_placeholders, Host, PivotConfig, Preprocessed};
use crate::escape::html as esc;
use std::cell::Cell;
use std::collections::BTreeMap;

#[derive(Default)]
pub(crate) struct FakeHost {
    pub files: BTreeMap<String, String>,
    pub pivots: PivotConfig,
    depth: Cell<usize>,
}

impl FakeHost {
    pub fn with_files(files: &[(&str, &str)]) -> Self {
        FakeHost {
            files: files
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..FakeHost::default()
        }
    }
}

impl Host for FakeHost {
    fn url(&self, raw: &str, _line: usize, _col: usize, _is_image: bool) -> String {
        raw.to_string()
    }

    fn read(
        &self,
        raw: &str,
        _line: usize,
        _col: usize,
    ) -> Result<(String, String), super::ReadFailure> {
        let key = raw.trim_start_matches("~/").trim_start_matches("./");
        self.files
            .get(key)
            .map(|c| (key.to_string(), c.clone()))
            .ok_or_else(|| "no such file".to_string().into())
    }

    fn markdown(&self, display_path: &str, text: &str, inline: bool) -> String {
        if self.depth.get() > 8 {
            return String::new();
        }
        self.depth.set(self.depth.get() + 1);
        let p = preprocess(display_path, text, self, &self.pivots);
        self.depth.set(self.depth.get() - 1);
        let html = render(&p);
        if inline {
            let t = html.trim();
            let t = t
                .strip_prefix("<p>")
                .and_then(|t| t.strip_suffix("</p>"))
                .unwrap_or(t);
            t.to_string()
        } else {
            html
        }
    }

    fn highlight(&self, code: &str, lang: &str, highlight_lines: &[usize]) -> String {
        format!(
            "<pre class=\"hl\" data-lang=\"{}\" data-lines=\"{highlight_lines:?}\"><code>{}</code></pre>",
            esc(lang),
            esc(code)
        )
    }
}

pub(crate) fn render(p: &Preprocessed) -> String {
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new_ext(&p.text, markdown_options());
    pulldown_cmark::html::push_html(&mut html, parser);
    swap_placeholders(&html, &p.blocks)
}

pub(crate) fn pre(src: &str) -> Preprocessed {
    let host = FakeHost::default();
    preprocess("page.md", src, &host, &PivotConfig::default())
}

pub(crate) fn pre_with(src: &str, files: &[(&str, &str)]) -> Preprocessed {
    let host = FakeHost::with_files(files);
    preprocess("page.md", src, &host, &PivotConfig::default())
}

/// The preprocessed text has exactly the source's lines.
pub(crate) fn assert_lines_kept(src: &str, p: &Preprocessed) {
    assert_eq!(
        p.text.lines().count(),
        src.lines().count(),
        "line count changed:\n--- src\n{src}\n--- text\n{}",
        p.text
    );
}
