//! Character-level helpers the parser driver needs before and around pest:
//! skipping comments, finding where items start (to recover after an error),
//! spotting brackets nested too deeply (before they can exhaust the stack),
//! and naming the token at a position for error messages.

/// The offset of the first character at or after `pos` that is not white
/// space, a byte-order mark or part of a comment.
pub fn skip_trivia(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        match bytes[pos] {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' => pos = line_end(text, pos),
            _ if text[pos..].starts_with('\u{FEFF}') => pos += '\u{FEFF}'.len_utf8(),
            _ => break,
        }
    }
    pos
}

/// Moves `end` back over the white space and comments that end the text
/// `start..end`, so a span stops at its last real character.
pub fn trim_trivia_end(text: &str, start: usize, mut end: usize) -> usize {
    loop {
        let trimmed =
            text[start..end].trim_end_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
        end = start + trimmed.len();
        let line = line_start(text, end);
        let last_line = &text[line..end];
        if !last_line.contains('#') {
            return end;
        }
        match comment_start(last_line) {
            Some(at) if line + at >= start => end = line + at,
            _ => return end,
        }
    }
}

/// Where every comment of a text starts: the first `#` outside quoted text
/// on each line that has one, in order.
pub fn comment_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut line = 0;
    for part in text.split_inclusive('\n') {
        if part.contains('#')
            && let Some(at) = comment_start(part)
        {
            out.push(line + at);
        }
        line += part.len();
    }
    out
}

/// [`trim_trivia_end`] with the file's comments found beforehand by
/// [`comment_starts`]: the same answer without reading the span's line
/// again for every node.
pub fn trim_trivia_end_with(text: &str, comments: &[usize], start: usize, mut end: usize) -> usize {
    loop {
        let trimmed =
            text[start..end].trim_end_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
        end = start + trimmed.len();
        // The last comment starting before the end, if it is on the end's
        // line and inside the span, is trivia to trim.
        let before = comments.partition_point(|&c| c < end);
        match before.checked_sub(1).map(|i| comments[i]) {
            Some(c) if c >= start && !text[c..end].contains('\n') => end = c,
            _ => return end,
        }
    }
}

/// Where a comment starts on a line, if it has one outside quoted text.
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if may_open_quote(b)
            && let Some(end) = quoted_end(line, at)
        {
            at = end;
            continue;
        }
        if b == b'#' {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// Whether the byte may start a quote that opens text: `"`, `'`, or the
/// first byte of a curly quote or `«`. Never inside a character, so the
/// scans can go byte by byte.
fn may_open_quote(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | 0xc2 | 0xe2)
}

/// Quotes the grammar reads as opening text: the straight double quote,
/// and the curly and single quotes it accepts in order to report them.
const CURLY_OPEN: [char; 7] = ['“', '”', '„', '‘', '’', '\'', '«'];

/// Quotes that close text opened by a [`CURLY_OPEN`] quote.
const CURLY_CLOSE: [char; 7] = ['“', '”', '‘', '’', '\'', '»', '"'];

/// Where the quoted text that opens at `at` ends, as the grammar reads it:
/// past its closing quote, or at the end of its line (text never runs
/// over a line). `None` when no quote opens there.
fn quoted_end(text: &str, at: usize) -> Option<usize> {
    quoted(text, at).map(|(end, _)| end)
}

/// Where the text in straight quotes that opens at `at` ends, just past
/// its closing quote, if it is closed on its line.
pub fn closed_text_end(text: &str, at: usize) -> Option<usize> {
    match quoted(text, at)? {
        (end, true) if text[at..].starts_with('"') => Some(end),
        _ => None,
    }
}

/// [`quoted_end`], and whether a closing quote ends the text.
fn quoted(text: &str, at: usize) -> Option<(usize, bool)> {
    let rest = &text[at..];
    let open = rest.chars().next()?;
    if open == '"' {
        let bytes = rest.as_bytes();
        let mut i = 1;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' => return Some((at + i + 1, true)),
                b'\n' => return Some((at + i, false)),
                b'\\' if bytes.get(i + 1) != Some(&b'\n') => i += 2,
                _ => i += 1,
            }
        }
        return Some((text.len(), false));
    }
    if !CURLY_OPEN.contains(&open) {
        return None;
    }
    let body = &rest[open.len_utf8()..];
    Some(match body.find(|c| c == '\n' || CURLY_CLOSE.contains(&c)) {
        Some(i) if body[i..].starts_with('\n') => (at + open.len_utf8() + i, false),
        Some(i) => {
            let close = body[i..].chars().next().map_or(0, char::len_utf8);
            (at + open.len_utf8() + i + close, true)
        }
        None => (text.len(), false),
    })
}

