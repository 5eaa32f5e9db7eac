//! Comparison data through the whole build: the seed article with the reference data, the
//! bundled site, escaping of hostile names, and byte-identical diagram files.

mod common;
use common::{snapshot_tree, TestSite};
use std::path::Path;

fn shared(rel: &str) -> Option<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    std::fs::read_to_string(p).ok()
}

#[test]
fn seed_article_builds_unmodified_with_three_diagrams() {
    let (Some(article), Some(data)) = (
        shared("corpus/seed/confidential-computing-deployment-models.md"),
        shared("examples/deployment-models.toml"),
    ) else {
        eprintln!("skipped: ../shared/corpus/seed or ../shared/examples not present");
        return;
    };
    let s = TestSite::new();
    s.file("confidential-computing-deployment-models.md", &article)
        .file("deployment-models.toml", &data);
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = s.out("confidential-computing-deployment-models/index.html");
    assert_eq!(
        html.matches("class=\"td-diagram\" role=\"img\"").count(),
        3,
        "three inline diagrams"
    );
    assert!(
        html.contains(
            "Diagram that shows the customer trust boundary of confidential VM technologies."
        ),
        "alt text becomes the title"
    );
    for png in [
        "cloud-trust-boundary.png",
        "cvm-architecture.png",
        "enclaves-architecture.png",
    ] {
        let p = s.out_path(&format!(
            "media/confidential-computing-deployment-models/{png}"
        ));
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{png} is a PNG");
    }
    assert!(
        !html.contains("<p><figure"),
        "figures are not nested in paragraphs"
    );
}

const HOSTILE: &str = r#"schema = "trustdoc-comparison/1"
id = "hostile"
title = "Hostile <b>title</b>"
layer = [
  { id = "hw", order = 1, name = "Chip & <i>friends</i>" },
  { id = "os", order = 2, name = "OS" },
]
actor = [ { id = "op", name = "Operator\" onmouseover=\"x", acts_at = "os" } ]
[[model]]
id = "evil"
name = "<script>alert(1)</script> & co"
deployment = "IaaS"
technologies = []
isolation_unit = "x"
code_changes = "x"
attestation = "x"
memory = "x"
stack = [ { layer = "hw", trust = "root" }, { layer = "os", trust = "protected" } ]
[decision]
id = "d"
hit_policy = "U"
inputs = [ { id = "q", question = "Q <img src=x onerror=alert(1)>?", answers = ["a"] } ]
rules = [ { id = "R1", when = { q = "a" }, then = "evil", note = "</script><script>alert(2)</script>" } ]
"#;

