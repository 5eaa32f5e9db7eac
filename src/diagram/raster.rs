//! PNG output through resvg. The font database holds only the bundled DejaVu faces (no
//! system fonts are ever loaded) and external images are refused, so a given SVG gives
//! the same pixels on every machine.
//!
//! Our own diagrams take a faster road than a general SVG: their labels are taken out
//! before usvg parses the drawing (`labels`) and drawn from a glyph cache (`glyphs`) in
//! their place in the painting order, and the image is drawn in bands of rows that are
//! compressed as soon as they are drawn (`encode`), so it never exists whole. Any other
//! SVG goes through usvg and resvg unchanged.

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use resvg::tiny_skia::PixmapMut;
use resvg::usvg::{self, fontdb};

use super::cache::Shared;
use super::coverage::Coverage;
use super::encode::{self, source_key};
use super::font::{BOLD_TTF, FAMILY, REGULAR_TTF};
use super::glyphs::{self, Masks, Placed, Run};
use super::labels::{split_text, MARKER};
use super::shapes::{self, Drawing};

/// What the diagrams of one build share while they are drawn (see `cache`): shape
/// coverage by exact outline, glyph masks by glyph, size and offset. Make one per
/// build and hand it to every [`rasterize_shared`] call of that build.
#[derive(Default)]
pub struct RasterCache {
    outlines: Shared<Vec<u8>, Coverage>,
    glyphs: Masks,
}

/// Largest scale accepted; beyond this a large diagram would need gigabytes of pixels.
const MAX_SCALE: f32 = 8.0;

fn font_db() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        for data in [REGULAR_TTF, BOLD_TTF] {
            db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
        }
        // Every generic family resolves to the bundled face.
        db.set_serif_family(FAMILY);
        db.set_sans_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Parses an SVG with the bundled fonts only (also used by tests to measure text).
pub(crate) fn parse(svg: &str) -> Result<usvg::Tree, String> {
    let opt = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: font_db(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &opt).map_err(|e| format!("the diagram SVG cannot be parsed: {e}"))
}

/// A parsed drawing. `Split` holds the shapes as a usvg tree, with an empty marker group
/// in place of each label, and the labels as runs for [`glyphs::draw`]; `Whole` is an
/// SVG whose text usvg has to lay out itself (not one of our diagrams).
enum Scene {
    Split {
        tree: usvg::Tree,
        texts: Vec<Vec<Run>>,
    },
    Whole(usvg::Tree),
}

impl Scene {
    fn of(svg: &str) -> Result<Scene, String> {
        if let Some((shapes, texts)) = split_text(svg) {
            let tree = parse(&shapes)?;
            let markers = tree
                .root()
                .children()
                .iter()
                .filter(|n| marker(n).is_some())
                .count();
            if tree.root().transform().is_identity() && markers == texts.len() {
                return Ok(Scene::Split { tree, texts });
            }
        }
        parse(svg).map(Scene::Whole)
    }

    fn tree(&self) -> &usvg::Tree {
        match self {
            Scene::Split { tree, .. } | Scene::Whole(tree) => tree,
        }
    }

    /// The labels laid out at `scale`, one list per label (empty for `Whole`).
    fn place(&self, scale: f32, masks: &Masks) -> Result<Vec<Vec<Placed>>, String> {
        match self {
            Scene::Whole(_) => Ok(Vec::new()),
            Scene::Split { texts, .. } => texts
                .iter()
                .map(|t| glyphs::place(t, scale, masks))
                .collect(),
        }
    }

    /// The painting list at `scale` for an image of `size` pixels, with the labels as
    /// `place` laid them out.
    fn drawing<'a>(
        &'a self,
        scale: f32,
        size: (u32, u32),
        labels: &'a [Vec<Placed>],
        outlines: &Shared<Vec<u8>, Coverage>,
    ) -> Drawing<'a> {
        let label = |node: &usvg::Node| match self {
            Scene::Split { .. } => marker(node).and_then(|i| labels.get(i)).map(Vec::as_slice),
            Scene::Whole(_) => None,
        };
        shapes::prepare(self.tree().root(), scale, size, &label, outlines)
    }
}

/// The label index of an empty marker group.
fn marker(node: &usvg::Node) -> Option<usize> {
    match node {
        usvg::Node::Group(g) if !g.has_children() => g.id().strip_prefix(MARKER)?.parse().ok(),
        _ => None,
    }
}

/// Renders a standalone SVG to PNG bytes at `scale` (1.0 = one pixel per SVG unit).
pub fn rasterize(svg_standalone: &str, scale: f32) -> Result<Vec<u8>, String> {
    let mut out = rasterize_scales(svg_standalone, &[scale])?;
    out.pop().ok_or_else(|| "no image was rendered".to_string())
}

/// Like [`rasterize`] for several scales, parsing (and laying out the text) only once.
/// A scale that is half of another one is not drawn again: its pixels are the 2x2
/// average of the larger image, which costs a fraction of a second drawing.
pub fn rasterize_scales(svg_standalone: &str, scales: &[f32]) -> Result<Vec<Vec<u8>>, String> {
    rasterize_shared(svg_standalone, scales, &RasterCache::default())
}

