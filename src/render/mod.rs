//! Render: templates and the views they see.
pub mod templates;
pub mod views;
