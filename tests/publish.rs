//! Publishing: a path prefix keeps every internal URL under it, relative mode links
//! folders as files, asset names follow their content, the search index is deterministic
//! and the change report lists pages added, changed and removed.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{snapshot_tree, TestSite};

const PREFIX: &str = "https://example.github.io/docs/pr-42/";

fn site() -> TestSite {
    let s = TestSite::new();
    s.file("trustdoc.toml", "title = \"Pub\"\n")
        .file(
            "content/index.md",
            "---\ntitle: Home\naliases: [/old-home/]\n---\nWelcome. See [setup](guide/setup.md) and ![logo](img/logo.png).\n",
        )
        .file("content/guide/_index.md", "---\ntitle: Guide\n---\nThe guide.\n")
        .file(
            "content/guide/setup.md",
            "---\ntitle: Setup\n---\n## Steps\n\nBack [home](../index.md), [top](#steps), [web](https://example.org/).\n\n![logo](../img/logo.png)\n",
        )
        .file(
            "content/guide/tune.md",
            "---\ntitle: Tune\n---\nThe word quillwort appears only here.\n",
        )
        .file("content/img/logo.png", "not really a png");
    s
}

/// Every URL an HTML, CSS or XML file points at: href, src, srcset, url() and <loc>.
fn urls(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\"", "srcset=\"", "content=\""] {
        for part in text.split(attr).skip(1) {
            let value = part.split('"').next().unwrap_or("");
            if attr == "srcset=\"" {
                found.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(String::from),
                );
            } else if attr == "content=\"" {
                // Only meta refresh (`0; url=...`) carries a URL in `content`.
                if let Some((_, u)) = value.split_once("url=") {
                    found.push(u.to_string());
                }
            } else {
                found.push(value.to_string());
            }
        }
    }
    for part in text.split("url(").skip(1) {
        let v = part.split(')').next().unwrap_or("");
        found.push(v.trim_matches(['"', '\'']).to_string());
    }
    for part in text.split("<loc>").skip(1) {
        found.push(part.split('<').next().unwrap_or("").to_string());
    }
    found
}

