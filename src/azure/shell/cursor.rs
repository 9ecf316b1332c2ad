//! The byte cursor the three scanners share: a position in the text, the end of the region
//! being read, and the primitives every dialect reads with (peeking, blanks, line
//! continuations, the rest of a line, one literal character).
//!
//! Each scanner is a struct with `text`, `file` and `pos` fields; [`cursor!`] writes the
//! accessors, so a primitive is written once here instead of once per dialect. What differs
//! between dialects at this level is data: the line-continuation character.

use super::Concat;
use crate::span::{FileId, Span};

pub(super) trait Cursor<'a> {
    /// The line-continuation character: `` ` `` (PowerShell), `\` (sh), `^` (cmd).
    const CONTINUATION: u8;

    fn text(&self) -> &'a str;
    fn file(&self) -> FileId;
    fn pos(&self) -> usize;
    fn set_pos(&mut self, pos: usize);
    /// End of the region being read (the whole text unless a scanner narrows it).
    fn limit(&self) -> usize {
        self.text().len()
    }

    fn at(&self, n: usize) -> u8 {
        let p = self.pos() + n;
        if p < self.limit() {
            self.text().as_bytes()[p]
        } else {
            0
        }
    }

    fn peek(&self) -> u8 {
        self.at(0)
    }

    fn eof(&self) -> bool {
        self.pos() >= self.limit()
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file(), start..end.max(start))
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text().get(start..end).unwrap_or("")
    }

    /// Moves past the character at the position.
    fn adv_char(&mut self) {
        let mut p = self.pos() + 1;
        while p < self.limit() && !self.text().is_char_boundary(p) {
            p += 1;
        }
        self.set_pos(p);
    }

    /// The continuation character + newline at the position: its length, else 0.
    fn continuation(&self) -> usize {
        if self.peek() != Self::CONTINUATION {
            0
        } else if self.at(1) == b'\n' {
            2
        } else if self.at(1) == b'\r' && self.at(2) == b'\n' {
            3
        } else {
            0
        }
    }

    /// Blanks (NBSP too) and line continuations.
    fn skip_blanks(&mut self) {
        loop {
            let step = match self.peek() {
                b' ' | b'\t' | b'\r' | 0x0c => 1,
                0xC2 if self.at(1) == 0xA0 => 2,
                _ => self.continuation(),
            };
            if step == 0 {
                return;
            }
            self.set_pos(self.pos() + step);
        }
    }

    /// To the end of the line (its newline is not consumed).
    fn skip_line(&mut self) {
        let from = self.pos().min(self.limit());
        let rest = &self.text().as_bytes()[from..self.limit()];
        self.set_pos(memchr::memchr(b'\n', rest).map_or(self.limit(), |i| from + i));
    }

    /// The character at the position, taken literally (what follows an escape `\` or `^`),
    /// into `c`; nothing at the end of the region.
    fn one_char(&mut self, c: &mut Concat) {
        if let Some(ch) = self
            .text()
            .get(self.pos()..self.limit())
            .and_then(|s| s.chars().next())
        {
            c.ch(ch);
            self.set_pos(self.pos() + ch.len_utf8());
        }
    }
}

/// The [`Cursor`] accessors of a scanner struct with `text`, `file` and `pos` fields,
/// and the field that ends its region when it narrows one (`cursor!(Sh, b'\\', limit)`).
macro_rules! cursor {
    ($scanner:ident, $continuation:expr $(, $limit:ident)?) => {
        impl<'a> super::Cursor<'a> for $scanner<'a> {
            const CONTINUATION: u8 = $continuation;
            fn text(&self) -> &'a str {
                self.text
            }
            fn file(&self) -> FileId {
                self.file
            }
            fn pos(&self) -> usize {
                self.pos
            }
            fn set_pos(&mut self, pos: usize) {
                self.pos = pos;
            }
            $(
                fn limit(&self) -> usize {
                    self.$limit
                }
            )?
        }
    };
}
pub(super) use cursor;

/// The byte offset after a UTF-8 byte order mark, if any.
pub(super) fn after_bom(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}
