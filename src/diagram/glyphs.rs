//! Text for the PNG copies, drawn from the bundled font through a glyph cache.
//!
//! Handing the labels to usvg means shaping and outlining every glyph of every label,
//! and tiny-skia then fills each outline again; for the bundled site that was more than
//! a third of the raster time. Here a glyph is filled once per build, size, weight and
//! quarter-pixel offset into a coverage mask (see `cache`), and a label is copies of
//! those masks placed with the advances and kerning the layout measured with, so the
//! picture matches the SVG's text metrics exactly.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{PathBuilder, PixmapMut, Transform};
use ttf_parser::{GlyphId, OutlineBuilder};

use super::area::accumulate;
use super::cache::Shared;
use super::coverage;
use super::font::{fonts, Fonts, Style};

/// One line of text as the SVG states it: the baseline point in SVG units, the style,
/// whether it is centred on `x`, and an opaque colour.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub x: f32,
    pub y: f32,
    pub style: Style,
    pub middle: bool,
    pub rgb: [u8; 3],
    pub text: String,
}

/// Positions per pixel along a line; baselines snap to whole pixels, as most text
/// renderers do.
const PHASES: f32 = 4.0;

/// A glyph at a size and pen phase: what its mask depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    bold: bool,
    /// `f32::to_bits` of the size in device pixels.
    size: u32,
    glyph: u16,
    phase: u8,
}

/// Coverage of one glyph: 0-255 per pixel, `left`/`top` from the pen position on the
/// baseline.
#[derive(Debug)]
pub(crate) struct Mask {
    left: i32,
    top: i32,
    width: usize,
    alpha: Vec<u8>,
}

/// Glyph masks of a build, `None` for a glyph without ink (a space).
pub(crate) type Masks = Shared<Key, Option<Mask>>;

/// A glyph placed on the device grid: its key and mask, pen position (x at whole
/// pixels, the phase is in the key) and baseline.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    key: Key,
    mask: Arc<OnceLock<Option<Mask>>>,
    x: i32,
    baseline: i32,
    /// No ink lies further than this from the baseline (2 em).
    reach: i32,
    rgb: [u8; 3],
}

/// Lays out `runs` at `scale`, with the advances and kerning the layout measured with;
/// each glyph takes its mask from `masks`.
pub(crate) fn place(runs: &[Run], scale: f32, masks: &Masks) -> Result<Vec<Placed>, String> {
    let f = fonts()?;
    let mut out = Vec::new();
    for run in runs {
        let size = run.style.size * scale;
        let start = if run.middle {
            run.x - f.width(&run.text, run.style) / 2.0
        } else {
            run.x
        };
        let baseline = (run.y * scale).round() as i32;
        let reach = (2.0 * size).ceil() as i32;
        f.each_glyph(&run.text, run.style, |glyph, pen| {
            let steps = ((start + pen) * scale * PHASES).round();
            let x = (steps / PHASES).floor();
            let key = Key {
                bold: run.style.bold,
                size: size.to_bits(),
                glyph: glyph.0,
                phase: (steps - x * PHASES) as u8,
            };
            out.push(Placed {
                key,
                mask: masks.cell(key),
                x: x as i32,
                baseline,
                reach,
                rgb: run.rgb,
            });
        });
    }
    Ok(out)
}

/// The device rows `glyphs` can ink, from the first to the last; `None` when empty.
pub(crate) fn rows(glyphs: &[Placed]) -> Option<(i32, i32)> {
    let top = glyphs.iter().map(|g| g.baseline - g.reach).min()?;
    let bottom = glyphs.iter().map(|g| g.baseline + g.reach).max()?;
    Some((top, bottom))
}

/// Draws placed glyphs into `target`, which holds the device rows from `top`
/// down (a band of the whole image, or all of it with `top` 0).
pub(crate) fn draw(glyphs: &[Placed], target: &mut PixmapMut, top: i32) -> Result<(), String> {
    let f = fonts()?;
    let bottom = top + target.height() as i32;
    for g in glyphs {
        if g.baseline + g.reach < top || g.baseline - g.reach > bottom {
            continue;
        }
        let mask = g
            .mask
            .get_or_init(|| outline(f, g.key, f32::from_bits(g.key.size)));
        if let Some(m) = mask {
            blend(target, g.x + m.left, g.baseline + m.top - top, m, g.rgb);
        }
    }
    Ok(())
}

/// Fills one glyph outline into a coverage mask; `None` for glyphs without ink (space).
/// TrueType outlines are non-zero fills of closed contours, which area accumulation
/// covers exactly, and at a fraction of tiny-skia's set-up cost per glyph.
fn outline(f: &Fonts, key: Key, size: f32) -> Option<Mask> {
    let face = f.face(key.bold);
    let mut pen = Pen {
        path: PathBuilder::new(),
        k: size / f32::from(face.units_per_em().max(1)),
        dx: f32::from(key.phase) / PHASES,
    };
    face.outline_glyph(GlyphId(key.glyph), &mut pen)?;
    let path = pen.path.finish()?;
    let b = path.bounds();
    let (left, top) = (b.left().floor() as i32, b.top().floor() as i32);
    let width = (b.right().ceil() as i32 - left).max(1) as u32;
    let height = (b.bottom().ceil() as i32 - top).max(1) as u32;
    let path = path.transform(Transform::from_translate(-left as f32, -top as f32))?;
    Some(Mask {
        left,
        top,
        width: width as usize,
        alpha: accumulate(&path, width, height),
    })
}

