//! Page views: what the templates see for one page (content, table of contents,
//! breadcrumbs, previous and next, a section's children, the sidebar) and the render of
//! the page through its template. Sidebars are shared between the pages of a folder.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use crate::config::Config;
use crate::error::Diagnostic;
use crate::front_matter::display_date;
use crate::render::templates::Templates;
use crate::render::views::{context_of_values, ChildView, PageView, SiteView};
use crate::resolve::links::relative_href;
use crate::resolve::nav::{LinkView, Nav};

use super::page_render::RenderedPage;
use super::pages::{Page, PageKind};

type SidebarCache = Mutex<BTreeMap<(Vec<usize>, String), tera::Value>>;

pub(super) struct PageViews<'a> {
    pages: &'a BTreeMap<String, Page>,
    nav: &'a Nav,
    cfg: &'a Config,
    /// Title and URL of the home page, first in every breadcrumb trail.
    home: Option<(String, String)>,
    /// Folder URL -> the pages directly in it, for section pages' child lists; made when
    /// the first section page renders (a rebuild of a few leaf pages never needs it).
    in_folder: OnceLock<BTreeMap<String, Vec<&'a Page>>>,
    /// The site as a template value, converted once.
    site: tera::Value,
    asset_names: BTreeMap<String, String>,
    sidebars: SidebarCache,
}

impl<'a> PageViews<'a> {
    /// Views over `pages` (id -> page, every page of the site).
    pub fn new(
        pages: &'a BTreeMap<String, Page>,
        nav: &'a Nav,
        cfg: &'a Config,
        site: &SiteView,
    ) -> Self {
        PageViews {
            pages,
            nav,
            cfg,
            home: pages
                .values()
                .find(|p| p.url.is_empty())
                .map(|p| (p.title.clone(), String::new())),
            in_folder: OnceLock::new(),
            site: tera::Value::from_serializable(site),
            asset_names: site.asset_names.clone(),
            sidebars: Mutex::new(BTreeMap::new()),
        }
    }

    /// The pages directly in the folder at `url`.
    fn in_folder(&self, url: &str) -> Option<&Vec<&'a Page>> {
        let folders = self.in_folder.get_or_init(|| {
            let mut in_folder: BTreeMap<String, Vec<&Page>> = BTreeMap::new();
            for c in self.pages.values() {
                in_folder.entry(parent_url(&c.url)).or_default().push(c);
            }
            in_folder
        });
        folders.get(url)
    }

    /// The root-relative URL of a page id.
    pub fn url_of(&self, id: &str) -> Option<String> {
        self.pages.get(id).map(|p| p.url.clone())
    }

    /// Page `p` with its Markdown output `o`, through its template.
    pub fn render(
        &self,
        tpl: &Templates,
        p: &Page,
        o: &RenderedPage,
    ) -> Result<String, Diagnostic> {
        let (pages, nav) = (self.pages, self.nav);
        let url_of = |id: &str| self.url_of(id);
        let root = relative_href(&p.url, "");
        let root = if root == "./" { String::new() } else { root };
        let link = |id: &str| -> Option<LinkView> {
            let t = pages.get(id)?;
            Some(LinkView {
                title: t.title.clone(),
                href: Some(relative_href(&p.url, &t.url)),
            })
        };
        let (prev, next) = nav.neighbours(&p.id);
        let children = if p.landing {
            self.in_folder(p.url.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .filter(|c| c.id != p.id)
                .map(|c| ChildView {
                    title: c.title.clone(),
                    href: relative_href(&p.url, &c.url),
                    description: c.fm.description.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let view = PageView {
            kind: match (p.kind, p.landing) {
                (PageKind::Landing, _) => "landing",
                (PageKind::Faq, _) => "faq",
                (_, true) => "section",
                _ => "page",
            },
            title: &p.title,
            description: p.fm.description.as_deref(),
            content: &o.rendered.html,
            has_h1: o.rendered.h1.is_some(),
            toc: &o.rendered.toc,
            // Relative mode knows no final address, so pages get no canonical link.
            permalink: if self.cfg.relative_urls {
                String::new()
            } else {
                format!(
                    "{}{}",
                    self.cfg.base_url,
                    crate::resolve::links::encode_path(&p.url)
                )
            },
            path: &p.url,
            last_updated: p.fm.date.as_deref(),
            last_updated_display: p.fm.date.as_deref().and_then(display_date),
            author: p.fm.author.as_deref(),
            extra: &p.fm.extra,
            breadcrumbs: if p.url.is_empty() {
                Vec::new()
            } else {
                nav.breadcrumbs(
                    &p.id,
                    &p.url,
                    self.home.as_ref().map(|(t, u)| (t.as_str(), u.as_str())),
                    &url_of,
                )
            },
            prev: prev.and_then(link),
            next: next.and_then(link),
            children,
            redirect_to: None,
        };
        let sidebar = nav.view_value(&p.id, &p.url, &url_of, &self.sidebars);
        let ctx = context_of_values(&self.site, &root, sidebar, &view, &self.asset_names);
        let name = template_name(tpl, p)?;
        tpl.render(&name, &ctx).map_err(|mut d| {
            d.message = format!("{} (rendering {})", d.message, p.display);
            d
        })
    }
}

fn parent_url(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    match trimmed.rsplit_once('/') {
        Some((parent, _)) => format!("{parent}/"),
        None if trimmed.is_empty() => "\u{0}".into(),
        None => String::new(),
    }
}

/// The template a page names in front matter (an error at the `template:` line when there
/// is no such template), or the one for its kind.
fn template_name(tpl: &Templates, p: &Page) -> Result<String, Diagnostic> {
    if let Some(t) = &p.fm.template {
        let name = if t.ends_with(".html") {
            t.clone()
        } else {
            format!("{t}.html")
        };
        if tpl.has(&name) {
            return Ok(name);
        }
        return Err(Diagnostic::error(
            &p.display,
            p.fm.template_line,
            1,
            "template",
            format!(
                "`template: {t}` names no template: expected a file templates/{name} or one \
                 of the built-in templates (page, section, landing, faq)"
            ),
        ));
    }
    Ok(match (p.kind, p.landing) {
        (PageKind::Landing, _) => "landing.html",
        (PageKind::Faq, _) => "faq.html",
        (_, true) => "section.html",
        _ => "page.html",
    }
    .to_string())
}
