//! Tab groups: top-level headings whose only content is a link to `#tab/id` (or
//! `#tab/id/condition`) start tabs; the group ends at the next top-level thematic break
//! (`---`), as in DocFX. Each heading becomes a placeholder opening a `<section>` panel with
//! the tab title as a real heading, so without JavaScript the panels read as titled sections.
//!
//! DocFX lets an unclosed group run to the end of the page, swallowing everything after it.
//! We warn instead and, when no `---` comes before the next tab or the end, close the group
//! before the first following heading that is not deeper than the tabs (at the blank line
//! before it), or else at the end of the page.

use super::doc::Doc;
use super::scan::{Analysis, Heading};
use crate::escape::html as esc;

enum Close {
    /// The `---` line.
    Rule(usize),
    /// A `---` right under text, which Markdown reads as a heading underline: (its line).
    Underline(usize),
    /// A blank (or placeholder-only) line before a heading: (that line, the heading's line).
    Before(usize, usize),
    End,
}

struct Group {
    panels: Vec<Heading>,
    close: Close,
}

enum Ev<'a> {
    Heading(&'a Heading),
    Rule(usize),
}

impl Ev<'_> {
    fn line(&self) -> usize {
        match self {
            Ev::Heading(h) => h.first,
            Ev::Rule(l) => *l,
        }
    }
}

