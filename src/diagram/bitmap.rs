//! PNG output: resvg draws the standalone SVG and the `png` crate encodes the pixels.
//! The font database holds only the bundled DejaVu faces (no system fonts are ever
//! loaded) and external images are refused, so a given SVG gives the same pixels on
//! every machine. Each PNG records in a text chunk which SVG, scale and renderer made
//! it, so a rebuild can keep it instead of drawing it again.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};
use siphasher::sip128::Hasher128;

use super::font::{BOLD_TTF, FAMILY, REGULAR_TTF};

/// Bump when the drawing changes for the same SVG (a resvg upgrade that moves pixels,
/// other encoder settings), so PNGs kept from an earlier build are not reused.
const RENDERER_VERSION: u32 = 7;

/// PNG text keyword that records which SVG, scale and renderer made the image.
const SOURCE_KEYWORD: &str = "trustdoc-source";

/// Compressed bytes per `IDAT` chunk while a PNG is streamed out.
const STREAM_CHUNK: usize = 1 << 16;

/// Largest scale accepted; beyond this a large diagram would need gigabytes of pixels.
const MAX_SCALE: f32 = 8.0;

/// Most pixels one PNG may have: 40 megapixels, a 160 MB canvas while it is drawn and
/// several seconds of drawing and encoding. That is twice a 24-model side-by-side diagram
/// at 2x; a larger image is not drawn at all and the SVG (which scales freely) is the
/// diagram's file.
pub const MAX_PNG_PIXELS: u64 = 40_000_000;

/// The size in pixels of a `width` x `height` drawing at `scale`.
pub fn pixel_size(width: f32, height: f32, scale: f32) -> (u32, u32) {
    let px = |v: f32| (v * scale).round().clamp(1.0, u32::MAX as f32) as u32;
    (px(width), px(height))
}

/// Whether a `width` x `height` drawing at `scale` stays within [`MAX_PNG_PIXELS`].
pub fn fits_png(width: f32, height: f32, scale: f32) -> bool {
    let (w, h) = pixel_size(width, height, scale);
    u64::from(w) * u64::from(h) <= MAX_PNG_PIXELS
}

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

/// What a PNG made from `svg` at `scale` records about its source: the renderer
/// version, the scale and a 128-bit SipHash of the SVG text (fixed keys, so stable
/// across runs and machines).
fn source_key(svg: &str, scale: f32) -> String {
    let mut h = siphasher::sip128::SipHasher13::new();
    h.write(svg.as_bytes());
    format!(
        "v{RENDERER_VERSION} scale {scale} svg {:032x}",
        h.finish128().as_u128()
    )
}

/// Whether `png` was rendered by this renderer from exactly `svg` at `scale`, so a
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

