//! Navigation: one tree for the whole site (from `toc.yml`, the `[[nav]]` config, or the
//! folder tree ordered by `weight` then title), and per-page views of it: the sidebar
//! pruned to the current page's branch (so a 10,000-page site does not repeat its whole
//! tree on every page), breadcrumbs, and previous/next in reading order.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::Serialize;

use super::links::relative_href;

#[derive(Debug, Clone, Default)]
pub struct NavNode {
    pub title: String,
    /// Source id of the page this entry opens.
    pub page: Option<String>,
    /// An external URL (or one we could not map to a page), emitted as written.
    pub url: Option<String>,
    pub expanded: bool,
    pub children: Vec<NavNode>,
}

/// What the site knows about a page for navigation purposes.
#[derive(Debug, Clone)]
pub struct NavPage {
    pub id: String,
    pub url: String,
    pub title: String,
    pub weight: Option<i64>,
    /// Is this page its folder's landing page?
    pub landing: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub roots: Vec<NavNode>,
    /// Page id -> index path into `roots` of its first appearance.
    paths: BTreeMap<String, Vec<usize>>,
    /// Pages in reading order.
    order: Vec<String>,
    /// Page id -> its index in `order`.
    position: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NavItemView {
    pub title: String,
    pub href: Option<String>,
    pub current: bool,
    pub open: bool,
    pub external: bool,
    pub has_children: bool,
    pub children: Vec<NavItemView>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LinkView {
    pub title: String,
    pub href: Option<String>,
}

impl Nav {
    pub fn new(roots: Vec<NavNode>, home: Option<&str>) -> Nav {
        let mut nav = Nav {
            roots,
            ..Nav::default()
        };
        if let Some(h) = home {
            nav.order.push(h.to_string());
        }
        let mut stack = Vec::new();
        let roots = std::mem::take(&mut nav.roots);
        index(&roots, &mut stack, &mut nav.paths, &mut nav.order, home);
        nav.roots = roots;
        nav.position = nav
            .order
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), i))
            .collect();
        nav
    }

    /// Builds the tree from folders: a folder's landing page opens its entry, other pages
    /// and sub-folders follow, ordered by weight (unweighted last) then title.
    pub fn from_folders(pages: &[NavPage]) -> Nav {
        #[derive(Default)]
        struct Folder {
            landing: Option<usize>,
            pages: Vec<usize>,
            subs: BTreeMap<String, Folder>,
        }
        let mut root = Folder::default();
        for (i, p) in pages.iter().enumerate() {
            let segs: Vec<&str> = p.url.split('/').filter(|s| !s.is_empty()).collect();
            let folder_segs = if p.landing {
                &segs[..]
            } else {
                &segs[..segs.len().saturating_sub(1)]
            };
            let mut f = &mut root;
            for s in folder_segs {
                f = f.subs.entry((*s).to_string()).or_default();
            }
            if p.landing {
                f.landing = Some(i);
            } else {
                f.pages.push(i);
            }
        }
        fn key(p: &NavPage) -> (i64, String) {
            (p.weight.unwrap_or(i64::MAX), p.title.to_lowercase())
        }
        fn build(f: &Folder, name: &str, pages: &[NavPage]) -> NavNode {
            let mut items: Vec<((i64, String), NavNode)> = Vec::new();
            for &i in &f.pages {
                if let Some(p) = pages.get(i) {
                    items.push((
                        key(p),
                        NavNode {
                            title: p.title.clone(),
                            page: Some(p.id.clone()),
                            ..NavNode::default()
                        },
                    ));
                }
            }
            for (n, sub) in &f.subs {
                let node = build(sub, n, pages);
                let k = sub
                    .landing
                    .and_then(|i| pages.get(i))
                    .map(key)
                    .unwrap_or((i64::MAX, node.title.to_lowercase()));
                items.push((k, node));
            }
            items.sort_by(|a, b| a.0.cmp(&b.0));
            let landing = f.landing.and_then(|i| pages.get(i));
            NavNode {
                title: landing
                    .map(|p| p.title.clone())
                    .unwrap_or_else(|| prettify(name)),
                page: landing.map(|p| p.id.clone()),
                url: None,
                expanded: false,
                children: items.into_iter().map(|(_, n)| n).collect(),
            }
        }
        let top = build(&root, "", pages);
        let home = root
            .landing
            .and_then(|i| pages.get(i))
            .map(|p| p.id.as_str());
        Nav::new(top.children, home)
    }

    /// Pages in reading order (home first when there is one).
    pub fn order(&self) -> &[String] {
        &self.order
    }

    /// Index path into `roots` of the page's first appearance in the tree.
    pub fn path_of(&self, page: &str) -> Option<&[usize]> {
        self.paths.get(page).map(Vec::as_slice)
    }

    pub fn contains(&self, page: &str) -> bool {
        self.paths.contains_key(page)
    }

    /// The sidebar for `current` (page id at URL folder `from`). `url_of` maps page ids to URLs.
    pub fn view(
        &self,
        current: &str,
        from: &str,
        url_of: &dyn Fn(&str) -> Option<String>,
    ) -> Vec<NavItemView> {
        let path = self.paths.get(current).cloned().unwrap_or_default();
        let home = Some(relative_href(from, ""));
        view_level(&self.roots, &path, 0, current, from, url_of, home)
    }

    /// [`Nav::view`] as a template value. Leaf pages of one folder see the same sidebar
    /// apart from which entry is current, so it is built and converted once per folder
    /// (in `cache`) and only the current entry is patched per page.
    pub fn view_value(
        &self,
        current: &str,
        from: &str,
        url_of: &dyn Fn(&str) -> Option<String>,
        cache: &Mutex<BTreeMap<(Vec<usize>, String), tera::Value>>,
    ) -> tera::Value {
        let path = self
            .paths
            .get(current)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let leaf = node_at(&self.roots, path).is_some_and(|n| n.children.is_empty());
        // A page URL is `folder/name/`; any other page of `folder` is as deep and shares
        // every link prefix, so "folder/\0/" stands for all of them.
        let folder = from
            .strip_suffix('/')
            .filter(|_| leaf && !from.is_empty())
            .map(|f| {
                f.rsplit_once('/')
                    .map_or(String::new(), |(d, _)| format!("{d}/"))
            });
        let Some(folder) = folder else {
            return tera::Value::from_serializable(&self.view(current, from, url_of));
        };
        let parent = path
            .split_last()
            .map(|(_, p)| p.to_vec())
            .unwrap_or_default();
        // Pages of one window of a long folder share a sidebar.
        let block = path.last().map_or(0, |i| i / WINDOW);
        let stand_in = format!("{folder}\u{0}/");
        let key = (parent, format!("{folder}\u{0}{block}"));
        let cached = cache.lock().ok().and_then(|m| m.get(&key).cloned());
        let shared = match cached {
            Some(v) => v,
            None => {
                let home = Some(relative_href(&stand_in, ""));
                let items = view_level(&self.roots, path, 0, "\u{0}", &stand_in, url_of, home);
                let v = tera::Value::from_serializable(&items);
                if let Ok(mut m) = cache.lock() {
                    m.insert(key, v.clone());
                }
                v
            }
        };
        if path.is_empty() {
            shared
        } else {
            mark_current(&shared, &shown_path(&self.roots, path))
        }
    }

    pub fn breadcrumbs(
        &self,
        current: &str,
        from: &str,
        home: Option<(&str, &str)>,
        url_of: &dyn Fn(&str) -> Option<String>,
    ) -> Vec<LinkView> {
        let mut out = Vec::new();
        if let Some((title, url)) = home {
            out.push(LinkView {
                title: title.to_string(),
                href: Some(relative_href(from, url)),
            });
        }
        let Some(path) = self.paths.get(current) else {
            return out;
        };
        let mut level = &self.roots;
        for (depth, &i) in path.iter().enumerate() {
            let Some(node) = level.get(i) else { break };
            if depth + 1 == path.len() {
                break;
            }
            if node.page.as_deref() != Some(current) {
                out.push(LinkView {
                    title: node.title.clone(),
                    href: href_of(node, from, url_of),
                });
            }
            level = &node.children;
        }
        out
    }

    /// Previous and next pages in reading order.
    pub fn neighbours(&self, current: &str) -> (Option<&str>, Option<&str>) {
        match self.position.get(current).copied() {
            Some(i) => (
                i.checked_sub(1)
                    .and_then(|j| self.order.get(j))
                    .map(String::as_str),
                self.order.get(i + 1).map(String::as_str),
            ),
            None => (None, None),
        }
    }
}

