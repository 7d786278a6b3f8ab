//! The limits that keep hostile or mistaken input from exhausting memory,
//! stack or patience. Each has a default; a caller may raise or lower it.

/// Bounds on what baton reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest rule file read, in bytes (default 8 MiB).
    pub max_file_bytes: usize,
    /// How deep brackets, `not`s, minus signs and arithmetic may nest (default 32).
    pub max_nesting: usize,
    /// How many syntax errors one file may report before the rest is skipped (default 50).
    pub max_syntax_errors: usize,
    /// The largest conversation decided, in bytes of JSON (default 1 MiB).
    pub max_conversation_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 8 * 1024 * 1024,
            max_nesting: 32,
            max_syntax_errors: 50,
            max_conversation_bytes: 1024 * 1024,
        }
    }
}
