//! Lexicon-based sentiment: a faithful port of VADER (Hutto and Gilbert,
//! 2014) as released in vaderSentiment 3.3.2, MIT licensed
//! (`data/lexicons/LICENSE-vaderSentiment.txt`). It gives the same compound
//! score as the reference implementation, quirks included, so scores can be
//! compared with other tools that use it. Both lexicons are compiled into the
//! binary.

use std::sync::LazyLock;

use super::words::WordMap;

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

/// The lexicons, read once.
struct Lexicon {
    words: WordMap<&'static str, f64>,
    emojis: WordMap<char, &'static str>,
}

static LEX: LazyLock<Lexicon> = LazyLock::new(|| Lexicon {
    words: LEXICON
        .lines()
        .filter(|l| !l.is_empty())
        .filter_map(|line| {
            let mut fields = line.trim().split('\t');
            Some((fields.next()?, fields.next()?.parse().ok()?))
        })
        .collect(),
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
});

fn booster(word: &str) -> Option<f64> {
    static ONE_WORD: LazyLock<WordMap<&'static str, f64>> = LazyLock::new(|| {
        BOOSTERS
            .iter()
            .filter(|(w, _)| !w.contains(' '))
            .copied()
            .collect()
    });
    ONE_WORD.get(word).copied()
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

/// The value of the phrase the words `words` make, in `phrases`.
fn phrase(phrases: &Phrases, words: &[&str]) -> Option<f64> {
    phrases.get(words.first()?)?.iter().find_map(|(p, v)| {
        (p.len() == words.len() && p.iter().zip(words).all(|(a, b)| a == b)).then_some(*v)
    })
}

/// A special case (`"the shit"`, `"kiss of death"`) made of these words.
fn special(words: &[&str]) -> Option<f64> {
    static SPECIAL: LazyLock<Phrases> = LazyLock::new(|| by_first_word(SPECIAL_CASES));
    phrase(&SPECIAL, words)
}

