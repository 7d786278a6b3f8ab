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
struct Shape<'t> {
    text: &'t str,
    words: usize,
    /// Whether it is a courtesy: worked out only for a message found to
    /// repeat another, which is rare.
    courtesy: std::cell::OnceCell<bool>,
    /// Where its trigrams are among the side's ([`Shapes::keys`]), sorted
    /// and each once; none for a message too short to count.
    trigrams: std::ops::Range<usize>,
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

/// How many ASCII trigrams there are: three of 37 characters.
const TRIGRAMS: usize = 37 * 37 * 37;

/// Every ASCII trigram's key is below this.
const ASCII_KEYS: usize = 2 * TRIGRAMS;

/// An ASCII trigram as a number below [`ASCII_KEYS`]: its [`index`], the
/// common ones above the rare.
fn ascii_key(a: u8, b: u8, c: u8) -> u32 {
    indexed_key(index(a, b, c))
}

/// The key of the ASCII trigram with [`index`] `i`.
fn indexed_key(i: usize) -> u32 {
    let common = COMMON_BITS[i / 64] & (1 << (i % 64)) != 0;
    (if common { TRIGRAMS + i } else { i }) as u32
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

/// Puts a message's trigrams in order, each once, without sorting the
/// ASCII ones: they are marked in a bit table as they stream by (a repeat
/// is dropped at once), with a second table marking which words of the
/// first are in use, and read back in order from the two. The tables are
/// left clear for the next message.
struct Sorter {
    seen: Vec<u64>,
    used: Vec<u64>,
    /// The trigrams that are not ASCII (hashed), in the order met.
    wide: Vec<u32>,
    /// Whether the tables are clear: false only while a message is read.
    clear: bool,
}

thread_local! {
    /// One sorter for each thread, kept from one conversation to the next:
    /// making its tables anew cost more than sorting a short conversation.
    static SORTER: std::cell::RefCell<Sorter> = std::cell::RefCell::new(Sorter::new());
}

impl Sorter {
    fn new() -> Sorter {
        let words = ASCII_KEYS.div_ceil(64);
        Sorter {
            seen: vec![0; words],
            used: vec![0; words.div_ceil(64)],
            wide: Vec::new(),
            clear: true,
        }
    }

    /// Makes ready for a message. Should reading the last one have been
    /// cut short (a panic caught further up), its marks are wiped first.
    fn start(&mut self) {
        if !self.clear {
            self.seen.fill(0);
            self.used.fill(0);
            self.wide.clear();
        }
        self.clear = false;
    }

    fn add(&mut self, key: u32) {
        let k = key as usize;
        if k < ASCII_KEYS {
            let word = k / 64;
            self.seen[word] |= 1 << (k % 64);
            self.used[word / 64] |= 1 << (word % 64);
        } else {
            self.wide.push(key);
        }
    }

    /// Appends the message's trigrams to `out` in order, each once (none
    /// when `keep` is false), and clears the tables.
    fn finish(&mut self, keep: bool, out: &mut Vec<u32>) {
        for (u, used) in self.used.iter_mut().enumerate() {
            let mut words = std::mem::take(used);
            while words != 0 {
                let word = u * 64 + words.trailing_zeros() as usize;
                words &= words - 1;
                let mut bits = std::mem::take(&mut self.seen[word]);
                while keep && bits != 0 {
                    out.push((word * 64) as u32 + bits.trailing_zeros());
                    bits &= bits - 1;
                }
            }
        }
        if keep {
            self.wide.sort_unstable();
            self.wide.dedup();
            out.extend_from_slice(&self.wide);
        }
        self.wide.clear();
        self.clear = true;
    }
}

/// A normalised text streaming by: its last two characters, its length,
/// and its spaces; its trigrams go to the sorter.
struct Stream<'s> {
    last: [char; 2],
    length: usize,
    spaces: usize,
    sorter: &'s mut Sorter,
}

impl Stream<'_> {
    fn push(&mut self, c: char) {
        self.length += 1;
        if c == ' ' {
            self.spaces += 1;
        }
        if self.length > 2 {
            self.sorter.add(key(self.last[0], self.last[1], c));
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
    // The index of the last two characters, rolled on with each new one.
    let mut last = usize::from(CODE[usize::from(b)]);
    let mut pair = usize::from(CODE[usize::from(a)]) * 37 + last;
    for &byte in text {
        let c = match NORMAL[usize::from(byte)] {
            0 => continue,
            b' ' if b == b' ' => continue,
            c => c,
        };
        let code = usize::from(CODE[usize::from(c)]);
        s.length += 1;
        if c == b' ' {
            s.spaces += 1;
        }
        if s.length > 2 {
            s.sorter.add(indexed_key(pair * 37 + code));
        }
        pair = last * 37 + code;
        last = code;
        (a, b) = (b, c);
    }
    s.last = [char::from(a), char::from(b)];
}

/// One side's messages reduced for comparison, their trigrams side by side.
struct Shapes<'t> {
    keys: Vec<u32>,
    shapes: Vec<Shape<'t>>,
}

