//! A whole Learn repository built as it is (tests/fixtures/learn_repo): docfx.json maps
//! `articles/` to the site root and keeps include files out of the pages; the
//! publish config names three dependent repositories, one cloned under the root
//! (shared-snippets), one given with --dependency (sample-code, from
//! tests/fixtures/learn_repo_deps), one absent (reusable-content).

mod common;
use common::{Run, TestSite};

use std::path::Path;

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// The fixture in a temporary folder: `site/` is the repository root, `sample-code/`
/// sits beside it (outside the root).
fn repo() -> TestSite {
    let s = TestSite::nested();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    copy_tree(&fixtures.join("learn_repo"), s.root());
    copy_tree(
        &fixtures.join("learn_repo_deps/sample-code"),
        &s.dir.path().join("sample-code"),
    );
    s
}

fn build(s: &TestSite, extra: &[&str]) -> Run {
    let dep = format!("sample-code={}", s.dir.path().join("sample-code").display());
    let report = s.dir.path().join("report.json");
    let report = report.to_str().expect("utf-8 path");
    let mut args = vec!["build", "--dependency", &dep, "--report", report];
    args.extend_from_slice(extra);
    s.run(&args)
}

fn html_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

#[test]
fn urls_follow_docfx_mapping_and_only_articles_are_pages() {
    let s = repo();
    let r = build(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        html_files(&s.root().join("public")),
        [
            "404.html",
            "alpha/index.html",
            "alpha/overview/index.html",
            "beta/setup/index.html",
            "index.html"
        ],
        "src `articles` is published at `.`; no page from includes/, README.md or a dependency"
    );
    // Resources follow the same mapping, and links to them from the page's URL.
    assert!(s.out_path("alpha/media/layout.png").is_file());
    assert!(!s.out_path("articles").exists());
    assert!(s
        .out("alpha/index.html")
        .contains("src=\"media/layout.png\""));
    assert!(s
        .out("beta/setup/index.html")
        .contains("href=\"../../alpha/overview/#sign-in\""));
}

#[test]
fn included_text_comes_from_the_repository_and_present_dependencies() {
    let s = repo();
    let r = build(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(s.out("index.html").contains("COMMON-INCLUDE-TEXT"));
    assert!(s
        .out("alpha/overview/index.html")
        .contains("ALPHA-INCLUDE-TEXT"));
    let setup = s.out("beta/setup/index.html");
    assert!(
        setup.contains("SHARED-SNIPPET-TEXT"),
        "dependency under the root"
    );
    assert!(
        setup.contains("SAMPLE-CODE-TEXT"),
        "dependency from --dependency"
    );
    assert!(
        !setup.contains("A sample from a dependent repository"),
        "range=\"2-3\" cuts the sample"
    );
}

#[test]
fn absent_dependency_gives_notes_and_one_warning() {
    let s = repo();
    let r = build(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let setup = s.out("beta/setup/index.html");
    assert_eq!(
        setup
            .matches("class=\"td-missing-dep\" role=\"note\"")
            .count(),
        3,
        "two includes and one code block"
    );
    assert!(setup.contains("<code>~/reusable-content/includes/prerequisites.md</code>"));
    assert!(setup.contains("<code>~/reusable-content/scripts/setup.sh</code>"));
    assert!(!setup.contains("[!INCLUDE") && !setup.contains(":::code"));
    let lines: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("reusable-content"))
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "one warning for the repository: {}",
        r.stderr
    );
    assert!(lines[0].contains("articles/beta/setup.md:11:1: warning"));
    assert!(lines[0].contains("3 references"));
    let report = std::fs::read_to_string(s.dir.path().join("report.json")).expect("report");
    let json: serde_json::Value = serde_json::from_str(&report).expect("json");
    let absent = json["absent_dependencies"].as_array().expect("list");
    assert_eq!(absent.len(), 3);
    assert_eq!(
        absent[1]["path"],
        "~/reusable-content/includes/product-name.md"
    );
    assert_eq!(absent[1]["line"], 13);
}

#[test]
fn strict_fails_naming_the_absent_repository() {
    let s = repo();
    let r = build(&s, &["--strict"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .lines()
            .any(|l| l.contains(": error:") && l.contains("`reusable-content`")),
        "{}",
        r.stderr
    );
    assert!(!s.out_path("index.html").exists(), "nothing written");
}

#[test]
fn without_the_dependency_flag_sample_code_is_absent_too() {
    let s = repo();
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("`sample-code` is not here: 1 reference"));
    assert!(!s.out("beta/setup/index.html").contains("SAMPLE-CODE-TEXT"));
}