#[test]
fn hostile_names_are_escaped_everywhere() {
    let s = TestSite::new();
    s.file("trustdoc.toml", "title = \"T\"\n").file("content/data.toml", HOSTILE).file(
        "content/index.md",
        ":::trust-boundary source=\"data.toml\":::\n\n:::access-matrix source=\"data.toml\":::\n\n:::decision-table source=\"data.toml\":::\n\n:::decision-guide source=\"data.toml\":::\n",
    );
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = s.out("index.html");
    assert!(!html.contains("<script>alert"), "no raw script from data");
    assert!(!html.contains("<img src=x"), "no raw img from data");
    assert!(
        !html.contains("</script><script>alert(2)"),
        "JSON cannot close its script element"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    for entry in snapshot_tree(&s.root().join("public/diagrams")) {
        let text = String::from_utf8_lossy(&entry.1);
        if entry.0.ends_with(".svg") {
            assert!(!text.contains("<script>alert"), "{}", entry.0);
            assert!(!text.contains("<i>friends"), "{}", entry.0);
        }
    }
}

#[test]
fn unknown_directive_and_outside_source_fail() {
    let s = TestSite::new();
    s.file("trustdoc.toml", "title = \"T\"\n").file("content/data.toml", HOSTILE).file(
        "content/index.md",
        "intro\n\n:::acess-matrix source=\"data.toml\":::\n\n:::access-matrix source=\"../../etc/passwd\":::\n",
    );
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("content/index.md:3:4: error: unknown directive `acess-matrix`; did you mean `access-matrix`?"), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "content/index.md:5:1: error: source `../../etc/passwd` points outside the site root"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn diagram_files_are_byte_identical_across_builds() {
    let s = TestSite::new();
    let Some(data) = shared("examples/deployment-models.toml") else {
        eprintln!("skipped: ../shared/examples not present");
        return;
    };
    s.file("trustdoc.toml", "title = \"T\"\n")
        .file("content/m.toml", &data)
        .file(
            "content/index.md",
            ":::trust-boundary source=\"m.toml\":::\n",
        );
    assert_eq!(s.build().code, 0);
    let a = snapshot_tree(&s.root().join("public/diagrams"));
    assert_eq!(s.build().code, 0);
    let b = snapshot_tree(&s.root().join("public/diagrams"));
    // Only diagrams a page shows or an image binding names are drawn: the side-by-side one
    // here (SVG, PNG, PNG 2x) and those of the bound images.
    assert!(
        a.len() >= 3 && a.iter().any(|(p, _)| p.ends_with("-all@2x.png")),
        "svg + 2 png for the diagram the page shows: {}",
        a.len()
    );
    assert!(a == b);
}

#[test]
fn bundled_site_builds() {
    let s = TestSite::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("tmp");
    let r = std::process::Command::new(env!("CARGO_BIN_EXE_trustdoc"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out.path().join("public"))
        .output()
        .expect("run");
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let pages = walkdir::WalkDir::new(out.path())
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "index.html")
        .count();
    assert!(pages >= 8, "at least 8 pages, got {pages}");
    drop(s);
}

/// Access has three values everywhere it is shown: an actor whose layer a model does not
/// run is "not present" (not "cannot read") in the access matrix, the diagram's actor
/// lanes (with its own mark), the text equivalent and the JSON report; an override keeps
/// its reason. The bundled site builds with `--strict`.
#[test]
fn bundled_site_shows_three_valued_access_and_builds_strict() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, stderr, json, out) = common::build_with_report(root, &["--strict"]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(
        out.path()
            .join("public/compare-security-boundaries/index.html"),
    )
    .expect("page");

    // The matrix: the cluster administrator row, a word and a mark per cell.
    let matrix = &page[page.find("td-access-matrix").expect("matrix")..];
    let row = &matrix[matrix.find("Cluster administrator").expect("row")..];
    let row = &row[..row.find("</tr>").expect("row end")];
    assert_eq!(row.matches("– Not present").count(), 3, "{row}");
    assert_eq!(row.matches("✗ Cannot read").count(), 1, "{row}");
    assert!(page.contains("Overrides what the stack implies: Nobody logs in to the pod VM"));

    // The diagram: a "Not present" pill with the crossed-circle mark, and its legend entry.
    assert!(page.contains(">Not present</tspan>") || page.contains(">Not present</text>"));
    assert!(page.contains("<path d=\"M-3.5 3.5L3.5 -3.5\""));
    assert!(page.contains("Not present: the model does not run that layer"));
    // The text equivalent: a sentence and the access table.
    assert!(page.contains(
        "Not present (the model does not run the layer they act from): Cluster administrator."
    ));
    assert!(page.contains("<tr><th scope=\"row\">Cluster administrator (Kubelet, Kata shim, control plane)</th><td>Not present</td>"));

    // The report: every cell with its three-valued answer; the override keeps its reason.
    let cells = json["access"][0]["cells"].as_array().expect("cells");
    let cell = |actor: &str, model: &str| {
        cells
            .iter()
            .find(|c| c["actor"] == actor && c["model"] == model)
            .unwrap_or_else(|| panic!("{actor} x {model}"))
    };
    assert_eq!(cell("cluster_admin", "cvm-sev-snp")["reach"], "not_present");
    assert_eq!(cell("cluster_admin", "coco-aks")["reach"], "cannot_read");
    assert_eq!(cell("host_admin", "cvm-tdx")["reach"], "cannot_read");
    let guest = cell("guest_admin", "coco-aks");
    assert_eq!(guest["reach"], "cannot_read");
    assert_eq!(guest["derived"], "can_read");
    assert!(guest["override_reason"]
        .as_str()
        .is_some_and(|r| r.starts_with("Nobody logs in")));
}
