//! Lexing: characters, blanks and comments, and skipping text without evaluating it.
//!
//! PowerShell's blanks are the shared ones ([`Cursor::skip_blanks`]: spaces, tabs, NBSP,
//! backtick continuations) plus `#` line comments and `<# … #>` block comments, and newlines
//! inside parentheses ([`Ps::ws`]). Much of a script is not evaluated (conditions, types,
//! script blocks of unknown commands): the `skip_*` readers step over it whole, strings and
//! brackets included, so that a `)` or `#` inside a string does not end anything.

use super::super::Cursor;
use super::Ps;

/// A character of a variable name (`$my_var1`).
pub(super) fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// A character of a command, keyword or parameter name (`Get-Item`, `-Name`).
pub(super) fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

impl<'a> Ps<'a> {
    /// End of `start..end` without trailing whitespace.
    pub(super) fn trim_end(&self, start: usize, mut end: usize) -> usize {
        end = end.min(self.b.len());
        while end > start && matches!(self.b[end - 1], b' ' | b'\t' | b'\r' | b'\n') {
            end -= 1;
        }
        end
    }

    /// End of the name (see [`is_ident_char`]) starting at `from`.
    pub(super) fn ident_end(&self, from: usize) -> usize {
        let mut e = from;
        while e < self.b.len() && is_ident_char(self.b[e]) {
            e += 1;
        }
        e
    }

    /// Skips a `<# … #>` comment at `<`; an unterminated one runs to the end of the text.
    fn skip_block_comment(&mut self) {
        let from = (self.pos + 2).min(self.b.len());
        self.pos = match memchr::memmem::find(&self.b[from..], b"#>") {
            Some(i) => from + i + 2,
            None => self.b.len(),
        };
    }

    /// Whitespace, comments, backtick continuations; newlines too when `newlines`.
    pub(super) fn skip_ws(&mut self, newlines: bool) {
        loop {
            self.skip_blanks();
            match self.peek() {
                b'\n' if newlines => self.pos += 1,
                b'#' => self.skip_line(),
                b'<' if self.at(1) == b'#' => self.skip_block_comment(),
                _ => return,
            }
        }
    }

    /// Whitespace as the current context reads it: newlines too inside parentheses.
    pub(super) fn ws(&mut self) {
        self.skip_ws(self.nl_ok);
    }

    /// Next non-blank byte after `from` (newlines and comments skipped).
    pub(super) fn next_after(&mut self, from: usize, newlines: bool) -> u8 {
        let saved = self.pos;
        self.pos = from;
        self.skip_ws(newlines);
        let c = self.peek();
        self.pos = saved;
        c
    }

    /// At a command / statement end (after whitespace was skipped).
    pub(super) fn at_end(&self) -> bool {
        self.eof() || matches!(self.peek(), b'\n' | b';' | b'|' | b')' | b'}' | b'&')
    }

    /// Skips a string of any kind at `pos` without evaluating it.
    fn skip_string(&mut self) {
        let b = self.b;
        match self.peek() {
            b'\'' => {
                self.pos += 1;
                loop {
                    match memchr::memchr(b'\'', &b[self.pos.min(b.len())..]) {
                        None => {
                            self.pos = b.len();
                            return;
                        }
                        Some(i) => {
                            self.pos += i + 1;
                            if self.peek() == b'\'' {
                                self.pos += 1;
                            } else {
                                return;
                            }
                        }
                    }
                }
            }
            b'"' => {
                self.pos += 1;
                loop {
                    match memchr::memchr2(b'"', b'`', &b[self.pos.min(b.len())..]) {
                        None => {
                            self.pos = b.len();
                            return;
                        }
                        Some(i) => {
                            self.pos += i;
                            if self.peek() == b'`' || self.at(1) == b'"' {
                                self.pos += 2;
                            } else {
                                self.pos += 1;
                                return;
                            }
                        }
                    }
                }
            }
            b'@' => {
                let (_, _, end) = self.here_bounds();
                self.pos = end;
            }
            _ => self.pos += 1,
        }
    }

    /// For a here-string at `pos` (`@'` or `@"`): content start, content end, end.
    pub(super) fn here_bounds(&self) -> (usize, usize, usize) {
        let b = self.b;
        let q = self.at(1);
        let from = (self.pos + 2).min(b.len());
        let start = match memchr::memchr(b'\n', &b[from..]) {
            Some(i) => from + i + 1,
            None => return (b.len(), b.len(), b.len()),
        };
        let mut search = start;
        let pat = [q, b'@'];
        while let Some(i) = memchr::memmem::find(&b[search..], &pat) {
            let at = search + i;
            if at == start || b[at - 1] == b'\n' {
                let mut end = at;
                if end > start {
                    end -= 1; // the newline
                    if end > start && b[end - 1] == b'\r' {
                        end -= 1;
                    }
                }
                return (start, end, at + 2);
            }
            search = at + 1;
        }
        (start, b.len(), b.len())
    }

    /// Skips a bracketed region starting at `pos` (any of `( [ {`), nesting all three.
    pub(super) fn skip_balanced(&mut self) {
        let mut depth = 0u32;
        while !self.eof() {
            match self.peek() {
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    self.pos += 1;
                }
                b')' | b']' | b'}' => {
                    self.pos += 1;
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                b'\'' | b'"' => self.skip_string(),
                b'@' if matches!(self.at(1), b'\'' | b'"') => self.skip_string(),
                b'#' if self.pos == 0
                    || matches!(
                        self.b[self.pos - 1],
                        b' ' | b'\t' | b'\n' | b'(' | b'{' | b';'
                    ) =>
                {
                    self.skip_line()
                }
                b'<' if self.at(1) == b'#' => self.skip_block_comment(),
                b'`' => self.pos += 2,
                _ => self.pos += 1,
            }
            if depth == 0 {
                return;
            }
        }
        self.pos = self.pos.min(self.b.len());
    }

    /// Skips the rest of an expression: up to a statement end at this nesting level.
    pub(super) fn skip_rest(&mut self) {
        while !self.eof() {
            match self.peek() {
                b'\n' if !self.nl_ok => return,
                b';' | b'|' | b')' | b'}' | b'&' => return,
                b'(' | b'[' | b'{' => self.skip_balanced(),
                b'\'' | b'"' => self.skip_string(),
                b'@' if matches!(self.at(1), b'\'' | b'"') => self.skip_string(),
                b'#' => self.skip_line(),
                b'<' if self.at(1) == b'#' => self.skip_block_comment(),
                b'`' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
        self.pos = self.pos.min(self.b.len());
    }
}
