//! Blockquote constructs: alerts (`> [!NOTE]` …), `> [!div class="…"]` and quoted
//! `> [!VIDEO …]`. The marker line becomes an open placeholder, one level of `>` is removed
//! from the quote's other lines (so their content renders as Markdown in the same pass), and
//! the blank line after the quote carries the close placeholder. When no blank line follows
//! (end of file, or a heading right after), the content is rendered on its own through the
//! host and the whole quote becomes one placeholder: line numbers stay put either way.
//!
//! Quotes nested in a converted quote surface as top-level quotes once their parent's `>` is
//! gone, so the pass repeats (bounded) until nothing changes.

use super::doc::{content_start, continuation, list_marker_end, skip_quote_markers, Doc};
use super::scan::{self, Quote};
use super::{attr, parse_attributes};
use crate::escape::html as esc;
use std::collections::{BTreeMap, BTreeSet};

/// Deeper nesting than this is left as plain quotes (with a warning).
const MAX_PASSES: usize = 16;

const ALERTS: [(&str, &str); 5] = [
    ("note", "Note"),
    ("tip", "Tip"),
    ("important", "Important"),
    ("warning", "Warning"),
    ("caution", "Caution"),
];

enum Marker {
    /// (open HTML, close HTML)
    Wrap(String, String),
    Video,
    /// Not converted; the message explains why.
    Refuse(&'static str, String),
}

pub(crate) fn run(doc: &mut Doc) {
    let mut warned = BTreeSet::new();
    for _ in 0..MAX_PASSES {
        let a = scan::analyze(&doc.analysis_text(), doc.body_start);
        let mut converted_until: Option<usize> = None;
        // Deeply nested quotes share their first line; look at each line once, and only copy
        // lines that can hold a marker (`[!`), so 100,000 nested quotes stay linear.
        let mut may_mark: BTreeMap<usize, bool> = BTreeMap::new();
        for q in &a.quotes {
            if converted_until.is_some_and(|end| q.first <= end) || q.first < doc.body_start {
                continue;
            }
            if !*may_mark
                .entry(q.first)
                .or_insert_with(|| doc.text(q.first).contains("[!"))
            {
                continue;
            }
            let line = doc.text(q.first).to_string();
            let Some(gt) = nth_marker(&line, q.depth) else {
                continue;
            };
            let rest = line.get(gt + 1..).unwrap_or_default().trim();
            let col = line[..gt].chars().count() + 1;
            let Some(marker) = classify(rest) else {
                continue;
            };
            if let Marker::Refuse(kind, msg) = marker {
                // Quotes are re-scanned on every pass; warn once per line.
                if warned.insert(q.first) {
                    doc.warn(q.first, col, kind, msg);
                }
                continue;
            }
            convert(doc, q, gt, marker);
            converted_until = Some(q.last);
        }
        if converted_until.is_none() {
            return;
        }
    }
    doc.warn(
        doc.body_start,
        0,
        "docfx-alert",
        "quotes are nested too deeply; inner alerts are left as plain quotes",
    );
}

/// Byte index of the `depth`-th `>` marker in the line's prefix (list markers may sit between).
fn nth_marker(line: &str, depth: usize) -> Option<usize> {
    let b = line.as_bytes();
    let mut i = 0;
    let mut seen = 0;
    loop {
        while b.get(i).is_some_and(|c| *c == b' ' || *c == b'\t') {
            i += 1;
        }
        match b.get(i) {
            Some(b'>') => {
                seen += 1;
                if seen == depth {
                    return Some(i);
                }
                i += 1;
            }
            _ => i = list_marker_end(b, i)?,
        }
    }
}

/// What a quote's first line (after its `>`) asks for.
fn classify(rest: &str) -> Option<Marker> {
    let lower = rest.to_ascii_lowercase();
    for (name, title) in ALERTS {
        let tag = format!("[!{name}]");
        if lower == tag {
            let open = format!(
                "<div class=\"td-alert td-alert-{name}\" role=\"note\">\n<p class=\"td-alert-title\">{title}</p>\n"
            );
            return Some(Marker::Wrap(open, "</div>\n".to_string()));
        }
        if lower.starts_with(&tag) {
            let msg = format!(
                "`{}` is followed by text on the same line, so it is a plain quote, not an alert \
                 (DocFX does the same); put the text on the next `>` line",
                &rest[..tag.len()]
            );
            return Some(Marker::Refuse("docfx-alert", msg));
        }
    }
    if lower.starts_with("[!div") {
        return Some(div(rest));
    }
    if lower.starts_with("[!video ") && rest.ends_with(']') {
        return Some(Marker::Video);
    }
    None
}

fn div(rest: &str) -> Marker {
    let Some(close) = rest.find(']') else {
        return Marker::Refuse("docfx-div", "`[!div` has no closing `]`".to_string());
    };
    if close + 1 != rest.len() {
        let msg = "text after `[!div …]` on the same line: the quote is left as it is; \
                   put the content on the next `>` line";
        return Marker::Refuse("docfx-div", msg.to_string());
    }
    let attrs = match parse_attributes(&rest[5..close]) {
        Ok(a) => a,
        Err(e) => return Marker::Refuse("docfx-div", format!("in `[!div …]`: {e}")),
    };
    let mut classes = Vec::new();
    let mut known = false;
    for c in attr(&attrs, "class").unwrap_or_default().split_whitespace() {
        match c {
            "nextstepaction" => {
                known = true;
                classes.push("td-nextstep".to_string());
            }
            "checklist" => {
                known = true;
                classes.push("td-checklist".to_string());
            }
            other => {
                let safe: String = other
                    .chars()
                    .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '-' || *ch == '_')
                    .collect();
                if !safe.is_empty() {
                    classes.push(safe);
                }
            }
        }
    }
    if !known {
        classes.insert(0, "td-div".to_string());
    }
    let open = format!("<div class=\"{}\">\n", esc(&classes.join(" ")));
    Marker::Wrap(open, "</div>\n".to_string())
}

