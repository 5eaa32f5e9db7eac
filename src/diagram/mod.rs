//! Trust-boundary diagrams drawn from comparison data: one model's stack or all models
//! side by side, as inline SVG (themable, with title, description and an HTML text
//! equivalent), as a standalone SVG file and, through [`rasterize`], as PNG.
//!
//! Layout follows fixed rules (see `layout`) and text is measured with the bundled
//! DejaVu Sans, so labels always fit and the output is byte-identical everywhere.

mod area;
mod cache;
mod cells;
mod coverage;
mod encode;
mod font;
mod geom;
mod glyphs;
mod labels;
mod layout;
mod legend;
mod palette;
mod pixels;
mod raster;
mod shapes;
mod squeeze;
mod svg;
mod text;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;

use crate::compare::access::AccessMatrix;
use crate::compare::model::{Comparison, Model};

pub use encode::is_rendering_of;
pub use raster::{rasterize, rasterize_scales, rasterize_shared, RasterCache};

/// The files one diagram becomes: standalone SVG, PNG at 1x and at 2x.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagramFiles {
    pub svg: String,
    pub png1: Vec<u8>,
    pub png2: Vec<u8>,
}

/// Draws `show` and rasterises it at 1x and 2x. `previous` may hand back the PNG bytes an
/// earlier build wrote for a scale; they are kept when [`is_rendering_of`] confirms they
/// came from this very SVG, so an unchanged diagram is not drawn again. The diagrams of
/// one build share `cache`.
pub fn render_files(
    cmp: &Comparison,
    access: &AccessMatrix,
    show: Show,
    opts: &DiagramOptions,
    previous: &(dyn Fn(f32) -> Option<Vec<u8>> + Sync),
    cache: &RasterCache,
) -> Result<DiagramFiles, String> {
    let dia = render(cmp, access, show, opts)?;
    let svg = &dia.svg_standalone;
    let kept = |scale: f32| previous(scale).filter(|png| is_rendering_of(png, svg, scale));
    let (png1, png2) = match (kept(1.0), kept(2.0)) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            let mut pngs = rasterize_shared(svg, &[1.0, 2.0], cache)?.into_iter();
            let (Some(a), Some(b)) = (pngs.next(), pngs.next()) else {
                return Err("the rasteriser returned fewer images than asked".into());
            };
            (a, b)
        }
    };
    Ok(DiagramFiles {
        svg: dia.svg_standalone,
        png1,
        png2,
    })
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

/// An access answer that an override changed, numbered in reading order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Note {
    pub number: usize,
    /// Superscript digits drawn after "Can read" / "Cannot read".
    pub marker: String,
    /// Index into `cmp.actors`.
    pub actor: usize,
    /// Index into the models being drawn.
    pub col: usize,
    pub reason: String,
    /// What the stack alone says.
    pub derived: crate::compare::access::Reach,
}

fn superscript(n: usize) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .bytes()
        .map(|b| {
            DIGITS
                .get(usize::from(b.wrapping_sub(b'0')))
                .copied()
                .unwrap_or('?')
        })
        .collect()
}

fn notes(cmp: &Comparison, access: &AccessMatrix, models: &[&Model]) -> Vec<Note> {
    let mut out = Vec::new();
    for (i, a) in cmp.actors.iter().enumerate() {
        for (c, m) in models.iter().enumerate() {
            let Some(cell) = access.get(&a.id, &m.id) else {
                continue;
            };
            if let Some(reason) = &cell.override_reason {
                let number = out.len() + 1;
                out.push(Note {
                    number,
                    marker: superscript(number),
                    actor: i,
                    col: c,
                    reason: reason.clone(),
                    derived: cell.derived,
                });
            }
        }
    }
    out
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

/// Draws `show` from a validated comparison and its derived access matrix.
/// Fails only for an unknown model id, a comparison without models, or a broken font.
pub fn render(
    cmp: &Comparison,
    access: &AccessMatrix,
    show: Show,
    opts: &DiagramOptions,
) -> Result<Diagram, String> {
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
    let p = safe_prefix(&opts.id_prefix);
    let notes = notes(cmp, access, &models);
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| text::title(cmp, &models, show == Show::All));
    let description = text::description(cmp, access, &models, &notes);
    let lay = layout::layout(fonts, cmp, access, &models, &notes, &p);
    let svg_inline = svg::write(&lay, &p, &title, &description);
    let svg_standalone = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg_inline}");
    let text_equivalent_html = text::html(cmp, access, &models, &notes, &p);
    Ok(Diagram {
        title,
        description,
        svg_inline,
        svg_standalone,
        text_equivalent_html,
        width: lay.width,
        height: lay.height,
    })
}
