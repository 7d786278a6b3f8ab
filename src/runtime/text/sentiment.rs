//! Lexicon-based sentiment: a faithful port of VADER (Hutto and Gilbert,
//! 2014) as released in vaderSentiment 3.3.2, MIT licensed
//! (`data/lexicons/LICENSE-vaderSentiment.txt`). It gives the same compound
//! score as the reference implementation, quirks included, so scores can be
//! compared with other tools that use it. Both lexicons are compiled into the
//! binary.

use std::cell::RefCell;
use std::sync::LazyLock;

use super::words::{CAPITAL, KIND, SMALL, SPACE, WordMap};

const LEXICON: &str = include_str!("../../../data/lexicons/vader_lexicon.txt");
const EMOJI_LEXICON: &str = include_str!("../../../data/lexicons/vader_emoji_utf8_lexicon.txt");

/// Rise in intensity for a booster word ("very").
const B_INCR: f64 = 0.293;
/// Fall in intensity for a dampener word ("slightly").
const B_DECR: f64 = -0.293;
/// Rise in intensity for a word in capitals among words that are not.
const C_INCR: f64 = 0.733;
/// The factor a negation applies.
const N_SCALAR: f64 = -0.74;

const NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

const BOOSTERS: &[(&str, f64)] = &[
    ("absolutely", B_INCR),
    ("amazingly", B_INCR),
    ("awfully", B_INCR),
    ("completely", B_INCR),
    ("considerable", B_INCR),
    ("considerably", B_INCR),
    ("decidedly", B_INCR),
    ("deeply", B_INCR),
    ("effing", B_INCR),
    ("enormous", B_INCR),
    ("enormously", B_INCR),
    ("entirely", B_INCR),
    ("especially", B_INCR),
    ("exceptional", B_INCR),
    ("exceptionally", B_INCR),
    ("extreme", B_INCR),
    ("extremely", B_INCR),
    ("fabulously", B_INCR),
    ("flipping", B_INCR),
    ("flippin", B_INCR),
    ("frackin", B_INCR),
    ("fracking", B_INCR),
    ("fricking", B_INCR),
    ("frickin", B_INCR),
    ("frigging", B_INCR),
    ("friggin", B_INCR),
    ("fully", B_INCR),
    ("fuckin", B_INCR),
    ("fucking", B_INCR),
    ("fuggin", B_INCR),
    ("fugging", B_INCR),
    ("greatly", B_INCR),
    ("hella", B_INCR),
    ("highly", B_INCR),
    ("hugely", B_INCR),
    ("incredible", B_INCR),
    ("incredibly", B_INCR),
    ("intensely", B_INCR),
    ("major", B_INCR),
    ("majorly", B_INCR),
    ("more", B_INCR),
    ("most", B_INCR),
    ("particularly", B_INCR),
    ("purely", B_INCR),
    ("quite", B_INCR),
    ("really", B_INCR),
    ("remarkably", B_INCR),
    ("so", B_INCR),
    ("substantially", B_INCR),
    ("thoroughly", B_INCR),
    ("total", B_INCR),
    ("totally", B_INCR),
    ("tremendous", B_INCR),
    ("tremendously", B_INCR),
    ("uber", B_INCR),
    ("unbelievably", B_INCR),
    ("unusually", B_INCR),
    ("utter", B_INCR),
    ("utterly", B_INCR),
    ("very", B_INCR),
    ("almost", B_DECR),
    ("barely", B_DECR),
    ("hardly", B_DECR),
    ("just enough", B_DECR),
    ("kind of", B_DECR),
    ("kinda", B_DECR),
    ("kindof", B_DECR),
    ("kind-of", B_DECR),
    ("less", B_DECR),
    ("little", B_DECR),
    ("marginal", B_DECR),
    ("marginally", B_DECR),
    ("occasional", B_DECR),
    ("occasionally", B_DECR),
    ("partly", B_DECR),
    ("scarce", B_DECR),
    ("scarcely", B_DECR),
    ("slight", B_DECR),
    ("slightly", B_DECR),
    ("somewhat", B_DECR),
    ("sort of", B_DECR),
    ("sorta", B_DECR),
    ("sortof", B_DECR),
    ("sort-of", B_DECR),
];