fn index(
    nodes: &[NavNode],
    stack: &mut Vec<usize>,
    paths: &mut BTreeMap<String, Vec<usize>>,
    order: &mut Vec<String>,
    home: Option<&str>,
) {
    for (i, n) in nodes.iter().enumerate() {
        stack.push(i);
        if let Some(p) = &n.page {
            if !paths.contains_key(p) {
                paths.insert(p.clone(), stack.clone());
                // The home page already leads the reading order.
                if home != Some(p.as_str()) {
                    order.push(p.clone());
                }
            }
        }
        index(&n.children, stack, paths, order, home);
        stack.pop();
    }
}

fn href_of(node: &NavNode, from: &str, url_of: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    match (&node.page, &node.url) {
        (Some(p), _) => url_of(p).map(|u| relative_href(from, &u)),
        (None, Some(u)) => Some(u.clone()),
        (None, None) => None,
    }
}

fn node_at<'a>(nodes: &'a [NavNode], path: &[usize]) -> Option<&'a NavNode> {
    let (&first, rest) = path.split_first()?;
    let node = nodes.get(first)?;
    if rest.is_empty() {
        Some(node)
    } else {
        node_at(&node.children, rest)
    }
}

/// A copy of the sidebar value with the entry at `path` current, linking to itself as
/// `./`. Only the maps and lists on the way to it are copied; the rest is shared.
fn mark_current(items: &tera::Value, path: &[usize]) -> tera::Value {
    let (Some((&i, rest)), Some(list)) = (path.split_first(), items.as_array()) else {
        return items.clone();
    };
    let mut list = list.to_vec();
    if let Some(item) = list.get_mut(i) {
        if let Some(map) = item.as_map() {
            let mut map = map.clone();
            if rest.is_empty() {
                map.insert("current".into(), true.into());
                map.insert("href".into(), "./".into());
            } else if let Some(children) = map.get(&tera::value::Key::from("children")) {
                let patched = mark_current(children, rest);
                map.insert("children".into(), patched);
            }
            *item = tera::Value::from(map);
        }
    }
    tera::Value::from(list)
}

