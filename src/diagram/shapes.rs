//! The parsed drawing made ready to be painted band by band. A band only sees part of
//! the image, so anything worked out per call (dash patterns, stroke outlines, the
//! anti-aliased scan of every edge) would be worked out again for every band a shape
//! crosses. Here each plain shape (solid fill and stroke, no group effects) has its
//! stroke outlined once for the scale, exactly as tiny-skia would outline it, and its
//! fill and stroke become coverage (`coverage`), computed the first time a band needs
//! it and shared by every copy of the same outline, in this diagram and in the others
//! of the build (`cache`). Anything else is handed to resvg per band.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{
    FillRule, Path, PathStroker, PixmapMut, Point, Stroke, StrokeDash, Transform,
};
use resvg::usvg;

use super::cache::Shared;
use super::coverage::{Coverage, Outline};
use super::geom::map_path;
use super::glyphs::{self, Placed};

/// What is painted, in painting order, and the distinct outlines it fills.
pub(crate) struct Drawing<'a> {
    items: Vec<Item<'a>>,
    outlines: Vec<(Outline, Arc<OnceLock<Coverage>>)>,
}

/// One thing to paint, with the device rows it can touch.
struct Item<'a> {
    what: What<'a>,
    top: f32,
    bottom: f32,
}

enum What<'a> {
    /// A label, drawn from the glyph cache.
    Label(&'a [Placed]),
    /// A premultiplied colour through the coverage of `outlines[outline]`, with its box
    /// at (`left`, `top`) of the image.
    Cover {
        outline: usize,
        left: i32,
        top: i32,
        colour: [u8; 4],
    },
    /// Drawn by resvg in each band, under its parent group's transform.
    Node(&'a usvg::Node, Transform),
}

/// The painting list for `root` drawn at `scale` into an image of `size` pixels;
/// `label` names the placed label a marker group stands for.
pub(crate) fn prepare<'a>(
    root: &'a usvg::Group,
    scale: f32,
    size: (u32, u32),
    label: &dyn Fn(&usvg::Node) -> Option<&'a [Placed]>,
    cache: &Shared<Vec<u8>, Coverage>,
) -> Drawing<'a> {
    let mut b = Builder {
        scale,
        size,
        label,
        cache,
        items: Vec::new(),
        outlines: Vec::new(),
        seen: HashMap::new(),
    };
    b.collect(root);
    Drawing {
        items: b.items,
        outlines: b.outlines,
    }
}

struct Builder<'a, 'l> {
    scale: f32,
    size: (u32, u32),
    label: &'l dyn Fn(&usvg::Node) -> Option<&'a [Placed]>,
    cache: &'l Shared<Vec<u8>, Coverage>,
    items: Vec<Item<'a>>,
    outlines: Vec<(Outline, Arc<OnceLock<Coverage>>)>,
    seen: HashMap<Vec<u8>, usize>,
}

