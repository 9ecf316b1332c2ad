//! Expressions: lists `a, b`, string concatenation `a + b`, and one operand
//! ([`Ps::unary`]), which dispatches to strings, variables and the bracketed values
//! ([`values`](super::values)). Only what gives a value for certain is evaluated: other
//! operators (`-f` formatting, `-replace`, `-join`, comparisons, arithmetic) make the whole
//! expression unknown and name the operator in the why, rather than guessing a result.

use super::super::{Cursor, Word, MAX_DEPTH, MAX_VALUE, TOO_LONG};
use super::Ps;
use crate::span::Span;

impl<'a> Ps<'a> {
    /// An expression: `a + b`, or a list `a, b`. Returns the word and whether it is exactly
    /// one variable.
    pub(super) fn expr(&mut self) -> (Word, bool) {
        if self.depth >= MAX_DEPTH {
            let s = self.pos;
            self.skip_rest();
            return (
                Word::Unknown {
                    span: self.span(s, self.pos),
                    why: "an expression nested too deeply".to_string(),
                },
                false,
            );
        }
        self.depth += 1;
        let start = self.pos;
        let first = self.concat_expr();
        let save = self.pos;
        self.ws();
        let r = if self.peek() == b',' {
            let mut items = Vec::new();
            match first.0 {
                Word::List { items: more, .. } => items.extend(more),
                w => items.push(w),
            }
            let newlines = self.nl_ok;
            let list = self.rest_of_list(start, items, save, Self::concat_expr, newlines);
            (list, false)
        } else {
            self.pos = save;
            first
        };
        self.depth -= 1;
        r
    }

    /// The rest of a list `a, b, c` after its first items: each `,` and an item read by
    /// `item`, flattened; `newlines`: a line break may come before a `,`.
    pub(super) fn rest_of_list(
        &mut self,
        start: usize,
        mut items: Vec<Word>,
        mut end: usize,
        item: fn(&mut Self) -> (Word, bool),
        newlines: bool,
    ) -> Word {
        while self.peek() == b',' {
            self.pos += 1;
            self.skip_ws(true);
            if self.at_end() {
                break;
            }
            let before = self.pos;
            let (w, _) = item(self);
            if self.pos == before {
                break;
            }
            end = self.pos;
            match w {
                Word::List { items: more, .. } => items.extend(more),
                w => items.push(w),
            }
            let save = self.pos;
            self.skip_ws(newlines);
            if self.peek() != b',' {
                self.pos = save;
            }
        }
        Word::List {
            items,
            span: self.span(start, end),
        }
    }

    /// `a + b + c` (string concatenation).
    pub(super) fn concat_expr(&mut self) -> (Word, bool) {
        let start = self.pos;
        let (mut acc, mut pure) = self.unary();
        loop {
            let save = self.pos;
            self.ws();
            let c = self.peek();
            let n = self.at(1);
            if c == b'+' && n != b'=' && n != b'+' {
                self.pos += 1;
                self.skip_ws(true);
                let (rhs, _) = self.unary();
                acc = plus(acc, rhs);
                pure = false;
            } else if (c == b'-'
                && (n.is_ascii_alphabetic()
                    || matches!(n, b' ' | b'\t' | b'$' | b'(' | b'0'..=b'9')))
                || matches!(c, b'*' | b'/' | b'%' | b'?')
                || (c == b'.' && n == b'.')
                || (c == b'=' && n == b'=')
            {
                let os = self.pos;
                self.pos += 1;
                while self.peek().is_ascii_alphabetic() {
                    self.pos += 1;
                }
                let op = self.slice(os, self.pos).to_string();
                self.skip_rest();
                let end = self.trim_end(start, self.pos);
                acc = Word::Unknown {
                    span: self.span(start, end),
                    why: format!("a `{op}` expression"),
                };
                pure = false;
                break;
            } else {
                self.pos = save;
                break;
            }
        }
        (acc, pure)
    }

