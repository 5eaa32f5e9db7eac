//! `trustdoc serve`: the real binary on a free loopback port, requests over plain TCP (so
//! traversal spellings reach the server unnormalised), edits on disk seen in the next
//! responses; and rebuilds after a sequence of edits compared with fresh full builds.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestSite;
use trustdoc::config::{Config, Overrides};

struct Server {
    child: Child,
    addr: SocketAddr,
    base: String,
    stderr: Arc<Mutex<String>>,
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trustdoc"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn trustdoc serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        loop {
            line.clear();
            let n = out.read_line(&mut line).expect("read stdout");
            assert!(n > 0, "serve ended early: {}", stderr.lock().unwrap());
            if line.starts_with("serving ") {
                break;
            }
        }
        std::thread::spawn(move || for _ in out.lines() {});
        let url = line
            .split(" at ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap();
        let host = url.trim_start_matches("http://").split('/').next().unwrap();
        let base = url[7 + host.len()..].to_string();
        Server {
            child,
            addr: host.parse().expect("address"),
            base,
            stderr,
        }
    }

    fn get(&self, path: &str) -> Reply {
        let mut s = TcpStream::connect(self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read reply");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").expect("reply head");
        let status = head[9..12].parse().expect("status");
        Reply {
            status,
            head: head.to_ascii_lowercase(),
            body: body.to_string(),
        }
    }

    fn builds(&self) -> u64 {
        let body = self.get(&format!("{}__trustdoc/status", self.base)).body;
        let v: serde_json::Value = serde_json::from_str(&body).expect("status json");
        v["builds"].as_u64().expect("builds")
    }

    /// Polls `path` until `ok` holds for the reply.
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if ok(&r) {
                return r;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{what}: still not seen at {path}; last reply {} {}\nstderr: {}",
                r.status,
                r.body,
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Ctrl-C, then the exit code.
    fn interrupt(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill");
        let start = Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().expect("wait") {
                return st.code();
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "serve did not stop on Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn small_site() -> TestSite {
    let s = TestSite::nested();
    s.file(
        "trustdoc.toml",
        "title = \"Serve test\"\nbase_url = \"https://example.org/\"\n",
    )
    .file(
        "content/index.md",
        "---\ntitle: Home\n---\n\nWelcome. See [setup](guide/setup.md).\n",
    )
    .file(
        "content/guide/_index.md",
        "---\ntitle: Guide\n---\n\nThe guide.\n",
    )
    .file(
        "content/guide/setup.md",
        "---\ntitle: Setup\n---\n\n## Install\n\nOriginal text.\n",
    )
    .bytes("content/guide/pic.png", b"\x89PNG\r\n\x1a\nnot really");
    s.outside("secret.txt", "top secret");
    s
}

#[test]
fn serves_pages_folders_types_and_the_404_page() {
    let s = small_site();
    let srv = Server::start(s.root(), &[]);
    assert_eq!(
        srv.addr.ip().to_string(),
        "127.0.0.1",
        "loopback by default"
    );
    let home = srv.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.head.contains("content-type: text/html; charset=utf-8"),
        "{}",
        home.head
    );
    assert!(home.head.contains("cache-control: no-store"));
    assert!(home.body.contains("Welcome."));
    assert!(
        home.body.contains("__trustdoc/reload.js"),
        "live-reload script"
    );
    let nested = srv.get("/guide/setup/");
    assert_eq!(nested.status, 200);
    assert!(nested.body.contains("Original text."));
    let bare = srv.get("/guide/setup");
    assert_eq!(bare.status, 307);
    assert!(bare.head.contains("location: /guide/setup/"));
    let png = srv.get("/guide/pic.png");
    assert_eq!(png.status, 200);
    assert!(png.head.contains("content-type: image/png"));
    // Stylesheets carry a content hash in their names: take the one the page links.
    let page = srv.get("/guide/setup/").body;
    let at = page.find("assets/trustdoc.").expect("stylesheet link");
    let name = &page[at..at + page[at..].find('"').expect("end of the link")];
    let css = srv.get(&format!("/{name}"));
    assert!(css.head.contains("content-type: text/css"), "{}", css.head);
    let missing = srv.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    let site_404 = std::fs::read_to_string(s.root().join("public/404.html")).ok();
    assert!(site_404.is_none(), "serve writes nothing to disk");
    assert!(missing.body.contains("<html"), "the site's own 404 page");
    assert!(missing.body.contains("__trustdoc/reload.js"));
    let js = srv.get("/__trustdoc/reload.js");
    assert!(js.body.contains("EventSource"));
    assert_eq!(srv.interrupt(), Some(0), "Ctrl-C stops cleanly");
}

#[test]
fn refuses_traversal_in_every_spelling() {
    let s = small_site();
    let srv = Server::start(s.root(), &[]);
    for bad in [
        "/../secret.txt",
        "/guide/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/guide%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/guide\\..\\..\\secret.txt",
    ] {
        let r = srv.get(bad);
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
        assert!(!r.body.contains("top secret"));
    }
    // No listings: a folder without index.html is a 404.
    assert_eq!(srv.get("/assets/").status, 404);
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let s = small_site();
    let out = Command::new(env!("CARGO_BIN_EXE_trustdoc"))
        .args(["serve", "--port", &port, "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port}")) && err.contains("in use"),
        "{err}"
    );
}

