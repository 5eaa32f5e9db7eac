//! Names a comparison file may use: the schema versions this build reads, and the
//! "did you mean" hints for a misspelt key or reference.

/// The schema versions this build reads.
pub const SUPPORTED_SCHEMAS: &[&str] = &["trustdoc-comparison/1"];

/// The closest candidate to a misspelt name, for "did you mean" hints.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let score = strsim::normalized_damerau_levenshtein(&word.to_lowercase(), &c.to_lowercase());
        let close = score >= 0.6 || strsim::damerau_levenshtein(word, c) <= 1;
        if close && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `; did you mean "X"?` or nothing.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    suggest(word, candidates)
        .map(|s| format!("; did you mean \"{s}\"?"))
        .unwrap_or_default()
}
