//! End-to-end tests of the diagram renderer: text fits its boxes (measured by usvg with
//! the bundled font), data is escaped everywhere, output is stable, PNGs decode.

use std::collections::BTreeMap;

use resvg::tiny_skia::Pixmap;
use resvg::usvg::{self, roxmltree};

use super::fixtures::{payments, reference};
use super::*;
use crate::compare::access::derive;

fn opts(p: &str) -> DiagramOptions {
    DiagramOptions {
        id_prefix: p.into(),
        title: None,
    }
}

fn draw(cmp: &Comparison, show: Show) -> Diagram {
    render(cmp, &derive(cmp), show, &opts("d")).unwrap()
}

#[derive(Debug, Clone, Copy)]
struct Bounds {
    x: f32,
    y: f32,
    r: f32,
    b: f32,
}

/// `rect` elements with an id, read from the SVG source.
fn rects(svg: &str) -> BTreeMap<String, Bounds> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let num = |n: &roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<f32>().unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("rect"))
        .filter_map(|n| {
            let id = n.attribute("id")?.to_string();
            let (x, y) = (num(&n, "x"), num(&n, "y"));
            Some((
                id,
                Bounds {
                    x,
                    y,
                    r: x + num(&n, "width"),
                    b: y + num(&n, "height"),
                },
            ))
        })
        .collect()
}

/// Text bounding boxes as laid out by usvg, by id.
fn text_boxes(svg: &str) -> BTreeMap<String, Bounds> {
    fn walk(g: &usvg::Group, out: &mut BTreeMap<String, Bounds>) {
        for node in g.children() {
            match node {
                usvg::Node::Group(g) => walk(g, out),
                usvg::Node::Text(t) => {
                    let bb = t.abs_bounding_box();
                    let b = Bounds {
                        x: bb.left(),
                        y: bb.top(),
                        r: bb.right(),
                        b: bb.bottom(),
                    };
                    out.insert(t.id().to_string(), b);
                }
                _ => {}
            }
        }
    }
    let tree = bitmap::parse(svg).unwrap();
    let mut out = BTreeMap::new();
    walk(tree.root(), &mut out);
    out
}

/// The rectangle a text belongs to: `X-t` and `X-t<n>` sit in `X`.
fn owner(id: &str) -> Option<&str> {
    let (base, tail) = id.rsplit_once("-t")?;
    tail.chars().all(|c| c.is_ascii_digit()).then_some(base)
}

fn assert_text_fits(svg: &str) -> usize {
    let rects = rects(svg);
    let texts = text_boxes(svg);
    let in_source = svg.matches("<text ").count();
    assert_eq!(
        texts.len(),
        in_source,
        "usvg dropped some text (missing glyphs?)"
    );
    let mut bad = Vec::new();
    for (id, t) in &texts {
        let Some(base) = owner(id) else {
            bad.push(format!("{id}: text id does not name its rectangle"));
            continue;
        };
        let Some(r) = rects.get(base) else {
            bad.push(format!("{id}: no rect `{base}`"));
            continue;
        };
        let eps = 0.5;
        if t.x < r.x - eps || t.y < r.y - eps || t.r > r.r + eps || t.b > r.b + eps {
            bad.push(format!("{id}: text {t:?} outside {base} {r:?}"));
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
    texts.len()
}

fn all_views(cmp: &Comparison) -> Vec<Diagram> {
    let mut out = vec![draw(cmp, Show::All)];
    for m in &cmp.models {
        out.push(draw(cmp, Show::Model(&m.id)));
    }
    out
}

#[test]
fn reference_labels_fit_their_boxes_in_every_view() {
    for d in all_views(&reference()) {
        assert!(assert_text_fits(&d.svg_standalone) > 20, "{}", d.title);
    }
}

#[test]
fn unrelated_comparison_with_long_labels_fits() {
    let cmp = payments();
    for d in all_views(&cmp) {
        assert_text_fits(&d.svg_standalone);
    }
    // The long application label had to wrap: its text has several lines.
    let d = draw(&cmp, Show::Model("payment-hsm"));
    let doc = roxmltree::Document::parse(&d.svg_standalone).unwrap();
    let app = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("text")
                && n.children()
                    .any(|c| c.text().is_some_and(|t| t.starts_with("Authorisation")))
        })
        .unwrap();
    assert!(app.children().count() >= 4, "label did not wrap");
}

