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

/// Dice similarity at or above which two messages are the same: 4/5.
pub const SAME: (usize, usize) = (4, 5);
/// Share of the shorter message's trigrams found in the longer one at or
/// above which it counts as repeated inside it: 9/10.
pub const CONTAINED: (usize, usize) = (9, 10);
/// Words the shorter message needs for containment to count.
pub const CONTAINED_WORDS: usize = 4;
/// Words a message needs to count as a repeat at all.
pub const MIN_WORDS: usize = 3;
/// How many earlier messages of the same side each message is compared with.
pub const WINDOW: usize = 20;

use crate::hash::FxMap;

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
/// each. A message's rare trigrams are looked up first, so that an earlier
/// message it cannot be the same as is dropped early ([`same_as_earlier`]).
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

/// What each ASCII byte becomes in a normalised text, as its [`CODE`]:
/// a letter or digit its own (in lower case), an apostrophe nothing
/// ([`DROPPED`]), anything else a space (0). (Other bytes are never
/// looked up; the table has room for them so that no look-up needs a
/// check.)
const READ: [u8; 256] = {
    let mut read = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        read[c] = CODE[(c as u8).to_ascii_lowercase() as usize];
        c += 1;
    }
    read[b'\'' as usize] = DROPPED;
    read
};

/// In [`READ`]: a byte left out of the normalised text.
const DROPPED: u8 = u8::MAX;

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

/// The size of the table of marks: room for every ASCII trigram, and
/// more, so that an index cut to 16 bits is always in it and a look-up
/// needs no check. The rest is never touched.
const TABLE: usize = 1 << 16;
const _: () = assert!(TRIGRAMS <= TABLE);

/// A trigram that is not ASCII, hashed to a number with its top bit set,
/// above every ASCII trigram's [`index`].
fn wide_key(a: char, b: char, c: char) -> u32 {
    let h = [a, b, c].iter().fold(0x811c_9dc5u32, |h, c| {
        (h ^ u32::from(*c)).wrapping_mul(0x0100_0193)
    });
    0x8000_0000 | (h >> 1)
}

/// How many messages the marks tell apart (at least the [`WINDOW`] earlier
/// ones and the one being read). Message `k` of a side has the slot
/// `k % SLOTS`, its bit in the marks.
const SLOTS: usize = 31;

/// In the marks of an ASCII trigram, beside the slots: the trigram is
/// common.
const COMMON_MARK: u32 = 1 << 31;

/// Which of the last [`SLOTS`] messages of a side have each trigram: one
/// bit for each message's slot. A message's marks are wiped when its slot
/// is taken by a later message, and every mark when the side is done.
struct Marks {
    /// For each ASCII trigram, by [`index`], with [`COMMON_MARK`] set for
    /// the common ones.
    ascii: Box<[u32; TABLE]>,
    /// For the others, by [`wide_key`].
    wide: FxMap<u32, u32>,
    /// Whether every mark is wiped: false only while a side is read.
    clear: bool,
}

thread_local! {
    /// One table for each thread, and room for a side's trigrams, kept
    /// from one conversation to the next: making them anew cost more than
    /// reading a short conversation.
    static MARKS: std::cell::RefCell<(Marks, Side)> = std::cell::RefCell::new((Marks {
        ascii: {
            let mut ascii = Box::new([0; TABLE]);
            for (i, bits) in ascii.iter_mut().enumerate().take(TRIGRAMS) {
                if COMMON_BITS[i / 64] & (1 << (i % 64)) != 0 {
                    *bits = COMMON_MARK;
                }
            }
            ascii
        },
        wide: FxMap::default(),
        clear: true,
    }, Side::default()));
}

impl Marks {
    /// Makes ready for a side, and `side` empty for it. Should reading the
    /// last one have been cut short (a panic caught further up), its marks
    /// are wiped first.
    fn start(&mut self, side: &mut Side) {
        if side.keys.capacity() + side.common.capacity() > KEPT_ROOM {
            // A long conversation had it grow: let it go rather than keep
            // it for the life of the thread.
            *side = Side::default();
        }
        side.kept = 0;
        side.messages.clear();
        if !self.clear {
            for bits in self.ascii.iter_mut() {
                *bits &= COMMON_MARK;
            }
            self.wide.clear();
        }
        self.clear = false;
    }

