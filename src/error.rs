//! Diagnostics: every problem a build finds, with the file, line and column a user
//! can jump to. Stages never print or exit; they return `Diagnostic`s and the CLI
//! prints them all, numbered, then decides the exit code.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is. `--strict` promotes warnings to errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One located message. `line` and `col` are 1-based; 0 means "not known".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root where possible).
    pub path: String,
    pub line: usize,
    pub col: usize,
    /// A short machine-friendly kind, e.g. `broken-link`, `front-matter`, `decision-gap`.
    pub kind: String,
    pub message: String,
}

impl Diagnostic {
    pub fn error(
        path: impl Into<String>,
        line: usize,
        col: usize,
        kind: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            col,
            kind: kind.to_string(),
            message: message.into(),
        }
    }

    pub fn warning(
        path: impl Into<String>,
        line: usize,
        col: usize,
        kind: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, kind, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Messages quote user input; control characters (terminal escape sequences, NULs)
        // are shown as escapes so a hostile file cannot rewrite the reader's terminal.
        let path = printable(&self.path);
        let message = printable(&self.message);
        match (self.line, self.col) {
            (0, _) => write!(f, "{path}: {sev}: {message}"),
            (l, 0) => write!(f, "{path}:{l}: {sev}: {message}"),
            (l, c) => write!(f, "{path}:{l}:{c}: {sev}: {message}"),
        }
    }
}

/// `s` with control characters other than tabs written as `\u{…}`: line breaks too (a link
/// target holding one could forge a whole diagnostic line), and the bidirectional controls
/// that reorder what a terminal shows (U+202E turns `txt.exe` into `exe.txt`).
fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(
                c,
                '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
            )
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !s.contains(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The kind of a diagnostic about a file that exists but the machine cannot read: no
/// permission, or a name longer than the file system holds. It is an I/O error, not a
/// content error, so the build exits 2 (see `cli`), as for an unreadable configuration.
pub const READ_ERROR: &str = "read-error";

/// Whether `e` is the machine failing to read a file (permissions, a name the file system
/// cannot hold) rather than the content naming a file that is missing or loops.
pub fn is_read_failure(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::InvalidFilename
    )
}

/// The diagnostic kind for an I/O error `e` on a file: [`READ_ERROR`] when it is the
/// machine's trouble, else `otherwise`.
pub fn read_kind<'a>(e: &std::io::Error, otherwise: &'a str) -> &'a str {
    if is_read_failure(e) {
        READ_ERROR
    } else {
        otherwise
    }
}

/// Maps byte offsets in one source text to 1-based line and column (columns count chars).
/// One helper for every source kind, so every stage reports positions the same way.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based (line, col) of `offset` in `text` (the same text given to `new`).
    pub fn locate(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let col = text
            .get(start..offset)
            .map(|s| s.trim_end_matches('\r').chars().count())
            .unwrap_or(0);
        (line + 1, col + 1)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// Errors that stop the process before content is looked at (usage, I/O): exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum FatalError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
}

impl FatalError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        FatalError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_columns() {
        let text = "ab\ncdé\r\nf";
        let idx = LineIndex::new(text);
        assert_eq!(idx.locate(text, 0), (1, 1));
        assert_eq!(idx.locate(text, 3), (2, 1));
        assert_eq!(idx.locate(text, 5), (2, 3));
        assert_eq!(idx.locate(text, text.len()), (3, 2));
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let d = Diagnostic::error("a\u{1b}.md", 1, 0, "x", "name `\u{1b}[2Jx\u{0}`");
        assert_eq!(
            d.to_string(),
            "a\\u{1b}.md:1: error: name `\\u{1b}[2Jx\\u{0}`"
        );
    }

    #[test]
    fn only_machine_failures_are_read_errors() {
        use std::io::{Error, ErrorKind};
        for (kind, read) in [
            (ErrorKind::PermissionDenied, true),
            (ErrorKind::InvalidFilename, true),
            (ErrorKind::NotFound, false),
            (ErrorKind::InvalidData, false),
        ] {
            assert_eq!(is_read_failure(&Error::from(kind)), read, "{kind:?}");
            let want = if read { READ_ERROR } else { "broken-link" };
            assert_eq!(read_kind(&Error::from(kind), "broken-link"), want);
        }
    }

    #[test]
    fn formats_like_compilers() {
        let d = Diagnostic::error("a.md", 3, 7, "broken-link", "no such page");
        assert_eq!(d.to_string(), "a.md:3:7: error: no such page");
    }
}