/// Idioms and phrases containing lexicon words, with their own valence.
const SPECIAL_CASES: &[(&str, f64)] = &[
    ("the shit", 3.0),
    ("the bomb", 3.0),
    ("bad ass", 1.5),
    ("badass", 1.5),
    ("bus stop", 0.0),
    ("yeah right", -2.0),
    ("kiss of death", -1.5),
    ("to die for", 3.0),
    ("beating heart", 3.5),
];

/// What the lexicons say of one lower-case word, found with one look-up.
#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    /// Its valence in the VADER lexicon, if it is there.
    valence: Option<f64>,
    /// How much it boosts (or dampens) the word after it, if it does.
    booster: Option<f64>,
    /// Whether it is a negation (`not`, `never`, ...).
    negation: bool,
    /// Whether a special case or a booster of several words starts with it.
    opens: bool,
}

/// The lexicons, read once: each word with the index of its entry in
/// `entries` (whose first entry says nothing, for a word not there).
struct Lexicon {
    words: WordMap<&'static str, u16>,
    entries: Vec<Entry>,
    emojis: WordMap<char, &'static str>,
}

impl Lexicon {
    /// The entry of `word`, made when it has none.
    fn entry(&mut self, word: &'static str) -> &mut Entry {
        let next = self.entries.len();
        let at = *self.words.entry(word).or_insert_with(|| {
            u16::try_from(next).expect("the lexicons have fewer than 65,536 words")
        });
        if usize::from(at) == next {
            self.entries.push(Entry::default());
        }
        &mut self.entries[usize::from(at)]
    }

    /// The index of the entry of a lower-case word (0 when it has none).
    fn find(&self, word: &str) -> u16 {
        self.words.get(word).copied().unwrap_or(0)
    }
}

static LEX: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut lex = Lexicon {
        words: WordMap::default(),
        entries: vec![Entry::default()],
        emojis: EMOJI_LEXICON
            .lines()
            .filter_map(|line| {
                let mut fields = line.trim().split('\t');
                let mut emoji = fields.next()?.chars();
                let (Some(c), None) = (emoji.next(), emoji.next()) else {
                    return None;
                };
                Some((c, fields.next()?))
            })
            .collect(),
    };
    for line in LEXICON.lines().filter(|l| !l.is_empty()) {
        let mut fields = line.trim().split('\t');
        if let (Some(word), Some(Ok(valence))) = (fields.next(), fields.next().map(str::parse)) {
            lex.entry(word).valence = Some(valence);
        }
    }
    for &(phrase, value) in BOOSTERS {
        match phrase.split_once(' ') {
            None => lex.entry(phrase).booster = Some(value),
            Some((first, _)) => lex.entry(first).opens = true,
        }
    }
    for &(phrase, _) in SPECIAL_CASES {
        if let Some((first, _)) = phrase.split_once(' ') {
            lex.entry(first).opens = true;
        }
    }
    for &word in NEGATE {
        lex.entry(word).negation = true;
    }
    lex
});

/// One word of a text as VADER reads it.
#[derive(Clone, Copy, Debug)]
struct Token {
    /// Where it is in the lower-case buffer.
    start: usize,
    end: usize,
    /// Whether it is in capitals (Python's `str.isupper()`).
    upper: bool,
    /// Its entry in the lexicons.
    entry: u16,
}

/// The words of one text: their lower case side by side, and each as a
/// token. Kept for each thread, so that scoring a text allocates nothing
/// once the thread has scored one as long.
#[derive(Default)]
struct Scratch {
    lowered: String,
    tokens: Vec<Token>,
    sentiments: Vec<f64>,
}

