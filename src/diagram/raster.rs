//! PNG output through resvg. The font database holds only the bundled DejaVu faces (no
//! system fonts are ever loaded) and external images are refused, so a given SVG gives
//! the same pixels on every machine.

use std::sync::{Arc, OnceLock};

use std::hash::Hasher;

use rayon::prelude::*;
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};
use siphasher::sip128::Hasher128;

use super::font::{BOLD_TTF, FAMILY, REGULAR_TTF};

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

/// Bump when the rasteriser's output changes for the same SVG, so PNGs kept from an
/// earlier build are not reused.
const RASTER_VERSION: u32 = 2;

/// PNG text keyword that records which SVG, scale and rasteriser made the image.
const SOURCE_KEYWORD: &str = "trustdoc-source";

/// Renders a standalone SVG to PNG bytes at `scale` (1.0 = one pixel per SVG unit).
pub fn rasterize(svg_standalone: &str, scale: f32) -> Result<Vec<u8>, String> {
    let mut out = rasterize_scales(svg_standalone, &[scale])?;
    out.pop().ok_or_else(|| "no image was rendered".to_string())
}

/// Like [`rasterize`] for several scales, parsing (and laying out the text) only once.
/// A scale that is half of another one is not drawn again: its pixels are the 2x2
/// average of the larger image, which costs a fraction of a second drawing.
pub fn rasterize_scales(svg_standalone: &str, scales: &[f32]) -> Result<Vec<Vec<u8>>, String> {
    for &scale in scales {
        if !(scale.is_finite() && scale > 0.0 && scale <= MAX_SCALE) {
            return Err(format!(
                "raster scale must be above 0 and at most {MAX_SCALE}, got {scale}"
            ));
        }
    }
    let tree = parse(svg_standalone)?;
    let size = tree.size();
    let dims = |scale: f32| {
        (
            (size.width() * scale).round().max(1.0) as u32,
            (size.height() * scale).round().max(1.0) as u32,
        )
    };
    let draw = |scale: f32| -> Result<Pixmap, String> {
        let (w, h) = dims(scale);
        let mut pixmap =
            Pixmap::new(w, h).ok_or_else(|| format!("cannot allocate a {w}x{h} image"))?;
        resvg::render(
            &tree,
            Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        Ok(pixmap)
    };
    // Largest first, so that halves can be taken from what is already drawn.
    let mut order: Vec<usize> = (0..scales.len()).collect();
    order.sort_by(|&a, &b| scales[b].total_cmp(&scales[a]));
    let mut drawn: Vec<Option<Pixmap>> = scales.iter().map(|_| None).collect();
    for &i in &order {
        let scale = scales[i];
        let double = order
            .iter()
            .find(|&&j| scales[j] == scale * 2.0)
            .and_then(|&j| drawn[j].as_ref());
        let pixmap = match double {
            Some(big) if dims(scale) == (big.width() / 2, big.height() / 2) => halve(big),
            _ => None,
        };
        drawn[i] = Some(match pixmap {
            Some(p) => p,
            None => draw(scale)?,
        });
    }
    drawn
        .par_iter()
        .zip(scales.par_iter())
        .map(|(p, &scale)| {
            let p = p.as_ref().ok_or("an image was not drawn")?;
            encode_png(p, &source_key(svg_standalone, scale))
        })
        .collect()
}

/// The 2x2 box average of `big` (one pixel per four). Every channel is averaged
/// alike, which is exact for premultiplied pixels.
fn halve(big: &Pixmap) -> Option<Pixmap> {
    let (w, h) = (big.width() / 2, big.height() / 2);
    let mut small = Pixmap::new(w, h)?;
    let stride = big.width() as usize * 4;
    let src = big.data();
    let dst = small.data_mut();
    for (y, out_row) in dst.chunks_exact_mut(w as usize * 4).enumerate() {
        let top = src.get(2 * y * stride..(2 * y + 1) * stride)?;
        let bottom = src.get((2 * y + 1) * stride..(2 * y + 2) * stride)?;
        for (x, out) in out_row.chunks_exact_mut(4).enumerate() {
            let (a, b) = (&top[8 * x..8 * x + 8], &bottom[8 * x..8 * x + 8]);
            for c in 0..4 {
                let sum =
                    u16::from(a[c]) + u16::from(a[c + 4]) + u16::from(b[c]) + u16::from(b[c + 4]);
                out[c] = ((sum + 2) / 4) as u8;
            }
        }
    }
    Some(small)
}

/// What a PNG made from `svg` at `scale` records about its source: the rasteriser
/// version, the scale and a 128-bit SipHash of the SVG text (fixed keys, so stable
/// across runs and machines).
fn source_key(svg: &str, scale: f32) -> String {
    let mut h = siphasher::sip128::SipHasher13::new();
    h.write(svg.as_bytes());
    format!(
        "v{RASTER_VERSION} scale {scale} svg {:032x}",
        h.finish128().as_u128()
    )
}

/// Whether `png` was rendered by this rasteriser from exactly `svg` at `scale`, so a
/// build can keep it instead of drawing it again.
pub fn is_rendering_of(png: &[u8], svg: &str, scale: f32) -> bool {
    let Ok(reader) = png::Decoder::new(std::io::Cursor::new(png)).read_info() else {
        return false;
    };
    let key = source_key(svg, scale);
    reader
        .info()
        .uncompressed_latin1_text
        .iter()
        .any(|t| t.keyword == SOURCE_KEYWORD && t.text == key)
}

/// PNG tuned for flat-coloured drawings: RGB without the alpha channel (the canvas is
/// opaque), the "up" filter and the fastest zlib level: a third of the default settings'
/// time for files about 1.3 times larger. `source` goes into a text chunk.
pub(crate) fn encode_png(pixmap: &Pixmap, source: &str) -> Result<Vec<u8>, String> {
    let mut rgb = Vec::with_capacity(pixmap.data().len() / 4 * 3);
    for p in pixmap.data().chunks_exact(4) {
        if p[3] != u8::MAX {
            // tiny-skia stores premultiplied alpha; its own encoder converts.
            return pixmap
                .encode_png()
                .map_err(|e| format!("PNG encoding failed: {e}"));
        }
        rgb.extend_from_slice(&p[..3]);
    }
    let mut out = Vec::with_capacity(rgb.len() / 16);
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_deflate_compression(png::DeflateCompression::Level(1));
    enc.set_filter(png::Filter::Up);
    let err = |e: png::EncodingError| format!("PNG encoding failed: {e}");
    enc.add_text_chunk(SOURCE_KEYWORD.to_string(), source.to_string())
        .map_err(err)?;
    let mut writer = enc.write_header().map_err(err)?;
    writer.write_image_data(&rgb).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
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

    #[test]
    fn font_database_holds_only_the_bundled_faces() {
        let db = font_db();
        assert_eq!(db.len(), 2);
        assert!(db
            .faces()
            .all(|f| f.families.iter().any(|(n, _)| n == FAMILY)));
    }
}