    #[inline]
    fn of(&self, key: u32) -> u32 {
        match self.ascii.get(key as usize) {
            Some(bits) => *bits,
            None => self.wide.get(&key).copied().unwrap_or(0),
        }
    }

    /// Marks the trigram with the [`index`] `i` as in the message in
    /// `slot`: its marks before.
    #[inline]
    fn mark_ascii(&mut self, i: usize, slot: usize) -> u32 {
        let bits = &mut self.ascii[i];
        let before = *bits;
        *bits |= 1 << slot;
        before
    }

    /// Marks a [`wide_key`] as in the message in `slot`: its marks before.
    fn mark_wide(&mut self, key: u32, slot: usize) -> u32 {
        let bits = self.wide.entry(key).or_default();
        let before = *bits;
        *bits |= 1 << slot;
        before
    }

    fn unmark(&mut self, keys: &[u32], slot: usize) {
        for &key in keys {
            match self.ascii.get_mut(key as usize) {
                Some(bits) => *bits &= !(1 << slot),
                None => {
                    if let Some(bits) = self.wide.get_mut(&key) {
                        *bits &= !(1 << slot);
                    }
                }
            }
        }
    }

    fn finish(&mut self, side: &Side) {
        for (k, message) in side.messages.iter().enumerate().rev().take(SLOTS) {
            self.unmark(&side.keys[message.keys.clone()], k % SLOTS);
        }
        self.wide.clear();
        self.clear = true;
    }
}

/// How many trigrams' room [`Side`] keeps from one side to the next (1 MB);
/// a side of a long conversation may take more, given back afterwards.
const KEPT_ROOM: usize = 1 << 18;

/// A message of a side, as far as it is compared.
struct Message {
    words: usize,
    /// Where its trigrams are among the side's ([`Side::keys`]), each once,
    /// the rare before the common; none for a message too short to count.
    keys: std::ops::Range<usize>,
}

/// The messages of a side read so far, their trigrams side by side.
///
/// The two lists of trigrams are room as much as contents: only the start
/// of each is in use, and the rest, kept from one message and one side to
/// the next, is written over, so that no message pays to clear room for
/// its trigrams.
#[derive(Default)]
struct Side {
    /// The trigrams of the side's messages in `keys[..kept]`.
    keys: Vec<u32>,
    kept: usize,
    messages: Vec<Message>,
    /// The common trigrams of the message being read, put after its rare.
    common: Vec<u32>,
}

impl Side {
    /// Makes `list` at least `len` long, growing it by at least half.
    fn room(list: &mut Vec<u32>, len: usize) {
        if list.len() < len {
            list.resize(len.max(list.len() + list.len() / 2), 0);
        }
    }

    /// Puts the first `common` trigrams of [`Side::common`] after the rare
    /// ones of the message being read, which end at `rare`: the end of what
    /// is kept.
    fn settle(&mut self, rare: usize, common: usize) {
        Side::room(&mut self.keys, rare + common);
        self.keys[rare..rare + common].copy_from_slice(&self.common[..common]);
        self.kept = rare + common;
    }
}

/// A normalised text streaming by, one character at a time (for text that
/// is not all ASCII): its last two characters, its length, and its spaces;
/// each trigram is marked in the message's slot and, met for the first
/// time, kept, the rare ones from [`Side::kept`] on and the common ones in
/// [`Side::common`].
struct Stream<'s> {
    last: [char; 2],
    length: usize,
    spaces: usize,
    slot: usize,
    rare: usize,
    common: usize,
    marks: &'s mut Marks,
    side: &'s mut Side,
}

impl Stream<'_> {
    fn push(&mut self, c: char) {
        self.length += 1;
        if c == ' ' {
            self.spaces += 1;
        }
        if self.length > 2 {
            let [a, b] = self.last;
            if a.is_ascii() && b.is_ascii() && c.is_ascii() {
                let i = index(a as u8, b as u8, c as u8);
                let before = self.marks.mark_ascii(i, self.slot);
                if before & (1 << self.slot) == 0 {
                    self.keep(i as u32, before & COMMON_MARK != 0);
                }
            } else {
                let key = wide_key(a, b, c);
                if self.marks.mark_wide(key, self.slot) & (1 << self.slot) == 0 {
                    self.keep(key, false);
                }
            }
        }
        self.last = [self.last[1], c];
    }

    fn keep(&mut self, key: u32, common: bool) {
        let (list, at) = if common {
            (&mut self.side.common, &mut self.common)
        } else {
            (&mut self.side.keys, &mut self.rare)
        };
        Side::room(list, *at + 1);
        list[*at] = key;
        *at += 1;
    }

    fn after_space(&self) -> bool {
        self.last[1] == ' '
    }
}

