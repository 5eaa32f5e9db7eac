//! Comparison data inside a site: loads every comparison file, derives access, lays out
//! each diagram once, renders the directives pages ask for, and produces the diagram
//! files (standalone SVG, PNG at 1x and 2x, and the PNG written at each path an `image`
//! binding names).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use crate::compare::{self, access::AccessMatrix, model::Comparison};
use crate::diagram::{
    self, DiagramOptions, PendingFiles, Show, Sketch, MAX_PNG_PIXELS, PNG_SCALES,
};
use crate::directives::Directive;
use crate::error::Diagnostic;
use crate::escape;
use crate::load::{self, Kind, SourceFile};
use crate::output::OutputFile;
use crate::resolve::links::{normalize, relative_href};

/// A diagram laid out (or why it cannot be), shared by every place that shows it.
type Shared = Arc<Result<Sketch, String>>;
/// Where one diagram's layout is made, once.
type Slot = Arc<OnceLock<Shared>>;

/// Where a page shows a diagram: the page as shown to users, line and column.
type At = (String, usize, usize);

pub struct Data {
    /// Content-relative path -> comparison and its access matrix.
    pub comparisons: BTreeMap<String, (Comparison, AccessMatrix)>,
    /// Content-relative image path -> (comparison path, show).
    pub bound_images: BTreeMap<String, (String, String)>,
    /// (comparison path, show) -> the diagram laid out, made the first time a page or a
    /// file needs it and reused by the inline figure and the standalone files.
    sketches: Mutex<BTreeMap<(String, String), Slot>>,
    /// (comparison path, show) of every diagram a page shows, with the first directive
    /// (in path order) that shows it; only these and the bound images are drawn as files.
    used: Mutex<BTreeMap<(String, String), Option<At>>>,
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
        used: Mutex::new(BTreeMap::new()),
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
        let kept: Vec<((String, String), Option<At>)> = (old.used.lock().map(|u| u.clone()))
            .unwrap_or_default()
            .into_iter()
            .filter(|((rel, _), _)| !changed.contains(rel))
            .collect();
        if let Ok(mut used) = self.used.lock() {
            used.extend(kept);
        }
    }

    /// Every diagram a build writes as files, for each diagram a page showed or an image
    /// binding names. Too-wide ones are errors instead.
    fn diagrams(&self) -> (Vec<Job>, Vec<Diagnostic>) {
        let mut wanted = self.used.lock().map(|u| u.clone()).unwrap_or_default();
        for key in self.bound_images.values() {
            wanted.entry(key.clone()).or_insert(None);
        }
        let (mut jobs, mut diags) = (Vec::new(), Vec::new());
        for ((rel, show), page) in wanted {
            let Some((cmp, _)) = self.comparisons.get(&rel) else {
                continue;
            };
            if let Some(msg) = too_wide(cmp, &show) {
                diags.push(Diagnostic::error(&cmp.path, 0, 0, "diagram", msg));
                continue;
            }
            // Messages about the files point at the page that shows the diagram, else at
            // the image binding that names it, else at the data file.
            let binding = cmp.images.iter().find(|i| i.show == show);
            let at = page.unwrap_or_else(|| match binding {
                Some(i) => (cmp.path.clone(), i.pos.line, i.pos.col),
                None => (cmp.path.clone(), 0, 0),
            });
            let base = diagram_base(&rel, cmp, &show);
            jobs.push(Job {
                rel,
                show,
                base,
                at,
            });
        }
        (jobs, diags)
    }

    /// Lays out and writes one diagram job, keeping PNGs of an earlier build that
    /// `previous` hands back for it (see [`Sketch::pending_files`]); its PNGs are drawn
    /// later, with every other diagram's ([`diagram::files_of_all`]).
    fn prepare(
        &self,
        job: &Job,
        previous: &(dyn Fn(&str) -> Option<Vec<u8>> + Sync),
    ) -> Result<(Prepared, PendingFiles), Diagnostic> {
        let Job {
            rel,
            show,
            base,
            at,
        } = job;
        let fail = |e: String| Diagnostic::error(rel, 0, 0, "diagram", e);
        let (cmp, access) =
            (self.comparisons.get(rel)).ok_or_else(|| fail("comparison vanished".into()))?;
        let opts = DiagramOptions {
            id_prefix: format!("td-{}-{}", slug(&cmp.id), slug(show)),
            title: None,
        };
        let earlier = |scale: f32| previous(&png_name(base, scale));
        let shared = self.sketch(rel, cmp, access, show);
        let sketch = match shared.as_ref() {
            Ok(sketch) => sketch,
            Err(e) => return Err(fail(e.clone())),
        };
        let head = Prepared {
            key: (rel.clone(), show.clone()),
            base: base.clone(),
            warning: too_large_warning(sketch, cmp, show, at),
        };
        Ok((head, sketch.pending_files(&opts, &earlier)))
    }

    /// Records that a page shows `show` of the comparison at `rel`, at `at` when known.
    fn mark_used(&self, rel: &str, show: &str, at: Option<At>) {
        if let Ok(mut used) = self.used.lock() {
            let entry = used
                .entry((rel.to_string(), show.to_string()))
                .or_insert(None);
            // The smallest location, so parallel rendering cannot change which is named.
            if let Some(at) = at {
                if entry.as_ref().is_none_or(|e| at < *e) {
                    *entry = Some(at);
                }
            }
        }
    }

    /// The layout of `show` from the comparison at `rel`, made exactly once (pages that
    /// show the same diagram at the same time wait for the first to lay it out) and then
    /// shared.
    fn sketch(&self, rel: &str, cmp: &Comparison, access: &AccessMatrix, show: &str) -> Shared {
        let key = (rel.to_string(), show.to_string());
        let cell = match self.sketches.lock() {
            Ok(mut m) => m.entry(key).or_default().clone(),
            Err(_) => Arc::default(),
        };
        cell.get_or_init(|| Arc::new(Sketch::new(cmp, access, show_of(show))))
            .clone()
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
            let html = self.figure(&d.source, cmp, access, show, title, page_url, n)?;
            self.mark_used(&d.source, show, Some((display.to_string(), d.line, d.col)));
            Ok(html)
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
        let shared = self.sketch(rel, cmp, access, show);
        let sketch = match shared.as_ref() {
            Ok(sketch) => sketch,
            Err(e) => return Err(e.clone()),
        };
        let dia = sketch.render(&opts);
        self.mark_used(rel, show, None);
        let base = diagram_base(rel, cmp, show);
        // Links to the files, leaving out PNGs too large to be drawn.
        let mut links = vec![(format!("{base}.svg"), "SVG")];
        for (scale, label) in PNG_SCALES.into_iter().zip(["PNG", "PNG 2x"]) {
            if sketch.png_fits(scale).0 {
                links.push((png_name(&base, scale), label));
            }
        }
        let links: Vec<String> = links
            .iter()
            .map(|(file, label)| {
                let href = relative_href(page_url, file);
                format!("<a href=\"{}\">{label}</a>", escape::html(&href))
            })
            .collect();
        Ok(format!(
            "<figure class=\"td-diagram-figure\">\n<div class=\"td-diagram-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{} (diagram)\">\n{}\n</div>\n<details class=\"td-diagram-text\"><summary>Text description</summary>\n{}</details>\n<figcaption>{} <span class=\"td-diagram-files\">({})</span></figcaption>\n</figure>\n",
            escape::html(&dia.title),
            dia.svg_inline,
            dia.text_equivalent_html,
            escape::html(&dia.title),
            links.join(", ")
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
        let prepared: Vec<Result<(Prepared, PendingFiles), Diagnostic>> = jobs
            .par_iter()
            .map(|job| self.prepare(job, previous))
            .collect();
        let (mut ready, mut pending) = (Vec::new(), Vec::new());
        for p in prepared {
            match p {
                Ok((head, p)) => {
                    ready.push(head);
                    pending.push(p);
                }
                Err(d) => diags.push(d),
            }
        }
        let mut files = Vec::new();
        let mut pngs: BTreeMap<(String, String), Vec<u8>> = BTreeMap::new();
        for (d, made) in ready.into_iter().zip(diagram::files_of_all(pending)) {
            let made = match made {
                Ok(made) => made,
                Err(e) => {
                    diags.push(Diagnostic::error(&d.key.0, 0, 0, "diagram", e));
                    continue;
                }
            };
            files.push(OutputFile::new(format!("{}.svg", d.base), made.svg));
            if let Some(png) = &made.png1 {
                files.push(OutputFile::new(png_name(&d.base, 1.0), png.clone()));
            }
            if let Some(png) = made.png2 {
                files.push(OutputFile::new(png_name(&d.base, 2.0), png));
            }
            if let Some(png) = made.png1 {
                pngs.insert(d.key, png);
            }
            diags.extend(d.warning);
        }
        for (img, key) in &self.bound_images {
            if let Some(png) = pngs.get(key) {
                files.push(OutputFile::new(img.clone(), png.clone()));
            }
        }
        (files, diags)
    }
}

/// What the files of one diagram are written under: its key (comparison file, what it
/// shows), the file name without extension, and a warning about left-out PNGs.
struct Prepared {
    key: (String, String),
    base: String,
    warning: Option<Diagnostic>,
}

/// One diagram to write as files: its comparison, what it shows, the file name without
/// extension, and where messages about it point.
struct Job {
    rel: String,
    show: String,
    base: String,
    at: At,
}

/// A warning at `at` when PNG copies of the diagram are left out for their size.
fn too_large_warning(sketch: &Sketch, cmp: &Comparison, show: &str, at: &At) -> Option<Diagnostic> {
    let over: Vec<String> = PNG_SCALES
        .iter()
        .filter_map(|&scale| {
            let (fits, (w, h)) = sketch.png_fits(scale);
            (!fits).then(|| format!("{scale}x: {w}x{h} pixels"))
        })
        .collect();
    if over.is_empty() {
        return None;
    }
    Some(Diagnostic::warning(
        &at.0,
        at.1,
        at.2,
        "diagram",
        format!(
            "the diagram `{}-{show}` of {} is too large for a PNG copy ({}; the limit is {} \
             megapixels); {} left out and the SVG, which scales to any size, is kept",
            cmp.id,
            cmp.path,
            over.join(", "),
            MAX_PNG_PIXELS / 1_000_000,
            if over.len() == 1 {
                "that PNG is"
            } else {
                "both PNGs are"
            }
        ),
    ))
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
