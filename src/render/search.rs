//! Search: a full-text index of every page, built with Pagefind used as a library (no
//! Node, no second pass over the output folder). Each page is handed over as a small HTML
//! document holding only its title (as the `h1`, which Pagefind weights highest, so title
//! matches rank first) and its rendered content, never the sidebar or the footer. The
//! index lands in `pagefind/`; `assets/search.js` drives the search box with Pagefind's
//! browser API. The index files are named by their content hash, and pages are added in
//! URL order, so the same input gives the same files.
//!
//! Indexing is the costliest part of a rebuild, so the index records its input: a key over
//! every page handed over, the language and the versions of trustdoc and Pagefind, and
//! every index file with its hash ([`RECORD`]). A rebuild whose key matches the previous
//! output's record, and whose files all still carry their recorded hashes, keeps those
//! files instead of indexing again: the same bytes a fresh build would write.

use siphasher::sip128::{Hasher128, SipHasher13};
use std::hash::Hasher;

use crate::diagram::SVG_START;
use crate::output::OutputFile;

/// Folder of the site the index is written to.
pub const DIR: &str = "pagefind";

/// File under [`DIR`] recording what the index was made from: its input key, then every
/// index file with its hash.
pub const RECORD: &str = "trustdoc-search-input.txt";

/// Bump when the way pages are handed to Pagefind changes, so no rebuild keeps an index
/// made the old way.
const FORMAT: &str = "1";

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
pub fn index(docs: Vec<SearchDoc>, language: &str) -> Result<Vec<OutputFile>, String> {
    Ok(index_reusing(docs, language, &|_| None)?.files)
}

/// The index files and whether they were kept from the previous output.
pub struct Index {
    pub files: Vec<OutputFile>,
    pub kept: bool,
}

/// As [`index`], but keeps the previous output's index when its input was the same.
/// `previous` gives the bytes the previous build wrote at an output path (only from a
/// trustdoc output folder), if any.
pub fn index_reusing(
    mut docs: Vec<SearchDoc>,
    language: &str,
    previous: &(dyn Fn(&str) -> Option<Vec<u8>> + Sync),
) -> Result<Index, String> {
    docs.sort_by(|a, b| a.url.cmp(&b.url));
    let lang = language
        .split(['-', '_'])
        .next()
        .filter(|l| !l.is_empty())
        .unwrap_or("en")
        .to_ascii_lowercase();
    let key = input_key(&docs, &lang);
    if let Some(files) = kept(&key, previous) {
        return Ok(Index { files, kept: true });
    }
    let mut files = pagefind_files(&docs, &lang)?;
    files.push(OutputFile::new(
        format!("{DIR}/{RECORD}"),
        record(&key, &files),
    ));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Index { files, kept: false })
}

/// The index made by Pagefind, sorted by path.
fn pagefind_files(docs: &[SearchDoc], lang: &str) -> Result<Vec<OutputFile>, String> {
    indexed(docs, lang, document)
}

