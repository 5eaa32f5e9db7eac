//! Runaway and misleading input: files too large to read, named pipes where a `:::code`
//! source or an include should be, names that collide on case-insensitive hosting, text
//! that would rewrite the reader's terminal, and a bad `--base-url` blamed on the file.
#![cfg(unix)]

mod common;
use common::{small_site as site, spawn_build, wait_bounded, TestSite};
use std::process::Command;
use std::time::Duration;

#[test]
fn a_huge_sparse_page_is_refused_before_it_is_read() {
    let s = site();
    let r = s.fails_keeping_output(1, |s| {
        let f = std::fs::File::create(s.root().join("content/big.md")).expect("create");
        // 64 MB: four times the limit, and small enough for a build without the limit
        // (which reads it whole) to survive when the suite runs against an older binary.
        f.set_len(64 << 20).expect("sparse 64 MB");
    });
    assert!(
        r.stderr
            .contains("content/big.md: error: this file is 64 MB; the limit is 16 MB"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_size_limit_is_configurable() {
    let s = site();
    s.bytes("content/data.md", &vec![b'a'; 3 << 20]);
    assert_eq!(s.build().code, 0);
    s.file("trustdoc.toml", "title = \"T\"\nmax_file_mb = 2\n");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/data.md: error: this file is 3 MB; the limit is 2 MB"),
        "{}",
        r.stderr
    );
}

/// Builds `s` in the background and fails the test if it takes over a minute (a build
/// hung on a named pipe).
fn build_bounded(s: &TestSite) -> (Option<i32>, String) {
    let (child, log) = spawn_build(s);
    wait_bounded(child, &log, Duration::from_secs(60))
}

#[test]
fn named_pipes_as_code_source_or_include_are_located_errors() {
    for (page, line) in [
        (
            "# Home\n\n:::code language=\"python\" source=\"pipe.py\":::\n",
            "content/index.md:3:",
        ),
        (
            "# Home\n\nText.\n\n[!INCLUDE [part](pipe.py)]\n",
            "content/index.md:5:",
        ),
    ] {
        let s = site();
        s.file("content/index.md", page);
        let made = Command::new("mkfifo")
            .arg(s.root().join("content/pipe.py"))
            .status();
        if !made.is_ok_and(|st| st.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let (code, stderr) = build_bounded(&s);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains(line) && stderr.contains("is not a regular file"),
            "{stderr}"
        );
    }
}

#[test]
fn names_differing_only_in_case_are_errors_naming_both() {
    let s = site();
    s.file("content/Foo.md", "# Upper\n")
        .file("content/foo.md", "# Lower\n");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/foo.md: error: this name and `content/Foo.md`"),
        "{}",
        r.stderr
    );
}

#[test]
fn folders_differing_only_in_case_are_errors_too() {
    let s = site();
    s.file("content/Guide/a.md", "# A\n")
        .file("content/guide/b.md", "# B\n");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/guide: error: this name and `content/Guide`"),
        "{}",
        r.stderr
    );
}

#[test]
fn nfc_and_nfd_spellings_of_one_name_are_errors_naming_both() {
    let s = site();
    let nfc = "content/\u{fc}mlaut.md";
    let nfd = "content/u\u{308}mlaut.md";
    s.file(nfc, "# Composed\n").file(nfd, "# Decomposed\n");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(nfc) && r.stderr.contains(nfd) && r.stderr.contains("Unicode"),
        "{}",
        r.stderr
    );
}

#[test]
fn bidi_controls_and_line_feeds_are_escaped_in_messages() {
    let s = site();
    s.file("content/index.md", "# Home\n\n[x](evil\u{202e}dm.txt)\n");
    s.file("content/bad\nname.md", "# B\n\n[y](gone.md)\n");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stderr.contains('\u{202e}'), "{}", r.stderr);
    assert!(r.stderr.contains("evil\\u{202e}dm.txt"), "{}", r.stderr);
    assert!(
        r.stderr.contains("content/bad\\u{a}name.md:3:"),
        "{}",
        r.stderr
    );
    for line in r.stderr.lines() {
        assert!(!line.starts_with("name.md"), "a forged line: {line}");
    }
}