/// A folder level longer than this is shown as a window of [`WINDOW`] entries around the
/// current page, with "N earlier" / "N more" entries linking to the folder's landing page
/// (which lists every page), so each page's sidebar stays small however big the folder.
const LONGEST_LEVEL: usize = 100;
const WINDOW: usize = 50;

/// The entries of a level of `len` shown when entry `on_path` (if any) is on the way to the
/// current page: all, or the window holding it.
pub(super) fn window(len: usize, on_path: Option<usize>) -> (usize, usize) {
    if len <= LONGEST_LEVEL {
        return (0, len);
    }
    let start = on_path.map_or(0, |i| i / WINDOW * WINDOW);
    (start, (start + WINDOW).min(len))
}

/// `path` (indices into the tree) as indices into the shown, windowed levels.
fn shown_path(nodes: &[NavNode], path: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(path.len());
    let mut level = nodes;
    for &i in path {
        let (start, _) = window(level.len(), Some(i));
        out.push(i - start + usize::from(start > 0));
        match level.get(i) {
            Some(n) => level = &n.children,
            None => break,
        }
    }
    out
}

fn more_entry(title: String, href: Option<String>) -> NavItemView {
    NavItemView {
        title,
        href,
        current: false,
        open: false,
        external: false,
        has_children: false,
        children: Vec::new(),
    }
}

/// One level of the sidebar; `folder_href` links to the landing page of the folder these
/// entries are in (used by the entries that stand for the pages outside the window).
fn view_level(
    nodes: &[NavNode],
    path: &[usize],
    depth: usize,
    current: &str,
    from: &str,
    url_of: &dyn Fn(&str) -> Option<String>,
    folder_href: Option<String>,
) -> Vec<NavItemView> {
    let (start, end) = window(nodes.len(), path.get(depth).copied());
    let mut items = Vec::with_capacity(end - start + 2);
    if start > 0 {
        items.push(more_entry(
            format!("{start} earlier pages"),
            folder_href.clone(),
        ));
    }
    for (i, n) in nodes.iter().enumerate().take(end).skip(start) {
        let on_path = path.get(depth) == Some(&i);
        let is_current = on_path && depth + 1 == path.len() && n.page.as_deref() == Some(current);
        let open = (on_path && !n.children.is_empty()) || n.expanded;
        let href = href_of(n, from, url_of);
        let children = if open {
            let sub = if on_path { path } else { &[] };
            view_level(
                &n.children,
                sub,
                depth + 1,
                current,
                from,
                url_of,
                href.clone(),
            )
        } else {
            Vec::new()
        };
        items.push(NavItemView {
            title: n.title.clone(),
            href,
            current: is_current,
            open,
            external: n.page.is_none() && n.url.as_deref().is_some_and(|u| u.contains("://")),
            has_children: !n.children.is_empty(),
            children,
        });
    }
    if end < nodes.len() {
        items.push(more_entry(
            format!("{} more pages", nodes.len() - end),
            folder_href,
        ));
    }
    items
}