/// The trigrams of an ASCII message, read byte by byte, with a space
/// before and after it: each is marked in `slot` and, met for the first
/// time, kept, the rare ones after what `side` keeps and then the common
/// ones. Its number of words.
///
/// Each trigram is written to both ends of the room for the message's
/// trigrams, and the end it belongs to (if new) grows over it: the rare
/// ones from the start, the common ones from the end. No branch hangs on
/// what the marks say, which no predictor could guess.
fn read_ascii(text: &[u8], slot: usize, marks: &mut [u32; TABLE], side: &mut Side) -> usize {
    let mut bytes = text.iter();
    // Nothing before the first letter or digit makes a trigram: the text
    // starts with one space, then it.
    let Some(first) = bytes
        .by_ref()
        .map(|&b| READ[usize::from(b)])
        .find(|&code| code != DROPPED && code != 0)
    else {
        return 0;
    };
    let slot = 1u32 << slot;
    // Room for a trigram from every byte and the space after the last.
    let from = side.kept;
    Side::room(&mut side.keys, from + text.len() + 1);
    let room = &mut side.keys[from..from + text.len() + 1];
    let (mut rare, mut common) = (0, room.len() - 1);
    let mut spaces = 0;
    // The code of the last character, and the index of the last two,
    // rolled on with each new one.
    let mut last = first;
    let mut pair = usize::from(first);
    for &byte in bytes {
        let code = READ[usize::from(byte)];
        // An apostrophe is dropped, and a run of other characters is one
        // space.
        if code == DROPPED || (code | last) == 0 {
            continue;
        }
        spaces += usize::from(code == 0);
        let i = (pair * 37 + usize::from(code)) & (TABLE - 1);
        let was = marks[i];
        marks[i] = was | slot;
        let new = usize::from(was & slot == 0);
        let is_common = (was / COMMON_MARK) as usize;
        room[rare] = i as u32;
        room[common] = i as u32;
        rare += new & (is_common ^ 1);
        common -= new & is_common;
        pair = usize::from(last) * 37 + usize::from(code);
        last = code;
    }
    if last != 0 {
        // The space after the text.
        spaces += 1;
        let i = (pair * 37) & (TABLE - 1);
        let was = marks[i];
        marks[i] = was | slot;
        if was & slot == 0 {
            if was & COMMON_MARK == 0 {
                room[rare] = i as u32;
                rare += 1;
            } else {
                room[common] = i as u32;
                common -= 1;
            }
        }
    }
    // The common ones, found from the end backwards, go after the rare in
    // the order they came.
    let common = common + 1..room.len();
    let n = common.len();
    room.copy_within(common, rare);
    room[rare..rare + n].reverse();
    side.kept = from + rare + n;
    spaces
}

/// Reads message `k` of a side: its trigrams are marked in its slot and
/// kept, the rare first, and its words counted. A message too short to
/// count keeps no trigrams and leaves no marks.
fn read(text: &str, k: usize, marks: &mut Marks, side: &mut Side) -> Message {
    let slot = k % SLOTS;
    if k >= SLOTS {
        let old = side.messages[k - SLOTS].keys.clone();
        marks.unmark(&side.keys[old], slot);
    }
    let from = side.kept;
    let words = if text.is_ascii() {
        read_ascii(text.as_bytes(), slot, &mut marks.ascii, side)
    } else {
        // Letters and digits in lower case, every other run of characters
        // one space, with a space at each end; trigrams taken as the text
        // streams by.
        let mut s = Stream {
            last: [' ', ' '],
            length: 0,
            spaces: 0,
            slot,
            rare: from,
            common: 0,
            marks,
            side,
        };
        s.push(' ');
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
        if !s.after_space() {
            s.push(' ');
        }
        let (words, rare, common) = (s.spaces - 1, s.rare, s.common);
        side.settle(rare, common);
        words
    };
    if words < MIN_WORDS {
        marks.unmark(&side.keys[from..side.kept], slot);
        side.kept = from;
    }
    Message {
        words,
        keys: from..side.kept,
    }
}

