//! Search: a full-text index of every page, built with Pagefind used as a library (no
//! Node, no second pass over the output folder). Each page is handed over as a small HTML
//! document holding only its title (as the `h1`, which Pagefind weights highest, so title
//! matches rank first) and its rendered content, never the sidebar or the footer. The
//! index lands in `pagefind/`; `assets/search.js` drives the search box with Pagefind's
//! browser API. The index files are named by their content hash, and pages are added in
//! URL order, so the same input gives the same files.

use crate::output::OutputFile;

/// Folder of the site the index is written to.
pub const DIR: &str = "pagefind";

/// One page as the index sees it.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// The page's URL folder relative to the site root (`guide/setup/`, `` for home).
    pub url: String,
    pub title: String,
    /// The page's rendered content (HTML, without the layout).
    pub content: String,
}

/// Parts of Pagefind's bundle the site does not use: its own UIs (the layout has an
/// accessible search box of its own) and the highlighter.
fn unused(name: &str) -> bool {
    name.starts_with("pagefind-ui.")
        || name.starts_with("pagefind-modular-ui.")
        || name.starts_with("pagefind-component-ui.")
        || name == "pagefind-highlight.js"
        || name.starts_with("playground/")
}

/// The index files for `docs`, under [`DIR`]. `language` is the site's language (ISO 639-1;
/// its stemmer is used when Pagefind has one). Err with Pagefind's message.
pub fn index(mut docs: Vec<SearchDoc>, language: &str) -> Result<Vec<OutputFile>, String> {
    docs.sort_by(|a, b| a.url.cmp(&b.url));
    let lang = language
        .split(['-', '_'])
        .next()
        .filter(|l| !l.is_empty())
        .unwrap_or("en")
        .to_ascii_lowercase();
    // Pagefind's API is async and hands its parsing to a blocking pool.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("search index: cannot start a runtime: {e}"))?;
    let files = runtime.block_on(async {
        let config = pagefind::options::PagefindServiceConfig::builder()
            .force_language(lang.clone())
            .keep_index_url(false)
            .write_playground(false)
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(config))?;
        for d in &docs {
            index
                .add_html_file(None, Some(format!("/{}", d.url)), document(d, &lang))
                .await?;
        }
        index.get_files().await
    });
    let files = files.map_err(|e| format!("search index: {e}"))?;
    let mut out: Vec<OutputFile> = files
        .into_iter()
        .filter_map(|f| {
            let path = crate::load::slash_path(&f.filename);
            // Names come back under Pagefind's bundle folder; keep what follows it.
            let rel = path
                .rsplit_once(&format!("{DIR}/"))
                .map(|(_, r)| r.to_string())
                .unwrap_or(path);
            (!unused(&rel)).then(|| OutputFile::new(format!("{DIR}/{rel}"), f.contents))
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The page as Pagefind reads it: the title as the only `h1` (a content `h1` is demoted
/// so it does not take the title's place), then the content.
fn document(d: &SearchDoc, lang: &str) -> String {
    let content = d.content.replace("<h1", "<h2").replace("</h1>", "</h2>");
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><title>{t}</title></head>\
         <body><main><h1>{t}</h1>{content}</main></body></html>",
        t = crate::escape::html(&d.title),
        lang = crate::escape::html(lang),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, title: &str, content: &str) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            title: title.into(),
            content: content.into(),
        }
    }

    #[test]
    fn index_is_deterministic_and_complete() {
        let docs = vec![
            doc("", "Home", "<p>Welcome.</p>"),
            doc("a/", "Attestation", "<p>Quotes and <em>reports</em>.</p>"),
            doc("b/", "Boundaries", "<h1>Own heading</h1><p>zebrafish</p>"),
        ];
        let one = index(docs.clone(), "en-US").unwrap();
        let mut reversed = docs;
        reversed.reverse();
        let two = index(reversed, "en-US").unwrap();
        assert_eq!(one, two, "same pages, same files");
        let names: Vec<&str> = one.iter().map(|f| f.path.as_str()).collect();
        for want in ["pagefind/pagefind.js", "pagefind/pagefind-entry.json"] {
            assert!(names.contains(&want), "{names:?}");
        }
        assert!(names.iter().any(|n| n.starts_with("pagefind/fragment/")));
        assert!(names.iter().any(|n| n.starts_with("pagefind/index/")));
        assert!(!names.iter().any(|n| n.contains("-ui.")), "{names:?}");
        let entry = one
            .iter()
            .find(|f| f.path == "pagefind/pagefind-entry.json")
            .unwrap();
        let entry = String::from_utf8_lossy(&entry.bytes);
        assert!(entry.contains("\"page_count\":3"), "{entry}");
    }

    #[test]
    fn title_is_the_only_h1_and_escaped() {
        let d = document(&doc("x/", "A <b> & c", "<h1 id=\"t\">T</h1><p>p</p>"), "en");
        assert_eq!(d.matches("<h1").count(), 1, "{d}");
        assert!(d.contains("<h1>A &lt;b&gt; &amp; c</h1>"), "{d}");
        assert!(d.contains("<h2 id=\"t\">T</h2>"), "{d}");
    }
}