#[test]
fn words_longer_than_a_box_are_broken_and_still_fit() {
    let mut cmp = payments();
    cmp.models[1].stack[1].label = Some("Tokenisation".repeat(8));
    cmp.actors[0].name = "A very long actor name: ".to_string() + &"x".repeat(60);
    cmp.models[1].name = "M".repeat(50);
    for d in all_views(&cmp) {
        assert_text_fits(&d.svg_standalone);
    }
}

#[test]
fn all_models_share_one_height_per_row() {
    let d = draw(&reference(), Show::All);
    let mut rows: BTreeMap<String, Vec<Bounds>> = BTreeMap::new();
    for (id, b) in rects(&d.svg_standalone) {
        let parts: Vec<&str> = id.split('-').collect();
        if let ["d", "cell", r, _c] = parts.as_slice() {
            rows.entry(r.to_string()).or_default().push(b);
        }
    }
    assert_eq!(
        rows.len(),
        8,
        "eight rows: nine layers, the enclave drawn inside apps"
    );
    for (r, cells) in rows {
        assert_eq!(cells.len(), 4, "row {r}");
        assert!(
            cells.iter().all(|c| c.y == cells[0].y && c.b == cells[0].b),
            "row {r}: {cells:?}"
        );
    }
}

#[test]
fn one_model_view_draws_its_stack_with_marks_and_words() {
    let d = draw(&reference(), Show::Model("sgx-enclave"));
    let s = &d.svg_inline;
    assert!(s.starts_with("<svg "), "no prolog inline");
    assert!(s.contains(r#"class="td-diagram" role="img" aria-labelledby="d-title d-desc""#));
    assert!(s.contains(
        r#"<title id="d-title">Trust boundary of Application enclave (Intel SGX)</title>"#
    ));
    for word in [
        "Untrusted part of the app",
        "Enclave",
        "SGX microcode",
        "Root of trust",
        "Trust boundary",
        "Not present",
    ] {
        assert!(s.contains(&format!(">{word}<")), "{word}");
    }
    // The enclave's boundary is drawn inside the untrusted apps box.
    assert_eq!(
        s.matches("stroke-dasharray").count(),
        2,
        "one boundary plus the legend sample"
    );
    assert!(s.contains(r#"id="d-tb-0-r0-i0""#));
    assert_eq!(
        s.matches(r#"class="td-s-hatch""#).count(),
        5,
        "four untrusted layers and the legend"
    );
    assert!(d
        .svg_standalone
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns="));
}

#[test]
fn all_view_draws_one_boundary_per_model_and_marks_the_override() {
    let d = draw(&reference(), Show::All);
    assert_eq!(d.svg_inline.matches("stroke-dasharray").count(), 5);
    assert!(d.svg_inline.contains(">Cannot read¹<"));
    assert!(
        d.svg_inline.contains("There is no interactive guest admin"),
        "reason in the legend notes"
    );
    // Guest admin in both confidential VMs, co-located apps in those and in the pod.
    assert_eq!(d.svg_inline.matches(">Can read<").count(), 5);
}

#[test]
fn text_equivalent_has_description_and_accessible_tables() {
    let d = draw(&reference(), Show::All);
    let h = &d.text_equivalent_html;
    assert!(h.contains(
        "<caption>Trust of each layer in each deployment model, top to bottom</caption>"
    ));
    assert!(h.contains("<th scope=\"col\">Confidential VM (Intel TDX)</th>"));
    assert!(h.contains("<th scope=\"row\">Enclave (inside Applications)</th>"));
    assert!(h.contains("<td>Untrusted (Untrusted part of the app)</td>"));
    assert!(h.contains(
        "<th scope=\"row\">Cluster administrator (Kubelet, Kata shim, control plane)</th>"
    ));
    assert!(h.contains("<td>Cannot read<sup>1</sup></td>"));
    assert!(h.contains(
        "set explicitly because: There is no interactive guest admin; the pod policy blocks exec"
    ));
    assert!(d.description.contains(
        "Application enclave (Intel SGX) (IaaS): the trust boundary encloses Enclave. Root of trust: SGX microcode; CPU and memory."
    ));
    assert!(d
        .description
        .contains("Cannot read data in use: Cloud provider operator, Host administrator"));
}

#[test]
fn data_strings_are_escaped_everywhere() {
    let mut cmp = payments();
    cmp.models[0].name = "<script>alert(1)</script> & co".into();
    cmp.models[0].stack[2].label = Some(r#"Say "hi" & 'bye'"#.into());
    cmp.actors[1].name = "<b>dev</b>".into();
    let opts = DiagramOptions {
        id_prefix: "x\"><script>".into(),
        title: Some("Alt <text> & \"more\"".into()),
    };
    for show in [Show::All, Show::Model("payment-hsm")] {
        let d = render(&cmp, &derive(&cmp), show, &opts).unwrap();
        for out in [&d.svg_inline, &d.svg_standalone, &d.text_equivalent_html] {
            assert!(!out.contains("<script"), "raw script in {out}");
            assert!(!out.contains("<b>"));
            assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        }
        assert!(d
            .svg_inline
            .contains("Say &quot;hi&quot; &amp; &#39;bye&#39;"));
        assert!(d.svg_inline.contains(
            "<title id=\"x---script--title\">Alt &lt;text&gt; &amp; &quot;more&quot;</title>"
        ));
        roxmltree::Document::parse(&d.svg_standalone).expect("well-formed XML");
        assert_text_fits(&d.svg_standalone);
    }
}

#[test]
fn unknown_model_is_an_error_naming_the_choices() {
    let cmp = reference();
    let err = render(&cmp, &derive(&cmp), Show::Model("nope"), &opts("d")).unwrap_err();
    assert!(
        err.contains("`nope`") && err.contains("cvm-sev-snp, cvm-tdx"),
        "{err}"
    );
    let mut empty = reference();
    empty.models.clear();
    assert!(render(&empty, &derive(&empty), Show::All, &opts("d")).is_err());
}

#[test]
fn id_prefix_is_made_safe() {
    assert_eq!(safe_prefix("page 1#fig"), "page-1-fig");
    assert_eq!(safe_prefix("9x"), "td9x");
    assert_eq!(safe_prefix(""), "td");
    assert_eq!(facts::superscript(12), "¹²");
}

#[test]
fn output_is_byte_identical_across_renders() {
    for cmp in [reference(), payments()] {
        let a = all_views(&cmp);
        let b = all_views(&cmp);
        assert_eq!(a, b);
        let d = &a[0];
        assert_eq!(
            rasterize(&d.svg_standalone, 1.0).unwrap(),
            rasterize(&d.svg_standalone, 1.0).unwrap()
        );
    }
}

fn pixels(png: &[u8]) -> Pixmap {
    Pixmap::decode_png(png).unwrap()
}

#[test]
fn png_at_1x_and_2x_has_the_right_size_and_light_colours() {
    for show in [Show::All, Show::Model("coco-aks")] {
        let d = draw(&reference(), show);
        for scale in [1.0_f32, 2.0] {
            let img = pixels(&rasterize(&d.svg_standalone, scale).unwrap());
            assert_eq!(img.width(), (d.width * scale) as u32);
            assert_eq!(img.height(), (d.height * scale) as u32);
            let colours: std::collections::BTreeSet<[u8; 4]> = img
                .pixels()
                .iter()
                .map(|p| [p.red(), p.green(), p.blue(), p.alpha()])
                .collect();
            assert!(colours.len() > 50, "{} colours", colours.len());
            // resvg skips the var() rules and paints the light palette from attributes.
            for rgb in [
                [0xff, 0xff, 0xff],
                [0xdd, 0xf4, 0xff],
                [0xff, 0xf8, 0xc5],
                [0xda, 0xfb, 0xe1],
            ] {
                assert!(
                    colours.contains(&[rgb[0], rgb[1], rgb[2], 255]),
                    "{rgb:x?} missing"
                );
            }
            let corner = img.pixel(0, 0).unwrap();
            assert_eq!(
                [corner.red(), corner.green(), corner.blue(), corner.alpha()],
                [255, 255, 255, 255]
            );
        }
    }
}

#[test]
fn snapshot_reference_sgx_enclave_svg() {
    insta::assert_snapshot!(draw(&reference(), Show::Model("sgx-enclave")).svg_inline);
}

#[test]
fn snapshot_reference_all_models_svg() {
    insta::assert_snapshot!(draw(&reference(), Show::All).svg_inline);
}

#[test]
fn snapshot_reference_all_models_text_equivalent() {
    insta::assert_snapshot!(draw(&reference(), Show::All).text_equivalent_html);
}

/// The seed diagrams plus one per model, as SVG and PNG at 1x and 2x, with the wall time
/// of each stage (the PNG stage uses rayon's threads). Run with
/// `cargo test --release --lib diagram::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_of_seven_diagrams() {
    let cmp = reference();
    let access = derive(&cmp);
    let mut shows = vec![
        Show::All,
        Show::Model("cvm-sev-snp"),
        Show::Model("sgx-enclave"),
    ];
    shows.extend(cmp.models.iter().map(|m| Show::Model(m.id.as_str())));
    let _ = render(&cmp, &access, Show::All, &opts("warm")).unwrap();
    let now = std::time::Instant::now;
    for round in 0..3 {
        let wall = now();
        let mut t = [std::time::Duration::ZERO; 2]; // svg, png
        let mut bytes = 0;
        for (i, show) in shows.iter().enumerate() {
            let c = now();
            let d = render(&cmp, &access, *show, &opts(&format!("f{i}"))).unwrap();
            t[0] += c.elapsed();
            let c = now();
            bytes += rasterize_scales(&d.svg_standalone, &[1.0, 2.0])
                .unwrap()
                .iter()
                .map(Vec::len)
                .sum::<usize>();
            t[1] += c.elapsed();
        }
        println!(
            "round {round}: {} diagrams, {bytes} PNG bytes; total {:?} = SVG {:?} + PNG 1x and 2x {:?}",
            shows.len(),
            wall.elapsed(),
            t[0],
            t[1]
        );
    }
}

/// Writes sample SVG and PNG files for a visual check:
/// `TD_DIAGRAM_OUT=/tmp/d cargo test --lib diagram::tests::write_samples -- --ignored`.
#[test]
#[ignore]
fn write_samples() {
    let Ok(dir) = std::env::var("TD_DIAGRAM_OUT") else {
        return;
    };
    std::fs::create_dir_all(&dir).unwrap();
    for cmp in [reference(), payments()] {
        let mut shows = vec![("all".to_string(), Show::All)];
        shows.extend(
            cmp.models
                .iter()
                .map(|m| (m.id.clone(), Show::Model(m.id.as_str()))),
        );
        for (name, show) in shows {
            let d = draw(&cmp, show);
            let base = format!("{dir}/{}-{name}", cmp.id);
            std::fs::write(format!("{base}.svg"), &d.svg_standalone).unwrap();
            std::fs::write(
                format!("{base}.png"),
                rasterize(&d.svg_standalone, 1.0).unwrap(),
            )
            .unwrap();
            std::fs::write(
                format!("{base}.html"),
                format!("{}{}", d.svg_inline, d.text_equivalent_html),
            )
            .unwrap();
        }
    }
}

#[test]
fn a_rebuild_keeps_pngs_of_the_same_svg_and_redraws_stale_ones() {
    let cmp = reference();
    let access = derive(&cmp);
    let sketch = Sketch::new(&cmp, &access, Show::Model("coco-aks")).unwrap();
    let first = sketch.files(&opts("k"), &|_| None).unwrap();
    let (png1, png2) = (first.png1.clone().unwrap(), first.png2.clone().unwrap());
    assert!(is_rendering_of(&png1, &first.svg, 1.0));
    assert!(is_rendering_of(&png2, &first.svg, 2.0));
    assert!(!is_rendering_of(&png1, &first.svg, 2.0));
    assert!(!is_rendering_of(
        &png1,
        &first.svg.replace("Guest", "Host"),
        1.0
    ));
    // Kept: PNGs that record the right source are returned as they are.
    let marked = |scale: f32| {
        let mut png = png2.clone();
        if scale == 1.0 {
            png = png1.clone();
        }
        Some(png)
    };
    assert_eq!(sketch.files(&opts("k"), &marked).unwrap(), first);
    let swapped = |_: f32| Some(png2.clone());
    let redrawn_1x = sketch.files(&opts("k"), &swapped).unwrap();
    assert_eq!(redrawn_1x, first, "a 2x image is not kept as the 1x one");
    // Stale: PNGs of another diagram are redrawn.
    let other = render_all_files(&cmp, &access);
    let stale = |scale: f32| {
        if scale == 1.0 {
            other.png1.clone()
        } else {
            other.png2.clone()
        }
    };
    assert_eq!(sketch.files(&opts("k"), &stale).unwrap(), first);
}

/// Finishing several diagrams together (their PNGs drawn largest first) gives each the
/// files it gets alone, kept PNGs included, in the order asked.
#[test]
fn diagrams_finished_together_match_each_alone() {
    let cmp = reference();
    let access = derive(&cmp);
    let all = Sketch::new(&cmp, &access, Show::All).unwrap();
    let one = Sketch::new(&cmp, &access, Show::Model("coco-aks")).unwrap();
    let (all_alone, one_alone) = (
        all.files(&opts("k"), &|_| None).unwrap(),
        one.files(&opts("k"), &|_| None).unwrap(),
    );
    // The 1x PNG of `one` is kept from an earlier build, so only its 2x is drawn.
    let kept_1x = |scale: f32| (scale == 1.0).then(|| one_alone.png1.clone()).flatten();
    let together = files_of_all(vec![
        one.pending_files(&opts("k"), &kept_1x),
        all.pending_files(&opts("k"), &|_| None),
        one.pending_files(&opts("k"), &|_| None),
    ]);
    let together: Vec<DiagramFiles> = together.into_iter().map(Result::unwrap).collect();
    assert_eq!(together, vec![one_alone.clone(), all_alone, one_alone]);
}

fn render_all_files(cmp: &Comparison, access: &AccessMatrix) -> DiagramFiles {
    Sketch::new(cmp, access, Show::All)
        .unwrap()
        .files(&opts("k"), &|_| None)
        .unwrap()
}

#[test]
fn one_layout_serves_every_prefix_and_title() {
    let cmp = reference();
    let access = derive(&cmp);
    let sketch = Sketch::new(&cmp, &access, Show::All).unwrap();
    for (prefix, title) in [("a", None), ("page-2", Some("Own title".to_string()))] {
        let o = DiagramOptions {
            id_prefix: prefix.into(),
            title,
        };
        assert_eq!(
            sketch.render(&o),
            render(&cmp, &access, Show::All, &o).unwrap()
        );
    }
}

/// The PNGs are resvg's own drawing of the standalone SVG, at 1x and 2x, and show a
/// diagram (many colours), not an empty canvas.
#[test]
fn pngs_are_resvg_drawings_of_the_svg_and_not_blank() {
    let cmp = reference();
    let access = derive(&cmp);
    let mut shows = vec![Show::All];
    shows.extend(cmp.models.iter().map(|m| Show::Model(m.id.as_str())));
    for show in shows {
        let files = Sketch::new(&cmp, &access, show)
            .unwrap()
            .files(&opts("r"), &|_| None)
            .unwrap();
        for (scale, png) in [(1.0, &files.png1), (2.0, &files.png2)] {
            let direct = direct_resvg(&files.svg, scale);
            let written = pixels(png.as_ref().expect("within the pixel cap"));
            assert_eq!(
                (written.width(), written.height()),
                (direct.width(), direct.height())
            );
            assert!(written.data() == direct.data(), "{show:?} at {scale}x");
            assert_not_blank(&written);
        }
    }
}

/// Draws `svg` with resvg straight, the way its documentation does it.
pub(crate) fn direct_resvg(svg: &str, scale: f32) -> Pixmap {
    let tree = bitmap::parse(svg).unwrap();
    let size = tree.size();
    let mut p = Pixmap::new(
        (size.width() * scale).round() as u32,
        (size.height() * scale).round() as u32,
    )
    .unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut p.as_mut(),
    );
    p
}

fn assert_not_blank(p: &Pixmap) {
    let colours: std::collections::BTreeSet<[u8; 4]> = p
        .pixels()
        .iter()
        .map(|c| [c.red(), c.green(), c.blue(), c.alpha()])
        .collect();
    assert!(colours.len() > 50, "{} colours", colours.len());
}