/// The text as [`read`] takes it: lower-case letters and digits, one space
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

/// How many trigrams two messages of at least [`MIN_WORDS`] words, with
/// `a` and `b` trigrams, must share to be the same; at most `a.min(b)`, or
/// they cannot be. Worked out in whole numbers: a Dice similarity
/// `2 * shared / (a + b)` of at least [`SAME`], or a share
/// `shared / a.min(b)` of at least [`CONTAINED`].
fn needed(a: usize, b: usize, later: &Message, earlier: &Message) -> Option<usize> {
    let shorter = if a <= b { later } else { earlier };
    let same = (SAME.0 * (a + b)).div_ceil(2 * SAME.1);
    let needed = if shorter.words >= CONTAINED_WORDS {
        same.min((CONTAINED.0 * a.min(b)).div_ceil(CONTAINED.1))
    } else {
        same
    };
    (needed <= a.min(b)).then_some(needed)
}

/// For each byte, eight counters of a byte each, one for each of its bits:
/// adding it to a word of counters counts one in each counter whose bit is
/// set.
const SPREAD: [u64; 256] = {
    let mut spread = [0u64; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut bit = 0;
        while bit < 8 {
            if byte & (1 << bit) != 0 {
                spread[byte] |= 1 << (8 * bit);
            }
            bit += 1;
        }
        byte += 1;
    }
    spread
};

/// Whether the message just read, the last of `side`, is the same as one
/// of the [`WINDOW`] before it. Each earlier message that could be is a
/// candidate; the trigrams of the new one are looked up in the marks, the
/// rare first, and a candidate is dropped as soon as the trigrams left
/// could not bring it to the count it needs.
fn same_as_earlier(side: &Side, marks: &Marks) -> bool {
    let k = side.messages.len() - 1;
    let later = &side.messages[k];
    let keys = &side.keys[later.keys.clone()];
    let a = keys.len();
    let mut candidates = 0u32;
    let mut need = [0usize; SLOTS];
    let mut first_check = a;
    for e in k.saturating_sub(WINDOW)..k {
        let earlier = &side.messages[e];
        let b = earlier.keys.len();
        if b == 0 {
            continue;
        }
        if let Some(n) = needed(a, b, later, earlier) {
            candidates |= 1 << (e % SLOTS);
            need[e % SLOTS] = n;
            first_check = first_check.min(a - n + 1);
        }
    }
    if candidates == 0 {
        return false;
    }
    // Each key counts for every candidate that has it at once: one byte
    // for each slot in `counting`, eight to a word, moved to `shared`
    // before a byte can overflow.
    let mut shared = [0usize; 32];
    let mut counting = [0u64; 4];
    let mut uncounted = 0;
    // The count in the byte of `slot`.
    let byte =
        |counting: &[u64; 4], slot: usize| (counting[slot / 8] >> (8 * (slot % 8)) & 0xFF) as usize;
    let so_far = |shared: &[usize; 32], counting: &[u64; 4], slot: usize| {
        shared[slot] + byte(counting, slot)
    };
    let (mut done, mut next_check) = (0, first_check);
    while done < a {
        let end = next_check
            .min(a)
            .min(done + usize::from(u8::MAX) - uncounted);
        for &key in &keys[done..end] {
            let bits = marks.of(key) & candidates;
            for (word, counters) in counting.iter_mut().enumerate() {
                *counters += SPREAD[(bits >> (8 * word) & 0xFF) as usize];
            }
        }
        uncounted += end - done;
        done = end;
        if uncounted == usize::from(u8::MAX) {
            for (slot, total) in shared.iter_mut().enumerate() {
                *total += byte(&counting, slot);
            }
            counting = [0; 4];
            uncounted = 0;
        }
        if done == next_check && done < a {
            let left = a - done;
            let mut c = candidates;
            while c != 0 {
                let slot = c.trailing_zeros() as usize;
                c &= c - 1;
                if so_far(&shared, &counting, slot) + left < need[slot] {
                    candidates &= !(1 << slot);
                }
            }
            if candidates == 0 {
                return false;
            }
            next_check = done + 4;
        }
    }
    let mut c = candidates;
    while c != 0 {
        let slot = c.trailing_zeros() as usize;
        c &= c - 1;
        if so_far(&shared, &counting, slot) >= need[slot] {
            return true;
        }
    }
    false
}

