//! Live reload, serve mode only: the small script every served HTML page carries, the tag
//! that loads it, and the error overlay. Nothing here touches the built files: the tag (and
//! the overlay while a build has errors) is inserted into a page's bytes as the response
//! goes out, so what the server holds stays byte-identical to a full build.

use crate::error::Diagnostic;

/// Requests under `<base path>__trustdoc/` belong to the server, never to the site.
pub const PREFIX: &str = "__trustdoc/";

/// Listens to the server's event stream. Each `build` event carries the server's id of the
/// build it serves; the page was served with the id current at that time, so a different
/// id (a finished rebuild, or a restarted server after EventSource reconnected) reloads
/// the page. The server sends an event only after a rebuild is in place, never before.
pub const SCRIPT: &str = r#"(function () {
  var me = document.currentScript;
  if (!me || !window.EventSource) return;
  var seen = me.getAttribute('data-build');
  var events = new EventSource(me.src.replace(/reload\.js(\?.*)?$/, 'events'));
  events.addEventListener('build', function (e) {
    if (e.data !== seen) { events.close(); location.reload(); }
  });
})();
"#;

/// The diagnostics as the terminal shows them: numbered, errors first.
pub fn lines(diags: &[Diagnostic]) -> Vec<String> {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| !d.is_error());
    sorted
        .iter()
        .enumerate()
        .map(|(i, d)| format!("{:>3}. {d}", i + 1))
        .collect()
}

/// What a served HTML page gets before `</body>`: the script tag and, while the last build
/// had errors, the overlay listing them (escaped).
pub fn tail(base_path: &str, build_id: &str, errors: &[String]) -> String {
    let mut out = String::new();
    if !errors.is_empty() {
        out.push_str(
            "<div id=\"trustdoc-overlay\" role=\"alert\" style=\"position:fixed;inset:0;\
             z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;background:rgba(20,20,20,.94);\
             color:#fff;font:14px/1.5 monospace\"><p style=\"margin:0 0 1rem;font-weight:bold\">\
             trustdoc: the last build has errors; this page shows the last good output \
             where there is one. Save a fix to reload.</p><pre style=\"white-space:pre-wrap;margin:0\">",
        );
        for (i, line) in errors.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            crate::escape::html_into(&mut out, line);
        }
        out.push_str("</pre></div>");
    }
    out.push_str("<script src=\"");
    crate::escape::html_into(&mut out, base_path);
    out.push_str(PREFIX);
    out.push_str("reload.js\" data-build=\"");
    crate::escape::html_into(&mut out, build_id);
    out.push_str("\"></script>");
    out
}

/// `page` with `tail` inserted before its last `</body>` (appended when there is none).
pub fn inject(page: &[u8], tail: &str) -> Vec<u8> {
    let at = find_last(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + tail.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(tail.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end() {
        let page = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = inject(page, "<script></script>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><body><p>&lt;/body&gt;</p><script></script></BODY></html>"
        );
        assert_eq!(inject(b"<p>x", "T"), b"<p>xT");
    }

    #[test]
    fn overlay_escapes_messages_and_script_keeps_the_base_path() {
        let d = Diagnostic::error("a.md", 3, 7, "x", "bad <script>alert(1)</script>");
        let t = tail("/pr/42/", "1-2", &lines(&[d]));
        assert!(t.contains("  1. a.md:3:7: error: bad &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!t.contains("<script>alert"));
        assert!(
            t.ends_with("<script src=\"/pr/42/__trustdoc/reload.js\" data-build=\"1-2\"></script>")
        );
        assert!(!tail("/", "1", &[]).contains("trustdoc-overlay"));
    }
}