fn convert(doc: &mut Doc, q: &Quote, gt: usize, marker: Marker) {
    let first_line = doc.text(q.first).to_string();
    let prefix = first_line[..gt].to_string();
    let next = q.last + 1;
    let cont = continuation(&prefix);
    let next_is_blank = next < doc.lines.len()
        && (is_blankish(doc.text(next), q.depth - 1) || doc.can_attach(next, &cont));
    match marker {
        Marker::Video => {
            for i in q.first..=q.last {
                strip_marker(doc, i, q.depth, &cont);
            }
        }
        Marker::Wrap(open, close) if next_is_blank => {
            doc.replace_open(q.first, q.first, &prefix, open);
            for i in q.first + 1..=q.last {
                strip_marker(doc, i, q.depth, &cont);
            }
            if is_blankish(doc.text(next), q.depth - 1) {
                doc.replace(next, next, &cont, close);
            } else {
                // The line already closes an outer container: this close goes first.
                doc.attach(next, &cont, close, true);
            }
        }
        Marker::Wrap(open, close) => {
            let body: String = (q.first + 1..=q.last)
                .map(|i| content_after_marker(doc.text(i), q.depth) + "\n")
                .collect();
            let inner = doc.host.markdown(&doc.path, &body, false);
            doc.replace(q.first, q.last, &prefix, format!("{open}{inner}{close}"));
        }
        Marker::Refuse(..) => {}
    }
}

/// True when the line holds nothing but up to `depth` quote markers and whitespace.
fn is_blankish(line: &str, depth: usize) -> bool {
    let b = line.as_bytes();
    let (i, _) = skip_quote_markers(b, 0, depth);
    line.get(i..).is_some_and(|r| r.trim().is_empty())
}

/// Remove the `depth`-th `>` (and one space after it) from line `i`. A lazy continuation line
/// (fewer markers) gets the container prefix `cont`: once the quote's marker line is a
/// placeholder, laziness no longer holds it inside the outer containers.
fn strip_marker(doc: &mut Doc, i: usize, depth: usize, cont: &str) {
    let line = doc.text(i);
    let new = match nth_marker(line, depth) {
        Some(gt) => {
            let mut end = gt + 1;
            if line.as_bytes().get(end) == Some(&b' ') {
                end += 1;
            }
            format!("{}{}", &line[..gt], &line[end..])
        }
        None => {
            let (start, _) = skip_quote_markers(line.as_bytes(), 0, depth - 1);
            format!("{cont}{}", line.get(start..).unwrap_or_default())
        }
    };
    doc.set(i, new);
}

