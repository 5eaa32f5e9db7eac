//! Resolve: everything that needs the whole site: URLs for every page (the link index),
//! the navigation tree, link rewriting and the checks of links and anchors across pages.
pub mod anchors;
pub mod index;
pub mod links;
pub mod nav;
pub mod nav_shown;
pub mod site_nav;
pub mod url_path;
