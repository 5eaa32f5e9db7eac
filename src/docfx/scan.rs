//! Block structure of the page as pulldown-cmark sees it: which lines are code or raw HTML
//! (never touched), where inline code spans are, every blockquote with its nesting depth, and
//! the top-level headings and thematic breaks that tab groups are made of. Asking the same
//! parser the core renders with avoids a second, subtly different Markdown grammar.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

#[derive(Debug, Clone)]
pub(crate) struct Quote {
    pub first: usize,
    pub last: usize,
    /// 1 for a quote not inside another quote.
    pub depth: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct TabLink {
    pub id: String,
    pub condition: Option<String>,
    /// The link text rendered as inline HTML.
    pub title_html: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Heading {
    pub first: usize,
    pub last: usize,
    pub level: usize,
    pub tab: Option<TabLink>,
    /// The heading is a single link to `#tab/…` that does not follow DocFX's id rules.
    pub bad_tab: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Analysis {
    /// Per line: inside a code block or a raw HTML block.
    pub protected: Vec<bool>,
    /// Per line: inside a code block.
    pub code: Vec<bool>,
    /// Per line: byte ranges (within the line) of inline code spans.
    pub code_spans: Vec<Vec<Range<usize>>>,
    pub quotes: Vec<Quote>,
    /// Top-level headings, in order.
    pub headings: Vec<Heading>,
    /// Lines of top-level thematic breaks.
    pub rules: Vec<usize>,
}

pub(crate) fn analyze(text: &str, body_start: usize) -> Analysis {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    let line_of = |off: usize| match starts.binary_search(&off) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    };
    let last_line = |r: &Range<usize>| line_of(r.end.max(r.start + 1) - 1);
    let n = starts.len();
    let mut a = Analysis {
        protected: vec![false; n],
        code: vec![false; n],
        code_spans: vec![Vec::new(); n],
        ..Analysis::default()
    };
    for p in a.protected.iter_mut().take(body_start) {
        *p = true;
    }
    let mut containers = 0usize;
    let mut quote_depth = 0usize;
    let mut heading: Option<(Range<usize>, usize, Vec<Event>)> = None;
    for (ev, range) in Parser::new_ext(text, super::markdown_options()).into_offset_iter() {
        if let Event::Code(_) = ev {
            let l = line_of(range.start);
            if l == last_line(&range) {
                let base = starts.get(l).copied().unwrap_or(0);
                if let Some(spans) = a.code_spans.get_mut(l) {
                    spans.push(range.start - base..range.end - base);
                }
            }
        }
        if let Some((_, _, events)) = heading.as_mut() {
            if !matches!(ev, Event::End(TagEnd::Heading(_))) {
                events.push(ev.into_static());
                continue;
            }
        }
        match ev {
            Event::Start(Tag::CodeBlock(_)) | Event::Start(Tag::HtmlBlock) => {
                let is_code = matches!(ev, Event::Start(Tag::CodeBlock(_)));
                for l in line_of(range.start)..=last_line(&range) {
                    if let Some(p) = a.protected.get_mut(l) {
                        *p = true;
                    }
                    if let (true, Some(c)) = (is_code, a.code.get_mut(l)) {
                        *c = true;
                    }
                }
            }
            Event::Start(Tag::BlockQuote(_)) => {
                quote_depth += 1;
                containers += 1;
                a.quotes.push(Quote {
                    first: line_of(range.start),
                    last: last_line(&range),
                    depth: quote_depth,
                });
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                quote_depth = quote_depth.saturating_sub(1);
                containers = containers.saturating_sub(1);
            }
            Event::Start(Tag::List(_) | Tag::Item | Tag::FootnoteDefinition(_)) => containers += 1,
            Event::End(TagEnd::List(_) | TagEnd::Item | TagEnd::FootnoteDefinition) => {
                containers = containers.saturating_sub(1);
            }
            Event::Start(Tag::Heading { level, .. }) if containers == 0 => {
                heading = Some((range, level as usize, Vec::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((r, level, events)) = heading.take() {
                    let (tab, bad_tab) = tab_link(&events);
                    a.headings.push(Heading {
                        first: line_of(r.start),
                        last: last_line(&r),
                        level,
                        tab,
                        bad_tab,
                    });
                }
            }
            Event::Rule if containers == 0 => a.rules.push(line_of(range.start)),
            _ => {}
        }
    }
    a
}

/// A heading whose whole content is one link to `#tab/id` or `#tab/id/condition`.
fn tab_link(events: &[Event]) -> (Option<TabLink>, Option<String>) {
    let blank = |e: &Event| matches!(e, Event::Text(t) if t.trim().is_empty());
    let start = events.iter().position(|e| !blank(e)).unwrap_or(0);
    let end = events.iter().rposition(|e| !blank(e)).map_or(0, |i| i + 1);
    let inner = events.get(start..end).unwrap_or_default();
    let links = inner
        .iter()
        .filter(|e| matches!(e, Event::Start(Tag::Link { .. })))
        .count();
    let (Some(Event::Start(Tag::Link { dest_url, .. })), Some(Event::End(TagEnd::Link)), 1) =
        (inner.first(), inner.last(), links)
    else {
        return (None, None);
    };
    let Some(rest) = dest_url.strip_prefix("#tab/") else {
        return (None, None);
    };
    let mut parts = rest.splitn(2, '/');
    let id = parts.next().unwrap_or_default();
    let condition = parts.next().filter(|c| !c.is_empty());
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let id_ok = id.split('+').all(word);
    let cond_ok = condition.is_none_or(word);
    if !id_ok || !cond_ok {
        return (None, Some(dest_url.to_string()));
    }
    let mut title_html = String::new();
    let body = inner
        .get(1..inner.len().saturating_sub(1))
        .unwrap_or_default();
    pulldown_cmark::html::push_html(&mut title_html, body.iter().cloned());
    (
        Some(TabLink {
            id: id.to_string(),
            condition: condition.map(str::to_string),
            title_html,
        }),
        None,
    )
}
