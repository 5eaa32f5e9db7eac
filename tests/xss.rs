//! Escaping sweep: a list of script-injection payloads goes through every field a user
//! controls (front matter, trustdoc.toml, TOC, headings, alt text and titles, code info
//! strings, comparison data, Learn YAML pages, redirects, aliases, file names), and every
//! output file is checked: no payload in an executable position in HTML, SVG or XML,
//! templates never evaluated, and JSON, XML and SVG files still parse.
//!
//! Markdown bodies are author HTML by design unless `--safe` is given, so raw payloads go
//! into Markdown text only in the safe build; the default build gets them in every field
//! that is data rather than Markdown.

mod common;
use common::markup::{html_problems, xml_problems};
use common::{snapshot_tree, TestSite};

/// Every payload, joined into one string so each field carries all of them.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'onmouseover='alert(1)",
    "javascript:alert(1)",
    "</title><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
    "\"><svg onload=alert(1)>",
    "T7{{ 7*7 }}T7",
    "{% raw %}R{% endraw %}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "line\u{2028}separator",
    "nul\u{0}byte",
];

fn payload() -> String {
    PAYLOADS.join(" ")
}

/// A YAML, TOML or JSON double-quoted string (the three agree on these escapes).
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{2028}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// For Markdown link and image text: brackets escaped so the payload stays inside.
fn md_text(s: &str) -> String {
    s.replace('[', "\\[").replace(']', "\\]")
}

/// The example comparison with the payload in every name, text, note, label and id that
/// may hold free text. (A NUL is refused in comparison data: see `nul_in_comparison_data`.)
fn hostile_models(p: &str) -> String {
    let p = p.replace('\0', "");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/init/models.toml");
    let mut m = std::fs::read_to_string(path).expect("example data");
    let mut swap = |from: &str, to: String| {
        assert!(m.contains(from), "fixture drifted: {from}");
        m = m.replacen(from, &to, 1);
    };
    swap(
        "title = \"Example deployment models\"",
        format!("title = {}\ndescription = {}", q(&p), q(&p)),
    );
    for field in [
        "name = \"CPU\"",
        "name = \"Cloud operator\"",
        "name = \"Ordinary VM\"",
        "isolation_unit = \"VM\"",
        "code_changes = \"None\"",
        "attestation = \"None\"",
        "memory = \"Not encrypted\"",
        "question = \"Must the cloud operator be kept out?\"",
    ] {
        let key = field.split(" = ").next().unwrap_or(field);
        swap(field, format!("{key} = {}", q(&p)));
    }
    swap("technologies = []", format!("technologies = [{}]", q(&p)));
    let answer = format!("yes {p}");
    swap(
        "answers = [\"yes\", \"no\"]",
        format!("answers = [{}, \"no\"]", q(&answer)),
    );
    swap(
        "{ id = \"R1\", when = { operator = \"yes\" }",
        format!(
            "{{ id = {}, note = {}, when = {{ operator = {} }}",
            q(&format!("R1 {p}")),
            q(&p),
            q(&answer)
        ),
    );
    swap(
        "  { layer = \"hypervisor\", trust = \"untrusted\" },",
        format!(
            "  {{ layer = \"hypervisor\", trust = \"untrusted\", label = {} }},",
            q(&p)
        ),
    );
    swap(
        "[decision]",
        format!(
            "access_override = [ {{ actor = \"admin\", access = true, reason = {} }} ]\n[decision]",
            q(&p)
        ),
    );
    m
}

