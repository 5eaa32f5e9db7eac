//! Writes a [`Layout`] as SVG. Numbers go through one fixed formatter (one decimal,
//! no `-0`) so the bytes never depend on float noise; every string from the data is
//! escaped here, in text and in attributes.

use std::fmt::Write as _;

use crate::compare::model::Trust;

use crate::escape::{html as esc, html_into};

use super::cells::{Boundary, LayerBox};
use super::font::FONT_STACK;
use super::geom::{Anchor, Glyph, Label, Rect};
use super::layout::{Chip, Layout};
use super::legend::Sample;
use super::palette::{paint, stylesheet, Ink};

/// Formats a coordinate with at most one decimal (halves round away from zero).
/// Written out from whole tenths: the standard library's fixed-precision float
/// formatting is exact but slow, and a diagram has thousands of coordinates.
pub(crate) fn num(v: f32) -> String {
    let tenths = (f64::from(v) * 10.0).round();
    if tenths == 0.0 || !tenths.is_finite() {
        return "0".to_string();
    }
    // Beyond i64 only for absurd coordinates; those keep the slow road.
    if tenths.abs() > 1e15 {
        let s = format!("{:.1}", tenths / 10.0);
        return s.strip_suffix(".0").map_or(s.clone(), str::to_string);
    }
    let t = tenths as i64;
    let (whole, tenth) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
    let sign = if t < 0 { "-" } else { "" };
    if tenth == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{tenth}")
    }
}

fn rect_attrs(r: Rect) -> String {
    format!(
        "x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
        num(r.x),
        num(r.y),
        num(r.w),
        num(r.h)
    )
}

/// An element id: the page's prefix, then the id the layout gave.
fn id(s: &mut String, p: &str, id: &str) {
    s.push_str(p);
    s.push('-');
    html_into(s, id);
}

/// How every diagram's `<svg>` element starts, inline or standalone. A diagram holds no
/// nested `<svg>`, and its text is escaped, so its first `</svg>` is its end.
pub const SVG_START: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"td-diagram\"";

/// The whole `<svg>` element. `p` is the (already safe) id prefix, which goes in front
/// of every id of the layout.
pub(crate) fn write(l: &Layout, p: &str, title: &str, desc: &str) -> String {
    let mut s = String::with_capacity(32 * 1024);
    let (w, h) = (num(l.width), num(l.height));
    let _ = writeln!(
        s,
        "{SVG_START} role=\"img\" aria-labelledby=\"{p}-title {p}-desc\" \
         viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"{FONT_STACK}\">"
    );
    let _ = writeln!(s, "<title id=\"{p}-title\">{}</title>", esc(title));
    let _ = writeln!(s, "<desc id=\"{p}-desc\">{}</desc>", esc(desc));
    let _ = writeln!(s, "<style>{}</style>", stylesheet());
    let _ = writeln!(
        s,
        "<rect {} {}/>",
        rect_attrs(Rect::new(0.0, 0.0, l.width, l.height)),
        paint(Some(Ink::Canvas), None)
    );

    for hd in &l.headers {
        let r = hd.rect;
        s.push_str("<rect id=\"");
        id(&mut s, p, &hd.id);
        let _ = writeln!(
            s,
            "\" {} {}/><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {} stroke-width=\"1\"/>",
            rect_attrs(r),
            paint(Some(Ink::Canvas), None),
            num(r.x),
            num(r.bottom()),
            num(r.right()),
            num(r.bottom()),
            paint(None, Some(Ink::Rule))
        );
        text(&mut s, p, &hd.label);
    }
    for b in &l.cells.boxes {
        layer_box(&mut s, p, b);
    }
    for g in &l.cells.gaps {
        s.push_str("<rect id=\"");
        id(&mut s, p, &g.id);
        let _ = writeln!(s, "\" {} fill=\"none\"/>", rect_attrs(g.rect));
        text(&mut s, p, &g.label);
    }
    for b in &l.cells.boundaries {
        boundary(&mut s, p, b);
    }
    for c in &l.chips {
        chip(&mut s, p, c);
    }
    legend(&mut s, p, l);
    s.push_str("</svg>\n");
    s
}

fn text(s: &mut String, p: &str, label: &Label) {
    s.push_str("<text id=\"");
    id(s, p, &label.id);
    s.push_str("\">");
    for line in &label.lines {
        let anchor = match line.anchor {
            Anchor::Start => "",
            Anchor::Middle => " text-anchor=\"middle\"",
        };
        let weight = if line.style.bold {
            " font-weight=\"bold\""
        } else {
            ""
        };
        let _ = write!(
            s,
            "<tspan x=\"{}\" y=\"{}\" font-size=\"{}\"{weight}{anchor} {}>{}</tspan>",
            num(line.x),
            num(line.y),
            num(line.style.size),
            paint(Some(line.ink), None),
            esc(&line.text)
        );
    }
    s.push_str("</text>\n");
}

