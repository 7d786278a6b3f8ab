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
pub struct Shape {
    words: usize,
    courtesy: bool,
    trigrams: Vec<u32>,
}

/// Phrases that make a message of a dozen words or fewer a courtesy, each
/// with a space at both ends, as they appear in a normalised text.
const COURTESIES: &[&str] = &[
    " anything else ",
    " goodbye ",
    " bye ",
    " thank you ",
    " thanks ",
    " welcome ",
    " great job ",
    " well done ",
    " nice day ",
    " good day ",
    " great day ",
    " enjoy ",
    " correct ",
    " continue playing ",
];

/// The comparable shape of a message's text.
pub fn shape(text: &str) -> Shape {
    // Letters and digits in lower case, every other run of characters one
    // space, with a space at each end; trigrams hashed as the text streams by.
    let mut normal = String::with_capacity(text.len() + 2);
    let mut trigrams: Vec<u32> = Vec::with_capacity(text.len());
    let mut last = [' ', ' '];
    let mut push = |c: char, normal: &mut String| {
        normal.push(c);
        if normal.len() > 2 {
            let h = [last[0], last[1], c].iter().fold(0x811c_9dc5u32, |h, c| {
                (h ^ u32::from(*c)).wrapping_mul(0x0100_0193)
            });
            trigrams.push(h);
        }
        last = [last[1], c];
    };
    push(' ', &mut normal);
    for c in text.chars() {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                push(l, &mut normal);
            }
        } else if c != '\'' && c != '’' && !normal.ends_with(' ') {
            push(' ', &mut normal);
        }
    }
    if !normal.ends_with(' ') {
        push(' ', &mut normal);
    }
    let words = normal.matches(' ').count() - 1;
    let courtesy = words <= 12 && COURTESIES.iter().any(|c| normal.contains(c));
    trigrams.sort_unstable();
    trigrams.dedup();
    Shape {
        words,
        courtesy,
        trigrams,
    }
}

/// Whether `later` says again what `earlier` said.
pub fn repeats(later: &Shape, earlier: &Shape) -> bool {
    if later.words < MIN_WORDS || earlier.words < MIN_WORDS || later.courtesy {
        return false;
    }
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