    /// One operand.
    pub(super) fn unary(&mut self) -> (Word, bool) {
        let start = self.pos;
        let c = self.peek();
        let n = self.at(1);
        match c {
            b'\'' | b'"' => {
                let r = self.string_word();
                self.methods(start, r)
            }
            b'@' if matches!(n, b'\'' | b'"') => {
                let r = self.string_word();
                self.methods(start, r)
            }
            b'@' if n == b'(' => self.array_expr(),
            b'@' if n == b'{' => {
                self.pos += 1;
                self.skip_balanced();
                self.unknown_from(start, "a hashtable")
            }
            b'$' if n == b'(' => self.subexpr(),
            b'$' => self.var_expr(),
            b'(' => {
                let r = self.paren_expr();
                self.methods(start, r)
            }
            b'[' => self.cast_expr(),
            b'{' => {
                self.nested(b'}');
                self.unknown_from(start, "a script block")
            }
            b'0'..=b'9' => self.number(),
            b'-' | b'.' if n.is_ascii_digit() => self.number(),
            _ => {
                if !self.at_end() {
                    self.skip_rest();
                }
                if self.pos == start {
                    return (
                        Word::Unknown {
                            span: self.span(start, start),
                            why: "a missing value".to_string(),
                        },
                        false,
                    );
                }
                self.unknown_from(start, "an expression this linter does not evaluate")
            }
        }
    }

    /// A number literal: known when plain digits (and a dot), unknown with a suffix or base
    /// (`1kb`, `0x10`) rather than converted.
    fn number(&mut self) -> (Word, bool) {
        let start = self.pos;
        self.pos += 1;
        while self.peek().is_ascii_alphanumeric() || self.peek() == b'.' || self.peek() == b'_' {
            self.pos += 1;
        }
        let text = self.slice(start, self.pos);
        let plain = text
            .trim_start_matches('-')
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'.');
        if plain {
            (
                Word::Known {
                    value: text.to_string(),
                    span: self.span(start, self.pos),
                    defined_at: None,
                },
                false,
            )
        } else {
            self.unknown_from(start, "a number with a suffix or base")
        }
    }

    /// An unknown value written from `start` to the position (trailing blanks left out).
    pub(super) fn unknown_from(&self, start: usize, why: &str) -> (Word, bool) {
        (
            Word::Unknown {
                span: self.span(start, self.trim_end(start, self.pos)),
                why: why.to_string(),
            },
            false,
        )
    }
}

pub(super) fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
}

/// The same word at another span (a parenthesised or cast expression).
pub(super) fn respan(w: Word, span: Span) -> Word {
    match w {
        Word::Known {
            value, defined_at, ..
        } => Word::Known {
            value,
            span,
            defined_at,
        },
        Word::Unknown { why, .. } => Word::Unknown { span, why },
        Word::List { items, .. } => Word::List { items, span },
    }
}

/// `a + b`.
fn plus(a: Word, b: Word) -> Word {
    let span = a.span().to(b.span());
    match (a, b) {
        (
            Word::Known {
                value: x,
                defined_at: d1,
                ..
            },
            Word::Known {
                value: y,
                defined_at: d2,
                ..
            },
        ) => {
            if is_number(&x) && is_number(&y) {
                return Word::Unknown {
                    span,
                    why: "a sum of numbers".to_string(),
                };
            }
            if x.len() + y.len() > MAX_VALUE {
                return Word::Unknown {
                    span,
                    why: TOO_LONG.to_string(),
                };
            }
            Word::Known {
                value: x + &y,
                span,
                defined_at: d1.or(d2),
            }
        }
        (Word::Unknown { why, .. }, _) | (_, Word::Unknown { why, .. }) => {
            Word::Unknown { span, why }
        }
        (Word::List { mut items, .. }, Word::List { items: more, .. }) => {
            items.extend(more);
            Word::List { items, span }
        }
        (Word::List { mut items, .. }, w) => {
            items.push(w);
            Word::List { items, span }
        }
        (Word::Known { .. }, Word::List { .. }) => Word::Unknown {
            span,
            why: "a string plus an array".to_string(),
        },
    }
}
