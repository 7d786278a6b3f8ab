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
    let letter = |i: usize| {
        bytes
            .get(i)
            .is_some_and(|&b| KIND[usize::from(b)] & LETTER != 0)
    };
    let mut short = [0u8; 64];
    let mut long = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if !letter(i) {
            i += 1;
            continue;
        }
        let from = i;
        let mut capitals = false;
        loop {
            let (end, capital) = letters_from(bytes, i);
            capitals |= capital;
            i = end;
            // An apostrophe between letters or digits is part of the word.
            if bytes.get(i) == Some(&b'\'') && letter(i + 1) {
                i += 1;
            } else {
                break;
            }
        }
        let word = &text[from..i];
        let found = if !capitals {
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

/// The high bit of each of a word's eight bytes.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// For eight ASCII bytes at once: the high bit of each byte set when the
/// byte is from `low` to `high`. (No byte of ASCII has its high bit set,
/// and no sum below carries into the next byte.)
fn within(bytes: u64, low: u8, high: u8) -> u64 {
    let ones = 0x0101_0101_0101_0101u64;
    let at_least = bytes + ones * u64::from(0x80 - low);
    let above = bytes + ones * u64::from(0x7F - high);
    at_least & !above & HIGH
}

/// Where the run of letters and digits of ASCII `bytes` from `at` ends,
/// and whether it holds a capital: read eight bytes at a time.
fn letters_from(bytes: &[u8], mut at: usize) -> (usize, bool) {
    let mut capital = false;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        let x = u64::from_le_bytes(eight);
        let letters = within(x | 0x2020_2020_2020_2020, b'a', b'z') | within(x, b'0', b'9');
        let capitals = within(x, b'A', b'Z');
        let others = !letters & HIGH;
        if others == 0 {
            capital |= capitals != 0;
            at += 8;
            continue;
        }
        // The bytes before the first that is not a letter or digit.
        let run = others.trailing_zeros() / 8;
        capital |= capitals & ((1u64 << (8 * run)) - 1) != 0;
        return (at + run as usize, capital);
    }
    while let Some(&b) = bytes.get(at) {
        let kind = KIND[usize::from(b)];
        if kind & LETTER == 0 {
            break;
        }
        capital |= kind & CAPITAL != 0;
        at += 1;
    }
    (at, capital)
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

    /// Asserts that `text` gives the same words read as ASCII and, with a
    /// non-ASCII character put at its end, read character by character.
    fn same_words_both_ways(text: &str) {
        let mut ascii = Vec::new();
        any_word(text, |w| {
            ascii.push(w.to_string());
            false
        });
        let mut other = Vec::new();
        any_word(&format!("{text} é"), |w| {
            other.push(w.to_string());
            false
        });
        assert_eq!(other.pop().as_deref(), Some("é"));
        assert_eq!(ascii, other, "{text:?}");
    }

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
            same_words_both_ways(text);
        }
    }

    #[test]
    fn words_read_eight_bytes_at_a_time_end_where_they_should() {
        // Runs of every length around eight bytes, of letters, digits and
        // capitals, next to the bytes on either side of those ranges
        // (`/` and `:` around digits, `@`, `[`, `` ` `` and `{` around
        // letters) and apostrophes.
        let pieces = [
            "a", "Z", "0", "9", "/", ":", "@", "[", "`", "{", "'", " ", "q", "M",
        ];
        let mut seed = 3u64;
        for _ in 0..3_000 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let piece = pieces[(seed >> 33) as usize % pieces.len()];
                let run = if (seed >> 20).is_multiple_of(4) {
                    (seed >> 40) % 19
                } else {
                    1
                };
                text.push_str(&piece.repeat(run as usize));
            }
            same_words_both_ways(&text);
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
