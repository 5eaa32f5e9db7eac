//! The small view structs templates see. Only what is here is reachable from a template:
//! it is the deliberate interface between the site model and the theme.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::markdown::TocEntry;
use crate::resolve::nav::{LinkView, NavItemView};

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    pub base_url: String,
    pub generator: String,
    pub extra: serde_json::Value,
    /// The search box is shown (the index is built).
    pub search: bool,
    /// Asset name -> the (fingerprinted) name it is written under; reaches templates as
    /// `assets.*`, not as `site.*`.
    #[serde(skip)]
    pub asset_names: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssetsView {
    pub css: String,
    pub syntax_css: String,
    pub js: String,
    pub favicon: String,
    pub search_js: String,
    pub search_css: String,
    /// Every asset by its source name, as a URL relative to the page.
    pub files: BTreeMap<String, String>,
}

impl AssetsView {
    /// `names` maps an asset's name to the name it is written under (see
    /// `render::fingerprint`); names it lacks are used as they are.
    pub fn new(root: &str, names: &BTreeMap<String, String>) -> Self {
        let url = |n: &str| format!("{root}assets/{}", names.get(n).map_or(n, String::as_str));
        AssetsView {
            css: url("trustdoc.css"),
            syntax_css: url("syntax.css"),
            js: url("trustdoc.js"),
            favicon: url("favicon.svg"),
            search_js: url("search.js"),
            search_css: url("search.css"),
            files: names.keys().map(|n| (n.clone(), url(n))).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ChildView {
    pub title: String,
    pub href: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub content: &'a str,
    /// The content starts with its own level-1 heading, so the theme should not add one.
    pub has_h1: bool,
    pub toc: &'a [TocEntry],
    pub permalink: String,
    pub path: &'a str,
    pub last_updated: Option<&'a str>,
    pub last_updated_display: Option<String>,
    pub author: Option<&'a str>,
    pub extra: &'a BTreeMap<String, serde_json::Value>,
    pub breadcrumbs: Vec<LinkView>,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    pub children: Vec<ChildView>,
    pub redirect_to: Option<String>,
}

impl<'a> PageView<'a> {
    /// A page with no content of its own (404, redirects): only kind, title and addresses.
    pub fn bare(
        kind: &'static str,
        title: &'a str,
        permalink: String,
        path: &'a str,
        extra: &'a BTreeMap<String, serde_json::Value>,
    ) -> Self {
        PageView {
            kind,
            title,
            description: None,
            content: "",
            has_h1: false,
            toc: &[],
            permalink,
            path,
            last_updated: None,
            last_updated_display: None,
            author: None,
            extra,
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            children: Vec::new(),
            redirect_to: None,
        }
    }
}

/// The template context: the same five names for every page kind.
pub fn context(site: &SiteView, root: &str, nav: &[NavItemView], page: &PageView) -> tera::Context {
    context_of_values(
        &tera::Value::from_serializable(site),
        root,
        tera::Value::from_serializable(nav),
        page,
        &site.asset_names,
    )
}

/// [`context`] with the site and the sidebar already converted to template values, so a
/// build converts the site once and shares sidebars between pages.
pub fn context_of_values(
    site: &tera::Value,
    root: &str,
    nav: tera::Value,
    page: &PageView,
    asset_names: &BTreeMap<String, String>,
) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert_value("site", site.clone());
    ctx.insert("root", root);
    ctx.insert("assets", &AssetsView::new(root, asset_names));
    ctx.insert_value("nav", nav);
    ctx.insert("page", page);
    ctx
}