/// How many of `texts` (one side's messages, in order) repeat an earlier one.
pub fn count<'a>(texts: impl IntoIterator<Item = &'a str>) -> usize {
    let mut texts = texts.into_iter().peekable();
    let Some(first) = texts.next() else {
        return 0;
    };
    if texts.peek().is_none() {
        return 0;
    }
    MARKS.with_borrow_mut(|(marks, side)| {
        marks.start(side);
        let mut repeats = 0;
        for (k, text) in std::iter::once(first).chain(texts).enumerate() {
            let message = read(text, k, marks, side);
            let counts = message.words >= MIN_WORDS;
            side.messages.push(message);
            if counts
                && same_as_earlier(side, marks)
                && !(side.messages[k].words <= 12 && courtesy(&normalise(text)))
            {
                repeats += 1;
            }
        }
        marks.finish(side);
        repeats
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(later: &str, earlier: &str) -> bool {
        count([earlier, later]) == 1
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
        assert!(same(
            "¿Dónde está mi pedido número 1234?",
            "dónde está mi pedido número 1234"
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
        assert!(!same(
            "¿Dónde está mi pedido número 1234?",
            "¿Cuándo llega mi paquete azul?"
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

    /// `n` messages with nothing in common, from a simple generator.
    fn unrelated(n: usize) -> Vec<String> {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        (0..n)
            .map(|_| {
                (0..8)
                    .map(|_| {
                        (0..6)
                            .map(|_| char::from(b'a' + (next() % 26) as u8))
                            .collect()
                    })
                    .collect::<Vec<String>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn a_message_is_compared_with_the_twenty_before_it_and_no_further() {
        let mut texts = unrelated(40);
        texts[25] = texts[5].to_uppercase();
        assert_eq!(count(texts.iter().map(String::as_str)), 1, "20 back");
        texts[26] = texts[5].clone();
        assert_eq!(
            count(texts.iter().map(String::as_str)),
            2,
            "21 back, but 1 from 25"
        );
        let mut texts = unrelated(40);
        texts[26] = texts[5].clone();
        assert_eq!(count(texts.iter().map(String::as_str)), 0, "21 back");
        // Message 70 takes the slot of message 39 (31 back), whose marks
        // are wiped first: were they not, message 70 (the same text) would
        // find its trigrams taken and keep none, and message 71 would not
        // be found to repeat it.
        let mut texts = unrelated(80);
        texts[70] = texts[39].clone();
        texts[71] = texts[39].clone();
        assert_eq!(SLOTS, 31);
        assert_eq!(count(texts.iter().map(String::as_str)), 1);
    }

    #[test]
    fn a_side_cut_short_leaves_no_marks_for_the_next() {
        let texts = unrelated(3);
        MARKS.with_borrow_mut(|(marks, side)| {
            marks.start(side);
            read(&texts[0], 1, marks, side);
            // No finish: as if reading had panicked here.
        });
        assert_eq!(count([texts[0].as_str(), texts[0].as_str()]), 1);
        MARKS.with_borrow(|(marks, _)| {
            assert!(marks.clear && marks.wide.is_empty());
            assert!(marks.ascii.iter().all(|bits| bits & !COMMON_MARK == 0));
        });
    }

    #[test]
    fn a_long_side_gives_back_its_room() {
        let long = "abc def ghi ".repeat(30_000);
        assert_eq!(count([long.as_str(), long.as_str()]), 1);
        let room = || MARKS.with_borrow(|(_, side)| side.keys.capacity() + side.common.capacity());
        assert!(room() > KEPT_ROOM);
        assert_eq!(count(["one two three", "one two three"]), 1);
        assert!(room() <= KEPT_ROOM);
    }

    /// The measure as the module describes it, the slow way: each
    /// message's set of trigrams, compared with each earlier one in the
    /// window.
    fn count_plainly(texts: &[String]) -> usize {
        use std::collections::HashSet;
        let read: Vec<(usize, HashSet<Vec<char>>)> = texts
            .iter()
            .map(|text| {
                let normal = normalise(text);
                let chars: Vec<char> = normal.chars().collect();
                let words = normal.split(' ').filter(|w| !w.is_empty()).count();
                (words, chars.windows(3).map(<[char]>::to_vec).collect())
            })
            .collect();
        (0..texts.len())
            .filter(|&k| {
                let (words, set) = &read[k];
                *words >= MIN_WORDS
                    && !(*words <= 12 && courtesy(&normalise(&texts[k])))
                    && (k.saturating_sub(WINDOW)..k).any(|e| {
                        let (earlier_words, earlier) = &read[e];
                        let shared = set.intersection(earlier).count();
                        let (a, b) = (set.len(), earlier.len());
                        let shorter_words = if a <= b { *words } else { *earlier_words };
                        *earlier_words >= MIN_WORDS
                            && (2 * shared * SAME.1 >= SAME.0 * (a + b)
                                || (shorter_words >= CONTAINED_WORDS
                                    && shared * CONTAINED.1 >= CONTAINED.0 * a.min(b)))
                    })
            })
            .count()
    }

    #[test]
    fn counting_agrees_with_the_measure_as_described() {
        // Sides of messages from a small vocabulary (with accents,
        // apostrophes and runs of punctuation), many of them an earlier one
        // edited: some a word or two, some nearly all. Long messages have
        // hundreds of trigrams, past the 255 counted at a time.
        let vocabulary = [
            "order", "refund", "where", "is", "my", "the", "cancel", "plan", "don't", "ok",
            "thanks", "pedido", "número", "dónde", "Straße", "42", "#1234", "...", "?!", "I'm",
        ];
        let mut seed = 11u64;
        let mut next = move |below: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % below
        };
        let mut repeats = 0;
        for _ in 0..80 {
            let mut side: Vec<String> = Vec::new();
            for _ in 0..(2 + next(40)) {
                let text = if !side.is_empty() && next(2) == 0 {
                    let base = &side[side.len() - 1 - next(side.len().min(25))];
                    let mut words: Vec<String> = base.split(' ').map(str::to_string).collect();
                    for _ in 0..next(1 + words.len() / 4) {
                        let at = next(words.len());
                        match next(3) {
                            0 => words[at] = vocabulary[next(vocabulary.len())].to_uppercase(),
                            1 => words.insert(at, format!("w{}", next(500))),
                            _ => {
                                words.remove(at);
                            }
                        }
                        if words.is_empty() {
                            break;
                        }
                    }
                    words.join(" ")
                } else {
                    let length = if next(5) == 0 {
                        60 + next(200)
                    } else {
                        next(15)
                    };
                    (0..length)
                        .map(|_| match next(3) {
                            0 => format!("w{}", next(500)),
                            _ => vocabulary[next(vocabulary.len())].to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                side.push(text);
            }
            let counted = count(side.iter().map(String::as_str));
            assert_eq!(counted, count_plainly(&side), "{side:#?}");
            repeats += counted;
        }
        // The sides hold repeats to find, and messages that are not.
        assert!(repeats > 100, "{repeats}");
    }

    #[test]
    fn the_thresholds_are_the_fewest_shared_trigrams_that_pass() {
        for a in 1..300 {
            for b in 1..300 {
                let (x, y) = (
                    Message {
                        words: 3,
                        keys: 0..a,
                    },
                    Message {
                        words: 9,
                        keys: 0..b,
                    },
                );
                // As the measure is described: Dice 0.8, contained 0.9.
                let total = (a + b) as f64;
                let passes = |s: usize| {
                    let shorter = if a <= b { &x } else { &y };
                    2.0 * s as f64 / total >= 0.8
                        || (shorter.words >= CONTAINED_WORDS && s as f64 / a.min(b) as f64 >= 0.9)
                };
                let fewest = (0..=a.min(b)).find(|&s| passes(s));
                assert_eq!(needed(a, b, &x, &y), fewest, "{a} {b}");
            }
        }
    }
}
