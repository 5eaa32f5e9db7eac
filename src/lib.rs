//! trustdoc: a static documentation site generator for security decision guidance.
//! Markdown pages plus comparison data become an HTML site with trust-boundary diagrams
//! and decision tables generated from the same data.
//!
//! Pipeline: config -> load -> parse -> resolve -> render -> write.

pub mod compare;
pub mod error;
