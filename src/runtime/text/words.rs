//! Words as the detectors read them: lower case, apostrophes kept inside
//! words (`don't`), everything else a separator; sentences split at `.`,
//! `!`, `?`, `;` and line breaks.

/// The sentences of a text, each as its lower-case words.
pub fn sentences(text: &str) -> Vec<Vec<String>> {
    text.split(['.', '!', '?', ';', '\n'])
        .map(words)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The lower-case words of a text.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '’') && !word.is_empty() {
            word.push('\'');
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word).trim_end_matches('\'').to_string());
        }
    }
    if !word.is_empty() {
        out.push(word.trim_end_matches('\'').to_string());
    }
    out
}

/// A text in lower case, with curly apostrophes made straight, so its words
/// can be taken as slices with [`split`].
pub fn lower(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '’' { '\'' } else { c })
        .collect()
}

/// The words of a lower-cased text, as slices of it: letters and digits,
/// with apostrophes kept inside words.
pub fn split(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether any lower-case word of `text` passes `test`, reading the text
/// once into one reused buffer.
pub fn any_word(text: &str, mut test: impl FnMut(&str) -> bool) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_apostrophes_and_drop_punctuation() {
        assert_eq!(
            words("I DON’T want an 'agent', ok?"),
            ["i", "don't", "want", "an", "agent", "ok"]
        );
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
