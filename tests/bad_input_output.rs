//! Output folders and reports that a build must not destroy: a folder trustdoc did not
//! write, a Git repository, a parent of the site, sources named as the report, leftovers of
//! killed builds, and two builds of one site at the same time.
#![cfg(unix)]

mod common;
use common::small_site as site;
use std::process::{Command, Stdio};

fn exists(p: &std::path::Path) -> bool {
    std::fs::symlink_metadata(p).is_ok()
}

#[test]
fn a_folder_trustdoc_did_not_write_is_refused_and_untouched() {
    let s = site();
    let thesis = s.outside("victim/thesis.txt", "years of work");
    let victim = thesis.parent().expect("parent").to_path_buf();
    let r = s.run(&["build", "--output", victim.to_str().expect("utf8")]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("was not written by trustdoc") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    let left: Vec<_> = std::fs::read_dir(&victim).expect("read").collect();
    assert_eq!(left.len(), 1, "nothing was added to the folder");
    assert_eq!(
        std::fs::read_to_string(&thesis).expect("kept"),
        "years of work"
    );
    let leftovers: Vec<_> = std::fs::read_dir(s.dir.path())
        .expect("read")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "nothing staged beside it: {leftovers:?}"
    );

    // --force replaces it, and the next build needs no --force: the folder is stamped.
    let r = s.run(&[
        "build",
        "--force",
        "--output",
        victim.to_str().expect("utf8"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!thesis.exists());
    assert!(victim.join(".trustdoc-output").is_file());
    let r = s.run(&["build", "--output", victim.to_str().expect("utf8")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn the_default_output_is_stamped_and_rebuilt_without_force() {
    let s = site();
    assert_eq!(s.build().code, 0);
    assert!(s.out_path(".trustdoc-output").is_file());
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn config_output_dir_must_stay_inside_the_root() {
    for dir in ["../sshlike", "/tmp/trustdoc-outside-test-never-made"] {
        let s = site();
        let outside = s.outside("sshlike/id_key", "secret");
        s.file(
            "trustdoc.toml",
            &format!("title = \"T\"\noutput_dir = \"{dir}\"\n"),
        );
        // Refused as it is, and even with --force.
        for args in [&["build"][..], &["build", "--force"]] {
            let r = s.run(args);
            assert_eq!(r.code, 1, "{dir} {args:?}: {}", r.stderr);
            assert!(
                r.stderr.contains("trustdoc.toml:2:") && r.stderr.contains("inside the site root"),
                "{}",
                r.stderr
            );
            assert_eq!(std::fs::read_to_string(&outside).expect("kept"), "secret");
        }
        assert!(!std::path::Path::new("/tmp/trustdoc-outside-test-never-made").exists());
    }
}

#[test]
fn git_repositories_and_parents_of_the_root_are_refused_even_with_force() {
    let s = site();
    let head = s.outside("repo/.git/HEAD", "ref: refs/heads/main\n");
    let repo = s.dir.path().join("repo");
    for force in [&[][..], &["--force"]] {
        let mut args = vec!["build", "--output", repo.to_str().expect("utf8")];
        args.extend_from_slice(force);
        let r = s.run(&args);
        assert_eq!(r.code, 2, "{force:?}: {}", r.stderr);
        assert!(r.stderr.contains("Git repository"), "{}", r.stderr);
        assert!(head.exists());
    }

    // A folder named .git inside the root, from the configuration.
    s.file(".git/config", "[core]\n");
    s.file("trustdoc.toml", "title = \"T\"\noutput_dir = \".git\"\n");
    let r = s.run(&["build", "--force"]);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(s.root().join(".git/config").exists());

    s.file("trustdoc.toml", "title = \"T\"\n");
    let parent = s.dir.path();
    let r = s.run(&[
        "build",
        "--force",
        "--output",
        parent.to_str().expect("utf8"),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(s.root().join("content/index.md").exists());
}

#[test]
fn report_paths_among_the_sources_are_refused() {
    let s = site();
    for rel in [
        "content/index.md",
        "trustdoc.toml",
        "templates/page.html",
        "assets/x.json",
    ] {
        let path = s.root().join(rel);
        if !path.exists() {
            s.file(rel, "mine");
        }
        let before = std::fs::read(&path).expect("read");
        let r = s.run(&["build", "--report", path.to_str().expect("utf8")]);
        assert_eq!(r.code, 2, "{rel}: {}", r.stderr);
        assert!(r.stderr.contains("--report"), "{}", r.stderr);
        assert_eq!(std::fs::read(&path).expect("read"), before, "{rel} changed");
        assert!(!s.out_path("index.html").exists(), "nothing was built");
        let _ = std::fs::remove_dir_all(s.root().join("templates"));
        let _ = std::fs::remove_dir_all(s.root().join("assets"));
    }
}

#[test]
fn a_report_inside_the_output_survives_the_swap() {
    let s = site();
    let report = s.root().join("public/report.json");
    for _ in 0..2 {
        let r = s.run(&["build", "--report", report.to_str().expect("utf8")]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let json = std::fs::read_to_string(&report).expect("report written");
        assert!(json.contains("\"pages\""), "{json}");
    }
}

#[test]
fn staging_folders_of_dead_builds_are_removed() {
    let s = site();
    // Process ids far above any running one on this machine.
    for stale in [".public.tmp-4194000", ".public.old-4194001"] {
        s.file(&format!("{stale}/big.bin"), "leftover");
    }
    s.file(".other.tmp-4194002/keep", "not ours");
    let r = s.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!exists(&s.root().join(".public.tmp-4194000")));
    assert!(!exists(&s.root().join(".public.old-4194001")));
    assert!(s.root().join(".other.tmp-4194002/keep").exists());
}

#[test]
fn a_second_build_waits_for_the_lock_and_says_who_holds_it() {
    let s = site();
    assert_eq!(s.build().code, 0);
    let lock_path = s.root().join(".public.lock");
    let held = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(&lock_path)
        .expect("lock file");
    held.lock().expect("lock");
    std::fs::write(&lock_path, "4194003").expect("holder");
    let child = Command::new(common::bin())
        .args(["build", "--root"])
        .arg(s.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    drop(held);
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("waiting for another build (process 4194003)"),
        "{stderr}"
    );
}

#[test]
fn concurrent_builds_of_one_site_all_succeed_and_leave_nothing_behind() {
    let s = site();
    for i in 0..40 {
        s.file(&format!("content/p{i}.md"), &format!("# Page {i}\n"));
    }
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(common::bin())
                .args(["build", "--quiet", "--root"])
                .arg(s.root())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().expect("wait");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let staged: Vec<_> = std::fs::read_dir(s.root())
        .expect("read")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect();
    assert!(staged.is_empty(), "{staged:?}");
    assert!(s.out_path("p39/index.html").exists());
}

#[test]
fn output_paths_through_dot_dot_and_failed_builds_create_no_folders() {
    let s = site();
    let out = s.dir.path().join("x/sub/..");
    let r = s.run(&["build", "--output", out.to_str().expect("utf8")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(s.dir.path().join("x/index.html").exists());
    assert!(!exists(&s.dir.path().join("x/sub")), "x/sub was created");

    s.file("content/bad.md", "[gone](missing.md)\n");
    let deep = s.dir.path().join("new/deeper/out");
    let r = s.run(&["build", "--output", deep.to_str().expect("utf8")]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        !exists(&s.dir.path().join("new")),
        "a failed build left new/"
    );
}

#[test]
fn output_inside_assets_is_refused() {
    let s = site();
    s.file("assets/site.css", "body{}\n");
    s.file(
        "trustdoc.toml",
        "title = \"T\"\noutput_dir = \"assets/out\"\n",
    );
    let r = s.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("assets"), "{}", r.stderr);
    assert!(!exists(&s.root().join("assets/out")));
}
