//! Coverage of plain shapes for the banded drawing. Each distinct outline is filled
//! once per drawing into an 8-bit mask (by tiny-skia, or by area accumulation for
//! hatching, see `area`; a rectangle along the axes is worked out directly), and the
//! mask is kept as runs per row: a fully covered stretch as its length alone, an edge
//! with its coverage bytes. Every band paints those rows itself, so a band no longer
//! scans again the edges of every shape it crosses, and a cell outline or a hatch that
//! recurs in ten places is filled once. Rows that only vertical edges cross are filled
//! once per run and repeated (`squeeze`).

use resvg::tiny_skia::{FillRule, Mask, Path, PathSegment, PixmapMut, Point, Rect, Transform};

use super::area;
use super::squeeze;

/// A shape on the device grid ready to be filled: its outline moved so that its box
/// starts at pixel (0, 0), and the size of that box in whole pixels.
pub(crate) struct Outline {
    pub path: Path,
    pub rule: FillRule,
    pub anti_alias: bool,
    pub width: u32,
    pub height: u32,
}

impl Outline {
    /// An anti-aliased non-zero fill of `path` in a box of `width` by `height`.
    #[cfg(test)]
    pub fn test(path: Path, width: u32, height: u32) -> Outline {
        Outline {
            path,
            rule: FillRule::Winding,
            anti_alias: true,
            width,
            height,
        }
    }

    /// Bytes that are equal for two outlines exactly when they give the same coverage.
    pub fn key(&self) -> Vec<u8> {
        let mut key = Vec::with_capacity(12 + self.path.len() * 9);
        key.extend_from_slice(&self.width.to_le_bytes());
        key.extend_from_slice(&self.height.to_le_bytes());
        key.push(matches!(self.rule, FillRule::EvenOdd) as u8);
        key.push(self.anti_alias as u8);
        let mut put = |tag: u8, points: &[Point]| {
            key.push(tag);
            for p in points {
                key.extend_from_slice(&p.x.to_bits().to_le_bytes());
                key.extend_from_slice(&p.y.to_bits().to_le_bytes());
            }
        };
        for segment in self.path.segments() {
            match segment {
                PathSegment::MoveTo(p) => put(0, &[p]),
                PathSegment::LineTo(p) => put(1, &[p]),
                PathSegment::QuadTo(p, q) => put(2, &[p, q]),
                PathSegment::CubicTo(p, q, r) => put(3, &[p, q, r]),
                PathSegment::Close => put(4, &[]),
            }
        }
        key
    }
}

/// Which pixels of an outline's box are covered, row by row.
#[derive(Debug, Default)]
pub(crate) struct Coverage {
    /// Index into `spans` of each row's first span, and one past the last row's.
    rows: Vec<u32>,
    spans: Vec<Span>,
    /// Coverage of the partly covered spans, one byte per pixel.
    edges: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    x: u32,
    len: u32,
    /// Where the span's coverage starts in `edges`, or `FULL`.
    at: u32,
}

const FULL: u32 = u32::MAX;

/// Shorter stretches of full coverage stay inside an edge span.
const MIN_FULL: usize = 8;

impl Coverage {
    /// Fills `o` with tiny-skia and keeps the result as runs. A rectangle along the
    /// axes (a canvas, a panel) is worked out directly instead: each pixel's coverage
    /// is the part of its area inside the rectangle.
    pub fn of(o: &Outline) -> Coverage {
        let mut cov = Coverage {
            rows: vec![0],
            ..Coverage::default()
        };
        if o.anti_alias {
            if let Some(r) = axis_rect(&o.path) {
                cov.rect(r, o.width, o.height);
                return cov;
            }
        }
        let squeeze = squeeze::plan(&o.path, o.height);
        let squeezed = squeeze.as_ref().and_then(|s| s.path(&o.path));
        let (path, height) = match (&squeeze, &squeezed) {
            (Some(s), Some(path)) => (path, s.height),
            _ => (&o.path, o.height),
        };
        let scanned = o
            .anti_alias
            .then(|| area::scan(path, o.rule, o.width, height));
        let mask = match scanned.flatten() {
            Some(mask) => mask,
            None => {
                let Some(mut mask) = Mask::new(o.width, height) else {
                    return cov;
                };
                mask.fill_path(path, o.rule, o.anti_alias, Transform::identity());
                mask.take()
            }
        };
        let rows: Vec<&[u8]> = mask.chunks_exact(o.width as usize).collect();
        match (&squeeze, &squeezed) {
            (Some(s), Some(_)) => {
                let mut last = None;
                for y in 0..o.height {
                    let from = s.source(y);
                    if last == Some(from) {
                        cov.repeat_row();
                    } else {
                        cov.push_row(rows[from as usize]);
                    }
                    last = Some(from);
                }
            }
            _ => rows.iter().for_each(|row| cov.push_row(row)),
        }
        cov
    }

