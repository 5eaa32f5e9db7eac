//! Comparison data inside a site: loads every comparison file, derives access, lays out
//! each diagram once, renders the directives pages ask for, and produces the diagram
//! files (standalone SVG, PNG at 1x and 2x, and the PNG written at each path an `image`
//! binding names).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::compare::{self, access::AccessMatrix, model::Comparison};
use crate::diagram::{DiagramOptions, Show, Sketch};
use crate::directives::Directive;
use crate::error::Diagnostic;
use crate::escape;
use crate::load::{self, Kind, SourceFile};
use crate::output::OutputFile;
use crate::resolve::links::{normalize, relative_href};

/// A diagram laid out (or why it cannot be), shared by every place that shows it.
type Shared = Arc<Result<Sketch, String>>;

pub struct Data {
    /// Content-relative path -> comparison and its access matrix.
    pub comparisons: BTreeMap<String, (Comparison, AccessMatrix)>,
    /// Content-relative image path -> (comparison path, show).
    pub bound_images: BTreeMap<String, (String, String)>,
    /// (comparison path, show) -> the diagram laid out, made the first time a page or a
    /// file needs it and reused by the inline figure and the standalone files.
    sketches: Mutex<BTreeMap<(String, String), Shared>>,
    /// (comparison path, show) of every diagram a page shows; only these and the bound
    /// images are drawn as files.
    used: Mutex<BTreeSet<(String, String)>>,
}

/// A side-by-side diagram of more models than this is refused: each model is a column, and
/// a few hundred make a picture hundreds of thousands of pixels wide.
pub const MAX_SIDE_BY_SIDE: usize = 24;

/// Why the diagram `show` of `cmp` is not drawn, if it is not.
fn too_wide(cmp: &Comparison, show: &str) -> Option<String> {
    (show == "all" && cmp.models.len() > MAX_SIDE_BY_SIDE).then(|| {
        format!(
            "the side-by-side diagram of {} would have {} model columns, more than the {} \
             that stay readable; show one model per diagram instead (model=\"ID\")",
            cmp.id,
            cmp.models.len(),
            MAX_SIDE_BY_SIDE
        )
    })
}

/// Loads every data file that declares the comparison schema.
pub fn load(files: &[SourceFile]) -> (Data, Vec<Diagnostic>) {
    let results: Vec<(String, Option<Comparison>, Vec<Diagnostic>)> = files
        .par_iter()
        .filter(|f| f.kind == Kind::Data)
        .filter_map(|f| {
            let text = match load::text(f) {
                Ok(t) => t,
                Err(_) => return None,
            };
            let format = compare::sniff(&f.rel, text)?;
            let (cmp, diags) = compare::check(&f.display, text, format);
            Some((f.rel.clone(), cmp, diags))
        })
        .collect();
    let mut data = Data {
        comparisons: BTreeMap::new(),
        bound_images: BTreeMap::new(),
        sketches: Mutex::new(BTreeMap::new()),
        used: Mutex::new(BTreeSet::new()),
    };
    let mut diags = Vec::new();
    for (rel, cmp, d) in results {
        diags.extend(d);
        let Some(cmp) = cmp else { continue };
        let dir = rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for img in &cmp.images {
            let joined = if dir.is_empty() {
                img.path.clone()
            } else {
                format!("{dir}/{}", img.path)
            };
            match normalize(&joined.replace('\\', "/")) {
                Some(p) if !p.is_empty() && !img.path.starts_with('/') => {
                    data.bound_images.insert(p, (rel.clone(), img.show.clone()));
                }
                _ => diags.push(Diagnostic::error(
                    &cmp.path,
                    img.pos.line,
                    img.pos.col,
                    "image-binding",
                    format!("image path `{}` leaves the site root; refused", img.path),
                )),
            }
        }
        let access = compare::access::derive(&cmp);
        data.comparisons.insert(rel, (cmp, access));
    }
    (data, diags)
}

fn show_of(s: &str) -> Show<'_> {
    if s == "all" {
        Show::All
    } else {
        Show::Model(s)
    }
}

