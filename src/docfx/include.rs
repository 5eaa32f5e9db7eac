//! `[!INCLUDE [title](path)]` syntax, and what is done to an included file before it is
//! rendered (its front matter is blanked, keeping its line numbers).

/// Parse `[!INCLUDE [title](path)]` at the start of `s`: (title, path, bytes used).
pub(crate) fn parse_include(s: &str) -> Option<(String, String, usize)> {
    let head = s.get(..9)?;
    if !head.eq_ignore_ascii_case("[!include") {
        return None;
    }
    let b = s.as_bytes();
    let mut i = 9;
    while b.get(i).is_some_and(|c| *c == b' ') {
        i += 1;
    }
    if b.get(i) != Some(&b'[') {
        return None;
    }
    let title_start = i + 1;
    let mut depth = 0usize;
    let title_end = loop {
        i += 1;
        match b.get(i)? {
            b'[' => depth += 1,
            b']' if depth == 0 => break i,
            b']' => depth -= 1,
            b'\\' => i += 1,
            _ => {}
        }
    };
    if b.get(title_end + 1) != Some(&b'(') {
        return None;
    }
    let path_start = title_end + 2;
    let path_end = path_start + s.get(path_start..)?.find(')')?;
    let mut end = path_end + 1;
    while b.get(end).is_some_and(|c| *c == b' ') {
        end += 1;
    }
    if b.get(end) != Some(&b']') {
        return None;
    }
    let path = s[path_start..path_end]
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    if path.is_empty() {
        return None;
    }
    Some((
        s[title_start..title_end].to_string(),
        path.to_string(),
        end + 1,
    ))
}

/// Blank out a leading `---` front matter block, keeping the line count.
pub(crate) fn without_front_matter(content: &str) -> String {
    let mut lines: Vec<&str> = content.split('\n').collect();
    if lines.first().map(|l| l.trim()) != Some("---") {
        return content.to_string();
    }
    if let Some(end) = lines
        .iter()
        .skip(1)
        .position(|l| matches!(l.trim(), "---" | "..."))
    {
        for l in lines.iter_mut().take(end + 2) {
            *l = "";
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_syntax() {
        assert_eq!(
            parse_include("[!INCLUDE [t [x]](a.md)] tail"),
            Some(("t [x]".into(), "a.md".into(), 24))
        );
        assert_eq!(
            parse_include("[!include[](<b c.md>)]").map(|x| x.1),
            Some("b c.md".into())
        );
        assert_eq!(parse_include("[!INCLUDE [t](a.md)"), None);
        assert_eq!(parse_include("[!INCLUDE t](a.md)]"), None);
        assert_eq!(parse_include("[!INCLUDE [é"), None);
    }

    #[test]
    fn front_matter_is_blanked_in_place() {
        assert_eq!(
            without_front_matter("---\na: b\n---\ntext\n"),
            "\n\n\ntext\n"
        );
        assert_eq!(without_front_matter("text\n---\n"), "text\n---\n");
    }
}
