//! Reading a ruleset from disk: finding its files in order and reading them
//! as text. This is one of the three places that touch the file system.

mod files;

pub use files::{LoadError, Loaded, load_paths};
