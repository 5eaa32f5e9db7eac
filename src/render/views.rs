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
}

#[derive(Debug, Clone, Serialize)]
pub struct AssetsView {
    pub css: String,
    pub syntax_css: String,
    pub js: String,
    pub favicon: String,
}

impl AssetsView {
    pub fn new(root: &str) -> Self {
        AssetsView {
            css: format!("{root}assets/trustdoc.css"),
            syntax_css: format!("{root}assets/syntax.css"),
            js: format!("{root}assets/trustdoc.js"),
            favicon: format!("{root}assets/favicon.svg"),
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

#[derive(Debug, Clone, Serialize)]
pub struct NavView<'a>(pub &'a [NavItemView]);
