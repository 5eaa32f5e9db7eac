//! Fingerprinted asset names: every CSS and JS file under `assets/` is written as
//! `name.<hash>.ext`, the hash taken from its bytes, so a host may cache it for a year and
//! a changed file still reaches readers at once. Templates reach the names through
//! `assets.css`, `assets.js`, `assets.syntax_css` and `assets.files["name"]`.

use std::collections::BTreeMap;

use siphasher::sip128::Hasher128;

/// Hex digits of the content hash in a file name (48 bits: collisions between two versions
/// of one file are not a practical concern).
const HASH_DIGITS: usize = 12;

/// Whether an asset gets a fingerprint: stylesheets and scripts, which pages refer to by
/// name; images and fonts keep theirs (CSS and authors point at them directly).
pub fn fingerprinted(name: &str) -> bool {
    name.ends_with(".css") || name.ends_with(".js")
}

/// `trustdoc.css` + bytes -> `trustdoc.0123456789ab.css`; names without an extension get
/// the hash at the end.
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let mut h = siphasher::sip128::SipHasher13::new();
    std::hash::Hasher::write(&mut h, bytes);
    let hex = format!("{:032x}", h.finish128().as_u128());
    let hash = &hex[..HASH_DIGITS];
    let (dir, file) = match name.rsplit_once('/') {
        Some((d, f)) => (format!("{d}/"), f),
        None => (String::new(), name),
    };
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{dir}{stem}.{hash}.{ext}"),
        _ => format!("{dir}{file}.{hash}"),
    }
}

/// Asset name -> the name it is written under (itself unless fingerprinted).
pub fn names(assets: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    assets
        .iter()
        .map(|(name, bytes)| {
            let out = if fingerprinted(name) {
                hashed_name(name, bytes)
            } else {
                name.clone()
            };
            (name.clone(), out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_follows_content_only() {
        let a = hashed_name("trustdoc.css", b"body{}");
        assert!(a.starts_with("trustdoc.") && a.ends_with(".css"), "{a}");
        assert_eq!(a.len(), "trustdoc..css".len() + HASH_DIGITS);
        assert_eq!(a, hashed_name("trustdoc.css", b"body{}"));
        assert_ne!(a, hashed_name("trustdoc.css", b"body{ }"));
        assert_eq!(
            hashed_name("js/app.min.js", b"x")
                .rsplit_once('.')
                .unwrap()
                .1,
            "js"
        );
        assert!(hashed_name("js/app.min.js", b"x").starts_with("js/app.min."));
        assert!(hashed_name(".hidden", b"x").starts_with(".hidden."));
    }

    #[test]
    fn only_css_and_js_are_renamed() {
        let mut assets = BTreeMap::new();
        assets.insert("a.css".to_string(), b"a".to_vec());
        assets.insert("b.js".to_string(), b"b".to_vec());
        assets.insert("logo.svg".to_string(), b"c".to_vec());
        let n = names(&assets);
        assert_ne!(n["a.css"], "a.css");
        assert_ne!(n["b.js"], "b.js");
        assert_eq!(n["logo.svg"], "logo.svg");
    }
}
