//! `:::code language="…" source="…" range="…" highlight="…" id="…":::` — a code sample read
//! from another file, cut to a line range or a named snippet, and highlighted by the host.
//! Snippets are marked in the sample the DocFX way: a comment holding `<name>` … `</name>`
//! (`// <setup>`, `# <setup>`, `<!-- <setup> -->`), or `#region name` … `#endregion`.

use super::doc::{indent_width, Doc};
use super::{attr, required_source};

pub(crate) fn code(doc: &mut Doc, line0: usize, col: usize, attrs: &[(String, String)]) -> String {
    let Some(source) = required_source(doc, line0, col, attrs, "code") else {
        return String::new();
    };
    if let Some(note) = doc.host.absent(source, line0 + 1, col, false) {
        return note;
    }
    let (display, text) = match doc.host.read(source, line0 + 1, col) {
        Ok(found) => found,
        Err(e) => {
            doc.error(
                line0,
                col,
                e.kind("docfx-code"),
                format!("`:::code` source \"{source}\": {e}"),
            );
            return String::new();
        }
    };
    let all: Vec<&str> = text.lines().collect();
    let mut picked: Vec<&str> = Vec::new();
    if let Some(id) = attr(attrs, "id").map(str::trim).filter(|s| !s.is_empty()) {
        match snippet(&all, id) {
            Some(lines) => picked = lines,
            None => {
                let msg = format!("no snippet \"{id}\" in {display} (expected `<{id}>` … `</{id}>` comments or `#region {id}`)");
                doc.warn(line0, col, "docfx-code", msg);
                return String::new();
            }
        }
    } else if let Some(spec) = attr(attrs, "range") {
        match parse_ranges(spec, all.len()) {
            Ok(ranges) => {
                for (a, b) in ranges {
                    picked.extend(all.get(a - 1..b).unwrap_or_default());
                }
            }
            Err(e) => {
                doc.warn(
                    line0,
                    col,
                    "docfx-code",
                    format!("range=\"{spec}\" for {display}: {e}; showing the whole file"),
                );
                picked = all.clone();
            }
        }
    } else {
        picked = all.clone();
    }
    let cut = picked
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent_width(l))
        .min()
        .unwrap_or(0);
    let body: Vec<String> = picked.iter().map(|l| super::doc::dedent(l, cut)).collect();
    let code = body.join("\n") + "\n";
    let mut highlight = Vec::new();
    if let Some(spec) = attr(attrs, "highlight") {
        match parse_ranges(spec, body.len()) {
            Ok(ranges) => highlight = ranges.into_iter().flat_map(|(a, b)| a..=b).collect(),
            Err(e) => doc.warn(
                line0,
                col,
                "docfx-code",
                format!("highlight=\"{spec}\": {e}; nothing is highlighted"),
            ),
        }
    }
    let lang = attr(attrs, "language")
        .map(str::to_string)
        .unwrap_or_else(|| language_from_path(source));
    doc.host.highlight(&code, &lang, &highlight) + "\n"
}

/// Parse `3-5,10,12-` into inclusive 1-based ranges within `1..=max`.
pub(crate) fn parse_ranges(spec: &str, max: usize) -> Result<Vec<(usize, usize)>, String> {
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim) {
        let num = |s: &str| {
            s.trim()
                .parse::<usize>()
                .map_err(|_| format!("\"{s}\" is not a line number"))
        };
        let (a, b) = match part.split_once('-') {
            Some((a, "")) => (num(a)?, max),
            Some((a, b)) => (num(a)?, num(b)?),
            None => {
                let n = num(part)?;
                (n, n)
            }
        };
        if a == 0 || a > b {
            return Err(format!(
                "\"{part}\" is not a range of lines (they start at 1, first ≤ last)"
            ));
        }
        if b > max {
            return Err(format!("\"{part}\" goes past the last line ({max})"));
        }
        out.push((a, b));
    }
    Ok(out)
}

/// The lines between a snippet's start and end markers, without any marker lines.
fn snippet<'a>(lines: &[&'a str], id: &str) -> Option<Vec<&'a str>> {
    let id = id.to_ascii_lowercase();
    let start_tag = format!("<{id}>");
    let end_tag = format!("</{id}>");
    let is_tag = |l: &str, tag: &str| {
        let lower = l.to_ascii_lowercase();
        lower.find(tag).is_some_and(|at| {
            let before = lower[..at].trim();
            let after = lower[at + tag.len()..].trim();
            !before.is_empty()
                && !before.chars().any(char::is_alphanumeric)
                && (after.is_empty() || after == "-->" || after == "*/")
        })
    };
    let region = |l: &str| {
        let t = l.trim().to_ascii_lowercase();
        t.strip_prefix("#region").is_some_and(|r| r.trim() == id)
    };
    let start = lines
        .iter()
        .position(|l| is_tag(l, &start_tag) || region(l))?;
    let by_region = region(lines.get(start)?);
    let mut depth = 0usize;
    let mut out = Vec::new();
    for l in lines.get(start + 1..)? {
        let t = l.trim().to_ascii_lowercase();
        if by_region {
            if t.starts_with("#region") {
                depth += 1;
            } else if t.starts_with("#endregion") {
                if depth == 0 {
                    return Some(out);
                }
                depth -= 1;
            }
        } else if is_tag(l, &end_tag) {
            return Some(out);
        }
        if !is_marker_line(&t) {
            out.push(*l);
        }
    }
    None
}