impl<'a> Builder<'a, '_> {
    fn collect(&mut self, group: &'a usvg::Group) {
        for node in group.children() {
            if let Some(placed) = (self.label)(node) {
                if let Some((top, bottom)) = glyphs::rows(placed) {
                    self.items.push(Item {
                        what: What::Label(placed),
                        top: top as f32,
                        bottom: bottom as f32,
                    });
                }
                continue;
            }
            let Some(b) = node.abs_layer_bounding_box() else {
                continue;
            };
            match node {
                usvg::Node::Group(g) if !g.should_isolate() => self.collect(g),
                usvg::Node::Path(p) if !p.is_visible() => {}
                usvg::Node::Path(p) if self.solid(p) => {}
                _ => self.items.push(Item {
                    what: What::Node(node, group.abs_transform()),
                    // One pixel of slack for anti-aliasing.
                    top: b.top() * self.scale - 1.0,
                    bottom: b.bottom() * self.scale + 1.0,
                }),
            }
        }
    }

    /// Adds `p` as coverage; false when resvg has to draw it (gradients, patterns,
    /// hairlines, coordinates beyond reach).
    fn solid(&mut self, p: &usvg::Path) -> bool {
        let transform = Transform::from_scale(self.scale, self.scale).pre_concat(p.abs_transform());
        let anti_alias = p.rendering_mode().use_shape_antialiasing();
        let fill = match p.fill() {
            None => None,
            // resvg skips fills of zero width or height (lines).
            Some(_) if p.data().bounds().width() <= 0.0 || p.data().bounds().height() <= 0.0 => {
                None
            }
            Some(f) => {
                let rule = match f.rule() {
                    usvg::FillRule::NonZero => FillRule::Winding,
                    usvg::FillRule::EvenOdd => FillRule::EvenOdd,
                };
                match colour(f.paint(), f.opacity()) {
                    Some(c) => Some((rule, c)),
                    None => return false,
                }
            }
        };
        let stroke = match p.stroke() {
            None => None,
            Some(s) => {
                if hairline(&s.to_tiny_skia(), transform, anti_alias) {
                    return false;
                }
                match colour(s.paint(), s.opacity()) {
                    Some(c) => Some((s, c)),
                    None => return false,
                }
            }
        };
        let Some(placed) = Placing::new(p.data(), transform) else {
            return false;
        };
        let fill = match fill {
            None => None,
            Some((rule, colour)) => match placed.fill() {
                Some(path) => Some((path, rule, colour)),
                None => return false,
            },
        };
        let stroke = match stroke {
            None => None,
            Some((s, colour)) => match placed.stroke(s) {
                Outlined::Nothing => None,
                Outlined::Path(path) => Some((path, FillRule::Winding, colour)),
                Outlined::Failed => return false,
            },
        };
        let order = if p.paint_order() == usvg::PaintOrder::StrokeAndFill {
            [stroke, fill]
        } else {
            [fill, stroke]
        };
        for (path, rule, colour) in order.into_iter().flatten() {
            self.cover(path, placed.origin, rule, anti_alias, colour);
        }
        true
    }

    /// Adds the coverage of `path`, in device pixels from `origin`, clipped to the
    /// image.
    fn cover(
        &mut self,
        path: Path,
        origin: (f32, f32),
        rule: FillRule,
        anti_alias: bool,
        colour: [u8; 4],
    ) {
        let b = path.bounds();
        let (w, h) = (self.size.0 as f32, self.size.1 as f32);
        // A pixel of margin: anti-aliasing may touch the pixel an edge ends on.
        let left = (origin.0 + b.left().floor() - 1.0).max(0.0);
        let top = (origin.1 + b.top().floor() - 1.0).max(0.0);
        let right = (origin.0 + b.right().ceil() + 1.0).min(w);
        let bottom = (origin.1 + b.bottom().ceil() + 1.0).min(h);
        if right <= left || bottom <= top {
            return;
        }
        let shift = Transform::from_translate(origin.0 - left, origin.1 - top);
        let Some(path) = path.transform(shift) else {
            return;
        };
        let outline = Outline {
            path,
            rule,
            anti_alias,
            width: (right - left) as u32,
            height: (bottom - top) as u32,
        };
        let next = self.outlines.len();
        let key = outline.key();
        let index = match self.seen.get(&key) {
            Some(&index) => index,
            None => {
                let shared = self.cache.cell(key.clone());
                self.seen.insert(key, next);
                self.outlines.push((outline, shared));
                next
            }
        };
        self.items.push(Item {
            what: What::Cover {
                outline: index,
                left: left as i32,
                top: top as i32,
                colour,
            },
            top,
            bottom,
        });
    }
}

/// A path on its way to the device grid. Under a plain scale and shift (all of our
/// diagrams) the path is moved to device pixels first, less the whole pixels of its
/// corner (`origin`), and stroked there; so a shape drawn in several places gets the
/// same outline to the last bit, and its coverage is computed once. Under any other
/// transform it is stroked in its own units and then transformed, as resvg does.
struct Placing<'p> {
    source: &'p Path,
    transform: Transform,
    origin: (f32, f32),
    /// The source in device pixels from `origin`, under a plain scale and shift.
    device: Option<Path>,
}