/// `getting-started` -> `Getting started`.
pub fn prettify(name: &str) -> String {
    let s = name.replace(['-', '_'], " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> Vec<NavPage> {
        let p = |id: &str, url: &str, title: &str, w: Option<i64>, landing: bool| NavPage {
            id: id.into(),
            url: url.into(),
            title: title.into(),
            weight: w,
            landing,
        };
        vec![
            p("index.md", "", "Home", None, true),
            p("b.md", "b/", "Bravo", Some(2), false),
            p("a.md", "a/", "Alpha", None, false),
            p("guide/_index.md", "guide/", "Guide", Some(1), true),
            p("guide/x.md", "guide/x/", "X", None, false),
            p("guide/deep/y.md", "guide/deep/y/", "Y", None, false),
        ]
    }

    #[test]
    fn folder_tree_orders_by_weight_then_title() {
        let nav = Nav::from_folders(&pages());
        let titles: Vec<_> = nav.roots.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(titles, ["Guide", "Bravo", "Alpha"]);
        assert_eq!(
            nav.order(),
            [
                "index.md",
                "guide/_index.md",
                "guide/deep/y.md",
                "guide/x.md",
                "b.md",
                "a.md"
            ]
        );
        assert_eq!(
            nav.neighbours("guide/deep/y.md"),
            (Some("guide/_index.md"), Some("guide/x.md"))
        );
    }

    #[test]
    fn shared_sidebar_values_equal_the_per_page_views() {
        let ps = pages();
        let nav = Nav::from_folders(&ps);
        let url_of = |id: &str| ps.iter().find(|p| p.id == id).map(|p| p.url.clone());
        let cache = Mutex::new(BTreeMap::new());
        for _ in 0..2 {
            for p in &ps {
                let direct = tera::Value::from_serializable(&nav.view(&p.id, &p.url, &url_of));
                let shared = nav.view_value(&p.id, &p.url, &url_of, &cache);
                assert_eq!(shared, direct, "{}", p.id);
            }
        }
        // Leaf pages of one folder share one entry.
        let leaves = ps
            .iter()
            .filter(|p| p.url.matches('/').count() >= 1)
            .count();
        let entries = cache.lock().unwrap().len();
        assert!(entries < leaves, "{entries} entries for {leaves} pages");
    }

    #[test]
    fn view_is_pruned_to_the_current_branch() {
        let ps = pages();
        let nav = Nav::from_folders(&ps);
        let url_of = |id: &str| ps.iter().find(|p| p.id == id).map(|p| p.url.clone());
        let v = nav.view("guide/deep/y.md", "guide/deep/y/", &url_of);
        assert!(v[0].open);
        let deep = &v[0].children[0];
        assert_eq!(deep.title, "Deep");
        assert!(deep.children[0].current);
        assert_eq!(deep.children[0].href.as_deref(), Some("./"));
        let v2 = nav.view("a.md", "a/", &url_of);
        assert!(!v2[0].open && v2[0].children.is_empty() && v2[0].has_children);
        let crumbs = nav.breadcrumbs(
            "guide/deep/y.md",
            "guide/deep/y/",
            Some(("Home", "")),
            &url_of,
        );
        let t: Vec<_> = crumbs.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(t, ["Home", "Guide", "Deep"]);
        assert_eq!(crumbs[1].href.as_deref(), Some("../../"));
        assert_eq!(crumbs[2].href, None);
    }

    #[test]
    fn long_folders_show_a_window_with_links_to_the_landing_page() {
        let mut ps = vec![NavPage {
            id: "big/index.md".into(),
            url: "big/".into(),
            title: "Big".into(),
            weight: None,
            landing: true,
        }];
        for i in 0..250 {
            ps.push(NavPage {
                id: format!("big/p{i:03}.md"),
                url: format!("big/p{i:03}/"),
                title: format!("P{i:03}"),
                weight: None,
                landing: false,
            });
        }
        let nav = Nav::from_folders(&ps);
        let url_of = |id: &str| ps.iter().find(|p| p.id == id).map(|p| p.url.clone());
        let cache = Mutex::new(BTreeMap::new());
        for p in &ps {
            let direct = nav.view(&p.id, &p.url, &url_of);
            let shared = nav.view_value(&p.id, &p.url, &url_of, &cache);
            assert_eq!(shared, tera::Value::from_serializable(&direct), "{}", p.id);
        }
        let view = nav.view("big/p120.md", "big/p120/", &url_of);
        let folder = &view[0].children;
        assert_eq!(folder.len(), WINDOW + 2);
        assert_eq!(folder[0].title, "100 earlier pages");
        assert_eq!(folder[0].href.as_deref(), Some("../"));
        assert_eq!(folder[WINDOW + 1].title, "100 more pages");
        let current: Vec<_> = folder.iter().filter(|i| i.current).collect();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].title, "P120");
        // One cached sidebar per window, not per page.
        assert!(cache.lock().unwrap().len() <= 6);
    }
}