/// The offset of the line break ending the line that holds `pos` (or the end).
pub fn line_end(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i)
}

/// The offset where the line holding `pos` starts.
pub fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// Words that begin a top-level item when they begin a line.
const ITEM_WORDS: [&str; 6] = ["rule", "queue", "field", "let", "default", "test"];

/// Offsets where an item probably starts, used to resume after a syntax error:
/// a line whose first word is `rule`, `queue`, `field`, `let`, `default` or
/// `test`, or an unindented line starting with `when`.
pub fn item_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut line = 0;
    while line < text.len() {
        let first = skip_blanks(text, line);
        let word = word_at(text, first);
        if ITEM_WORDS.contains(&word) || (word == "when" && first == line) {
            starts.push(first);
        }
        line = line_end(text, line) + 1;
    }
    starts
}

fn skip_blanks(text: &str, pos: usize) -> usize {
    pos + text[pos..]
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count()
}

/// The word (letters, digits, `_`) starting at `pos`, or "".
pub fn word_at(text: &str, pos: usize) -> &str {
    let rest = &text[pos..];
    let len = rest.bytes().take_while(|&b| is_word_byte(b)).count();
    &rest[..len]
}

/// Whether the byte may be part of a word: a letter, a digit or `_`.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Offsets of opening brackets that go deeper than `max` levels, one per
/// excursion, ignoring brackets inside quoted text and comments. Depth is
/// counted afresh from each of `starts` (where items probably start, in
/// order): a reader starts there or after, and no item can read past one
/// with a bracket open (the words that start items are keywords, which no
/// bracket may hold), so brackets left open before it never hide the
/// deep ones after it.
pub fn deep_brackets(text: &str, max: usize, starts: &[usize]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut reported = false;
    let mut starts = starts.iter().peekable();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        while starts.next_if(|&&start| start <= at).is_some() {
            depth = 0;
            reported = false;
        }
        if may_open_quote(b)
            && let Some(end) = quoted_end(text, at)
        {
            at = end;
            continue;
        }
        match b {
            b'#' => {
                at = line_end(text, at);
                continue;
            }
            b'(' | b'[' => {
                depth += 1;
                if depth > max && !reported {
                    found.push(at);
                    reported = true;
                }
            }
            b')' | b']' => {
                depth = depth.saturating_sub(1);
                if depth <= max {
                    reported = false;
                }
            }
            _ => {}
        }
        at += 1;
    }
    found
}

/// The token at `pos`, as shown in "found ..." messages, with its byte length.
pub fn token_at(text: &str, pos: usize) -> Token<'_> {
    let rest = &text[pos.min(text.len())..];
    let Some(first) = rest.chars().next() else {
        return Token::End;
    };
    let word = word_at(text, pos);
    if !word.is_empty() {
        return Token::Word(word);
    }
    if first == '"' {
        let len = rest[1..]
            .find(['"', '\n'])
            .map_or(rest.len(), |i| (i + 2).min(rest.len()));
        return Token::Text(&rest[..len]);
    }
    let symbols = "<>=!&|+-*/%";
    let len = if symbols.contains(first) {
        rest.chars()
            .take_while(|c| symbols.contains(*c))
            .map(char::len_utf8)
            .sum()
    } else {
        first.len_utf8()
    };
    Token::Symbol(&rest[..len])
}