enum Outlined {
    Nothing,
    Path(Path),
    Failed,
}

impl<'p> Placing<'p> {
    fn new(source: &'p Path, transform: Transform) -> Option<Placing<'p>> {
        let plain = transform.kx == 0.0
            && transform.ky == 0.0
            && transform.sx == transform.sy
            && transform.sx > 0.0;
        if !plain {
            return Some(Placing {
                source,
                transform,
                origin: (0.0, 0.0),
                device: None,
            });
        }
        let b = source.bounds();
        let origin = (
            (b.left() * transform.sx + transform.tx).floor(),
            (b.top() * transform.sy + transform.ty).floor(),
        );
        let to_device = Transform::from_row(
            transform.sx,
            0.0,
            0.0,
            transform.sy,
            transform.tx - origin.0,
            transform.ty - origin.1,
        );
        Some(Placing {
            source,
            transform,
            origin,
            device: Some(snap(&source.clone().transform(to_device)?)?),
        })
    }

    fn fill(&self) -> Option<Path> {
        match &self.device {
            Some(d) => Some(d.clone()),
            None => self.source.clone().transform(self.transform),
        }
    }

    /// The stroke's outline, exactly as tiny-skia would outline it for this transform.
    fn stroke(&self, s: &usvg::Stroke) -> Outlined {
        let mut ts = s.to_tiny_skia();
        let (path, res, after) = match &self.device {
            Some(d) => {
                let k = self.transform.sx;
                ts.width *= k;
                if ts.dash.is_some() {
                    let intervals = s.dasharray().unwrap_or_default().iter().map(|v| v * k);
                    ts.dash = StrokeDash::new(intervals.collect(), s.dashoffset() * k);
                }
                (d, 1.0, None)
            }
            None => (
                self.source,
                PathStroker::compute_resolution_scale(&self.transform),
                Some(self.transform),
            ),
        };
        let outline = match &ts.dash {
            Some(dash) => match path.dash(dash, res) {
                Some(d) => d.stroke(&ts, res),
                None => return Outlined::Failed,
            },
            None => path.stroke(&ts, res),
        };
        match (outline, after) {
            (None, _) => Outlined::Nothing,
            (Some(o), None) => Outlined::Path(o),
            (Some(o), Some(t)) => o.transform(t).map_or(Outlined::Failed, Outlined::Path),
        }
    }
}

/// The premultiplied colour of a solid paint; `None` for gradients and patterns.
fn colour(paint: &usvg::Paint, opacity: usvg::Opacity) -> Option<[u8; 4]> {
    let usvg::Paint::Color(c) = paint else {
        return None;
    };
    let c = resvg::tiny_skia::Color::from_rgba8(c.red, c.green, c.blue, opacity.to_u8())
        .premultiply()
        .to_color_u8();
    Some([c.red(), c.green(), c.blue(), c.alpha()])
}

/// Whether tiny-skia would draw this stroke as a hairline (a different algorithm from
/// filling its outline); mirrors its test, with a margin.
fn hairline(stroke: &Stroke, mut ts: Transform, anti_alias: bool) -> bool {
    if stroke.width == 0.0 {
        return true;
    }
    if !anti_alias {
        return false;
    }
    ts.tx = 0.0;
    ts.ty = 0.0;
    let mut points = [
        Point::from_xy(stroke.width, 0.0),
        Point::from_xy(0.0, stroke.width),
    ];
    ts.map_points(&mut points);
    points.iter().all(|p| {
        let (a, b) = (p.x.abs(), p.y.abs());
        a.max(b) + a.min(b) / 2.0 <= 1.25
    })
}

/// `path` with every point on a grid of 1/64 pixel, the precision tiny-skia keeps of
/// edges anyway. A shape built at two places (a rounded corner's control points are
/// worked out from its position, so their last bits differ) then nearly always comes
/// out the same to the bit, and no point moves by a visible amount.
fn snap(path: &Path) -> Option<Path> {
    let q = |v: f32| (v * 64.0).round() / 64.0;
    map_path(path, |p| Point::from_xy(q(p.x), q(p.y)))
}

impl Drawing<'_> {
    fn coverage(&self, outline: usize) -> &Coverage {
        let (o, cell) = &self.outlines[outline];
        cell.get_or_init(|| Coverage::of(o))
    }