/// A booster of several words (`"kind of"`) made of these words.
fn booster_phrase(words: &[&str]) -> Option<f64> {
    static SEVERAL: LazyLock<Phrases> = LazyLock::new(|| by_first_word(BOOSTERS));
    phrase(&SEVERAL, words)
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

fn negated(word: &str) -> bool {
    NEGATE.contains(&word) || word.contains("n't")
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
    let words: Vec<&str> = text
        .split(is_space)
        .filter(|w| !w.is_empty())
        .map(strip_punctuation)
        .collect();
    // The words in lower case, side by side in one buffer.
    let mut lowered = String::with_capacity(text.len());
    let mut ends = Vec::with_capacity(words.len());
    for w in &words {
        if w.is_ascii() {
            lowered.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            lowered.push_str(&w.to_lowercase());
        }
        ends.push(lowered.len());
    }
    let lower: Vec<&str> = ends
        .iter()
        .scan(0, |start, &end| {
            let word = &lowered[*start..end];
            *start = end;
            Some(word)
        })
        .collect();
    let caps = words.iter().filter(|w| is_upper(w)).count();
    let cap_differential = caps > 0 && caps < words.len();
    let mut sentiments = Vec::with_capacity(words.len());
    for i in 0..words.len() {
        if booster(lower[i]).is_some()
            || (i + 1 < words.len() && lower[i] == "kind" && lower[i + 1] == "of")
        {
            sentiments.push(0.0);
            continue;
        }
        sentiments.push(valence(lex, &words, &lower, i, cap_differential));
    }
    but_check(&lower, &mut sentiments);
    score(&sentiments, text)
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

fn valence(lex: &Lexicon, words: &[&str], lower: &[&str], i: usize, cap_differential: bool) -> f64 {
    let Some(&base) = lex.words.get(lower[i]) else {
        return 0.0;
    };
    let known = |w: &str| lex.words.contains_key(w);
    let mut valence = base;
    if lower[i] == "no" && i + 1 != words.len() && known(lower[i + 1]) {
        valence = 0.0;
    }
    if (i > 0 && lower[i - 1] == "no")
        || (i > 1 && lower[i - 2] == "no")
        || (i > 2 && lower[i - 3] == "no" && (lower[i - 1] == "or" || lower[i - 1] == "nor"))
    {
        valence = base * N_SCALAR;
    }
    if is_upper(words[i]) && cap_differential {
        valence += if valence > 0.0 { C_INCR } else { -C_INCR };
    }
    for start in 0..3 {
        if i > start && !known(lower[i - (start + 1)]) {
            let mut s = scalar(
                words[i - (start + 1)],
                lower[i - (start + 1)],
                valence,
                cap_differential,
            );
            if start == 1 && s != 0.0 {
                s *= 0.95;
            }
            if start == 2 && s != 0.0 {
                s *= 0.9;
            }
            valence += s;
            valence = negation_check(valence, lower, start, i);
            if start == 2 {
                valence = special_idioms(valence, lower, i);
            }
        }
    }
    least_check(lex, valence, lower, i)
}

/// How much a booster or dampener before a word moves its valence.
fn scalar(word: &str, lower: &str, valence: f64, cap_differential: bool) -> f64 {
    let Some(mut scalar) = booster(lower) else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar *= -1.0;
    }
    if is_upper(word) && cap_differential {
        scalar += if valence > 0.0 { C_INCR } else { -C_INCR };
    }
    scalar
}

fn negation_check(valence: f64, w: &[&str], start: usize, i: usize) -> f64 {
    match start {
        0 if negated(w[i - 1]) => valence * N_SCALAR,
        1 if w[i - 2] == "never" && (w[i - 1] == "so" || w[i - 1] == "this") => valence * 1.25,
        1 if w[i - 2] == "without" && w[i - 1] == "doubt" => valence,
        1 if negated(w[i - 2]) => valence * N_SCALAR,
        2 if (w[i - 3] == "never" && (w[i - 2] == "so" || w[i - 2] == "this"))
            || (w[i - 1] == "so" || w[i - 1] == "this") =>
        {
            valence * 1.25
        }
        2 if w[i - 3] == "without" && (w[i - 2] == "doubt" || w[i - 1] == "doubt") => valence,
        2 if negated(w[i - 3]) => valence * N_SCALAR,
        _ => valence,
    }
}

fn special_idioms(mut valence: f64, w: &[&str], i: usize) -> f64 {
    let at = |k: usize| w[k];
    let one_zero = [at(i - 1), at(i)];
    let two_one_zero = [at(i - 2), at(i - 1), at(i)];
    let two_one = [at(i - 2), at(i - 1)];
    let three_two_one = [at(i - 3), at(i - 2), at(i - 1)];
    let three_two = [at(i - 3), at(i - 2)];
    for sequence in [
        &one_zero[..],
        &two_one_zero,
        &two_one,
        &three_two_one,
        &three_two,
    ] {
        if let Some(v) = special(sequence) {
            valence = v;
            break;
        }
    }
    if w.len() - 1 > i
        && let Some(v) = special(&[at(i), at(i + 1)])
    {
        valence = v;
    }
    if w.len() - 1 > i + 1
        && let Some(v) = special(&[at(i), at(i + 1), at(i + 2)])
    {
        valence = v;
    }
    for n_gram in [&three_two_one[..], &three_two, &two_one] {
        if let Some(b) = booster_phrase(n_gram) {
            valence += b;
        }
    }
    valence
}

fn least_check(lex: &Lexicon, valence: f64, w: &[&str], i: usize) -> f64 {
    let least_before = |k: usize| !lex.words.contains_key(w[k]) && w[k] == "least";
    if i > 1 && least_before(i - 1) {
        if w[i - 2] != "at" && w[i - 2] != "very" {
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
fn but_check(lower: &[&str], sentiments: &mut [f64]) {
    let Some(but) = lower.iter().position(|w| *w == "but") else {
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
    let exclamations = text.matches('!').count().min(4) as f64 * 0.292;
    let questions = match text.matches('?').count() {
        n @ 2..=3 => n as f64 * 0.18,
        n if n > 3 => 0.96,
        _ => 0.0,
    };
    let emphasis = exclamations + questions;
    if sum > 0.0 {
        sum += emphasis;
    } else if sum < 0.0 {
        sum -= emphasis;
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
    fn neutral_text_stays_neutral_whatever_its_punctuation() {
        assert_eq!(compound("call me back!!!"), 0.0);
        assert_eq!(compound(""), 0.0);
    }
}
