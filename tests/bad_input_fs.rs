//! The file system misbehaving under a build: link loops, dangling links, unreadable files
//! and folders, a named pipe where a page should be, and files deleted while a large site
//! builds. None may panic or hang; each problem names the file and fails with exit 1.
#![cfg(unix)]

mod common;
use common::{small_site as site, spawn_build, wait_bounded, TestSite};
use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::Duration;

#[test]
fn symlink_loops_are_reported_not_followed() {
    let s = site();
    let r = s.fails_keeping_output(1, |s| {
        let loop_dir = s.root().join("content/loop");
        s.file("content/loop/a.md", "# A\n")
            .symlink(&loop_dir, "content/loop/back");
        s.symlink(&s.root().join("content/self"), "content/self");
    });
    assert!(
        r.stderr.contains("content/loop/back: error: symbolic link loop: this folder links back to one of its parents; skipped"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("content/self: error: cannot read:"),
        "{}",
        r.stderr
    );
}

#[test]
fn dangling_symlink_is_named() {
    let s = site();
    let r = s.fails_keeping_output(1, |s| {
        s.symlink(&s.root().join("content/gone.md"), "content/dangling.md");
    });
    assert!(
        r.stderr
            .contains("content/dangling.md: error: cannot read: No such file or directory"),
        "{}",
        r.stderr
    );
}

/// Runs `trustdoc check` on `s`, as an unprivileged user when the tests run as root
/// (root reads files whatever their mode). None when that is not possible here.
fn check_without_privileges(s: &TestSite) -> Option<common::Run> {
    use std::os::unix::process::CommandExt;
    let probe = s.root().join("content/.probe");
    std::fs::write(&probe, "x").ok()?;
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).ok()?;
    let privileged = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).ok()?;
    let mut cmd = Command::new(common::bin());
    cmd.args(["check", "--root"]).arg(s.root());
    if privileged {
        // Let the unprivileged user reach the site (the temporary folder is private).
        std::fs::set_permissions(s.dir.path(), std::fs::Permissions::from_mode(0o755)).ok()?;
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().ok()?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if privileged && stderr.contains("Permission denied") && stderr.contains("trustdoc.toml") {
        eprintln!("skipped: the unprivileged user cannot reach the site: {stderr}");
        return None;
    }
    Some(common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    })
}

#[test]
fn unreadable_file_and_folder_are_named() {
    let s = site();
    s.file("content/locked.md", "# Locked\n")
        .file("content/closed/inner.md", "# Inner\n");
    for (rel, mode) in [("content/locked.md", 0o000), ("content/closed", 0o000)] {
        std::fs::set_permissions(s.root().join(rel), std::fs::Permissions::from_mode(mode))
            .expect("chmod");
    }
    let Some(r) = check_without_privileges(&s) else {
        return;
    };
    // Files the machine cannot read are I/O errors: exit 2, as for an unreadable config.
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/locked.md: error: cannot read: Permission denied"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("content/closed: error: cannot read: Permission denied"),
        "{}",
        r.stderr
    );
    // Let the temporary folder be removed.
    std::fs::set_permissions(
        s.root().join("content/closed"),
        std::fs::Permissions::from_mode(0o755),
    )
    .expect("chmod back");
}

#[test]
fn names_too_long_for_the_file_system_are_read_errors_with_exit_2() {
    let long = "n".repeat(300);
    for (page, at) in [
        (
            format!("# Home\n\n:::code language=\"python\" source=\"{long}.py\":::\n"),
            "content/index.md:3:1: error: `:::code` source",
        ),
        (
            format!("# Home\n\nText.\n\n[!INCLUDE [part]({long}.md)]\n"),
            "content/index.md:5:1: error: [!INCLUDE]",
        ),
    ] {
        let s = site();
        let r = s.fails_keeping_output(2, |s| {
            s.file("content/index.md", &page);
        });
        assert!(
            r.stderr.contains(at) && r.stderr.contains("File name too long"),
            "{}",
            r.stderr
        );
    }
    // A missing file stays a content error (exit 1).
    let s = site();
    s.fails_keeping_output(1, |s| {
        s.file("content/index.md", "# Home\n\n[!INCLUDE [part](gone.md)]\n");
    });
}

#[test]
fn named_pipe_instead_of_a_page_does_not_hang() {
    let s = site();
    let fifo = s.root().join("content/pipe.md");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|st| st.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let (child, log) = spawn_build(&s);
    let (code, stderr) = wait_bounded(child, &log, Duration::from_secs(60));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(s.out_path("index.html").is_file());
    assert!(!s.out_path("pipe/index.html").exists());
}

#[test]
fn files_deleted_during_a_large_build_never_panic() {
    let s = site();
    const PAGES: usize = 600;
    for i in 0..PAGES {
        s.file(
            &format!("content/p{i}.md"),
            &format!("# Page {i}\n\nSome text.\n\n[!INCLUDE [shared](includes/i{i}.md)]\n\n:::code language=\"python\" source=\"code/c{i}.py\":::\n"),
        )
        .file(&format!("content/includes/i{i}.md"), &format!("Included {i}.\n"))
        .file(&format!("content/code/c{i}.py"), "print('hi')\n");
    }
    let (child, log) = spawn_build(&s);
    // Delete from the end while the build runs: pages, their includes and code files.
    let content = s.root().join("content");
    let deleter = std::thread::spawn(move || {
        for i in (0..PAGES).rev() {
            for rel in [
                format!("includes/i{i}.md"),
                format!("code/c{i}.py"),
                format!("p{i}.md"),
            ] {
                let _ = std::fs::remove_file(content.join(rel));
            }
            if i % 10 == 0 {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    });
    let (code, stderr) = wait_bounded(child, &log, Duration::from_secs(300));
    deleter.join().expect("deleter");
    eprintln!(
        "exit {code:?}; {} lines of messages",
        stderr.lines().count()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    match code {
        Some(0) => {}
        Some(1) => assert!(
            stderr.contains("content/p") && stderr.contains("error:"),
            "exit 1 must name a file: {stderr}"
        ),
        other => panic!("exit {other:?}: {stderr}"),
    }
}