    /// Paints every pixel of `target`, which holds the image rows from `top` down, at
    /// `scale`.
    pub(crate) fn paint(&self, scale: f32, target: &mut PixmapMut, top: u32) -> Result<(), String> {
        let band = top as f32..(top + target.height()) as f32;
        let mut items = self
            .items
            .iter()
            .filter(|i| i.bottom >= band.start && i.top <= band.end)
            .peekable();
        // The band starts transparent, unless its first shape covers it with paint.
        let covered = match items.peek().map(|i| &i.what) {
            Some(&What::Cover {
                outline,
                left,
                top: y,
                colour,
            }) => {
                colour[3] == u8::MAX && self.coverage(outline).covers(target, left, y - top as i32)
            }
            _ => false,
        };
        if !covered {
            target.data_mut().fill(0);
        }
        for item in items {
            match &item.what {
                What::Label(placed) => glyphs::draw(placed, target, top as i32)?,
                &What::Cover {
                    outline,
                    left,
                    top: y,
                    colour,
                } => self
                    .coverage(outline)
                    .paint(target, left, y - top as i32, colour),
                What::Node(node, parent) => {
                    if let Some(b) = node.abs_layer_bounding_box() {
                        // render_node draws relative to the node's own box; undo that.
                        let ts = Transform::from_row(scale, 0.0, 0.0, scale, 0.0, -(top as f32))
                            .pre_concat(*parent)
                            .pre_translate(b.x(), b.y());
                        resvg::render_node(node, ts, target);
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawing_of(svg: &str, scale: f32) -> usize {
        let tree = crate::diagram::raster::parse(svg).unwrap();
        let size = tree.size();
        let px = (
            (size.width() * scale) as u32,
            (size.height() * scale) as u32,
        );
        prepare(tree.root(), scale, px, &|_| None, &Shared::default())
            .outlines
            .len()
    }

    #[test]
    fn a_shape_drawn_in_several_places_is_filled_once() {
        let cell = |x: u32, y: u32| {
            format!(
                r##"<rect x="{x}" y="{y}" width="120" height="52" rx="6" fill="#ddf4ff" stroke="#6e7781" stroke-width="1.5"/><path d="M{a} {b}L{c} {y}M{a} {d}L{e} {y}" stroke="#848d97" stroke-width="1.5" fill="none"/>"##,
                a = x + 2,
                b = y + 11,
                c = x + 11,
                d = y + 21,
                e = x + 21,
            )
        };
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">{}{}{}</svg>"##,
            cell(10, 10),
            cell(200, 10),
            cell(10, 150)
        );
        // Fill, outline and hatching: three distinct outlines, however many cells.
        for scale in [1.0, 2.0] {
            assert_eq!(drawing_of(&svg, scale), 3, "scale {scale}");
        }
        // All moved together by a fraction of a pixel, the copies still share; one
        // moved apart from the others by a fraction is a shape of its own.
        let svg = svg.replace(r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><g transform="translate(0.3 0)">"#).replace("</svg>", "</g></svg>");
        assert_eq!(drawing_of(&svg, 1.0), 3);
        let shifted = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">{}<g transform="translate(0.5 0)">{}</g></svg>"##,
            cell(10, 10),
            cell(200, 10)
        );
        assert_eq!(drawing_of(&shifted, 1.0), 6);
    }
}