    /// Rows of a box `width` by `height` that `r` covers.
    fn rect(&mut self, r: Rect, width: u32, height: u32) {
        let part = |from: f32, to: f32, at: u32| {
            let at = at as f32;
            (to.min(at + 1.0) - from.max(at)).clamp(0.0, 1.0)
        };
        let line = |k: f32| -> Vec<u8> {
            (0..width)
                .map(|x| (part(r.left(), r.right(), x) * k * 255.0).round() as u8)
                .collect()
        };
        // Rows wholly inside share one set of spans (and coverage bytes).
        let mut inner: Option<std::ops::Range<usize>> = None;
        for y in 0..height {
            let k = part(r.top(), r.bottom(), y);
            if k < 1.0 {
                self.push_row(&line(k));
                continue;
            }
            match &inner {
                Some(spans) => {
                    self.spans.extend_from_within(spans.clone());
                    self.rows.push(self.spans.len() as u32);
                }
                None => {
                    let start = self.spans.len();
                    self.push_row(&line(1.0));
                    inner = Some(start..self.spans.len());
                }
            }
        }
    }

    /// Gives the next row the spans (and coverage bytes) of the last one.
    fn repeat_row(&mut self) {
        let n = self.rows.len();
        let last = self.rows[n.saturating_sub(2)] as usize..self.rows[n - 1] as usize;
        self.spans.extend_from_within(last);
        self.rows.push(self.spans.len() as u32);
    }

    fn push_row(&mut self, row: &[u8]) {
        let mut x = 0;
        while x < row.len() {
            x += run_of(&row[x..], 0);
            if x == row.len() {
                break;
            }
            let full = run_of(&row[x..], u8::MAX);
            if full >= MIN_FULL {
                self.spans.push(Span {
                    x: x as u32,
                    len: full as u32,
                    at: FULL,
                });
                x += full;
                continue;
            }
            // An edge: up to the next uncovered pixel or long run of full coverage.
            let start = x;
            while x < row.len() && row[x] != 0 {
                if row[x] < u8::MAX {
                    x += 1;
                    continue;
                }
                let full = run_of(&row[x..], u8::MAX);
                if full >= MIN_FULL {
                    break;
                }
                x += full;
            }
            self.spans.push(Span {
                x: start as u32,
                len: (x - start) as u32,
                at: self.edges.len() as u32,
            });
            self.edges.extend_from_slice(&row[start..x]);
        }
        self.rows.push(self.spans.len() as u32);
    }

    fn height(&self) -> usize {
        self.rows.len() - 1
    }

    fn row(&self, y: usize) -> &[Span] {
        &self.spans[self.rows[y] as usize..self.rows[y + 1] as usize]
    }

    /// Whether, placed at (`left`, `top`) of `target`, this covers every pixel of it.
    pub fn covers(&self, target: &PixmapMut, left: i32, top: i32) -> bool {
        let (w, h) = (target.width() as i64, target.height() as i64);
        (0..h).all(|y| {
            let cy = y - i64::from(top);
            cy >= 0
                && (cy as usize) < self.height()
                && self.row(cy as usize).iter().any(|s| {
                    s.at == FULL
                        && i64::from(left) + i64::from(s.x) <= 0
                        && i64::from(left) + i64::from(s.x) + i64::from(s.len) >= w
                })
        })
    }

    /// Source-over of the premultiplied `colour` through this coverage, with the box's
    /// top-left at (`left`, `top`) of `target`.
    pub fn paint(&self, target: &mut PixmapMut, left: i32, top: i32, colour: [u8; 4]) {
        let (w, h) = (i64::from(target.width()), i64::from(target.height()));
        let stride = w as usize * 4;
        let data = target.data_mut();
        let first = i64::from(top).max(0);
        let last = (i64::from(top) + self.height() as i64).min(h);
        for y in first..last {
            let line = &mut data[y as usize * stride..(y as usize + 1) * stride];
            let (pixels, _) = line.as_chunks_mut::<4>();
            for s in self.row((y - i64::from(top)) as usize) {
                let x0 = i64::from(left) + i64::from(s.x);
                let (from, to) = (x0.max(0), (x0 + i64::from(s.len)).min(w));
                if from >= to {
                    continue;
                }
                let dst = &mut pixels[from as usize..to as usize];
                if s.at == FULL {
                    fill(dst, colour);
                } else {
                    let at = s.at as usize + (from - x0) as usize;
                    blend(dst, &self.edges[at..at + dst.len()], colour);
                }
            }
        }
    }
}

