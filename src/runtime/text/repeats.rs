//! Repeated messages: how often a side of the conversation says again what
//! it said before. Two messages are the same when their letters and digits,
//! in lower case, share most of their three-character pieces, so changes of
//! case, punctuation and a few letters do not hide a repeat.
//!
//! The measure: each message is reduced to lower-case words (letters and
//! digits), and to the set of its character trigrams (with a space at each
//! end). A message repeats an earlier one from the same side when the Dice
//! similarity of their trigram sets is at least [`SAME`], or when the
//! shorter of the two, at least [`CONTAINED_WORDS`] words long, has at least
//! [`CONTAINED`] of its trigrams in the longer (the same question asked
//! again with something added). Messages under [`MIN_WORDS`] words ("yes",
//! "ok thanks") are never repeats, nor are courtesies said again as a
//! conversation moves from one task to the next ("Is there anything else I
//! can do for you?", "Thank you and goodbye"). Each message is compared with
//! the [`WINDOW`] messages before it on its side.

/// Dice similarity at or above which two messages are the same.
pub const SAME: f64 = 0.8;
/// Share of the shorter message's trigrams found in the longer one at or
/// above which it counts as repeated inside it.
pub const CONTAINED: f64 = 0.9;
/// Words the shorter message needs for containment to count.
pub const CONTAINED_WORDS: usize = 4;
/// Words a message needs to count as a repeat at all.
pub const MIN_WORDS: usize = 3;
/// How many earlier messages of the same side each message is compared with.
pub const WINDOW: usize = 20;

/// A message reduced for comparison.
pub struct Shape<'t> {
    text: &'t str,
    words: usize,
    /// Whether it is a courtesy: worked out only for a message found to
    /// repeat another, which is rare.
    courtesy: std::cell::OnceCell<bool>,
    /// Empty for a message too short to count.
    trigrams: Vec<u32>,
}

impl Shape<'_> {
    fn is_courtesy(&self) -> bool {
        *self
            .courtesy
            .get_or_init(|| self.words <= 12 && courtesy(&normalise(self.text)))
    }
}

/// Whether a normalised text of a dozen words or fewer is a courtesy: it
/// says "anything else", "goodbye", "bye", "thank you", "thanks", "welcome",
/// "great job", "well done", "nice day", "good day", "great day", "enjoy",
/// "correct" or "continue playing".
fn courtesy(normal: &str) -> bool {
    let words: Vec<&str> = normal.split(' ').filter(|w| !w.is_empty()).collect();
    words.iter().enumerate().any(|(i, w)| {
        let next = words.get(i + 1).copied().unwrap_or_default();
        match *w {
            "goodbye" | "bye" | "thanks" | "welcome" | "enjoy" | "correct" => true,
            "anything" => next == "else",
            "thank" => next == "you",
            "great" => next == "job" || next == "day",
            "well" => next == "done",
            "nice" | "good" => next == "day",
            "continue" => next == "playing",
            _ => false,
        }
    })
}

/// The 160 trigrams found in the most messages of the conversations in
/// `../shared/data` (each in 7% of messages or more), three characters
/// each. They are put last in a message's sorted trigrams, so the prefix
/// filter in [`repeats`] compares the rare ones first.
const COMMON: &str = concat!(
    " th yoyouou the i at  tohe  anto ng or inge tfornd  foan tha",
    "is  cahatoured ur se  ise aon re canld me er ay  ploult tand",
    "uld a  rent  inve  do ha beplell easherth lea wies ke  coase",
    " not i whe ihanit ionin  ontioe ps a it li go wos t he ofd y",
    "aveikelikn iereow ts d te yank so meof  mareswou atday hoith",
    "st  wahavt wle witthido ookde as atie mght weighbe d ireae w",
    "my artr y deestente seed nenk ill alell myly paranyidewhaate",
    "eat froodok hel pr boen  moht n tgreally aailtinr at ay ihin",
);

/// Letters and digits in lower case, and the space: the characters of a
/// normalised ASCII text, numbered 0 to 36 (other bytes 0 too; they never
/// reach a trigram).
const CODE: [u8; 256] = {
    let mut code = [0u8; 256];
    let mut d = 0;
    while d < 10 {
        code[b'0' as usize + d] = 1 + d as u8;
        d += 1;
    }
    let mut l = 0;
    while l < 26 {
        code[b'a' as usize + l] = 11 + l as u8;
        l += 1;
    }
    code
};