/// A line that only holds a snippet marker of some other snippet (DocFX hides those too).
fn is_marker_line(t: &str) -> bool {
    if t.starts_with("#region") || t.starts_with("#endregion") {
        return true;
    }
    let t = t.trim_end_matches("-->").trim_end_matches("*/").trim_end();
    let Some(tag) = t.strip_suffix('>') else {
        return false;
    };
    let Some(open) = tag.rfind('<') else {
        return false;
    };
    let name = tag[open + 1..].trim_start_matches('/');
    let before = tag[..open].trim();
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !before.is_empty()
        && !before.chars().any(char::is_alphanumeric)
}

fn language_from_path(path: &str) -> String {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "cs" => "csharp",
        "py" => "python",
        "js" => "javascript",
        "ts" => "typescript",
        "sh" => "bash",
        "ps1" => "powershell",
        "rs" => "rust",
        "yml" => "yaml",
        "md" => "markdown",
        "" => "text",
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{assert_lines_kept, pre_with};
    use super::*;

    const SAMPLE: &str = "fn main() {\n    let a = 1;\n    // <calc>\n    let b = a + 1;\n    // </calc>\n    println!(\"{b}\");\n}\n";

    #[test]
    fn range_and_highlight() {
        let src = "Before.\n\n:::code language=\"rust\" source=\"demo.rs\" range=\"2-4,6\" highlight=\"1,3-4\":::\n\nAfter.\n";
        let p = pre_with(src, &[("demo.rs", SAMPLE)]);
        assert_lines_kept(src, &p);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let block = p.blocks.first().expect("one block");
        assert!(block.contains("data-lang=\"rust\""), "{block}");
        assert!(block.contains("data-lines=\"[1, 3, 4]\""), "{block}");
        assert!(
            block.contains("let a = 1;\n// &lt;calc&gt;\nlet b = a + 1;\nprintln!"),
            "{block}"
        );
    }

    #[test]
    fn snippet_by_id_and_region() {
        let p = pre_with(
            ":::code source=\"demo.rs\" id=\"calc\":::\n",
            &[("demo.rs", SAMPLE)],
        );
        let block = p.blocks.first().expect("one block");
        assert!(block.contains("<code>let b = a + 1;\n</code>"), "{block}");
        assert!(block.contains("data-lang=\"rust\""), "{block}");
        let cs = "#region setup\nvar x = 1;\n#endregion\n";
        let p = pre_with(
            ":::code language=\"csharp\" source=\"a.cs\" id=\"setup\":::\n",
            &[("a.cs", cs)],
        );
        assert!(
            p.blocks[0].contains("<code>var x = 1;\n</code>"),
            "{}",
            p.blocks[0]
        );
        let p = pre_with(
            ":::code language=\"csharp\" source=\"a.cs\" id=\"other\":::\n",
            &[("a.cs", cs)],
        );
        assert_eq!(p.diagnostics[0].kind, "docfx-code");
    }

    #[test]
    fn bad_range_warns_and_missing_file_errors() {
        let p = pre_with(
            ":::code language=\"rust\" source=\"demo.rs\" range=\"5-2\":::\n",
            &[("demo.rs", SAMPLE)],
        );
        assert_eq!(p.diagnostics.len(), 1);
        assert!(
            p.diagnostics[0].message.contains("5-2"),
            "{:?}",
            p.diagnostics
        );
        let p = pre_with(":::code language=\"rust\" source=\"gone.rs\":::\n", &[]);
        assert!(p.diagnostics[0].is_error());
        assert_eq!((p.diagnostics[0].line, p.diagnostics[0].col), (1, 1));
    }

    #[test]
    fn ranges_parse() {
        assert_eq!(
            parse_ranges("2-3, 5,7-", 8),
            Ok(vec![(2, 3), (5, 5), (7, 8)])
        );
        assert!(parse_ranges("0", 3).is_err());
        assert!(parse_ranges("2-9", 3).is_err());
        assert!(parse_ranges("x", 3).is_err());
    }
}
