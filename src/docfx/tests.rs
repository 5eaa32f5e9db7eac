//! Cross-construct tests, the placeholder contract, and a run over the Learn corpus.

use super::test_support::{assert_lines_kept, pre, render, FakeHost};
use super::{parse_attributes, preprocess, swap_placeholders, PivotConfig};
use std::path::Path;

#[test]
fn attributes_parse_in_any_form() {
    let got = parse_attributes(" type='content'  source=\"a b.png\"\talt-text = \"It's ok\" ")
        .expect("valid");
    let want = vec![
        ("type".to_string(), "content".to_string()),
        ("source".to_string(), "a b.png".to_string()),
        ("alt-text".to_string(), "It's ok".to_string()),
    ];
    assert_eq!(got, want);
    assert!(parse_attributes("a=b").is_err());
    assert!(parse_attributes("a=\"b").is_err());
    assert!(parse_attributes("a=\"1\" A=\"2\"").is_err());
    assert!(parse_attributes("=\"x\"").is_err());
    assert_eq!(parse_attributes("   "), Ok(vec![]));
}

#[test]
fn swap_handles_padded_and_unknown_placeholders() {
    let blocks = vec!["<b>zero</b>".to_string(), "<i>one</i>".to_string()];
    let html = "<p>a<!--td:1-->b</p>\n<!--td:0\n\n-->\n<!--td:7--><!--td:x--><!--td:";
    assert_eq!(
        swap_placeholders(html, &blocks),
        "<p>a<i>one</i>b</p>\n<b>zero</b>\n<!--td:7--><!--td:x--><!--td:"
    );
}

#[test]
fn multi_line_placeholder_in_quote_keeps_lines() {
    // A quote rendered whole (no blank line after) inside a list item.
    let src = "- item\n\n  > [!NOTE]\n  > one\n  > two\n- next\n";
    let p = pre(src);
    assert_lines_kept(src, &p);
    let html = render(&p);
    assert!(html.contains("<p>one\ntwo</p>\n</div>"), "{html}");
    assert!(
        html.contains("<li>\n<p>next</p>\n</li>") || html.contains("<li>next</li>"),
        "{html}"
    );
}

#[test]
fn crlf_and_missing_final_newline_survive() {
    let src = "> [!NOTE]\r\n> Windows line ends.\r\n\r\nEnd";
    let p = pre(src);
    assert_lines_kept(src, &p);
    assert!(p.text.ends_with("\r\nEnd"), "{:?}", p.text);
    assert!(render(&p).contains("<p>Windows line ends.</p>\n</div>"));
}

#[test]
fn hostile_input_does_not_panic() {
    let nasty = [
        "",
        ">",
        "> [!NOTE]",
        ":::",
        ":::image",
        ":::image type=\"complex\" source=\"x\" alt-text=\"y\":::",
        "[!INCLUDE",
        "[!INCLUDE [",
        "[!INCLUDE [a](",
        "# [x](#tab/)",
        "---\n---",
        "> > > > > > > > > > > > > > > > > > > > [!NOTE]\n> > > > > > > > > > > > > > > > > > > > x",
        "\u{feff}:::zone pivot=\"é\"\n\u{301}",
        "1. > [!TIP]\n   > é\n",
        "::: zone-end\n::: zone pivot=\"\"\n:::row:::\n:::column-end:::",
    ];
    for src in nasty {
        let p = pre(src);
        let _ = render(&p);
        assert!(p.text.lines().count() <= src.lines().count() + 4, "{src:?}");
    }
}

#[test]
fn authors_lookalike_comments_are_not_swapped() {
    let src = "<!--td:0-->\n\n> [!NOTE]\n> Real.\n\n`<!--td:0-->` and\n\n```\n<!--td:0-->\n```\n";
    let p = pre(src);
    assert_lines_kept(src, &p);
    let html = render(&p);
    assert!(html.starts_with("<!-- td:0-->"), "{html}");
    assert_eq!(html.matches("td-alert-note").count(), 1, "{html}");
    assert_eq!(
        html.matches("&lt;!--td:0--&gt;").count(),
        2,
        "code keeps its text: {html}"
    );
}

