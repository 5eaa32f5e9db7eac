//! Templates: the built-in tera templates and assets compiled into the binary, with a
//! site's own `templates/` and `assets/` files replacing them by name.

use std::collections::BTreeMap;
use std::path::Path;

use tera::{Context, Tera};

use crate::error::Diagnostic;
use crate::load::slash_path;
use crate::markdown::highlight::SYNTAX_CSS;

pub const BUILTIN_TEMPLATES: [(&str, &str); 7] = [
    ("base.html", include_str!("../../templates/base.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("section.html", include_str!("../../templates/section.html")),
    ("landing.html", include_str!("../../templates/landing.html")),
    ("faq.html", include_str!("../../templates/faq.html")),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "redirect.html",
        include_str!("../../templates/redirect.html"),
    ),
];

const BUILTIN_ASSETS: [(&str, &[u8]); 5] = [
    ("trustdoc.css", include_bytes!("../../assets/trustdoc.css")),
    ("trustdoc.js", include_bytes!("../../assets/trustdoc.js")),
    ("favicon.svg", include_bytes!("../../assets/favicon.svg")),
    ("search.js", include_bytes!("../../assets/search.js")),
    ("search.css", include_bytes!("../../assets/search.css")),
];

pub struct Templates {
    tera: Tera,
    /// Template name -> the file as shown in messages: `templates/NAME` for the site's own,
    /// `(built-in) templates/NAME` for the ones compiled in.
    displays: BTreeMap<String, String>,
}

/// Where a tera error happened: the template's name and the 1-based line and column when
/// tera gives them, and the message without tera's own `error:` prefix or source excerpt.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Located {
    template: Option<String>,
    line: usize,
    col: usize,
    message: String,
}

/// Locates `e`, looking through the causes tera chains onto it. Checks run after parsing
/// (unknown filters, blocks missing from the parent) come as one message of several
/// reports, `error: MESSAGE` then `--> NAME:LINE:COL` each; every one is returned.
fn locate(e: &tera::Error) -> Vec<Located> {
    let reports = reports(&e.to_string());
    if !reports.is_empty() && matches!(e.kind(), tera::ErrorKind::Msg(_)) {
        return reports;
    }
    vec![locate_one(e)]
}

/// The `error: …` / `--> name:line:col` pairs in tera's text reports.
fn reports(text: &str) -> Vec<Located> {
    let mut out: Vec<Located> = Vec::new();
    for line in text.lines() {
        if let Some(msg) = line.strip_prefix("error: ") {
            out.push(Located {
                template: None,
                line: 0,
                col: 0,
                message: msg.trim().to_string(),
            });
        } else if let (Some(at), Some(last)) = (line.trim().strip_prefix("--> "), out.last_mut()) {
            let mut parts = at.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok());
            let line_no = parts.next().and_then(|l| l.parse().ok());
            if let (Some(col), Some(line_no), Some(name), None) =
                (col, line_no, parts.next(), &last.template)
            {
                last.template = Some(name.to_string());
                last.line = line_no;
                last.col = col;
            }
        }
    }
    out
}

fn locate_one(e: &tera::Error) -> Located {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(t) = c.downcast_ref::<tera::Error>() {
            use tera::ErrorKind::*;
            let at = |template: &str| Located {
                template: Some(template.to_string()),
                line: 0,
                col: 0,
                message: plain(&flatten(e)),
            };
            match t.kind() {
                SyntaxError(r) | RenderingError(r) => {
                    return Located {
                        template: (!r.filename().is_empty()).then(|| r.filename().to_string()),
                        line: r.span().start_line,
                        col: r.span().start_col + 1,
                        message: plain(r.message()),
                    }
                }
                CircularExtend { tpl, .. } | CircularInclude { tpl, .. } => return at(tpl),
                MissingParent { current, .. } => return at(current),
                _ => {}
            }
        }
        cause = c.source();
    }
    Located {
        template: None,
        line: 0,
        col: 0,
        message: plain(&flatten(e)),
    }
}

/// `msg` on one line, without a leading `error: ` (the diagnostic adds its own).
fn plain(msg: &str) -> String {
    let one_line = msg.replace('\n', " ");
    let trimmed = one_line.trim();
    trimmed
        .strip_prefix("error: ")
        .unwrap_or(trimmed)
        .to_string()
}

