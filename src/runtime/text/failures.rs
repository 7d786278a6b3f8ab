//! AI turns that did not help: the AI said it could not do something, did
//! not understand, or fell back to a stock answer. Read from the AI's own
//! words; a conversation can also mark a turn explicitly (`"failed": true`
//! or the action `fallback`), which the signal counts as well.

use std::sync::LazyLock;

use super::words::{Sieve, WordMap, any_word};

/// Phrases, as lower-case words, in which the AI says it failed; `*`
/// stands for any one word.
const FAILURES: &[&str] = &[
    // It could not do something.
    "i can't",
    "i cannot",
    "i can not",
    "i am unable",
    "i'm unable",
    "i am not able",
    "i'm not able",
    "i was unable",
    "i wasn't able",
    "i was not able",
    "i couldn't",
    "i could not",
    "i won't be able",
    "i will not be able",
    "unable to",
    "not able to",
    "not possible",
    "isn't possible",
    "is not possible",
    "not allowed",
    "not eligible",
    // It did not understand.
    "didn't understand",
    "did not understand",
    "don't understand",
    "do not understand",
    "don't quite understand",
    "do not quite understand",
    "didn't quite understand",
    "only able to",
    "not sure what you mean",
    "not sure i understand",
    "not sure i follow",
    "don't follow",
    "could you rephrase",
    "can you rephrase",
    "please rephrase",
    "could you repeat",
    "can you repeat",
    "didn't catch",
    "did not catch",
    "didn't get that",
    "did not get that",
    // It fell back to a stock answer.
    "can't help with",
    "cannot help with",
    "can't help you with",
    "cannot help you with",
    "don't have that information",
    "do not have that information",
    "don't have information",
    "do not have information",
    "don't have access",
    "do not have access",
    "i don't know",
    "i do not know",
    "out of scope",
    "outside of what i",
    "beyond what i",
    "something went wrong",
    "an error occurred",
    "there was an error",
    "no results",
    "couldn't find",
    "could not find",
    "can't find",
    "cannot find",
    "unable to find",
    "nothing found",
    "no matches",
    "not available",
    "unavailable",
    // It failed to get something done.
    "not successful",
    "unsuccessful",
    "failed",
    "could not be processed",
    "couldn't be processed",
    "cannot be processed",
    "booked out",
    "fully booked",
    "no * available",
    "no * * available",
    "there are no * that match",
    "there is no * that match",
    "no one of that name",
];

/// A word of a phrase, numbered: [`ANY`] for `*`.
type WordId = u8;

/// In a phrase: any one word.
const ANY: WordId = WordId::MAX;

/// The phrases, their words numbered, so that reading a text looks each
/// of its words up once and then compares numbers.
struct Phrases {
    /// The number of each word the phrases use, with a sieve before it.
    ids: WordMap<&'static str, WordId>,
    sieve: Sieve,
    /// A sieve of the words phrases start with: while no phrase is
    /// part-way matched, only these are looked up.
    first: Sieve,
    /// Each phrase, as the numbers of its words.
    phrases: Vec<Vec<WordId>>,
    /// The phrases each word starts, by its number.
    starting: Vec<Vec<u8>>,
}

fn phrases() -> &'static Phrases {
    static PHRASES: LazyLock<Phrases> = LazyLock::new(|| {
        let mut ids = WordMap::default();
        let mut phrases = Vec::new();
        let mut starting: Vec<Vec<u8>> = Vec::new();
        for p in FAILURES {
            let words: Vec<WordId> = p
                .split_whitespace()
                .map(|w| match w {
                    "*" => ANY,
                    _ => {
                        let next = ids.len() as WordId;
                        *ids.entry(w).or_insert(next)
                    }
                })
                .collect();
            starting.resize(ids.len(), Vec::new());
            starting[usize::from(words[0])].push(phrases.len() as u8);
            phrases.push(words);
        }
        assert!(ids.len() < usize::from(ANY), "too many words for a WordId");
        assert!(phrases.len() <= 256, "too many phrases to number in a byte");
        let first = FAILURES.iter().filter_map(|p| p.split_whitespace().next());
        Phrases {
            sieve: Sieve::of(ids.keys().copied()),
            first: Sieve::of(first),
            ids,
            phrases,
            starting,
        }
    });
    &PHRASES
}

/// How many phrases can be part-way matched at once: one for each word of
/// each phrase but its first (a phrase cannot be at the same word twice).
const MOST_OPEN: usize = {
    let mut n = 0;
    let mut p = 0;
    while p < FAILURES.len() {
        let bytes = FAILURES[p].as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b' ' {
                n += 1;
            }
            i += 1;
        }
        p += 1;
    }
    n
};

/// Whether an AI message says it could not help. Its words are read once,
/// in lower case and without copying the text, and each looked up once;
/// each word moves on the phrases matched part-way and starts those it
/// begins.
pub fn failed(text: &str) -> bool {
    let table = phrases();
    // Each phrase matched part-way: which one, and how many of its words
    // (a byte each, so that the list is small to clear).
    let mut open = [(0u8, 0u8); MOST_OPEN];
    let mut len = 0;
    any_word(text, |w| {
        let sieve = if len == 0 { &table.first } else { &table.sieve };
        let id = sieve
            .may_hold(w)
            .then(|| table.ids.get(w).copied())
            .flatten();
        let mut kept = 0;
        for k in 0..len {
            let (phrase, at) = open[k];
            let words = &table.phrases[usize::from(phrase)];
            let at = usize::from(at);
            if words[at] == ANY || Some(words[at]) == id {
                if at + 1 == words.len() {
                    return true;
                }
                open[kept] = (phrase, at as u8 + 1);
                kept += 1;
            }
        }
        len = kept;
        for &phrase in id.map_or(&[][..], |id| &table.starting[usize::from(id)]) {
            if table.phrases[usize::from(phrase)].len() == 1 {
                return true;
            }
            open[len] = (phrase, 1);
            len += 1;
        }
        false
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inability_confusion_and_fallbacks_are_failures() {
        for text in [
            "I'm sorry, I can't help with that.",
            "Unfortunately I am unable to change a basic economy ticket.",
            "Sorry, I didn't understand. Could you rephrase?",
            "I couldn't find any restaurants matching that.",
            "That option is not available.",
            "I am sorry, I don't quite understand what you mean.",
            "I'm sorry, but there is no room available at the Hyatt Hotel.",
            "Unfortunately there are no flights that match your search.",
            "I I can't",
            "not not able to",
            "Sorry — I’m unable to",
        ] {
            assert!(failed(text), "{text}");
        }
    }

    #[test]
    fn helpful_answers_are_not() {
        for text in [
            "Your order shipped yesterday.",
            "I can help with that!",
            "Could I get your name, please?",
            "I can",
            "not",
            "",
        ] {
            assert!(!failed(text), "{text}");
        }
    }
}
