//! Bad configuration: `trustdoc.toml` syntax, types and keys, and folder settings that
//! would read outside the site root or let a build replace the sources. Each case asserts
//! the exit code, where the message points, and that nothing was deleted.

mod common;
use common::{assert_error_at, snapshot_tree, TestSite};

fn site(config: &str) -> TestSite {
    let s = TestSite::nested();
    s.file("trustdoc.toml", config)
        .file("content/index.md", "# Home\n")
        .file("content/guide.md", "# Guide\n");
    s
}

/// Every file of the site (sources and any output) is still there, byte for byte.
fn assert_untouched(s: &TestSite, before: &[(String, Vec<u8>)]) {
    let after = snapshot_tree(s.root());
    assert!(before == after.as_slice(), "files changed: {after:?}");
}

#[test]
fn config_syntax_error_is_located() {
    let s = site("title = \"T\"\nbase_url = \"https://x.example/\n");
    assert_error_at(&s.build(), "trustdoc.toml:2:");
}

#[test]
fn config_unknown_key_names_it_and_the_expected_keys() {
    let s = site("title = \"T\"\n\ntheme = \"dark\"\n");
    let r = s.build();
    assert_error_at(
        &r,
        "trustdoc.toml:3:1: error: unknown field `theme`, expected one of",
    );
    assert!(r.stderr.contains("`title`"), "{}", r.stderr);
    let s = site("title = \"T\"\n[markdown]\nhighlite = true\n");
    assert_error_at(
        &s.build(),
        "trustdoc.toml:3:1: error: unknown field `highlite`, expected `highlight` or `smart_punctuation`; did you mean `highlight`?",
    );
}

#[test]
fn config_wrong_type_is_located() {
    let s = site("title = \"T\"\nsafe = \"yes\"\n");
    let r = s.build();
    assert_error_at(&r, "trustdoc.toml:2:8: error:");
    assert!(r.stderr.contains("bool"), "{}", r.stderr);
}

#[test]
fn config_bad_base_url_is_located() {
    let s = site("title = \"T\"\nbase_url = \"example.org\"\n");
    assert_error_at(
        &s.build(),
        "trustdoc.toml:2:12: error: base_url `example.org` must start with http://, https:// or /",
    );
}

#[test]
fn content_dir_with_dotdot_outside_the_root_is_refused() {
    let s = site("title = \"T\"\ncontent_dir = \"../elsewhere\"\n");
    s.outside("elsewhere/secret.md", "# Not part of the site\n");
    let r = s.build();
    assert_error_at(
        &r,
        "trustdoc.toml:2:15: error: content_dir: the content folder resolves to",
    );
    assert!(r.stderr.contains("outside the site root"), "{}", r.stderr);
    assert!(!s.root().join("public").exists());
}

#[cfg(unix)]
#[test]
fn content_folder_linked_outside_the_root_is_refused() {
    let s = TestSite::nested();
    s.file("trustdoc.toml", "title = \"T\"\ncontent_dir = \"docs\"\n");
    let target = s.outside("elsewhere/secret.md", "# Secret\n");
    let dir = target.parent().expect("parent").to_path_buf();
    s.symlink(&dir, "docs");
    let r = s.build();
    assert_error_at(&r, "trustdoc.toml:2:15: error: content_dir:");
    assert!(r.stderr.contains("outside the site root"), "{}", r.stderr);

    // The default `content/` folder is checked the same way, with no line to point at.
    let s = TestSite::nested();
    s.file("trustdoc.toml", "title = \"T\"\n");
    s.symlink(&dir, "content");
    assert_error_at(&s.build(), "content: error: the content folder resolves to");
}

#[test]
fn output_dir_as_the_root_deletes_nothing() {
    let s = site("title = \"T\"\noutput_dir = \".\"\n");
    let before = snapshot_tree(s.root());
    let r = s.build();
    assert_error_at(
        &r,
        "trustdoc.toml:2:14: error: output_dir: the output folder",
    );
    assert!(r.stderr.contains("is the site root itself"), "{}", r.stderr);
    assert_untouched(&s, &before);
}

#[test]
fn output_dir_above_the_root_is_refused() {
    let s = site("title = \"T\"\noutput_dir = \"..\"\n");
    let before = snapshot_tree(s.root());
    let r = s.build();
    assert_error_at(&r, "trustdoc.toml:2:14: error: output_dir:");
    assert!(r.stderr.contains("holds the site root"), "{}", r.stderr);
    assert_untouched(&s, &before);
    assert!(s.dir.path().join("site").is_dir());
}

#[test]
fn output_dir_as_the_content_folder_or_inside_it_is_refused() {
    for (out, says) in [
        ("content", "holds the content folder"),
        ("content/../content/", "holds the content folder"),
        ("content/built", "is inside the content folder"),
        ("templates", "is the site's `templates`"),
        ("trustdoc.toml", "is the site's `trustdoc.toml`"),
    ] {
        let s = site(&format!("title = \"T\"\noutput_dir = \"{out}\"\n"));
        s.file("templates/page.html", "{{ page.title }}");
        let before = snapshot_tree(s.root());
        let r = s.build();
        assert_error_at(&r, "trustdoc.toml:2:14: error: output_dir:");
        assert!(r.stderr.contains(says), "{out}: {}", r.stderr);
        assert_untouched(&s, &before);
    }
}

#[cfg(unix)]
#[test]
fn default_output_linked_to_the_content_is_refused() {
    let s = site("title = \"T\"\n");
    let content = s.root().join("content");
    s.symlink(&content, "public");
    let before = snapshot_tree(&content);
    let r = s.build();
    assert_error_at(&r, "public: error: the output folder");
    assert!(
        r.stderr.contains("holds the content folder"),
        "{}",
        r.stderr
    );
    assert!(before == snapshot_tree(&content));
}

#[test]
fn output_flag_at_the_root_is_a_usage_error() {
    let s = site("title = \"T\"\n");
    let before = snapshot_tree(s.root());
    let root = s.root().to_string_lossy().into_owned();
    let r = s.run(&["build", "--output", &root]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("error: --output"), "{}", r.stderr);
    assert!(r.stderr.contains("is the site root itself"), "{}", r.stderr);
    assert_untouched(&s, &before);

    let content = s.root().join("content").to_string_lossy().into_owned();
    let r = s.run(&["build", "--output", &content]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_untouched(&s, &before);
}

#[test]
fn output_over_markdown_in_a_plain_folder_is_refused() {
    // No content/ folder: the root is the content, and `articles/` holds pages.
    let s = TestSite::nested();
    s.file("trustdoc.toml", "output_dir = \"articles\"\n")
        .file("index.md", "# Home\n")
        .file("articles/one.md", "# One\n");
    let before = snapshot_tree(s.root());
    let r = s.build();
    assert_error_at(
        &r,
        "trustdoc.toml:1:14: error: output_dir: the output folder",
    );
    assert!(r.stderr.contains("holds Markdown sources"), "{}", r.stderr);
    assert_untouched(&s, &before);
}

#[test]
fn output_elsewhere_still_works() {
    // Only the command line may send the output outside the root; the file may not.
    let s = site("title = \"T\"\noutput_dir = \"../out\"\n");
    let r = s.build();
    assert_error_at(&r, "trustdoc.toml:2:14: error: output_dir:");
    assert!(r.stderr.contains("outside the site root"), "{}", r.stderr);
    let out = s.dir.path().join("out");
    let r = s.run(&["build", "--output", out.to_str().expect("utf8")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(out.join("index.html").is_file());
}
