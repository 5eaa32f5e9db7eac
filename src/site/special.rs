//! Files every site gets besides its pages: redirect pages for aliases, the 404 page
//! (absolute links, since it is served at any path) and the sitemap.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::output::OutputFile;
use crate::render::templates::Templates;
use crate::render::views::{context, PageView, SiteView};
use crate::resolve::links::{encode_path, relative_href};
use crate::resolve::nav::Nav;

use super::Page;

/// `/old/path.html` or `old/path/` -> `old/path/` (a folder we can put an index.html in).
pub(super) fn alias_path(alias: &str) -> Option<String> {
    let a = alias.trim().trim_start_matches('/');
    let a = a.strip_suffix("index.html").unwrap_or(a);
    let a = a
        .strip_suffix(".html")
        .or_else(|| a.strip_suffix(".md"))
        .unwrap_or(a)
        .trim_end_matches('/');
    let path = format!("{a}/index.html");
    (!a.is_empty() && crate::output::safe_relative(&path)).then(|| format!("{a}/"))
}

/// Where a redirect goes: a page of this site (its URL folder) or a URL kept as written.
pub(super) enum To<'a> {
    Page(&'a str),
    Url(&'a str),
}

pub(super) fn redirect_page(
    tpl: &Templates,
    site: &SiteView,
    from_url: &str,
    to: To,
    cfg: &Config,
) -> Result<OutputFile, String> {
    let root = relative_href(from_url, "");
    let extra = BTreeMap::new();
    let (permalink, href) = match to {
        To::Page(url) => (
            format!("{}{}", cfg.base_url, url),
            relative_href(from_url, url),
        ),
        To::Url(u) => (u.to_string(), u.to_string()),
    };
    let mut view = PageView::bare("redirect", "Redirecting", permalink, from_url, &extra);
    view.redirect_to = Some(href);
    tpl.render("redirect.html", &context(site, &root, &[], &view))
        .map(|h| OutputFile::new(format!("{from_url}index.html"), h))
}

pub(super) fn not_found_page(
    tpl: &Templates,
    site: &SiteView,
    nav: &Nav,
    url_of: &dyn Fn(&str) -> Option<String>,
    cfg: &Config,
) -> Result<OutputFile, String> {
    // 404.html is served at any path, so its links are absolute from the base path;
    // relative mode knows no base path, so they are relative to the site root.
    let root = if cfg.relative_urls {
        String::new()
    } else {
        cfg.base_path.clone()
    };
    let extra = BTreeMap::new();
    let view = PageView::bare(
        "404",
        "Page not found",
        format!("{}404.html", cfg.base_url),
        "404.html",
        &extra,
    );
    let items = nav.view("", "", &|id| url_of(id).map(|u| format!("{root}{u}")));
    tpl.render("404.html", &context(site, &root, &items, &view))
        .map(|h| OutputFile::new("404.html", h))
}

pub(super) fn sitemap(cfg: &Config, pages: &[Page]) -> String {
    let mut entries: Vec<(&str, Option<&str>)> = pages
        .iter()
        .map(|p| (p.url.as_str(), p.fm.date.as_deref()))
        .collect();
    entries.sort();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, date) in entries {
        let mut loc = String::new();
        let _ = pulldown_cmark_escape::escape_html(
            &mut loc,
            &format!("{}{}", cfg.base_url, encode_path(url)),
        );
        s.push_str("  <url>\n    <loc>");
        s.push_str(&loc);
        s.push_str("</loc>\n");
        if let Some(d) = date {
            s.push_str("    <lastmod>");
            s.push_str(d);
            s.push_str("</lastmod>\n");
        }
        s.push_str("  </url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// `.openpublishing.redirection.json`: each retired article gets a redirect page at the
/// URL it would have had. Sources are repository paths (`/articles/set/old.md`); the
/// shortest tail whose folder exists in this site names the page. A target that ends in
/// the name of one of our pages goes there; anything else is kept as written.
pub(super) fn learn_redirects(
    tpl: &Templates,
    site: &SiteView,
    file: &crate::load::SourceFile,
    pages: &[Page],
    cfg: &Config,
) -> (Vec<OutputFile>, Vec<crate::error::Diagnostic>) {
    use crate::error::Diagnostic;
    let mut out = Vec::new();
    let text = match crate::load::text(file) {
        Ok(t) => t,
        Err(d) => return (out, vec![d]),
    };
    let redirects = match crate::docfx::parse_redirects(&file.display, text) {
        Ok(r) => r,
        Err(d) => return (out, d),
    };
    let dir = file
        .rel
        .rsplit_once('/')
        .map(|(d, _)| format!("{d}/"))
        .unwrap_or_default();
    let mut diags = Vec::new();
    let mut hops = Vec::new();
    for r in redirects {
        let segs: Vec<&str> = r.source.split('/').filter(|s| !s.is_empty()).collect();
        let Some(name) = segs.last() else { continue };
        let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
        let from_url = format!("{dir}{stem}/");
        if pages.iter().any(|p| p.url == from_url) {
            diags.push(Diagnostic::warning(
                &file.display,
                r.line,
                0,
                "redirects",
                format!(
                    "{} still exists as a page; its redirect is not written",
                    r.source
                ),
            ));
            continue;
        }
        let target_name = r
            .target
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        let local = pages.iter().find(|p| {
            let id_stem = p.id.rsplit('/').next().unwrap_or(&p.id);
            let id_stem = id_stem.rsplit_once('.').map(|(s, _)| s).unwrap_or(id_stem);
            !target_name.is_empty() && id_stem == target_name
        });
        let to = match local {
            Some(p) => To::Page(&p.url),
            None => To::Url(&r.target),
        };
        hops.push(crate::docfx::redirects::Hop {
            from: from_url.clone(),
            to: local
                .is_none()
                .then(|| {
                    crate::docfx::redirects::site_folder(
                        &r.target,
                        &from_url,
                        &cfg.base_url,
                        &cfg.base_path,
                    )
                })
                .flatten(),
            source: r.source.clone(),
            line: r.line,
        });
        match redirect_page(tpl, site, &from_url, to, cfg) {
            Ok(f) => out.push(f),
            Err(e) => diags.push(Diagnostic::error(&file.display, r.line, 0, "template", e)),
        }
    }
    diags.extend(crate::docfx::redirects::redirect_loops(
        &file.display,
        &hops,
    ));
    (out, diags)
}