/// The line's text after the `depth`-th `>` (used when the quote is rendered on its own).
fn content_after_marker(line: &str, depth: usize) -> String {
    match nth_marker(line, depth) {
        Some(gt) => {
            let rest = &line[gt + 1..];
            rest.strip_prefix(' ').unwrap_or(rest).to_string()
        }
        None => line[content_start(line).min(line.len())..].to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{assert_lines_kept, pre, render};

    #[test]
    fn alert_any_case_becomes_note_div() {
        let src = "Intro.\n\n> [!Tip]\n> Keep *keys* in a vault.\n\nAfter.\n";
        let p = pre(src);
        assert_lines_kept(src, &p);
        let html = render(&p);
        assert!(
            html.contains("<div class=\"td-alert td-alert-tip\" role=\"note\">"),
            "{html}"
        );
        assert!(
            html.contains("<p class=\"td-alert-title\">Tip</p>"),
            "{html}"
        );
        assert!(
            html.contains("<p>Keep <em>keys</em> in a vault.</p>\n</div>"),
            "{html}"
        );
        assert!(html.contains("<p>After.</p>"), "{html}");
        assert!(!html.contains("blockquote"), "{html}");
    }

    #[test]
    fn alert_inside_list_item_stays_in_item() {
        let src = "1. Step one\n\n   > [!WARNING]\n   > Mind the gap.\n   > - first\n   > - second\n\n1. Step two\n";
        let p = pre(src);
        assert_lines_kept(src, &p);
        let html = render(&p);
        let alert = html.find("td-alert-warning").expect("alert rendered");
        let step_two = html.find("Step two").expect("second step");
        let close_li = html.find("</li>").expect("first item closes");
        assert!(alert < close_li && close_li < step_two, "{html}");
        assert!(html.contains("<li>first</li>"), "{html}");
        assert!(html.matches("<ol>").count() == 1, "one list: {html}");
    }

    #[test]
    fn marker_with_text_is_a_plain_quote_and_warns() {
        let src = "> [!NOTE] all on one line\n";
        let p = pre(src);
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].kind, "docfx-alert");
        assert_eq!((p.diagnostics[0].line, p.diagnostics[0].col), (1, 1));
        assert!(render(&p).contains("<blockquote>"));
    }

    #[test]
    fn nested_quote_inside_alert_and_alert_inside_quote() {
        let src = "> [!IMPORTANT]\n> Outer words.\n>\n> > [!CAUTION]\n> > Inner words.\n\nEnd.\n";
        let p = pre(src);
        assert_lines_kept(src, &p);
        let html = render(&p);
        let outer = html.find("td-alert-important").expect("outer");
        let inner = html.find("td-alert-caution").expect("inner");
        assert!(outer < inner, "{html}");
        assert!(html.contains("<p>Inner words.</p>\n</div></div>"), "{html}");

        let src = "> Plain quote.\n>\n> > [!NOTE]\n> > Deep.\n>\n> Still quoted.\n";
        let p = pre(src);
        assert_lines_kept(src, &p);
        let html = render(&p);
        assert!(html.starts_with("<blockquote>"), "{html}");
        assert!(html.contains("td-alert-note"), "{html}");
        assert!(
            html.contains("<p>Still quoted.</p>\n</blockquote>"),
            "{html}"
        );
    }

    #[test]
    fn quote_without_blank_line_after_is_rendered_whole() {
        let src = "> [!div class=\"nextstepaction\"]\n> [Go on](next.md)\n## Heading";
        let p = pre(src);
        assert_lines_kept(src, &p);
        let html = render(&p);
        assert!(
            html.contains(
                "<div class=\"td-nextstep\">\n<p><a href=\"next.md\">Go on</a></p>\n</div>"
            ),
            "{html}"
        );
        assert!(html.contains("<h2>Heading</h2>"), "{html}");
    }

    #[test]
    fn div_classes_map_and_escape() {
        let html = render(&pre("> [!div class=\"checklist\"]\n> * one\n\n"));
        assert!(html.contains("<div class=\"td-checklist\">"), "{html}");
        let html = render(&pre("> [!div class=\"wide x<y\"]\n> body\n\n"));
        assert!(html.contains("<div class=\"td-div wide xy\">"), "{html}");
        let p = pre("> [!div class=nope]\n> body\n");
        assert_eq!(p.diagnostics[0].kind, "docfx-div");
    }

    #[test]
    fn quoted_video_is_unwrapped() {
        let html = render(&pre(
            "> [!VIDEO https://example.com/embed/abc?autoplay=1&t=5]\n\n",
        ));
        assert!(
            html.contains("<iframe src=\"https://example.com/embed/abc?t=5\""),
            "{html}"
        );
        assert!(!html.contains("blockquote"), "{html}");
    }
}
