//! Markdown to HTML with pulldown-cmark: heading ids and the on-page table of contents,
//! highlighted code blocks, and every link and image destination passed through a
//! `Linker` that rewrites `.md` links to clean URLs and records what must be checked.
//! Positions of links are reported as page lines, not body lines.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

use super::highlight;
use super::slug::{slugify, Slugger};
use crate::error::LineIndex;

/// Rewrites a link or image destination and remembers it for checking.
pub trait Linker {
    /// `line`/`col` are positions in the page file.
    fn link(&self, dest: &str, is_image: bool, line: usize, col: usize) -> String;
    /// HTML that replaces an image entirely (a generated diagram bound to its path).
    fn image_html(&self, _href: &str, _alt: &str) -> Option<String> {
        None
    }
}

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub highlight: bool,
    pub smart_punctuation: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every id a link may target on this page (headings and explicit ids).
    pub anchors: Vec<String>,
    /// Text of a level-1 heading at the top of the body, if the page has one.
    pub h1: Option<String>,
}

pub fn options(smart: bool) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if smart {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// Byte ranges of code in Markdown text (fenced, indented and inline), where HTML is example
/// text rather than markup.
pub fn code_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(text, options(false)).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => out.push(range),
            _ => {}
        }
    }
    out
}

/// A task-list box. A form control needs a label, and the item's text follows the box, so
/// the box is hidden from assistive technology and its state is spoken as text instead.
fn task_marker(done: bool) -> String {
    let (checked, state) = if done {
        (" checked", "Done")
    } else {
        ("", "Not done")
    };
    format!(
        "<input type=\"checkbox\" disabled aria-hidden=\"true\"{checked}><span class=\"td-visually-hidden\">{state}: </span>"
    )
}

