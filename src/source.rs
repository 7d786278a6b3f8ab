//! Rule files as the pipeline sees them: a name, the text, and spans into it.
//!
//! Every stage refers to text through a [`Span`], a file id and a byte range.
//! Reading files from disk is not done here: `reload/` and `cli/` do that, and
//! hand over [`SourceFile`]s, so every other stage stays free of I/O.

use std::sync::Arc;

/// The index of a file in a [`Sources`] table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one file of the ruleset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range lies in.
    pub file: FileId,
    /// The first byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (byte offsets) in `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: clamp_u32(start),
            end: clamp_u32(end.max(start)),
        }
    }

    /// The smallest span covering both `self` and `other`, which must lie in the same file.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The number of bytes covered.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no byte at all.
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One rule file: the name it is shown under and its text.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<usize>,
    lone_cr: bool,
}

impl SourceFile {
    /// A file shown as `name` (usually the path the user gave) holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let lone_cr = text
            .match_indices('\r')
            .any(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'));
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            lone_cr,
        }
    }

    /// The name the file is shown under, e.g. `rules/billing.baton`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text of the file.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 1-based line and column of a byte offset; columns count characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        (line + 1, column + 1)
    }

    /// The byte range of a 1-based line, without its line break.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        let end = if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }

    /// Whether the text has a `\r` not followed by `\n`: a line break to
    /// some readers (miette), not to this file's line table.
    pub fn has_lone_cr(&self) -> bool {
        self.lone_cr
    }

    /// How many lines the file has.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// All files of one ruleset, in the order their rules are tried.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<Arc<SourceFile>>,
}

impl Sources {
    /// An empty table.
    pub fn new() -> Sources {
        Sources::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(Arc::new(file));
        FileId(clamp_u32(self.files.len() - 1))
    }

    /// The file with this id.
    ///
    /// Ids come only from [`Sources::add`] on this table, so the lookup cannot miss.
    pub fn get(&self, id: FileId) -> &Arc<SourceFile> {
        &self.files[id.0 as usize]
    }

    /// The files with their ids, in order.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &Arc<SourceFile>)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(clamp_u32(i)), f))
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there is no file at all.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_from_one() {
        let f = SourceFile::new("a.baton", "queue a\nwhen “x” then\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(8), (2, 1));
        // `then` comes after two three-byte quote characters.
        let then = f.text().find("then").unwrap();
        assert_eq!(f.line_col(then), (2, 10));
        assert_eq!(f.line_range(2), 8..f.text().len() - 1);
    }

    #[test]
    fn windows_line_endings_are_not_part_of_the_line() {
        let f = SourceFile::new("a.baton", "queue a\r\nqueue b");
        assert_eq!(&f.text()[f.line_range(1)], "queue a");
        assert_eq!(&f.text()[f.line_range(2)], "queue b");
    }
}