/// The pixels resvg draws for `tree` at `scale` (1.0 = one pixel per SVG unit), on a
/// transparent canvas (our diagrams paint their own background).
pub(crate) fn draw(tree: &usvg::Tree, scale: f32) -> Result<Pixmap, String> {
    if !(scale.is_finite() && scale > 0.0 && scale <= MAX_SCALE) {
        return Err(format!(
            "raster scale must be above 0 and at most {MAX_SCALE}, got {scale}"
        ));
    }
    let size = tree.size();
    let (w, h) = pixel_size(size.width(), size.height(), scale);
    if !fits_png(size.width(), size.height(), scale) {
        return Err(format!(
            "a {w}x{h} image is more than the {} megapixels a PNG may have",
            MAX_PNG_PIXELS / 1_000_000
        ));
    }
    let mut pixmap =
        Pixmap::new(w, h).ok_or_else(|| format!("cannot make a {w}x{h} image to draw in"))?;
    resvg::render(
        tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// Renders a standalone SVG to PNG bytes at `scale`.
pub fn rasterize(svg_standalone: &str, scale: f32) -> Result<Vec<u8>, String> {
    let mut out = rasterize_scales(svg_standalone, &[scale])?;
    out.pop().ok_or_else(|| "no image was rendered".to_string())
}

/// Like [`rasterize`] for several scales, parsing the SVG once and drawing the scales
/// in parallel.
pub fn rasterize_scales(svg_standalone: &str, scales: &[f32]) -> Result<Vec<Vec<u8>>, String> {
    let mut out = rasterize_many(&[(svg_standalone, scales)]);
    out.pop()
        .unwrap_or_else(|| Err("no image was rendered".to_string()))
}

/// [`rasterize_scales`] for several SVGs at once, each with its own scales; the answers
/// come in the order of `jobs`. Every SVG is parsed first, then the images are drawn on
/// the rayon pool largest first, each thread taking the next one as it comes free. Drawn
/// in any other order, the largest image can start last and keep one thread busy long
/// after the others are done.
pub fn rasterize_many(jobs: &[(&str, &[f32])]) -> Vec<Result<Vec<Vec<u8>>, String>> {
    let trees: Vec<Result<usvg::Tree, String>> =
        jobs.par_iter().map(|(svg, _)| parse(svg)).collect();
    // (job, scale index, pixels), largest first; ties in job and scale order.
    let mut images: Vec<(usize, usize, u64)> = Vec::new();
    for (i, ((_, scales), tree)) in jobs.iter().zip(&trees).enumerate() {
        let Ok(tree) = tree else { continue };
        for (k, &scale) in scales.iter().enumerate() {
            let (w, h) = pixel_size(tree.size().width(), tree.size().height(), scale);
            images.push((i, k, u64::from(w) * u64::from(h)));
        }
    }
    images.sort_by_key(|&(i, k, pixels)| (std::cmp::Reverse(pixels), i, k));
    let mut drawn: BTreeMap<(usize, usize), Result<Vec<u8>, String>> = images
        .into_iter()
        .par_bridge()
        .filter_map(|(i, k, _)| {
            let ((svg, scales), Ok(tree)) = (jobs.get(i)?, trees.get(i)?) else {
                return None;
            };
            let scale = *scales.get(k)?;
            let png = draw(tree, scale).and_then(|p| encode(&p, &source_key(svg, scale)));
            Some(((i, k), png))
        })
        .collect();
    (trees.into_iter().zip(jobs).enumerate())
        .map(|(i, (tree, (_, scales)))| {
            tree?;
            (0..scales.len())
                .map(|k| {
                    (drawn.remove(&(i, k)))
                        .unwrap_or_else(|| Err("an image was not rendered".to_string()))
                })
                .collect()
        })
        .collect()
}

/// Copies the RGB bytes of one row of RGBA pixels (`src`) into `row`, and says whether
/// every pixel was opaque. Four pixels at a time with fixed-size copies and the alpha
/// bytes ANDed together, which the compiler turns into vector code; a copy per pixel
/// with an early exit does not.
fn rgb_row(src: &[u8], row: &mut [u8]) -> bool {
    let mut alpha = u8::MAX;
    let (src4, src_tail) = src.split_at(src.len() / 16 * 16);
    let (row4, row_tail) = row.split_at_mut(src4.len() / 4 * 3);
    for (d, p) in row4.chunks_exact_mut(12).zip(src4.chunks_exact(16)) {
        let &[r0, g0, b0, a0, r1, g1, b1, a1, r2, g2, b2, a2, r3, g3, b3, a3] = p else {
            continue; // chunks_exact(16) hands out 16 bytes
        };
        d.copy_from_slice(&[r0, g0, b0, r1, g1, b1, r2, g2, b2, r3, g3, b3]);
        alpha &= a0 & a1 & a2 & a3;
    }
    for (d, p) in row_tail.chunks_exact_mut(3).zip(src_tail.chunks_exact(4)) {
        d.copy_from_slice(&p[..3]);
        alpha &= p[3];
    }
    alpha == u8::MAX
}

fn png_error(e: impl std::fmt::Display) -> String {
    format!("PNG encoding failed: {e}")
}

/// PNG bytes of `pixmap` with `key` in a text chunk: RGB when every pixel is opaque
/// (our canvas always is), straight-alpha RGBA otherwise.
fn encode(pixmap: &Pixmap, key: &str) -> Result<Vec<u8>, String> {
    match encode_as(pixmap, key, png::ColorType::Rgb)? {
        Some(png) => Ok(png),
        None => encode_as(pixmap, key, png::ColorType::Rgba)?
            .ok_or_else(|| "PNG encoding failed: RGBA refused a pixel".to_string()),
    }
}

/// PNG bytes of `pixmap` in `color` (RGB or RGBA), or None when RGB meets a pixel that is
/// not opaque. Rows are converted and handed to the encoder one at a time, which also
/// checks opacity on the way: a whole converted copy would be most of the image's size
/// again, and fresh memory is much of a fresh build's cost.
fn encode_as(pixmap: &Pixmap, key: &str, color: png::ColorType) -> Result<Option<Vec<u8>>, String> {
    let rgb = color == png::ColorType::Rgb;
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(color);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.add_text_chunk(SOURCE_KEYWORD.to_string(), key.to_string())
        .map_err(png_error)?;
    let mut writer = enc.write_header().map_err(png_error)?;
    let mut stream = writer
        .stream_writer_with_size(STREAM_CHUNK)
        .map_err(png_error)?;
    let width = pixmap.width() as usize;
    let mut row = vec![0u8; width * if rgb { 3 } else { 4 }];
    let rows = pixmap.data().chunks_exact(width * 4);
    for (src, pixels) in rows.zip(pixmap.pixels().chunks_exact(width)) {
        if rgb {
            // An opaque pixel is the same premultiplied or not.
            if !rgb_row(src, &mut row) {
                return Ok(None);
            }
        } else {
            for (d, p) in row.chunks_exact_mut(4).zip(pixels) {
                let c = p.demultiply();
                d.copy_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
            }
        }
        std::io::Write::write_all(&mut stream, &row).map_err(png_error)?;
    }
    stream.finish().map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"2\"><rect width=\"4\" height=\"2\" fill=\"#2060a0\"/></svg>";

    #[test]
    fn rejects_bad_scales_and_bad_svg() {
        for scale in [0.0, -1.0, f32::NAN, 9.0] {
            assert!(rasterize(SQUARE, scale).is_err(), "{scale}");
        }
        assert!(rasterize("<svg", 1.0).is_err());
    }

    #[test]
    fn images_above_the_pixel_cap_are_refused_before_drawing() {
        // 8000 x 5000 is exactly the cap at 1x; at 2x it is four times that.
        assert!(fits_png(8000.0, 5000.0, 1.0));
        assert!(!fits_png(8000.0, 5000.0, 2.0));
        assert!(!fits_png(8000.0, 5001.0, 1.0));
        assert_eq!(pixel_size(8000.0, 5000.0, 2.0), (16000, 10000));
        let huge = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8000\" height=\"5001\"/>";
        let e = rasterize(huge, 1.0).unwrap_err();
        assert!(
            e.contains("8000x5001") && e.contains("40 megapixels"),
            "{e}"
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
    fn opaque_images_are_rgb_and_translucent_ones_rgba() {
        let png = rasterize(SQUARE, 2.0).unwrap();
        let reader = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        assert_eq!(reader.info().color_type, png::ColorType::Rgb);
        assert_eq!((reader.info().width, reader.info().height), (8, 4));
        let half = SQUARE.replace("fill=\"#2060a0\"", "fill=\"#2060a0\" opacity=\"0.5\"");
        let png = rasterize(&half, 1.0).unwrap();
        let reader = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        assert_eq!(reader.info().color_type, png::ColorType::Rgba);
        let p = Pixmap::decode_png(&png).unwrap();
        let c = p.pixel(1, 1).unwrap().demultiply();
        // Straight colour again, within the rounding of premultiplied storage.
        for (got, want) in [(c.red(), 0x20u8), (c.green(), 0x60), (c.blue(), 0xa0)] {
            assert!(got.abs_diff(want) <= 1, "{got} vs {want}");
        }
        assert_eq!(c.alpha(), 128);
    }

    #[test]
    fn rgb_rows_copy_every_pixel_and_find_a_translucent_one_anywhere() {
        // Nine pixels: two groups of four and one left over.
        let src: Vec<u8> = (0..9u8).flat_map(|i| [i, 100 + i, 200 + i, 255]).collect();
        let mut row = vec![0u8; 27];
        assert!(rgb_row(&src, &mut row));
        let want: Vec<u8> = (0..9u8).flat_map(|i| [i, 100 + i, 200 + i]).collect();
        assert_eq!(row, want);
        for at in [0, 5, 8] {
            let mut translucent = src.clone();
            translucent[at * 4 + 3] = 254;
            assert!(!rgb_row(&translucent, &mut row), "pixel {at}");
        }
    }

    #[test]
    fn many_svgs_come_back_in_their_order_each_as_drawn_alone() {
        // The larger image is drawn first but still answered in its place.
        let big = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\"><circle cx=\"20\" cy=\"15\" r=\"12\" fill=\"#a40e26\"/></svg>";
        let jobs: [(&str, &[f32]); 4] = [
            (SQUARE, &[1.0, 2.0]),
            ("<svg", &[1.0]),
            (big, &[2.0, 1.0]),
            (SQUARE, &[1.0, 9.0]),
        ];
        let got = rasterize_many(&jobs);
        assert_eq!(got.len(), 4);
        let alone = |svg: &str, scale: f32| rasterize(svg, scale).unwrap();
        assert_eq!(
            got[0].as_ref().unwrap(),
            &vec![alone(SQUARE, 1.0), alone(SQUARE, 2.0)]
        );
        assert!(got[1].as_ref().unwrap_err().contains("cannot be parsed"));
        assert_eq!(
            got[2].as_ref().unwrap(),
            &vec![alone(big, 2.0), alone(big, 1.0)]
        );
        // One scale out of range fails that SVG's answer, not the others'.
        assert!(got[3].as_ref().unwrap_err().contains("raster scale"));
        assert!(rasterize_many(&[]).is_empty());
    }

    #[test]
    fn the_source_key_names_svg_and_scale() {
        let png = rasterize(SQUARE, 1.0).unwrap();
        assert!(is_rendering_of(&png, SQUARE, 1.0));
        assert!(!is_rendering_of(&png, SQUARE, 2.0));
        assert!(!is_rendering_of(
            &png,
            &SQUARE.replace("2060a0", "2060a1"),
            1.0
        ));
        assert!(!is_rendering_of(b"not a png", SQUARE, 1.0));
    }
}
