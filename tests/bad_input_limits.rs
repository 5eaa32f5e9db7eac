//! Runaway and misleading input: files too large to read, named pipes where a `:::code`
//! source or an include should be, names that collide on case-insensitive hosting, text
//! that would rewrite the reader's terminal, and a bad `--base-url` blamed on the file.
#![cfg(unix)]

mod common;
use common::TestSite;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn site() -> TestSite {
    let s = TestSite::nested();
    s.file("trustdoc.toml", "title = \"T\"\n")
        .file("content/index.md", "# Home\n");
    s
}

#[test]
fn a_huge_sparse_page_is_refused_before_it_is_read() {
    let s = site();
    let r = s.fails_keeping_output(1, |s| {
        let f = std::fs::File::create(s.root().join("content/big.md")).expect("create");
        f.set_len(1 << 30).expect("sparse 1 GB");
    });
    assert!(
        r.stderr
            .contains("content/big.md: error: this file is 1024 MB; the limit is 16 MB"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_size_limit_is_configurable() {
    let s = site();
    s.bytes("content/data.md", &vec![b'a'; 3 << 20]);
    assert_eq!(s.build().code, 0);
    s.file("trustdoc.toml", "title = \"T\"\nmax_file_mb = 2\n");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/data.md: error: this file is 3 MB; the limit is 2 MB"),
        "{}",
        r.stderr
    );
}

/// Builds `s` in the background and fails the test if it takes over a minute.
fn build_bounded(s: &TestSite) -> (Option<i32>, String) {
    let log = s.dir.path().join("stderr.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustdoc"))
        .args(["build", "--root"])
        .arg(s.root())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log"))
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    loop {
        if let Ok(Some(st)) = child.try_wait() {
            return (st.code(), std::fs::read_to_string(&log).unwrap_or_default());
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the build hung on a named pipe");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn named_pipes_as_code_source_or_include_are_located_errors() {
    for (page, line) in [
        (
            "# Home\n\n:::code language=\"python\" source=\"pipe.py\":::\n",
            "content/index.md:3:",
        ),
        (
            "# Home\n\nText.\n\n[!INCLUDE [part](pipe.py)]\n",
            "content/index.md:5:",
        ),
    ] {
        let s = site();
        s.file("content/index.md", page);
        let made = Command::new("mkfifo")
            .arg(s.root().join("content/pipe.py"))
            .status();
        if !made.is_ok_and(|st| st.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let (code, stderr) = build_bounded(&s);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains(line) && stderr.contains("is not a regular file"),
            "{stderr}"
        );
    }
}

#[test]
fn names_differing_only_in_case_are_errors_naming_both() {
    let s = site();
    s.file("content/Foo.md", "# Upper\n")
        .file("content/foo.md", "# Lower\n");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/foo.md: error: this name and `content/Foo.md`"),
        "{}",
        r.stderr
    );
}

#[test]
fn folders_differing_only_in_case_are_errors_too() {
    let s = site();
    s.file("content/Guide/a.md", "# A\n")
        .file("content/guide/b.md", "# B\n");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/guide: error: this name and `content/Guide`"),
        "{}",
        r.stderr
    );
}

#[test]
fn nfc_and_nfd_spellings_of_one_name_are_errors_naming_both() {
    let s = site();
    let nfc = "content/\u{fc}mlaut.md";
    let nfd = "content/u\u{308}mlaut.md";
    s.file(nfc, "# Composed\n").file(nfd, "# Decomposed\n");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(nfc) && r.stderr.contains(nfd) && r.stderr.contains("Unicode"),
        "{}",
        r.stderr
    );
}

#[test]
fn bidi_controls_and_line_feeds_are_escaped_in_messages() {
    let s = site();
    s.file("content/index.md", "# Home\n\n[x](evil\u{202e}dm.txt)\n");
    s.file("content/bad\nname.md", "# B\n\n[y](gone.md)\n");
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stderr.contains('\u{202e}'), "{}", r.stderr);
    assert!(r.stderr.contains("evil\\u{202e}dm.txt"), "{}", r.stderr);
    assert!(
        r.stderr.contains("content/bad\\u{a}name.md:3:"),
        "{}",
        r.stderr
    );
    for line in r.stderr.lines() {
        assert!(!line.starts_with("name.md"), "a forged line: {line}");
    }
}

#[test]
fn a_bad_base_url_flag_is_blamed_on_the_flag() {
    let s = site();
    let r = s.run(&["build", "--base-url", "ftp://example.com/"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--base-url ftp://example.com/"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("trustdoc.toml"), "{}", r.stderr);
}

#[test]
fn an_unknown_template_is_an_error_at_its_line() {
    let s = site();
    s.file(
        "content/index.md",
        "---\ntitle: Home\ntemplate: fancy\n---\n# Home\n",
    );
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/index.md:3:1: error: `template: fancy` names no template"),
        "{}",
        r.stderr
    );
}