#[test]
fn a_bad_base_url_flag_is_blamed_on_the_flag() {
    let s = site();
    let r = s.run(&["build", "--base-url", "ftp://example.com/"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--base-url ftp://example.com/"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("trustdoc.toml"), "{}", r.stderr);
}

#[test]
fn an_unknown_template_is_an_error_at_its_line() {
    let s = site();
    s.file(
        "content/index.md",
        "---\ntitle: Home\ntemplate: fancy\n---\n# Home\n",
    );
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/index.md:3:1: error: `template: fancy` names no template"),
        "{}",
        r.stderr
    );
}

#[test]
fn template_errors_name_the_users_file_and_line_once() {
    // A user's template whose name ends in a built-in's (`zpage.html`, `page.html`), with
    // an unknown filter (found when templates are loaded).
    let s = site();
    s.file(
        "templates/zpage.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | nosuchfilter }}{% endblock %}\n",
    );
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("templates/zpage.html:3:17: error: Unknown filter `nosuchfilter`\n"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("error: error:"), "{}", r.stderr);
    assert!(!r.stderr.contains("(built-in)"), "{}", r.stderr);

    // An error found while rendering a page: at the template's line, naming the page.
    s.file(
        "templates/zpage.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ oops }}{% endblock %}\n",
    )
    .file("content/other.md", "---\ntemplate: zpage\n---\n# Other\n");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("templates/zpage.html:3:4: error: Variable `oops` is not defined")
            && r.stderr.contains("(rendering content/other.md)"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("error: error:"), "{}", r.stderr);
}

#[test]
fn aliases_are_cleaned_like_slugs() {
    let s = site();
    s.file(
        "content/p.md",
        "---\ntitle: P\naliases: [\"/old page?x#y/\", \"/old%20two/\", \"/x/./y/\", \"/a/b/../c.html\"]\n---\n# P\n",
    );
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let base = url::Url::parse("http://site.test/").expect("base");
    for folder in ["old pagexy/", "old two/", "x/y/", "a/c/"] {
        let html = s.out(&format!("{folder}index.html"));
        // The redirect is reachable at its folder's URL and leads to the page.
        let at = base
            .join(&trustdoc::resolve::links::encode_path(folder))
            .expect("alias url");
        assert!(at.query().is_none() && at.fragment().is_none(), "{at}");
        let href = html
            .split("url=")
            .nth(1)
            .and_then(|h| h.split('"').next())
            .expect("refresh target");
        assert_eq!(at.join(href).expect("target").path(), "/p/", "{folder}");
    }
    for (rel, _) in common::snapshot_tree(&s.root().join("public")) {
        assert!(
            !rel.contains(['?', '#', '%']),
            "{rel} cannot be reached by a URL"
        );
    }

    // Dot segments, plain or percent-encoded, never climb out of the site.
    s.file(
        "content/p.md",
        "---\ntitle: P\naliases: [\"/a/%2e%2e/%2E%2E/escape/\"]\n---\n# P\n",
    );
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/p.md:3:1: error: alias `/a/%2e%2e/%2E%2E/escape/` is not a path inside the site"),
        "{}",
        r.stderr
    );
}

#[test]
fn safe_mode_keeps_the_text_after_an_unclosed_style_or_script() {
    for tag in ["style", "script"] {
        let s = site();
        s.file(
            "content/index.md",
            &format!("# Home\n\nBefore.\n\n<{tag}>\n\nAfter **the tag**.\n"),
        );
        let r = s.run(&["build", "--safe"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "content/index.md:5:1: warning: `<{tag}>` is never closed"
            )),
            "{}",
            r.stderr
        );
        let html = s.out("index.html");
        let main = &html[html.find("<main").expect("main")..html.find("</main>").expect("end")];
        assert!(main.contains("After <strong>the tag</strong>."), "{main}");
        assert!(main.contains(&format!("&lt;{tag}&gt;")), "{main}");
        assert!(!main.contains(&format!("<{tag}>")), "{main}");
    }
}

