//! Diagram stage of the bundled site: every diagram of `content/deployment-models.toml`
//! (all models side by side and each model alone) laid out, written as SVG and drawn by
//! resvg as PNG at 1x and 2x, in parallel as a build does it. Also the parts on their
//! own, for profiling. A rebuild keeps the PNGs of diagrams whose SVG did not change;
//! that case is measured too. One diagram draws its two scales in parallel, so "one
//! diagram at a time" is not a single-thread figure; `RAYON_NUM_THREADS=1` gives that.
//!
//!     cargo bench --bench diagrams

use criterion::{criterion_group, criterion_main, Criterion};
use rayon::prelude::*;
use trustdoc::compare::{self, access::AccessMatrix, model::Comparison};
use trustdoc::diagram::{self, DiagramOptions, Show, Sketch};

fn bundled() -> (Comparison, AccessMatrix) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/deployment-models.toml"
    );
    let src = std::fs::read_to_string(path).expect("bundled comparison file");
    let format = compare::sniff(path, &src).expect("comparison schema");
    let (cmp, diags) = compare::check(path, &src, format);
    let cmp = cmp.unwrap_or_else(|| panic!("bundled comparison does not load: {diags:?}"));
    let access = compare::access::derive(&cmp);
    (cmp, access)
}

fn shows(cmp: &Comparison) -> Vec<Show<'_>> {
    std::iter::once(Show::All)
        .chain(cmp.models.iter().map(|m| Show::Model(&m.id)))
        .collect()
}

/// Lays out and writes one diagram's files, as a build does.
fn files(
    cmp: &Comparison,
    access: &AccessMatrix,
    show: Show,
    opts: &DiagramOptions,
    previous: &(dyn Fn(f32) -> Option<Vec<u8>> + Sync),
) -> diagram::DiagramFiles {
    Sketch::new(cmp, access, show)
        .and_then(|s| s.files(opts, previous))
        .expect("renders")
}

fn bench(c: &mut Criterion) {
    let (cmp, access) = bundled();
    let opts = DiagramOptions {
        id_prefix: "bench".into(),
        title: None,
    };
    let shows = shows(&cmp);
    c.bench_function("all diagrams: svg + png 1x + 2x (parallel)", |b| {
        b.iter(|| {
            let out: Vec<_> = shows
                .par_iter()
                .map(|&s| files(&cmp, &access, s, &opts, &|_| None))
                .collect();
            out
        })
    });
    // A rebuild: the previous output holds every PNG, so only the SVGs are drawn and the
    // kept PNGs checked against them.
    let earlier: Vec<_> = shows
        .iter()
        .map(|&s| files(&cmp, &access, s, &opts, &|_| None))
        .collect();
    c.bench_function(
        "all diagrams, rebuild keeping unchanged PNGs (parallel)",
        |b| {
            b.iter(|| {
                let out: Vec<_> = shows
                    .par_iter()
                    .zip(earlier.par_iter())
                    .map(|(&s, e)| {
                        let previous = |scale: f32| {
                            if scale == 1.0 {
                                e.png1.clone()
                            } else {
                                e.png2.clone()
                            }
                        };
                        files(&cmp, &access, s, &opts, &previous)
                    })
                    .collect();
                out
            })
        },
    );
    c.bench_function("all diagrams: svg only", |b| {
        b.iter(|| {
            shows
                .iter()
                .map(|&s| diagram::render(&cmp, &access, s, &opts).expect("renders"))
                .collect::<Vec<_>>()
        })
    });
    let svgs: Vec<String> = shows
        .iter()
        .map(|&s| {
            diagram::render(&cmp, &access, s, &opts)
                .expect("renders")
                .svg_standalone
        })
        .collect();
    c.bench_function(
        "all diagrams: png 1x + 2x only, one diagram at a time",
        |b| {
            b.iter(|| {
                svgs.iter()
                    .map(|s| diagram::rasterize_scales(s, &[1.0, 2.0]).expect("rasterises"))
                    .collect::<Vec<_>>()
            })
        },
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
