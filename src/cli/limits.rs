//! The `--max-...` options every command that reads rules or conversations
//! takes: one per field of [`Limits`], with the same defaults.

use crate::limits::{Limits, parse_size};

/// Limits on what is read, as command-line options.
#[derive(clap::Args, Clone, Debug)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// The largest rule file read.
    #[arg(long, value_name = "SIZE", default_value = "8MiB", value_parser = parse_size)]
    max_file_size: usize,
    /// How deep brackets, `not`s, minus signs and arithmetic may nest in a rule.
    #[arg(long, value_name = "N", default_value_t = 32)]
    max_nesting: usize,
    /// How many syntax errors one file may report before the rest is skipped.
    #[arg(long, value_name = "N", default_value_t = 50)]
    max_syntax_errors: usize,
    /// How many rules a ruleset may have, over all its files.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    max_rules: usize,
    /// The longest quoted text in a rule file.
    #[arg(long, value_name = "SIZE", default_value = "16KiB", value_parser = parse_size)]
    max_text_size: usize,
    /// The largest a `matches` pattern may grow once compiled.
    #[arg(long, value_name = "SIZE", default_value = "2MiB", value_parser = parse_size)]
    max_pattern_size: usize,
    /// The largest conversation decided, and the longest line of a batch.
    #[arg(long, alias = "max-body", value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    max_conversation_size: usize,
    /// How deep arrays and objects may nest in a conversation (at most 128).
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u8).range(1..=128))]
    max_json_depth: u8,
}

impl LimitArgs {
    /// The limits these options give.
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_size,
            max_nesting: self.max_nesting,
            max_syntax_errors: self.max_syntax_errors,
            max_rules: self.max_rules,
            max_text_bytes: self.max_text_size,
            max_pattern_bytes: self.max_pattern_size,
            max_conversation_bytes: self.max_conversation_size,
            max_json_depth: usize::from(self.max_json_depth),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;

    #[derive(clap::Parser)]
    struct Probe {
        #[command(flatten)]
        limits: LimitArgs,
    }

    #[test]
    fn the_options_default_to_the_library_limits() {
        let probe = Probe::try_parse_from(["baton"]).expect("no options needed");
        assert_eq!(probe.limits.limits(), Limits::default());
    }

    #[test]
    fn each_option_changes_its_limit() {
        let probe = Probe::try_parse_from([
            "baton",
            "--max-file-size",
            "1MiB",
            "--max-rules",
            "10",
            "--max-conversation-size",
            "4KiB",
            "--max-json-depth",
            "8",
        ])
        .expect("valid options");
        let limits = probe.limits.limits();
        assert_eq!(limits.max_file_bytes, 1 << 20);
        assert_eq!(limits.max_rules, 10);
        assert_eq!(limits.max_conversation_bytes, 4096);
        assert_eq!(limits.max_json_depth, 8);
        assert!(Probe::try_parse_from(["baton", "--max-json-depth", "500"]).is_err());
        assert!(Probe::try_parse_from(["baton", "--max-text-size", "lots"]).is_err());
    }
}
