//! Reading a ruleset from disk and keeping it current: finding its files in
//! order and reading them (`files.rs`), holding the ruleset in force and
//! swapping in a new one only when it checks clean (`live.rs`), and watching
//! the files for changes (`watch.rs`). One of the places that touch the file
//! system and the clock.

mod files;
mod live;
mod watch;

pub use files::{LoadError, Loaded, load_paths, load_paths_within};
pub use live::{Live, Report, Snapshot};
pub use watch::{SETTLE, Watch, watch};