/// Bytes of text the scratch keeps room for after a text (and words, one
/// for every eight bytes); more is given back.
const KEPT_ROOM: usize = 1 << 16;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// A text's words, as the rules of VADER read them.
#[derive(Clone, Copy)]
struct Words<'a> {
    lowered: &'a str,
    tokens: &'a [Token],
    entries: &'a [Entry],
}

impl Words<'_> {
    fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Word `k` in lower case.
    fn lower(&self, k: usize) -> &str {
        let t = &self.tokens[k];
        &self.lowered[t.start..t.end]
    }

    fn entry(&self, k: usize) -> &Entry {
        &self.entries[usize::from(self.tokens[k].entry)]
    }

    /// Whether word `k` is in the VADER lexicon.
    fn known(&self, k: usize) -> bool {
        self.entry(k).valence.is_some()
    }

    fn negated(&self, k: usize) -> bool {
        self.entry(k).negation || self.lower(k).contains("n't")
    }
}

/// Phrases of several words, by their first word: each with its words and
/// value.
type Phrases = WordMap<&'static str, Vec<(Vec<&'static str>, f64)>>;

fn by_first_word(table: &[(&'static str, f64)]) -> Phrases {
    let mut map = Phrases::default();
    for (phrase, value) in table {
        let words: Vec<&'static str> = phrase.split(' ').collect();
        if words.len() > 1 {
            map.entry(words[0]).or_default().push((words, *value));
        }
    }
    map
}

/// The value of the phrase the words at `at` make, in `phrases`: looked up
/// only when a phrase starts with the first of them.
fn phrase(phrases: &Phrases, w: Words, at: &[usize]) -> Option<f64> {
    let first = *at.first()?;
    if !w.entry(first).opens {
        return None;
    }
    phrases.get(w.lower(first))?.iter().find_map(|(p, v)| {
        (p.len() == at.len() && p.iter().zip(at).all(|(a, &k)| *a == w.lower(k))).then_some(*v)
    })
}

/// A special case (`"the shit"`, `"kiss of death"`) made of the words at
/// `at`.
fn special(w: Words, at: &[usize]) -> Option<f64> {
    static SPECIAL: LazyLock<Phrases> = LazyLock::new(|| by_first_word(SPECIAL_CASES));
    phrase(&SPECIAL, w, at)
}

/// A booster of several words (`"kind of"`) made of the words at `at`.
fn booster_phrase(w: Words, at: &[usize]) -> Option<f64> {
    static SEVERAL: LazyLock<Phrases> = LazyLock::new(|| by_first_word(BOOSTERS));
    phrase(&SEVERAL, w, at)
}

/// White space as Python's `str.split()` and `str.strip()` see it.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.isupper()`: some cased letter, and none in lower case.
fn is_upper(word: &str) -> bool {
    let mut cased = false;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// The compound sentiment of a text, from -1 (most negative) to 1 (most
/// positive), rounded to four decimal places as the reference does.
pub fn compound(text: &str) -> f64 {
    let lex = &*LEX;
    // Emoji are never ASCII: ASCII text has none to describe.
    let plain = if text.is_ascii() {
        std::borrow::Cow::Borrowed(text)
    } else {
        let mut plain = String::with_capacity(text.len());
        let mut prev_space = true;
        for c in text.chars() {
            match lex.emojis.get(&c) {
                Some(description) => {
                    if !prev_space {
                        plain.push(' ');
                    }
                    plain.push_str(description);
                    prev_space = false;
                }
                None => {
                    plain.push(c);
                    prev_space = c == ' ';
                }
            }
        }
        std::borrow::Cow::Owned(plain)
    };
    let text = plain.trim_matches(is_space);
    SCRATCH.with_borrow_mut(|scratch| {
        let score = score_words(lex, text, scratch);
        if scratch.lowered.capacity() > KEPT_ROOM
            || scratch.tokens.capacity() > KEPT_ROOM / 8
            || scratch.sentiments.capacity() > KEPT_ROOM / 8
        {
            *scratch = Scratch::default();
        }
        score
    })
}

/// The compound score of `text` (emoji described, white space trimmed),
/// with `scratch` to read its words into.
fn score_words(lex: &Lexicon, text: &str, scratch: &mut Scratch) -> f64 {
    let Scratch {
        lowered,
        tokens,
        sentiments,
    } = scratch;
    lowered.clear();
    tokens.clear();
    sentiments.clear();
    if text.is_ascii() {
        // In ASCII a word in lower case is where it was in the text.
        lowered.push_str(text);
        lowered.make_ascii_lowercase();
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let start = at;
            // What kinds of letter the word holds (punctuation, which may
            // be stripped from its ends, is neither kind).
            let mut kinds = 0;
            while at < bytes.len() && KIND[usize::from(bytes[at])] & SPACE == 0 {
                kinds |= KIND[usize::from(bytes[at])];
                at += 1;
            }
            if at > start {
                let (start, end) = strip_ascii_punctuation(bytes, start, at);
                tokens.push(Token {
                    start,
                    end,
                    upper: kinds & (CAPITAL | SMALL) == CAPITAL,
                    entry: lex.find(&lowered[start..end]),
                });
            }
            at += 1;
        }
    } else {
        for word in text.split(is_space).filter(|w| !w.is_empty()) {
            let word = strip_punctuation(word);
            let start = lowered.len();
            lowered.push_str(&word.to_lowercase());
            tokens.push(Token {
                start,
                end: lowered.len(),
                upper: is_upper(word),
                entry: lex.find(&lowered[start..]),
            });
        }
    }
    let w = Words {
        lowered,
        tokens,
        entries: &lex.entries,
    };
    let caps = tokens.iter().filter(|t| t.upper).count();
    let cap_differential = caps > 0 && caps < w.len();
    for i in 0..w.len() {
        if w.entry(i).booster.is_some()
            || (i + 1 < w.len() && w.lower(i) == "kind" && w.lower(i + 1) == "of")
        {
            sentiments.push(0.0);
            continue;
        }
        sentiments.push(valence(w, i, cap_differential));
    }
    but_check(w, sentiments);
    score(sentiments, text)
}

/// [`strip_punctuation`] for the ASCII word at `start..end` of `bytes`:
/// where the word is left.
fn strip_ascii_punctuation(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let (mut from, mut to) = (start, end);
    while from < to && bytes[from].is_ascii_punctuation() {
        from += 1;
    }
    while to > from && bytes[to - 1].is_ascii_punctuation() {
        to -= 1;
    }
    if to - from <= 2 {
        (start, end)
    } else {
        (from, to)
    }
}

/// Strips ASCII punctuation from both ends of a token, unless that leaves
/// two characters or fewer (then it was likely an emoticon: kept as is).
fn strip_punctuation(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation());
    // Two characters or fewer: no third.
    if stripped.chars().nth(2).is_none() {
        token
    } else {
        stripped
    }
}

fn valence(w: Words, i: usize, cap_differential: bool) -> f64 {
    let Some(base) = w.entry(i).valence else {
        return 0.0;
    };
    let lower = |k: usize| w.lower(k);
    let mut valence = base;
    if lower(i) == "no" && i + 1 != w.len() && w.known(i + 1) {
        valence = 0.0;
    }
    if (i > 0 && lower(i - 1) == "no")
        || (i > 1 && lower(i - 2) == "no")
        || (i > 2 && lower(i - 3) == "no" && (lower(i - 1) == "or" || lower(i - 1) == "nor"))
    {
        valence = base * N_SCALAR;
    }
    if w.tokens[i].upper && cap_differential {
        valence += if valence > 0.0 { C_INCR } else { -C_INCR };
    }
    for start in 0..3 {
        if i > start && !w.known(i - (start + 1)) {
            let mut s = scalar(w, i - (start + 1), valence, cap_differential);
            if start == 1 && s != 0.0 {
                s *= 0.95;
            }
            if start == 2 && s != 0.0 {
                s *= 0.9;
            }
            valence += s;
            valence = negation_check(valence, w, start, i);
            if start == 2 {
                valence = special_idioms(valence, w, i);
            }
        }
    }
    least_check(valence, w, i)
}

/// How much a booster or dampener, word `k`, moves the valence of a word
/// after it.
fn scalar(w: Words, k: usize, valence: f64, cap_differential: bool) -> f64 {
    let Some(mut scalar) = w.entry(k).booster else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar *= -1.0;
    }
    if w.tokens[k].upper && cap_differential {
        scalar += if valence > 0.0 { C_INCR } else { -C_INCR };
    }
    scalar
}