impl<'t> Shapes<'t> {
    fn of(texts: impl IntoIterator<Item = &'t str>) -> Shapes<'t> {
        SORTER.with_borrow_mut(|sorter| {
            let mut keys = Vec::new();
            let shapes = texts
                .into_iter()
                .map(|text| shape(text, sorter, &mut keys))
                .collect();
            Shapes { keys, shapes }
        })
    }

    fn trigrams(&self, shape: &Shape) -> &[u32] {
        &self.keys[shape.trigrams.clone()]
    }

    /// Whether message `later` says again what message `earlier` said.
    fn repeats(&self, later: usize, earlier: usize) -> bool {
        let (l, e) = (&self.shapes[later], &self.shapes[earlier]);
        if l.words < MIN_WORDS || e.words < MIN_WORDS {
            return false;
        }
        similar(self.trigrams(l), self.trigrams(e), l, e) && !l.is_courtesy()
    }
}

/// The comparable shape of a message's text; its trigrams are appended to
/// `keys`.
fn shape<'t>(text: &'t str, sorter: &mut Sorter, keys: &mut Vec<u32>) -> Shape<'t> {
    // Letters and digits in lower case, every other run of characters one
    // space, with a space at each end; trigrams taken as the text streams by.
    sorter.start();
    let mut s = Stream {
        last: [' ', ' '],
        length: 0,
        spaces: 0,
        sorter,
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
    let from = keys.len();
    sorter.finish(words >= MIN_WORDS, keys);
    Shape {
        text,
        words,
        courtesy: std::cell::OnceCell::new(),
        trigrams: from..keys.len(),
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

/// Whether two messages of at least [`MIN_WORDS`] words, with trigrams `x`
/// and `y`, share enough trigrams to be the same.
fn similar(x: &[u32], y: &[u32], later: &Shape, earlier: &Shape) -> bool {
    let (a, b) = (x.len(), y.len());
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
    if !meet(&x[..a - needed + 1], &y[..b - needed + 1]) {
        return false;
    }
    // The thresholds are worked out in floating point; a count one short
    // of `needed` is still counted in full, so rounding cannot drop a pair.
    let Some(shared) = shared_at_least(x, y, needed - 1) else {
        return false;
    };
    let shared = shared as f64;
    2.0 * shared / (a + b) as f64 >= SAME || (contained && shared / a.min(b) as f64 >= CONTAINED)
}

/// Whether a set much shorter than another is better looked up in it by
/// binary search than walked beside it.
fn lopsided(short: &[u32], long: &[u32]) -> bool {
    short.len() * 8 < long.len()
}

/// Whether two sorted sets share an element.
fn meet(a: &[u32], b: &[u32]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if lopsided(short, long) {
        let mut from = 0;
        for v in short {
            match long[from..].binary_search(v) {
                Ok(_) => return true,
                Err(i) => from += i,
            }
            if from == long.len() {
                return false;
            }
        }
        return false;
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// How many elements two sorted sets share; or nothing, as soon as it is
/// clear they cannot share `at_least` (a smaller count may still be given
/// when that only becomes clear at the end).
fn shared_at_least(a: &[u32], b: &[u32], at_least: usize) -> Option<usize> {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut n = 0;
    if lopsided(short, long) {
        let mut from = 0;
        for (k, v) in short.iter().enumerate() {
            if n + short.len() - k < at_least {
                return None;
            }
            match long[from..].binary_search(v) {
                Ok(i) => {
                    n += 1;
                    from += i + 1;
                }
                Err(i) => from += i,
            }
        }
        return Some(n);
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
                continue;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
        if n + (a.len() - i).min(b.len() - j) < at_least {
            return None;
        }
    }
    Some(n)
}

/// How many of `texts` (one side's messages, in order) repeat an earlier one.
pub fn count<'a>(texts: impl IntoIterator<Item = &'a str>) -> usize {
    let texts: Vec<&str> = texts.into_iter().collect();
    if texts.len() < 2 {
        return 0;
    }
    let side = Shapes::of(texts);
    (1..side.shapes.len())
        .filter(|&k| (k.saturating_sub(WINDOW)..k).any(|e| side.repeats(k, e)))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(later: &str, earlier: &str) -> bool {
        Shapes::of([earlier, later]).repeats(1, 0)
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
    fn the_sorter_gives_each_trigram_once_in_order_and_starts_clean() {
        let mut sorter = Sorter::new();
        // A message whose reading was cut short leaves marks behind...
        sorter.start();
        sorter.add(7);
        sorter.add(0x8000_0009);
        // ...which the next message does not see.
        sorter.start();
        let keys = [
            5,
            (ASCII_KEYS - 1) as u32,
            0x8000_0001,
            64,
            5,
            0x8000_0001,
            63,
            (TRIGRAMS + 3) as u32,
        ];
        for k in keys {
            sorter.add(k);
        }
        let mut out = Vec::new();
        sorter.finish(true, &mut out);
        let mut expected = keys.to_vec();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(out, expected);
        // A message too short to keep leaves nothing, and nothing behind.
        sorter.start();
        sorter.add(11);
        sorter.finish(false, &mut out);
        assert_eq!(out, expected);
        sorter.start();
        sorter.add(12);
        let mut next = Vec::new();
        sorter.finish(true, &mut next);
        assert_eq!(next, vec![12]);
    }

    #[test]
    fn shared_counts_agree_with_a_plain_count_whatever_the_lengths() {
        // Sets of many sizes, short against long (binary search) and alike
        // (walked side by side), from a simple generator.
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u32 % 400
        };
        let mut set = |n: usize| {
            let mut v: Vec<u32> = (0..n).map(|_| next()).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        for (a, b) in [(3, 300), (10, 10), (40, 200), (1, 1), (0, 50), (120, 130)] {
            let (x, y) = (set(a), set(b));
            let plain = x.iter().filter(|v| y.contains(v)).count();
            assert_eq!(meet(&x, &y), plain > 0, "{x:?} {y:?}");
            assert_eq!(shared_at_least(&x, &y, 0), Some(plain));
            assert_eq!(shared_at_least(&y, &x, plain), Some(plain));
            // Asked for more than they share: nothing, or the true count.
            for asked in [plain + 1, plain + 5] {
                let got = shared_at_least(&x, &y, asked);
                assert!(got.is_none() || got == Some(plain), "{got:?} of {plain}");
            }
        }
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
