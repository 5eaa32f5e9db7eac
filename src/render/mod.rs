//! Render: templates and the views they see.
pub mod fingerprint;
pub mod relative;
pub mod search;
pub mod templates;
pub mod views;