#[test]
fn tab_links_select_tabs_and_ids_are_unique() {
    let s = repo();
    let r = build(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("broken-anchor") && !r.stderr.contains("#tab/"));
    let page = s.out("alpha/overview/index.html");
    assert!(page.contains("href=\"#tab/azure-cli\""));
    assert!(page.contains("data-tab=\"azure-cli\""));
    // The author's `<a id="sign-in">` keeps its id; the heading gets another one.
    assert_eq!(page.matches("id=\"sign-in\"").count(), 1, "{page}");
    assert!(page.contains("<h2 id=\"sign-in-1\">"));
    assert!(r
        .stderr
        .contains("articles/alpha/overview.md:15:4: warning: id=\"two words\" has whitespace"));
    // ... and is written with a hyphen, so the page stays valid HTML.
    assert!(page.contains("id=\"two-words\"") && !page.contains("id=\"two words\""));
    // An id written twice: the second becomes `-2`, outside code (fenced, inline, indented).
    s.file(
        "articles/alpha/twice.md",
        concat!(
            "# Twice\n\n<a id=\"x\"></a>\n\n<a id=\"x\"></a>\n\n```html\n<a id=\"x\"></a>\n```\n\n",
            "Inline: `<a id=\"x\">`.\n\n    <a id=\"x\"></a>\n",
        ),
    );
    let r = build(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r
        .stderr
        .contains("id=\"x\" is written twice on this page; written as id=\"x-2\""));
    let twice = s.out("alpha/twice/index.html");
    assert_eq!(twice.matches("<a id=\"x\">").count(), 1, "{twice}");
    assert_eq!(twice.matches("<a id=\"x-2\">").count(), 1, "{twice}");
    // The inline and the indented example keep their text (the fenced one is highlighted).
    assert_eq!(twice.matches("&lt;a id=\"x\"&gt;").count(), 2, "{twice}");
    assert!(
        !twice.contains("x-3"),
        "the code examples keep their text: {twice}"
    );
    std::fs::remove_file(s.root().join("articles/alpha/twice.md")).expect("remove");
    // A tab the page does not have is still a broken anchor.
    s.file(
        "articles/alpha/index.md",
        "# Alpha\n\n[Go](overview.md#tab/bash) and [here](#tab/none).\n",
    );
    let r = build(&s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r
        .stderr
        .contains("anchor `#tab/bash` does not exist on articles/alpha/overview.md"));
    assert!(r
        .stderr
        .contains("anchor `#tab/none` does not exist on this page"));
}

#[cfg(unix)]
#[test]
fn reads_stay_inside_the_root_and_the_named_folders() {
    let s = repo();
    let secret = s.outside("secret.md", "SECRET-TEXT outside every named folder\n");
    // A link inside the --dependency folder that points out of it, and one inside the
    // cloned dependency under the root.
    std::os::unix::fs::symlink(&secret, s.dir.path().join("sample-code/escape.md")).expect("link");
    s.symlink(&secret, "shared-snippets/escape.md");
    s.file(
        "articles/beta/leak.md",
        "# Leak\n\n[!INCLUDE [a](~/sample-code/escape.md)]\n\n[!INCLUDE [b](~/shared-snippets/escape.md)]\n\n[!INCLUDE [c](~/../secret.md)]\n\n:::code language=\"text\" source=\"~/sample-code/../secret.md\":::\n",
    );
    let r = build(&s, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for line in [5, 7, 9] {
        let at = format!("articles/beta/leak.md:{line}:1: error");
        assert!(r.stderr.contains(&at), "no error at {at}: {}", r.stderr);
    }
    assert!(
        r.stderr.contains("articles/beta/leak.md:3:1: error"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("SECRET-TEXT"));
}

#[test]
fn a_broken_docfx_json_stops_the_build_at_its_line() {
    let s = repo();
    s.file(
        "docfx.json",
        "{\n  \"build\": {\n    \"content\": [\n      { \"files\": [\"**/*.md\"], \"src\": \"articles\" }\n    \n  }\n}\n",
    );
    let r = build(&s, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("docfx.json:6:3: error"), "{}", r.stderr);
    assert!(!s.out_path("index.html").exists());
}
