//! Words as the detectors read them: lower case, apostrophes kept between
//! a word's letters (`don't`), everything else a separator; sentences split
//! at `.`, `!`, `?`, `;` and line breaks.

/// The sentences of a text, each as its lower-case words.
pub fn sentences(text: &str) -> Vec<Vec<String>> {
    text.split(['.', '!', '?', ';', '\n'])
        .map(words)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The lower-case words of a text, as [`any_word`] reads them.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    any_word(text, |w| {
        out.push(w.to_string());
        false
    });
    out
}

/// A map keyed by words, hashed fast.
pub type WordMap<K, V> = crate::hash::FxMap<K, V>;

/// Whether any lower-case word of `text` passes `test`, reading the text
/// once: letters and digits, with an apostrophe (straight or curly, given
/// as straight) kept only between a word's letters. The one reading of
/// words every detector shares.
pub fn any_word(text: &str, mut test: impl FnMut(&str) -> bool) -> bool {
    if text.is_ascii() {
        return any_ascii_word(text, test);
    }
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '’')
            && !word.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            word.push('\'');
        } else if !word.is_empty() {
            if test(&word) {
                return true;
            }
            word.clear();
        }
    }
    !word.is_empty() && test(&word)
}

/// [`any_word`] for ASCII text, without decoding characters. A word is a
/// run of the text; one already in lower case (most are) is handed over as
/// it stands, any other lower-cased into a buffer first.
fn any_ascii_word(text: &str, mut test: impl FnMut(&str) -> bool) -> bool {
    let bytes = text.as_bytes();
    let mut short = [0u8; 64];
    let mut long = String::new();
    let (mut start, mut upper) = (None, false);
    for i in 0..=bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(b' ');
        let inside = b.is_ascii_alphanumeric()
            || (b == b'\''
                && start.is_some()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric));
        if inside {
            if start.is_none() {
                (start, upper) = (Some(i), false);
            }
            upper |= b.is_ascii_uppercase();
            continue;
        }
        let Some(from) = start.take() else {
            continue;
        };
        let word = &text[from..i];
        let found = if !upper {
            test(word)
        } else if word.len() <= short.len() {
            let lower = &mut short[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            std::str::from_utf8(lower).is_ok_and(&mut test)
        } else {
            long.clear();
            long.push_str(word);
            long.make_ascii_lowercase();
            test(&long)
        };
        if found {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_other_text_give_the_same_words() {
        let long = "x".repeat(70);
        let long_upper = format!("{} and {}", "X".repeat(70), "Yy".repeat(40));
        for text in [
            "I DON'T want an 'agent', ok?",
            long_upper.as_str(),
            "Don''t 'QUOTED' ABC'DEF x'",
            "it's   a test-case 42",
            long.as_str(),
            "trailing'",
            "",
        ] {
            let mut ascii = Vec::new();
            any_word(text, |w| {
                ascii.push(w.to_string());
                false
            });
            let mut other = Vec::new();
            // The same text with a non-ASCII character at the end takes the
            // general path.
            any_word(&format!("{text} é"), |w| {
                other.push(w.to_string());
                false
            });
            assert_eq!(other.pop().as_deref(), Some("é"));
            assert_eq!(ascii, other, "{text}");
        }
    }

    #[test]
    fn words_keep_apostrophes_and_drop_punctuation() {
        assert_eq!(
            words("I DON’T want an 'agent', ok?"),
            ["i", "don't", "want", "an", "agent", "ok"]
        );
        // An apostrophe not between letters ends the word.
        assert_eq!(words("can''t stop'"), ["can", "t", "stop"]);
        assert_eq!(
            sentences("Hi. Can I talk to someone?\nThanks"),
            [
                vec!["hi"],
                vec!["can", "i", "talk", "to", "someone"],
                vec!["thanks"]
            ]
        );
    }
}
