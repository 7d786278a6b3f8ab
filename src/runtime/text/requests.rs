//! Requests for a person: "can I talk to someone", "I want a human", "get
//! me a supervisor", "customer service", "call me back", including typos
//! and colloquial forms. Not requests: negated wishes ("I don't need an
//! agent") and mentions that ask for nothing ("human resources", "your
//! agent said yesterday", "are you a human?").
//!
//! Each sentence's words are sorted into a few classes (a way to contact
//! someone, a way to be routed, a wish, a person, customer service, a
//! negation), then a handful of rules read them in order; see
//! [`asks_for_person`]. The figures on real text are in `docs/signals.md`.

use super::words::{Sieve, sentences, words};

/// The class of a word that matters for a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// talk, speak, chat, contact, reach, call, phone, touch (get in touch).
    Contact,
    /// transfer, connect, put, forward, direct: a person only with "me"/"us".
    Route,
    /// escalate, escalation.
    Escalate,
    /// want, need, would like, get me, give me, ask for.
    Wish,
    /// human, person, agent, representative, supervisor, manager, ...
    Person,
    /// someone, somebody, anyone, assistant: a person only with a verb.
    Somebody,
    /// customer (service, support, care), helpdesk, hotline.
    Service,
    /// don't, never, not, no, without.
    Negation,
}

const WORDS: &[(&str, Class)] = {
    use Class::*;
    &[
        ("talk", Contact),
        ("talking", Contact),
        ("talks", Contact),
        ("speak", Contact),
        ("speaking", Contact),
        ("speaks", Contact),
        ("chat", Contact),
        ("chatting", Contact),
        ("contact", Contact),
        ("contacting", Contact),
        ("reach", Contact),
        ("reaching", Contact),
        ("call", Contact),
        ("calling", Contact),
        ("phone", Contact),
        ("ring", Contact),
        ("touch", Contact),
        ("transfer", Route),
        ("transferring", Route),
        ("transferred", Route),
        ("connect", Route),
        ("connecting", Route),
        ("connected", Route),
        ("put", Route),
        ("forward", Route),
        ("redirect", Route),
        ("direct", Route),
        ("pass", Route),
        ("escalate", Escalate),
        ("escalation", Escalate),
        ("escalating", Escalate),
        ("escalated", Escalate),
        ("want", Wish),
        ("wanted", Wish),
        ("wanna", Wish),
        ("need", Wish),
        ("needed", Wish),
        ("like", Wish),
        ("prefer", Wish),
        ("request", Wish),
        ("requesting", Wish),
        ("demand", Wish),
        ("ask", Wish),
        ("asking", Wish),
        ("get", Wish),
        ("give", Wish),
        ("have", Wish),
        ("require", Wish),
        ("wish", Wish),
        ("human", Person),
        ("humans", Person),
        ("person", Person),
        ("agent", Person),
        ("agents", Person),
        ("representative", Person),
        ("representatives", Person),
        ("rep", Person),
        ("reps", Person),
        ("operator", Person),
        ("operators", Person),
        ("manager", Person),
        ("supervisor", Person),
        ("staff", Person),
        ("employee", Person),
        ("associate", Person),
        ("specialist", Person),
        ("someone", Somebody),
        ("somebody", Somebody),
        ("anyone", Somebody),
        ("anybody", Somebody),
        ("assistant", Somebody),
        ("people", Somebody),
        ("customerservice", Service),
        ("customersupport", Service),
        ("helpdesk", Service),
        ("hotline", Service),
        ("helpline", Service),
        ("don't", Negation),
        ("dont", Negation),
        ("doesn't", Negation),
        ("doesnt", Negation),
        ("didn't", Negation),
        ("didnt", Negation),
        ("won't", Negation),
        ("wont", Negation),
        ("never", Negation),
        ("not", Negation),
        ("no", Negation),
        ("without", Negation),
    ]
};

/// Words that follow `customer` to name customer service.
const SERVICE_NOUNS: &[&str] = &[
    "service",
    "services",
    "support",
    "care",
    "assistance",
    "team",
    "rep",
    "representative",
    "relations",
];

