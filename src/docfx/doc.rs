//! The page being preprocessed, as editable lines. Every edit replaces whole lines with lines
//! (or rewrites text inside one line), so source line N stays line N. Placeholders keep the
//! container prefix of the line they replace (indentation, `>` markers, a list marker on the
//! first line) so a construct inside a list item or a quote stays there.

use super::{Host, Preprocessed};
use crate::error::Diagnostic;
use std::collections::BTreeSet;

pub(crate) struct Line {
    pub text: String,
    /// `"\n"`, `"\r\n"`, or `""` for a last line without a newline.
    pub eol: &'static str,
}

pub(crate) struct Doc<'h> {
    pub path: String,
    pub lines: Vec<Line>,
    /// Index of the first line after the front matter (0 when there is none).
    pub body_start: usize,
    pub blocks: Vec<String>,
    pub diags: Vec<Diagnostic>,
    /// Closing placeholders for containers left open at the end: (line the container
    /// opened at, block index). Written after the last line, innermost first.
    pub tail: Vec<(usize, usize)>,
    pub host: &'h dyn Host,
    /// Counter for ids that must be unique in the page (tab groups, long descriptions).
    pub next_id: usize,
    /// Short hash of the display path, so ids differ between a page and its includes.
    pub id_key: String,
    /// Blocks that open a container (nothing may be attached after them).
    pub opens: BTreeSet<usize>,
}

impl<'h> Doc<'h> {
    pub fn new(path: &str, src: &str, host: &'h dyn Host) -> Self {
        let mut lines = Vec::new();
        let mut rest = src;
        while !rest.is_empty() {
            let (text, eol, next) = match rest.find('\n') {
                Some(i) if rest[..i].ends_with('\r') => (&rest[..i - 1], "\r\n", &rest[i + 1..]),
                Some(i) => (&rest[..i], "\n", &rest[i + 1..]),
                None => (rest, "", ""),
            };
            lines.push(Line {
                text: text.to_string(),
                eol,
            });
            rest = next;
        }
        let body_start = front_matter_end(&lines);
        // FNV-1a: a stable, dependency-free hash; only used to keep ids apart.
        let hash = path.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        Doc {
            path: path.to_string(),
            lines,
            body_start,
            blocks: Vec::new(),
            diags: Vec::new(),
            tail: Vec::new(),
            host,
            next_id: 0,
            id_key: format!("{:06x}", hash & 0xff_ffff),
            opens: BTreeSet::new(),
        }
    }

    /// The text pulldown-cmark analyses: the body, with front matter lines left empty.
    pub fn analysis_text(&self) -> String {
        let mut out = String::new();
        for (i, l) in self.lines.iter().enumerate() {
            if i >= self.body_start {
                out.push_str(&l.text);
            }
            out.push('\n');
        }
        out
    }

    pub fn text(&self, i: usize) -> &str {
        self.lines.get(i).map_or("", |l| l.text.as_str())
    }

    pub fn set(&mut self, i: usize, text: String) {
        if let Some(l) = self.lines.get_mut(i) {
            l.text = text;
        }
    }

    pub fn add_block(&mut self, html: String) -> usize {
        self.blocks.push(html);
        self.blocks.len() - 1
    }

    pub fn fresh_id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    /// Replace lines `first..=last` by one placeholder for `html`.
    pub fn replace(
        &mut self,
        first: usize,
        last: usize,
        first_prefix: &str,
        mut html: String,
    ) -> usize {
        // The HTML block around the placeholder already ends with a newline.
        html.truncate(html.trim_end_matches('\n').len());
        let n = self.add_block(html);
        let cont = continuation(first_prefix);
        if first >= last {
            self.set(first, format!("{first_prefix}<!--td:{n}-->"));
        } else {
            self.set(first, format!("{first_prefix}<!--td:{n}"));
            for i in first + 1..last {
                self.set(i, cont.trim_end().to_string());
            }
            self.set(last, format!("{cont}-->"));
        }
        n
    }