/// What each ASCII byte becomes in a normalised text: itself in lower case
/// for letters and digits, nothing for an apostrophe, a space otherwise.
const NORMAL: [u8; 128] = {
    let mut normal = [b' '; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() {
            normal[c] = b.to_ascii_lowercase();
        } else if b == b'\'' {
            normal[c] = 0;
        }
        c += 1;
    }
    normal
};

fn index(a: u8, b: u8, c: u8) -> usize {
    (usize::from(CODE[a as usize]) * 37 + usize::from(CODE[b as usize])) * 37
        + usize::from(CODE[c as usize])
}

/// Which normalised ASCII trigrams are common, by [`index`].
const COMMON_BITS: [u64; 37 * 37 * 37 / 64 + 1] = {
    let mut table = [0u64; 37 * 37 * 37 / 64 + 1];
    let t = COMMON.as_bytes();
    let mut k = 0;
    while k + 2 < t.len() {
        let i = (CODE[t[k] as usize] as usize * 37 + CODE[t[k + 1] as usize] as usize) * 37
            + CODE[t[k + 2] as usize] as usize;
        table[i / 64] |= 1 << (i % 64);
        k += 3;
    }
    table
};

/// An ASCII trigram as a number: exact, the common ones above the rare.
fn ascii_key(a: u8, b: u8, c: u8) -> u32 {
    let packed = (u32::from(a) << 16) | (u32::from(b) << 8) | u32::from(c);
    let i = index(a, b, c);
    if COMMON_BITS[i / 64] & (1 << (i % 64)) != 0 {
        packed | 0x4000_0000
    } else {
        packed
    }
}

/// A trigram as a number: ASCII ones exactly, others hashed above them.
fn key(a: char, b: char, c: char) -> u32 {
    if a.is_ascii() && b.is_ascii() && c.is_ascii() {
        return ascii_key(a as u8, b as u8, c as u8);
    }
    let h = [a, b, c].iter().fold(0x811c_9dc5u32, |h, c| {
        (h ^ u32::from(*c)).wrapping_mul(0x0100_0193)
    });
    0x8000_0000 | (h >> 1)
}

/// A normalised text streaming by: its last two characters, its length,
/// its spaces, and the trigrams so far.
struct Stream {
    last: [char; 2],
    length: usize,
    spaces: usize,
    trigrams: Vec<u32>,
}

impl Stream {
    fn push(&mut self, c: char) {
        self.length += 1;
        if c == ' ' {
            self.spaces += 1;
        }
        if self.length > 2 {
            self.trigrams.push(key(self.last[0], self.last[1], c));
        }
        self.last = [self.last[1], c];
    }

    fn after_space(&self) -> bool {
        self.last[1] == ' '
    }
}

/// The trigrams of an ASCII text, streamed into `s` byte by byte.
fn ascii_trigrams(text: &[u8], s: &mut Stream) {
    let (mut a, mut b) = (s.last[0] as u8, s.last[1] as u8);
    for &byte in text {
        let c = match NORMAL[usize::from(byte)] {
            0 => continue,
            b' ' if b == b' ' => continue,
            c => c,
        };
        s.length += 1;
        if c == b' ' {
            s.spaces += 1;
        }
        if s.length > 2 {
            s.trigrams.push(ascii_key(a, b, c));
        }
        (a, b) = (b, c);
    }
    s.last = [char::from(a), char::from(b)];
}

/// The comparable shape of a message's text.
pub fn shape(text: &str) -> Shape<'_> {
    // Letters and digits in lower case, every other run of characters one
    // space, with a space at each end; trigrams taken as the text streams by.
    let mut s = Stream {
        last: [' ', ' '],
        length: 0,
        spaces: 0,
        trigrams: Vec::with_capacity(text.len() + 2),
    };
    s.push(' ');
    if text.is_ascii() {
        ascii_trigrams(text.as_bytes(), &mut s);
    } else {
        for c in text.chars() {
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    s.push(c.to_ascii_lowercase());
                } else if c != '\'' && !s.after_space() {
                    s.push(' ');
                }
            } else if c.is_alphanumeric() {
                for l in c.to_lowercase() {
                    s.push(l);
                }
            } else if c != '’' && !s.after_space() {
                s.push(' ');
            }
        }
    }
    if !s.after_space() {
        s.push(' ');
    }
    let words = s.spaces - 1;
    let mut trigrams = s.trigrams;
    if words < MIN_WORDS {
        trigrams = Vec::new();
    } else {
        trigrams.sort_unstable();
        trigrams.dedup();
    }
    Shape {
        text,
        words,
        courtesy: std::cell::OnceCell::new(),
        trigrams,
    }
}