fn negation_check(valence: f64, words: Words, start: usize, i: usize) -> f64 {
    let w = |k: usize| words.lower(k);
    match start {
        0 if words.negated(i - 1) => valence * N_SCALAR,
        1 if w(i - 2) == "never" && (w(i - 1) == "so" || w(i - 1) == "this") => valence * 1.25,
        1 if w(i - 2) == "without" && w(i - 1) == "doubt" => valence,
        1 if words.negated(i - 2) => valence * N_SCALAR,
        2 if (w(i - 3) == "never" && (w(i - 2) == "so" || w(i - 2) == "this"))
            || (w(i - 1) == "so" || w(i - 1) == "this") =>
        {
            valence * 1.25
        }
        2 if w(i - 3) == "without" && (w(i - 2) == "doubt" || w(i - 1) == "doubt") => valence,
        2 if words.negated(i - 3) => valence * N_SCALAR,
        _ => valence,
    }
}

fn special_idioms(mut valence: f64, w: Words, i: usize) -> f64 {
    let one_zero = [i - 1, i];
    let two_one_zero = [i - 2, i - 1, i];
    let two_one = [i - 2, i - 1];
    let three_two_one = [i - 3, i - 2, i - 1];
    let three_two = [i - 3, i - 2];
    for sequence in [
        &one_zero[..],
        &two_one_zero,
        &two_one,
        &three_two_one,
        &three_two,
    ] {
        if let Some(v) = special(w, sequence) {
            valence = v;
            break;
        }
    }
    if w.len() - 1 > i
        && let Some(v) = special(w, &[i, i + 1])
    {
        valence = v;
    }
    if w.len() - 1 > i + 1
        && let Some(v) = special(w, &[i, i + 1, i + 2])
    {
        valence = v;
    }
    for n_gram in [&three_two_one[..], &three_two, &two_one] {
        if let Some(b) = booster_phrase(w, n_gram) {
            valence += b;
        }
    }
    valence
}