    /// Like `replace`, for the placeholder that opens a container.
    pub fn replace_open(&mut self, first: usize, last: usize, first_prefix: &str, html: String) {
        let n = self.replace(first, last, first_prefix, html);
        self.opens.insert(n);
    }

    /// Can a closing placeholder go on line `i`? Yes when it is blank, or when it holds only
    /// placeholders after `prefix` (a line that is already a bare HTML block).
    pub fn can_attach(&self, i: usize, prefix: &str) -> bool {
        let t = self.text(i);
        let closes_only = t
            .strip_prefix(prefix)
            .and_then(placeholder_ids)
            .is_some_and(|ids| ids.iter().all(|n| !self.opens.contains(n)));
        i < self.lines.len() && (t.trim().is_empty() || closes_only)
    }

    /// Put a placeholder on line `i` (see `can_attach`), before or after the ones already there.
    pub fn attach(&mut self, i: usize, prefix: &str, mut html: String, before: bool) {
        if self.text(i).trim().is_empty() {
            self.replace(i, i, prefix, html);
            return;
        }
        html.truncate(html.trim_end_matches('\n').len());
        let n = self.add_block(html);
        let ph = format!("<!--td:{n}-->");
        let rest = self
            .text(i)
            .get(prefix.len()..)
            .unwrap_or_default()
            .to_string();
        let new = if before {
            format!("{prefix}{ph}{rest}")
        } else {
            format!("{prefix}{rest}{ph}")
        };
        self.set(i, new);
    }

    /// A placeholder to put inside a line of text.
    pub fn inline(&mut self, html: String) -> String {
        let n = self.add_block(html);
        format!("<!--td:{n}-->")
    }

    /// Close a container at the end of the input.
    pub fn close_at_end(&mut self, opened_at: usize, mut html: String) {
        html.truncate(html.trim_end_matches('\n').len());
        let n = self.add_block(html);
        self.tail.push((opened_at, n));
    }

    pub fn warn(&mut self, line0: usize, col: usize, kind: &str, msg: impl Into<String>) {
        let d = Diagnostic::warning(self.path.clone(), line0 + 1, col, kind, msg);
        self.diags.push(d);
    }

    pub fn error(&mut self, line0: usize, col: usize, kind: &str, msg: impl Into<String>) {
        let d = Diagnostic::error(self.path.clone(), line0 + 1, col, kind, msg);
        self.diags.push(d);
    }

    pub fn finish(mut self) -> Preprocessed {
        let mut text = String::new();
        for l in &self.lines {
            text.push_str(&l.text);
            text.push_str(l.eol);
        }
        self.tail.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        if !self.tail.is_empty() {
            // A code fence left open to the end would swallow the closers.
            let body: String = self
                .lines
                .iter()
                .skip(self.body_start)
                .map(|l| format!("{}\n", l.text))
                .collect();
            if let Some(fence) = open_fence_at_end(&body) {
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&fence);
                text.push('\n');
            }
        }
        for (_, n) in &self.tail {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&format!("<!--td:{n}-->\n"));
        }
        self.diags.sort();
        self.diags.dedup();
        Preprocessed {
            text,
            blocks: self.blocks,
            diagnostics: self.diags,
        }
    }
}

/// The fence that would close a top-level fenced code block still open at the end of `text`.
fn open_fence_at_end(text: &str) -> Option<String> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    let mut last = None;
    for (ev, range) in Parser::new_ext(text, super::markdown_options()).into_offset_iter() {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) = ev {
            last = Some(range);
        }
    }
    let range = last?;
    if text.get(range.end..)?.trim().is_empty() {
        let block = text.get(range.clone())?;
        let opener = block.lines().next()?.trim_start();
        let ch = opener.chars().next()?;
        let run: String = opener.chars().take_while(|c| *c == ch).collect();
        let closed = block.lines().count() > 1
            && block.lines().last().is_some_and(|l| {
                let t = l.trim();
                t.len() >= run.len() && t.chars().all(|c| c == ch)
            });
        if !closed && (ch == '`' || ch == '~') && run.len() >= 3 {
            return Some(run);
        }
    }
    None
}

