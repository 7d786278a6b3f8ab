//! The one did-you-mean helper every diagnostic uses.

/// The candidate closest to `word`, if one is close enough to be a likely typo.
///
/// Close enough means at most one edit for short words and about one edit in
/// three for longer ones (Damerau-Levenshtein, so a swapped pair of letters is
/// one edit). Case differences alone always count as close.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(distance, _)| *distance <= limit)
        // The closest; of those as close, the first in byte order, so that
        // the answer does not hang on the order candidates come in.
        .min()
        .map(|(_, c)| c)
}

/// "did you mean `billing`?" for the closest candidate, if any.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    suggest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn of_candidates_as_close_the_first_in_byte_order_is_given_whatever_their_order() {
        assert_eq!(suggest("tier", ["tier2", "tier1"]), Some("tier1"));
        assert_eq!(suggest("tier", ["tier1", "tier2"]), Some("tier1"));
    }

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let queues = ["billing", "security", "tier2"];
        assert_eq!(suggest("biling", queues), Some("billing"));
        assert_eq!(suggest("secuirty", queues), Some("security"));
        assert_eq!(suggest("Tier2", queues), Some("tier2"));
        assert_eq!(suggest("legal", queues), None);
        assert_eq!(
            suggest("billing", queues),
            None,
            "the word itself is no suggestion"
        );
    }

    #[test]
    fn picks_the_closest_of_several() {
        assert_eq!(suggest("turn", ["turns", "ai_turns"]), Some("turns"));
    }
}