fn hostile_site(safe: bool) -> TestSite {
    let p = payload();
    let s = TestSite::new();
    s.file(
        "trustdoc.toml",
        &format!(
            "title = {}\ndescription = {}\nbase_url = \"https://docs.example.org/\"\n[extra]\ntagline = {}\n",
            q(&p),
            q(&p),
            q(&p)
        ),
    )
    // A user template that shows extra fields from the page and the config.
    .file(
        "templates/custom.html",
        "{% extends \"page.html\" %}{% block title %}{{ page.extra.note }} {{ site.extra.tagline }}{% endblock title %}",
    )
    .file("content/pic.png", "png")
    .file("content/m.toml", &hostile_models(&p));

    let mut body = String::new();
    if safe {
        body.push_str(&format!("# Heading {p}\n\n{p}\n\n"));
        // Script URLs in DocFX forms; the default build keeps author URLs, with a warning.
        body.push_str(":::image type=\"content\" source=\"javascript:alert(1)\" alt-text=\"a\" link=\"javascript:alert(2)\":::\n\n");
        body.push_str(":::image type=\"content\" source=\"pic.png\" alt-text=\"b\" lightbox=\" JavaScript:alert(3)\":::\n\n");
        body.push_str("> [!VIDEO javascript:alert(4)]\n\n[click](javascript:alert(5))\n\n");
    }
    body.push_str("## Entity &lt;b&gt; heading\n\n");
    body.push_str(&format!(
        "![{}](pic.png {})\n\n",
        md_text(&p),
        q(&format!("title {p}"))
    ));
    // Link text is Markdown (author HTML stays unless --safe); the title is data.
    let link_text = if safe {
        md_text(&p)
    } else {
        "other".to_string()
    };
    body.push_str(&format!(
        "[{link_text}](other.md {})\n\n",
        q(&format!("link title {p}"))
    ));
    body.push_str(&format!(
        "[external](/elsewhere/{}) \n\n",
        "%3Cscript%3Ealert(1)%3C/script%3E"
    ));
    let alt = p.replace('"', "&quot;");
    body.push_str(&format!(
        ":::image type=\"content\" source=\"pic.png\" alt-text=\"{alt}\":::\n\n"
    ));
    // An info string cannot hold a backtick; everything else goes in.
    body.push_str(&format!("```{}\ncode\n```\n\n", p.replace('`', "")));
    for d in [
        "access-matrix",
        "decision-table",
        "decision-guide",
        "trust-boundary",
    ] {
        body.push_str(&format!(":::{d} source=\"m.toml\":::\n\n"));
    }
    s.file(
        "content/index.md",
        &format!(
            "---\ntitle: {}\ndescription: {}\nauthor: {}\nnote: {}\nms.date: {}\ntemplate: custom.html\n---\n{body}",
            q(&p),
            q(&p),
            q(&p),
            q(&p),
            q(&p)
        ),
    )
    .file(
        "content/other.md",
        &format!(
            "---\ntitle: {}\naliases: [{}]\n---\nOther.\n",
            q(&p),
            q("/old/\"><svg onload=alert(1)>")
        ),
    )
    .file("content/h1title.md", "# Only &lt;i&gt; heading\n\nText.\n")
    .file("content/x\"><svg onload=alert(1)>.md", "# Odd file name\n")
    .file(
        "content/toc.yml",
        &format!(
            "- name: {}\n  href: index.md\n- name: {}\n  href: other.md\n- name: Title\n  href: h1title.md\n",
            q(&p),
            q(&p)
        ),
    );

    let faq_answer = if safe { q(&p) } else { q("A plain answer.") };
    s.file(
        "content/learn/faq.yml",
        &format!(
            "### YamlMime:FAQ\ntitle: {}\nmetadata:\n  description: {}\nsections:\n  - name: {}\n    questions:\n      - question: {}\n        answer: {faq_answer}\n",
            q(&p),
            q(&p),
            q(&p),
            q(&p)
        ),
    )
    .file(
        "content/learn/index.yml",
        &format!(
            "### YamlMime:Landing\ntitle: {}\nsummary: {}\nlandingContent:\n  - title: {}\n    linkLists:\n      - linkListType: overview\n        links:\n          - text: {}\n            url: {}\n          - text: {}\n            url: ../other.md\n",
            q(&p),
            q(&p),
            q(&p),
            q(&p),
            q("javascript:alert(1)"),
            q(&p)
        ),
    )
    .file(
        "content/.openpublishing.redirection.json",
        &format!(
            "{{\"redirections\": [{{\"source_path\": \"gone.md\", \"redirect_url\": {}}}]}}",
            q("/x\"><script>alert(1)</script>")
        ),
    );
    s
}

/// Builds, then checks every output file and the report. Returns the output for more checks.
fn build_and_sweep(s: &TestSite, extra: &[&str]) -> Vec<(String, Vec<u8>)> {
    let report = s.root().join("report.json");
    let report_arg = report.to_string_lossy().into_owned();
    let mut args = vec!["build", "--report", report_arg.as_str()];
    args.extend_from_slice(extra);
    let r = s.run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files = snapshot_tree(&s.root().join("public"));
    let mut problems = Vec::new();
    for (name, bytes) in &files {
        if name.starts_with("assets/") || name.ends_with(".png") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        if name.ends_with(".html") {
            problems.extend(html_problems(name, &text));
        } else if name.ends_with(".svg") || name.ends_with(".xml") {
            problems.extend(xml_problems(name, bytes));
        } else if name.ends_with(".json") {
            if let Err(e) = serde_json::from_slice::<serde_json::Value>(bytes) {
                problems.push(format!("{name}: does not parse as JSON: {e}"));
            }
        }
    }
    let report_text = std::fs::read_to_string(&report).expect("report written");
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&report_text) {
        problems.push(format!("report.json does not parse: {e}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    files
}

fn text_of<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> std::borrow::Cow<'a, str> {
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} not written"));
    String::from_utf8_lossy(bytes)
}

const ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";

#[test]
fn payloads_in_data_fields_come_out_escaped() {
    let s = hostile_site(false);
    let files = build_and_sweep(&s, &[]);
    let home = text_of(&files, "index.html");
    // The payloads did reach the page: title, meta, TOC, alt text, tables, inline SVG.
    assert!(home.matches(ESCAPED).count() >= 20, "{home}");
    assert!(
        home.contains("T7{{ 7*7 }}T7"),
        "template syntax shown as text"
    );
    assert!(home.contains("<title>"), "{home}");
    // An entity in a heading is shown once-escaped in the heading and in "On this page".
    assert!(
        home.matches("Entity &lt;b&gt; heading").count() >= 2,
        "{home}"
    );
    assert!(!home.contains("Entity &amp;lt;b"), "double-escaped heading");
    let h1 = text_of(&files, "h1title/index.html");
    assert!(h1.contains("<title>Only &lt;i&gt; heading"), "{h1}");
    assert!(!h1.contains("&amp;lt;i"), "double-escaped title");
    // Comparison data: rule ids (decision table), the answer (guide form).
    assert!(home.contains("R1 &lt;script&gt;alert(1)"), "rule id");
    assert!(home.contains("yes &lt;script&gt;alert(1)"), "answer");
    // Standalone diagrams carry the names too, escaped.
    let svg = text_of(&files, "diagrams/example-all.svg");
    assert!(svg.contains("&lt;script&gt;"), "{svg}");
    // Learn pages, the redirect page and the alias page.
    for page in ["learn/faq/index.html", "learn/index.html"] {
        assert!(text_of(&files, page).contains(ESCAPED), "{page}");
    }
    let gone = text_of(&files, "gone/index.html");
    assert!(gone.contains("/x&quot;&gt;&lt;script&gt;"), "{gone}");
    assert!(files
        .iter()
        .any(|(n, _)| n.starts_with("old/") && n.ends_with("index.html")));
    // The odd file name reaches the sitemap as an encoded URL.
    let sitemap = text_of(&files, "sitemap.xml");
    assert!(sitemap.contains("/x%22%3E%3Csvg%20onload"), "{sitemap}");
    // The report holds the warning about the date, with the payload JSON-escaped.
    let report = std::fs::read_to_string(s.root().join("report.json")).expect("report");
    let v: serde_json::Value = serde_json::from_str(&report).expect("report parses");
    assert!(
        v["warnings"].to_string().contains("<script>alert(1)"),
        "{report}"
    );
}

#[test]
fn payloads_in_markdown_are_removed_in_safe_mode() {
    let s = hostile_site(true);
    let files = build_and_sweep(&s, &["--safe"]);
    let home = text_of(&files, "index.html");
    assert!(home.contains("Heading"), "{home}");
    let faq = text_of(&files, "learn/faq/index.html");
    assert!(
        faq.contains("onmouseover"),
        "the answer text is kept: {faq}"
    );
}

#[test]
fn nul_in_comparison_data_is_located() {
    let s = TestSite::new();
    s.file("content/index.md", "# Home\n").file(
        "content/m.toml",
        &hostile_models("plain").replacen(
            "name = \"Hypervisor\"",
            &format!("name = {}", q("Hyper\u{0}visor")),
            1,
        ),
    );
    let r = s.build();
    common::assert_error_at(
        &r,
        "content/m.toml:9:43: error: this text holds the control character U+0000",
    );
}

#[test]
fn the_checker_catches_what_it_looks_for() {
    // Guards against a sweep that passes because it looks at nothing.
    let bad = [
        "<p><script>alert(1)</script></p>",
        "<img src=\"a.png\" onerror=\"x()\">",
        "<a href=\" javascript:alert(1)\">x</a>",
        "<p>T749T7</p>",
        "<p>a\0b</p>",
    ];
    for html in bad {
        assert!(!html_problems("t", html).is_empty(), "{html}");
    }
    let good = "<p title=\"x onerror=y\">&lt;script&gt;alert(1) javascript:x</p><script type=\"application/json\">{\"a\":\"\\u003c\"}</script>";
    assert!(
        html_problems("t", good).is_empty(),
        "{:?}",
        html_problems("t", good)
    );
    assert!(!xml_problems("t.svg", b"<svg onload=\"x\"/>").is_empty());
    assert!(!xml_problems("t.svg", b"<svg>\0</svg>").is_empty());
}