/// Where a comparison's diagram files go: beside the comparison file.
fn diagram_base(rel: &str, cmp: &Comparison, show: &str) -> String {
    let dir = rel
        .rsplit_once('/')
        .map(|(d, _)| format!("{d}/"))
        .unwrap_or_default();
    format!("{dir}diagrams/{}-{}", cmp.id, show)
}

impl Data {
    /// Takes over from `old` the diagrams pages showed of comparisons not in `changed`:
    /// for a rebuild that re-renders only the pages showing a changed comparison.
    pub fn keep_used(&self, old: &Data, changed: &BTreeSet<String>) {
        let kept: Vec<(String, String)> = (old.used.lock().map(|u| u.clone()))
            .unwrap_or_default()
            .into_iter()
            .filter(|(rel, _)| !changed.contains(rel))
            .collect();
        if let Ok(mut used) = self.used.lock() {
            used.extend(kept);
        }
    }

    /// Every diagram a build writes as files: (comparison path, show, file base), for each
    /// diagram a page showed or an image binding names. Too-wide ones are errors instead.
    fn diagrams(&self) -> (Vec<(String, String, String)>, Vec<Diagnostic>) {
        let mut wanted = self.used.lock().map(|u| u.clone()).unwrap_or_default();
        wanted.extend(self.bound_images.values().cloned());
        let (mut jobs, mut diags) = (Vec::new(), Vec::new());
        for (rel, show) in wanted {
            let Some((cmp, _)) = self.comparisons.get(&rel) else {
                continue;
            };
            if let Some(msg) = too_wide(cmp, &show) {
                diags.push(Diagnostic::error(&cmp.path, 0, 0, "diagram", msg));
                continue;
            }
            let base = diagram_base(&rel, cmp, &show);
            jobs.push((rel, show, base));
        }
        (jobs, diags)
    }

