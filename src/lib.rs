//! trustdoc: a static documentation site generator for security decision guidance.
//! Markdown pages plus comparison data become an HTML site with trust-boundary diagrams
//! and decision tables generated from the same data.
//!
//! Pipeline: config -> load -> parse -> resolve -> render -> write.

#![forbid(unsafe_code)]
// Bad input must never panic: outside tests, every fallible value is handled.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod compare;
pub mod config;
pub mod diagram;
pub mod directives;
pub mod docfx;
pub mod error;
pub mod escape;
pub mod front_matter;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod init;
pub mod load;
pub mod markdown;
pub mod outdir;
pub mod output;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod site;