/// Words that may stand between a verb or wish and the person it is about:
/// "talk *to a real* person", "get me *a* supervisor", "one *of your* agents".
const BETWEEN: &[&str] = &[
    "to",
    "with",
    "a",
    "an",
    "the",
    "some",
    "one",
    "of",
    "your",
    "our",
    "real",
    "live",
    "actual",
    "human",
    "proper",
    "another",
    "other",
    "different",
    "me",
    "us",
    "please",
    "directly",
    "now",
    "right",
    "away",
    "else",
    "someone",
    "somebody",
    "on",
    "fucking",
    "fuckin",
    "bloody",
    "goddamn",
    "damn",
    "damned",
    "freaking",
    "frigging",
    "friggin",
    "effing",
    "stupid",
];

/// Whether a word may stand between a verb and its person: a small word, an
/// expletive, or "with" mistyped ("wth", "wiht").
fn small(word: &str) -> bool {
    BETWEEN.contains(&word) || (word.starts_with('w') && word.len() <= 4 && one_edit(word, "with"))
}

/// Words that make a bare mention of customer service a request: how to
/// reach it, when it is open, its number.
const SERVICE_CONTEXT: &[&str] = &[
    "how",
    "where",
    "what",
    "when",
    "hours",
    "time",
    "available",
    "number",
    "phone",
    "mail",
    "email",
    "e",
    "chat",
    "line",
    "open",
    "reach",
    "contact",
    "call",
    "talk",
    "speak",
    "need",
    "want",
    "help",
    "get",
    "touch",
];

/// Words after a person that show a report, not a request ("the agent said").
const REPORTING: &[&str] = &[
    "said",
    "told",
    "says",
    "tells",
    "mentioned",
    "promised",
    "gave",
    "sent",
    "emailed",
    "hung",
    "explained",
    "suggested",
    "assured",
    "confirmed",
    "offered",
    "was",
    "were",
    "did",
    "called",
    "wrote",
    "refused",
];

/// Past tenses that make "I called customer service" a report.
const PAST_CONTACT: &[&str] = &[
    "called",
    "contacted",
    "spoke",
    "talked",
    "emailed",
    "chatted",
    "phoned",
    "reached",
    "wrote",
];

/// People a short message may name alone and mean a request: "agent", "human please".
const ALONE: &[&str] = &[
    "human",
    "agent",
    "person",
    "representative",
    "rep",
    "operator",
    "supervisor",
    "manager",
];

static CLASSES: std::sync::LazyLock<super::words::WordMap<&'static str, Class>> =
    std::sync::LazyLock::new(|| WORDS.iter().copied().collect());

fn class(word: &str) -> Option<Class> {
    CLASSES.get(word).copied()
}

/// The class of a word, forgiving one typo ("somneone", "eprson",
/// "conttact", "taok"): one edit (two in words of nine letters or more),
/// lengths differing by at most one, starting with the same letter or with
/// the first two swapped. Wishes and negations are short and common, so
/// only exact; so is "staff" (it is one letter from "stuff").
fn class_fuzzy(word: &str) -> Option<Class> {
    if let Some(c) = class(word) {
        return Some(c);
    }
    let len = word.chars().count();
    if len < 4 || word.contains('\'') || word.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut chars = word.chars();
    let (Some(a), Some(b)) = (chars.next(), chars.next()) else {
        return None;
    };
    let index = &*FUZZY;
    // The first in the list that is close enough, of those starting with
    // the same letter and of those whose first two letters are swapped.
    let close = |candidates: Option<&Vec<usize>>| {
        candidates?.iter().copied().find(|&i| {
            let f = &index.words[i];
            f.len.abs_diff(len) <= 1
                && if f.len >= 9 && len >= 9 {
                    two_edits(f.word, word)
                } else {
                    one_edit(f.word, word)
                }
        })
    };
    let same_start = close(index.by_first.get(&a));
    let swapped = close(index.by_swapped.get(&(a, b)));
    let first = match (same_start, swapped) {
        (Some(x), Some(y)) => x.min(y),
        (x, y) => x.or(y)?,
    };
    Some(index.words[first].class)
}

