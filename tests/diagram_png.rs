//! The PNG files a build writes for its diagrams: resvg's own drawing of the standalone
//! SVG beside them (compared pixel for pixel with a direct `resvg::render`), at 1x and
//! 2x, not blank, byte-identical across builds, and kept by a rebuild when their SVG did
//! not change.

mod common;
use common::{snapshot_tree, TestSite};
use std::path::Path;
use std::sync::Arc;

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg;

/// A site with the bundled comparison and one page that shows all of its models side by
/// side and each on its own (only diagrams a page shows are drawn).
fn site() -> TestSite {
    let data = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/deployment-models.toml"),
    )
    .expect("bundled comparison");
    let s = TestSite::new();
    s.file("trustdoc.toml", "title = \"T\"\n")
        .file("content/m.toml", &data)
        .file(
            "content/index.md",
            &["all", "cvm-sev-snp", "cvm-tdx", "sgx-enclave", "coco-aks"]
                .map(|m| {
                    if m == "all" {
                        ":::trust-boundary source=\"m.toml\":::\n".to_string()
                    } else {
                        format!(":::trust-boundary source=\"m.toml\" model=\"{m}\":::\n")
                    }
                })
                .join("\n"),
        );
    s
}

/// Draws `svg` straight with resvg and the bundled fonts only.
fn direct(svg: &str, scale: f32) -> Pixmap {
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts");
    let mut db = usvg::fontdb::Database::new();
    for face in ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"] {
        db.load_font_data(std::fs::read(fonts.join(face)).expect("bundled font"));
    }
    db.set_sans_serif_family("DejaVu Sans");
    let opt = usvg::Options {
        font_family: "DejaVu Sans".into(),
        fontdb: Arc::new(db),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).expect("the SVG parses");
    let size = tree.size();
    let mut p = Pixmap::new(
        (size.width() * scale).round() as u32,
        (size.height() * scale).round() as u32,
    )
    .expect("image size");
    resvg::render(&tree, Transform::from_scale(scale, scale), &mut p.as_mut());
    p
}

/// The SVG files in the output's diagram folder, by file stem.
fn diagrams(s: &TestSite) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(s.out_path("diagrams"))
        .expect("diagram folder")
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".svg")?.to_string();
            Some((stem, std::fs::read_to_string(e.path()).ok()?))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn written_pngs_are_resvg_drawings_of_the_svg_at_1x_and_2x_and_not_blank() {
    let s = site();
    assert_eq!(s.build().code, 0);
    let svgs = diagrams(&s);
    assert_eq!(svgs.len(), 5, "all models and each of four");
    for (stem, svg) in &svgs {
        for (scale, file) in [
            (1.0, format!("{stem}.png")),
            (2.0, format!("{stem}@2x.png")),
        ] {
            let bytes = std::fs::read(s.out_path(&format!("diagrams/{file}"))).expect("png");
            let written = Pixmap::decode_png(&bytes).expect("decodes");
            let drawn = direct(svg, scale);
            assert_eq!(
                (written.width(), written.height()),
                (drawn.width(), drawn.height()),
                "{file}"
            );
            assert!(written.data() == drawn.data(), "{file}: pixels differ");
            let colours: std::collections::BTreeSet<[u8; 4]> = written
                .pixels()
                .iter()
                .map(|c| [c.red(), c.green(), c.blue(), c.alpha()])
                .collect();
            assert!(colours.len() > 50, "{file}: {} colours", colours.len());
        }
    }
}

/// The PNG `png` with its pixels replaced by one flat colour and every text chunk kept.
fn repainted(png: &[u8]) -> Vec<u8> {
    let reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .expect("decodes");
    let info = reader.info();
    let (w, h) = (info.width, info.height);
    let texts: Vec<(String, String)> = info
        .uncompressed_latin1_text
        .iter()
        .map(|t| (t.keyword.clone(), t.text.clone()))
        .collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    for (k, t) in texts {
        enc.add_text_chunk(k, t).expect("text chunk");
    }
    let mut writer = enc.write_header().expect("header");
    writer
        .write_image_data(&vec![0x7f; (w * h * 3) as usize])
        .expect("pixels");
    writer.finish().expect("finish");
    out
}

#[test]
fn a_rebuild_keeps_pngs_of_unchanged_svgs_and_is_byte_identical() {
    let s = site();
    assert_eq!(s.build().code, 0);
    let first = snapshot_tree(&s.out_path("diagrams"));
    assert_eq!(s.build().code, 0);
    assert!(
        first == snapshot_tree(&s.out_path("diagrams")),
        "two builds write the same bytes"
    );
    // A PNG that records the SVG it was drawn from is kept as it is: repaint one (its
    // source record intact) and the next build leaves it alone, so nothing was redrawn.
    let kept = s.out_path("diagrams/deployment-models-all@2x.png");
    let marker = repainted(&std::fs::read(&kept).expect("png"));
    std::fs::write(&kept, &marker).expect("write");
    // A PNG without the record is drawn again.
    let stale = s.out_path("diagrams/deployment-models-all.png");
    let original = std::fs::read(&stale).expect("png");
    std::fs::write(&stale, b"not a png").expect("write");
    assert_eq!(s.build().code, 0);
    assert!(
        std::fs::read(&kept).expect("png") == marker,
        "kept, not redrawn"
    );
    assert!(std::fs::read(&stale).expect("png") == original, "redrawn");
}
