//! Line constructs: `:::` directives (`image`, `code`, `zone`, `moniker`, `row`, `column` and
//! their `-end` lines), `[!INCLUDE]` (a whole line, or inline inside text), and a bare
//! `[!VIDEO url]` line. Containers (zones, monikers, rows, columns, complex images) get an open
//! and a close placeholder; what lies between stays Markdown. Directives we do not know stay
//! visible with a warning, except trustdoc's own, which the core handles.

use super::doc::{content_start, dedent, indent_width, Doc};
use super::include::{parse_include, without_front_matter};
use super::scan::Analysis;
use super::{attr, code, media, parse_attributes, PivotConfig};
use crate::directives::Kind;
use crate::escape::html as esc;
use std::collections::BTreeMap;

const KNOWN: [&str; 11] = [
    "image",
    "image-end",
    "code",
    "zone",
    "zone-end",
    "moniker",
    "moniker-end",
    "row",
    "row-end",
    "column",
    "column-end",
];

struct Open {
    kind: &'static str,
    line: usize,
    close: String,
}

struct Pass<'a, 'h> {
    doc: &'a mut Doc<'h>,
    /// Lines inside code or raw HTML blocks.
    protected: &'a [bool],
    pivots: &'a PivotConfig,
    open: Vec<Open>,
    /// Line of a complex image's `:::image-end:::` → its closing HTML.
    image_ends: BTreeMap<usize, String>,
    /// Dedent long-description lines `first..=last` by this many columns: (first, last, cols).
    dedent: Option<(usize, usize, usize)>,
}

pub(crate) fn run(doc: &mut Doc, a: &Analysis, pivots: &PivotConfig) {
    let mut pass = Pass {
        doc,
        protected: &a.protected,
        pivots,
        open: Vec::new(),
        image_ends: BTreeMap::new(),
        dedent: None,
    };
    for i in pass.doc.body_start..pass.doc.lines.len() {
        if !a.protected.get(i).copied().unwrap_or(true) {
            pass.line(
                i,
                a.code_spans.get(i).map(Vec::as_slice).unwrap_or_default(),
            );
        }
        if let Some((first, last, cols)) = pass.dedent {
            if (first..=last).contains(&i) {
                let t = dedent(pass.doc.text(i), cols);
                pass.doc.set(i, t);
            }
        }
    }
    for (line, close) in std::mem::take(&mut pass.image_ends) {
        pass.doc.close_at_end(line, close);
    }
    while let Some(o) = pass.open.pop() {
        let msg = format!(
            "`::: {}` is never closed; it is closed at the end of the page",
            o.kind
        );
        pass.doc.warn(o.line, 0, "docfx-directive", msg);
        pass.doc.close_at_end(o.line, o.close);
    }
}

impl Pass<'_, '_> {
    fn line(&mut self, i: usize, code_spans: &[std::ops::Range<usize>]) {
        let text = self.doc.text(i).to_string();
        let cs = content_start(&text);
        let (prefix, content) = text.split_at(cs);
        let content = content.trim_end();
        let col = prefix.chars().count() + 1;
        if let Some(close) = self.image_ends.remove(&i) {
            self.doc.replace(i, i, prefix, close);
        } else if let Some(rest) = content.strip_prefix(":::") {
            self.directive(i, prefix, rest, col);
        } else if let Some(url) = video_marker(content) {
            let html = media::video(self.doc, i, col, url);
            self.doc.replace(i, i, prefix, html);
        } else if let Some((_, path, _)) =
            parse_include(content).filter(|inc| inc.2 == content.len())
        {
            let html = self.include(i, col, &path, false);
            self.doc.replace(i, i, prefix, html);
        } else {
            self.inline_includes(i, &text, cs, code_spans);
        }
    }

    fn directive(&mut self, i: usize, prefix: &str, rest: &str, col: usize) {
        let body = rest.trim_start();
        let name_len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(body.len());
        let name = body[..name_len].to_ascii_lowercase();
        let mut args = body[name_len..].trim_end();
        if let Some(a) = args.strip_suffix(":::") {
            args = a;
        }
        // trustdoc's own directives are left in the text for the core.
        if Kind::from_name(&name).is_some() {
            return;
        }
        let attrs = match parse_attributes(args) {
            Ok(a) => a,
            Err(e) if KNOWN.contains(&name.as_str()) => {
                let kind = match name.as_str() {
                    "code" => "docfx-code",
                    "image" | "image-end" => "docfx-image",
                    n if n.starts_with("zone") => "docfx-zone",
                    _ => "docfx-directive",
                };
                let msg = format!("in `:::{name}`: {e}; the line is left as it is");
                self.doc.warn(i, col, kind, msg);
                return;
            }
            Err(_) => Vec::new(),
        };
        self.check_attribute_names(i, col, &name, &attrs);
        match name.as_str() {
            "image" => self.image(i, prefix, col, &attrs),
            "code" => {
                let html = code::code(self.doc, i, col, &attrs);
                self.doc.replace(i, i, prefix, html);
            }
            "zone" => self.zone(i, prefix, col, &attrs),
            "moniker" => {
                let range = attr(&attrs, "range").unwrap_or_default();
                let open = format!(
                    "<div class=\"td-moniker\" data-moniker=\"{}\">\n",
                    esc(range)
                );
                self.open_container(i, prefix, "moniker", open);
            }
            "row" => self.open_container(i, prefix, "row", "<div class=\"td-row\">\n".to_string()),
            "column" => self.open_container(
                i,
                prefix,
                "column",
                "<div class=\"td-column\">\n".to_string(),
            ),
            "zone-end" | "moniker-end" | "row-end" | "column-end" => {
                self.close_container(i, prefix, col, &name)
            }
            "image-end" => {
                self.doc.warn(
                    i,
                    col,
                    "docfx-image",
                    "`:::image-end:::` without a `:::image type=\"complex\"` before it; removed",
                );
                self.doc.replace(i, i, prefix, String::new());
            }
            _ => self.unknown(i, col, &name),
        }
    }

