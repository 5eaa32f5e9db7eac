//! URL paths from names written in front matter: a `slug` becomes one path segment and an
//! `aliases` entry a folder path, both cleaned by the same rule, so neither can name a
//! segment a URL cannot reach (`?`, `#`, `%`) nor climb out of the output folder.

use super::links::percent_decode;

/// One path segment from a name: separators and the characters that end or escape a URL
/// path (`/ \ ? # %`) and quotes and angle brackets are dropped; a name of dots only
/// (`.`, `..`) is empty.
pub fn clean_segment(s: &str) -> String {
    let cleaned: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | '?' | '#' | '%' | '"' | '<' | '>'))
        .collect();
    if cleaned.chars().all(|c| c == '.') {
        String::new()
    } else {
        cleaned
    }
}

/// The folder (ending in `/`) an alias redirect is written to: `/old/path.html`,
/// `old/path/` and `/old%20path/` give `old/path/` and `old path/`. The alias is a URL
/// path as a reader types it, so each segment is percent-decoded, `.` and `..` (also
/// written `%2e%2e`) are resolved, then the segment is cleaned like a slug
/// ([`clean_segment`]); segments left empty are dropped. None when the alias climbs out
/// of the site or names no folder.
pub fn alias_folder(alias: &str) -> Option<String> {
    let a = alias.trim().trim_start_matches('/');
    let a = a.strip_suffix("index.html").unwrap_or(a);
    let a = a
        .strip_suffix(".html")
        .or_else(|| a.strip_suffix(".md"))
        .unwrap_or(a);
    let mut parts: Vec<String> = Vec::new();
    for raw in a.split('/') {
        let seg = percent_decode(raw);
        match seg.trim() {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => {
                let clean = clean_segment(&seg);
                if !clean.is_empty() {
                    parts.push(clean);
                }
            }
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!("{}/", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_cannot_escape() {
        assert_eq!(clean_segment("../../etc"), "....etc");
        assert_eq!(clean_segment(".."), "");
        assert_eq!(clean_segment("a?b#c%d"), "abcd");
    }

    #[test]
    fn aliases_are_cleaned_like_slugs() {
        for (alias, folder) in [
            ("/old/path.html", Some("old/path/")),
            ("old/path/", Some("old/path/")),
            ("/old/index.html", Some("old/")),
            ("/old%20page/", Some("old page/")),
            ("/q?x=1#top/", Some("qx=1top/")),
            ("/x/./y/", Some("x/y/")),
            ("/a/b/../c/", Some("a/c/")),
            ("/a/%2e%2e/%2E%2E/escape/", None),
            ("/../etc/", None),
            ("/", None),
            ("/%3F/", None),
            ("/a%2Fb/", Some("ab/")),
        ] {
            assert_eq!(alias_folder(alias).as_deref(), folder, "{alias}");
        }
    }
}
