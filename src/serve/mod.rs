//! `trustdoc serve`: a local preview. The site is built into memory (never written), served
//! over HTTP on loopback by default ([`http`]), watched for changes ([`watch`]) and rebuilt
//! after each burst of saves ([`incremental`]); open pages reload once the new build is in
//! place, and show the build's errors in an overlay until a good save ([`reload`]).
//! A build with errors never stops the server: what did build is served, pages that could
//! not be built keep their last good output.

mod http;
mod incremental;
mod partial;
mod reload;
mod state;
mod watch;

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use axum::body::Bytes;

use crate::config::Overrides;
pub use http::{route, Route, Served, Shared};
pub use incremental::Site;
pub use reload::{inject, tail};
pub use state::Update;

/// What `trustdoc serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    pub overrides: Overrides,
}

/// Runs the server until Ctrl-C; returns the exit code.
pub fn run(opts: Options) -> u8 {
    if !opts.root.is_dir() {
        eprintln!("error: site root {} is not a folder", opts.root.display());
        return 2;
    }
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: other machines that can reach it can read this preview; \
             the default 127.0.0.1 keeps it to this machine",
            opts.bind
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    match runtime {
        Ok(rt) => rt.block_on(serve(opts)),
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            2
        }
    }
}

async fn serve(opts: Options) -> u8 {
    let listener = match tokio::net::TcpListener::bind((opts.bind, opts.port)).await {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!(
                "error: port {} on {} is already in use: choose another with --port \
                 (--port 0 picks a free one)",
                opts.port, opts.bind
            );
            return 2;
        }
        Err(e) => {
            eprintln!("error: cannot listen on {}:{}: {e}", opts.bind, opts.port);
            return 2;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let mut site = Site::new(&opts.root, opts.overrides.clone());
    let started = Instant::now();
    let first = match site.rebuild(&BTreeSet::new()) {
        Ok(u) => u,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let base_path = site
        .config()
        .map(|c| c.base_path.clone())
        .unwrap_or_else(|| "/".into());
    let boot = boot_id();
    let shared = Arc::new(Shared {
        served: RwLock::new(Served::default()),
        base_path: base_path.clone(),
        build_id: tokio::sync::watch::channel(String::new()).0,
        shutdown: tokio::sync::watch::channel(false).0,
    });
    report(&first, started);
    apply(&shared, &boot, first, site.output());
    let watcher = match watcher_for(&opts.root, &site) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let url = format!("http://{}{base_path}", display_addr(addr));
    println!("serving {} at {url} (Ctrl-C stops)", opts.root.display());
    if opts.open {
        open_browser(&url);
    }
    let rebuilds = Arc::clone(&shared);
    std::thread::spawn(move || {
        while let Some(burst) = watcher.next_burst() {
            let started = Instant::now();
            match site.rebuild(&burst) {
                Ok(update) => {
                    report(&update, started);
                    apply(&rebuilds, &boot, update, site.output());
                }
                Err(e) => eprintln!("error: {e}"),
            }
        }
    });
    let stop = Arc::clone(&shared);
    let served = axum::serve(listener, http::router(shared)).with_graceful_shutdown(async move {
        let _ = tokio::signal::ctrl_c().await;
        stop.shutdown.send_replace(true);
    });
    if let Err(e) = served.await {
        eprintln!("error: {e}");
        return 2;
    }
    println!("stopped");
    0
}

/// Puts a build in place and then tells open pages. A clean build serves `output` (the
/// site's whole output); a build with errors keeps the last good output of every file it
/// did not produce, and shows its errors in the overlay.
pub fn apply(sh: &Shared, boot: &str, update: Update, output: &BTreeMap<String, Bytes>) {
    let clean = update.errors() == 0;
    let id = {
        let mut s = sh.served.write().unwrap_or_else(|e| e.into_inner());
        // Served files equal the last build's output after a clean build: then a
        // partial rebuild only has its own files to put in place.
        if clean && (update.full || !s.errors.is_empty()) {
            s.files = output.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        } else {
            for path in update.changed {
                if let Some(bytes) = output.get(&path) {
                    s.files.insert(path, bytes.clone());
                }
            }
        }
        if clean {
            s.errors.clear();
        } else {
            s.errors = reload::lines(&update.diagnostics);
        }
        s.builds += 1;
        s.id = format!("{boot}-{}", s.builds);
        s.id.clone()
    };
    sh.build_id.send_replace(id);
}

fn report(update: &Update, started: Instant) {
    let lines = reload::lines(&update.diagnostics);
    for line in &lines {
        eprintln!("{line}");
    }
    let errors = update.errors();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if errors > 0 {
        eprintln!(
            "{errors} error(s), {} warning(s): the browser shows them; the last good pages stay served",
            lines.len() - errors
        );
    } else {
        println!("built {} pages in {ms:.0} ms", update.pages);
    }
}

fn watcher_for(root: &Path, site: &Site) -> Result<watch::Watcher, String> {
    let root = root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", root.display()))?;
    let skip = site
        .config()
        .map(|c| c.output_dir.canonicalize().unwrap_or(c.output_dir.clone()))
        .into_iter()
        .collect();
    watch::Watcher::new(&root, skip)
}

/// Different for every run of the server, so pages served by an earlier run reload when
/// their event stream reconnects to a new one.
fn boot_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{:x}{:x}", nanos, std::process::id())
}

fn display_addr(addr: SocketAddr) -> String {
    addr.to_string()
}

fn open_browser(url: &str) {
    let tries: &[(&str, &[&str])] = if cfg!(target_os = "macos") {
        &[("open", &[])]
    } else if cfg!(windows) {
        &[("cmd", &["/C", "start", ""])]
    } else {
        &[("xdg-open", &[])]
    };
    for (cmd, args) in tries {
        let spawned = std::process::Command::new(cmd)
            .args(*args)
            .arg(url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if spawned.is_ok() {
            return;
        }
    }
    eprintln!("warning: could not open a browser; open {url} yourself");
}
