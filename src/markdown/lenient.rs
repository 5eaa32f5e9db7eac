//! Lenient fixes for link typos common in real docs: `[text] (target.md)` with a space
//! between the brackets is no link in CommonMark, so readers would see the raw syntax.
//! We read it as the link the author meant and warn. Line and column of everything else
//! stay as they were (the space moves behind the link).

use crate::error::Diagnostic;

/// Returns the text with spaced links closed up, and a warning for each. `first_line` is
/// the page line `text` starts on.
pub fn close_spaced_links(
    display: &str,
    text: &str,
    first_line: usize,
) -> (String, Vec<Diagnostic>) {
    if !text.contains("] (") {
        return (text.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut diags = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim_start();
        for f in ["```", "~~~"] {
            if t.starts_with(f) {
                fence = match fence {
                    None => Some(f),
                    Some(open) if open == f => None,
                    other => other,
                };
            }
        }
        if fence.is_some() || !line.contains("] (") {
            out.push_str(line);
            continue;
        }
        out.push_str(&fix_line(line, display, first_line + i, &mut diags));
    }
    (out, diags)
}

fn fix_line(line: &str, display: &str, line_no: usize, diags: &mut Vec<Diagnostic>) -> String {
    let mut s = line.to_string();
    let mut from = 0;
    while let Some(found) = s[from..].find("] (") {
        let at = from + found;
        from = at + 3;
        // Not inside inline code: an even number of backticks before it.
        if s[..at].matches('`').count() % 2 == 1 || !s[..at].contains('[') {
            continue;
        }
        let rest = &s[at + 3..];
        let Some(close) = rest.find(')') else {
            continue;
        };
        let target = &rest[..close];
        let looks_like_target = !target.is_empty()
            && !target.contains(char::is_whitespace)
            && (target.contains('.') || target.contains('/') || target.starts_with('#'));
        if !looks_like_target {
            continue;
        }
        let col = s[..at].chars().count() + 1;
        diags.push(Diagnostic::warning(display, line_no, col, "link-space", format!("a space between `]` and `({target})` stops this being a link; read as a link, remove the space")));
        // "] (target)" -> "](target) ": same length, so later columns do not move.
        s.replace_range(at..at + 3 + close + 1, &format!("]({target}) "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closes_spaced_links_and_warns() {
        let (t, d) = close_spaced_links("p.md", "see [A] (a.md) and [b](b.md)\n", 3);
        assert_eq!(t, "see [A](a.md)  and [b](b.md)\n");
        assert_eq!((d[0].line, d[0].col), (3, 7));
    }

    #[test]
    fn leaves_prose_and_code_alone() {
        let src = "[note] (not a link)\n`[x] (y.md)`\n```\n[x] (y.md)\n```\n";
        let (t, d) = close_spaced_links("p.md", src, 1);
        assert_eq!(t, src);
        assert!(d.is_empty());
    }
}
