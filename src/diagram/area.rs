//! Anti-aliased coverage by signed area accumulation (ab_glyph_rasterizer), for the
//! outlines where it beats tiny-skia's sampling: glyphs, and shapes with many slanted
//! edges such as the hatching of untrusted layers.

use resvg::tiny_skia::{FillRule, Path, PathSegment, Point};

/// The anti-aliased coverage of the fill of `path` (by `rule`, in a box of `width` by
/// `height` pixels at (0, 0)) as each pixel's share of area inside the outline, for
/// outlines with many slanted edges (hatching): `None` for the others, which tiny-skia
/// fills faster.
///
/// tiny-skia samples each pixel row four times and blends every partly covered pixel
/// on its own, so its cost follows the slanted edges; ab_glyph_rasterizer accumulates
/// signed area over the whole box, so its cost follows the area. The accumulation
/// gives non-zero fills only, and only for outlines inside their box.
pub(crate) fn scan(path: &Path, rule: FillRule, width: u32, height: u32) -> Option<Vec<u8>> {
    let b = path.bounds();
    let inside = b.left() >= 0.0
        && b.top() >= 0.0
        && b.right() <= width as f32
        && b.bottom() <= height as f32;
    let area = width as f32 * height as f32;
    if !inside || rule != FillRule::Winding || area > SLANT_AREA * slant(path) {
        return None;
    }
    Some(accumulate(path, width, height))
}

/// Coverage of the non-zero fill of `path`, which lies inside a box of `width` by
/// `height` pixels at (0, 0), by signed area accumulation (ab_glyph_rasterizer).
pub(crate) fn accumulate(path: &Path, width: u32, height: u32) -> Vec<u8> {
    use ab_glyph_rasterizer::{point, Rasterizer};
    let p = |p: Point| point(p.x, p.y);
    let mut r = Rasterizer::new(width as usize, height as usize);
    let (mut start, mut at) = (Point::zero(), Point::zero());
    for s in path.segments() {
        match s {
            PathSegment::MoveTo(a) => {
                // Each contour is closed, as a fill closes it.
                r.draw_line(p(at), p(start));
                (start, at) = (a, a);
            }
            PathSegment::LineTo(a) => {
                r.draw_line(p(at), p(a));
                at = a;
            }
            PathSegment::QuadTo(a, b) => {
                r.draw_quad(p(at), p(a), p(b));
                at = b;
            }
            PathSegment::CubicTo(a, b, c) => {
                r.draw_cubic(p(at), p(a), p(b), p(c));
                at = c;
            }
            PathSegment::Close => {
                r.draw_line(p(at), p(start));
                at = start;
            }
        }
    }
    r.draw_line(p(at), p(start));
    let mut mask = Vec::with_capacity(width as usize * height as usize);
    // Pixels come in order; the float-to-byte cast saturates.
    r.for_each_pixel(|_, a| mask.push((a * 255.0 + 0.5) as u8));
    mask
}

/// Box area per pixel of slanted edge above which tiny-skia is the faster filler
/// (measured on the bundled diagrams: hatching lies well below, panels and rounded
/// outlines well above).
const SLANT_AREA: f32 = 32.0;

/// How far the edges of `path` run slanted: for each segment, the shorter of its
/// horizontal and vertical extents (zero for edges along the axes, which leave whole
/// pixels on either side).
fn slant(path: &Path) -> f32 {
    let mut at = Point::zero();
    let mut total = 0.0;
    for s in path.segments() {
        let to = match s {
            PathSegment::MoveTo(a) => {
                at = a;
                continue;
            }
            PathSegment::LineTo(a) | PathSegment::QuadTo(_, a) | PathSegment::CubicTo(_, _, a) => a,
            PathSegment::Close => continue,
        };
        total += (to.x - at.x).abs().min((to.y - at.y).abs());
        at = to;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia::{Mask, PathBuilder, Rect, Transform};

    /// Diagonal strokes across a box, as the diagrams hatch untrusted layers.
    fn hatching() -> Path {
        let mut pb = PathBuilder::new();
        for x in (4..160).step_by(10) {
            pb.move_to(x as f32, 62.0);
            pb.line_to(x as f32 + 40.0, 4.0);
        }
        let stroke = resvg::tiny_skia::Stroke {
            width: 3.0,
            ..Default::default()
        };
        pb.finish().unwrap().stroke(&stroke, 1.0).unwrap()
    }

    #[test]
    fn hatching_is_accumulated_and_matches_tiny_skia() {
        let path = hatching();
        let ours =
            scan(&path, FillRule::Winding, 206, 66).expect("hatching takes the accumulating road");
        let mut theirs = Mask::new(206, 66).unwrap();
        theirs.fill_path(&path, FillRule::Winding, true, Transform::identity());
        let (a, b) = (&ours, theirs.data());
        let diff: u64 = a
            .iter()
            .zip(b)
            .map(|(x, y)| u64::from(x.abs_diff(*y)))
            .sum();
        let ink = |m: &[u8]| m.iter().map(|&v| u64::from(v)).sum::<u64>();
        // Area sampled four times a row against area computed: the edges differ by a
        // few levels, the ink in all by well under one percent.
        assert!(
            diff < a.len() as u64 * 4,
            "mean difference {}",
            diff as f64 / a.len() as f64
        );
        assert!(
            ink(a).abs_diff(ink(b)) * 100 < ink(b),
            "{} {}",
            ink(a),
            ink(b)
        );
        assert!(a.iter().zip(b).all(|(x, y)| x.abs_diff(*y) < 64));
    }

    #[test]
    fn panels_and_outlines_partly_outside_stay_with_tiny_skia() {
        let mut pb = PathBuilder::new();
        pb.push_rect(Rect::from_xywh(4.0, 4.0, 300.0, 80.0).unwrap());
        pb.push_circle(40.0, 40.0, 20.0);
        let panel = pb.finish().unwrap();
        assert!(scan(&panel, FillRule::Winding, 310, 90).is_none());
        assert!(scan(&hatching(), FillRule::Winding, 150, 66).is_none());
        assert!(scan(&hatching(), FillRule::EvenOdd, 206, 66).is_none());
    }
}
