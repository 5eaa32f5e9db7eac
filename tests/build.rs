//! Integration tests for the core pipeline: fixture sites built with the real binary.

mod common;
use common::{snapshot_tree, TestSite};

fn basic_site() -> TestSite {
    let s = TestSite::new();
    s.file("trustdoc.toml", "title = \"Fixture\"\nbase_url = \"https://docs.example.org/\"\n")
        .file("content/index.md", "---\ntitle: Home\n---\nWelcome. Read the [setup guide](guide/setup.md#install-it).\n")
        .file("content/guide/_index.md", "+++\ntitle = \"Guide\"\nweight = 1\n+++\nThe guide.\n")
        .file(
            "content/guide/setup.md",
            "---\ntitle: Setup\ndescription: How to set up\nms.date: 8/22/2023\n---\n## Install it\n\nSee [home](../index.md) and ![logo](img/logo.png).\n\n## Install it\n\n```rust\nfn main() {}\n```\n",
        )
        .bytes("content/guide/img/logo.png", b"\x89PNG fake");
    s
}

#[test]
fn clean_urls_links_ids_and_highlighting() {
    let s = basic_site();
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let home = s.out("index.html");
    assert!(
        home.contains("href=\"guide/setup/#install-it\""),
        "link rewritten to a clean URL"
    );
    let setup = s.out("guide/setup/index.html");
    assert!(setup.contains("<h2 id=\"install-it\">"), "heading id");
    assert!(
        setup.contains("<h2 id=\"install-it-1\">"),
        "duplicate heading gets a suffix"
    );
    assert!(setup.contains("href=\"../../\""), "link to the home page");
    assert!(
        setup.contains("src=\"../img/logo.png\""),
        "image next to its page"
    );
    assert!(setup.contains("<span class=\"hl-"), "highlighted code");
    assert!(setup.contains("August 22, 2023"), "Learn date shown");
    assert!(s.out_path("guide/img/logo.png").exists(), "image copied");
    assert!(s.out_path("404.html").exists());
    assert!(s
        .out("robots.txt")
        .contains("Sitemap: https://docs.example.org/sitemap.xml"));
}

#[test]
fn toml_and_yaml_front_matter() {
    let s = basic_site();
    assert_eq!(s.build().code, 0);
    assert!(
        s.out("guide/index.html").contains("<title>Guide"),
        "TOML title"
    );
    assert!(
        s.out("guide/setup/index.html").contains("<title>Setup"),
        "YAML title"
    );
}