/// Random mixes of construct fragments (a fixed-seed generator, so runs repeat): no panic,
/// and source lines keep their numbers (only end-of-page closers are appended).
#[test]
fn shuffled_fragments_never_panic() {
    const PARTS: [&str; 36] = [
        "> [!NOTE]",
        "> text",
        ">",
        "> > [!TIP]",
        "   > [!warning]",
        "- item",
        "1. step",
        "   nested",
        "",
        "",
        "# [A](#tab/a)",
        "## [B](#tab/b/c)",
        "---",
        "text\n---",
        "::: zone pivot=\"a\"",
        "::: zone-end",
        ":::image type=\"complex\" source=\"c.png\" alt-text=\"c\":::",
        ":::image-end:::",
        "```",
        "    indented",
        "[!INCLUDE [x](inc.md)]",
        "see [!INCLUDE [x](inc.md)] here",
        "> [!div class=\"checklist\"]",
        ":::row:::",
        "   > x",
        "<!--td:0-->",
        "> - quoted item",
        "> [!VIDEO https://v.example/e?autoplay=1]",
        ":::code language=\"md\" source=\"inc.md\" range=\"1-2\":::",
        "  - sub",
        "| a | b |\n|---|---|\n| [!INCLUDE [x](inc.md)] | y |",
        "~~~",
        "<details>",
        "1. > [!TIP]",
        "  [!VIDEO http://v.example/x]",
        "> [!NOTE] inline",
    ];
    let host = FakeHost::with_files(&[("inc.md", "> [!NOTE]\n> from include\n")]);
    let mut seed: u64 = 0x1234_5678_9abc_def1;
    for _ in 0..2000 {
        let mut src = String::new();
        let len = 1 + (seed >> 60) as usize;
        for _ in 0..len * 2 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            src.push_str(PARTS[(seed >> 33) as usize % PARTS.len()]);
            src.push('\n');
        }
        let p = preprocess("mix.md", &src, &host, &PivotConfig::default());
        // A leading `---` pair is front matter: left alone here, and not rendered by the core.
        let html = render(&super::Preprocessed {
            text: without_front_matter(&p.text),
            ..p.clone()
        });
        assert!(
            !outside_code(&html).contains("<!--td:"),
            "placeholder left:\n{src}\n---\n{html}"
        );
        let swallowed = html.matches("&lt;!--td:").count();
        assert!(
            swallowed <= src.matches("<!--td:").count(),
            "placeholder in code:\n{src}\n---\n{html}"
        );
        for (open, close) in [
            ("<div", "</div>"),
            ("<section", "</section>"),
            ("<figure", "</figure>"),
        ] {
            assert_eq!(
                html.matches(open).count(),
                html.matches(close).count(),
                "{open} unbalanced:\n{src}\n---\n{html}"
            );
        }
        let appended = p.text.lines().count().saturating_sub(src.lines().count());
        assert!(appended <= src.lines().count() + 1, "{src}");
        let mut padding = false;
        for (a, b) in src.lines().zip(p.text.lines()) {
            let in_placeholder = padding || b.contains("<!--td:");
            padding = (padding || b.contains("<!--td:")) && !b.trim_end().ends_with("-->");
            // Lazy lines of a converted quote may gain the outer container's prefix.
            let same = b.trim_end().ends_with(a.trim()) || in_placeholder || a.contains('>');
            assert!(
                same || a.contains(":::") || a.contains("[!"),
                "line moved: {a:?} -> {b:?}\n{src}"
            );
        }
    }
}

#[test]
fn placeholders_are_deterministic() {
    let src = "# [A](#tab/a)\n\nx\n\n---\n\n:::image type=\"complex\" source=\"c.png\" alt-text=\"c\":::\nd\n:::image-end:::\n";
    assert_eq!(pre(src), pre(src));
}

/// Every Markdown page of the Learn corpus goes through without panics, keeps its line
/// numbers, and leaves no DocFX syntax in the HTML outside code.
#[test]
fn corpus_pages_render_without_docfx_leftovers() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/azure-confidential-computing");
    if !dir.is_dir() {
        println!("skipped: corpus not present");
        return;
    }
    let host = FakeHost::default();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if entry.path().extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let Ok(src) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let name = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .display()
            .to_string();
        let p = preprocess(&name, &src, &host, &PivotConfig::default());
        let appended = p
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("end of the page"))
            .count();
        assert_eq!(
            p.text.lines().count(),
            src.lines().count() + appended,
            "{name}"
        );
        for (i, (a, b)) in src.lines().zip(p.text.lines()).enumerate() {
            if !b.contains("<!--td:") && a.trim_start() != b.trim_start() && !a.contains('>') {
                panic!("{name}:{}: a plain line changed: {a:?} -> {b:?}", i + 1);
            }
        }
        let html = render(&super::Preprocessed {
            text: without_front_matter(&p.text),
            ..p.clone()
        });
        let visible = outside_code(&html).to_ascii_uppercase();
        for bad in [":::", "[!INCLUDE", "[!DIV", "#TAB/", "<!--TD:", "[!VIDEO"] {
            assert!(!visible.contains(bad), "{name}: `{bad}` left in HTML");
        }
        // Only markers DocFX itself leaves alone (text on the marker line) may remain, each warned.
        let alerts = [
            "[!NOTE]",
            "[!TIP]",
            "[!IMPORTANT]",
            "[!WARNING]",
            "[!CAUTION]",
        ];
        let left: usize = alerts.iter().map(|a| visible.matches(a).count()).sum();
        let warned = p
            .diagnostics
            .iter()
            .filter(|d| d.kind == "docfx-alert")
            .count();
        assert_eq!(left, warned, "{name}: alert markers left without a warning");
        pages += 1;
    }
    assert!(pages > 50, "only {pages} pages found");
}

/// The text with a leading front matter block blanked (the core renders only the body).
fn without_front_matter(text: &str) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.first().map(|l| l.trim_end()) == Some("---") {
        if let Some(end) = lines.iter().skip(1).position(|l| l.trim_end() == "---") {
            for l in lines.iter_mut().take(end + 2) {
                *l = "";
            }
        }
    }
    lines.join("\n")
}

/// The HTML with everything inside <pre>…</pre> and <code>…</code> removed.
fn outside_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let pre = rest.find("<pre");
        let code = rest.find("<code");
        let (start, end_tag) = match (pre, code) {
            (Some(p), Some(c)) if p < c => (p, "</pre>"),
            (Some(p), None) => (p, "</pre>"),
            (_, Some(c)) => (c, "</code>"),
            (None, None) => {
                out.push_str(rest);
                return out;
            }
        };
        out.push_str(&rest[..start]);
        match rest[start..].find(end_tag) {
            Some(e) => rest = &rest[start + e + end_tag.len()..],
            None => return out,
        }
    }
}
