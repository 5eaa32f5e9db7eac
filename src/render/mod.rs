//! Render: templates, the views they see, and the files every site gets besides its pages.
pub mod special;
pub mod templates;
pub mod views;
