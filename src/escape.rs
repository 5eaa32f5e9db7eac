//! Escaping for HTML and XML output: the one helper every stage uses for text that came
//! from authors or data files, in element content and in double-quoted attribute values.
//! It wraps pulldown-cmark's escaper and replaces control characters, which HTML forbids
//! and which make XML parsers reject a whole SVG file.

/// Returns `s` escaped for HTML/XML text and double-quoted attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    html_into(&mut out, s);
    out
}

/// Appends `s`, escaped as [`html`] does, to `out`.
pub fn html_into(out: &mut String, s: &str) {
    let start = out.len();
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, s);
    if out[start..].contains(is_forbidden_control) {
        let fixed = out[start..].replace(is_forbidden_control, "\u{fffd}");
        out.truncate(start);
        out.push_str(&fixed);
    }
}

/// Control characters that HTML and XML 1.0 do not allow in documents.
fn is_forbidden_control(c: char) -> bool {
    c < ' ' && !matches!(c, '\t' | '\n' | '\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            html(r#"<a href="x">&</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn control_characters_become_replacement_characters() {
        assert_eq!(html("a\u{0}b\tc\n"), "a\u{fffd}b\tc\n");
    }

    #[test]
    fn appends_without_touching_earlier_text() {
        let mut out = String::from("\u{1}keep ");
        html_into(&mut out, "<\u{2}>");
        assert_eq!(out, "\u{1}keep &lt;\u{fffd}&gt;");
    }
}
