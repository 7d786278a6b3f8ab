//! The table of diagnostic codes: stable names for every problem baton reports.
//!
//! `E01xx` are syntax errors, `E02xx` name and type errors, `W03xx` lints,
//! `E04xx` and `W04xx` problems with a conversation given to decide.
//! A code never changes meaning once released; `docs/diagnostics.md` has one
//! entry per code, and a test keeps that page, this table and the fixtures in
//! step.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something to look at; the ruleset still loads.
    Warning,
    /// The ruleset cannot be used until this is fixed.
    Error,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($($code:ident => $title:literal,)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $title] $code,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// The code as written in messages and docs, e.g. `E0201`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            /// A few words naming the problem, the heading of its docs entry.
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$code => $title,)*
                }
            }
        }
    };
}

codes! {
    E0101 => "unexpected text",
    E0102 => "`=` used as a comparison",
    E0103 => "text without its closing quote",
    E0104 => "curly or single quotes around text",
    E0105 => "nested too deeply",
    E0106 => "file too large",
    E0107 => "file is not UTF-8",
    E0108 => "`&&`, `||` or `!` instead of a word",
    E0109 => "reserved word used as a name",
    E0110 => "malformed number or duration",
    E0111 => "broken `{...}` in a message",
    E0112 => "keyword in capital letters",
    E0113 => "too many syntax errors",
    E0114 => "quoted text too long",
    E0115 => "too many rules",
    E0201 => "queue not declared",
    E0202 => "unknown field or signal",
    E0203 => "unknown name inside `{...}`",
    E0204 => "wrong type",
    E0205 => "value outside a field's `one of` list",
    E0206 => "invalid pattern after `matches`",
    E0207 => "`let` defined in terms of itself",
    E0208 => "two rules, or two tests, with one name",
    E0209 => "more than one `default`",
    E0210 => "`collect` of an undeclared field",
    E0211 => "name declared twice",
    E0212 => "unknown type in a field declaration",
    E0213 => "unknown priority",
    E0214 => "pattern after `matches` is not quoted text",
    E0215 => "modifier given twice",
    E0216 => "unknown role in a test conversation",
    E0217 => "a test sets something that is not an input",
    E0218 => "a test expects a rule that does not exist",
    W0301 => "rule can never be reached",
    W0302 => "condition is always true",
    W0303 => "condition is never true",
    W0304 => "`let` never used",
    W0305 => "queue never used",
    W0306 => "an earlier rule with another outcome takes part of a later one",
    W0307 => "a condition that can never be true",
    W0308 => "conversations no rule routes",
    E0401 => "input line is not JSON",
    E0402 => "input is not a conversation",
    E0403 => "message with an unknown role",
    E0404 => "message text is not text",
    E0405 => "conversation too large",
    E0406 => "conversation nested too deeply",
    W0401 => "value of the wrong type, treated as missing",
    W0402 => "message time that is not a time",
}

impl Code {
    /// Errors stop the ruleset from loading; warnings do not.
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_grouped_by_kind() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            let kind = &code.as_str()[..3];
            match kind {
                "E01" | "E02" | "E04" => assert_eq!(code.severity(), Severity::Error),
                "W03" | "W04" => assert_eq!(code.severity(), Severity::Warning),
                other => panic!("{code} is in no known group ({other})"),
            }
        }
    }
}