/// The rectangle `path` is when it is one along the axes.
fn axis_rect(path: &Path) -> Option<Rect> {
    let mut points: Vec<Point> = Vec::with_capacity(5);
    let mut closed = false;
    for segment in path.segments() {
        match segment {
            PathSegment::MoveTo(p) if points.is_empty() => points.push(p),
            PathSegment::LineTo(p) if !closed && !points.is_empty() => points.push(p),
            PathSegment::Close if !closed => closed = true,
            _ => return None,
        }
    }
    if points.len() == 5 && points[4] == points[0] {
        points.pop();
    }
    let [a, b, c, d] = points[..] else {
        return None;
    };
    let across = a.y == b.y && b.x == c.x && c.y == d.y && d.x == a.x;
    let down = a.x == b.x && b.y == c.y && c.x == d.x && d.y == a.y;
    if !(across || down) {
        return None;
    }
    Rect::from_ltrb(a.x.min(c.x), a.y.min(c.y), a.x.max(c.x), a.y.max(c.y))
}

/// Length of the run of `v` that `s` starts with, compared eight bytes at a time.
fn run_of(s: &[u8], v: u8) -> usize {
    let word = u64::from_ne_bytes([v; 8]);
    let (words, _) = s.as_chunks::<8>();
    let n = 8 * words
        .iter()
        .take_while(|c| u64::from_ne_bytes(**c) == word)
        .count();
    n + s[n..].iter().take_while(|&&b| b == v).count()
}

/// `v / 255`, rounded, for `v` up to 255 * 255.
fn div255(v: u32) -> u32 {
    let v = v + 128;
    (v + (v >> 8)) >> 8
}

/// Full coverage: an opaque colour replaces the pixels, a translucent one goes over.
#[multiversion::multiversion(targets("x86_64+avx2", "x86_64+sse4.1"))]
fn fill(dst: &mut [[u8; 4]], colour: [u8; 4]) {
    if colour[3] == u8::MAX {
        dst.fill(colour);
        return;
    }
    let keep = 255 - u32::from(colour[3]);
    for d in dst {
        for (d, &s) in d.iter_mut().zip(&colour) {
            *d = (u32::from(s) + div255(u32::from(*d) * keep)) as u8;
        }
    }
}