    /// The layout of `show` from the comparison at `rel`, made once and then shared.
    fn sketch(&self, rel: &str, cmp: &Comparison, access: &AccessMatrix, show: &str) -> Shared {
        let key = (rel.to_string(), show.to_string());
        if let Some(s) = self.sketches.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return s;
        }
        let made = Arc::new(Sketch::new(cmp, access, show_of(show)));
        match self.sketches.lock() {
            Ok(mut m) => m.entry(key).or_insert(made).clone(),
            Err(_) => made,
        }
    }

    /// Renders one directive for the page at URL folder `page_url`; `n` makes ids unique.
    pub fn directive(
        &self,
        d: &Directive,
        display: &str,
        page_url: &str,
        n: usize,
    ) -> Result<String, Diagnostic> {
        let err = |msg: String| Diagnostic::error(display, d.line, d.col, "directive", msg);
        let (cmp, access) = self.comparisons.get(&d.source).ok_or_else(|| {
            err(format!(
                "`{}` is not a comparison file in this site (looked for {})",
                d.kind.name(),
                d.source
            ))
        })?;
        let figure = |show: &str, title: Option<String>| {
            self.figure(&d.source, cmp, access, show, title, page_url, n)
        };
        d.kind.render(d, cmp, access, &figure).map_err(err)
    }

    /// The inline diagram figure: SVG, its text equivalent, and a caption with file links.
    #[allow(clippy::too_many_arguments)]
    pub fn figure(
        &self,
        rel: &str,
        cmp: &Comparison,
        access: &AccessMatrix,
        show: &str,
        title: Option<String>,
        page_url: &str,
        n: usize,
    ) -> Result<String, String> {
        let opts = DiagramOptions {
            id_prefix: format!("td-{}-{}-{n}", slug(&cmp.id), slug(show)),
            title,
        };
        if let Some(msg) = too_wide(cmp, show) {
            return Err(msg);
        }
        let dia = match self.sketch(rel, cmp, access, show).as_ref() {
            Ok(sketch) => sketch.render(&opts),
            Err(e) => return Err(e.clone()),
        };
        if let Ok(mut used) = self.used.lock() {
            used.insert((rel.to_string(), show.to_string()));
        }
        let base = diagram_base(rel, cmp, show);
        let svg = relative_href(page_url, &format!("{base}.svg"));
        let png = relative_href(page_url, &png_name(&base, 1.0));
        let png2 = relative_href(page_url, &png_name(&base, 2.0));
        Ok(format!(
            "<figure class=\"td-diagram-figure\">\n<div class=\"td-diagram-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{} (diagram)\">\n{}\n</div>\n<details class=\"td-diagram-text\"><summary>Text description</summary>\n{}</details>\n<figcaption>{} <span class=\"td-diagram-files\">(<a href=\"{}\">SVG</a>, <a href=\"{}\">PNG</a>, <a href=\"{}\">PNG 2x</a>)</span></figcaption>\n</figure>\n",
            escape::html(&dia.title),
            dia.svg_inline,
            dia.text_equivalent_html,
            escape::html(&dia.title),
            escape::html(&svg),
            escape::html(&png),
            escape::html(&png2)
        ))
    }

    /// The figure that replaces a bound image; the alt text becomes the diagram's title.
    pub fn bound_figure(
        &self,
        image_rel: &str,
        alt: &str,
        page_url: &str,
        n: usize,
    ) -> Option<String> {
        let (rel, show) = self.bound_images.get(image_rel)?;
        let (cmp, access) = self.comparisons.get(rel)?;
        let title = (!alt.trim().is_empty()).then(|| alt.trim().to_string());
        self.figure(rel, cmp, access, show, title, page_url, n).ok()
    }

    /// The diagram files of every diagram a page shows or an image binding names (SVG, PNG,
    /// PNG 2x), and a PNG at every bound image path.
    /// `previous` gives the bytes the last build wrote at an output path, if any; PNGs
    /// that record the same SVG source are kept, so a rebuild only draws diagrams that
    /// changed.
    pub fn files(
        &self,
        previous: &(dyn Fn(&str) -> Option<Vec<u8>> + Sync),
    ) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        let (jobs, mut diags) = self.diagrams();
        let rendered: Vec<Result<DiagramFiles, Diagnostic>> = jobs
            .par_iter()
            .map(|(rel, show, base)| {
                let fail = |e: String| Diagnostic::error(rel, 0, 0, "diagram", e);
                let (cmp, access) = self
                    .comparisons
                    .get(rel)
                    .ok_or_else(|| fail("comparison vanished".into()))?;
                let opts = DiagramOptions {
                    id_prefix: format!("td-{}-{}", slug(&cmp.id), slug(show)),
                    title: None,
                };
                let earlier = |scale: f32| previous(&png_name(base, scale));
                let files = match self.sketch(rel, cmp, access, show).as_ref() {
                    Ok(sketch) => sketch.files(&opts, &earlier).map_err(fail)?,
                    Err(e) => return Err(fail(e.clone())),
                };
                Ok(DiagramFiles {
                    key: (rel.clone(), show.clone()),
                    base: base.clone(),
                    png1: files.png1,
                    png2: files.png2,
                    svg: files.svg.into_bytes(),
                })
            })
            .collect();
        let mut files = Vec::new();
        let mut pngs: BTreeMap<(String, String), Vec<u8>> = BTreeMap::new();
        for r in rendered {
            match r {
                Ok(d) => {
                    files.push(OutputFile::new(format!("{}.svg", d.base), d.svg));
                    files.push(OutputFile::new(png_name(&d.base, 1.0), d.png1.clone()));
                    files.push(OutputFile::new(png_name(&d.base, 2.0), d.png2));
                    pngs.insert(d.key, d.png1);
                }
                Err(d) => diags.push(d),
            }
        }
        for (img, key) in &self.bound_images {
            if let Some(png) = pngs.get(key) {
                files.push(OutputFile::new(img.clone(), png.clone()));
            }
        }
        (files, diags)
    }
}

struct DiagramFiles {
    key: (String, String),
    base: String,
    svg: Vec<u8>,
    png1: Vec<u8>,
    png2: Vec<u8>,
}

/// The PNG file of a diagram at `scale`: `base.png`, `base@2x.png`.
fn png_name(base: &str, scale: f32) -> String {
    if scale == 1.0 {
        format!("{base}.png")
    } else {
        format!("{base}@{scale}x.png")
    }
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}
