//! Tests for `learn_yaml.rs`.

use super::*;

const FAQ: &str = "### YamlMime:FAQ
metadata:
  title: Widget questions
  description: Short answers about widgets.
  ms.custom:
    - one
    - two
title: Widget FAQ
summary: |
  Read the [guide](guide.md) first.
sections:
  - name: Basics
    questions:
      - question: |
          What is a <widget> *really*?
        answer: |
          A small **part**.

          ```text
          never closed
      - question: Is it [safe](javascript:x)?
        answer: Yes.
additionalContent: |
  More at the end.
";

#[test]
fn faq_becomes_headed_markdown() {
    let page = parse_learn_yaml("faq.yml", FAQ)
        .expect("parses")
        .expect("is FAQ");
    assert_eq!(page.kind, LearnKind::Faq);
    assert_eq!(page.title, "Widget FAQ");
    assert_eq!(
        page.description.as_deref(),
        Some("Short answers about widgets.")
    );
    assert_eq!(
        page.metadata.get("ms.custom"),
        Some(&serde_json::json!(["one", "two"]))
    );
    let md = &page.markdown;
    assert!(
        md.starts_with("Read the [guide](guide.md) first.\n\n## Basics\n\n"),
        "{md}"
    );
    assert!(
        md.contains("### What is a \\<widget\\> \\*really\\*\\?\n\n"),
        "{md}"
    );
    assert!(
        md.contains("never closed\n```\n\n### Is it"),
        "fence closed: {md}"
    );
    assert!(md.ends_with("More at the end.\n\n"), "{md}");

    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(md));
    assert!(
        html.contains("<h3>What is a &lt;widget&gt; *really*?</h3>"),
        "{html}"
    );
    assert!(
        html.contains("<h3>Is it [safe](javascript:x)?</h3>"),
        "{html}"
    );
    assert!(html.contains("<strong>part</strong>"), "{html}");
}

#[test]
fn landing_becomes_link_lists() {
    let src = "### YamlMime:Landing

title: Widget hub
summary: Everything about widgets.
metadata:
  title: Widgets
landingContent:
  # a card
  - title: Get going
    linkLists:
      - linkListType: how-to-guide
        links:
          - text: Build one [fast]
            url: build.md
          - text: Bad link
            url: \"javascript:alert(1)\"
          - text: Spaced
            url: a page.md
  - title: Later
    linkLists:
      - linkListType: reference
        links:
          - text: API
            url: https://example.com/api
";
    let page = parse_learn_yaml("index.yml", src)
        .expect("parses")
        .expect("is landing");
    assert_eq!(page.kind, LearnKind::Landing);
    assert_eq!(
        page.description.as_deref(),
        Some("Everything about widgets.")
    );
    let md = &page.markdown;
    assert!(md.contains("## Get going\n\n### How\\-to guide\n\n- [Build one \\[fast\\]](<build.md>)\n- Bad link\n- [Spaced](<a%20page.md>)\n"), "{md}");
    assert!(
        md.contains("### Reference\n\n- [API](<https://example.com/api>)"),
        "{md}"
    );
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(md));
    assert!(
        html.contains("<a href=\"build.md\">Build one [fast]</a>"),
        "{html}"
    );
    assert!(!html.contains("javascript"), "{html}");
}

#[test]
fn other_yaml_is_not_ours_and_errors_are_located() {
    assert_eq!(parse_learn_yaml("toc.yml", "- name: A\n"), Ok(None));
    assert_eq!(
        parse_learn_yaml("x.yml", "### YamlMime:TSType\nname: x\n"),
        Ok(None)
    );
    let err = parse_learn_yaml(
        "faq.yml",
        "### YamlMime:FAQ\ntitle: T\nsections:\n  - name: S\n    questions: 5\n",
    )
    .expect_err("bad shape");
    assert_eq!((err[0].line, err[0].kind.as_str()), (5, "learn-yaml"));
    let err =
        parse_learn_yaml("faq.yml", "### YamlMime:FAQ\nsummary: no title\n").expect_err("no title");
    assert!(err[0].message.contains("title"));
}

#[test]
fn corpus_yaml_pages_parse() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/azure-confidential-computing");
    if !dir.is_dir() {
        println!("skipped: corpus not present");
        return;
    }
    let mut faqs = 0;
    for name in [
        "index.yml",
        "confidential-vm-faq-amd.yml",
        "faq-application-enclaves.yml",
        "confidential-nodes-aks-faq.yml",
    ] {
        let src = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        let page = parse_learn_yaml(name, &src)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"))
            .expect("a Learn page");
        assert!(
            !page.title.is_empty() && page.markdown.contains("\n### "),
            "{name}"
        );
        faqs += usize::from(page.kind == LearnKind::Faq);
    }
    assert_eq!(faqs, 3);
}