fn layer_box(s: &mut String, p: &str, b: &LayerBox) {
    let (fill, stroke, width) = match b.trust {
        Trust::Root => (Ink::Root, Ink::RootLine, "1.5"),
        Trust::Protected => (Ink::Prot, Ink::Rule, "1"),
        Trust::Untrusted => (Ink::Untr, Ink::Rule, "1"),
    };
    s.push_str("<rect id=\"");
    id(s, p, &b.id);
    let _ = writeln!(
        s,
        "\" {} rx=\"6\" {} stroke-width=\"{width}\"/>",
        rect_attrs(b.rect),
        paint(Some(fill), Some(stroke))
    );
    if b.trust == Trust::Untrusted {
        hatch(s, b.rect);
    }
    if let Some(k) = b.knock {
        let _ = writeln!(
            s,
            "<rect {} rx=\"4\" {}/>",
            rect_attrs(k),
            paint(Some(Ink::Untr), None)
        );
    }
    if let Some(g) = b.glyph {
        glyph(s, g, Ink::RootLine);
    }
    text(s, p, &b.label);
}

/// Hatching as explicit 45° strokes clipped to `r`, on a grid that starts at the box's
/// corner, so boxes of one size carry the same strokes. Drawn as geometry rather than a
/// `<pattern>`: resvg samples pattern fills bicubically, which made hatching most of
/// the raster time, and plain strokes stay crisp at any zoom.
fn hatch(s: &mut String, r: Rect) {
    const STEP: f32 = 10.0; // along x; 7.1 px between lines
                            // Keep clear of the border and of the rounded corners.
    let r = r.inset(2.0);
    let mut d = String::new();
    let last = ((r.w + r.h) / STEP).floor() as i64;
    for k in 1..=last {
        let c = k as f32 * STEP; // the line u + v = c, from the corner
        let u0 = (c - r.h).max(0.0);
        let u1 = c.min(r.w);
        if u1 - u0 >= 6.0 {
            let _ = write!(
                d,
                "M{} {}L{} {}",
                num(r.x + u0),
                num(r.y + c - u0),
                num(r.x + u1),
                num(r.y + c - u1)
            );
        }
    }
    if !d.is_empty() {
        let _ = writeln!(
            s,
            "<path d=\"{d}\" {} stroke-width=\"1.5\"/>",
            paint(None, Some(Ink::Hatch))
        );
    }
}

fn boundary(s: &mut String, p: &str, b: &Boundary) {
    let _ = writeln!(
        s,
        "<rect {} rx=\"10\" {} stroke-width=\"2\" stroke-dasharray=\"7 4\"/>",
        rect_attrs(b.outline),
        paint(None, Some(Ink::Boundary))
    );
    s.push_str("<rect id=\"");
    id(s, p, &b.id);
    let _ = writeln!(
        s,
        "\" {} rx=\"3\" {}/>",
        rect_attrs(b.tab),
        paint(Some(b.tab_fill), None)
    );
    text(s, p, &b.label);
}

fn chip(s: &mut String, p: &str, c: &Chip) {
    s.push_str("<rect id=\"");
    id(s, p, &c.id);
    let _ = writeln!(
        s,
        "\" {} rx=\"{}\" {} stroke-width=\"1\"/>",
        rect_attrs(c.rect),
        num((c.rect.h / 2.0).min(8.0)),
        paint(Some(c.fill), Some(c.stroke))
    );
    glyph(s, c.glyph, c.glyph_ink);
    text(s, p, &c.label);
}

/// Draws a 12 px pictogram centred on its position.
fn glyph(s: &mut String, g: Glyph, ink: Ink) {
    let (x, y, body) = match g {
        Glyph::Shield { x, y } => (
            x,
            y,
            format!(
                "<path d=\"M0 -6L5 -4V0.5C5 3.6 2.8 5.4 0 6.5C-2.8 5.4 -5 3.6 -5 0.5V-4Z\" {}/>\
                 <circle cx=\"0\" cy=\"-0.6\" r=\"1.6\" {bg}/><path d=\"M-0.8 0.4H0.8L1.2 3.4H-1.2Z\" {bg}/>",
                paint(Some(ink), None),
                bg = paint(Some(Ink::Root), None)
            ),
        ),
        Glyph::Person { x, y } => (
            x,
            y,
            format!(
                "<circle cx=\"0\" cy=\"-2.8\" r=\"2.8\" {f}/><path d=\"M-5.5 6C-5.5 2 -3 0.9 0 0.9C3 0.9 5.5 2 5.5 6Z\" {f}/>",
                f = paint(Some(ink), None)
            ),
        ),
        Glyph::Eye { x, y } => (
            x,
            y,
            format!(
                "<path d=\"M-6 0C-3.5 -4.6 3.5 -4.6 6 0C3.5 4.6 -3.5 4.6 -6 0Z\" {} stroke-width=\"1.4\"/><circle cx=\"0\" cy=\"0\" r=\"2\" {}/>",
                paint(None, Some(ink)),
                paint(Some(ink), None)
            ),
        ),
        Glyph::Lock { x, y } => (
            x,
            y,
            format!(
                "<path d=\"M-3 -0.5V-2.8C-3 -6.6 3 -6.6 3 -2.8V-0.5\" {} stroke-width=\"1.5\"/><rect x=\"-4.5\" y=\"-0.8\" width=\"9\" height=\"7\" rx=\"1.2\" {}/>",
                paint(None, Some(ink)),
                paint(Some(ink), None)
            ),
        ),
        Glyph::Absent { x, y } => (
            x,
            y,
            format!(
                "<circle cx=\"0\" cy=\"0\" r=\"5\" {} stroke-width=\"1.4\"/><path d=\"M-3.5 3.5L3.5 -3.5\" {} stroke-width=\"1.4\"/>",
                paint(None, Some(ink)),
                paint(None, Some(ink))
            ),
        ),
    };
    let _ = writeln!(
        s,
        "<g transform=\"translate({} {})\">{body}</g>",
        num(x),
        num(y)
    );
}

