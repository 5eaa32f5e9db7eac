//! The link index: every page's URL and every static file, built once from the parsed
//! site, so each page's links resolve against data rather than the file system.

use std::collections::BTreeMap;

use super::links::{LinkPolicy, SiteIndex};

/// The index of a site whose pages are `(id, url)` pairs and whose static files are
/// `statics` (content-relative). `learn_docset` makes missing targets warnings (a Learn
/// docset built as it is, as DocFX does); `safe` is `--safe`.
pub fn site_index<'a>(
    pages: impl IntoIterator<Item = (&'a str, &'a str)>,
    statics: impl IntoIterator<Item = &'a str>,
    bound_images: BTreeMap<String, (String, String)>,
    learn_docset: bool,
    safe: bool,
) -> SiteIndex {
    let mut index = SiteIndex {
        policy: if learn_docset {
            LinkPolicy::Warn
        } else {
            LinkPolicy::Error
        },
        safe,
        bound_images,
        ..SiteIndex::default()
    };
    for (id, url) in pages {
        index.page_url.insert(id.to_string(), url.to_string());
        index.url_page.insert(url.to_string(), id.to_string());
        index.page_lower.insert(id.to_lowercase(), id.to_string());
    }
    for rel in statics {
        index.statics.insert(rel.to_string());
        index
            .statics_lower
            .insert(rel.to_lowercase(), rel.to_string());
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_pages_both_ways_and_statics_by_case() {
        let index = site_index(
            [("Guide/Setup.md", "Guide/Setup/")],
            ["img/Logo.PNG"],
            BTreeMap::new(),
            true,
            false,
        );
        assert_eq!(index.page_url["Guide/Setup.md"], "Guide/Setup/");
        assert_eq!(index.url_page["Guide/Setup/"], "Guide/Setup.md");
        assert_eq!(index.page_lower["guide/setup.md"], "Guide/Setup.md");
        assert_eq!(index.statics_lower["img/logo.png"], "img/Logo.PNG");
        assert!(matches!(index.policy, LinkPolicy::Warn));
    }
}