#[test]
fn another_bind_address_warns() {
    let s = small_site();
    let srv = Server::start(s.root(), &["--bind", "0.0.0.0"]);
    assert!(srv
        .stderr
        .lock()
        .unwrap()
        .contains("warning: serving on 0.0.0.0"));
}

#[test]
fn edits_errors_overlay_and_recovery() {
    let s = small_site();
    let srv = Server::start(s.root(), &[]);
    let page = "/guide/setup/";
    s.file(
        "content/guide/setup.md",
        "---\ntitle: Setup\n---\n\n## Install\n\nEdited text.\n",
    );
    srv.wait_for(page, "the edit", |r| r.body.contains("Edited text."));
    // A broken link is an error: the server stays up and every page shows it, escaped.
    s.file(
        "content/guide/setup.md",
        "---\ntitle: Setup\n---\n\n## Install\n\nBroken [x](<missing&.md>).\n",
    );
    let r = srv.wait_for(page, "the overlay", |r| r.body.contains("trustdoc-overlay"));
    assert!(r.body.contains("content/guide/setup.md:7:"), "{}", r.body);
    assert!(r.body.contains("missing&amp;.md"), "escaped");
    let home = srv.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Welcome.") && home.body.contains("trustdoc-overlay"));
    // The next good save removes it.
    s.file(
        "content/guide/setup.md",
        "---\ntitle: Setup\n---\n\n## Install\n\nFixed.\n",
    );
    let r = srv.wait_for(page, "the fix", |r| r.body.contains("Fixed."));
    assert!(!r.body.contains("trustdoc-overlay"));
    // Files created and deleted while serving are picked up.
    s.file(
        "content/guide/new.md",
        "---\ntitle: New\n---\n\nBrand new.\n",
    );
    srv.wait_for("/guide/new/", "a new page", |r| r.status == 200);
    std::fs::remove_file(s.root().join("content/guide/new.md")).unwrap();
    srv.wait_for("/guide/new/", "a deleted page", |r| r.status == 404);
}

#[test]
fn a_burst_of_50_writes_is_one_rebuild() {
    let s = small_site();
    let srv = Server::start(s.root(), &[]);
    let before = srv.builds();
    for i in 0..50 {
        s.file(
            &format!("content/guide/p{i}.md"),
            &format!("# Page {i}\n\nText {i}.\n"),
        );
    }
    // Editor-style save of an existing page: a swap file, then an atomic rename.
    s.file("content/guide/.setup.md.swp", "swap");
    s.file(
        "content/guide/setup.md.tmp.99",
        "---\ntitle: Setup\n---\n\nRenamed in.\n",
    );
    std::fs::rename(
        s.root().join("content/guide/setup.md.tmp.99"),
        s.root().join("content/guide/setup.md"),
    )
    .unwrap();
    srv.wait_for("/guide/p49/", "the burst", |r| r.status == 200);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(srv.builds(), before + 1, "one rebuild for the burst");
    assert!(srv.get("/guide/setup/").body.contains("Renamed in."));
}

#[test]
fn base_url_path_prefix_works_locally() {
    let s = small_site();
    s.file(
        "trustdoc.toml",
        "title = \"Serve test\"\nbase_url = \"https://example.org/pr/42/\"\n",
    );
    let srv = Server::start(s.root(), &[]);
    assert_eq!(srv.base, "/pr/42/");
    let r = srv.get("/pr/42/guide/setup/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("src=\"/pr/42/__trustdoc/reload.js\""));
    assert_eq!(srv.get("/pr/42").status, 307);
    assert_eq!(srv.get("/pr/42/__trustdoc/reload.js").status, 200);
    assert_eq!(srv.get("/guide/setup/").status, 404);
}

