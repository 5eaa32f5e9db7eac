//! Tests for the line constructs in `blocks.rs`.

use super::super::preprocess;
use super::super::test_support::{assert_lines_kept, pre, pre_with, render, FakeHost};

#[test]
fn zone_pivots_wrap_markdown() {
    let src = "::: zone pivot=\"bash,pwsh\"\n\n1. First\n2. Second\n::: zone-end\n\n:::zone target=\"chromeless\"\nHidden.\n:::zone-end\n";
    let mut host = FakeHost::default();
    host.pivots
        .titles
        .insert("bash".into(), "Bash shell".into());
    let p = preprocess("page.md", src, &host, &host.pivots);
    assert_lines_kept(src, &p);
    let html = render(&p);
    assert!(html.contains("<div class=\"td-zone\" data-pivot=\"bash pwsh\">\n<p class=\"td-zone-label\">Applies to: Bash shell, pwsh</p>"), "{html}");
    assert!(html.contains("<li>Second</li>\n</ol>\n</div>"), "{html}");
    assert!(
        html.contains("<div class=\"td-zone\" data-target=\"chromeless\" hidden>"),
        "{html}"
    );
    assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
    assert!(p.diagnostics[0].message.contains("pwsh"));
}

#[test]
fn unclosed_zone_and_stray_end_warn() {
    let p = pre("::: zone pivot=\"a\"\nText\n");
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.message.contains("never closed")),
        "{:?}",
        p.diagnostics
    );
    assert!(render(&p).trim_end().ends_with("</div>"));
    let p = pre("::: zone-end\n");
    assert_eq!(p.diagnostics[0].kind, "docfx-directive");
    assert!(!render(&p).contains(":::"));
}

#[test]
fn include_block_and_inline() {
    let files = [
        (
            "inc/steps.md",
            "---\nauthor: someone\n---\n- step *one*\n- step two\n",
        ),
        ("inc/word.md", "a **short** word\n"),
    ];
    let src = "Intro.\n[!INCLUDE [steps](inc/steps.md)]\nSay [!include[w](~/inc/word.md)] here.\n[!INCLUDE [w](inc/word.md)] starts this line.\n";
    let p = pre_with(src, &files);
    assert_lines_kept(src, &p);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let html = render(&p);
    assert!(html.contains("<li>step <em>one</em></li>"), "{html}");
    assert!(!html.contains("author"), "{html}");
    assert!(
        html.contains("<p>Say a <strong>short</strong> word here."),
        "{html}"
    );
    assert!(
        html.contains("here.\n<span></span>a <strong>short</strong> word starts this line.</p>"),
        "{html}"
    );
}

#[test]
fn missing_include_is_an_error_at_its_position() {
    let p = pre("Text\n  [!INCLUDE [x](missing.md)]\n");
    assert_eq!(p.diagnostics.len(), 1);
    let d = &p.diagnostics[0];
    assert!(d.is_error());
    assert_eq!((d.line, d.col, d.kind.as_str()), (2, 3, "docfx-include"));
}

#[test]
fn unknown_directive_warns_with_suggestion() {
    let p = pre("Text\n\n:::imgae source=\"a.png\":::\n");
    assert_eq!(p.diagnostics.len(), 1);
    let d = &p.diagnostics[0];
    assert_eq!((d.line, d.col, d.kind.as_str()), (3, 1, "docfx-directive"));
    assert!(
        d.message.contains("did you mean `:::image`"),
        "{}",
        d.message
    );
    assert!(render(&p).contains(":::imgae"), "left visible");
}

#[test]
fn trustdoc_directives_are_left_for_the_core() {
    // Every directive of the registry, so the DocFX pass cannot drift from it again
    // (it once warned about `guidance-matrix`).
    for kind in crate::directives::Kind::ALL {
        let src = format!(":::{} source=\"models.toml\" title=\"x\":::\n", kind.name());
        let p = pre(&src);
        assert!(p.diagnostics.is_empty(), "{src}: {:?}", p.diagnostics);
        assert_eq!(p.text, src);
    }
}

#[test]
fn code_and_front_matter_are_untouched() {
    let src = "---\ntitle: \":::image x:::\"\n---\n\n```md\n> [!NOTE]\n> inside\n:::image type=\"content\" source=\"a.png\" alt-text=\"a\":::\n[!INCLUDE [x](y.md)]\n# [T](#tab/t)\n```\n\n    :::zone pivot=\"x\"\n\n~~~\n::: zone-end\n~~~\n\nUse `[!INCLUDE [x](y.md)]` and `:::image:::` literally.\n";
    let p = pre(src);
    assert_eq!(p.text, src);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert!(p.blocks.is_empty());
}

#[test]
fn moniker_row_column() {
    let src = "::: moniker range=\">=v2\"\nNew.\n::: moniker-end\n\n:::row:::\n:::column:::\nLeft\n:::column-end:::\n:::row-end:::\n";
    let p = pre(src);
    assert_lines_kept(src, &p);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let html = render(&p);
    assert!(
        html.contains("<div class=\"td-moniker\" data-moniker=\"&gt;=v2\">\n<p>New.</p>\n</div>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<div class=\"td-row\">\n<div class=\"td-column\">\n<p>Left</p>\n</div>\n</div>"
        ),
        "{html}"
    );
}

#[test]
fn directive_inside_plain_quote_keeps_quote() {
    let src = "> :::image type=\"content\" source=\"q.png\" alt-text=\"Q\":::\n> Caption.\n";
    let p = pre(src);
    assert_lines_kept(src, &p);
    let html = render(&p);
    assert!(html.starts_with("<blockquote>\n<figure"), "{html}");
    assert!(html.contains("<p>Caption.</p>\n</blockquote>"), "{html}");
}

#[test]
fn bare_video_line_in_list() {
    let src = "- Watch:\n\n  [!VIDEO https://example.com/v]\n- next\n";
    let p = pre_with(src, &[]);
    assert_lines_kept(src, &p);
    let html = render(&p);
    assert!(html.contains("<div class=\"td-video\"><iframe src=\"https://example.com/v\" title=\"Video: example.com\""), "{html}");
    let after = html.find("td-video").unwrap_or(0);
    assert!(
        html[after..].contains("</li>\n<li>"),
        "video stays in the first item: {html}"
    );
}
