//! Test helper: a throwaway site on disk, built with the real `trustdoc` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TestSite {
    pub fn new() -> Self {
        TestSite {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
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
        let out = Command::new(env!("CARGO_BIN_EXE_trustdoc"))
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

    pub fn out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join("public").join(rel))
            .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    pub fn out_path(&self, rel: &str) -> PathBuf {
        self.root().join("public").join(rel)
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