/// The text as [`shape`] reads it: lower-case letters and digits, one space
/// for every other run of characters, a space at each end.
fn normalise(text: &str) -> String {
    let mut normal = String::with_capacity(text.len() + 2);
    normal.push(' ');
    for c in text.chars() {
        if c.is_alphanumeric() {
            normal.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' && !normal.ends_with(' ') {
            normal.push(' ');
        }
    }
    if !normal.ends_with(' ') {
        normal.push(' ');
    }
    normal
}

/// Whether `later` says again what `earlier` said.
pub fn repeats(later: &Shape, earlier: &Shape) -> bool {
    if later.words < MIN_WORDS || earlier.words < MIN_WORDS {
        return false;
    }
    similar(later, earlier) && !later.is_courtesy()
}

/// Whether two messages of at least [`MIN_WORDS`] words share enough
/// trigrams to be the same.
fn similar(later: &Shape, earlier: &Shape) -> bool {
    let (a, b) = (later.trigrams.len(), earlier.trigrams.len());
    let shorter = if a <= b { later } else { earlier };
    let contained = shorter.words >= CONTAINED_WORDS;
    // How many shared trigrams either threshold needs at least.
    let for_same = (SAME * (a + b) as f64 / 2.0).ceil() as usize;
    let for_contained = (CONTAINED * a.min(b) as f64).ceil() as usize;
    let needed = if contained {
        for_same.min(for_contained)
    } else {
        for_same
    };
    if needed == 0 || needed > a.min(b) {
        return needed == 0;
    }
    // Prefix filter: two sorted sets sharing `needed` elements share one
    // among the first `len - needed + 1` of each. Cheap, and exact.
    if shared(
        &later.trigrams[..a - needed + 1],
        &earlier.trigrams[..b - needed + 1],
    ) == 0
    {
        return false;
    }
    let shared = shared(&later.trigrams, &earlier.trigrams) as f64;
    2.0 * shared / (a + b) as f64 >= SAME || (contained && shared / a.min(b) as f64 >= CONTAINED)
}

fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// How many of `texts` (one side's messages, in order) repeat an earlier one.
pub fn count<'a>(texts: impl IntoIterator<Item = &'a str>) -> usize {
    let texts: Vec<&str> = texts.into_iter().collect();
    if texts.len() < 2 {
        return 0;
    }
    let shapes: Vec<Shape> = texts.into_iter().map(shape).collect();
    (1..shapes.len())
        .filter(|&k| {
            shapes[k.saturating_sub(WINDOW)..k]
                .iter()
                .any(|e| repeats(&shapes[k], e))
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        repeats(&shape(a), &shape(b))
    }

    #[test]
    fn case_punctuation_and_small_edits_do_not_hide_a_repeat() {
        assert!(same(
            "How do I cancel my subscription?",
            "how do i cancel my subscription??"
        ));
        assert!(same("Where is my order #1234", "where is my ordr 1234"));
        assert!(same(
            "There is no cancel button there. How do I cancel my subscription?",
            "How do I cancel my subscription?"
        ));
    }

    #[test]
    fn different_messages_and_short_replies_are_not_repeats() {
        assert!(!same(
            "Where is my order?",
            "Can I change my delivery address?"
        ));
        assert!(!same("yes", "yes"));
        assert!(!same("ok thanks", "ok thanks"));
        assert!(!same(
            "Is there anything else that I can do for you?",
            "Is there anything else that I can do for you?"
        ));
    }

    #[test]
    fn each_repeating_message_counts_once() {
        // The second asks the first again with more words; the third and
        // fourth repeat the second; "thanks" repeats nothing.
        let texts = [
            "How do I cancel?",
            "How do I cancel my plan",
            "how do I cancel my plan!",
            "HOW DO I CANCEL MY PLAN",
            "thanks",
        ];
        assert_eq!(count(texts), 3);
    }
}