fn least_check(valence: f64, w: Words, i: usize) -> f64 {
    let least_before = |k: usize| !w.known(k) && w.lower(k) == "least";
    if i > 1 && least_before(i - 1) {
        if w.lower(i - 2) != "at" && w.lower(i - 2) != "very" {
            return valence * N_SCALAR;
        }
    } else if i > 0 && least_before(i - 1) {
        return valence * N_SCALAR;
    }
    valence
}

/// "but": what comes before counts half, what comes after one and a half
/// times. Replicates the reference exactly, including that it finds each
/// value's position by value, so equal values are found at the first one.
fn but_check(w: Words, sentiments: &mut [f64]) {
    let Some(but) = (0..w.len()).position(|k| w.lower(k) == "but") else {
        return;
    };
    for k in 0..sentiments.len() {
        let value = sentiments[k];
        let Some(at) = sentiments.iter().position(|s| *s == value) else {
            continue;
        };
        if at < but {
            sentiments[at] = value * 0.5;
        } else if at > but {
            sentiments[at] = value * 1.5;
        }
    }
}

fn score(sentiments: &[f64], text: &str) -> f64 {
    if sentiments.is_empty() {
        return 0.0;
    }
    let mut sum = sentiments.iter().fold(0.0, |a, b| a + b);
    if sum != 0.0 {
        let (mut exclamations, mut questions) = (0, 0);
        for b in text.bytes() {
            exclamations += usize::from(b == b'!');
            questions += usize::from(b == b'?');
        }
        let exclamations = exclamations.min(4) as f64 * 0.292;
        let questions = match questions {
            n @ 2..=3 => n as f64 * 0.18,
            n if n > 3 => 0.96,
            _ => 0.0,
        };
        let emphasis = exclamations + questions;
        if sum > 0.0 {
            sum += emphasis;
        } else {
            sum -= emphasis;
        }
    }
    let compound = (sum / (sum * sum + 15.0).sqrt()).clamp(-1.0, 1.0);
    round4(compound)
}

