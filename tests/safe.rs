//! Safe mode for outside contributions: raw HTML and script URLs from Markdown are removed,
//! generated output stays; the default keeps raw HTML as docs writers expect.

mod common;
use common::TestSite;

const HOSTILE_PAGE: &str = "# Page\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3))\n\n<a href=\"javascript:alert(4)\">raw</a>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n## Kept\n\n- [x] task\n\n```rust\nfn main() {}\n```\n\n:::access-matrix source=\"m.toml\":::\n";

fn site() -> TestSite {
    let s = TestSite::new();
    let data = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/init/models.toml"),
    )
    .expect("example data");
    s.file("trustdoc.toml", "title = \"T\"\n")
        .file("content/m.toml", &data)
        .file("content/index.md", HOSTILE_PAGE);
    s
}

#[test]
fn safe_mode_strips_author_html_but_keeps_generated_output() {
    let s = site();
    let r = s.run(&["build", "--safe"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = s.out("index.html");
    let main = &html[html.find("<main").expect("main")..html.find("</main>").expect("end")];
    for bad in ["alert(1)", "onerror", "javascript:", "<iframe"] {
        assert!(!main.contains(bad), "`{bad}` survived: {main}");
    }
    assert!(main.contains("<h2 id=\"kept\">"), "heading ids kept");
    assert!(main.contains("type=\"checkbox\""), "task list kept");
    assert!(main.contains("class=\"hl-"), "highlighting kept");
    assert!(main.contains("td-access-matrix"), "generated table kept");
}

#[test]
fn default_mode_keeps_raw_html() {
    let s = site();
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = s.out("index.html");
    assert!(html.contains("<script>alert(1)</script>"));
    assert!(html.contains("<iframe src=\"https://evil.example/\">"));
}