/// The index Pagefind makes of `docs`, each handed over as `page` writes it.
fn indexed(
    docs: &[SearchDoc],
    lang: &str,
    page: fn(&SearchDoc, &str) -> String,
) -> Result<Vec<OutputFile>, String> {
    // Pagefind's API is async and hands its parsing to a blocking pool.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("search index: cannot start a runtime: {e}"))?;
    let files = runtime.block_on(async {
        let config = pagefind::options::PagefindServiceConfig::builder()
            .force_language(lang.to_string())
            .keep_index_url(false)
            .write_playground(false)
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(config))?;
        for d in docs {
            index
                .add_html_file(None, Some(format!("/{}", d.url)), page(d, lang))
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

/// Everything that decides the index's bytes: the format, trustdoc's and Pagefind's
/// versions, the language and every page (`docs` sorted by URL).
fn input_key(docs: &[SearchDoc], lang: &str) -> String {
    let mut h = SipHasher13::new();
    let mut field = |bytes: &[u8]| {
        h.write_u64(bytes.len() as u64);
        h.write(bytes);
    };
    field(FORMAT.as_bytes());
    field(env!("CARGO_PKG_VERSION").as_bytes());
    field(env!("TRUSTDOC_PAGEFIND_VERSION").as_bytes());
    field(lang.as_bytes());
    for d in docs {
        field(d.url.as_bytes());
        field(d.title.as_bytes());
        field(d.content.as_bytes());
    }
    format!("{:032x}", h.finish128().as_u128())
}

fn file_hash(bytes: &[u8]) -> String {
    let mut h = SipHasher13::new();
    h.write(bytes);
    format!("{:032x}", h.finish128().as_u128())
}

/// The [`RECORD`] file: `key <input key>`, then `<hash> <path under DIR>` per index file.
fn record(key: &str, files: &[OutputFile]) -> String {
    let mut text = format!("key {key}\n");
    for f in files {
        let rel = f.path.strip_prefix(&format!("{DIR}/")).unwrap_or(&f.path);
        text.push_str(&format!("{} {rel}\n", file_hash(&f.bytes)));
    }
    text
}

/// The previous output's index when it was made from the input `key` and every file it
/// recorded is still there with its recorded hash (the record included); None otherwise.
fn kept(key: &str, previous: &dyn Fn(&str) -> Option<Vec<u8>>) -> Option<Vec<OutputFile>> {
    let record_path = format!("{DIR}/{RECORD}");
    let bytes = previous(&record_path)?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let mut lines = text.lines();
    if lines.next()?.strip_prefix("key ")? != key {
        return None;
    }
    let mut files = Vec::new();
    for line in lines {
        let (hash, rel) = line.split_once(' ')?;
        let path = format!("{DIR}/{rel}");
        if rel == RECORD || !crate::output::safe_relative(&path) {
            return None;
        }
        let content = previous(&path)?;
        if file_hash(&content) != hash {
            return None;
        }
        files.push(OutputFile::new(path, content));
    }
    if files.is_empty() || record(key, &files).as_bytes() != bytes.as_slice() {
        return None;
    }
    files.push(OutputFile::new(record_path, bytes));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Some(files)
}

/// The page as Pagefind reads it: the title as the only `h1` (a content `h1` is demoted
/// so it does not take the title's place), then the content without its diagrams.
fn document(d: &SearchDoc, lang: &str) -> String {
    let content = without_diagrams(&d.content)
        .replace("<h1", "<h2")
        .replace("</h1>", "</h2>");
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><title>{t}</title></head>\
         <body><main><h1>{t}</h1>{content}</main></body></html>",
        t = crate::escape::html(&d.title),
        lang = crate::escape::html(lang),
    )
}

/// `html` without the diagrams' inline `<svg>` elements. Pagefind drops every `svg`
/// element from what it indexes, so the index is the same without them; a diagram is
/// often half of its page's markup, all of it parsed only to be dropped.
fn without_diagrams(html: &str) -> String {
    const END: &str = "</svg>";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(SVG_START) {
        let Some(len) = rest[start..].find(END) else {
            break;
        };
        out.push_str(&rest[..start]);
        rest = &rest[start + len + END.len()..];
    }
    out.push_str(rest);
    out
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

    fn sample() -> Vec<SearchDoc> {
        vec![
            doc("", "Home", "<p>Welcome.</p>"),
            doc("a/", "Attestation", "<p>Quotes and reports.</p>"),
        ]
    }

    /// The previous output as `site_files` reads it: path -> bytes.
    fn previous_of(files: &[OutputFile]) -> impl Fn(&str) -> Option<Vec<u8>> + Sync {
        let map: std::collections::BTreeMap<String, Vec<u8>> = (files.iter())
            .map(|f| (f.path.clone(), f.bytes.clone()))
            .collect();
        move |p: &str| map.get(p).cloned()
    }

    #[test]
    fn unchanged_input_keeps_the_previous_index_byte_for_byte() {
        let fresh = index_reusing(sample(), "en", &|_| None).unwrap();
        assert!(!fresh.kept);
        let record = format!("{DIR}/{RECORD}");
        assert!(fresh.files.iter().any(|f| f.path == record));
        let again = index_reusing(sample(), "en-US", &previous_of(&fresh.files)).unwrap();
        assert!(again.kept, "same input, the previous index is kept");
        assert_eq!(again.files, fresh.files);
    }

    #[test]
    fn changed_input_or_damaged_index_is_indexed_again() {
        let fresh = index_reusing(sample(), "en", &|_| None).unwrap();
        let prev = previous_of(&fresh.files);
        let mut edited = sample();
        edited[1].content.push_str("<p>quillwort</p>");
        let again = index_reusing(edited.clone(), "en", &prev).unwrap();
        assert!(!again.kept, "an edited body is indexed again");
        assert_eq!(again.files, index(edited, "en").unwrap());
        assert_ne!(again.files, fresh.files);
        let mut retitled = sample();
        retitled[0].title = "Start".into();
        assert!(!index_reusing(retitled, "en", &prev).unwrap().kept);
        assert!(!index_reusing(sample(), "de", &prev).unwrap().kept);

        let victim = (fresh.files.iter())
            .position(|f| f.path.starts_with("pagefind/fragment/"))
            .unwrap();
        let mut damaged = fresh.files.clone();
        damaged[victim].bytes.push(b' ');
        let r = index_reusing(sample(), "en", &previous_of(&damaged)).unwrap();
        assert!(!r.kept, "a file that lost its recorded hash is not kept");
        assert_eq!(r.files, fresh.files);
        let mut missing = fresh.files.clone();
        missing.remove(victim);
        assert!(
            !index_reusing(sample(), "en", &previous_of(&missing))
                .unwrap()
                .kept
        );
    }

    #[test]
    fn a_record_never_names_a_file_outside_the_index() {
        let mut docs = sample();
        docs.sort_by(|a, b| a.url.cmp(&b.url));
        let key = input_key(&docs, "en");
        let secret = file_hash(b"secret");
        let record_text = format!("key {key}\n{secret} ../../etc/passwd\n");
        // A previous output that answers every path, as a file system following `..` would.
        let prev = |p: &str| -> Option<Vec<u8>> {
            Some(if p.ends_with(RECORD) {
                record_text.clone().into_bytes()
            } else {
                b"secret".to_vec()
            })
        };
        assert!(kept(&key, &prev).is_none());
        let inside = format!("key {key}\n{secret} x.json\n");
        let prev_inside = |p: &str| -> Option<Vec<u8>> {
            Some(if p.ends_with(RECORD) {
                inside.clone().into_bytes()
            } else {
                b"secret".to_vec()
            })
        };
        assert_eq!(
            kept(&key, &prev_inside).map(|f| f.len()),
            Some(2),
            "the check can pass"
        );
        assert!(kept(&key, &|_| None).is_none(), "no previous output");
    }

    #[test]
    fn title_is_the_only_h1_and_escaped() {
        let d = document(&doc("x/", "A <b> & c", "<h1 id=\"t\">T</h1><p>p</p>"), "en");
        assert_eq!(d.matches("<h1").count(), 1, "{d}");
        assert!(d.contains("<h1>A &lt;b&gt; &amp; c</h1>"), "{d}");
        assert!(d.contains("<h2 id=\"t\">T</h2>"), "{d}");
    }

    /// A diagram as a page shows it: the renderer's opening, text inside.
    fn diagram(word: &str) -> String {
        format!("<figure>\n{SVG_START} role=\"img\">\n<title>{word}</title>\n<text x=\"1\">{word} label</text>\n</svg>\n</figure>\n")
    }

    #[test]
    fn diagrams_are_left_out_and_text_around_them_kept() {
        let html = format!(
            "<p>before</p>{}<p>between</p>{}<p>after</p>",
            diagram("one"),
            diagram("two")
        );
        let out = without_diagrams(&html);
        assert_eq!(
            out,
            "<p>before</p><figure>\n\n</figure>\n<p>between</p><figure>\n\n</figure>\n<p>after</p>"
        );
        // Other SVG and a diagram cut short stay as they are (Pagefind drops them itself).
        let other = "<svg viewBox=\"0 0 1 1\"><text>icon</text></svg><p>x</p>";
        assert_eq!(without_diagrams(other), other);
        let cut = format!("<p>x</p>{SVG_START}><text>y</text>");
        assert_eq!(without_diagrams(&cut), cut);
    }

    #[test]
    fn leaving_diagrams_out_does_not_change_the_index() {
        let docs = vec![
            doc(
                "",
                "Home",
                &format!(
                    "<p>Welcome.</p>\n{}<p>More text.</p>",
                    diagram("hypervisor")
                ),
            ),
            doc(
                "a/",
                "Attestation",
                &format!("{}<p>Quotes.</p>", diagram("firmware")),
            ),
        ];
        let lean = pagefind_files(&docs, "en").unwrap();
        // The same pages handed over whole, diagrams and all: Pagefind drops them itself.
        let whole = |d: &SearchDoc, lang: &str| {
            document(&doc(&d.url, &d.title, ""), lang)
                .replace("</main>", &format!("{}</main>", d.content))
        };
        assert!(whole(&docs[0], "en").contains("hypervisor label"));
        let full = indexed(&docs, "en", whole).unwrap();
        assert_eq!(lean, full, "same index files, byte for byte");
        assert!(lean.iter().any(|f| f.path.contains("fragment/")));
    }
}