/// A word a typo may be forgiven in, with what [`class_fuzzy`] compares
/// first worked out once.
struct Fuzzy {
    word: &'static str,
    class: Class,
    len: usize,
    start: (char, char),
}

/// The words of [`WORDS`] that [`class_fuzzy`] forgives typos in, in
/// order, and where to find them by how they start.
struct FuzzyIndex {
    words: Vec<Fuzzy>,
    /// By first letter.
    by_first: super::words::WordMap<char, Vec<usize>>,
    /// By second letter and first: where a word whose first two letters
    /// are these, swapped, is found.
    by_swapped: super::words::WordMap<(char, char), Vec<usize>>,
}

static FUZZY: std::sync::LazyLock<FuzzyIndex> = std::sync::LazyLock::new(|| {
    let words: Vec<Fuzzy> = WORDS
        .iter()
        .filter(|(w, c)| !matches!(c, Class::Wish | Class::Negation) && *w != "staff")
        .filter(|(w, _)| w.len() >= 4)
        .map(|&(word, class)| {
            let mut chars = word.chars();
            let first = chars.next().unwrap_or(' ');
            Fuzzy {
                word,
                class,
                len: word.len(),
                start: (first, chars.next().unwrap_or(' ')),
            }
        })
        .collect();
    let mut index = FuzzyIndex {
        words: Vec::new(),
        by_first: Default::default(),
        by_swapped: Default::default(),
    };
    for (i, f) in words.iter().enumerate() {
        index.by_first.entry(f.start.0).or_default().push(i);
        let (a, b) = f.start;
        index.by_swapped.entry((b, a)).or_default().push(i);
    }
    index.words = words;
    index
});

/// Whether a customer message asks for a person.
///
/// Within a sentence, a request is: a way to contact someone followed by a
/// person with only small words between ("talk to a real person", "get in
/// touch with customer support"); a person followed by a way to contact them
/// and a dangling `to` or `with` ("someone else I can speak to"); routing of
/// "me" to a person ("transfer me to a human"); a wish followed by a person
/// ("I want a human", "get me a supervisor", "I'd like an agent"); customer
/// service named with how to reach it ("what hours is customer support
/// available"); a call asked for ("can you call me back", "your phone
/// number"); or escalation ("can you escalate this"). A message of four
/// words or fewer naming a person is a request ("agent", "human please").
/// A negated wish ("I don't want to talk to anyone", "no need for an
/// agent"), a report ("the agent said", "I called customer service"),
/// "human resources", "travel agent", "in person", "AI assistant", or asking
/// whether the AI is a human is not.
pub fn asks_for_person(text: &str) -> bool {
    if !anchored(text) {
        return false;
    }
    // The sentences' words are the message's words: a sentence ends only
    // where a word does.
    let sentences = sentences(text);
    let mut all = sentences.iter().flatten();
    let short = sentences.iter().map(Vec::len).sum::<usize>() <= 4
        && !all.any(|w| w.chars().any(|c| c.is_ascii_digit()));
    sentences.iter().any(|s| sentence_asks(s, short))
}

/// Whether a text holds a word every request needs one of: a way to reach
/// or route to someone, a person, customer service (or "customer"
/// mistyped), a free or telephone number. Wishes and negations alone never
/// make a request, and they are common, so they do not count: most messages
/// are let go here at once.
fn anchored(text: &str) -> bool {
    let (sieve, anchors) = &*ANCHORS;
    super::words::any_word(text, |w| {
        (sieve.may_hold(w) && anchors.contains_key(w))
            || w.starts_with("cust")
            || w.starts_with("cutsom")
    })
}