pub(crate) fn run(doc: &mut Doc, a: &Analysis) {
    let mut evs: Vec<Ev> = a.headings.iter().map(Ev::Heading).collect();
    evs.extend(a.rules.iter().map(|l| Ev::Rule(*l)));
    evs.sort_by_key(Ev::line);
    for h in &a.headings {
        if let Some(href) = &h.bad_tab {
            let msg = format!("tab link \"{href}\" is not `#tab/id` or `#tab/id/condition` (letters, digits, `-`); left as a heading");
            doc.warn(h.first, 1, "docfx-tabs", msg);
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut current: Option<Vec<Heading>> = None;
    for (k, ev) in evs.iter().enumerate() {
        match (ev, current.as_mut()) {
            (Ev::Heading(h), Some(panels)) if h.tab.is_some() => panels.push((*h).clone()),
            (Ev::Heading(h), None) if h.tab.is_some() => current = Some(vec![(*h).clone()]),
            (Ev::Rule(l), Some(_)) => {
                if let Some(panels) = current.take() {
                    groups.push(Group {
                        panels,
                        close: Close::Rule(*l),
                    });
                }
            }
            (Ev::Heading(h), Some(panels)) => {
                let tab_level = panels.iter().map(|p| p.level).min().unwrap_or(1);
                let rule_ahead = evs[k + 1..]
                    .iter()
                    .find(|e| {
                        matches!(e, Ev::Rule(_)) || matches!(e, Ev::Heading(x) if x.tab.is_some())
                    })
                    .is_some_and(|e| matches!(e, Ev::Rule(_)));
                let after_last = panels.last().map_or(0, |p| p.last);
                let close = if rule_ahead {
                    None
                } else if is_dash_underline(doc.text(h.last)) && h.level == 2 && h.last > h.first {
                    Some(Close::Underline(h.last))
                } else {
                    h.first
                        .checked_sub(1)
                        .filter(|b| {
                            *b > after_last && h.level <= tab_level && doc.can_attach(*b, "")
                        })
                        .map(|b| Close::Before(b, h.first))
                };
                if let Some(close) = close {
                    if let Some(panels) = current.take() {
                        groups.push(Group { panels, close });
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(panels) = current.take() {
        groups.push(Group {
            panels,
            close: Close::End,
        });
    }
    for g in groups {
        emit(doc, g);
    }
}

/// A setext underline made of dashes only (what an author means as `---`).
fn is_dash_underline(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && t.bytes().all(|b| b == b'-')
}

fn emit(doc: &mut Doc, g: Group) {
    let n = doc.fresh_id();
    let mut ids: Vec<&str> = Vec::new();
    for p in &g.panels {
        if let Some(t) = &p.tab {
            if !ids.contains(&t.id.as_str()) {
                ids.push(&t.id);
            }
        }
    }
    let group_attr = esc(&ids.join(" "));
    let start = g.panels.first().map_or(0, |p| p.first);
    let mut htmls = Vec::new();
    for (i, p) in g.panels.iter().enumerate() {
        let Some(tab) = &p.tab else { continue };
        let id = format!("tab-{}-{n}-{}", doc.id_key, i + 1);
        let mut html = if i == 0 {
            format!("<div class=\"td-tabs\" data-group=\"{group_attr}\">\n")
        } else {
            "</section>\n".to_string()
        };
        let condition = tab
            .condition
            .as_ref()
            .map(|c| format!(" data-condition=\"{}\"", esc(c)))
            .unwrap_or_default();
        html.push_str(&format!(
            "<section class=\"td-tab-panel\" data-tab=\"{}\"{condition} id=\"{id}\" aria-labelledby=\"{id}-title\">\n\
             <h{lvl} class=\"td-tab-title\" id=\"{id}-title\">{}</h{lvl}>\n",
            esc(&tab.id),
            tab.title_html,
            lvl = p.level.clamp(1, 6),
        ));
        htmls.push((p.first, p.last, html));
    }
    for (first, last, html) in htmls {
        let indent: String = doc.text(first).chars().take_while(|c| *c == ' ').collect();
        doc.replace_open(first, last, &indent, html);
    }
    let close = "</section>\n</div>\n".to_string();
    match g.close {
        Close::Rule(l) => {
            doc.replace(l, l, "", close);
        }
        Close::Underline(l) => {
            let msg = "this `---` follows text, so Markdown reads it as a heading underline; \
                       it is taken as the end of the tab group: put a blank line before it";
            doc.warn(l, 1, "docfx-tabs", msg);
            doc.replace(l, l, "", close);
        }
        Close::Before(blank, heading) => {
            let msg = format!(
                "tab group is not closed by a `---` line; it is closed before the heading at line {}",
                heading + 1
            );
            doc.warn(start, 1, "docfx-tabs", msg);
            doc.attach(blank, "", close, false);
        }
        Close::End => {
            doc.warn(
                start,
                1,
                "docfx-tabs",
                "tab group is not closed by a `---` line; it runs to the end of the page",
            );
            doc.close_at_end(start, close);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{assert_lines_kept, pre, render};

    #[test]
    fn closed_group_with_list_inside() {
        let src = "Pick one.\n\n# [Linux](#tab/linux)\n\n- apt\n- dnf\n\n# [Windows *11*](#tab/windows)\n\nUse the installer.\n\n---\n\nAfter the tabs.\n";
        let p = pre(src);
        assert_lines_kept(src, &p);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let html = render(&p);
        insta::assert_snapshot!(html);
        assert!(html.contains("<li>apt</li>"), "{html}");
        assert!(html.contains("data-group=\"linux windows\""), "{html}");
        assert!(html.contains(">Windows <em>11</em></h1>"), "{html}");
        assert!(!html.contains("<hr"), "{html}");
        assert!(!html.contains("#tab/"), "{html}");
        let end = html.find("</div>").expect("group closes");
        assert!(
            end < html.find("After the tabs").expect("text after"),
            "{html}"
        );
    }

    #[test]
    fn unclosed_group_closes_before_next_heading_with_warning() {
        let src = "## Setup\n\n### [Bash](#tab/bash)\n\nRun it.\n\n### [PowerShell](#tab/pwsh/windows)\n\nRun that.\n\n## Next part\n\nMore.\n";
        let p = pre(src);
        assert_lines_kept(src, &p);
        assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
        assert_eq!(p.diagnostics[0].kind, "docfx-tabs");
        assert_eq!(p.diagnostics[0].line, 3);
        assert!(
            p.diagnostics[0].message.contains("line 11"),
            "{:?}",
            p.diagnostics
        );
        let html = render(&p);
        assert!(html.contains("data-condition=\"windows\""), "{html}");
        let close = html.find("</section>\n</div>").expect("closed");
        assert!(close < html.find("Next part").expect("heading"), "{html}");
    }

    #[test]
    fn unclosed_group_at_end_of_file_appends_close() {
        let src = "# [One](#tab/one)\nFirst.\n# [Two](#tab/two)\nSecond.";
        let p = pre(src);
        assert_eq!(p.text.lines().count(), src.lines().count() + 1);
        for (a, b) in src.lines().zip(p.text.lines()).skip(1).step_by(2) {
            assert_eq!(a, b, "content lines keep their numbers");
        }
        assert_eq!(p.diagnostics[0].kind, "docfx-tabs");
        let html = render(&p);
        assert!(html.trim_end().ends_with("</section>\n</div>"), "{html}");
        assert_eq!(html.matches("<section").count(), 2, "{html}");
    }

    #[test]
    fn dashes_right_under_text_close_the_group() {
        let src = "# [A](#tab/a)\n\nAlpha text\n---\n\nOutside.\n";
        let p = pre(src);
        assert_lines_kept(src, &p);
        assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
        assert_eq!(p.diagnostics[0].line, 4);
        let html = render(&p);
        assert!(
            html.contains("<p>Alpha text</p>\n</section>\n</div>\n<p>Outside.</p>"),
            "{html}"
        );
    }

    #[test]
    fn tab_links_inside_lists_and_text_are_not_tabs() {
        let html = render(&pre("See [this](#tab/x) tab.\n\n- # [Nested](#tab/n)\n"));
        assert!(!html.contains("td-tabs"), "{html}");
        let p = pre("# [Bad](#tab/a_b)\n");
        assert!(!render(&p).contains("td-tabs"));
        assert_eq!(p.diagnostics[0].kind, "docfx-tabs");
    }
}