/// Turns font units (y up) into device pixels (y down) at the glyph's phase.
struct Pen {
    path: PathBuilder,
    k: f32,
    dx: f32,
}

impl Pen {
    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        (x * self.k + self.dx, -y * self.k)
    }
}

impl OutlineBuilder for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let ((x1, y1), (x, y)) = (self.at(x1, y1), self.at(x, y));
        self.path.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let ((x1, y1), (x2, y2), (x, y)) = (self.at(x1, y1), self.at(x2, y2), self.at(x, y));
        self.path.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.path.close();
    }
}

/// Source-over of an opaque colour through `c`'s coverage, with the mask's top-left at
/// (`x`, `y`) of `target`, a row at a time through the shapes' own blend.
fn blend(target: &mut PixmapMut, x: i32, y: i32, c: &Mask, rgb: [u8; 3]) {
    let (w, h) = (target.width() as i32, target.height() as i32);
    let colour = [rgb[0], rgb[1], rgb[2], u8::MAX];
    // Columns of the mask that land inside the image.
    let from = (-x).max(0) as usize;
    let to = ((w - x).max(0) as usize).min(c.width);
    if from >= to {
        return;
    }
    let (pixels, _) = target.data_mut().as_chunks_mut::<4>();
    for (row, alpha) in c.alpha.chunks_exact(c.width).enumerate() {
        let ty = y + row as i32;
        if ty < 0 || ty >= h {
            continue;
        }
        let start = (ty * w + x + from as i32) as usize;
        coverage::blend(
            &mut pixels[start..start + to - from],
            &alpha[from..to],
            colour,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia::Pixmap;

    fn run(text: &str, middle: bool) -> Run {
        Run {
            x: 50.0,
            y: 30.0,
            style: Style::new(13.0, false),
            middle,
            rgb: [0x1f, 0x23, 0x28],
            text: text.into(),
        }
    }

    fn ink_columns(p: &Pixmap) -> (u32, u32) {
        let inked: Vec<u32> = (0..p.width())
            .filter(|&x| (0..p.height()).any(|y| p.pixel(x, y).is_some_and(|c| c.alpha() > 0)))
            .collect();
        (inked[0], inked[inked.len() - 1])
    }

    #[test]
    fn a_line_starts_at_x_or_is_centred_on_it() {
        let mut p = Pixmap::new(200, 50).unwrap();
        draw(
            &place(&[run("Hypervisor", false)], 1.0, &Masks::default()).unwrap(),
            &mut p.as_mut(),
            0,
        )
        .unwrap();
        let (left, right) = ink_columns(&p);
        assert!((49..=51).contains(&left), "{left}");
        let width = fonts()
            .unwrap()
            .width("Hypervisor", Style::new(13.0, false));
        assert!((right as f32 - 50.0 - width).abs() < 2.0, "{right} {width}");

        let mut p = Pixmap::new(200, 50).unwrap();
        draw(
            &place(&[run("Hypervisor", true)], 1.0, &Masks::default()).unwrap(),
            &mut p.as_mut(),
            0,
        )
        .unwrap();
        let (left, right) = ink_columns(&p);
        assert!((left + right).abs_diff(100) <= 2, "{left} {right}");
    }

    #[test]
    fn bands_drawn_apart_equal_the_whole() {
        let runs = [run("Guest OS / kernel", true), run("Root of trust", false)];
        let runs = place(&runs, 2.0, &Masks::default()).unwrap();
        let mut whole = Pixmap::new(120, 60).unwrap();
        draw(&runs, &mut whole.as_mut(), 0).unwrap();
        let mut banded = Pixmap::new(120, 60).unwrap();
        let stride = 120 * 4;
        for (i, band) in banded.data_mut().chunks_mut(25 * stride).enumerate() {
            let rows = (band.len() / stride) as u32;
            let mut pm = PixmapMut::from_bytes(band, 120, rows).unwrap();
            draw(&runs, &mut pm, i as i32 * 25).unwrap();
        }
        assert_eq!(whole.data(), banded.data());
        assert!(whole.data().iter().any(|&b| b != 0));
    }

    #[test]
    fn text_off_the_image_is_clipped_not_a_panic() {
        let mut p = Pixmap::new(20, 10).unwrap();
        // "H" starts left of the image and its stem crosses the top and bottom rows.
        let mut r = run("HHHH", false);
        r.x = -3.0;
        r.y = 4.0;
        draw(
            &place(&[r], 3.0, &Masks::default()).unwrap(),
            &mut p.as_mut(),
            0,
        )
        .unwrap();
        assert!(p.data().iter().any(|&b| b != 0));
    }
}
