//! Text to syntax tree: the first stage. `parse_file` turns one rule file
//! into [`ast::Item`]s plus every syntax problem found in it. pest and its
//! types stay inside this folder.

pub mod ast;
mod build;
mod expected;
mod expr;
mod grammar;
mod parse;
mod scan;
mod text;

pub use expected::KEYWORDS;
pub use expr::{children, depth};
pub use parse::{ParsedFile, file_too_large, parse_file};
