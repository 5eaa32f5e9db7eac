//! `TOC.yml` / `toc.yml`: DocFX's table of contents, which drives the sidebar. Items have a
//! `name` (or `displayName`), an optional `href` (page, `#anchor`, `../` path, site-absolute
//! `/path`, external URL, another TOC or a folder), `expanded`, `uid`, `topicHref` and nested
//! `items`. The file may be a list or a mapping with `items:`. Hrefs are kept as written: the
//! core resolves and checks them. YAML limits (alias expansion, depth, size) come from
//! serde-saphyr's default budget, so hostile files fail with an error instead of exhausting memory.

use super::pivots::yaml_error;
use crate::error::Diagnostic;
use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocItem {
    pub name: String,
    /// The page this item opens: `href`, or `topicHref` when `href` names another TOC or a folder.
    pub href: Option<String>,
    pub expanded: bool,
    pub items: Vec<TocItem>,
    /// `uid` of the item, for cross-references (not resolved here).
    pub uid: Option<String>,
    /// A nested TOC this item pulls in (`href` ending in `toc.yml`/`toc.md`, or a folder `…/`).
    pub toc_href: Option<String>,
    pub line: usize,
    pub col: usize,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawItem {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    href: Option<String>,
    #[serde(default)]
    topic_href: Option<String>,
    #[serde(default)]
    uid: Option<String>,
    #[serde(default)]
    expanded: Option<bool>,
    #[serde(default)]
    items: Option<Vec<Spanned<RawItem>>>,
}

#[derive(Deserialize)]
struct RawRoot {
    #[serde(default)]
    items: Vec<Spanned<RawItem>>,
}

/// Parse a TOC file. Every error has the file's line and column.
pub fn parse_toc(display_path: &str, src: &str) -> Result<Vec<TocItem>, Vec<Diagnostic>> {
    let first = src
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && l != &"---");
    let raw: Vec<Spanned<RawItem>> = match first {
        None => return Ok(Vec::new()),
        Some(l) if l.starts_with('-') || l.starts_with('[') => serde_saphyr::from_str(src),
        Some(_) => serde_saphyr::from_str::<RawRoot>(src).map(|r| r.items),
    }
    .map_err(|e| vec![yaml_error(display_path, &e, "toc")])?;
    let mut errors = Vec::new();
    let items = convert(display_path, raw, &mut errors);
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

fn convert(path: &str, raw: Vec<Spanned<RawItem>>, errors: &mut Vec<Diagnostic>) -> Vec<TocItem> {
    let mut out = Vec::new();
    for item in raw {
        let loc = item.referenced;
        let line = usize::try_from(loc.line()).unwrap_or(0);
        let col = usize::try_from(loc.column()).unwrap_or(0);
        let r = item.value;
        let name = r
            .name
            .or(r.display_name)
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        let Some(name) = name else {
            errors.push(Diagnostic::error(
                path,
                line,
                col,
                "toc",
                "TOC item has no `name` (expected `- name: Title`)",
            ));
            continue;
        };
        let href = r
            .href
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty());
        let (href, toc_href) = match href {
            Some(h) if names_toc(&h) => (r.topic_href.clone(), Some(h)),
            h => (h.or(r.topic_href.clone()), None),
        };
        let items = convert(path, r.items.unwrap_or_default(), errors);
        out.push(TocItem {
            name,
            href,
            expanded: r.expanded.unwrap_or(false),
            items,
            uid: r.uid.filter(|u| !u.trim().is_empty()),
            toc_href,
            line,
            col,
        });
    }
    out
}

/// Does an href point at another TOC (a toc file or a folder)?
fn names_toc(href: &str) -> bool {
    let h = href.split(['#', '?']).next().unwrap_or(href);
    if h.contains("://") {
        return false;
    }
    let file = h.rsplit('/').next().unwrap_or(h).to_ascii_lowercase();
    h.ends_with('/') || file == "toc.yml" || file == "toc.md" || file == "toc.json"
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOC: &str = "\
# comment line
- name: Start here   # trailing comment
  href: ./index.yml
- name: Concepts
  expanded: true
  items:
    - name: The basics
      href: basics.md#first-steps
    - displayName: Shown by display name
      href: ../other/page.md
    - name: Elsewhere
      href: https://example.com/docs
    - name: Deeper
      items:
      - name: Leaf
        href: /site/absolute/path
- name: Sub-book
  href: sub/toc.yml
  topicHref: sub/index.md
- name: Only uid
  uid: some.uid
";

    #[test]
    fn nested_toc_with_anchors_and_kinds_of_href() {
        let items = parse_toc("TOC.yml", TOC).expect("parses");
        assert_eq!(items.len(), 4);
        assert_eq!(
            (items[0].name.as_str(), items[0].line, items[0].col),
            ("Start here", 2, 3)
        );
        assert_eq!(items[0].href.as_deref(), Some("./index.yml"));
        assert!(items[1].expanded && !items[0].expanded);
        let kids = &items[1].items;
        assert_eq!(kids[0].href.as_deref(), Some("basics.md#first-steps"));
        assert_eq!(kids[1].name, "Shown by display name");
        assert_eq!(kids[2].href.as_deref(), Some("https://example.com/docs"));
        assert_eq!(
            kids[3].items[0].href.as_deref(),
            Some("/site/absolute/path")
        );
        assert_eq!(kids[3].items[0].line, 15);
        assert_eq!(items[2].href.as_deref(), Some("sub/index.md"));
        assert_eq!(items[2].toc_href.as_deref(), Some("sub/toc.yml"));
        assert_eq!(
            (items[3].href.as_deref(), items[3].uid.as_deref()),
            (None, Some("some.uid"))
        );
    }

    #[test]
    fn mapping_root_with_items() {
        let items = parse_toc("toc.yml", "items:\n- name: A\n  href: a.md\n").expect("parses");
        assert_eq!(items[0].name, "A");
        assert_eq!(parse_toc("toc.yml", "# only a comment\n"), Ok(vec![]));
    }

    #[test]
    fn errors_have_line_and_column() {
        let err = parse_toc(
            "TOC.yml",
            "- name: A\n  href: a.md\n- name: B\n  expanded: maybe\n",
        )
        .expect_err("bad bool");
        assert_eq!((err[0].line, err[0].kind.as_str()), (4, "toc"));
        assert!(err[0].col > 0, "{:?}", err);
        let err = parse_toc("TOC.yml", "- name: A\n- href: b.md\n").expect_err("no name");
        assert_eq!((err[0].line, err[0].col), (2, 3));
        let err = parse_toc("TOC.yml", "- name: A\n  items: [\n").expect_err("syntax");
        assert!(err[0].line >= 2, "{:?}", err);
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            src.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                [prev.as_str(); 10].join(", ")
            ));
        }
        src.push_str("items: []\n");
        let started = std::time::Instant::now();
        let _ = parse_toc("TOC.yml", &src);
        src.push_str("more: *a11\n");
        let _ = parse_toc("TOC.yml", &src);
        assert!(
            started.elapsed().as_secs() < 10,
            "alias expansion must be bounded"
        );
    }

    #[test]
    fn corpus_toc_parses() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpus/azure-confidential-computing/TOC.yml");
        let Ok(src) = std::fs::read_to_string(&path) else {
            println!("skipped: corpus not present");
            return;
        };
        let items = parse_toc("TOC.yml", &src).expect("corpus TOC parses");
        assert!(items.len() > 3 && items.iter().any(|i| i.expanded));
    }
}
