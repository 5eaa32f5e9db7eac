//! Trust-boundary diagrams drawn from comparison data: one model's stack or all models
//! side by side, as inline SVG (themable, with title, description and an HTML text
//! equivalent), as a standalone SVG file and as PNG at 1x and 2x.
//!
//! A diagram is laid out once ([`Sketch`]) and written from that layout wherever it
//! appears: inline on any number of pages, each with its own id prefix, and as files.
//! Layout follows fixed rules (see `layout`) and text is measured with the bundled
//! DejaVu Sans, so labels always fit and the output is byte-identical everywhere; resvg
//! draws the PNGs (`bitmap`).
//!
//! The files run one way: `font`, `palette` and `geom` at the bottom, `facts` (what the
//! data says), then `cells` and `legend`, then `layout`, then `svg` and `text`, then
//! this file and `bitmap`.

mod bitmap;
mod cells;
mod facts;
mod font;
mod geom;
mod layout;
mod legend;
mod palette;
mod svg;
mod text;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;

use crate::compare::access::AccessMatrix;
use crate::compare::model::{Comparison, Model};

use layout::Layout;

pub use bitmap::{is_rendering_of, rasterize, rasterize_scales, MAX_PNG_PIXELS};
pub use svg::SVG_START;

/// The scales the PNG copies of a diagram are drawn at.
pub const PNG_SCALES: [f32; 2] = [1.0, 2.0];

/// The files one diagram becomes: standalone SVG, PNG at 1x and at 2x. A PNG is None
/// when it would be larger than [`MAX_PNG_PIXELS`] (see [`Sketch::png_fits`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DiagramFiles {
    pub svg: String,
    pub png1: Option<Vec<u8>>,
    pub png2: Option<Vec<u8>>,
}

/// Which part of a comparison to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show<'a> {
    /// Every model, side by side, in file order.
    All,
    /// One model, by id.
    Model(&'a str),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiagramOptions {
    /// Prefix for ids inside the SVG (patterns, title, desc); must be unique per page.
    /// Characters other than ASCII letters, digits, `-` and `_` become `-`.
    pub id_prefix: String,
    /// Replaces the generated title (for example an article's alt text).
    pub title: Option<String>,
}

/// One rendered diagram in all its forms.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    /// Plain text.
    pub title: String,
    /// Plain-text long description generated from the data.
    pub description: String,
    /// `<svg class="td-diagram" role="img" ...>` for embedding in HTML; no XML prolog.
    pub svg_inline: String,
    /// The same drawing as a file: XML prolog, namespace, width and height.
    pub svg_standalone: String,
    /// HTML to place next to the inline SVG: the description and accessible tables.
    pub text_equivalent_html: String,
    pub width: f32,
    pub height: f32,
}

/// Keeps ids valid and safe in `url(#...)` and attribute values.
fn safe_prefix(raw: &str) -> String {
    let mut p: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !p.starts_with(|c: char| c.is_ascii_alphabetic()) {
        p.insert_str(0, "td");
    }
    p
}

/// One diagram laid out: its words and where everything goes, without the page's id
/// prefix or title, so it is written as inline SVG for every page that shows it and as
/// the standalone files without being laid out again.
#[derive(Debug, Clone)]
pub struct Sketch {
    title: String,
    description: String,
    text_body: String,
    layout: Layout,
}

impl Sketch {
    /// Lays out `show` from a validated comparison and its derived access matrix.
    /// Fails only for an unknown model id, a comparison without models, or a broken font.
    pub fn new(cmp: &Comparison, access: &AccessMatrix, show: Show) -> Result<Sketch, String> {
        let models: Vec<&Model> = match show {
            Show::All => cmp.models.iter().collect(),
            Show::Model(id) => match cmp.model(id) {
                Some(m) => vec![m],
                None => {
                    let known: Vec<&str> = cmp.models.iter().map(|m| m.id.as_str()).collect();
                    return Err(format!(
                        "{}: no model with id `{id}` to draw; known models: {}",
                        cmp.path,
                        known.join(", ")
                    ));
                }
            },
        };
        if models.is_empty() {
            return Err(format!(
                "{}: the comparison has no models to draw",
                cmp.path
            ));
        }
        let fonts = font::fonts()?;
        let notes = facts::notes(cmp, access, &models);
        Ok(Sketch {
            title: text::title(cmp, &models, show == Show::All),
            description: text::description(cmp, access, &models, &notes),
            text_body: text::html_body(cmp, access, &models, &notes),
            layout: layout::layout(fonts, cmp, access, &models, &notes),
        })
    }

