//! Files every site gets besides its pages: redirect pages for aliases and for a Learn
//! docset's redirection file, the 404 page (absolute links, since it is served at any
//! path), the sitemap and robots.txt. They see plain data, not the site's page type.

use std::collections::BTreeMap;

use super::templates::Templates;
use super::views::{context, PageView, SiteView};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::output::OutputFile;
use crate::resolve::links::{encode_path, relative_href};
use crate::resolve::nav::Nav;

/// One `aliases` entry of a page's front matter.
pub struct Alias<'a> {
    /// The page's source as shown to users, and the line of its `aliases` key.
    pub display: &'a str,
    pub line: usize,
    pub alias: &'a str,
    /// The page's URL folder.
    pub to_url: &'a str,
}

/// A redirect page for every alias; an alias that is not a path inside the site is an error.
pub fn alias_redirects(
    tpl: &Templates,
    site: &SiteView,
    aliases: &[Alias],
    cfg: &Config,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for a in aliases {
        let Some(from) = alias_folder(a.alias) else {
            diags.push(Diagnostic::error(
                a.display,
                a.line,
                1,
                "alias",
                format!("alias `{}` is not a path inside the site", a.alias),
            ));
            continue;
        };
        match redirect_page(tpl, site, &from, To::Page(a.to_url), cfg) {
            Ok(f) => out.push(f),
            Err(d) => diags.push(d),
        }
    }
    (out, diags)
}

/// The folder an alias's redirect page goes in (see [`alias_folder`]), when it is one the
/// output may hold.
fn alias_folder(alias: &str) -> Option<String> {
    crate::resolve::url_path::alias_folder(alias)
        .filter(|f| crate::output::safe_relative(&format!("{f}index.html")))
}

/// Where a redirect goes: a page of this site (its URL folder) or a URL kept as written.
enum To<'a> {
    Page(&'a str),
    Url(&'a str),
}

fn redirect_page(
    tpl: &Templates,
    site: &SiteView,
    from_url: &str,
    to: To,
    cfg: &Config,
) -> Result<OutputFile, Diagnostic> {
    let root = relative_href(from_url, "");
    let extra = BTreeMap::new();
    let (permalink, href) = match to {
        To::Page(url) => (
            format!("{}{}", cfg.base_url, encode_path(url)),
            relative_href(from_url, url),
        ),
        To::Url(u) => (u.to_string(), u.to_string()),
    };
    let mut view = PageView::bare("redirect", "Redirecting", permalink, from_url, &extra);
    view.redirect_to = Some(href);
    tpl.render("redirect.html", &context(site, &root, &[], &view))
        .map(|h| OutputFile::new(format!("{from_url}index.html"), h))
}

/// The 404 page; a template error is located in the template that has it.
pub fn not_found_page(
    tpl: &Templates,
    site: &SiteView,
    nav: &Nav,
    url_of: &dyn Fn(&str) -> Option<String>,
    cfg: &Config,
) -> Result<OutputFile, Diagnostic> {
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

/// `sitemap.xml` for pages given as (URL folder, date of last change).
pub fn sitemap(cfg: &Config, pages: &[(&str, Option<&str>)]) -> OutputFile {
    let mut entries = pages.to_vec();
    entries.sort();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, date) in entries {
        s.push_str("  <url>\n    <loc>");
        crate::escape::html_into(&mut s, &format!("{}{}", cfg.base_url, encode_path(url)));
        s.push_str("</loc>\n");
        if let Some(d) = date {
            s.push_str("    <lastmod>");
            s.push_str(d);
            s.push_str("</lastmod>\n");
        }
        s.push_str("  </url>\n");
    }
    s.push_str("</urlset>\n");
    OutputFile::new("sitemap.xml", s)
}

/// `robots.txt`: everything allowed, and where the sitemap is.
pub fn robots(cfg: &Config) -> OutputFile {
    OutputFile::new(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            cfg.base_url
        ),
    )
}

/// `.openpublishing.redirection.json`: each retired article gets a redirect page at the
/// URL it would have had. Sources are repository paths (`/articles/set/old.md`); the
/// shortest tail whose folder exists in this site names the page. A target that ends in
/// the name of one of our pages goes there; anything else is kept as written.
/// `pages` are (source id, URL folder).
pub fn learn_redirects(
    tpl: &Templates,
    site: &SiteView,
    file: &crate::load::SourceFile,
    pages: &[(&str, &str)],
    cfg: &Config,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
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
        if pages.iter().any(|(_, url)| *url == from_url) {
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
        let local = pages.iter().find(|(id, _)| {
            let id_stem = id.rsplit('/').next().unwrap_or(id);
            let id_stem = id_stem.rsplit_once('.').map(|(s, _)| s).unwrap_or(id_stem);
            !target_name.is_empty() && id_stem == target_name
        });
        let to = match local {
            Some((_, url)) => To::Page(url),
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
            Err(d) => diags.push(d),
        }
    }
    diags.extend(crate::docfx::redirects::redirect_loops(
        &file.display,
        &hops,
    ));
    (out, diags)
}