/// A token as found by [`token_at`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// The end of the file.
    End,
    /// A word: a name, a keyword or a number.
    Word(&'a str),
    /// Quoted text, quotes included (up to the end of the line).
    Text(&'a str),
    /// An operator or any other character.
    Symbol(&'a str),
}

impl Token<'_> {
    /// How many bytes it covers.
    pub fn len(&self) -> usize {
        match self {
            Token::End => 0,
            Token::Word(s) | Token::Text(s) | Token::Symbol(s) => s.len(),
        }
    }

    /// "the end of the file" or the token in backticks.
    pub fn describe(&self) -> String {
        match self {
            Token::End => "the end of the file".to_string(),
            Token::Text(s) if s.chars().count() > 30 => {
                let cut: String = s.chars().take(27).collect();
                format!("`{cut}...`")
            }
            Token::Word(s) | Token::Text(s) | Token::Symbol(s) => format!("`{s}`"),
        }
    }
}

/// The last token before `pos` (skipping white space), when it is a word or
/// an operator; `None` after quoted text or at the start of the file.
pub fn token_before(text: &str, pos: usize) -> Option<&str> {
    let before = text[..pos.min(text.len())].trim_end();
    let last = before.chars().next_back()?;
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let is_symbol = |c: char| "<>=!&|+-*/%(,[:".contains(c);
    let start = if is_word(last) {
        before.trim_end_matches(is_word).len()
    } else if is_symbol(last) {
        if "(,[:".contains(last) {
            before.len() - 1
        } else {
            before
                .trim_end_matches(|c: char| "<>=!&|+-*/%".contains(c))
                .len()
        }
    } else {
        return None;
    };
    Some(&before[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_is_read_as_the_grammar_reads_it() {
        // Straight quotes with escapes; curly and single quotes, closed by
        // any closing quote, a straight one too; text ends with its line.
        assert_eq!(comment_start(r#"a "b # \" #" # c"#), Some(13));
        assert_eq!(comment_start("a '#' # c"), Some(6));
        assert_eq!(comment_start("a “x\" \"#\" # c"), Some(12));
        assert_eq!(comment_start("a „#“ b"), None);
        assert_eq!(comment_start("a 'b"), None);
        assert_eq!(deep_brackets("'(\" ((x))", 1, &[]), [5]);
        assert_eq!(deep_brackets("\"((\n((x))", 1, &[]), [5]);
        assert_eq!(deep_brackets("‘((’ (x) # ((", 1, &[]), Vec::<usize>::new());
    }

    #[test]
    fn trimming_with_known_comments_agrees_with_reading_the_line() {
        let text = "rule \"a # b\"  # note\n  when x == \"#\" # c\n  then continue   \n# end";
        let comments = comment_starts(text);
        for start in 0..text.len() {
            for end in start..=text.len() {
                if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                    continue;
                }
                assert_eq!(
                    trim_trivia_end_with(text, &comments, start, end),
                    trim_trivia_end(text, start, end),
                    "{start}..{end}"
                );
            }
        }
    }

    #[test]
    fn trivia_includes_comments_and_byte_order_marks() {
        let text = "\u{FEFF}  # a comment\n\t queue a";
        assert_eq!(&text[skip_trivia(text, 0)..], "queue a");
    }

    #[test]
    fn trailing_comments_and_blank_lines_are_not_part_of_a_span() {
        let text = "queue a  # the \"a\" queue\n\n  \nqueue b";
        let end = text.find("queue b").unwrap();
        assert_eq!(&text[..trim_trivia_end(text, 0, end)], "queue a");
        let text = "reason \"ticket #42\"\n";
        assert_eq!(
            &text[..trim_trivia_end(text, 0, text.len())],
            "reason \"ticket #42\""
        );
    }

    #[test]
    fn items_start_at_declaration_words_and_unindented_when() {
        let text = "queue a\nrule \"x\"\n  when a then continue\nwhen b then continue\n  # rule\n";
        let starts: Vec<&str> = item_starts(text)
            .into_iter()
            .map(|i| word_at(text, i))
            .collect();
        assert_eq!(starts, ["queue", "rule", "when"]);
    }

    #[test]
    fn deep_brackets_ignore_text_and_comments() {
        assert_eq!(deep_brackets("((x))", 2, &[]), Vec::<usize>::new());
        assert_eq!(deep_brackets("(((x)))", 2, &[]), vec![2]);
        assert_eq!(
            deep_brackets("\"(((\" # (((\n", 2, &[]),
            Vec::<usize>::new()
        );
        assert_eq!(deep_brackets("(((x))) + (((y)))", 2, &[]), vec![2, 12]);
        // Counted afresh where an item starts, brackets left open or not.
        assert_eq!(deep_brackets("(((\n(((x)))", 2, &[4]), vec![2, 6]);
        assert_eq!(deep_brackets("(((\n(((x)))", 2, &[]), vec![2]);
    }

    #[test]
    fn tokens_are_named_for_messages() {
        assert_eq!(token_at("a = 1", 2), Token::Symbol("="));
        assert_eq!(token_at("a == 1", 2), Token::Symbol("=="));
        assert_eq!(token_at("handoff to", 0), Token::Word("handoff"));
        assert_eq!(token_at("x", 1), Token::End);
        assert_eq!(token_at("\"hi\" x", 0), Token::Text("\"hi\""));
        assert_eq!(token_before("loops >= ", 9), Some(">="));
        assert_eq!(token_before("handoff ", 8), Some("handoff"));
        assert_eq!(token_before("\"x\" ", 4), None);
    }
}
