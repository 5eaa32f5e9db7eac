//! Comparison data: loading `trustdoc-comparison/1` files (TOML, YAML, JSON), checking
//! them, deriving who can read data in use, and analysing the decision table.

pub mod access;
pub mod model;
