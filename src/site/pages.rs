//! Pages: parse each Markdown source (front matter, body) and give it its URL. `foo.md`
//! becomes `foo/`, a folder's landing page (`index.md`, else `_index.md`, else `README.md`)
//! becomes the folder's URL, and two sources that claim one URL are an error.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::front_matter::{self, FrontMatter};
use crate::load::{self, Kind, SourceFile};
use crate::resolve::url_path::clean_segment;

#[derive(Debug, Clone)]
pub struct Page {
    /// Content-relative source path: the page's id.
    pub id: String,
    pub display: String,
    /// URL folder relative to the site root: "guide/setup/", "" for the home page.
    pub url: String,
    pub landing: bool,
    pub fm: FrontMatter,
    pub title: String,
    /// The whole file text (BOM removed) and where the body starts in it.
    pub text: String,
    pub body_offset: usize,
    pub kind: PageKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Markdown,
    Landing,
    Faq,
}

const LANDING_NAMES: [&str; 3] = ["index", "_index", "readme"];

/// The folder and stem of a source path: "guide/setup.md" -> ("guide", "setup").
fn split_path(rel: &str) -> (&str, &str) {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    (dir, stem)
}

/// Parses all Markdown sources in parallel. Drafts are dropped.
pub fn parse(files: &[SourceFile]) -> (Vec<Page>, Vec<Diagnostic>) {
    let results: Vec<(Option<Page>, Vec<Diagnostic>)> = files
        .par_iter()
        .filter(|f| f.kind == Kind::Markdown || (f.kind == Kind::Data && is_yaml(&f.rel)))
        .map(|f| {
            if f.kind == Kind::Markdown {
                parse_one(f)
            } else {
                parse_learn(f)
            }
        })
        .collect();
    let mut pages = Vec::new();
    let mut diags = Vec::new();
    for (p, d) in results {
        diags.extend(d);
        pages.extend(p);
    }
    (pages, diags)
}

fn parse_one(f: &SourceFile) -> (Option<Page>, Vec<Diagnostic>) {
    let text = match load::text(f) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let split = match front_matter::split(&f.display, text) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let body_offset = text.len() - split.body.len();
    let (fm, warnings) = match split.front {
        Some((delim, block, line)) => match front_matter::parse(&f.display, delim, block, line) {
            Ok(v) => v,
            Err(d) => return (None, vec![d]),
        },
        None => (FrontMatter::default(), Vec::new()),
    };
    if fm.draft {
        return (None, warnings);
    }
    let (dir, stem) = split_path(&f.rel);
    let title = fm
        .title
        .clone()
        .or_else(|| first_h1(split.body))
        .unwrap_or_else(|| {
            crate::resolve::nav::prettify(
                if LANDING_NAMES.contains(&stem.to_lowercase().as_str()) && !dir.is_empty() {
                    dir.rsplit('/').next().unwrap_or(dir)
                } else {
                    stem
                },
            )
        });
    let page = Page {
        id: f.rel.clone(),
        display: f.display.clone(),
        url: String::new(),
        landing: false,
        fm,
        title,
        text: text.to_string(),
        body_offset,
        kind: PageKind::Markdown,
    };
    (Some(page), warnings)
}

fn is_yaml(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".yml") || lower.ends_with(".yaml")
}

/// A Learn YAML page (`### YamlMime:Landing` or `### YamlMime:FAQ`); other YAML is data.
fn parse_learn(f: &SourceFile) -> (Option<Page>, Vec<Diagnostic>) {
    let Ok(text) = load::text(f) else {
        return (None, Vec::new());
    };
    match crate::docfx::parse_learn_yaml(&f.display, text) {
        Ok(Some(lp)) => {
            let mut fm = FrontMatter {
                title: Some(lp.title.clone()),
                description: lp.description.clone(),
                ..FrontMatter::default()
            };
            let mut warnings = Vec::new();
            for (k, v) in lp.metadata {
                if k == "ms.date" {
                    if let Some(d) = v.as_str() {
                        // index.yml may list several dates ("09/22/2020, 07/13/2022"): the latest counts.
                        match d.split(',').map(front_matter::parse_date).collect::<Option<Vec<_>>>().and_then(|v| v.into_iter().max()) {
                            Some(iso) => fm.date = Some(iso),
                            None => warnings.push(Diagnostic::warning(&f.display, 0, 0, "date", format!("`ms.date: {d}` is not a date trustdoc understands; it is ignored"))),
                        }
                    }
                }
                fm.extra.insert(k, v);
            }
            let kind = match lp.kind {
                crate::docfx::LearnKind::Landing => PageKind::Landing,
                crate::docfx::LearnKind::Faq => PageKind::Faq,
            };
            let page = Page {
                id: f.rel.clone(),
                display: f.display.clone(),
                url: String::new(),
                landing: false,
                fm,
                title: lp.title,
                text: lp.markdown,
                body_offset: 0,
                kind,
            };
            (Some(page), warnings)
        }
        Ok(None) => (None, Vec::new()),
        Err(d) => (None, d),
    }
}