/// The words [`anchored`] looks for, but for those it knows by their
/// start, with a sieve that lets most other words go without a look-up.
static ANCHORS: std::sync::LazyLock<(Sieve, super::words::WordMap<&'static str, ()>)> =
    std::sync::LazyLock::new(|| {
        let anchors: super::words::WordMap<&'static str, ()> = CLASSES
            .iter()
            .filter(|(_, c)| **c != Class::Wish && **c != Class::Negation)
            .map(|(w, _)| *w)
            .chain(SERVICE_NOUNS.iter().copied())
            .chain(["telephone", "free", "toll"])
            .map(|w| (w, ()))
            .collect();
        (Sieve::of(anchors.keys().copied()), anchors)
    });

/// The classes of a sentence's words, with customer service and the
/// exclusions worked out.
fn classes(s: &[String]) -> Vec<Option<Class>> {
    let mut out: Vec<Option<Class>> = s.iter().map(|w| class_fuzzy(w)).collect();
    for i in 0..s.len() {
        let next = s.get(i + 1).map(String::as_str);
        let prev = i.checked_sub(1).map(|p| s[p].as_str());
        if out[i].is_none()
            && fuzzy_eq(&s[i], "customer")
            && next.is_some_and(|n| SERVICE_NOUNS.iter().any(|x| fuzzy_eq(n, x)))
        {
            out[i] = Some(Class::Service);
        }
        if (s[i] == "help" && next == Some("desk"))
            || (s[i] == "call" && matches!(next, Some("center" | "centre")))
        {
            out[i] = Some(Class::Service);
        }
        if s[i] == "like" && !matches!(prev, Some("would" | "i'd" | "we'd" | "id" | "d")) {
            out[i] = None;
        }
        let person = matches!(
            out[i],
            Some(Class::Person | Class::Somebody | Class::Service)
        );
        let excluded = (s[i] == "human"
            && next.is_some_and(|n| {
                [
                    "resources",
                    "resource",
                    "error",
                    "rights",
                    "nature",
                    "race",
                    "trafficking",
                    "body",
                ]
                .contains(&n)
            }))
            || (s[i].starts_with("agent")
                && prev.is_some_and(|p| {
                    [
                        "travel",
                        "estate",
                        "insurance",
                        "secret",
                        "booking",
                        "ticket",
                        "user",
                        "shipping",
                        "customs",
                        "real",
                    ]
                    .contains(&p)
                }))
            || (s[i].starts_with("assistant")
                && prev.is_some_and(|p| {
                    ["ai", "bot", "virtual", "digital", "automated"].contains(&p)
                }))
            || (s[i] == "staff" && prev == Some("wait"))
            || (s[i] == "person" && prev == Some("in"))
            || (person && next.is_some_and(|n| REPORTING.contains(&n)))
            || (person
                && s[i.saturating_sub(3)..i]
                    .iter()
                    .any(|w| PAST_CONTACT.contains(&w.as_str())))
            || (person && is_about_the_ai(s, i))
            || (person && prev == Some("no"));
        if person && excluded {
            out[i] = None;
        }
    }
    out
}

fn fuzzy_eq(word: &str, target: &str) -> bool {
    word == target
        || (word.len() >= 5
            && word.len().abs_diff(target.len()) <= 1
            && word.chars().next() == target.chars().next()
            && one_edit(word, target))
}

/// Whether two words are at most one edit apart (a letter added, left out
/// or changed, or two neighbours swapped): a Damerau-Levenshtein distance
/// of at most 1, found without working out the distance.
fn one_edit(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return one_edit_in(a.as_bytes(), b.as_bytes());
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    one_edit_in(&a, &b)
}

/// Whether two words are at most two edits apart (Damerau-Levenshtein).
/// Words whose letters differ too much are told apart by counting them:
/// an edit changes the counts of at most two letters by one each, so two
/// edits change them by four at most.
fn two_edits(a: &str, b: &str) -> bool {
    // Letters counted in 64 groups: grouping can only make the counts
    // closer, never further apart than the words are.
    let mut counts = [0i32; 64];
    for c in a.chars() {
        counts[c as usize % 64] += 1;
    }
    for c in b.chars() {
        counts[c as usize % 64] -= 1;
    }
    counts.iter().map(|n| n.unsigned_abs()).sum::<u32>() <= 4
        && strsim::damerau_levenshtein(a, b) <= 2
}

fn one_edit_in<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    // What is left between the longest common start and, after it, the
    // longest common end must be one edit.
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - start;
    let end = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[start..a.len() - end], &b[start..b.len() - end]);
    match (a.len(), b.len()) {
        (0, 0) | (0, 1) | (1, 0) | (1, 1) => true,
        (2, 2) => a[0] == b[1] && a[1] == b[0],
        _ => false,
    }
}

