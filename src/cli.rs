//! Command line: parses flags (clap), runs the pipeline, prints every diagnostic numbered
//! and a one-line count, and maps the result to the exit code: 0 success, 1 content
//! errors (nothing published), 2 usage or I/O errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

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

/// Where the sources are: the site root and the folders of dependent repositories.
/// Shared by every command that reads a site (`build`, `check`, `serve`).
#[derive(Debug, Clone, Args)]
pub struct SourceArgs {
    /// Site root (holds trustdoc.toml or docfx.json, content/, templates/, assets/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Folder of a dependent repository named in .openpublishing.publish.config.json, for
    /// `~/NAME/...` paths (repeatable); default: NAME under the root when present.
    #[arg(long, value_name = "NAME=DIR", value_parser = crate::docfx::deps::parse_dependency_arg)]
    pub dependency: Vec<(String, PathBuf)>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        source: SourceArgs,
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
        /// Replace an output folder that a trustdoc build did not write.
        #[arg(long)]
        force: bool,
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
        #[command(flatten)]
        source: SourceArgs,
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        safe: bool,
    },
    /// Preview the site: serve it from memory, rebuild on every save, reload open pages.
    Serve {
        #[command(flatten)]
        source: SourceArgs,
        /// Address to listen on; anything but loopback lets other machines read the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
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
            source,
            output,
            base_url,
            strict,
            safe,
            report,
            quiet,
            force,
            compare_with,
            summary_md,
        } => {
            let ov = Overrides {
                output,
                base_url,
                strict,
                safe,
                dependencies: source.dependency,
            };
            let write = WriteOpts {
                report,
                force,
                compare_with,
                summary_md,
            };
            build(&source.root, &ov, quiet, Some(&write))
        }
        Command::Check {
            source,
            strict,
            safe,
        } => {
            let ov = Overrides {
                strict,
                safe,
                dependencies: source.dependency,
                ..Overrides::default()
            };
            build(&source.root, &ov, false, None)
        }
        Command::Serve {
            source,
            bind,
            port,
            open,
        } => crate::serve::run(crate::serve::Options {
            root: source.root,
            bind,
            port,
            open,
            overrides: Overrides {
                dependencies: source.dependency,
                ..Overrides::default()
            },
        }),
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

/// What `build` adds to `check`: the report files (`--report`, `--compare-with`,
/// `--summary-md`), and whether an output folder without trustdoc's stamp may be replaced.
struct WriteOpts {
    report: Option<PathBuf>,
    force: bool,
    compare_with: Option<PathBuf>,
    summary_md: Option<PathBuf>,
}

fn build(root: &Path, ov: &Overrides, quiet: bool, write: Option<&WriteOpts>) -> u8 {
    if !root.is_dir() {
        eprintln!("error: site root {} is not a folder", root.display());
        return 2;
    }
    // Read before the build, which may replace that very folder.
    let compare_with = write.and_then(|w| w.compare_with.as_deref());
    let previous = match compare_with.map(site::previous_hashes) {
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
    cfg.search &= write.is_some();
    // Files go straight into a staging folder beside the output (nothing for `check`); it
    // replaces the output folder only if the build has no errors, and is removed otherwise.
    let report = write.and_then(|w| w.report.as_deref());
    // A report inside the output folder goes into the new output (Some(output path)).
    let report_in_output = match report.map(|r| crate::outdir::report_target(r, &cfg)) {
        Some(Err(e)) => {
            eprintln!("error: {e}");
            return 2;
        }
        Some(Ok(inside)) => inside,
        None => None,
    };
    let staging = match write {
        Some(w) => match crate::output::Staging::open(&cfg.output_dir, w.force) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        },
        None => None,
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
    if let Some(path) = report {
        let json = serde_json::to_string_pretty(&outcome.report).unwrap_or_default() + "\n";
        let written = match (&report_in_output, &staging) {
            (Some(_), _) if outcome.errors() > 0 => {
                eprintln!(
                    "note: the report {} was not written: it is inside the output folder, \
                     which a failed build leaves as it was",
                    path.display()
                );
                Ok(())
            }
            (Some(rel), Some(s)) => {
                crate::output::Sink::put(s, crate::output::OutputFile::new(rel.clone(), json))
            }
            _ => std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display())),
        };
        if let Err(e) = written {
            eprintln!("error: {e}");
            return 2;
        }
    }
    if let Some(path) = write.and_then(|w| w.summary_md.as_deref()) {
        match crate::outdir::report_target(path, &cfg) {
            Err(e) => {
                eprintln!("error: {}", e.replacen("--report", "--summary-md", 1));
                return 2;
            }
            Ok(Some(_)) => {
                eprintln!(
                    "error: --summary-md {}: this file is inside the output folder, which the \
                     build replaces; name a file outside it",
                    path.display()
                );
                return 2;
            }
            Ok(None) => {}
        }
        let base = (!cfg.relative_urls).then_some(cfg.base_url.as_str());
        let md = site::summary_markdown(&outcome.report, base);
        if let Err(e) = std::fs::write(path, md) {
            eprintln!("error: {}: {e}", path.display());
            return 2;
        }
    }
    if outcome.errors() > 0 {
        eprintln!("nothing was written: fix the errors above and build again");
        return exit_code_for_errors(&outcome.diagnostics);
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

/// The exit code of a build with errors: 2 when a file could not be read (an I/O error,
/// like an unreadable configuration), else 1 (content errors).
fn exit_code_for_errors(diags: &[Diagnostic]) -> u8 {
    if diags
        .iter()
        .any(|d| d.is_error() && d.kind == crate::error::READ_ERROR)
    {
        2
    } else {
        1
    }
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