/// A `# Heading` at the top of the body, used as the title when front matter has none.
fn first_h1(body: &str) -> Option<String> {
    body.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("<!--"))
        .filter(|l| l.starts_with("# "))
        // The heading as text: entities decoded, markup dropped (templates escape it).
        .map(crate::markdown::render::plain_text)
        .filter(|t| !t.is_empty())
}

/// Gives every page its URL. The landing page of a folder is the first of index, _index,
/// README present; the others become ordinary pages. Returns URL clashes as errors.
pub fn assign_urls(pages: &mut [Page]) -> Vec<Diagnostic> {
    assign_urls_with(pages, str::to_string)
}

/// [`assign_urls`] for pages published at `path(id)` instead of their source path
/// (docfx.json `src` -> `dest`).
pub fn assign_urls_with(pages: &mut [Page], path: impl Fn(&str) -> String) -> Vec<Diagnostic> {
    let mut best: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        let published = path(&p.id);
        let (dir, stem) = split_path(&published);
        if let Some(rank) = LANDING_NAMES.iter().position(|n| *n == stem.to_lowercase()) {
            let e = best.entry(dir.to_string()).or_insert((rank, i));
            if rank < e.0 {
                *e = (rank, i);
            }
        }
    }
    for (dir, (_, i)) in &best {
        if let Some(p) = pages.get_mut(*i) {
            p.landing = true;
            p.url = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
        }
    }
    for p in pages.iter_mut().filter(|p| !p.landing) {
        let published = path(&p.id);
        let (dir, stem) = split_path(&published);
        let name =
            p.fm.slug
                .clone()
                .map(|s| clean_segment(&s))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| stem.to_string());
        p.url = if dir.is_empty() {
            format!("{name}/")
        } else {
            format!("{dir}/{name}/")
        };
    }
    let mut seen: BTreeMap<String, &Page> = BTreeMap::new();
    let mut diags = Vec::new();
    let mut order: Vec<&Page> = pages.iter().collect();
    order.sort_by(|a, b| a.id.cmp(&b.id));
    for p in order {
        if let Some(other) = seen.get(&p.url) {
            diags.push(Diagnostic::error(
                &p.display,
                1,
                1,
                "url-clash",
                format!("this page and {} would both be written to /{}; rename one or set a different `slug`", other.display, p.url),
            ));
        } else {
            seen.insert(p.url.clone(), p);
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(id: &str) -> Page {
        Page {
            id: id.into(),
            display: id.into(),
            url: String::new(),
            landing: false,
            fm: FrontMatter::default(),
            title: String::new(),
            text: String::new(),
            body_offset: 0,
            kind: PageKind::Markdown,
        }
    }

    #[test]
    fn clean_urls_and_landing_pages() {
        let mut ps = vec![
            page("index.md"),
            page("guide/setup.md"),
            page("guide/_index.md"),
            page("guide/README.md"),
            page("ref/README.md"),
        ];
        let d = assign_urls(&mut ps);
        assert!(d.is_empty(), "{d:?}");
        let urls: Vec<_> = ps
            .iter()
            .map(|p| (p.id.as_str(), p.url.as_str(), p.landing))
            .collect();
        assert_eq!(
            urls,
            [
                ("index.md", "", true),
                ("guide/setup.md", "guide/setup/", false),
                ("guide/_index.md", "guide/", true),
                ("guide/README.md", "guide/README/", false),
                ("ref/README.md", "ref/", true)
            ]
        );
    }

    #[test]
    fn urls_follow_a_published_path() {
        let mut ps = vec![page("articles/index.md"), page("articles/a/b.md")];
        let d = assign_urls_with(&mut ps, |id| {
            id.strip_prefix("articles/").unwrap_or(id).to_string()
        });
        assert!(d.is_empty(), "{d:?}");
        assert_eq!((ps[0].url.as_str(), ps[0].landing), ("", true));
        assert_eq!(ps[1].url, "a/b/");
    }

    #[test]
    fn clashes_are_errors() {
        let mut ps = vec![page("a.md"), page("a/index.md")];
        let d = assign_urls(&mut ps);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("/a/"));
    }
}