#[test]
fn a_folder_of_many_pages_gets_a_bounded_sidebar() {
    let s = site();
    s.file("content/big/index.md", "# Big\n");
    for i in 0..300 {
        s.file(
            &format!("content/big/p{i:03}.md"),
            &format!("# Page {i:03}\n"),
        );
    }
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = s.out("big/p150/index.html");
    assert!(page.contains("150 earlier pages"), "window start");
    assert!(page.contains("100 more pages"), "window end");
    assert!(!page.contains("Page 000<"), "a page far away is not listed");
    assert!(page.contains("Page 151<"), "a neighbour is listed");
    // The landing page lists every page of the folder.
    let landing = s.out("big/index.html");
    assert!(landing.contains("p000/") && landing.contains("p299/"));
    let small = std::fs::metadata(s.out_path("big/p150/index.html")).expect("page");
    assert!(small.len() < 40_000, "page is {} bytes", small.len());
}

/// The example comparison with `n` copies of its first model.
fn comparison_with_models(n: usize) -> String {
    let data = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/init/models.toml"),
    )
    .expect("example data");
    let head = &data[..data.find("[[model]]").expect("models")];
    let first = data.find("[[model]]").expect("model");
    let second = first + 1 + data[first + 1..].find("[[model]]").expect("2nd");
    let model = data[first..second].trim_end();
    let mut out = head.to_string();
    for i in 0..n {
        out.push_str(&model.replace("id = \"plain-vm\"", &format!("id = \"m{i}\"")));
        out.push_str("\n\n");
    }
    out
}

#[test]
fn a_side_by_side_diagram_of_too_many_models_is_a_located_error() {
    let s = site();
    s.file("content/m.toml", &comparison_with_models(30));
    s.file(
        "content/index.md",
        "# Home\n\n:::trust-boundary source=\"m.toml\":::\n\n:::trust-boundary source=\"m.toml\" model=\"m3\":::\n",
    );
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/index.md:3:1: error:")
            && r.stderr.contains("30 model columns")
            && r.stderr.contains("model="),
        "{}",
        r.stderr
    );
}

/// `comparison_with_models(n)` with `extra` more layers in every model's stack.
fn comparison_with_layers(n: usize, extra: usize) -> String {
    let apps = "  { id = \"apps\", order = 40, name = \"Applications\" },\n";
    let stack_apps = "  { layer = \"apps\", trust = \"protected\" },\n";
    let layers: String = (0..extra)
        .map(|k| {
            format!(
                "  {{ id = \"l{k}\", order = {}, name = \"Layer {k}\" }},\n",
                100 + k
            )
        })
        .collect();
    let stack: String = (0..extra)
        .map(|k| format!("  {{ layer = \"l{k}\", trust = \"protected\" }},\n"))
        .collect();
    let data = comparison_with_models(n);
    assert!(data.contains(apps) && data.contains(stack_apps));
    data.replace(apps, &format!("{apps}{layers}"))
        .replace(stack_apps, &format!("{stack_apps}{stack}"))
}

#[test]
fn pngs_above_the_pixel_cap_are_left_out_with_a_located_warning() {
    // 24 models (the most a side-by-side diagram may have) of 64 layers: about 7,900 x
    // 5,300 pixels at 1x and four times that at 2x, both above the 40-megapixel cap.
    let s = site();
    s.file("content/m.toml", &comparison_with_layers(24, 60));
    s.file(
        "content/index.md",
        "# Home\n\nText.\n\n:::trust-boundary source=\"m.toml\":::\n",
    );
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/index.md:5:1: warning: the diagram `example-all` of content/m.toml is too large for a PNG copy (1x: 7948x")
            && r.stderr.contains("the limit is 40 megapixels); both PNGs are left out and the SVG"),
        "{}",
        r.stderr
    );
    assert!(s.out_path("diagrams/example-all.svg").is_file());
    assert!(!s.out_path("diagrams/example-all.png").exists());
    assert!(!s.out_path("diagrams/example-all@2x.png").exists());
    // The page links only the file that exists.
    let html = s.out("index.html");
    assert!(html.contains("example-all.svg\">SVG</a>)"), "caption links");
    assert!(!html.contains("example-all.png") && !html.contains("example-all@2x.png"));

    // Named only by an image binding, the warning points at the binding's line.
    let data = comparison_with_layers(24, 60).replacen(
        "layer = [",
        "image = [ { path = \"media/all.png\", show = \"all\" } ]\nlayer = [",
        1,
    );
    let line = data
        .lines()
        .position(|l| l.starts_with("image = ["))
        .expect("line")
        + 1;
    s.file("content/m.toml", &data)
        .file("content/index.md", "# Home\n");
    let r = s.run(&["build", "--strict"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("content/m.toml:{line}:"))
            && r.stderr.contains("too large for a PNG copy"),
        "{}",
        r.stderr
    );
}

