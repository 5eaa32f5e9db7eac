//! Heading ids: GitHub-style slugs (lowercase, punctuation dropped, spaces to `-`), made
//! unique within a page by `-1`, `-2` suffixes, so links written against GitHub or Learn
//! previews keep working here.

use std::collections::{BTreeMap, BTreeSet};

pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '-' || c == '_' {
            out.push(c);
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

/// Hands out unique ids for one page.
#[derive(Debug, Default)]
pub struct Slugger {
    used: BTreeSet<String>,
    /// The next suffix to try per base: ids are never released, so every lower suffix is
    /// still taken. Without it, N equal headings cost N² lookups (a fuzzed page with
    /// 30,000 empty headings ran for minutes).
    next: BTreeMap<String, usize>,
}

impl Slugger {
    pub fn unique(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let mut n = self.next.get(base).copied().unwrap_or(1);
        loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if self.used.insert(candidate.clone()) {
                self.next.insert(base.to_string(), n);
                return candidate;
            }
        }
    }

    /// Reserve an id written explicitly (`{#id}`) so generated ones avoid it.
    pub fn reserve(&mut self, id: &str) -> bool {
        self.used.insert(id.to_string())
    }
}

/// `id` attributes written in raw HTML tags (`<a id="x"></a>`), with their byte offsets.
/// Heading ids are generated around them so a page never carries one id twice. The scan
/// is textual: an example tag inside a code span counts too, which at worst gives a
/// heading of the same name a `-1` suffix.
pub fn author_ids(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    if !text.contains(" id=") && !text.contains(" ID=") {
        return out;
    }
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(lt) = text[from..].find('<').map(|p| p + from) {
        from = lt + 1;
        if !bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let end = text[lt..].find(['>', '\n']).map_or(text.len(), |p| p + lt);
        let tag = &text[lt..end];
        let lower = tag.to_ascii_lowercase();
        for (at, _) in lower.match_indices(" id=") {
            let v = &tag[at + 4..];
            let Some(q) = v.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(close) = v[1..].find(q) {
                out.push((lt + at + 1, v[1..1 + close].to_string()));
            }
        }
        from = end.max(from);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_ids_in_tags() {
        let t = "## Intro <a id=\"intro\"></a>\n<A ID='b c'></a> x id=\"no\"\n<div class=\"k\" id=\"d\">";
        let ids: Vec<String> = author_ids(t).into_iter().map(|(_, i)| i).collect();
        assert_eq!(ids, ["intro", "b c", "d"]);
        assert_eq!(author_ids(t)[1].0, t.find("ID=").unwrap());
        assert!(author_ids("a < b id=\"x\"").is_empty());
    }

    #[test]
    fn github_style() {
        assert_eq!(
            slugify("Who can read data in use?"),
            "who-can-read-data-in-use"
        );
        assert_eq!(slugify("AMD SEV-SNP & Intel TDX"), "amd-sev-snp--intel-tdx");
        assert_eq!(slugify("  "), "section");
        assert_eq!(slugify("Ünïcode Titel"), "ünïcode-titel");
    }

    #[test]
    fn duplicates_get_suffixes() {
        let mut s = Slugger::default();
        assert_eq!(s.unique("a"), "a");
        assert_eq!(s.unique("a"), "a-1");
        assert_eq!(s.unique("a"), "a-2");
        assert!(s.reserve("b"));
        assert_eq!(s.unique("b"), "b-1");
        // An explicit id in the middle of the sequence is skipped, not reused.
        assert!(s.reserve("a-4"));
        assert_eq!(s.unique("a"), "a-3");
        assert_eq!(s.unique("a"), "a-5");
        assert_eq!(s.unique("a-1"), "a-1-1");
    }

    #[test]
    fn many_equal_headings_stay_fast() {
        let mut s = Slugger::default();
        let start = std::time::Instant::now();
        for _ in 0..30_000 {
            s.unique("section");
        }
        assert_eq!(s.unique("section"), "section-30000");
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }
}