    /// Writes the diagram with the ids and title `opts` asks for.
    pub fn render(&self, opts: &DiagramOptions) -> Diagram {
        let p = safe_prefix(&opts.id_prefix);
        let title = opts.title.clone().unwrap_or_else(|| self.title.clone());
        let svg_inline = svg::write(&self.layout, &p, &title, &self.description);
        let svg_standalone = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg_inline}");
        Diagram {
            title,
            description: self.description.clone(),
            svg_inline,
            svg_standalone,
            text_equivalent_html: format!("{}{}", text::html_open(&p), self.text_body),
            width: self.layout.width,
            height: self.layout.height,
        }
    }

    /// Whether the PNG at `scale` stays within [`MAX_PNG_PIXELS`]; the size in pixels.
    pub fn png_fits(&self, scale: f32) -> (bool, (u32, u32)) {
        let (w, h) = (self.layout.width, self.layout.height);
        (
            bitmap::fits_png(w, h, scale),
            bitmap::pixel_size(w, h, scale),
        )
    }

    /// The standalone SVG and its PNGs at 1x and 2x, each PNG only when it fits
    /// ([`Sketch::png_fits`]). `previous` may hand back the PNG bytes an earlier build
    /// wrote for a scale; they are kept when [`is_rendering_of`] confirms they came from
    /// this very SVG, so an unchanged diagram is not drawn again.
    pub fn files(
        &self,
        opts: &DiagramOptions,
        previous: &(dyn Fn(f32) -> Option<Vec<u8>> + Sync),
    ) -> Result<DiagramFiles, String> {
        let mut files = files_of_all(vec![self.pending_files(opts, previous)]);
        files
            .pop()
            .unwrap_or_else(|| Err("no diagram files were made".to_string()))
    }

    /// [`Sketch::files`] up to the drawing: the SVG, the PNGs kept from `previous` and
    /// the scales still to draw. [`files_of_all`] finishes any number of them at once.
    pub fn pending_files(
        &self,
        opts: &DiagramOptions,
        previous: &(dyn Fn(f32) -> Option<Vec<u8>> + Sync),
    ) -> PendingFiles {
        let svg = self.render(opts).svg_standalone;
        let wanted = PNG_SCALES.map(|scale| self.png_fits(scale).0);
        let kept =
            PNG_SCALES.map(|scale| previous(scale).filter(|png| is_rendering_of(png, &svg, scale)));
        PendingFiles { svg, wanted, kept }
    }
}

/// One diagram's files before its missing PNGs are drawn (see [`Sketch::pending_files`]).
#[derive(Debug)]
pub struct PendingFiles {
    svg: String,
    /// Per [`PNG_SCALES`]: whether that PNG fits, and the bytes kept from an earlier build.
    wanted: [bool; 2],
    kept: [Option<Vec<u8>>; 2],
}

impl PendingFiles {
    /// The scales still to draw.
    fn missing(&self) -> Vec<f32> {
        (PNG_SCALES.iter().zip(self.kept.iter().zip(self.wanted)))
            .filter(|(_, (k, want))| *want && k.is_none())
            .map(|(&scale, _)| scale)
            .collect()
    }

    /// The files, given the PNGs drawn for [`PendingFiles::missing`] in its order.
    fn complete(self, drawn: Vec<Vec<u8>>) -> Result<DiagramFiles, String> {
        let mut drawn = drawn.into_iter();
        let mut pngs = Vec::with_capacity(2);
        for (k, want) in self.kept.into_iter().zip(self.wanted) {
            let png = if want {
                Some(
                    k.or_else(|| drawn.next())
                        .ok_or("the renderer returned fewer images than asked")?,
                )
            } else {
                None
            };
            pngs.push(png);
        }
        let png2 = pngs.pop().flatten();
        let png1 = pngs.pop().flatten();
        Ok(DiagramFiles {
            svg: self.svg,
            png1,
            png2,
        })
    }
}

/// Finishes every diagram in `pending`, drawing all their missing PNGs in one go
/// ([`bitmap::rasterize_many`]: largest first across the thread pool); the answers come
/// in the order of `pending`.
pub fn files_of_all(pending: Vec<PendingFiles>) -> Vec<Result<DiagramFiles, String>> {
    let missing: Vec<Vec<f32>> = pending.iter().map(PendingFiles::missing).collect();
    let jobs: Vec<(&str, &[f32])> = (pending.iter().zip(&missing))
        .filter(|(_, scales)| !scales.is_empty())
        .map(|(p, scales)| (p.svg.as_str(), scales.as_slice()))
        .collect();
    let mut drawn = bitmap::rasterize_many(&jobs).into_iter();
    let mut out = Vec::with_capacity(pending.len());
    for (p, scales) in pending.into_iter().zip(&missing) {
        let pngs = if scales.is_empty() {
            Ok(Vec::new())
        } else {
            drawn
                .next()
                .unwrap_or_else(|| Err("an image was not rendered".to_string()))
        };
        out.push(pngs.and_then(|pngs| p.complete(pngs)));
    }
    out
}

/// Lays out and writes `show` in one step (see [`Sketch::new`] and [`Sketch::render`]).
pub fn render(
    cmp: &Comparison,
    access: &AccessMatrix,
    show: Show,
    opts: &DiagramOptions,
) -> Result<Diagram, String> {
    Ok(Sketch::new(cmp, access, show)?.render(opts))
}