/// Renders `body`, which starts at `body_offset` in `full` (the whole page file).
pub fn render(
    full: &str,
    body_offset: usize,
    body: &str,
    opts: RenderOptions,
    linker: &dyn Linker,
) -> Rendered {
    let index = LineIndex::new(full);
    let locate = |off: usize| index.locate(full, body_offset + off);
    let parser = Parser::new_ext(body, options(opts.smart_punctuation)).into_offset_iter();

    let mut out: Vec<Event> = Vec::new();
    let mut slugger = Slugger::default();
    // Ids the author wrote in HTML (`<a id="x">`) are taken: generated heading ids avoid them.
    for (_, id) in super::slug::author_ids(body) {
        slugger.reserve(&id);
    }
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    let mut anchors = Vec::new();
    let mut h1 = None;
    let mut seen_content = false;

    // Heading being collected: level, explicit id, classes, inner events, plain text.
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<Event>, String)> = None;
    // Code block being collected: language and text.
    let mut code: Option<(String, String)> = None;
    // Image being collected: its start event, inner events and alt text.
    let mut image: Option<(Event, Vec<Event>, String)> = None;

    for (event, range) in parser {
        if let Some((_, ref mut text)) = code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((lang, text)) = code.take() {
                        out.push(Event::Html(
                            highlight::code_block(&text, &lang, &[], opts.highlight).into(),
                        ));
                    }
                }
                _ => {}
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (l, c) = locate(range.start);
                let dest = if matches!(link_type, pulldown_cmark::LinkType::Email) {
                    dest_url
                } else {
                    CowStr::from(linker.link(&dest_url, false, l, c))
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (l, c) = locate(range.start);
                let dest = CowStr::from(linker.link(&dest_url, true, l, c));
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            other => other,
        };
        if let Some((_, ref mut inner, ref mut alt)) = image {
            match event {
                Event::End(TagEnd::Image) => {
                    if let Some((start, inner, alt)) = image.take() {
                        let href = match &start {
                            Event::Start(Tag::Image { dest_url, .. }) => dest_url.to_string(),
                            _ => String::new(),
                        };
                        let replaced = linker.image_html(&href, alt.trim());
                        let sink: &mut Vec<Event> = match heading {
                            Some((_, _, ref mut h, _)) => h,
                            None => &mut out,
                        };
                        match replaced {
                            Some(html) => sink.push(Event::Html(html.into())),
                            None => {
                                sink.push(start);
                                sink.extend(inner);
                                sink.push(Event::End(TagEnd::Image));
                            }
                        }
                    }
                }
                Event::Text(ref t) | Event::Code(ref t) => {
                    alt.push_str(t);
                    inner.push(event);
                }
                other => inner.push(other),
            }
            continue;
        }
        if matches!(event, Event::Start(Tag::Image { .. })) {
            image = Some((event, Vec::new(), String::new()));
            seen_content = true;
            continue;
        }
        if let Some((_, _, ref mut inner, ref mut text)) = heading {
            match event {
                Event::End(TagEnd::Heading(level)) => {
                    if let Some((_, explicit, inner, text)) = heading.take() {
                        let lvl = level as u8;
                        let id = match explicit {
                            Some(id) => {
                                slugger.reserve(&id);
                                id
                            }
                            None => slugger.unique(&slugify(&text)),
                        };
                        let plain = text.trim().to_string();
                        if lvl == 1 && !seen_content && h1.is_none() {
                            h1 = Some(plain.clone());
                        } else {
                            headings.push((lvl, id.clone(), plain));
                        }
                        anchors.push(id.clone());
                        let mut html = String::new();
                        pulldown_cmark::html::push_html(&mut html, inner.into_iter());
                        let mut esc_id = String::new();
                        let _ = escape_html(&mut esc_id, &id);
                        out.push(Event::Html(
                            format!(
                                "<h{lvl} id=\"{esc_id}\">{html}<a class=\"td-anchor\" href=\"#{esc_id}\" aria-label=\"Link to this section\">#</a></h{lvl}>\n"
                            )
                            .into(),
                        ));
                        seen_content = true;
                    }
                }
                Event::Text(ref t) | Event::Code(ref t) => {
                    text.push_str(t);
                    inner.push(event);
                }
                Event::InlineHtml(ref h) => {
                    // `## Title <a id="x"></a>`: Learn's way of giving a heading a stable id.
                    collect_html_ids(h, &mut anchors);
                    inner.push(event);
                }
                other => inner.push(other),
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level, id.map(|s| s.to_string()), Vec::new(), String::new()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                seen_content = true;
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) => {
                collect_html_ids(h, &mut anchors);
                if !h.trim_start().starts_with("<!--") {
                    seen_content = true;
                }
                out.push(event);
            }
            Event::Start(Tag::FootnoteDefinition(ref name)) => {
                anchors.push(name.to_string());
                out.push(event);
            }
            Event::TaskListMarker(done) => out.push(Event::InlineHtml(task_marker(done).into())),
            Event::Start(_) | Event::Text(_) => {
                seen_content = true;
                out.push(event);
            }
            other => out.push(other),
        }
    }

    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    // CommonMark replaces U+0000 for safety; pulldown-cmark leaves some through (in raw
    // HTML and text that is not Markdown syntax), and HTML forbids it.
    if html.contains('\0') {
        html = html.replace('\0', "\u{fffd}");
    }
    Rendered {
        html,
        toc: build_toc(&headings),
        anchors,
        h1,
    }
}

/// The text of one line of Markdown (such as `# A &lt;b&gt; *title*`) as a reader sees
/// it: entities decoded, emphasis and inline HTML dropped, code spans kept as text. Titles
/// taken from a heading go through this so templates escape them exactly once.
pub fn plain_text(line: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(line, options(false)) {
        if let Event::Text(t) | Event::Code(t) = event {
            out.push_str(&t);
        }
    }
    out.trim().to_string()
}

/// Explicit `id="…"` / `name="…"` attributes in raw HTML are link targets too.
fn collect_html_ids(html: &str, anchors: &mut Vec<String>) {
    for attr in [" id=\"", " name=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let after = &rest[i + attr.len()..];
            if let Some(end) = after.find('"') {
                anchors.push(after[..end].to_string());
                rest = &after[end..];
            } else {
                break;
            }
        }
    }
}