/// "are you a human", "you're not a real person": about the AI, not a request.
fn is_about_the_ai(s: &[String], i: usize) -> bool {
    let before = &s[i.saturating_sub(4)..i];
    before.iter().any(|w| {
        matches!(
            w.as_str(),
            "you" | "you're" | "youre" | "u" | "ur" | "this" | "it" | "it's" | "its"
        )
    }) && before.iter().any(|w| {
        matches!(
            w.as_str(),
            "are" | "you're" | "youre" | "r" | "is" | "it's" | "its" | "be"
        )
    })
}

fn sentence_asks(s: &[String], short: bool) -> bool {
    let c = classes(s);
    let is = |i: usize, class: Class| c.get(i).copied().flatten() == Some(class);
    let person = |i: usize| {
        matches!(
            c.get(i).copied().flatten(),
            Some(Class::Person | Class::Service)
        )
    };
    let anybody = |i: usize| person(i) || is(i, Class::Somebody);
    let word = |i: usize| s.get(i).map_or("", String::as_str);
    // The first word after `i` that is not a small word, if it is a person.
    let reaches = |i: usize, target: &dyn Fn(usize) -> bool| {
        (i + 1..s.len())
            .find(|&k| !small(word(k)) || target(k))
            .is_some_and(target)
    };
    for i in 0..s.len() {
        let Some(class) = c[i] else { continue };
        if negated(s, &c, i) {
            continue;
        }
        let asked = match class {
            Class::Contact => reaches(i, &anybody) || phone_request(s, i),
            Class::Route => {
                let routed = matches!(word(i + 1), "me" | "us")
                    || matches!((word(i + 1), word(i + 2)), ("to", "me" | "us"))
                    || (word(i) == "transferred"
                        && i > 0
                        && matches!(word(i - 1), "be" | "being" | "get" | "getting"));
                routed
                    && (reaches(i, &anybody)
                        || (i + 2 >= s.len() && !matches!(word(i), "put" | "pass")))
            }
            // "it was escalated" reports; "I want this escalated" asks.
            Class::Escalate => {
                !(word(i) == "escalated"
                    && i > 0
                    && matches!(
                        word(i - 1),
                        "was" | "been" | "is" | "has" | "had" | "got" | "already"
                    ))
            }
            Class::Wish => reaches(i, &person),
            Class::Service => short || s.iter().any(|w| SERVICE_CONTEXT.contains(&w.as_str())),
            Class::Person | Class::Somebody => {
                let dangling = (i + 1..=(i + 5).min(s.len() - 1)).any(|k| {
                    is(k, Class::Contact)
                        && (k + 1 == s.len() || matches!(word(k + 1), "to" | "with"))
                });
                dangling || (short && ALONE.contains(&word(i)))
            }
            Class::Negation => false,
        };
        if asked {
            return true;
        }
    }
    number_asked(s)
}

/// "can you call me", "call me back", "give me a call".
fn phone_request(s: &[String], i: usize) -> bool {
    let word = |k: usize| s.get(k).map_or("", String::as_str);
    if !matches!(word(i), "call" | "phone" | "ring") {
        return false;
    }
    let asked = i >= 1
        && matches!(word(i - 1), "please" | "pls" | "you")
        && (word(i - 1) != "you"
            || (i >= 2 && matches!(word(i - 2), "can" | "could" | "would" | "will")));
    let me = matches!(word(i + 1), "me" | "us");
    let when = matches!(
        word(i + 2),
        "back" | "asap" | "now" | "please" | "today" | "tomorrow" | "at" | "on"
    );
    let given =
        i >= 2 && word(i - 1) == "a" && word(i - 2) == "me" && i >= 3 && word(i - 3) == "give";
    (me && (asked || when) && !matches!(word(i + 2), "a" | "an")) || given
}

