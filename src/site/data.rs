//! Comparison data inside a site: loads every comparison file, derives access, renders the
//! directives pages ask for, and produces the diagram files (standalone SVG, PNG at 1x and
//! 2x, and the PNG written at each path an `image` binding names).

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::compare::{self, access::AccessMatrix, model::Comparison};
use crate::diagram::{self, DiagramOptions, Show};
use crate::directives::{tables, Directive};
use crate::error::Diagnostic;
use crate::load::{self, Kind, SourceFile};
use crate::output::OutputFile;
use crate::resolve::links::{encode_path, normalize, relative_href};

pub struct Data {
    /// Content-relative path -> comparison and its access matrix.
    pub comparisons: BTreeMap<String, (Comparison, AccessMatrix)>,
    /// Content-relative image path -> (comparison path, show).
    pub bound_images: BTreeMap<String, (String, String)>,
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
                d.name, d.source
            ))
        })?;
        match d.name.as_str() {
            "trust-boundary" => {
                let show = d.model.as_deref().unwrap_or("all");
                self.figure(&d.source, cmp, access, show, d.title.clone(), page_url, n)
                    .map_err(err)
            }
            "access-matrix" => Ok(tables::access_matrix(cmp, access)),
            "decision-table" | "decision-guide" => {
                let dec = cmp
                    .decision
                    .as_ref()
                    .ok_or_else(|| err(format!("{} has no [decision] table", d.source)))?;
                Ok(if d.name == "decision-table" {
                    tables::decision_table(cmp, dec)
                } else {
                    tables::decision_guide(cmp, dec)
                })
            }
            "guidance-matrix" => Ok(tables::guidance_matrix(cmp)),
            other => Err(err(format!("unknown directive `{other}`"))),
        }
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
        let dia = diagram::render(cmp, access, show_of(show), &opts)?;
        let base = diagram_base(rel, cmp, show);
        let svg = relative_href(page_url, &encode_path(&format!("{base}.svg")));
        let png = relative_href(page_url, &encode_path(&png_name(&base, 1.0)));
        let png2 = relative_href(page_url, &encode_path(&png_name(&base, 2.0)));
        Ok(format!(
            "<figure class=\"td-diagram-figure\">\n<div class=\"td-diagram-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{} (diagram)\">\n{}\n</div>\n<details class=\"td-diagram-text\"><summary>Text description</summary>\n{}</details>\n<figcaption>{} <span class=\"td-diagram-files\">(<a href=\"{}\">SVG</a>, <a href=\"{}\">PNG</a>, <a href=\"{}\">PNG 2x</a>)</span></figcaption>\n</figure>\n",
            tables::esc(&dia.title),
            dia.svg_inline,
            dia.text_equivalent_html,
            tables::esc(&dia.title),
            tables::esc(&svg),
            tables::esc(&png),
            tables::esc(&png2)
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

    /// Every diagram file: for each comparison, all models and each model (SVG, PNG, PNG 2x),
    /// and a PNG at every bound image path.
    /// PNGs already in `previous` (the last build's output folder) are kept when they
    /// record the same SVG source, so a rebuild only draws diagrams that changed.
    pub fn files(&self, previous: Option<&Path>) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        let mut jobs: Vec<(String, String, String)> = Vec::new();
        for (rel, (cmp, _)) in &self.comparisons {
            jobs.push((rel.clone(), "all".into(), diagram_base(rel, cmp, "all")));
            for m in &cmp.models {
                jobs.push((rel.clone(), m.id.clone(), diagram_base(rel, cmp, &m.id)));
            }
        }
        let cache = diagram::RasterCache::default();
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
                let earlier = |scale: f32| read_previous(previous?, &png_name(base, scale));
                let files =
                    diagram::render_files(cmp, access, show_of(show), &opts, &earlier, &cache)
                        .map_err(fail)?;
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
        let mut diags = Vec::new();
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

/// A regular file (not a symbolic link) of the previous output, at most 64 MB.
fn read_previous(dir: &Path, rel: &str) -> Option<Vec<u8>> {
    let path = dir.join(rel);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 64 << 20 {
        return None;
    }
    std::fs::read(path).ok()
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