/// [`rasterize_scales`] for one of several diagrams drawn together (a build), which
/// share the coverage of the shapes they have in common through `cache`.
pub fn rasterize_shared(
    svg_standalone: &str,
    scales: &[f32],
    cache: &RasterCache,
) -> Result<Vec<Vec<u8>>, String> {
    for &scale in scales {
        if !(scale.is_finite() && scale > 0.0 && scale <= MAX_SCALE) {
            return Err(format!(
                "raster scale must be above 0 and at most {MAX_SCALE}, got {scale}"
            ));
        }
    }
    let scene = Scene::of(svg_standalone)?;
    let size = scene.tree().size();
    let dims = |scale: f32| {
        (
            (size.width() * scale).round().max(1.0) as u32,
            (size.height() * scale).round().max(1.0) as u32,
        )
    };
    // Largest first; a scale that is half of a drawn one comes out of that drawing's pass.
    let mut order: Vec<usize> = (0..scales.len()).collect();
    order.sort_by(|&a, &b| scales[b].total_cmp(&scales[a]));
    let mut drawn: Vec<(usize, Option<usize>)> = Vec::new();
    for &i in &order {
        let (w, h) = dims(scales[i]);
        let double = drawn.iter_mut().find(|(j, half)| {
            let (bw, bh) = dims(scales[*j]);
            half.is_none() && scales[*j] == scales[i] * 2.0 && (w, h) == (bw / 2, bh / 2)
        });
        match double {
            Some(d) => d.1 = Some(i),
            None => drawn.push((i, None)),
        }
    }
    let key = |i: usize| source_key(svg_standalone, scales[i]);
    let encoded: Vec<[Option<Vec<u8>>; 2]> = drawn
        .par_iter()
        .map(|&(i, half)| {
            let scale = scales[i];
            let keys = [Some(key(i)), half.map(key)];
            let labels = scene.place(scale, &cache.glyphs)?;
            let drawing = scene.drawing(scale, dims(scale), &labels, &cache.outlines);
            let paint = |band: &mut PixmapMut, top: u32| drawing.paint(scale, band, top);
            encode::encode(
                dims(scale),
                [keys[0].as_deref(), keys[1].as_deref()],
                &paint,
            )
        })
        .collect::<Result<_, _>>()?;
    let mut pngs: Vec<Option<Vec<u8>>> = vec![None; scales.len()];
    for (&(i, half), [full, small]) in drawn.iter().zip(encoded) {
        pngs[i] = full;
        if let Some(h) = half {
            pngs[h] = small;
        }
    }
    pngs.into_iter()
        .map(|p| p.ok_or_else(|| "an image was not drawn".to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_scales_and_bad_svg() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>"#;
        for s in [0.0, -1.0, f32::NAN, 100.0] {
            assert!(rasterize(svg, s).is_err(), "{s}");
        }
        assert!(rasterize("<svg", 1.0).is_err());
        assert!(rasterize(svg, 1.0).is_ok());
    }

    /// Draws with usvg laying out the text itself, the way the labels would look without
    /// the glyph cache.
    fn through_usvg_text(svg: &str, scale: f32) -> resvg::tiny_skia::Pixmap {
        let tree = parse(svg).unwrap();
        let size = tree.size().to_int_size().scale_by(scale).unwrap();
        let mut p = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(scale, scale),
            &mut p.as_mut(),
        );
        p
    }

    #[test]
    fn labels_drawn_from_the_glyph_cache_match_usvg_text() {
        use crate::compare::access::derive;
        use crate::diagram::{fixtures::reference, render, DiagramOptions, Show};
        let cmp = reference();
        let opts = DiagramOptions {
            id_prefix: "t".into(),
            title: None,
        };
        let svg = render(&cmp, &derive(&cmp), Show::Model("coco-aks"), &opts)
            .unwrap()
            .svg_standalone;
        let Scene::Split { texts, .. } = Scene::of(&svg).unwrap() else {
            panic!("the diagram's labels were not taken out");
        };
        assert_eq!(texts.len(), svg.matches("<text").count());
        for scale in [1.0, 2.0] {
            let ours =
                resvg::tiny_skia::Pixmap::decode_png(&rasterize(&svg, scale).unwrap()).unwrap();
            let theirs = through_usvg_text(&svg, scale);
            assert_eq!(ours.width(), theirs.width());
            let (a, b) = (ours.data(), theirs.data());
            let total: u64 = a
                .iter()
                .zip(b)
                .map(|(x, y)| u64::from(x.abs_diff(*y)))
                .sum();
            let far = a
                .iter()
                .zip(b)
                .filter(|(x, y)| x.abs_diff(**y) > 96)
                .count();
            // Baselines snap to whole pixels, so glyph edges move by up to half a pixel;
            // everything else is the same drawing.
            assert!(
                (total as f64 / a.len() as f64) < 1.5,
                "mean {}",
                total as f64 / a.len() as f64
            );
            assert!(far * 100 < a.len(), "{far} channels differ by more than 96");
        }
    }

    #[test]
    fn banded_drawing_matches_resvg_drawing_the_whole_image() {
        // Plain shapes (strokes outlined once), dashes, and what only resvg draws:
        // a gradient and a translucent group, both under a translated group.
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="330">
            <defs><linearGradient id="g"><stop offset="0" stop-color="#0969da"/><stop offset="1" stop-color="#fff8c5"/></linearGradient></defs>
            <rect width="300" height="330" fill="#ffffff"/>
            <rect x="10" y="10" width="120" height="150" rx="6" fill="#ddf4ff" stroke="#6e7781" stroke-width="1"/>
            <rect x="5" y="5" width="140" height="300" rx="10" fill="none" stroke="#0969da" stroke-width="2" stroke-dasharray="7 4"/>
            <path d="M20 100L60 60M20 120L80 60M20 140L100 60" fill="none" stroke="#848d97" stroke-width="1.5"/>
            <line x1="0" y1="200" x2="300" y2="200" stroke="#000" stroke-width="0.4"/>
            <g transform="translate(160 40)">
                <circle cx="30" cy="30" r="25" fill="#9a6700"/>
                <rect y="70" width="100" height="200" fill="url(#g)"/>
                <g opacity="0.5"><rect x="20" y="90" width="60" height="60" fill="#a40e26"/></g>
            </g>
        </svg>"##;
        let reference = through_usvg_text(svg, 2.0);
        let ours = resvg::tiny_skia::Pixmap::decode_png(&rasterize(svg, 2.0).unwrap()).unwrap();
        assert_eq!((ours.width(), ours.height()), (600, 660));
        // Curves cut at band edges are flattened a little differently, which moves some
        // edge pixels' coverage; a missing or misplaced shape would differ in thousands.
        let (a, b) = (ours.data(), reference.data());
        let total: u64 = a
            .iter()
            .zip(b)
            .map(|(x, y)| u64::from(x.abs_diff(*y)))
            .sum();
        let mean = total as f64 / a.len() as f64;
        let far = a.iter().zip(b).filter(|(x, y)| x.abs_diff(**y) > 8).count();
        assert!(mean < 0.2, "mean difference {mean}");
        assert!(far * 100 < a.len(), "{far} channels differ by more than 8");
    }

    #[test]
    fn a_view_box_scales_the_banded_drawing_too() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 20 10"><rect width="20" height="10" fill="#fff"/><circle cx="5" cy="5" r="4" fill="#0969da"/><g transform="translate(10 0)"><rect x="1" y="1" width="8" height="8" fill="#a40e26" opacity="0.5"/></g></svg>"##;
        let ours = resvg::tiny_skia::Pixmap::decode_png(&rasterize(svg, 1.0).unwrap()).unwrap();
        let reference = through_usvg_text(svg, 1.0);
        let far = ours
            .data()
            .iter()
            .zip(reference.data())
            .filter(|(x, y)| x.abs_diff(**y) > 8)
            .count();
        assert!(far * 200 < ours.data().len(), "{far} channels differ");
    }

    #[test]
    fn svgs_that_are_not_ours_keep_their_text_for_usvg() {
        let plain = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="15" font-size="12">Hi</text></svg>"#;
        assert!(matches!(Scene::of(plain).unwrap(), Scene::Whole(_)));
        let png = rasterize(plain, 1.0).unwrap();
        let p = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
        assert!(
            p.pixels().iter().any(|c| c.alpha() > 0),
            "the text was drawn"
        );
    }

    #[test]
    fn font_database_holds_only_the_bundled_faces() {
        let db = font_db();
        assert_eq!(db.len(), 2);
        assert!(db
            .faces()
            .all(|f| f.families.iter().any(|(n, _)| n == FAMILY)));
    }

    #[test]
    fn diagrams_drawn_together_share_shapes_and_keep_their_pixels() {
        use crate::compare::access::derive;
        use crate::diagram::{fixtures::reference, render_files, DiagramOptions, Show};
        let cmp = reference();
        let access = derive(&cmp);
        let shows: Vec<Show> = std::iter::once(Show::All)
            .chain(cmp.models.iter().map(|m| Show::Model(&m.id)))
            .collect();
        let opts = DiagramOptions::default();
        let together = RasterCache::default();
        let mut separately = 0;
        for &show in &shows {
            let shared = render_files(&cmp, &access, show, &opts, &|_| None, &together).unwrap();
            let own = RasterCache::default();
            let alone = render_files(&cmp, &access, show, &opts, &|_| None, &own).unwrap();
            assert_eq!(shared, alone, "{show:?}");
            separately += own.outlines.len();
        }
        // The diagram of all models repeats the shapes of the single-model ones, and
        // untrusted layers of one size share their hatching.
        let shared = together.outlines.len();
        assert!(shared * 4 < separately * 3, "{shared} vs {separately}");
    }
}
