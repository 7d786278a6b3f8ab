//! Text to syntax tree: the first stage. `parse_file` turns one rule file
//! into [`ast::Item`]s plus every syntax problem found in it;
//! [`print::print`] turns items back into text. pest and its types stay
//! inside this folder.

pub mod ast;
mod build;
mod expected;
mod expr;
mod fast;
pub mod format;
mod grammar;
mod parse;
pub mod print;
mod scan;
mod text;

pub use expected::KEYWORDS;
pub use expr::{children, depth};
#[doc(hidden)]
pub use fast::item as read_directly;
pub use parse::{ParsedFile, file_too_large, parse_file, parse_file_by_grammar};
pub use text::{format_duration, format_number, quote};
