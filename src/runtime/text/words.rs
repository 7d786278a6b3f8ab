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
    let kind = |i: usize| KIND[usize::from(bytes[i])];
    let mut short = [0u8; 64];
    let mut long = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if kind(i) & LETTER == 0 {
            i += 1;
            continue;
        }
        let from = i;
        let mut kinds = 0;
        loop {
            while i < bytes.len() && kind(i) & LETTER != 0 {
                kinds |= kind(i);
                i += 1;
            }
            // An apostrophe between letters or digits is part of the word.
            if i + 1 < bytes.len() && bytes[i] == b'\'' && kind(i + 1) & LETTER != 0 {
                i += 1;
            } else {
                break;
            }
        }
        let word = &text[from..i];
        let found = if kinds & CAPITAL == 0 {
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

/// What an ASCII byte is to the readers of words: white space (as
/// Python's `str.split()` sees it, which the sentiment scorer follows), a
/// capital, a small letter, a digit, or nothing of these.
pub const KIND: [u8; 256] = {
    let mut kind = [0; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        kind[b] = match c {
            b'\t'..=b'\r' | 0x1c..=0x1f | b' ' => SPACE,
            b'A'..=b'Z' => CAPITAL,
            b'a'..=b'z' => SMALL,
            b'0'..=b'9' => DIGIT,
            _ => 0,
        };
        b += 1;
    }
    kind
};
/// In [`KIND`]: white space.
pub const SPACE: u8 = 1;
/// In [`KIND`]: a capital letter.
pub const CAPITAL: u8 = 2;
/// In [`KIND`]: a small letter.
pub const SMALL: u8 = 4;
/// In [`KIND`]: a digit.
pub const DIGIT: u8 = 8;
/// In [`KIND`]: what a word is made of.
const LETTER: u8 = CAPITAL | SMALL | DIGIT;

/// A quick test that a word is not in a set, before looking it up: for
/// each first and last byte, the lengths of the set's words (up to 31)
/// that have them, so most other words are told apart at once.
pub struct Sieve {
    lengths: [u32; 1024],
}

impl Sieve {
    /// The sieve for `words`.
    pub fn of<'w>(words: impl IntoIterator<Item = &'w str>) -> Sieve {
        let mut sieve = Sieve { lengths: [0; 1024] };
        for word in words {
            if let Some(at) = Sieve::at(word) {
                sieve.lengths[at] |= Sieve::length(word);
            }
        }
        sieve
    }

    /// Whether `word` may be in the set: `false` when it surely is not.
    pub fn may_hold(&self, word: &str) -> bool {
        Sieve::at(word).is_some_and(|at| self.lengths[at] & Sieve::length(word) != 0)
    }

    fn at(word: &str) -> Option<usize> {
        let (first, last) = (word.as_bytes().first()?, word.as_bytes().last()?);
        Some((usize::from(*first) * 31 + usize::from(*last)) % 1024)
    }

    fn length(word: &str) -> u32 {
        1 << word.len().min(31)
    }
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
    fn a_sieve_lets_through_every_word_of_its_set() {
        let set = ["agent", "human", "a", "représentant", &"x".repeat(40)];
        let sieve = Sieve::of(set.iter().copied());
        for word in set {
            assert!(sieve.may_hold(word), "{word}");
        }
        // Told apart by length, by first letter, by last letter.
        for word in ["agents", "bgent", "agena", "", "xx"] {
            assert!(!sieve.may_hold(word), "{word}");
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
