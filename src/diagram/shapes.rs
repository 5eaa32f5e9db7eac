//! The parsed drawing made ready to be painted band by band. A band only sees part of
//! the image, so anything resvg works out per call (dash patterns and stroke outlines
//! above all) would be worked out again for every band a shape crosses. Here each plain
//! shape (solid fill and stroke, no group effects) has its stroke outlined once for the
//! scale, exactly as tiny-skia would outline it, and each band only fills. Anything
//! else is handed to resvg per band, so the pixels are the same either way.

use resvg::tiny_skia::{FillRule, Paint, Path, PathStroker, PixmapMut, Point, Stroke, Transform};
use resvg::usvg;

use super::glyphs::{self, Placed};

/// One thing to paint, in painting order, with the rows (in SVG units) it can touch.
pub(crate) struct Item<'a> {
    what: What<'a>,
    top: f32,
    bottom: f32,
}

enum What<'a> {
    /// A label, drawn from the glyph cache.
    Label(&'a [Placed]),
    /// Solid paint: the fill of a path and its stroke outline.
    Solid(Box<Solid<'a>>),
    /// Drawn by resvg in each band, under its parent group's transform.
    Node(&'a usvg::Node, Transform),
}

/// The painting list for `root` at `scale`; `label` names the placed label a marker
/// group stands for.
pub(crate) fn prepare<'a>(
    root: &'a usvg::Group,
    scale: f32,
    label: &dyn Fn(&usvg::Node) -> Option<&'a [Placed]>,
) -> Vec<Item<'a>> {
    let mut items = Vec::new();
    collect(root, scale, label, &mut items);
    items
}

fn collect<'a>(
    group: &'a usvg::Group,
    scale: f32,
    label: &dyn Fn(&usvg::Node) -> Option<&'a [Placed]>,
    items: &mut Vec<Item<'a>>,
) {
    for node in group.children() {
        if let Some(placed) = label(node) {
            items.push(Item {
                what: What::Label(placed),
                top: f32::NEG_INFINITY,
                bottom: f32::INFINITY,
            });
            continue;
        }
        let Some(b) = node.abs_layer_bounding_box() else {
            continue;
        };
        let (top, bottom) = (b.top(), b.bottom());
        match node {
            usvg::Node::Group(g) if !g.should_isolate() => collect(g, scale, label, items),
            usvg::Node::Path(p) if !p.is_visible() => {}
            usvg::Node::Path(p) => {
                let what = solid(p, scale).unwrap_or(What::Node(node, group.abs_transform()));
                items.push(Item { what, top, bottom });
            }
            _ => items.push(Item {
                what: What::Node(node, group.abs_transform()),
                top,
                bottom,
            }),
        }
    }
}

struct Solid<'a> {
    data: &'a Path,
    fill: Option<(Paint<'static>, FillRule)>,
    stroke: Option<(Paint<'static>, Path)>,
    stroke_first: bool,
    transform: Transform,
}

/// `p` with its stroke outlined for `scale`, or `None` when resvg has to draw it
/// (gradients, patterns, hairlines).
fn solid(p: &usvg::Path, scale: f32) -> Option<What<'_>> {
    let transform = Transform::from_scale(scale, scale).pre_concat(p.abs_transform());
    let anti_alias = p.rendering_mode().use_shape_antialiasing();
    let paint = |paint: &usvg::Paint, opacity: usvg::Opacity| {
        let usvg::Paint::Color(c) = paint else {
            return None;
        };
        let mut out = Paint::default();
        out.set_color_rgba8(c.red, c.green, c.blue, opacity.to_u8());
        out.anti_alias = anti_alias;
        Some(out)
    };
    let fill = match p.fill() {
        None => None,
        // resvg skips fills of zero width or height (lines).
        Some(_) if p.data().bounds().width() <= 0.0 || p.data().bounds().height() <= 0.0 => None,
        Some(f) => {
            let rule = match f.rule() {
                usvg::FillRule::NonZero => FillRule::Winding,
                usvg::FillRule::EvenOdd => FillRule::EvenOdd,
            };
            Some((paint(f.paint(), f.opacity())?, rule))
        }
    };
    let stroke = match p.stroke() {
        None => None,
        Some(s) => {
            let ts = s.to_tiny_skia();
            if hairline(&ts, transform, anti_alias) {
                return None;
            }
            let res = PathStroker::compute_resolution_scale(&transform);
            let outline = match &ts.dash {
                Some(dash) => p.data().dash(dash, res)?.stroke(&ts, res),
                None => p.data().stroke(&ts, res),
            };
            match outline {
                Some(o) => Some((paint(s.paint(), s.opacity())?, o)),
                None => None,
            }
        }
    };
    Some(What::Solid(Box::new(Solid {
        data: p.data(),
        fill,
        stroke,
        stroke_first: p.paint_order() == usvg::PaintOrder::StrokeAndFill,
        transform,
    })))
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

/// Paints `items` at `scale` into `target`, which holds the image rows from `top` down.
pub(crate) fn paint(
    items: &[Item],
    scale: f32,
    target: &mut PixmapMut,
    top: u32,
) -> Result<(), String> {
    let band = Transform::from_translate(0.0, -(top as f32));
    let rows = top as f32..(top + target.height()) as f32;
    for item in items {
        // One pixel of slack for anti-aliasing.
        if item.bottom * scale + 1.0 < rows.start || item.top * scale - 1.0 > rows.end {
            continue;
        }
        match &item.what {
            What::Label(placed) => glyphs::draw(placed, target, top as i32)?,
            What::Solid(solid) => {
                let Solid {
                    data,
                    fill,
                    stroke,
                    stroke_first,
                    transform,
                } = solid.as_ref();
                let ts = band.pre_concat(*transform);
                let outline = stroke
                    .as_ref()
                    .map(|(paint, o)| (paint, o, FillRule::Winding));
                let fill = fill.as_ref().map(|(paint, rule)| (paint, *data, *rule));
                let order = if *stroke_first {
                    [outline, fill]
                } else {
                    [fill, outline]
                };
                for (paint, path, rule) in order.into_iter().flatten() {
                    target.fill_path(path, paint, rule, ts, None);
                }
            }
            What::Node(node, parent) => {
                if let Some(b) = node.abs_layer_bounding_box() {
                    // render_node draws relative to the node's own box; undo that shift.
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