    /// Warns about attributes a directive does not take (a misspelt `source` would
    /// otherwise just leave the image out), with the closest known name.
    fn check_attribute_names(
        &mut self,
        i: usize,
        col: usize,
        name: &str,
        attrs: &[(String, String)],
    ) {
        let (known, kind): (&[&str], &str) = match name {
            "image" => (
                &[
                    "type",
                    "source",
                    "alt-text",
                    "border",
                    "lightbox",
                    "link",
                    "loc-scope",
                ],
                "docfx-image",
            ),
            "code" => (
                &[
                    "language",
                    "source",
                    "range",
                    "id",
                    "highlight",
                    "interactive",
                ],
                "docfx-code",
            ),
            "zone" => (&["pivot", "target"], "docfx-zone"),
            "moniker" => (&["range"], "docfx-directive"),
            "column" => (&["span"], "docfx-directive"),
            _ => return,
        };
        for (key, _) in attrs {
            if known.contains(&key.as_str()) {
                continue;
            }
            let hint = match crate::compare::suggest(key, known.iter().copied()) {
                Some(s) => format!("; did you mean `{s}`?"),
                None => format!(" (known: {})", known.join(", ")),
            };
            let msg = format!("unknown attribute `{key}` on `:::{name}`; it is ignored{hint}");
            self.doc.warn(i, col, kind, msg);
        }
    }

    fn unknown(&mut self, i: usize, col: usize, name: &str) {
        let known = KNOWN.iter().copied().chain(Kind::names());
        let best = known
            .map(|k| (strsim::levenshtein(k, name), k))
            .min()
            .filter(|(d, k)| *d <= 2.max(k.len() / 3) && !name.is_empty());
        let hint = match best {
            Some((_, k)) => format!("; did you mean `:::{k}`?"),
            None => {
                "; it is shown as text. Known: image, code, zone, moniker, row, column".to_string()
            }
        };
        let shown = if name.is_empty() {
            String::new()
        } else {
            format!(" `:::{name}`")
        };
        self.doc.warn(
            i,
            col,
            "docfx-directive",
            format!("unknown DocFX directive{shown}{hint}"),
        );
    }

    fn image(&mut self, i: usize, prefix: &str, col: usize, attrs: &[(String, String)]) {
        let Some(fig) = media::image(self.doc, i, col, attrs) else {
            self.doc.replace(i, i, prefix, String::new());
            return;
        };
        if fig.close.is_empty() {
            self.doc.replace(i, i, prefix, fig.open);
            return;
        }
        match self.find_image_end(i) {
            Some(end) => {
                let own = indent_width(prefix);
                let inner = (i + 1..end)
                    .map(|j| self.doc.text(j))
                    .filter(|t| !t.trim().is_empty())
                    .map(indent_width)
                    .min()
                    .unwrap_or(own);
                if inner > own && end > i + 1 {
                    self.dedent = Some((i + 1, end - 1, inner - own));
                }
                self.image_ends.insert(end, fig.close);
                self.doc.replace_open(i, i, prefix, fig.open);
            }
            None => {
                let msg = "`:::image type=\"complex\"` has no `:::image-end:::`; shown without a long description";
                self.doc.warn(i, col, "docfx-image", msg);
                self.doc
                    .replace(i, i, prefix, format!("{}{}", fig.open, fig.close));
            }
        }
    }

    /// The `:::image-end:::` line closing the complex image at `i`, if any before the next image.
    fn find_image_end(&self, i: usize) -> Option<usize> {
        for j in i + 1..self.doc.lines.len() {
            if self.protected.get(j).copied().unwrap_or(true) {
                continue;
            }
            let t = self.doc.text(j);
            let c = t[content_start(t)..].trim().to_ascii_lowercase();
            let c: String = c.chars().filter(|ch| !ch.is_whitespace()).collect();
            if c == ":::image-end:::" {
                return Some(j);
            }
            if c.starts_with(":::image") {
                return None;
            }
        }
        None
    }

