//! Hostile and broken input: each case asserts the exit code and where the message points.
//! Failing cases also check that the previous `public/` is left byte-identical. More
//! cases: bad_input_config.rs, bad_input_markdown.rs, bad_input_data.rs, bad_input_fs.rs.

mod common;
use common::{assert_error_at, snapshot_tree, Run, TestSite};

/// A good site is built first; then `rel` is added and the site built again. A failed
/// second build must leave the first build's `public/` byte-identical.
fn site_with(rel: &str, bytes: &[u8]) -> (TestSite, Run) {
    let s = TestSite::new();
    s.file("trustdoc.toml", "title = \"T\"\n")
        .file("content/index.md", "# Home\n");
    assert_eq!(s.build().code, 0, "baseline build");
    let before = snapshot_tree(&s.root().join("public"));
    s.bytes(rel, bytes);
    let r = s.build();
    if r.code != 0 {
        assert!(
            before == snapshot_tree(&s.root().join("public")),
            "a failed build changed public/"
        );
    }
    (s, r)
}

#[test]
fn yaml_alias_bomb_is_refused_fast() {
    let mut bomb =
        String::from("---\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for (name, prev) in [
        ("b", "a"),
        ("c", "b"),
        ("d", "c"),
        ("e", "d"),
        ("f", "e"),
        ("g", "f"),
    ] {
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    bomb.push_str("h: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n---\nbody\n");
    let (_, r) = site_with("content/bomb.md", bomb.as_bytes());
    assert_error_at(&r, "content/bomb.md:");
    assert!(
        r.stderr.contains("invalid YAML front matter"),
        "{}",
        r.stderr
    );
}

#[test]
fn non_utf8_is_located() {
    let (_, r) = site_with("content/bytes.md", b"fine\n\xff\xfe broken\n");
    assert_error_at(
        &r,
        "content/bytes.md:2:1: error: this file is not valid UTF-8",
    );
}

#[test]
fn bom_and_crlf_are_fine() {
    let (s, r) = site_with(
        "content/bom.md",
        b"\xef\xbb\xbf---\r\ntitle: With BOM\r\n---\r\nText\r\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(s.out("bom/index.html").contains("<title>With BOM"));
}

#[test]
fn empty_file_is_a_page() {
    let (s, r) = site_with("content/empty.md", b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(s.out_path("empty/index.html").exists());
}

#[test]
fn unterminated_front_matter() {
    let (_, r) = site_with("content/open.md", b"---\ntitle: never closed\n\nbody\n");
    assert_error_at(
        &r,
        "content/open.md:1:1: error: front matter opened with `---` is never closed",
    );
}

#[test]
fn invalid_toml_front_matter_line() {
    let (_, r) = site_with("content/t.md", b"+++\ntitle = \"a\"\nweight = \n+++\n");
    assert_error_at(&r, "content/t.md:3:");
}

#[test]
fn hundred_thousand_nested_quotes_build() {
    let deep = "> ".repeat(100_000) + "deep\n";
    let (_, r) = site_with("content/deep.md", deep.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn deeply_nested_lists_build() {
    let lists: String = (0..2_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let (_, r) = site_with("content/lists.md", lists.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn twenty_megabyte_page_builds() {
    // Above the default limit of 16 MB, so the site raises it.
    let big = "word ".repeat(200).repeat(20_000);
    let s = TestSite::nested();
    s.file("trustdoc.toml", "title = \"T\"\nmax_file_mb = 32\n")
        .file("content/index.md", "# Home\n")
        .bytes("content/big.md", big.as_bytes());
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::metadata(s.out_path("big/index.html"))
            .map(|m| m.len())
            .unwrap_or(0)
            > 20_000_000
    );
}

#[test]
fn two_files_one_url() {
    let s = TestSite::new();
    s.file("trustdoc.toml", "title = \"T\"\n")
        .file("content/a.md", "# A\n")
        .file("content/a/index.md", "# A again\n");
    assert_error_at(
        &s.build(),
        "error: this page and content/a.md would both be written to /a/",
    );
}

#[test]
fn unknown_directive_names_line_and_suggestion() {
    let (_, r) = site_with(
        "content/d.md",
        b"text\n\n:::decision-tabel source=\"x.toml\":::\n",
    );
    assert_error_at(&r, "content/d.md:3:4: error: unknown directive `decision-tabel`; did you mean `decision-table`?");
}

#[test]
fn comparison_source_outside_the_root_is_refused() {
    for src in [
        "/etc/passwd",
        "../../../etc/passwd",
        "..%2F..%2Fsecret.toml",
    ] {
        let page = format!("intro\n\n:::access-matrix source=\"{src}\":::\n");
        let (_, r) = site_with("content/p.md", page.as_bytes());
        assert_error_at(&r, "content/p.md:3:1: error: source");
    }
}

#[test]
fn include_outside_the_root_is_refused() {
    let (_, r) = site_with(
        "content/inc.md",
        b"# Inc\n\n[!INCLUDE [x](../../../../etc/hostname)]\n",
    );
    assert_error_at(&r, "content/inc.md:3:");
    assert!(r.stderr.contains("outside the site root"), "{}", r.stderr);
}

#[test]
fn bad_comparison_data_is_located() {
    let (_, r) = site_with("content/m.toml", b"schema = \"trustdoc-comparison/1\"\nid = \"m\"\ntitle = \"M\"\nlayer = [ { id = \"a\", order = \"ten\", name = \"A\" } ]\n");
    assert_error_at(&r, "content/m.toml:4:");
}

#[test]
fn hostile_toc_is_located() {
    let s = TestSite::new();
    s.file(
        "TOC.yml",
        "- name: A\n  href: index.md\n  items: [unclosed\n",
    )
    .file("index.md", "# A\n");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("TOC.yml:"), "{}", r.stderr);
}
