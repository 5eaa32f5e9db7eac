//! The floor for whole-site builds: the least a static site generator must do with the
//! benchmark corpus. Reads every `.md` file under a folder, drops its front matter,
//! renders it with pulldown-cmark, highlights fenced code with syntect's default grammars
//! (as CSS classes), and writes one HTML file per page, on a rayon pool (as many threads
//! as cores, or `RAYON_NUM_THREADS`). No templates, links, navigation or checks.
//!
//!     cargo build --release --example floor
//!     target/release/examples/floor CONTENT_DIR OUTPUT_DIR [--no-highlight]
//!
//! benches/build.sh runs it beside trustdoc and Hugo.

use std::fs;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(src), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: floor CONTENT_DIR OUTPUT_DIR [--no-highlight]");
        std::process::exit(2);
    };
    let highlight = !args.iter().any(|a| a == "--no-highlight");
    let src = PathBuf::from(src);
    let out = PathBuf::from(out);
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let set = SyntaxSet::load_defaults_newlines();
    pages.par_iter().for_each(|path| {
        let text = fs::read_to_string(path).expect("read page");
        let html = render(body(&text), highlight.then_some(&set));
        let rel = path.strip_prefix(&src).expect("under the source folder");
        let target = out.join(rel).with_extension("html");
        write(&target, &html);
    });
}

fn body(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|end| &rest[end + 5..]))
        .unwrap_or(text)
}

fn render(md: &str, set: Option<&SyntaxSet>) -> String {
    let mut html = String::with_capacity(md.len() * 2);
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for ev in Parser::new_ext(md, Options::all()) {
        match (&mut code, ev) {
            (None, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))) if set.is_some() => {
                code = Some((lang.to_string(), String::new()));
            }
            (Some((_, buf)), Event::Text(t)) => buf.push_str(&t),
            (Some(_), Event::End(TagEnd::CodeBlock)) if std::env::var_os("FLOOR_TD").is_some() => {
                let (lang, buf) = code.take().unwrap_or_default();
                events.push(Event::Html(
                    format!(
                        "<pre><code>{}</code></pre>\n",
                        trustdoc::markdown::highlight::highlight(&buf, &lang, &[])
                    )
                    .into(),
                ));
            }
            (Some(_), Event::End(TagEnd::CodeBlock)) => {
                let (lang, buf) = code.take().unwrap_or_default();
                let set = set.expect("set when highlighting");
                let syntax = set
                    .find_syntax_by_token(&lang)
                    .unwrap_or_else(|| set.find_syntax_plain_text());
                let mut gen = ClassedHTMLGenerator::new_with_class_style(
                    syntax,
                    set,
                    ClassStyle::SpacedPrefixed { prefix: "hl-" },
                );
                for line in LinesWithEndings::from(&buf) {
                    gen.parse_html_for_line_which_includes_newline(line)
                        .expect("highlight");
                }
                events.push(Event::Html(
                    format!("<pre><code>{}</code></pre>\n", gen.finalize()).into(),
                ));
            }
            (_, ev) => events.push(ev),
        }
    }
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

fn write(target: &Path, html: &str) {
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir).expect("create output folder");
    }
    fs::write(target, html).expect("write page");
}
