//! Which pages show a navigation entry. A page's sidebar holds the top level, the levels
//! opened on the way to the page (a long level as a window around it) and expanded
//! entries; its breadcrumbs hold the entries above it. When only titles change between
//! two trees of the same shape, only the pages showing a retitled entry look different:
//! `trustdoc serve` re-renders those and keeps the rest.

use super::nav::{window, Nav, NavNode};

/// Whether two trees hold the same entries (page, URL, expansion) in the same places and
/// the same reading order; their titles may differ.
pub fn same_shape(a: &Nav, b: &Nav) -> bool {
    a.order() == b.order() && same_nodes(&a.roots, &b.roots)
}

fn same_nodes(a: &[NavNode], b: &[NavNode]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.page == y.page
                && x.url == y.url
                && x.expanded == y.expanded
                && same_nodes(&x.children, &y.children)
        })
}

/// Index paths of the entries whose titles differ between two trees of the same shape.
pub fn retitled(a: &Nav, b: &Nav) -> Vec<Vec<usize>> {
    fn walk(a: &[NavNode], b: &[NavNode], at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            at.push(i);
            if x.title != y.title {
                out.push(at.clone());
            }
            walk(&x.children, &y.children, at, out);
            at.pop();
        }
    }
    let mut out = Vec::new();
    walk(&a.roots, &b.roots, &mut Vec::new(), &mut out);
    out
}

/// Whether the sidebar or the breadcrumbs of page `current` show the entry at index path
/// `node`. Mirrors `Nav::view` and `Nav::breadcrumbs`.
pub fn shows(nav: &Nav, current: &str, node: &[usize]) -> bool {
    let path = nav.path_of(current).unwrap_or_default();
    if node.len() < path.len() && path.starts_with(node) {
        return true;
    }
    in_sidebar(&nav.roots, path, node)
}

fn in_sidebar(roots: &[NavNode], path: &[usize], node: &[usize]) -> bool {
    let mut level = roots;
    // Whether every level so far was on the way to the current page.
    let mut on = true;
    for (depth, &i) in node.iter().enumerate() {
        let on_index = if on { path.get(depth).copied() } else { None };
        let (start, end) = window(level.len(), on_index);
        let Some(n) = level.get(i).filter(|_| (start..end).contains(&i)) else {
            return false;
        };
        if depth + 1 == node.len() {
            return true;
        }
        let on_path = on_index == Some(i);
        if !((on_path && !n.children.is_empty()) || n.expanded) {
            return false;
        }
        on = on_path;
        level = &n.children;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::nav::{NavItemView, NavPage};
    use std::collections::BTreeSet;

    fn page(id: &str, url: &str, title: &str, landing: bool) -> NavPage {
        NavPage {
            id: id.into(),
            url: url.into(),
            title: title.into(),
            weight: None,
            landing,
        }
    }

    /// A home page, a short folder with a sub-folder, and a folder long enough to be
    /// shown as a window; every title unique.
    fn site() -> Vec<NavPage> {
        let mut pages = vec![
            page("index.md", "", "Home", true),
            page("a/_index.md", "a/", "A", true),
            page("a/x.md", "a/x/", "A x", false),
            page("a/deep/_index.md", "a/deep/", "Deep", true),
            page("a/deep/y.md", "a/deep/y/", "Deep y", false),
            page("long/_index.md", "long/", "Long", true),
            page("top.md", "top/", "Top", false),
        ];
        for i in 0..130 {
            let (id, url) = (format!("long/p{i:03}.md"), format!("long/p{i:03}/"));
            pages.push(page(&id, &url, &format!("Long {i:03}"), false));
        }
        pages
    }

    fn titles(items: &[NavItemView], out: &mut BTreeSet<String>) {
        for i in items {
            out.insert(i.title.clone());
            titles(&i.children, out);
        }
    }

    fn node_titles(nodes: &[NavNode], at: &mut Vec<usize>, out: &mut Vec<(Vec<usize>, String)>) {
        for (i, n) in nodes.iter().enumerate() {
            at.push(i);
            out.push((at.clone(), n.title.clone()));
            node_titles(&n.children, at, out);
            at.pop();
        }
    }

    #[test]
    fn shows_agrees_with_the_sidebar_and_breadcrumbs_of_every_page() {
        let pages = site();
        let nav = Nav::from_folders(&pages);
        let url_of = |id: &str| pages.iter().find(|p| p.id == id).map(|p| p.url.clone());
        let mut nodes = Vec::new();
        node_titles(&nav.roots, &mut Vec::new(), &mut nodes);
        for p in &pages {
            let mut seen = BTreeSet::new();
            titles(&nav.view(&p.id, &p.url, &url_of), &mut seen);
            for b in nav.breadcrumbs(&p.id, &p.url, None, &url_of) {
                seen.insert(b.title);
            }
            let shown: BTreeSet<String> = (nodes.iter())
                .filter(|(at, _)| shows(&nav, &p.id, at))
                .map(|(_, t)| t.clone())
                .collect();
            let seen: BTreeSet<String> = (seen.into_iter())
                .filter(|t| !t.ends_with(" pages"))
                .collect();
            assert_eq!(shown, seen, "{}", p.id);
        }
    }

    #[test]
    fn a_retitled_page_is_found_and_the_shape_kept() {
        let pages = site();
        let mut renamed = pages.clone();
        renamed[2].title = "A x renamed".into();
        let (a, b) = (Nav::from_folders(&pages), Nav::from_folders(&renamed));
        assert!(same_shape(&a, &b));
        let changed = retitled(&a, &b);
        assert_eq!(changed.len(), 1);
        assert!(
            shows(&b, "a/deep/y.md", &changed[0]),
            "a sibling folder's page"
        );
        assert!(
            !shows(&b, "long/p005.md", &changed[0]),
            "another folder's page"
        );
        // A title that moves the page in its folder's order changes the shape.
        renamed[2].title = "Zz".into();
        assert!(!same_shape(&a, &Nav::from_folders(&renamed)));
    }
}