/// "your phone number", "a free number to call", "number to call".
fn number_asked(s: &[String]) -> bool {
    let mine = s.iter().any(|w| w == "my");
    s.windows(3).any(|w| {
        let (a, b, c) = (w[0].as_str(), w[1].as_str(), w[2].as_str());
        (matches!(a, "your" | "a" | "the" | "support" | "service")
            && matches!(b, "phone" | "telephone")
            && matches!(c, "number" | "no"))
            || (matches!(a, "free" | "toll") && matches!(b, "number" | "free" | "phone") && !mine)
            || (a == "number"
                && b == "to"
                && matches!(c, "call" | "contact" | "reach" | "phone" | "ring")
                && !mine)
    })
}

/// Whether a negation governs the word at `i`: within the three words before
/// it, a negation followed by a wish or a way to contact ("don't want",
/// "do not need", "never talk", "without talking", "no need").
fn negated(s: &[String], c: &[Option<Class>], i: usize) -> bool {
    (i.saturating_sub(3)..i).any(|k| {
        if c[k] != Some(Class::Negation) {
            return false;
        }
        let next = (k + 1..=i).find(|&n| {
            !matches!(
                s[n].as_str(),
                "really" | "even" | "actually" | "ever" | "to" | "a" | "an"
            )
        });
        next.is_some_and(|n| {
            n == i
                || matches!(
                    c[n],
                    Some(Class::Wish | Class::Contact | Class::Route | Class::Escalate)
                )
        })
    })
}

/// Whether an AI message offers the customer a person: it speaks of
/// routing them to a person ("transfer you to a human agent") and asks or
/// offers ("Would you like me to do that?", "I can transfer you").
pub fn offers_person(text: &str) -> bool {
    // Most AI messages name no way to reach anyone: let them go at once.
    let routes = |w: &str| {
        matches!(
            class(w),
            Some(Class::Route | Class::Contact | Class::Escalate)
        )
    };
    if !super::words::any_word(text, routes) {
        return false;
    }
    let mut to_person = false;
    let mut offer = false;
    for sentence in text.split_inclusive(['.', '!', '?', '\n']) {
        let s = words(sentence);
        let c: Vec<Option<Class>> = s.iter().map(|w| class(w)).collect();
        let routes = c
            .iter()
            .any(|c| matches!(c, Some(Class::Route | Class::Contact | Class::Escalate)));
        let target = c
            .iter()
            .any(|c| matches!(c, Some(Class::Person | Class::Service | Class::Somebody)));
        to_person |= routes && target;
        offer |= sentence.trim_end().ends_with('?')
            || s.windows(2).any(|w| {
                matches!(
                    (w[0].as_str(), w[1].as_str()),
                    ("i", "can") | ("if", "you'd") | ("like", "me") | ("let", "me")
                )
            });
    }
    to_person && offer
}