    fn zone(&mut self, i: usize, prefix: &str, col: usize, attrs: &[(String, String)]) {
        let open = if let Some(pivot) = attr(attrs, "pivot") {
            let ids: Vec<&str> = pivot
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            let mut titles = Vec::new();
            for id in &ids {
                match self.pivots.titles.get(*id) {
                    Some(t) => titles.push(t.clone()),
                    None => {
                        if !self.pivots.titles.is_empty() {
                            let msg = format!(
                                "zone pivot \"{id}\" is not in this page's zone_pivot_groups"
                            );
                            self.doc.warn(i, col, "docfx-zone", msg);
                        }
                        titles.push((*id).to_string());
                    }
                }
            }
            format!(
                "<div class=\"td-zone\" data-pivot=\"{}\">\n<p class=\"td-zone-label\">Applies to: {}</p>\n",
                esc(&ids.join(" ")),
                esc(&titles.join(", "))
            )
        } else if let Some(target) = attr(attrs, "target") {
            let hidden = if target.eq_ignore_ascii_case("docs") {
                ""
            } else {
                " hidden"
            };
            format!(
                "<div class=\"td-zone\" data-target=\"{}\"{hidden}>\n",
                esc(target)
            )
        } else {
            self.doc.warn(
                i,
                col,
                "docfx-zone",
                "`::: zone` needs pivot=\"…\" or target=\"…\"; shown for everyone",
            );
            "<div class=\"td-zone\">\n".to_string()
        };
        self.open_container(i, prefix, "zone", open);
    }

    fn open_container(&mut self, i: usize, prefix: &str, kind: &'static str, html: String) {
        self.doc.replace_open(i, i, prefix, html);
        self.open.push(Open {
            kind,
            line: i,
            close: "</div>\n".to_string(),
        });
    }

    fn close_container(&mut self, i: usize, prefix: &str, col: usize, name: &str) {
        let kind = name.trim_end_matches("-end");
        let Some(pos) = self.open.iter().rposition(|o| o.kind == kind) else {
            self.doc.warn(
                i,
                col,
                "docfx-directive",
                format!("`::: {name}` without an open `::: {kind}`; removed"),
            );
            self.doc.replace(i, i, prefix, String::new());
            return;
        };
        let mut html = String::new();
        while self.open.len() > pos {
            let Some(o) = self.open.pop() else { break };
            if o.kind != kind {
                let msg = format!(
                    "`::: {}` opened at line {} is closed by `::: {name}`",
                    o.kind,
                    o.line + 1
                );
                self.doc.warn(i, col, "docfx-directive", msg);
            }
            html.push_str(&o.close);
        }
        self.doc.replace(i, i, prefix, html);
    }

    /// Render an include: its front matter is dropped, the rest goes through the full pipeline.
    fn include(&mut self, i: usize, col: usize, path: &str, inline: bool) -> String {
        if let Some(note) = self.doc.host.absent(path, i + 1, col, inline) {
            return note;
        }
        match self.doc.host.read(path, i + 1, col) {
            Ok((display, content)) => {
                self.doc
                    .host
                    .markdown(&display, &without_front_matter(&content), inline)
            }
            Err(e) => {
                self.doc.error(
                    i,
                    col,
                    e.kind("docfx-include"),
                    format!("[!INCLUDE] \"{path}\": {e}"),
                );
                String::new()
            }
        }
    }

    fn inline_includes(
        &mut self,
        i: usize,
        text: &str,
        cs: usize,
        code_spans: &[std::ops::Range<usize>],
    ) {
        let lower = text.to_ascii_lowercase();
        let mut found = Vec::new();
        let mut from = cs;
        while let Some(at) = lower
            .get(from..)
            .and_then(|r| r.find("[!include"))
            .map(|p| p + from)
        {
            from = at + 1;
            if code_spans.iter().any(|r| r.contains(&at)) {
                continue;
            }
            let col = text[..at].chars().count() + 1;
            match parse_include(&text[at..]) {
                Some((_, path, len)) => {
                    found.push((at, len, path, col));
                    from = at + len;
                }
                None => self.doc.warn(
                    i,
                    col,
                    "docfx-include",
                    "`[!INCLUDE` is not followed by `[title](path)]`; left as text",
                ),
            }
        }
        if found.is_empty() {
            return;
        }
        let mut out = text.to_string();
        for (at, len, path, col) in found.into_iter().rev() {
            let html = self.include(i, col, &path, true);
            let mut ph = self.doc.inline(html);
            // A line starting with `<!--` would become a raw HTML block; an empty span keeps it inline.
            if at == cs {
                ph.insert_str(0, "<span></span>");
            }
            out.replace_range(at..at + len, &ph);
        }
        self.doc.set(i, out);
    }
}

/// `[!VIDEO url]` as the whole content of a line.
fn video_marker(content: &str) -> Option<&str> {
    let head = content.get(..8)?;
    if !head.eq_ignore_ascii_case("[!video ") || !content.ends_with(']') {
        return None;
    }
    content
        .get(8..content.len() - 1)
        .map(str::trim)
        .filter(|u| !u.is_empty() && !u.contains(' '))
}

#[cfg(test)]
#[path = "blocks_tests.rs"]
mod tests;
