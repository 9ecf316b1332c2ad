//! Lexing: string literals, evaluated. `'…'` is literal (`''` is a quote); `"…"` expands
//! `$var`, `${var}`, `$(…)` and backtick escapes (`""` is a quote); here-strings `@'…'@` and
//! `@"…"@` run from the line after the opening to a line that starts with the closing, the
//! same way. An unterminated string is read to the end of the text and is unknown, so that
//! a missing quote is not taken for a value.

use super::super::{Concat, Cursor, Word};
use super::Ps;

impl<'a> Ps<'a> {
    /// A string literal of any kind at `pos`.
    pub(super) fn string_word(&mut self) -> (Word, bool) {
        let start = self.pos;
        let mut c = Concat::default();
        match self.peek() {
            b'\'' => self.sq_into(&mut c),
            b'"' => self.dq_into(&mut c),
            _ => self.here_into(&mut c),
        }
        c.not_bare = true;
        c.finish(self.span(start, self.pos))
    }

    /// `'…'` at the quote: literal, `''` is one quote.
    pub(super) fn sq_into(&mut self, c: &mut Concat) {
        c.not_bare = true;
        self.pos += 1;
        loop {
            let from = self.pos.min(self.b.len());
            match memchr::memchr(b'\'', &self.b[from..]) {
                None => {
                    c.lit(self.slice(from, self.b.len()));
                    self.pos = self.b.len();
                    c.unknown("an unterminated string".to_string());
                    return;
                }
                Some(i) => {
                    c.lit(self.slice(from, from + i));
                    self.pos = from + i + 1;
                    if self.peek() == b'\'' {
                        c.lit("'");
                        self.pos += 1;
                    } else {
                        if i == 0 {
                            c.pieces += 1;
                        }
                        return;
                    }
                }
            }
        }
    }

    /// `"…"` at the quote: backtick escapes, `$` expansions, `""` is one quote.
    pub(super) fn dq_into(&mut self, c: &mut Concat) {
        c.not_bare = true;
        self.pos += 1;
        let mut any = false;
        loop {
            let from = self.pos.min(self.b.len());
            match memchr::memchr3(b'"', b'`', b'$', &self.b[from..]) {
                None => {
                    c.lit(self.slice(from, self.b.len()));
                    self.pos = self.b.len();
                    c.unknown("an unterminated string".to_string());
                    return;
                }
                Some(i) => {
                    c.lit(self.slice(from, from + i));
                    any |= i > 0;
                    self.pos = from + i;
                    match self.peek() {
                        b'"' if self.at(1) == b'"' => {
                            c.lit("\"");
                            any = true;
                            self.pos += 2;
                        }
                        b'"' => {
                            self.pos += 1;
                            if !any {
                                c.pieces += 1;
                            }
                            return;
                        }
                        b'`' => {
                            self.pos += 1;
                            self.escape_into(c);
                            any = true;
                        }
                        _ => {
                            self.dollar_into(c);
                            any = true;
                        }
                    }
                }
            }
        }
    }

    /// `@'…'@` / `@"…"@` at `@`.
    fn here_into(&mut self, c: &mut Concat) {
        c.not_bare = true;
        let expand = self.at(1) == b'"';
        let (start, end, after) = self.here_bounds();
        let unterminated = end == self.b.len() && after == self.b.len();
        if !expand {
            c.lit(self.slice(start, end));
            if end == start {
                c.pieces += 1;
            }
        } else {
            self.pos = start;
            let mut any = false;
            while self.pos < end {
                let from = self.pos;
                match memchr::memchr2(b'`', b'$', &self.b[from..end]) {
                    None => {
                        c.lit(self.slice(from, end));
                        any = true;
                        self.pos = end;
                    }
                    Some(i) => {
                        c.lit(self.slice(from, from + i));
                        self.pos = from + i;
                        any = true;
                        if self.peek() == b'`' {
                            self.pos += 1;
                            self.escape_into(c);
                        } else {
                            self.dollar_into(c);
                        }
                    }
                }
            }
            if !any {
                c.pieces += 1;
            }
        }
        self.pos = self.pos.max(after);
        if unterminated {
            c.unknown("an unterminated here-string".to_string());
        }
    }

    /// The character after a backtick (at `pos`).
    pub(super) fn escape_into(&mut self, c: &mut Concat) {
        let Some(ch) = self.text.get(self.pos..).and_then(|s| s.chars().next()) else {
            self.pos = self.pos.max(self.b.len());
            return;
        };
        self.pos += ch.len_utf8();
        let decoded = match ch {
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            'e' => '\u{1b}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\u{b}',
            'u' if self.peek() == b'{' => {
                let s = self.pos + 1;
                let mut e = s;
                while e < self.b.len() && self.b[e].is_ascii_hexdigit() && e - s < 6 {
                    e += 1;
                }
                if self.b.get(e) == Some(&b'}') {
                    if let Some(ch) = u32::from_str_radix(self.slice(s, e), 16)
                        .ok()
                        .and_then(char::from_u32)
                    {
                        self.pos = e + 1;
                        c.ch(ch);
                        return;
                    }
                }
                'u'
            }
            other => other,
        };
        c.ch(decoded);
    }
}
