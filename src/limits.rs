//! The limits that keep hostile or mistaken input from exhausting memory,
//! stack or patience. Each has a default; a caller may raise or lower it
//! (the command line's `--max-...` options, `docs/reliability.md`).

/// Bounds on what baton reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest rule file read, in bytes (default 8 MiB).
    pub max_file_bytes: usize,
    /// How deep brackets, `not`s, minus signs and arithmetic may nest (default 32).
    pub max_nesting: usize,
    /// How many syntax errors one file may report before the rest is skipped (default 50).
    pub max_syntax_errors: usize,
    /// How many rules a ruleset may have, over all its files (default 100,000).
    pub max_rules: usize,
    /// The longest quoted text in a rule file, in bytes (default 16 KiB).
    pub max_text_bytes: usize,
    /// The largest a `matches` pattern may grow once compiled, in bytes
    /// (default 2 MiB); a pattern over it would make every decision slow.
    pub max_pattern_bytes: usize,
    /// The largest conversation decided, in bytes of JSON (default 1 MiB);
    /// also the longest line read from a batch.
    pub max_conversation_bytes: usize,
    /// How deep arrays and objects may nest in a conversation (default 64,
    /// at most 128: the JSON reader stops there).
    pub max_json_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 8 * 1024 * 1024,
            max_nesting: 32,
            max_syntax_errors: 50,
            max_rules: 100_000,
            max_text_bytes: 16 * 1024,
            max_pattern_bytes: 2 * 1024 * 1024,
            max_conversation_bytes: 1024 * 1024,
            max_json_depth: 64,
        }
    }
}

/// A size in bytes as people write it: `512 bytes`, `16 KiB`, `1.5 MiB`.
pub fn size(bytes: usize) -> String {
    let (value, unit) = match bytes {
        b if b >= 1 << 20 => (b as f64 / f64::from(1u32 << 20), "MiB"),
        b if b >= 1 << 10 => (b as f64 / 1024.0, "KiB"),
        b => return format!("{b} bytes"),
    };
    let shown = format!("{value:.1}");
    format!("{} {unit}", shown.strip_suffix(".0").unwrap_or(&shown))
}

/// Reads a size as the command line takes it: a whole number of bytes, or
/// one followed by `K`/`KB`/`KiB` (1,024 bytes) or `M`/`MB`/`MiB`, e.g. `16KiB`.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '_')
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let number: usize = digits
        .replace('_', "")
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write bytes, e.g. `65536` or `64KiB`"))?;
    let scale: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("`{other}` is not a unit of size: use KiB or MiB")),
    };
    number
        .checked_mul(scale)
        .ok_or_else(|| format!("`{text}` is too large a size"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_written_on_the_command_line() {
        assert_eq!(parse_size("65536"), Ok(65536));
        assert_eq!(parse_size("64KiB"), Ok(65536));
        assert_eq!(parse_size("2 MiB"), Ok(2 << 20));
        assert_eq!(parse_size("1_000"), Ok(1000));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("3 parsecs").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn sizes_are_shown_in_the_largest_whole_unit() {
        assert_eq!(size(64), "64 bytes");
        assert_eq!(size(16 * 1024), "16 KiB");
        assert_eq!(size(1536 * 1024), "1.5 MiB");
    }
}