#[test]
fn only_diagrams_a_page_or_binding_uses_are_drawn() {
    let s = site();
    s.file("content/m.toml", &comparison_with_models(3));
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!s.out_path("diagrams").exists(), "no page uses the data");
    s.file(
        "content/index.md",
        "# Home\n\n:::trust-boundary source=\"m.toml\" model=\"m1\":::\n",
    );
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let names: Vec<String> = std::fs::read_dir(s.out_path("diagrams"))
        .expect("diagrams")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| n.starts_with("example-m1")),
        "{names:?}"
    );
    assert_eq!(names.len(), 3, "{names:?}");
}

/// The output folder or file that `href`, on the page at URL path `page`, leads to, read
/// with the url crate as a browser would; it must carry no query or fragment.
fn target_of(page: &str, href: &str) -> String {
    let base = url::Url::parse("http://site.test/").expect("base");
    let page_url = base
        .join(&trustdoc::resolve::links::encode_path(page))
        .expect("page url");
    let u = page_url.join(href).expect("resolves");
    assert!(
        u.query().is_none() && u.fragment().is_none(),
        "{page}: `{href}` -> {u} has a query or fragment"
    );
    percent_encoding::percent_decode_str(u.path().trim_start_matches('/'))
        .decode_utf8()
        .expect("utf-8")
        .into_owned()
}

#[test]
fn file_names_with_hash_question_mark_and_percent_get_working_urls() {
    let s = site();
    s.file(
        "content/index.md",
        "# Home\n\n[hash](a%23b.md) [query](a%3Fb.md) [percent](100%25.md)\n",
    )
    .file("content/a#b.md", "# Hash\n\n[home](index.md)\n")
    .file("content/a?b.md", "# Query\n")
    .file("content/100%.md", "# Percent\n");
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let home = s.out("index.html");
    let odd = [
        ("a%23b/", "a#b/", "hash", "Hash"),
        ("a%3Fb/", "a?b/", "query", "Query"),
        ("100%25/", "100%/", "percent", "Percent"),
    ];
    for (href, folder, text, title) in odd {
        // The exact hrefs: the link in the text, the sidebar, and the 404 page's list
        // (absolute, since it is served at any path).
        assert!(
            home.contains(&format!("<a href=\"{href}\">{text}</a>")),
            "body link to {folder}"
        );
        assert!(
            home.contains(&format!(
                "<a class=\"td-nav-link\" href=\"{href}\">{title}</a>"
            )),
            "sidebar link to {folder}"
        );
        assert!(
            s.out("404.html").contains(&format!("href=\"/{href}\"")),
            "404 link to {folder}"
        );
        // Each leads to its own page, as a browser reads it.
        assert_eq!(target_of("", href), folder);
        assert_eq!(target_of("404.html", &format!("/{href}")), folder);
        let page = s.out(&format!("{folder}index.html"));
        assert!(
            page.contains(&format!("<h1 id=\"{text}\">{title}<")),
            "{folder} is the {title} page"
        );
    }
    assert!(s.out("a#b/index.html").contains("<a href=\"../\">home</a>"));
    assert_eq!(target_of("a#b/", "../"), "");

    // Every relative link on every page reaches a file.
    let out = s.root().join("public");
    for page in ["", "a#b/", "a?b/", "100%/"] {
        let html = std::fs::read_to_string(out.join(page).join("index.html")).expect("page");
        for href in html
            .split("href=\"")
            .skip(1)
            .filter_map(|h| h.split('"').next())
        {
            if href.contains("://") || href.starts_with('#') || href.starts_with("mailto:") {
                continue;
            }
            let path = target_of(page, &href.replace("&amp;", "&"));
            let target = if path.is_empty() || path.ends_with('/') {
                out.join(&path).join("index.html")
            } else {
                out.join(&path)
            };
            assert!(
                target.is_file(),
                "{page}: `{href}` -> {} is missing",
                target.display()
            );
        }
    }
}