/// h2 entries with their h3 children; deeper levels are left out of the on-page TOC.
fn build_toc(headings: &[(u8, String, String)]) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for (level, id, title) in headings {
        let entry = TocEntry {
            level: *level,
            id: id.clone(),
            title: title.clone(),
            children: Vec::new(),
        };
        match level {
            2 => toc.push(entry),
            3 => match toc.last_mut() {
                Some(parent) => parent.children.push(entry),
                None => toc.push(entry),
            },
            _ => {}
        }
    }
    toc
}

#[cfg(test)]
mod tests {

    #[test]
    fn plain_text_of_a_heading_line() {
        assert_eq!(
            plain_text("# A &lt;b&gt; *title* with `code` <i>x</i> ##"),
            "A <b> title with code x"
        );
    }

    use super::*;
    use std::cell::RefCell;

    #[derive(Default)]
    struct Recorder(RefCell<Vec<(String, bool, usize, usize)>>);
    impl Linker for Recorder {
        fn link(&self, dest: &str, img: bool, l: usize, c: usize) -> String {
            self.0.borrow_mut().push((dest.to_string(), img, l, c));
            format!("REWRITTEN:{dest}")
        }
    }

    fn go(full: &str, body_offset: usize) -> (Rendered, Vec<(String, bool, usize, usize)>) {
        let r = Recorder::default();
        let out = render(
            full,
            body_offset,
            &full[body_offset..],
            RenderOptions {
                highlight: true,
                smart_punctuation: false,
            },
            &r,
        );
        (out, r.0.into_inner())
    }

    #[test]
    fn headings_get_unique_ids_and_toc() {
        let (r, _) = go("# Title\n\n## Setup\n\n### Step `one`\n\n## Setup\n", 0);
        assert_eq!(r.h1.as_deref(), Some("Title"));
        assert!(
            r.html
                .contains("<h2 id=\"setup\">Setup<a class=\"td-anchor\" href=\"#setup\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"setup-1\""));
        assert!(
            r.html.contains("<h3 id=\"step-one\">Step <code>one</code>"),
            "{}",
            r.html
        );
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].children[0].id, "step-one");
    }

    #[test]
    fn html_ids_inside_headings_are_anchors() {
        let (r, _) = go("## Open SDK <a id=\"oe-sdk\"></a>\n", 0);
        assert!(r.anchors.contains(&"oe-sdk".to_string()));
        assert!(r.anchors.contains(&"open-sdk".to_string()));
    }

    #[test]
    fn explicit_heading_ids() {
        let (r, _) = go("## Custom {#my-id}\n", 0);
        assert!(r.html.contains("id=\"my-id\""));
        assert!(r.anchors.contains(&"my-id".to_string()));
    }

    #[test]
    fn links_are_rewritten_with_page_positions() {
        let full = "---\ntitle: x\n---\nIntro\n\nsee [a](a.md#b) and ![i](img.png)\n";
        let off = full.find("Intro").unwrap();
        let (r, links) = go(full, off);
        assert!(r.html.contains("href=\"REWRITTEN:a.md#b\""));
        assert_eq!(links[0], ("a.md#b".into(), false, 6, 5));
        assert_eq!(links[1], ("img.png".into(), true, 6, 21));
    }

    #[test]
    fn code_is_highlighted() {
        let (r, _) = go("```json\n{\"a\": 1}\n```\n", 0);
        assert!(r
            .html
            .contains("<pre class=\"td-code\" tabindex=\"0\" data-lang=\"json\">"));
        assert!(r.html.contains("hl-"));
    }

    #[test]
    fn gfm_features() {
        let (r, _) = go(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ text[^1]\n\n[^1]: note\n",
            0,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains(
            "<input type=\"checkbox\" disabled aria-hidden=\"true\" checked><span class=\"td-visually-hidden\">Done: </span>"
        ));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("footnote"));
    }
}