impl Templates {
    /// Built-ins, then every `*.html` under `root/templates/` (by relative name).
    pub fn load(root: &Path) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (String, String)> = BUILTIN_TEMPLATES
            .iter()
            .map(|(n, s)| {
                (
                    n.to_string(),
                    ((*s).to_string(), format!("(built-in) templates/{n}")),
                )
            })
            .collect();
        let (files, mut diags) = site_files(root, "templates", "template");
        for (name, bytes) in files {
            let display = format!("templates/{name}");
            match String::from_utf8(bytes) {
                Ok(text) => {
                    sources.insert(name, (text, display));
                }
                Err(_) => diags.push(Diagnostic::error(
                    display,
                    0,
                    0,
                    "template",
                    "cannot read: not valid UTF-8",
                )),
            }
        }
        let displays: BTreeMap<String, String> = sources
            .iter()
            .map(|(name, (_, display))| (name.clone(), display.clone()))
            .collect();
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_text);
        // All at once: templates extend each other, so they must be added together.
        if diags.is_empty() {
            let batch = sources
                .iter()
                .map(|(name, (src, _))| (name.as_str(), src.as_str()));
            if let Err(e) = tera.add_raw_templates(batch) {
                diags.extend(diagnostics(&displays, &e));
            }
        }
        if diags.is_empty() {
            Ok(Templates { tera, displays })
        } else {
            Err(diags)
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders template `name`; an error is located in the template file tera names
    /// (the site's own `templates/...` or a built-in one), at its line and column.
    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        // `diagnostics` gives at least one.
        self.tera
            .render(name, ctx)
            .map_err(|e| diagnostics(&self.displays, &e).swap_remove(0))
    }
}

/// The diagnostics for tera error `e` (at least one), each at the template it names
/// (shown as in `displays`).
fn diagnostics(displays: &BTreeMap<String, String>, e: &tera::Error) -> Vec<Diagnostic> {
    locate(e)
        .into_iter()
        .map(|at| {
            let path = match &at.template {
                Some(name) => displays
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| format!("templates/{name}")),
                None => "templates".to_string(),
            };
            Diagnostic::error(path, at.line, at.col, "template", at.message)
        })
        .collect()
}

/// Tera errors nest their causes; users need all of them on one line.
fn flatten(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let m = s.to_string();
        if !msg.contains(&m) {
            msg.push_str(": ");
            msg.push_str(&m);
        }
        src = s.source();
    }
    msg.replace('\n', " ")
}

/// Built-in assets plus the generated syntax stylesheet, then the site's `assets/` on top.
pub fn assets(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, Vec<Diagnostic>> {
    let mut out: BTreeMap<String, Vec<u8>> = BUILTIN_ASSETS
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    out.insert("syntax.css".into(), SYNTAX_CSS.as_bytes().to_vec());
    let (files, diags) = site_files(root, "assets", "asset");
    out.extend(files);
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// Every file under `root/folder/` as (`/`-separated name, bytes), sorted by name: a site's
/// own templates or assets, which replace the built-in ones with the same name.
fn site_files(root: &Path, folder: &str, kind: &str) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
    let dir = root.join(folder);
    let mut files = Vec::new();
    let mut diags = Vec::new();
    if !dir.is_dir() {
        return (files, diags);
    }
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let name = slash_path(rel);
        match std::fs::read(entry.path()) {
            Ok(b) => files.push((name, b)),
            Err(e) => diags.push(Diagnostic::error(
                format!("{folder}/{name}"),
                0,
                0,
                crate::error::read_kind(&e, kind),
                format!("cannot read: {e}"),
            )),
        }
    }
    (files, diags)
}

/// Tera's HTML escaping, plus control characters (a NUL from front matter, say) turned into
/// U+FFFD: HTML forbids them and XML parsers reject the whole file over one.
fn escape_text(input: &str, buf: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bad = |c: char| c < ' ' && !matches!(c, '\t' | '\n' | '\r');
    if input.contains(bad) {
        tera::escape_html(&input.replace(bad, "\u{fffd}"), buf)
    } else {
        tera::escape_html(input, buf)
    }
}
