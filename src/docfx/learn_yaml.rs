//! Learn's YAML pages: `### YamlMime:Landing` (a hub page of cards with link lists) and
//! `### YamlMime:FAQ` (sections of questions with Markdown answers). Each becomes a
//! `LearnPage` whose `markdown` body the core renders like any page: FAQ sections and questions
//! become `##`/`###` headings (so they get anchors), landing cards become headed link lists.
//!
//! Plain-text fields (titles, questions, link texts) are escaped so they cannot inject Markdown
//! or HTML; only fields that are Markdown in Learn (FAQ summary, answers, additional content)
//! pass through as Markdown, each closed off so an unterminated code fence cannot swallow the
//! rest of the page. Link URLs with schemes other than http(s) and mailto are dropped.

use super::pivots::yaml_error;
use crate::error::Diagnostic;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LearnKind {
    Landing,
    Faq,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LearnPage {
    pub kind: LearnKind,
    pub title: String,
    pub description: Option<String>,
    /// The `metadata:` mapping as written (values may be strings, lists, …).
    pub metadata: BTreeMap<String, serde_json::Value>,
    /// Generated Markdown body.
    pub markdown: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Raw {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    metadata: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    landing_content: Vec<Card>,
    #[serde(default)]
    conceptual_content: Option<Conceptual>,
    #[serde(default)]
    sections: Vec<Section>,
    #[serde(default)]
    additional_content: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Card {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    link_lists: Vec<LinkList>,
    #[serde(default)]
    links: Vec<Link>,
    #[serde(default)]
    footer_link: Option<Link>,
}

#[derive(Deserialize)]
struct Conceptual {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    items: Vec<Card>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LinkList {
    #[serde(default)]
    link_list_type: Option<String>,
    #[serde(default)]
    links: Vec<Link>,
}

#[derive(Deserialize)]
struct Link {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
struct Section {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    questions: Vec<Question>,
}

#[derive(Deserialize)]
struct Question {
    #[serde(default)]
    question: Option<String>,
    #[serde(default)]
    answer: Option<String>,
}

/// Parse a Learn YAML page. `Ok(None)` when the first line is not a YamlMime header handled here.
pub fn parse_learn_yaml(
    display_path: &str,
    src: &str,
) -> Result<Option<LearnPage>, Vec<Diagnostic>> {
    let header = src
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or_default();
    let mime = header
        .trim()
        .strip_prefix("###")
        .map(str::trim)
        .unwrap_or_default();
    let kind = match mime.to_ascii_lowercase().as_str() {
        "yamlmime:landing" => LearnKind::Landing,
        "yamlmime:faq" => LearnKind::Faq,
        _ => return Ok(None),
    };
    let raw: Raw = serde_saphyr::from_str(src)
        .map_err(|e| vec![yaml_error(display_path, &e, "learn-yaml")])?;
    let meta_str = |k: &str| {
        raw.metadata
            .get(k)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .map(str::to_string)
    };
    let Some(title) = raw
        .title
        .clone()
        .or_else(|| meta_str("title"))
        .filter(|t| !t.trim().is_empty())
    else {
        let msg = "a YamlMime page needs `title:` (or `metadata.title`)";
        return Err(vec![Diagnostic::error(
            display_path,
            1,
            1,
            "learn-yaml",
            msg,
        )]);
    };
    let description = meta_str("description").or_else(|| raw.summary.as_deref().map(one_line));
    let markdown = match kind {
        LearnKind::Landing => landing(&raw),
        LearnKind::Faq => faq(&raw),
    };
    Ok(Some(LearnPage {
        kind,
        title: one_line(&title),
        description,
        metadata: raw.metadata,
        markdown,
    }))
}

fn faq(raw: &Raw) -> String {
    let mut md = String::new();
    if let Some(s) = &raw.summary {
        push_markdown(&mut md, s);
    }
    for section in &raw.sections {
        if let Some(name) = section.name.as_deref().filter(|n| !n.trim().is_empty()) {
            md.push_str(&format!("## {}\n\n", text(name)));
        }
        for q in &section.questions {
            let Some(question) = q.question.as_deref().filter(|t| !t.trim().is_empty()) else {
                continue;
            };
            md.push_str(&format!("### {}\n\n", text(question)));
            if let Some(a) = &q.answer {
                push_markdown(&mut md, a);
            }
        }
    }
    if let Some(extra) = &raw.additional_content {
        push_markdown(&mut md, extra);
    }
    md
}

fn landing(raw: &Raw) -> String {
    let mut md = String::new();
    if let Some(s) = &raw.summary {
        md.push_str(&format!("{}\n\n", text(s)));
    }
    for card in &raw.landing_content {
        push_card(&mut md, card, "##");
    }
    if let Some(c) = &raw.conceptual_content {
        if let Some(t) = &c.title {
            md.push_str(&format!("## {}\n\n", text(t)));
        }
        if let Some(s) = &c.summary {
            md.push_str(&format!("{}\n\n", text(s)));
        }
        let level = if c.title.is_some() { "###" } else { "##" };
        for card in &c.items {
            push_card(&mut md, card, level);
        }
    }
    md
}

fn push_card(md: &mut String, card: &Card, level: &str) {
    if let Some(t) = card.title.as_deref().filter(|t| !t.trim().is_empty()) {
        md.push_str(&format!("{level} {}\n\n", text(t)));
    }
    for list in &card.link_lists {
        if let Some(kind) = &list.link_list_type {
            md.push_str(&format!("{level}# {}\n\n", list_title(kind)));
        }
        push_links(md, &list.links);
    }
    push_links(md, &card.links);
    if let Some(f) = &card.footer_link {
        push_links(md, std::slice::from_ref(f));
    }
}

fn push_links(md: &mut String, links: &[Link]) {
    for l in links {
        let label = text(l.text.as_deref().unwrap_or_default());
        match l.url.as_deref().and_then(safe_url) {
            Some(url) if !label.is_empty() => md.push_str(&format!("- [{label}](<{url}>)\n")),
            Some(url) => md.push_str(&format!("- <{url}>\n")),
            None => md.push_str(&format!("- {label}\n")),
        }
    }
    if !links.is_empty() {
        md.push('\n');
    }
}

/// Learn's link list types as headings.
fn list_title(kind: &str) -> String {
    let k = kind.trim().to_ascii_lowercase();
    let known = match k.as_str() {
        "how-to-guide" => "How-to guide",
        "get-started" => "Get started",
        "whats-new" => "What's new",
        "learn" => "Training",
        _ => "",
    };
    if !known.is_empty() {
        return text(known);
    }
    let words = k.replace('-', " ");
    let mut chars = words.chars();
    let title = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    text(&title)
}

/// A Markdown field, ended with a blank line; an unclosed code fence in it is closed.
fn push_markdown(md: &mut String, field: &str) {
    let mut fence: Option<(char, usize)> = None;
    for line in field.lines() {
        let t = line.trim_start();
        let ch = t.chars().next().unwrap_or(' ');
        let run = t.chars().take_while(|c| *c == ch).count();
        if (ch == '`' || ch == '~') && run >= 3 {
            match fence {
                None => fence = Some((ch, run)),
                Some((c, n)) if c == ch && run >= n && t[run..].trim().is_empty() => fence = None,
                _ => {}
            }
        }
    }
    md.push_str(field.trim_end());
    md.push('\n');
    if let Some((c, n)) = fence {
        md.push_str(&c.to_string().repeat(n));
        md.push('\n');
    }
    md.push('\n');
}

/// Plain text made safe as Markdown inline text: one line, every ASCII punctuation escaped.
fn text(s: &str) -> String {
    let mut out = String::new();
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            if c.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A URL usable as a Markdown link destination in `<…>`, or None when its scheme is unsafe.
fn safe_url(url: &str) -> Option<String> {
    let u = url.trim();
    if u.is_empty() {
        return None;
    }
    let head = u
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if let Some((scheme, _)) = head.split_once(':') {
        if !matches!(scheme, "http" | "https" | "mailto") {
            return None;
        }
    }
    let mut out = String::new();
    for c in u.chars() {
        match c {
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() || c.is_control() => out.push_str("%20"),
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
#[path = "learn_yaml_tests.rs"]
mod tests;