/// The prefix for the following lines of a construct whose first line had `prefix`:
/// list markers become spaces, `>` markers and tabs stay.
pub(crate) fn continuation(prefix: &str) -> String {
    prefix
        .chars()
        .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
        .collect()
}

/// The indexes of a non-empty run of `<!--td:N-->` placeholders that makes up all of `s`.
fn placeholder_ids(s: &str) -> Option<Vec<usize>> {
    let mut rest = s.trim_end();
    let mut ids = Vec::new();
    while !rest.is_empty() {
        let after = rest.strip_prefix("<!--td:")?;
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        ids.push(after.get(..digits)?.parse().ok()?);
        rest = after.get(digits..)?.strip_prefix("-->")?;
    }
    (!ids.is_empty()).then_some(ids)
}

/// Byte index where a line's content starts, after indentation, `>` markers and at most one
/// list marker (`-`, `+`, `*`, `1.`, `1)` followed by a space).
pub(crate) fn content_start(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = skip_quote_markers(b, 0, usize::MAX).0;
    if let Some(end) = list_marker_end(b, i) {
        i = end;
        while b.get(i).is_some_and(|c| *c == b' ' || *c == b'\t') {
            i += 1;
        }
    }
    i
}

/// Skip whitespace and up to `max` `>` markers (each with one optional following space)
/// from `i`. Returns (index after them, number of markers skipped).
pub(crate) fn skip_quote_markers(b: &[u8], mut i: usize, max: usize) -> (usize, usize) {
    let mut n = 0;
    loop {
        while b.get(i).is_some_and(|c| *c == b' ' || *c == b'\t') {
            i += 1;
        }
        if n < max && b.get(i) == Some(&b'>') {
            i += 1;
            n += 1;
            if b.get(i) == Some(&b' ') {
                i += 1;
            }
            continue;
        }
        return (i, n);
    }
}

/// End of a list marker (including the one required space) starting at `i`.
pub(crate) fn list_marker_end(b: &[u8], i: usize) -> Option<usize> {
    let digits = b
        .get(i..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let after = match b.get(i) {
        Some(b'-' | b'+' | b'*') => i + 1,
        Some(_) if (1..=9).contains(&digits) && matches!(b.get(i + digits), Some(b'.' | b')')) => {
            i + digits + 1
        }
        _ => return None,
    };
    match b.get(after) {
        Some(b' ' | b'\t') => Some(after + 1),
        _ => None,
    }
}

/// Number of lines of a leading front matter block (`---` YAML or `+++` TOML), or 0.
fn front_matter_end(lines: &[Line]) -> usize {
    let Some(first) = lines.first() else {
        return 0;
    };
    let marker = first.text.trim_end();
    if marker != "---" && marker != "+++" {
        return 0;
    }
    for (i, l) in lines.iter().enumerate().skip(1) {
        let t = l.text.trim_end();
        if t == marker || (marker == "---" && t == "...") {
            return i + 1;
        }
    }
    0
}

/// Remove up to `n` columns of leading spaces (a tab counts as reaching the next multiple of 4).
pub(crate) fn dedent(s: &str, n: usize) -> String {
    let mut col = 0;
    let mut cut = 0;
    for (i, c) in s.char_indices() {
        if col >= n {
            break;
        }
        match c {
            ' ' => col += 1,
            '\t' => col = (col / 4 + 1) * 4,
            _ => break,
        }
        cut = i + c.len_utf8();
    }
    s[cut..].to_string()
}

/// Width in columns of a line's leading whitespace.
pub(crate) fn indent_width(s: &str) -> usize {
    let mut col = 0;
    for c in s.chars() {
        match c {
            ' ' => col += 1,
            '\t' => col = (col / 4 + 1) * 4,
            _ => break,
        }
    }
    col
}
