//! Takes the labels out of one of our diagram SVGs so that the rasterizer can draw them
//! with [`super::glyphs`] instead of usvg's text engine. Each label's `<text>` is replaced
//! by an empty marker group, which keeps its place in the painting order.

use super::font::{Style, FAMILY};
use super::glyphs::Run;

/// Marker id prefix for the empty groups that stand where labels were taken out.
pub(crate) const MARKER: &str = "td-raster-text-";

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// Takes the labels out of one of our diagrams: every top-level `<text>` made of plain
/// `<tspan>` lines in the bundled family becomes an empty marker group, and its lines
/// are returned in order. `None` when the SVG is not in that form at all; a `<text>` that
/// uses anything more is left in place for usvg.
pub(crate) fn split_text(svg: &str) -> Option<(String, Vec<Vec<Run>>)> {
    const ROOT_ATTRIBUTES: &[&str] = &[
        "class",
        "role",
        "aria-labelledby",
        "viewBox",
        "width",
        "height",
        "font-family",
        "id",
    ];
    if svg.contains(MARKER) {
        return None;
    }
    let doc = roxmltree::Document::parse(svg).ok()?;
    let root = doc.root_element();
    let family = root.attribute("font-family")?;
    if !root.has_tag_name((SVG_NS, "svg"))
        || !family.trim_start_matches(['\'', '"']).starts_with(FAMILY)
        || root
            .attributes()
            .any(|a| a.namespace().is_some() || !ROOT_ATTRIBUTES.contains(&a.name()))
    {
        return None;
    }
    let mut shapes = String::with_capacity(svg.len());
    let mut texts = Vec::new();
    let mut copied = 0;
    for node in root.children() {
        if !node.has_tag_name((SVG_NS, "text")) {
            continue;
        }
        let Some(runs) = text_runs(node) else {
            continue;
        };
        let range = node.range();
        shapes.push_str(svg.get(copied..range.start)?);
        shapes.push_str(&format!("<g id=\"{MARKER}{}\"/>", texts.len()));
        texts.push(runs);
        copied = range.end;
    }
    shapes.push_str(svg.get(copied..)?);
    Some((shapes, texts))
}

/// The lines of a `<text>` whose only attribute is an id and whose children are
/// `<tspan>`s with absolute x/y, a size in px, optional bold and centring, and a
/// `#rrggbb` fill.
fn text_runs(text: roxmltree::Node) -> Option<Vec<Run>> {
    if text.attributes().any(|a| a.name() != "id") {
        return None;
    }
    let mut runs = Vec::new();
    for span in text.children() {
        if span.is_text() && span.text().is_some_and(|t| t.trim().is_empty()) {
            continue;
        }
        if !span.has_tag_name((SVG_NS, "tspan")) {
            return None;
        }
        let (mut x, mut y, mut size, mut bold, mut middle, mut rgb) =
            (None, None, None, false, false, None);
        for a in span.attributes() {
            let v = a.value();
            match (a.namespace(), a.name()) {
                (None, "x") => x = v.parse::<f32>().ok(),
                (None, "y") => y = v.parse::<f32>().ok(),
                (None, "font-size") => size = v.parse::<f32>().ok().filter(|s| *s > 0.0),
                (None, "font-weight") if v == "bold" || v == "normal" => bold = v == "bold",
                (None, "text-anchor") if v == "middle" || v == "start" => middle = v == "middle",
                (None, "fill") => rgb = hex_colour(v),
                (None, "class" | "id") => {}
                _ => return None,
            }
        }
        let mut children = span.children();
        let content = match (children.next(), children.next()) {
            (None, None) => "",
            (Some(t), None) if t.is_text() => t.text()?,
            _ => return None,
        };
        runs.push(Run {
            x: x.filter(|v| v.is_finite())?,
            y: y.filter(|v| v.is_finite())?,
            style: Style::new(size.filter(|v| v.is_finite())?, bold),
            middle,
            rgb: rgb?,
            text: content.to_string(),
        });
    }
    Some(runs)
}

fn hex_colour(v: &str) -> Option<[u8; 3]> {
    let hex = v.strip_prefix('#').filter(|h| h.len() == 6)?;
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="90" height="40" font-family="'DejaVu Sans', sans-serif">"#;

    #[test]
    fn plain_labels_become_markers_in_place() {
        let svg = format!(
            r##"{HEAD}<rect width="90" height="40" fill="#fff"/><text id="a"><tspan x="45" y="20" font-size="13" font-weight="bold" text-anchor="middle" class="c" fill="#1f2328">A &amp; B</tspan><tspan x="2" y="35" font-size="11" fill="#59636e">c</tspan></text><rect width="1" height="1" fill="#000"/></svg>"##
        );
        let (shapes, texts) = split_text(&svg).unwrap();
        assert!(
            shapes.contains(
                r##"<rect width="90" height="40" fill="#fff"/><g id="td-raster-text-0"/><rect"##
            ),
            "{shapes}"
        );
        assert_eq!(texts.len(), 1);
        let [a, c] = &texts[0][..] else {
            panic!("{texts:?}")
        };
        assert_eq!(
            (a.text.as_str(), a.middle, a.style.bold, a.rgb),
            ("A & B", true, true, [0x1f, 0x23, 0x28])
        );
        assert_eq!((c.x, c.y, c.style.size, c.middle), (2.0, 35.0, 11.0, false));
    }

    #[test]
    fn anything_more_is_left_to_usvg() {
        for text in [
            r##"<text transform="rotate(9)"><tspan x="1" y="9" font-size="9" fill="#000">r</tspan></text>"##,
            r##"<text><tspan x="1" y="9" font-size="9" fill="red">named colour</tspan></text>"##,
            r##"<text><tspan x="1" y="9" font-size="9" fill="#000" dx="3">shifted</tspan></text>"##,
            r##"<text><tspan x="1" y="9" font-size="9" fill="#000">a<tspan>b</tspan></tspan></text>"##,
            r##"<text x="1" y="9">bare</text>"##,
        ] {
            let (shapes, texts) = split_text(&format!("{HEAD}{text}</svg>")).unwrap();
            assert!(texts.is_empty() && shapes.contains(text), "{text}");
        }
        // Another font, or an attribute on the root that text would inherit.
        assert!(
            split_text(r#"<svg xmlns="http://www.w3.org/2000/svg" font-family="Arial"/>"#)
                .is_none()
        );
        assert!(split_text(&HEAD.replace("<svg ", r#"<svg font-size="30" "#)).is_none());
        assert!(split_text(&format!("{HEAD}<g id=\"{MARKER}0\"/></svg>")).is_none());
    }
}
