//! Render: templates, the views they see, and the files every site gets besides its pages
//! (special pages, fingerprinted assets, the search index, relative links).
pub mod fingerprint;
pub mod relative;
pub mod search;
pub mod special;
pub mod templates;
pub mod views;
