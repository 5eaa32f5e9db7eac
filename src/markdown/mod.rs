//! Markdown: slugs, highlighting and rendering to HTML with links routed through a `Linker`.
pub mod highlight;
pub mod lenient;
pub mod render;
pub mod sanitize;
pub mod slug;

pub use render::{render, Linker, RenderOptions, Rendered, TocEntry};