/// Whether a customer message says yes ("Yes, please", "Sure", "Go ahead").
pub fn accepts(text: &str) -> bool {
    // Only the first two words are read, in lower case, without copying.
    let (mut yes, mut first) = (false, None);
    super::words::any_word(&text[..text.floor_char_boundary(40)], |w| {
        let Some(first) = first else {
            yes = matches!(
                w,
                "yes"
                    | "yeah"
                    | "yep"
                    | "yup"
                    | "sure"
                    | "ok"
                    | "okay"
                    | "please"
                    | "absolutely"
                    | "definitely"
                    | "certainly"
                    | "alright"
                    | "y"
                    | "ya"
            );
            // A first word that starts a two-word yes waits for the second.
            first = ["go", "that", "that'd", "i'd", "i", "please"]
                .into_iter()
                .find(|f| *f == w);
            return yes || first.is_none();
        };
        yes = matches!(
            (first, w),
            ("go", "ahead")
                | ("that", "would")
                | ("that'd", "be")
                | ("i'd", "appreciate")
                | ("i", "would")
                | ("please", "do")
        );
        true
    });
    yes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_recognised_in_their_many_forms() {
        for text in [
            "Can I talk to someone?",
            "I want a human",
            "get me a supervisor now",
            "i have got to speak with a eprson",
            "I'm trying to talk to somone",
            "how do i conttact customer service",
            "agent",
            "Human please!",
            "Please transfer me to a human agent.",
            "Is there someone else I can speak to who can help?",
            "Could you connect me with a real person",
            "Can you call me back?",
            "What is your phone number?",
            "Can you escalate this?",
            "I would like to speak to a manager",
            "I don't know how I can talk to a person",
            "i cannot chat with someone",
        ] {
            assert!(asks_for_person(text), "{text}");
        }
    }

    #[test]
    fn mentions_and_negations_are_not_requests() {
        for text in [
            "I don't need an agent",
            "No need to transfer me, thanks",
            "I do not want to talk to anyone",
            "Please send it to human resources",
            "Your agent said yesterday it would arrive",
            "I called customer service last week and they said to wait",
            "Are you a human?",
            "My travel agent booked it",
            "Someone took $500 from my account",
            "I want to transfer $500 to my savings",
            "Can you call me a cab?",
            "I need a ride for 4 people",
            "Where is my order?",
            "My phone number changed",
        ] {
            assert!(!asks_for_person(text), "{text}");
        }
    }

    #[test]
    fn one_edit_agrees_with_the_edit_distance() {
        let words = [
            "", "a", "ab", "ba", "abc", "acb", "bac", "abcd", "abdc", "person", "eprson", "persno",
            "preson", "persn", "persons", "perrson", "pezson", "agent", "agnet", "aagent", "human",
            "humna", "hunam", "with", "wiht", "whit", "wit", "withh", "abab", "baba", "aab", "aba",
            "ça", "çà", "aç", "ça va", "café", "cafe",
        ];
        agrees_with_the_edit_distance(&words, 1, one_edit);
    }

    /// `check` says of every pair of `words` whether their
    /// Damerau-Levenshtein distance is at most `most`, as `strsim` works it
    /// out.
    fn agrees_with_the_edit_distance(words: &[&str], most: usize, check: fn(&str, &str) -> bool) {
        for a in words {
            for b in words {
                let expected = strsim::damerau_levenshtein(a, b) <= most;
                assert_eq!(check(a, b), expected, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn two_edits_agrees_with_the_edit_distance() {
        let words = [
            "representative",
            "representatives",
            "reprsentative",
            "repersentative",
            "representive",
            "representation",
            "transferring",
            "transaction",
            "transfering",
            "trasnferring",
            "escalation",
            "escalating",
            "ecsalation",
            "specialist",
            "specialists",
            "speciality",
            "supervisor",
            "superviser",
            "spuervisor",
            "customerservice",
            "customerservise",
            "cutsomerservice",
            "représentant",
            "representánt",
            "abcdefghi",
            "ihgfedcba",
            "",
        ];
        agrees_with_the_edit_distance(&words, 2, two_edits);
    }

    #[test]
    fn a_yes_to_an_offered_person_is_told_apart() {
        assert!(offers_person(
            "I can't change that. Would you like me to transfer you to a human agent?"
        ));
        assert!(!offers_person(
            "Would you like me to cancel the reservation?"
        ));
        assert!(accepts("Yes, please."));
        assert!(accepts("Go ahead"));
        assert!(!accepts("No thanks"));
        for text in [
            "OK",
            "That would be great",
            "I would, thanks",
            "I'd appreciate it",
        ] {
            assert!(accepts(text), "{text}");
        }
        for text in [
            "I",
            "go away",
            "Yesterday it broke",
            "That is wrong",
            "",
            "?!",
        ] {
            assert!(!accepts(text), "{text}");
        }
    }
}