/// The served bytes of a page with the live-reload tail (script tag, overlay) removed.
fn strip_tail(body: &str) -> String {
    let Some(start) = body.rfind("<script src=\"/__trustdoc/reload.js\"") else {
        return body.to_string();
    };
    let end = body[start..].find("</script>").unwrap() + start + "</script>".len();
    let start = body[..start]
        .rfind("<div id=\"trustdoc-overlay\"")
        .unwrap_or(start);
    format!("{}{}", &body[..start], &body[end..])
}

/// One step of the sequence: apply `edit`, rebuild with the changed paths, compare with a
/// fresh full build.
fn step(site: &mut trustdoc::serve::Site, root: &Path, name: &str, touched: &[&str]) -> bool {
    let changed: BTreeSet<PathBuf> = touched.iter().map(|r| root.join(r)).collect();
    let update = site.rebuild(&changed).expect("rebuild");
    let mut cfg = Config::load(root, &Overrides::default()).expect("config");
    cfg.search = false; // as serve builds: no search index in the preview
    let full = trustdoc::site::build(&cfg).expect("full build");
    // On disk, as a build leaves it, so the next builds take its diagram PNGs instead of
    // drawing them again (serve does so too): keeps this test fast.
    trustdoc::output::write(&cfg.output_dir, &full.files).expect("write the full build");
    let got: Vec<(&str, &[u8])> = site
        .output()
        .iter()
        .map(|(p, b)| (p.as_str(), &b[..]))
        .collect();
    let want: Vec<(&str, &[u8])> = full
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    assert_eq!(got.len(), want.len(), "{name}: file count");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g.0, w.0, "{name}: file list");
        assert!(g.1 == w.1, "{name}: {} differs from a full build", g.0);
    }
    assert_eq!(update.diagnostics, full.diagnostics, "{name}: diagnostics");
    update.full
}