/// Partial coverage: `colour` scaled by each pixel's coverage, over the pixel (shapes'
/// edges, and glyphs).
#[multiversion::multiversion(targets("x86_64+avx2", "x86_64+sse4.1"))]
pub(crate) fn blend(dst: &mut [[u8; 4]], coverage: &[u8], colour: [u8; 4]) {
    let alpha = u32::from(colour[3]);
    for (d, &c) in dst.iter_mut().zip(coverage) {
        let c = u32::from(c);
        let keep = 255 - div255(alpha * c);
        for (d, &s) in d.iter_mut().zip(&colour) {
            *d = div255(u32::from(s) * c + u32::from(*d) * keep) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia::{Paint, PathBuilder, Pixmap, Rect};

    #[test]
    fn runs_rebuild_the_mask() {
        let mut pb = PathBuilder::new();
        pb.push_circle(20.0, 12.0, 11.3);
        pb.push_rect(Rect::from_xywh(0.5, 2.0, 39.0, 3.25).unwrap());
        let o = Outline::test(pb.finish().unwrap(), 41, 25);
        let cov = Coverage::of(&o);
        assert!(cov.spans.iter().any(|s| s.at == FULL));
        assert!(cov.spans.iter().any(|s| s.at != FULL));
        assert_eq!(unpack(&cov, 41), tiny_skia_mask(&o));
    }

    #[test]
    fn squeezed_rows_rebuild_the_mask() {
        // A tall rounded box outline (a ring, filled even-odd so that tiny-skia fills
        // it either way) and a dashed side: the rows between the corners and dashes
        // are filled once and repeated, and give tiny-skia's mask to the byte.
        let ring = {
            let mut pb = PathBuilder::new();
            let outer = Rect::from_xywh(1.5, 1.25, 60.0, 140.0).unwrap();
            let inner = Rect::from_xywh(4.0, 3.75, 55.0, 135.0).unwrap();
            pb.push_rect(outer);
            pb.push_circle(8.0, 9.0, 4.5);
            pb.push_rect(inner);
            pb.finish().unwrap()
        };
        let dashes = {
            let mut pb = PathBuilder::new();
            for k in 0..6 {
                pb.push_rect(Rect::from_xywh(2.0, 3.5 + 22.0 * k as f32, 2.5, 14.0).unwrap());
            }
            pb.finish().unwrap()
        };
        for (path, rule) in [(ring, FillRule::EvenOdd), (dashes, FillRule::Winding)] {
            let mut o = Outline::test(path, 64, 144);
            o.rule = rule;
            let plan = super::squeeze::plan(&o.path, o.height).expect("rows to squeeze");
            assert!(plan.height < 100, "{}", plan.height);
            assert_eq!(unpack(&Coverage::of(&o), 64), tiny_skia_mask(&o));
        }
    }

    fn tiny_skia_mask(o: &Outline) -> Vec<u8> {
        let mut mask = Mask::new(o.width, o.height).unwrap();
        mask.fill_path(&o.path, o.rule, true, Transform::identity());
        mask.data().to_vec()
    }

    /// The coverage as one byte per pixel of a box `width` wide.
    fn unpack(cov: &Coverage, width: usize) -> Vec<u8> {
        let mut back = vec![0u8; width * cov.height()];
        for y in 0..cov.height() {
            for s in cov.row(y) {
                for i in 0..s.len as usize {
                    back[y * width + s.x as usize + i] = if s.at == FULL {
                        255
                    } else {
                        cov.edges[s.at as usize + i]
                    };
                }
            }
        }
        back
    }

    #[test]
    fn painting_matches_tiny_skia_within_rounding() {
        let mut pb = PathBuilder::new();
        pb.push_circle(30.0, 30.0, 21.7);
        let path = pb.finish().unwrap();
        for alpha in [255u8, 128] {
            let mut theirs = Pixmap::new(70, 64).unwrap();
            theirs.fill(resvg::tiny_skia::Color::from_rgba8(200, 220, 240, 255));
            let mut ours = theirs.clone();
            let mut paint = Paint::default();
            paint.set_color_rgba8(9, 105, 218, alpha);
            theirs.fill_path(
                &path,
                &paint,
                FillRule::Winding,
                Transform::identity(),
                None,
            );
            // Placed 5 pixels right and 3 down, then moved back into place.
            let moved = path
                .clone()
                .transform(Transform::from_translate(-5.0, -3.0))
                .unwrap();
            let cov = Coverage::of(&Outline::test(moved, 60, 60));
            let c = paint.shader_colour();
            cov.paint(&mut ours.as_mut(), 5, 3, c);
            let far = ours
                .data()
                .iter()
                .zip(theirs.data())
                .filter(|(a, b)| a.abs_diff(**b) > 2)
                .count();
            assert_eq!(far, 0, "alpha {alpha}");
            assert_ne!(ours.data(), Pixmap::new(70, 64).unwrap().data());
        }
    }

    /// The premultiplied colour of a solid paint.
    trait ShaderColour {
        fn shader_colour(&self) -> [u8; 4];
    }

    impl ShaderColour for Paint<'_> {
        fn shader_colour(&self) -> [u8; 4] {
            let resvg::tiny_skia::Shader::SolidColor(c) = self.shader else {
                unreachable!()
            };
            let c = c.premultiply().to_color_u8();
            [c.red(), c.green(), c.blue(), c.alpha()]
        }
    }

    #[test]
    fn clipped_at_every_side_and_covers_only_when_whole() {
        let rect = PathBuilder::from_rect(Rect::from_xywh(0.0, 0.0, 30.0, 20.0).unwrap());
        let cov = Coverage::of(&Outline::test(rect, 30, 20));
        let mut p = Pixmap::new(10, 10).unwrap();
        assert!(cov.covers(&p.as_mut(), -5, -5));
        assert!(!cov.covers(&p.as_mut(), 1, -5));
        assert!(!cov.covers(&p.as_mut(), -5, -15));
        for (x, y) in [(-25, -15), (5, 5), (-5, -5), (9, 9), (40, 0), (0, -40)] {
            cov.paint(&mut p.as_mut(), x, y, [1, 2, 3, 255]);
        }
        assert!(p.pixels().iter().all(|c| c.alpha() == 255));
    }
}
