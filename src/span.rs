//! Byte spans into the files of a run, and the table that turns them into line/column.

use std::ops::Range;

/// Index of a file in [`crate::files::Files`]. Scripts and the parameters file alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range into the decoded text of one file. Kept internally everywhere;
/// converted to line/column (chars) only at the output edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both (same file assumed; the first file wins otherwise).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }
}

/// Byte offsets of line starts, to convert byte offsets into 1-based line and
/// character (Unicode scalar value) columns, as the JSON contract requires.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
}

/// A 1-based line and 1-based column counted in chars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0u32];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        LineIndex { starts }
    }

    pub fn line_starts(&self) -> &[u32] {
        &self.starts
    }

    /// 0-based line number containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&(offset as u32)) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Line/column of a byte offset; an offset inside a multi-byte char counts as that char.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line] as usize;
        let mut end = offset;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[start..end].chars().count() + 1;
        LineCol {
            line: line as u32 + 1,
            column: column as u32,
        }
    }

    /// Byte offset of a 1-based line and 1-based char column (as sqlparser reports them).
    /// Out-of-range positions clamp to the end of the line or text.
    pub fn offset_of(&self, text: &str, line: u64, column: u64) -> usize {
        if line == 0 {
            return 0;
        }
        let Some(&start) = self.starts.get(line as usize - 1) else {
            return text.len();
        };
        let start = start as usize;
        let line_end = self
            .starts
            .get(line as usize)
            .map(|&s| s as usize)
            .unwrap_or(text.len());
        let wanted = column.saturating_sub(1) as usize;
        match text[start..line_end].char_indices().nth(wanted) {
            Some((i, _)) => start + i,
            None => line_end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let text = "ab\nwörd é x\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), LineCol { line: 2, column: 8 });
        assert_eq!(idx.offset_of(text, 2, 8), x);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
    }

    #[test]
    fn offsets_clamp() {
        let text = "a\nb";
        let idx = LineIndex::new(text);
        assert_eq!(idx.offset_of(text, 9, 1), 3);
        assert_eq!(idx.offset_of(text, 1, 99), 2);
        assert_eq!(idx.line_col(text, 99), LineCol { line: 2, column: 2 });
    }
}