/// Rounds to four decimal places the way Python's `round` does: on the
/// exact value, ties to even. `x * 10000` is compared with whole and half
/// numbers exactly (a fused multiply-add rounds once, keeping the sign of
/// the difference), and the result is the double nearest the rounded
/// decimal, as reading its digits would give.
fn round4(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    // How far x * 10000 is past `n`, exactly in sign.
    let past = |n: f64| x.mul_add(10_000.0, -n);
    let mut n = (x * 10_000.0).floor();
    while past(n) < 0.0 {
        n -= 1.0;
    }
    while past(n + 1.0) >= 0.0 {
        n += 1.0;
    }
    let half = past(n + 0.5);
    if half > 0.0 || (half == 0.0 && n % 2.0 != 0.0) {
        n += 1.0;
    }
    let rounded = n / 10_000.0;
    // "-0.0000" reads as minus zero.
    if rounded == 0.0 {
        rounded.copysign(x)
    } else {
        rounded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_agrees_with_reading_four_printed_places() {
        let printed = |x: f64| format!("{x:.4}").parse::<f64>().unwrap();
        let mut seed = 11u64;
        let mut values: Vec<f64> = (0..200_000)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (seed >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
            })
            .collect();
        // Ties that are exact in binary, values either side of every
        // half, the ends, and the zeros.
        for k in -20_000..=20_000 {
            let tie = f64::from(k) / 20_000.0;
            values.extend([tie, tie.next_up(), tie.next_down()]);
        }
        values.extend([
            0.03125, -0.03125, 0.09375, 1.0, -1.0, 0.0, -0.0, 1e-300, -1e-300,
        ]);
        for x in values {
            let (ours, theirs) = (round4(x), printed(x));
            assert_eq!(ours.to_bits(), theirs.to_bits(), "{x:e}: {ours} {theirs}");
        }
    }

    #[test]
    fn scores_like_the_reference_on_its_own_examples() {
        assert_eq!(compound("VADER is smart, handsome, and funny."), 0.8316);
        assert_eq!(
            compound("VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!"),
            0.9469
        );
        assert_eq!(
            compound("VADER is not smart, handsome, nor funny."),
            -0.7424
        );
        assert_eq!(
            compound(
                "The plot was good, but the characters are uncompelling and the dialog is not great."
            ),
            -0.7042
        );
        assert_eq!(
            compound("Catch utf-8 emoji such as 💘 and 💋 and 😁"),
            0.875
        );
    }

    #[test]
    fn a_long_text_scored_before_changes_nothing_and_its_room_is_given_back() {
        let texts = [
            "This is AWFUL, I hate it!!",
            "not bad at all, kind of nice",
            "Catch utf-8 emoji such as 💘 and 💋 and 😁",
        ];
        let alone: Vec<f64> = texts.iter().map(|t| compound(t)).collect();
        compound(&"very GOOD but never so bad ".repeat(10_000));
        let after: Vec<f64> = texts.iter().map(|t| compound(t)).collect();
        assert_eq!(after, alone);
        SCRATCH.with_borrow(|s| {
            assert!(s.lowered.capacity() <= KEPT_ROOM);
            assert!(s.tokens.capacity() <= KEPT_ROOM / 8);
            assert!(s.sentiments.capacity() <= KEPT_ROOM / 8);
        });
    }

    #[test]
    fn neutral_text_stays_neutral_whatever_its_punctuation() {
        assert_eq!(compound("call me back!!!"), 0.0);
        assert_eq!(compound(""), 0.0);
    }
}
