//! Bad pages: front matter of the wrong shape, pathological Markdown, DocFX directives with
//! misspelt or missing parts, and references (images, `:::code`, includes) that try to
//! leave the site root. Each failing case asserts exit 1, where the message points, and
//! that the previous `public/` is left byte-identical.

mod common;
use common::{assert_no_sentinel, fails_at, TestSite, SENTINEL};

#[test]
fn yaml_front_matter_syntax_error_points_at_the_page_line() {
    let (_, r) = fails_at(
        &[(
            "content/p.md",
            "---\ntitle: Fine\nnote: \"never closed\n---\nBody\n",
        )],
        "content/p.md:3:7: error: invalid YAML front matter: unclosed quote",
    );
    // The parser's own position is relative to the block; it must not leak into the text.
    assert!(!r.stderr.contains("line 2 column"), "{}", r.stderr);
}

#[test]
fn yaml_front_matter_indentation_error_is_located() {
    fails_at(
        &[("content/p.md", "---\ntitle: A\n  nested: wrong\n---\n")],
        "content/p.md:3:9: error: invalid YAML front matter:",
    );
}

#[test]
fn front_matter_title_list_is_a_type_error() {
    fails_at(
        &[("content/p.md", "---\ndescription: ok\ntitle: [1, 2]\n---\n")],
        "content/p.md:3:1: error: `title` must be text, found a list",
    );
}

#[test]
fn front_matter_draft_maybe_is_a_type_error() {
    fails_at(
        &[("content/p.md", "---\ntitle: T\ndraft: maybe\n---\n")],
        "content/p.md:3:1: error: `draft` must be true or false, found text",
    );
}

#[test]
fn front_matter_weight_and_aliases_types() {
    fails_at(
        &[
            ("content/w.md", "---\nweight: heavy\n---\n"),
            ("content/a.md", "---\ntitle: A\naliases:\n  old: new\n---\n"),
        ],
        "content/w.md:2:1: error: `weight` must be a whole number, found text",
    );
    let (_, r) = fails_at(
        &[("content/a.md", "---\ntitle: A\naliases:\n  old: new\n---\n")],
        "content/a.md:3:1: error: `aliases` must be a list of paths, found a mapping",
    );
    assert_eq!(r.code, 1);
}

#[test]
fn toml_front_matter_wrong_type() {
    fails_at(
        &[("content/t.md", "+++\ntitle = \"T\"\ndraft = \"no\"\n+++\n")],
        "content/t.md:3:1: error: `draft` must be true or false, found text",
    );
}

#[test]
fn front_matter_that_is_a_list() {
    fails_at(
        &[("content/l.md", "---\n- one\n- two\n---\n")],
        "content/l.md:2:1: error: front matter must be a mapping of keys to values, found a list",
    );
}

#[test]
fn alias_outside_the_site_is_refused() {
    fails_at(
        &[(
            "content/al.md",
            "---\naliases: ['../../etc/cron.d/x']\n---\n# A\n",
        )],
        "content/al.md:2:1: error: alias `../../etc/cron.d/x` is not a path inside the site",
    );
}

#[test]
fn hundred_thousand_nested_list_items_build() {
    let s = TestSite::new();
    s.file("content/index.md", &("- ".repeat(100_000) + "deep\n"))
        .file("content/flat.md", &"- item\n".repeat(100_000));
    let started = std::time::Instant::now();
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
    assert!(s.out("index.html").contains("deep"));
    assert_eq!(
        s.out("flat/index.html").matches("<li>item</li>").count(),
        100_000
    );
}

#[test]
fn unknown_docfx_attribute_suggests_the_known_one() {
    let s = TestSite::new();
    s.file("content/index.md", "# H\n\nText.\n\n:::image type=\"content\" sourse=\"a.png\" alt-text=\"A\":::\n\n:::code language=\"python\" source=\"a.py\" rnage=\"1-2\":::\n")
        .file("content/a.png", "png")
        .file("content/a.py", "print(1)\nprint(2)\n");
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/index.md:5:1: warning: unknown attribute `sourse` on `:::image`; it is ignored; did you mean `source`?"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("content/index.md:7:1: warning: unknown attribute `rnage` on `:::code`; it is ignored; did you mean `range`?"),
        "{}",
        r.stderr
    );
    // --strict turns the warnings into a failed build.
    assert_eq!(s.run(&["build", "--strict"]).code, 1);
}

#[test]
fn unclosed_complex_image_is_reported_and_strict_fails() {
    let s = TestSite::new();
    s.file(
        "content/index.md",
        "# H\n\n:::image type=\"complex\" source=\"a.png\" alt-text=\"A chart\":::\nThe long description never ends.\n\nMore text.\n",
    )
    .file("content/a.png", "png");
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "content/index.md:3:1: warning: `:::image type=\"complex\"` has no `:::image-end:::`"
        ),
        "{}",
        r.stderr
    );
    assert!(s.out("index.html").contains("More text."));
    assert_eq!(s.run(&["build", "--strict"]).code, 1);
}

