//! Test helper: a throwaway site on disk, built with the real `trustdoc` binary.
#![allow(dead_code)]

pub mod markup;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The binary under test: `TRUSTDOC_BIN` when set (to run a suite against another build,
/// say an older release, and see which tests it fails), else the one cargo built.
pub fn bin() -> PathBuf {
    std::env::var_os("TRUSTDOC_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_trustdoc")))
}

pub struct TestSite {
    pub dir: tempfile::TempDir,
    /// The site root: the temporary folder itself, or its `site/` child when the test
    /// needs room outside the root (see `nested`).
    root: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TestSite {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().to_path_buf();
        TestSite { dir, root }
    }

    /// A site whose root is `site/` inside the temporary folder, so files can be put
    /// next to it (outside the root) with `outside`.
    pub fn nested() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).expect("mkdir site");
        TestSite { dir, root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes a file relative to the temporary folder (beside a `nested` site's root) and
    /// returns its path.
    pub fn outside(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
        p
    }

    /// A symbolic link at `rel` (relative to the root) pointing at `target`.
    #[cfg(unix)]
    pub fn symlink(&self, target: &Path, rel: &str) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::os::unix::fs::symlink(target, p).expect("symlink");
        self
    }

    /// Writes a file (creating folders) relative to the site root.
    pub fn file(&self, rel: &str, text: &str) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
        self
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
        self
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(bin())
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .expect("run trustdoc");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Builds once (which must succeed), applies `breakage`, builds again and checks the
    /// second build exits with `code` and leaves `public/` byte-identical to the first.
    pub fn fails_keeping_output(&self, code: i32, breakage: impl FnOnce(&TestSite)) -> Run {
        let first = self.build();
        assert_eq!(first.code, 0, "the baseline build failed: {}", first.stderr);
        let before = snapshot_tree(&self.root().join("public"));
        assert!(!before.is_empty(), "the baseline build wrote nothing");
        breakage(self);
        let r = self.build();
        assert_eq!(r.code, code, "{}", r.stderr);
        let after = snapshot_tree(&self.root().join("public"));
        assert!(before == after, "a failed build changed public/");
        r
    }

    pub fn out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join("public").join(rel))
            .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    pub fn out_path(&self, rel: &str) -> PathBuf {
        self.root().join("public").join(rel)
    }
}

/// The smallest site that builds: a title and a home page, under `site/` of a temporary
/// folder (so files can be put beside it).
pub fn small_site() -> TestSite {
    let s = TestSite::nested();
    s.file("trustdoc.toml", "title = \"T\"\n")
        .file("content/index.md", "# Home\n");
    s
}

/// Starts `trustdoc build` on `s` with its messages going to a file (a pipe nobody reads
/// would fill up and stall it).
pub fn spawn_build(s: &TestSite) -> (Child, PathBuf) {
    let log = s.dir.path().join("stderr.txt");
    let child = Command::new(bin())
        .args(["build", "--root"])
        .arg(s.root())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("spawn");
    (child, log)
}

/// Waits for `child` up to `limit`; kills it and fails the test when it takes longer.
/// Returns the exit code and what it printed to `log`.
pub fn wait_bounded(mut child: Child, log: &Path, limit: Duration) -> (Option<i32>, String) {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let stderr = std::fs::read_to_string(log).unwrap_or_default();
                return (status.code(), stderr);
            }
            Ok(None) if started.elapsed() < limit => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("trustdoc did not finish within {limit:?}");
            }
        }
    }
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .expect("prefix")
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    v.sort();
    v
}

/// Asserts exit code 1 and that `at` (a `path:line:col: error: …` prefix) is in stderr.
pub fn assert_error_at(r: &Run, at: &str) {
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains(at), "expected `{at}` in:\n{}", r.stderr);
}

/// A small site that builds; then `files` are written into it and it is built again. Asserts
/// the second build exits 1 with `at` in its messages and leaves `public/` byte-identical.
pub fn fails_at(files: &[(&str, &str)], at: &str) -> (TestSite, Run) {
    let s = TestSite::nested();
    s.file("trustdoc.toml", "title = \"T\"\n")
        .file("content/index.md", "# Home\n");
    let r = s.fails_keeping_output(1, |s| {
        for (rel, text) in files {
            s.file(rel, text);
        }
    });
    assert!(r.stderr.contains(at), "expected `{at}` in:\n{}", r.stderr);
    (s, r)
}

/// Text put in files outside the site root; it must never reach the output.
pub const SENTINEL: &str = "SENTINEL-7f3a-outside-the-root";

/// Asserts no file under `dir` contains `SENTINEL`.
pub fn assert_no_sentinel(dir: &Path) {
    for (path, bytes) in snapshot_tree(dir) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(SENTINEL),
            "{path} holds text from outside the root"
        );
    }
}

/// Builds `root` with the real binary and `--report`: exit code, stderr, the parsed
/// report (null when none was written) and the output folder (kept alive by the caller).
pub fn build_with_report(
    root: &Path,
    extra: &[&str],
) -> (i32, String, serde_json::Value, tempfile::TempDir) {
    let out = tempfile::tempdir().expect("tmp");
    let report = out.path().join("report.json");
    let r = Command::new(bin())
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out.path().join("public"))
        .arg("--report")
        .arg(&report)
        .args(extra)
        .output()
        .expect("run");
    let json = std::fs::read_to_string(&report)
        .map(|t| serde_json::from_str(&t).expect("json"))
        .unwrap_or(serde_json::Value::Null);
    (
        r.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&r.stderr).into_owned(),
        json,
        out,
    )
}
