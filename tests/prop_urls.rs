//! Property tests for heading slugs and link rewriting, checked against a real URL parser
//! (the `url` crate, which follows the WHATWG URL standard browsers use).

use proptest::prelude::*;
use trustdoc::markdown::slug::{slugify, Slugger};
use trustdoc::resolve::links::{encode_path, normalize, percent_decode, relative_href};
use url::Url;

/// The site lives below a path, as with a `base_url` of `https://docs.example/site/`.
const SITE: &str = "https://docs.example/site/";

/// An id that can stand in an HTML `id` and after `#` in a URL as it is: not empty, no
/// whitespace or control characters, and its ASCII part only letters, digits, `-`, `_`.
fn assert_valid_id(id: &str) -> Result<(), TestCaseError> {
    prop_assert!(!id.is_empty());
    for c in id.chars() {
        prop_assert!(!c.is_whitespace() && !c.is_control(), "{:?} in {:?}", c, id);
        if c.is_ascii() {
            prop_assert!(
                c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_',
                "{:?} in {:?}",
                c,
                id
            );
        }
    }
    // A URL parser keeps it (after percent-decoding the non-ASCII part).
    let u =
        Url::parse(&format!("{SITE}page/#{id}")).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(u.fragment().map(percent_decode), Some(id.to_string()));
    Ok(())
}

/// Heading text: ASCII with punctuation and spaces, some non-ASCII, controls.
fn heading() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,24}",
        "[a-c \\-_.!é]{0,6}",
        any::<String>().prop_map(|s| s.chars().take(24).collect()),
    ]
}

/// One path segment as a file or slug might be named: never `.`, `..` or empty.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z0-9_-]{1,6}",
        2 => "[a-zA-Z0-9 #?%\"<>:`{}|^\\\\é'()*+,;=@!$&~\\[\\]-]{1,6}",
        1 => "[a-z]{1,4}:[a-z]{0,3}",
        1 => "[a-z]{1,3}\\.[a-z]{1,3}",
    ]
    .prop_filter("not a dot segment", |s| s != "." && s != "..")
    // The `url` crate never pops a Windows drive letter segment (`c:`, `c|`), even
    // outside `file:` URLs, so `..` after one would be judged wrongly here.
    .prop_filter("not a drive letter", |s| {
        let b = s.as_bytes();
        !(b.len() == 2 && b[0].is_ascii_alphabetic() && matches!(b[1], b':' | b'|'))
    })
}

/// A page's URL folder: `""` (the root) or `a/b/`.
fn folder() -> impl Strategy<Value = String> {
    prop::collection::vec(segment(), 0..4)
        .prop_map(|segs| segs.iter().map(|s| format!("{s}/")).collect::<String>())
}

/// A root-relative target: a folder (`c/`), a file (`c/x.png`) or the root (`""`).
fn target() -> impl Strategy<Value = String> {
    (prop::collection::vec(segment(), 0..4), any::<bool>()).prop_map(|(segs, file)| {
        let mut t = segs.join("/");
        if !t.is_empty() && !file {
            t.push('/');
        }
        t
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn slugs_are_valid_ids(text in heading()) {
        assert_valid_id(&slugify(&text))?;
    }

    #[test]
    fn deduplicated_slugs_are_unique_and_valid(
        steps in prop::collection::vec((heading(), any::<bool>()), 1..40),
    ) {
        let mut slugger = Slugger::default();
        let mut taken = std::collections::BTreeSet::new();
        for (text, explicit) in steps {
            let base = slugify(&text);
            if explicit {
                // `{#id}` on a heading: reserved as written; only new ids count as taken.
                if slugger.reserve(&base) {
                    prop_assert!(taken.insert(base.clone()), "reserve accepted a used id {}", base);
                }
            } else {
                let id = slugger.unique(&base);
                assert_valid_id(&id)?;
                prop_assert!(id.starts_with(&base));
                prop_assert!(taken.insert(id.clone()), "id {} handed out twice", id);
            }
        }
    }

    #[test]
    fn relative_links_resolve_to_their_target(from in folder(), to in target()) {
        let href = relative_href(&from, &to);
        // A relative reference: no scheme, not host- or root-relative.
        prop_assert!(!href.starts_with('/'), "{}", href);
        prop_assert!(Url::parse(&href).is_err(), "{} parses as an absolute URL", href);
        let page = Url::parse(&format!("{SITE}{}", encode_path(&from)))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let resolved = page.join(&href).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(resolved.host_str(), Some("docs.example"));
        // Never above the site root, and back at exactly the target.
        prop_assert!(resolved.path().starts_with("/site/"), "{} from {} left the site: {}", href, from, resolved);
        prop_assert!(resolved.query().is_none() && resolved.fragment().is_none(), "{}", resolved);
        prop_assert_eq!(percent_decode(&resolved.path()["/site/".len()..]), to);
    }

    #[test]
    fn encode_path_round_trips(p in any::<String>()) {
        let e = encode_path(&p);
        prop_assert_eq!(percent_decode(&e), p);
        prop_assert!(!e.contains([' ', '"', '#', '?', '<', '>', '\\']), "{}", e);
        prop_assert!(!e.chars().any(char::is_control), "{:?}", e);
    }

    #[test]
    fn normalize_never_climbs_out(
        segs in prop::collection::vec(prop_oneof![segment(), Just(".".to_string()), Just("..".to_string()), Just(String::new())], 0..8),
    ) {
        let path = segs.join("/");
        // Depth never below zero while walking the path: then normalize must succeed.
        let mut depth: i64 = 0;
        let mut climbs = false;
        for s in &segs {
            match s.as_str() {
                "" | "." => {}
                ".." => { depth -= 1; climbs |= depth < 0; }
                _ => depth += 1,
            }
        }
        match normalize(&path) {
            None => prop_assert!(climbs, "{} refused but stays inside", path),
            Some(n) => {
                prop_assert!(!climbs, "{} climbs out but gave {}", path, n);
                prop_assert!(!n.starts_with('/'));
                let body = n.strip_suffix('/').unwrap_or(&n);
                prop_assert!(body.is_empty() || body.split('/').all(|s| !s.is_empty() && s != "." && s != ".."), "{}", n);
                prop_assert_eq!(normalize(&n), Some(n.clone()));
            }
        }
    }
}