#[test]
fn sitemap_uses_base_url_and_its_override() {
    let s = basic_site();
    assert_eq!(s.build().code, 0);
    let map = s.out("sitemap.xml");
    assert!(
        map.contains("<loc>https://docs.example.org/guide/setup/</loc>"),
        "{map}"
    );
    assert!(map.contains("<lastmod>2023-08-22</lastmod>"));
    let r = s.run(&["build", "--base-url", "https://preview.example.net/pr/42"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let map = s.out("sitemap.xml");
    assert!(
        map.contains("<loc>https://preview.example.net/pr/42/guide/setup/</loc>"),
        "{map}"
    );
    assert!(s
        .out("guide/setup/index.html")
        .contains("rel=\"canonical\" href=\"https://preview.example.net/pr/42/guide/setup/\""));
    assert!(
        s.out("404.html").contains("href=\"/pr/42/assets/trustdoc."),
        "404 links are absolute from the base path"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let s = basic_site();
    assert_eq!(s.build().code, 0);
    let first = snapshot_tree(&s.root().join("public"));
    assert_eq!(s.build().code, 0);
    let second = snapshot_tree(&s.root().join("public"));
    assert_eq!(first.len(), second.len());
    assert!(first == second, "outputs differ between two builds");
}

#[test]
fn broken_link_fails_with_location() {
    let s = basic_site();
    s.file("content/bad.md", "# Bad\n\ntext\n\nsee [x](nowhere.md)\n");
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("content/bad.md:5:5: error: link target `nowhere.md` not found"),
        "{}",
        r.stderr
    );
}

#[test]
fn broken_anchor_fails_with_location() {
    let s = basic_site();
    s.file(
        "content/bad.md",
        "## Here\n\n[a](guide/setup.md#nope) [b](#here) [c](#missing)\n",
    );
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("content/bad.md:3:1: error: anchor `#nope` does not exist on guide/setup.md"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("content/bad.md:3:37: error: anchor `#missing` does not exist on this page"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("2 errors"), "{}", r.stderr);
}

#[test]
fn bad_front_matter_fails_with_location() {
    let s = basic_site();
    s.file(
        "content/bad.md",
        "---\ntitle: ok\nweight: [1, 2\n---\nbody\n",
    );
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("content/bad.md:3:") || r.stderr.contains("content/bad.md:4:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("invalid YAML front matter"),
        "{}",
        r.stderr
    );
}

#[test]
fn failed_build_leaves_previous_output() {
    let s = basic_site();
    assert_eq!(s.build().code, 0);
    let before = snapshot_tree(&s.root().join("public"));
    s.file("content/guide/setup.md", "---\ntitle: [broken\n---\n");
    assert_eq!(s.build().code, 1);
    let after = snapshot_tree(&s.root().join("public"));
    assert!(before == after, "the previous output must stay as it was");
}

#[test]
fn check_writes_nothing() {
    let s = basic_site();
    let r = s.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!s.root().join("public").exists());
}

#[test]
fn report_lists_pages_and_timings() {
    let s = basic_site();
    let report = s.root().join("r.json");
    let r = s.run(&["build", "--report", report.to_str().expect("utf-8")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).expect("report")).expect("json");
    assert_eq!(v["pages"].as_array().map(Vec::len), Some(3));
    assert!(v["timings_ms"].as_array().is_some_and(|t| t.len() >= 4));
}

#[test]
fn unknown_config_key_is_an_error_with_line() {
    let s = basic_site();
    s.file(
        "trustdoc.toml",
        "title = \"x\"\nbase_ulr = \"https://x/\"\n",
    );
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("trustdoc.toml:2:1: error:"),
        "{}",
        r.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let s = basic_site();
    let r = s.run(&["build", "--no-such-flag"]);
    assert_eq!(r.code, 2);
}

#[test]
fn folder_without_config_is_the_content() {
    let s = TestSite::new();
    s.file("index.md", "# Plain folder\n")
        .file("other.md", "# Other\n\n[home](index.md)\n");
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(s.out("other/index.html").contains("href=\"../\""));
}

#[test]
fn init_scaffolds_a_site_that_builds() {
    let t = tempfile::tempdir().expect("tmp");
    let dir = t.path().join("new-site");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trustdoc"))
        .arg("init")
        .arg(&dir)
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(dir.join("trustdoc.toml").exists() && dir.join("templates/page.html").exists());
    let b = std::process::Command::new(env!("CARGO_BIN_EXE_trustdoc"))
        .args(["build", "--root"])
        .arg(&dir)
        .output()
        .expect("run");
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let page = std::fs::read_to_string(dir.join("public/choose/index.html")).expect("page");
    assert!(
        page.contains("platform security team"),
        "template override applied"
    );
}

#[test]
fn representative_page_snapshot() {
    let s = basic_site();
    assert_eq!(s.build().code, 0);
    let html = s.out("guide/setup/index.html");
    let start = html.find("<main").expect("main element");
    let end = html.find("</main>").expect("main end");
    insta::assert_snapshot!("guide_setup_main", &html[start..end]);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_refused() {
    let outside = tempfile::tempdir().expect("tmp");
    std::fs::write(outside.path().join("secret.md"), "# Secret\n").expect("write");
    let s = basic_site();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        s.root().join("content/leak.md"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(outside.path(), s.root().join("content/leakdir")).expect("symlink");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/leak.md: error: links to a file outside the site root; refused"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("content/leakdir: error: links to a file outside the site root; refused"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let s = basic_site();
    std::os::unix::fs::symlink(
        s.root().join("content/guide"),
        s.root().join("content/guide/again"),
    )
    .expect("symlink");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("symbolic link loop"), "{}", r.stderr);
}