#[test]
fn rebuilds_equal_full_builds_over_a_sequence_of_edits() {
    let s = TestSite::new();
    let models = std::fs::read_to_string("tests/fixtures/compare/deployment-models.yaml").unwrap();
    s.file(
        "trustdoc.toml",
        "title = \"Seq\"\nbase_url = \"https://example.org/\"\n",
    )
    .file(
        "content/index.md",
        "---\ntitle: Home\n---\n\nStart at [one](guide/one.md#first).\n",
    )
    .file(
        "content/guide/_index.md",
        "---\ntitle: Guide\n---\n\nThe guide.\n",
    )
    .file(
        "content/guide/one.md",
        "---\ntitle: One\nweight: 1\n---\n\n## First\n\nSee [two](two.md).\n",
    )
    .file(
        "content/guide/two.md",
        "---\ntitle: Two\nweight: 2\n---\n\nNo include yet.\n",
    )
    .file("content/includes/note.md", "A shared note.\n")
    .file("content/models.yaml", &models)
    .file(
        "content/matrix.md",
        "---\ntitle: Matrix\n---\n\n:::access-matrix source=\"models.yaml\":::\n",
    );
    let root = s.root().to_path_buf();
    let mut site = trustdoc::serve::Site::new(&root, Overrides::default());
    assert!(step(&mut site, &root, "first build", &[]));
    let one = "---\ntitle: One\nweight: 1\n---\n\n## First\n\nEdited. See [two](two.md).\n";
    s.file("content/guide/one.md", one);
    let full = step(&mut site, &root, "edit a page", &["content/guide/one.md"]);
    assert!(!full, "a body edit re-renders only its page");
    let two = "---\ntitle: Two\nweight: 2\n---\n\n";
    s.file(
        "content/guide/two.md",
        &format!("{two}Broken [x](nowhere.md).\n"),
    );
    assert!(!step(
        &mut site,
        &root,
        "break a link",
        &["content/guide/two.md"]
    ));
    s.file(
        "content/guide/two.md",
        &format!("{two}Fixed [x](one.md#first).\n"),
    );
    assert!(!step(
        &mut site,
        &root,
        "fix the link",
        &["content/guide/two.md"]
    ));
    let include = "[!INCLUDE [note](../includes/note.md)]\n";
    s.file("content/guide/two.md", &format!("{two}{include}"));
    assert!(!step(
        &mut site,
        &root,
        "add an include",
        &["content/guide/two.md"]
    ));
    s.file(
        "content/guide/one.md",
        "---\ntitle: Uno\nweight: 1\n---\n\n## First\n\nEdited. See [two](two.md).\n",
    );
    let partial = !step(
        &mut site,
        &root,
        "change a title",
        &["content/guide/one.md"],
    );
    assert!(partial, "a title re-renders the pages showing it");
    s.file(
        "content/guide/one.md",
        "---\ntitle: Uno\nweight: 1\n---\n\n## Premier\n\nAnchor gone.\n",
    );
    let partial = !step(
        &mut site,
        &root,
        "remove a linked anchor",
        &["content/guide/one.md"],
    );
    assert!(
        partial,
        "an anchor re-renders its page; the links to it are checked again"
    );
    s.file(
        "content/guide/one.md",
        "---\ntitle: Uno\nweight: 1\n---\n\n## First\n\nAnchor back.\n",
    );
    assert!(!step(
        &mut site,
        &root,
        "restore the anchor",
        &["content/guide/one.md"]
    ));
    s.file(
        "content/index.md",
        "---\ntitle: Start\n---\n\nStart at [one](guide/one.md#first).\n",
    );
    assert!(!step(
        &mut site,
        &root,
        "retitle the home page",
        &["content/index.md"]
    ));
    s.file(
        "content/guide/three.md",
        "---\ntitle: Three\nweight: 3\n---\n\nThird.\n",
    );
    step(&mut site, &root, "add a page", &["content/guide/three.md"]);
    std::fs::rename(
        root.join("content/guide/three.md"),
        root.join("content/guide/drei.md"),
    )
    .unwrap();
    step(
        &mut site,
        &root,
        "rename a page",
        &["content/guide/three.md", "content/guide/drei.md"],
    );
    std::fs::remove_file(root.join("content/guide/drei.md")).unwrap();
    step(
        &mut site,
        &root,
        "delete a page",
        &["content/guide/drei.md"],
    );
    s.file(
        "content/models.yaml",
        &models.replace("Cloud provider operator", "Cloud operator staff"),
    );
    let partial = !step(
        &mut site,
        &root,
        "change a comparison file",
        &["content/models.yaml"],
    );
    assert!(partial, "a comparison file re-renders the pages showing it");
    s.file(
        "content/guide/two.md",
        "---\ntitle: Two\nweight: 2\n---\n\n[!INCLUDE [note](../includes/gone.md)]\n",
    );
    assert!(!step(
        &mut site,
        &root,
        "break an include",
        &["content/guide/two.md"],
    ));
    s.file("content/includes/gone.md", "Now it exists.\n");
    step(
        &mut site,
        &root,
        "fix the include",
        &["content/includes/gone.md"],
    );
    s.file("content/includes/gone.md", "Now it exists, edited.\n");
    assert!(!step(
        &mut site,
        &root,
        "edit an include",
        &["content/includes/gone.md"],
    ));
    let base = std::fs::read_to_string("templates/base.html").unwrap();
    s.file(
        "templates/base.html",
        &base.replace("</body>", "<p>custom footer</p></body>"),
    );
    step(
        &mut site,
        &root,
        "change a template",
        &["templates/base.html"],
    );
    s.file(
        "trustdoc.toml",
        "title = \"Seq renamed\"\nbase_url = \"https://example.org/\"\n",
    );
    step(&mut site, &root, "change the config", &["trustdoc.toml"]);

    // And what the server sends is that output, the live-reload tail aside.
    let srv = Server::start(&root, &[]);
    let mut cfg = Config::load(&root, &Overrides::default()).unwrap();
    cfg.search = false; // as serve builds: no search index in the preview
    let full = trustdoc::site::build(&cfg).unwrap();
    for f in full.files.iter().filter(|f| f.path.ends_with(".html")) {
        let body = srv.get(&format!("/{}", f.path)).body;
        assert_eq!(
            strip_tail(&body).as_bytes(),
            f.bytes.as_slice(),
            "{}",
            f.path
        );
    }
}

#[test]
fn serves_a_learn_folder() {
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/azure-confidential-computing");
    if !corpus.join("TOC.yml").exists() {
        eprintln!("skipped: ../shared/corpus/azure-confidential-computing is not present");
        return;
    }
    let srv = Server::start(&corpus, &[]);
    let page = srv.get("/attestation/");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("__trustdoc/reload.js"));
    assert!(
        !page.body.contains("trustdoc-overlay"),
        "the folder builds without errors"
    );
    assert_eq!(srv.get("/").status, 200);
    assert_eq!(srv.get("/no-such-article/").status, 404);
    assert_eq!(srv.interrupt(), Some(0));
}