/// A nested site with a secret file beside its root, and (on Unix) a link to it inside.
fn site_with_secret(ext: &str) -> TestSite {
    let s = TestSite::nested();
    s.file("trustdoc.toml", "title = \"T\"\n")
        .file("content/index.md", "# Home\n");
    s.outside(&format!("outside/secret.{ext}"), &format!("{SENTINEL}\n"));
    s
}

fn secret_paths(s: &TestSite, ext: &str) -> Vec<String> {
    let abs = s.dir.path().join(format!("outside/secret.{ext}"));
    vec![
        abs.to_string_lossy().into_owned(),
        format!("../../outside/secret.{ext}"),
        format!("%2E%2E/%2E%2E/outside/secret.{ext}"),
        format!("..%2F..%2Foutside%2Fsecret.{ext}"),
    ]
}

#[test]
fn code_sources_outside_the_root_are_refused_unread() {
    let s = site_with_secret("cs");
    let mut page = String::from("# Code\n");
    for p in secret_paths(&s, "cs") {
        page.push_str(&format!(
            "\n:::code language=\"csharp\" source=\"{p}\":::\n"
        ));
    }
    #[cfg(unix)]
    {
        page.push_str("\n:::code language=\"csharp\" source=\"link.cs\":::\n");
    }
    let r = s.fails_keeping_output(1, |s| {
        #[cfg(unix)]
        s.symlink(&s.dir.path().join("outside/secret.cs"), "content/link.cs");
        s.file("content/code.md", &page);
    });
    for line in [3, 5, 7, 9] {
        let at = format!("content/code.md:{line}:1: error: `:::code` source");
        assert!(r.stderr.contains(&at), "{at} in {}", r.stderr);
    }
    #[cfg(unix)]
    assert!(
        r.stderr
            .contains("content/link.cs: error: links to a file outside the site root; refused"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(SENTINEL));
    assert_no_sentinel(&s.root().join("public"));
}

#[test]
fn includes_outside_the_root_are_refused_unread() {
    let s = site_with_secret("md");
    let mut page = String::from("# Inc\n");
    for p in secret_paths(&s, "md") {
        page.push_str(&format!("\n[!INCLUDE [secret]({p})]\n"));
    }
    page.push_str("\n[!INCLUDE [home](~/../../outside/secret.md)]\n");
    #[cfg(unix)]
    {
        page.push_str("\n[!INCLUDE [link](link.md)]\n");
    }
    let r = s.fails_keeping_output(1, |s| {
        #[cfg(unix)]
        s.symlink(&s.dir.path().join("outside/secret.md"), "content/link.md");
        s.file("content/inc.md", &page);
    });
    for line in [3, 5, 7, 9, 11] {
        let at = format!("content/inc.md:{line}:1: error: [!INCLUDE]");
        assert!(r.stderr.contains(&at), "{at} in {}", r.stderr);
    }
    assert!(!r.stderr.contains(SENTINEL));
    assert_no_sentinel(&s.root().join("public"));
}

#[test]
fn images_outside_the_root_are_never_read_or_copied() {
    // An image reference is only a URL: paths that leave the site are kept as written
    // (another doc set on the same host) and nothing outside the root is opened.
    let s = site_with_secret("png");
    let mut page = String::from("# Img\n");
    for p in secret_paths(&s, "png") {
        page.push_str(&format!("\n![secret]({p})\n"));
        page.push_str(&format!(
            "\n:::image type=\"content\" source=\"{p}\" alt-text=\"secret\":::\n"
        ));
    }
    s.file("content/img.md", &page);
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    // `..` paths (plain and encoded) are named, in Markdown and in `:::image`.
    for line in [7, 9, 11, 13, 15, 17] {
        let at = format!("content/img.md:{line}:");
        assert!(r.stderr.contains(&at), "{at} in {}", r.stderr);
    }
    assert!(
        r.stderr.contains(
            "points outside the content folder; it is kept as a URL and nothing is copied"
        ),
        "{}",
        r.stderr
    );
    assert_no_sentinel(&s.root().join("public"));
    assert!(!s.out_path("outside").exists());

    // A link inside the content that leads out is refused as a file.
    #[cfg(unix)]
    {
        let r = s.fails_keeping_output(1, |s| {
            s.symlink(&s.dir.path().join("outside/secret.png"), "content/pic.png")
                .file("content/pic.md", "# Pic\n\n![pic](pic.png)\n");
        });
        assert!(
            r.stderr
                .contains("content/pic.png: error: links to a file outside the site root; refused"),
            "{}",
            r.stderr
        );
        assert_no_sentinel(&s.root().join("public"));
    }
}

#[test]
fn include_cycle_names_the_chain() {
    fails_at(
        &[
            ("content/a.md", "# A\n\n[!INCLUDE [b](includes/b.md)]\n"),
            (
                "content/includes/b.md",
                "B text\n\n[!INCLUDE [a](../a.md)]\n",
            ),
        ],
        "include cycle: a.md -> includes/b.md -> content/a.md",
    );
}