#[test]
fn prefix_site_keeps_every_internal_url_under_the_prefix() {
    let s = site();
    let r = s.run(&["build", "--base-url", PREFIX]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let public = s.root().join("public");
    let base = url::Url::parse(PREFIX).unwrap();
    let mut checked = 0;
    for (rel, bytes) in snapshot_tree(&public) {
        let rel = rel.replace('\\', "/");
        if !(rel.ends_with(".html") || rel.ends_with(".css") || rel.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        let page = base.join(&rel).unwrap();
        for u in urls(&text) {
            if u.is_empty() || u.starts_with('#') || u.starts_with("data:") {
                continue;
            }
            let abs = page.join(&u.replace("&amp;", "&")).unwrap();
            if abs.host_str() != Some("example.github.io") {
                continue; // external (example.org, the sitemap schema)
            }
            assert!(
                abs.path().starts_with("/docs/pr-42/"),
                "{rel}: `{u}` resolves to {abs}, outside the prefix"
            );
            // And it names a file that exists.
            let mut target = abs.path()["/docs/pr-42/".len()..].to_string();
            if target.is_empty() || target.ends_with('/') {
                target.push_str("index.html");
            }
            assert!(
                public.join(&target).is_file(),
                "{rel}: `{u}` -> {target} does not exist"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} URLs checked");
    let sitemap = s.out("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.github.io/docs/pr-42/guide/setup/</loc>"));
    let p404 = s.out("404.html");
    assert!(p404.contains("href=\"/docs/pr-42/guide/\""), "{p404}");
    assert!(s.out("guide/setup/index.html").contains(
        "<link rel=\"canonical\" href=\"https://example.github.io/docs/pr-42/guide/setup/\">"
    ));
}

#[test]
fn relative_mode_links_folders_as_files_and_has_no_absolute_urls() {
    let s = site();
    s.file("trustdoc.toml", "title = \"Pub\"\nrelative_urls = true\n");
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let setup = s.out("guide/setup/index.html");
    assert!(setup.contains("href=\"../../index.html\""), "{setup}");
    assert!(
        !setup.contains("rel=\"canonical\""),
        "no canonical link without a known address"
    );
    for (rel, bytes) in snapshot_tree(&s.root().join("public")) {
        if !rel.ends_with(".html") {
            continue;
        }
        for u in urls(&String::from_utf8_lossy(&bytes)) {
            assert!(!u.starts_with('/'), "{rel}: root-relative `{u}`");
            let path = u.split(['#', '?']).next().unwrap_or("");
            let external = path.split('/').next().is_some_and(|s| s.contains(':'));
            assert!(
                external || !path.ends_with('/'),
                "{rel}: folder link `{u}` does not open from file://"
            );
        }
    }
}

fn asset_names(public: &Path) -> BTreeMap<String, String> {
    // source name (trustdoc.css) -> written name (trustdoc.<hash>.css)
    std::fs::read_dir(public.join("assets"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .map(|n| {
            let parts: Vec<&str> = n.split('.').collect();
            let key = if parts.len() == 3 {
                format!("{}.{}", parts[0], parts[2])
            } else {
                n.clone()
            };
            (key, n)
        })
        .collect()
}

#[test]
fn fingerprints_change_exactly_when_content_does() {
    let s = site();
    assert_eq!(s.build().code, 0);
    let public = s.root().join("public");
    let first = asset_names(&public);
    let css = &first["trustdoc.css"];
    assert_ne!(css, "trustdoc.css", "{first:?}");
    assert!(first["trustdoc.js"].starts_with("trustdoc.") && first["trustdoc.js"] != "trustdoc.js");
    assert_eq!(first["favicon.svg"], "favicon.svg");
    let home = s.out("index.html");
    assert!(home.contains(&format!("href=\"assets/{css}\"")), "{home}");
    assert!(home.contains(&format!("src=\"assets/{}\"", first["trustdoc.js"])));
    // Same input: same names.
    assert_eq!(s.build().code, 0);
    assert_eq!(asset_names(&public), first);
    // A site stylesheet replacing the built-in one: only the CSS name changes.
    s.file("assets/trustdoc.css", "body { color: black }\n");
    assert_eq!(s.build().code, 0);
    let second = asset_names(&public);
    assert_ne!(second["trustdoc.css"], first["trustdoc.css"]);
    assert_eq!(second["trustdoc.js"], first["trustdoc.js"]);
    assert_eq!(second["syntax.css"], first["syntax.css"]);
    assert!(s
        .out("guide/setup/index.html")
        .contains(&format!("href=\"../../assets/{}\"", second["trustdoc.css"])));
}

#[test]
fn search_index_is_written_and_deterministic() {
    let s = site();
    assert_eq!(s.build().code, 0);
    let public = s.root().join("public");
    let one: Vec<_> = snapshot_tree(&public.join("pagefind"));
    assert!(
        one.iter().any(|(p, _)| p == "pagefind.js"),
        "{:?}",
        one.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert!(one.iter().any(|(p, _)| p.starts_with("fragment")));
    assert!(s.out("index.html").contains("id=\"td-search-input\""));
    assert_eq!(s.build().code, 0);
    assert!(
        one == snapshot_tree(&public.join("pagefind")),
        "index differs between builds"
    );
    // Switched off: no index, no search box.
    s.file("trustdoc.toml", "title = \"Pub\"\nsearch = false\n");
    assert_eq!(s.build().code, 0);
    assert!(!public.join("pagefind").exists());
    assert!(!s.out("index.html").contains("td-search-input"));
}

/// The text of every search fragment (Pagefind gzips them behind a `pagefind_dcd` tag).
fn fragments(pagefind: &Path) -> String {
    let mut text = String::new();
    for (path, bytes) in snapshot_tree(pagefind) {
        if path.starts_with("fragment") {
            let mut gz = flate2::read::GzDecoder::new(bytes.as_slice());
            std::io::Read::read_to_string(&mut gz, &mut text).expect("gzip");
        }
    }
    text
}

#[test]
fn search_index_is_kept_on_rebuild_only_from_a_trustdoc_output_with_the_same_input() {
    let s = site();
    assert_eq!(s.build().code, 0);
    let public = s.root().join("public");
    let fresh = snapshot_tree(&public.join("pagefind"));
    // Make the kept index observable: one fragment takes another's bytes, and the record
    // its hash, so a rebuild that keeps the index keeps this change too.
    let frags: Vec<&(String, Vec<u8>)> = fresh
        .iter()
        .filter(|(p, _)| p.starts_with("fragment"))
        .collect();
    let (x, y) = (frags[0], frags[1]);
    let record_path = public.join("pagefind/trustdoc-search-input.txt");
    let record = std::fs::read_to_string(&record_path).unwrap();
    let hash_of = |rel: &str| {
        let line = record
            .lines()
            .find(|l| l.ends_with(&format!(" {rel}")))
            .unwrap();
        line.split(' ').next().unwrap().to_string()
    };
    let tampered = record.replace(&hash_of(&x.0), &hash_of(&y.0));
    std::fs::write(&record_path, &tampered).unwrap();
    std::fs::write(public.join("pagefind").join(&x.0), &y.1).unwrap();
    let kept = snapshot_tree(&public.join("pagefind"));
    assert_eq!(s.build().code, 0);
    assert!(
        kept == snapshot_tree(&public.join("pagefind")),
        "unchanged input: kept"
    );

    // The same folder without the trustdoc stamp is never read.
    let plain = s.root().join("plain");
    std::fs::rename(&public, &plain).unwrap();
    std::fs::remove_file(plain.join(".trustdoc-output")).unwrap();
    let r = s.run(&["build", "--force", "--output", plain.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        fresh == snapshot_tree(&plain.join("pagefind")),
        "indexed afresh"
    );
    assert!(fragments(&plain.join("pagefind")).contains("quillwort"));
    assert!(!fragments(&plain.join("pagefind")).contains("lungwort"));

    // An edited body is indexed again, as a fresh build indexes it.
    s.file(
        "content/guide/tune.md",
        "---\ntitle: Tune\n---\nThe word quillwort appears only here, and now lungwort.\n",
    );
    let r = s.run(&["build", "--output", plain.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let other = s.root().join("other");
    let r = s.run(&["build", "--output", other.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let edited = snapshot_tree(&plain.join("pagefind"));
    assert!(edited != fresh);
    assert!(edited == snapshot_tree(&other.join("pagefind")));
    assert!(fragments(&plain.join("pagefind")).contains("lungwort"));
}

fn changes(report: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let v: serde_json::Value = serde_json::from_str(report).unwrap();
    let list = |k: &str| -> Vec<String> {
        v["changes"][k]
            .as_array()
            .unwrap_or_else(|| panic!("no changes.{k} in {report}"))
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    (list("added"), list("changed"), list("removed"))
}

#[test]
fn change_report_after_edit_add_and_delete() {
    let s = site();
    let old = s.dir.path().join("old");
    let old_report = s.dir.path().join("old.json");
    let r = s.run(&[
        "build",
        "--output",
        old.to_str().unwrap(),
        "--report",
        old_report.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    s.file(
        "content/guide/setup.md",
        "---\ntitle: Setup\n---\n## Steps\n\nChanged text. Back [home](../index.md).\n",
    )
    .file("content/guide/new.md", "---\ntitle: New\n---\nNew page.\n");
    std::fs::remove_file(s.root().join("content/guide/tune.md")).unwrap();
    let report = s.dir.path().join("new.json");
    let md = s.dir.path().join("summary.md");
    for against in [&old, &old_report] {
        let r = s.run(&[
            "build",
            "--compare-with",
            against.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
            "--summary-md",
            md.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let (added, changed, removed) = changes(&std::fs::read_to_string(&report).unwrap());
        // Adding a page changes every sidebar, but not the other pages' content.
        assert_eq!(added, ["/guide/new/"]);
        assert_eq!(changed, ["/guide/setup/"]);
        assert_eq!(removed, ["/guide/tune/"]);
        let summary = std::fs::read_to_string(&md).unwrap();
        assert!(
            summary.contains("1 added, 1 changed, 1 removed"),
            "{summary}"
        );
        assert!(summary.contains("/guide/new/"), "{summary}");
    }
}

#[test]
fn summary_lists_warnings_and_errors_even_when_the_build_fails() {
    let s = site();
    s.file(
        "content/guide/broken.md",
        "---\ntitle: Broken\n---\nSee [gone](missing.md).\n",
    );
    let md = s.dir.path().join("summary.md");
    let r = s.run(&["build", "--summary-md", md.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let summary = std::fs::read_to_string(&md).unwrap();
    assert!(summary.contains("### Errors"), "{summary}");
    assert!(summary.contains("content/guide/broken.md:4"), "{summary}");
}

#[test]
fn compare_with_a_folder_that_is_not_a_build_is_a_usage_error() {
    let s = site();
    let empty = s.dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let r = s.run(&["build", "--compare-with", empty.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("trustdoc-pages.json"), "{}", r.stderr);
    assert!(
        !s.root().join("public").exists(),
        "nothing is built after a usage error"
    );
}

#[test]
fn config_nav_wins_over_toc_yml() {
    let s = site();
    s.file(
        "trustdoc.toml",
        "title = \"Pub\"\n[[nav]]\ntitle = \"From config\"\npath = \"guide/setup.md\"\n",
    )
    .file(
        "content/toc.yml",
        "- name: From toc\n  href: guide/tune.md\n",
    );
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let home = s.out("index.html");
    assert!(home.contains("From config"), "{home}");
    assert!(!home.contains("From toc"), "{home}");
}

#[test]
fn learn_docsets_are_indexed_too() {
    // A Learn folder built as it is: no trustdoc.toml, a TOC.yml, ms.* front matter.
    let s = TestSite::new();
    s.file(
        "TOC.yml",
        "- name: Overview\n  href: index.md\n- name: Quickstart\n  href: quickstart.md\n",
    )
    .file(
        "index.md",
        "---\ntitle: Overview\nms.date: 8/22/2023\n---\n# Overview\n\n> [!NOTE]\n> Read the quickstart.\n",
    )
    .file(
        "quickstart.md",
        "---\ntitle: Quickstart\nms.date: 8/22/2023\n---\n# Quickstart\n\nThe word sandwort is here.\n",
    );
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let entry = s.out("pagefind/pagefind-entry.json");
    assert!(entry.contains("\"page_count\":2"), "{entry}");
    assert!(s.out("quickstart/index.html").contains("td-search-input"));
}
