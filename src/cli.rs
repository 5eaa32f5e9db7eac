//! Command line: parses flags (clap), runs the pipeline, prints every diagnostic numbered
//! and a one-line count, and maps the result to the exit code: 0 success, 1 content
//! errors (nothing published), 2 usage or I/O errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError, Overrides};
use crate::error::Diagnostic;
use crate::site;

#[derive(Debug, Parser)]
#[command(
    name = "trustdoc",
    version,
    about = "Build documentation sites from Markdown and comparison data"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build {
        /// Site root (holds trustdoc.toml, content/, templates/, assets/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: public/ under the root).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Absolute URL (or path prefix) the site is published under; wins over trustdoc.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Treat warnings as errors (for pull-request previews).
        #[arg(long)]
        strict: bool,
        /// Remove raw HTML and script URLs from Markdown (untrusted contributions).
        #[arg(long)]
        safe: bool,
        /// Write a JSON summary: pages, assets, diagrams, warnings, errors, timings.
        #[arg(long, value_name = "FILE.json")]
        report: Option<PathBuf>,
        /// Print only errors and warnings.
        #[arg(long, short)]
        quiet: bool,
        /// An earlier build's output folder or --report file: the report lists the pages
        /// added, changed and removed since then.
        #[arg(long, value_name = "DIR|FILE.json")]
        compare_with: Option<PathBuf>,
        /// Write a Markdown summary (changed pages, errors, warnings) for a CI job
        /// summary or a pull-request comment.
        #[arg(long, value_name = "FILE.md")]
        summary_md: Option<PathBuf>,
    },
    /// Run every check a build runs, and write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        safe: bool,
    },
    /// Create a new site with example pages and comparison data.
    Init {
        /// Folder to create (must be empty or absent).
        dir: PathBuf,
    },
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    ExitCode::from(run(cli.command))
}

pub fn run(cmd: Command) -> u8 {
    match cmd {
        Command::Build {
            root,
            output,
            base_url,
            strict,
            safe,
            report,
            quiet,
            compare_with,
            summary_md,
        } => {
            let ov = Overrides {
                output,
                base_url,
                strict,
                safe,
            };
            let files = ReportFiles {
                json: report,
                compare_with,
                summary_md,
            };
            build(&root, &ov, &files, quiet, true)
        }
        Command::Check { root, strict, safe } => {
            let ov = Overrides {
                strict,
                safe,
                ..Overrides::default()
            };
            build(&root, &ov, &ReportFiles::default(), false, false)
        }
        Command::Init { dir } => match crate::init::init(&dir) {
            Ok(n) => {
                println!(
                    "created {} with {n} files; build it with `trustdoc build --root {}`",
                    dir.display(),
                    dir.display()
                );
                0
            }
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        },
    }
}

/// What `build` reports besides the console: `--report`, `--compare-with`, `--summary-md`.
#[derive(Debug, Default)]
struct ReportFiles {
    json: Option<PathBuf>,
    compare_with: Option<PathBuf>,
    summary_md: Option<PathBuf>,
}

fn build(root: &Path, ov: &Overrides, files: &ReportFiles, quiet: bool, write: bool) -> u8 {
    if !root.is_dir() {
        eprintln!("error: site root {} is not a folder", root.display());
        return 2;
    }
    // Read before the build, which may replace that very folder.
    let previous = match files.compare_with.as_deref().map(site::previous_hashes) {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            eprintln!("error: --compare-with {e}");
            return 2;
        }
        None => None,
    };
    let mut cfg = match Config::load(root, ov) {
        Ok(c) => c,
        Err(ConfigError::Io(msg) | ConfigError::Usage(msg)) => {
            eprintln!("error: {msg}");
            return 2;
        }
        Err(ConfigError::Content(diags)) => {
            print_diagnostics(&diags);
            return 1;
        }
    };
    // `check` writes nothing, so it has no use for a search index (the slowest stage).
    cfg.search &= write;
    // Files go straight into a staging folder beside the output (nothing for `check`); it
    // replaces the output folder only if the build has no errors, and is removed otherwise.
    let staging = if write {
        match crate::output::Staging::new(&cfg.output_dir) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        }
    } else {
        None
    };
    let sink: &dyn crate::output::Sink = match &staging {
        Some(s) => s,
        None => &crate::output::Discard,
    };
    let mut outcome = match site::build_to(&cfg, sink) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("error: {msg}");
            return 2;
        }
    };
    print_diagnostics(&outcome.diagnostics);
    if let Some(prev) = &previous {
        outcome.report.changes = Some(site::diff(prev, &outcome.report.page_hashes));
    }
    if let Some(path) = &files.json {
        let json = serde_json::to_string_pretty(&outcome.report).unwrap_or_default();
        if let Err(e) = std::fs::write(path, json + "\n") {
            eprintln!("error: {}: {e}", path.display());
            return 2;
        }
    }
    if let Some(path) = &files.summary_md {
        let base = (!cfg.relative_urls).then_some(cfg.base_url.as_str());
        let md = site::summary_markdown(&outcome.report, base);
        if let Err(e) = std::fs::write(path, md) {
            eprintln!("error: {}: {e}", path.display());
            return 2;
        }
    }
    if outcome.errors() > 0 {
        eprintln!("nothing was written: fix the errors above and build again");
        return 1;
    }
    if let Some(staging) = staging {
        if let Err(e) = staging.commit() {
            eprintln!("error: {e}");
            return 2;
        }
        if !quiet {
            let pages = outcome.report.pages.len();
            println!(
                "built {pages} pages and {} other files into {}",
                outcome.written.saturating_sub(pages),
                cfg.output_dir.display()
            );
        }
    } else if !quiet {
        println!("checked {} pages: no errors", outcome.report.pages.len());
    }
    0
}

/// Prints diagnostics numbered, errors first, then the one-line count.
pub fn print_diagnostics(diags: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| !d.is_error());
    for (i, d) in sorted.iter().enumerate() {
        let _ = writeln!(err, "{:>3}. {d}", i + 1);
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if !diags.is_empty() {
        let _ = writeln!(
            err,
            "{errors} error{}, {warnings} warning{}",
            plural(errors),
            plural(warnings)
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