fn legend(s: &mut String, p: &str, l: &Layout) {
    let lg = &l.legend;
    s.push_str("<rect id=\"");
    id(s, p, &lg.id);
    let _ = writeln!(
        s,
        "\" {} rx=\"8\" {} stroke-width=\"1\"/>",
        rect_attrs(lg.rect),
        paint(Some(Ink::Panel), Some(Ink::Rule))
    );
    for (sample, r) in &lg.samples {
        let r = *r;
        let cy = r.cy();
        match sample {
            Sample::Boundary => {
                let _ = writeln!(
                    s,
                    "<rect {} rx=\"4\" {} stroke-width=\"2\" stroke-dasharray=\"7 4\"/>",
                    rect_attrs(r.inset(1.0)),
                    paint(None, Some(Ink::Boundary))
                );
            }
            Sample::Protected | Sample::Untrusted | Sample::Root => {
                let (fill, stroke) = match sample {
                    Sample::Protected => (Ink::Prot, Ink::Rule),
                    Sample::Root => (Ink::Root, Ink::RootLine),
                    _ => (Ink::Untr, Ink::Rule),
                };
                let _ = writeln!(
                    s,
                    "<rect {} rx=\"3\" {} stroke-width=\"1\"/>",
                    rect_attrs(r),
                    paint(Some(fill), Some(stroke))
                );
                if *sample == Sample::Untrusted {
                    hatch(s, r);
                }
                if *sample == Sample::Root {
                    glyph(s, Glyph::Shield { x: r.cx(), y: cy }, Ink::RootLine);
                }
            }
            Sample::Cannot | Sample::Can | Sample::Absent => {
                let (fill, ink) = match sample {
                    Sample::Can => (Ink::Can, Ink::CanMark),
                    Sample::Cannot => (Ink::Cannot, Ink::CannotMark),
                    _ => (Ink::Panel, Ink::Muted),
                };
                let _ = writeln!(
                    s,
                    "<rect {} rx=\"8\" {} stroke-width=\"1\"/>",
                    rect_attrs(r),
                    paint(Some(fill), Some(ink))
                );
                let (x, y) = (r.cx(), cy);
                let g = match sample {
                    Sample::Can => Glyph::Eye { x, y },
                    Sample::Cannot => Glyph::Lock { x, y },
                    _ => Glyph::Absent { x, y },
                };
                glyph(s, g, ink);
            }
        }
    }
    for label in &lg.labels {
        text(s, p, label);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_fixed_form() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(12.36), "12.4");
        assert_eq!(num(-3.25), "-3.3");
        assert_eq!(num(f32::NAN), "0");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(0.05), "0.1");
        assert_eq!(num(1588.0), "1588");
        // The same text as the standard library's fixed-point formatting of the
        // rounded value, over a sweep of coordinates.
        let sweep = (-40_000..40_000).map(|i| i as f32 * 0.037);
        for v in sweep.chain([-1e20, 3.4e38, 123_456.75, -0.05]) {
            let r = (f64::from(v) * 10.0).round() / 10.0;
            let slow = if r == 0.0 {
                "0".to_string()
            } else {
                let s = format!("{r:.1}");
                s.strip_suffix(".0").map_or(s.clone(), str::to_string)
            };
            assert_eq!(num(v), slow, "{v}");
        }
    }

    #[test]
    fn hatching_starts_at_the_box_corner_wherever_the_box_is() {
        let points = |r: Rect| -> Vec<f32> {
            let mut s = String::new();
            hatch(&mut s, r);
            let d = s.split('"').nth(1).unwrap().to_string();
            d.split(['M', 'L', ' '])
                .filter(|t| !t.is_empty())
                .map(|t| t.parse().unwrap())
                .collect()
        };
        let a = points(Rect::new(10.0, 20.0, 180.0, 52.0));
        let b = points(Rect::new(248.0, 383.0, 180.0, 52.0));
        assert!(
            a.len() > 40 && a.len() == b.len(),
            "{} {}",
            a.len(),
            b.len()
        );
        for (i, (p, q)) in a.iter().zip(&b).enumerate() {
            let shift = if i % 2 == 0 { 238.0 } else { 363.0 };
            assert_eq!(q - p, shift, "coordinate {i}");
        }
    }
}
