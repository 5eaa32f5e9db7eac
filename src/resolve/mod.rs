//! Resolve: everything that needs the whole site: URLs for every page, the navigation
//! tree, link rewriting and the checks of links and anchors across pages.
pub mod links;
pub mod nav;
pub mod toc_nav;
