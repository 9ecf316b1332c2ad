//! A single-pass scanner over a batch's bytes that yields exactly what sqlparser 0.64's
//! tokenizer yields with `MsSqlDialect` (see [`super::reference`]), without a String per
//! whitespace token, line/column bookkeeping or keyword lookups.
//!
//! Every branch mirrors a branch of sqlparser's `Tokenizer::next_token` for the MsSql
//! dialect, quirks included (`!=` reads as `<>`, `1L` is the number `1`, `@` or `#`
//! followed by any character but a space starts a word, `X'…'` honours backslash
//! escapes, …): the rest of the tool must not see a difference. The differential test
//! `tests/lexer_equivalence.rs` holds the two together.

use super::TokenKind;
use compact_str::CompactString;

/// Where the tokenizer stops, with sqlparser's message (the caller words it).
#[derive(Debug)]
pub(super) struct ScanError {
    pub message: &'static str,
    /// Byte offset sqlparser's error location stands for; for an unclosed comment, the
    /// `/*` that opens it.
    pub at: usize,
}

/// What the scanner hands over: a token or a comment, with its byte range.
pub(super) trait Sink {
    fn token(&mut self, kind: TokenKind, value: CompactString, start: usize, end: usize);
    fn comment(&mut self, text: String, start: usize, end: usize);
}

const UNTERMINATED_STRING: &str = "Unterminated string literal";
const UNCLOSED_COMMENT: &str = "Unexpected EOF while in a multi-line comment";

/// The character at byte `i` of `text` (a char boundary), if any.
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(b as char),
        Some(_) => text[i..].chars().next(),
        None => None,
    }
}

/// sqlparser's `MsSqlDialect::is_identifier_part`.
fn is_ident_part(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit() || matches!(c, '@' | '$' | '#' | '_')
}

/// End of the run of characters from `i` that satisfy `keep`.
fn take_while(text: &str, mut i: usize, keep: impl Fn(char) -> bool) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(i) {
        // ASCII without decoding: almost every byte of a script.
        let (c, len) = if b.is_ascii() {
            (b as char, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or('\0');
            (c, c.len_utf8())
        };
        if !keep(c) {
            break;
        }
        i += len;
    }
    i
}

fn take_digits(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// Tokenize `text`, handing tokens and comments to `sink` in order. On error, what came
/// before it has been handed over.
pub(super) fn scan(text: &str, sink: &mut impl Sink) -> Result<(), ScanError> {
    let mut sink = Tracked {
        inner: sink,
        last_is_word: false,
    };
    let sink = &mut sink;
    let bytes = text.as_bytes();
    let n = bytes.len();
    let at = |i: usize| bytes.get(i).copied();
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        let start = i;
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'N' | b'n' | b'X' | b'x' if at(i + 1) == Some(b'\'') => {
                let hex = matches!(b, b'X' | b'x');
                let (value, end) = quoted_string(text, i + 1, hex)?;
                let kind = if hex {
                    TokenKind::Hex
                } else {
                    TokenKind::NationalString
                };
                let value = if hex {
                    value
                } else {
                    super::joined_lines(value)
                };
                sink.token(kind, value.into(), start, end);
                i = end;
            }
            b'\'' => {
                let (value, end) = quoted_string(text, i, false)?;
                sink.token(
                    TokenKind::String,
                    super::joined_lines(value).into(),
                    start,
                    end,
                );
                i = end;
            }
            b'[' | b'"' => {
                let close = if b == b'[' { b']' } else { b'"' };
                let (value, end) = quoted_ident(text, i, close)?;
                sink.token(TokenKind::QuotedIdent, value.into(), start, end);
                i = end;
            }
            b'0'..=b'9' | b'.' => {
                if b == b'.' && at(i + 1) == Some(b'_') {
                    // sqlparser reads `._` as a field access after a word (quoted or
                    // not; comments in between do not count), as an error elsewhere.
                    if !sink.last_is_word {
                        return Err(ScanError {
                            message: "Unexpected character '_'",
                            at: i,
                        });
                    }
                    punct(".", 1, &mut i, sink);
                } else {
                    number(text, &mut i, sink);
                }
            }
            b'-' => match at(i + 1) {
                Some(b'-') => {
                    // A line comment runs to the `\n` (a `\r` before it is part of it).
                    let end = memchr::memchr(b'\n', &bytes[i + 2..]).map_or(n, |k| i + 2 + k);
                    sink.comment(text[i + 2..end].to_string(), start, end);
                    i = end;
                }
                Some(b'>') if at(i + 2) == Some(b'>') => punct("->>", 3, &mut i, sink),
                Some(b'>') => punct("->", 2, &mut i, sink),
                _ => punct("-", 1, &mut i, sink),
            },
            b'/' if at(i + 1) == Some(b'*') => i = block_comment(text, i, sink)?,
            b'|' => match (at(i + 1), at(i + 2)) {
                (Some(b'/'), _) => punct("|/", 2, &mut i, sink),
                (Some(b'|'), Some(b'/')) => punct("||/", 3, &mut i, sink),
                (Some(b'|'), _) => punct("||", 2, &mut i, sink),
                _ => punct("|", 1, &mut i, sink),
            },
            b'=' => match at(i + 1) {
                Some(b'>') => punct("=>", 2, &mut i, sink),
                Some(b'=') => punct("==", 2, &mut i, sink),
                _ => punct("=", 1, &mut i, sink),
            },
            b'!' => match (at(i + 1), at(i + 2)) {
                // sqlparser's `Neq` prints as `<>` whichever way it was written.
                (Some(b'='), _) => punct("<>", 2, &mut i, sink),
                (Some(b'!'), _) => punct("!!", 2, &mut i, sink),
                (Some(b'~'), Some(b'*')) => punct("!~*", 3, &mut i, sink),
                (Some(b'~'), _) => punct("!~", 2, &mut i, sink),
                _ => punct("!", 1, &mut i, sink),
            },
            b'<' => match (at(i + 1), at(i + 2)) {
                (Some(b'='), Some(b'>')) => punct("<=>", 3, &mut i, sink),
                (Some(b'='), _) => punct("<=", 2, &mut i, sink),
                (Some(b'>'), _) => punct("<>", 2, &mut i, sink),
                (Some(b'<'), _) => punct("<<", 2, &mut i, sink),
                (Some(b'@'), _) => punct("<@", 2, &mut i, sink),
                _ => punct("<", 1, &mut i, sink),
            },
            b'>' => match at(i + 1) {
                Some(b'=') => punct(">=", 2, &mut i, sink),
                Some(b'>') => punct(">>", 2, &mut i, sink),
                _ => punct(">", 1, &mut i, sink),
            },
            b':' => match at(i + 1) {
                Some(b':') => punct("::", 2, &mut i, sink),
                Some(b'=') => punct(":=", 2, &mut i, sink),
                _ => punct(":", 1, &mut i, sink),
            },
            b'&' if at(i + 1) == Some(b'&') => punct("&&", 2, &mut i, sink),
            b'^' if at(i + 1) == Some(b'@') => punct("^@", 2, &mut i, sink),
            b'~' if at(i + 1) == Some(b'*') => punct("~*", 2, &mut i, sink),
            b'#' => match at(i + 1) {
                None => punct("#", 1, &mut i, sink),
                Some(b'-') => punct("#-", 2, &mut i, sink),
                Some(b'>') if at(i + 2) == Some(b'>') => punct("#>>", 3, &mut i, sink),
                Some(b'>') => punct("#>", 2, &mut i, sink),
                Some(b' ') => punct("#", 1, &mut i, sink),
                // Any other character, even `(` or a newline, continues a `#` word.
                Some(_) => word(text, &mut i, 2, sink),
            },
            b'@' => match (at(i + 1), at(i + 2)) {
                (None | Some(b' ' | b'\'' | b'"' | b'`'), _) => punct("@", 1, &mut i, sink),
                (Some(b'>'), _) => punct("@>", 2, &mut i, sink),
                (Some(b'?'), _) => punct("@?", 2, &mut i, sink),
                (Some(b'@'), None | Some(b' ')) => punct("@@", 2, &mut i, sink),
                (Some(b'@'), Some(_)) => word(text, &mut i, 3, sink),
                (Some(_), _) => word(text, &mut i, 2, sink),
            },
            b'?' => {
                let end = take_while(text, i + 1, char::is_numeric);
                punct(&text[i..end], end - i, &mut i, sink);
            }
            b'$' => dollar(text, &mut i, sink)?,
            b'A'..=b'Z' | b'a'..=b'z' | b'_' => word(text, &mut i, 1, sink),
            b'(' | b')' | b',' | b'/' | b'+' | b'*' | b'%' | b';' | b'\\' | b']' | b'{' | b'}'
            | b'&' | b'^' | b'~' => {
                // Single-byte symbols: their text is the byte.
                let sym = &text[i..i + 1];
                punct(sym, 1, &mut i, sink);
            }
            // Other ASCII: whitespace such as a form feed, else a symbol of its own.
            _ if b.is_ascii() => {
                if (b as char).is_whitespace() {
                    i += 1;
                } else {
                    punct(&text[i..i + 1], 1, &mut i, sink);
                }
            }
            _ => {
                let c = char_at(text, i).unwrap_or('\0');
                if c.is_alphabetic() {
                    word(text, &mut i, 1, sink);
                } else if c.is_whitespace() {
                    i += c.len_utf8();
                } else {
                    punct(&text[i..i + c.len_utf8()], c.len_utf8(), &mut i, sink);
                }
            }
        }
    }
    Ok(())
}

/// A punctuation token of `len` bytes at `*i` whose text is `sym`.
fn punct(sym: &str, len: usize, i: &mut usize, sink: &mut impl Sink) {
    sink.token(TokenKind::Punct, CompactString::from(sym), *i, *i + len);
    *i += len;
}

/// Remembers whether the last token was a word, for the `._` rule.
struct Tracked<'s, S> {
    inner: &'s mut S,
    last_is_word: bool,
}

impl<S: Sink> Sink for Tracked<'_, S> {
    fn token(&mut self, kind: TokenKind, value: CompactString, start: usize, end: usize) {
        self.last_is_word = matches!(kind, TokenKind::Word | TokenKind::QuotedIdent);
        self.inner.token(kind, value, start, end);
    }

    fn comment(&mut self, text: String, start: usize, end: usize) {
        self.inner.comment(text, start, end);
    }
}

/// A word starting at `*i` whose first `lead` characters are taken whatever they are
/// (`@`, `@@`, `#` and the character after them), then identifier characters.
fn word(text: &str, i: &mut usize, lead: usize, sink: &mut impl Sink) {
    let start = *i;
    let mut j = start;
    for _ in 0..lead {
        j += char_at(text, j).map_or(0, char::len_utf8);
    }
    let end = take_while(text, j, is_ident_part);
    sink.token(
        TokenKind::Word,
        CompactString::from(&text[start..end]),
        start,
        end,
    );
    *i = end;
}

/// A `'…'` string whose opening quote is at `q`: its value (`''` → `'`; with
/// `backslash`, sqlparser's backslash escapes as for `X'…'`) and its end.
fn quoted_string(text: &str, q: usize, backslash: bool) -> Result<(String, usize), ScanError> {
    let bytes = text.as_bytes();
    let mut value = String::new();
    let mut j = q + 1;
    loop {
        let found = if backslash {
            memchr::memchr2(b'\'', b'\\', &bytes[j..])
        } else {
            memchr::memchr(b'\'', &bytes[j..])
        };
        let Some(k) = found.map(|k| j + k) else {
            return Err(ScanError {
                message: UNTERMINATED_STRING,
                at: q,
            });
        };
        value.push_str(&text[j..k]);
        if bytes[k] == b'\'' {
            if bytes.get(k + 1) == Some(&b'\'') {
                value.push('\'');
                j = k + 2;
            } else {
                return Ok((value, k + 1));
            }
        } else {
            // A backslash: the next character, translated; nothing if the text ends.
            match char_at(text, k + 1) {
                Some(c) => {
                    value.push(match c {
                        '0' => '\0',
                        'a' => '\u{7}',
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        'Z' => '\u{1a}',
                        c => c,
                    });
                    j = k + 1 + c.len_utf8();
                }
                None => j = k + 1,
            }
        }
    }
}

/// A `[name]` or `"name"` opened at `q`: its value (a doubled closer is one) and its end.
fn quoted_ident(text: &str, q: usize, close: u8) -> Result<(String, usize), ScanError> {
    let bytes = text.as_bytes();
    let mut value = String::new();
    let mut j = q + 1;
    while let Some(k) = memchr::memchr(close, &bytes[j..]).map(|k| j + k) {
        value.push_str(&text[j..k]);
        if bytes.get(k + 1) == Some(&close) {
            value.push(close as char);
            j = k + 2;
        } else {
            return Ok((value, k + 1));
        }
    }
    Err(ScanError {
        message: if close == b']' {
            "Expected close delimiter ']' before EOF."
        } else {
            "Expected close delimiter '\"' before EOF."
        },
        at: q,
    })
}

/// A `/*` comment at `start` (comments nest); returns its end.
fn block_comment(text: &str, start: usize, sink: &mut impl Sink) -> Result<usize, ScanError> {
    let bytes = text.as_bytes();
    let mut depth = 1u32;
    let mut j = start + 2;
    while let Some(k) = memchr::memchr2(b'/', b'*', &bytes[j..]).map(|k| j + k) {
        match (bytes[k], bytes.get(k + 1)) {
            (b'/', Some(b'*')) => {
                depth += 1;
                j = k + 2;
            }
            (b'*', Some(b'/')) => {
                depth -= 1;
                if depth == 0 {
                    sink.comment(text[start + 2..k].to_string(), start, k + 2);
                    return Ok(k + 2);
                }
                j = k + 2;
            }
            _ => j = k + 1,
        }
    }
    Err(ScanError {
        message: UNCLOSED_COMMENT,
        at: start,
    })
}

/// A number (or a lone `.`) at `*i`, as sqlparser reads it: digits, one `.`, digits, an
/// exponent only when a digit follows `e`, `0x` hex digits, and a trailing `L` that is
/// swallowed but not part of the value.
fn number(text: &str, i: &mut usize, sink: &mut impl Sink) {
    let bytes = text.as_bytes();
    let start = *i;
    let mut j = take_digits(bytes, start);
    if j == start + 1 && bytes[start] == b'0' && bytes.get(j) == Some(&b'x') {
        let end = take_while(text, j + 1, |c| c.is_ascii_hexdigit());
        sink.token(
            TokenKind::Hex,
            CompactString::from(&text[j + 1..end]),
            start,
            end,
        );
        *i = end;
        return;
    }
    if bytes.get(j) == Some(&b'.') {
        j += 1;
    }
    j = take_digits(bytes, j);
    if j == start + 1 && bytes[start] == b'.' {
        sink.token(TokenKind::Punct, CompactString::const_new("."), start, j);
        *i = j;
        return;
    }
    if matches!(bytes.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(bytes.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        if bytes.get(k).is_some_and(u8::is_ascii_digit) {
            j = take_digits(bytes, k);
        }
    }
    let end = if bytes.get(j) == Some(&b'L') {
        j + 1
    } else {
        j
    };
    sink.token(
        TokenKind::Number,
        CompactString::from(&text[start..j]),
        start,
        end,
    );
    *i = end;
}

/// `$…` at `*i`: a money amount or placeholder (`$12.5`, `$x`, `$` before `(`), or a
/// dollar-quoted string (`$$…$$`, `$tag$…$tag$`); all become punctuation whose text is
/// what was written.
fn dollar(text: &str, i: &mut usize, sink: &mut impl Sink) -> Result<(), ScanError> {
    let bytes = text.as_bytes();
    let start = *i;
    let end = if bytes.get(start + 1) == Some(&b'$') {
        // Ends at the first `$$`.
        let body = start + 2;
        match memchr::memmem::find(&bytes[body..], b"$$") {
            Some(k) => body + k + 2,
            None => {
                return Err(ScanError {
                    message: "Unterminated dollar-quoted string",
                    at: bytes.len(),
                })
            }
        }
    } else {
        let tag_end = take_while(text, start + 1, |c| c.is_alphanumeric() || c == '_');
        let tag = &text[start + 1..tag_end];
        match bytes.get(tag_end) {
            Some(b'.') if !tag.is_empty() && tag.bytes().all(|b| b.is_ascii_digit()) => {
                take_digits(bytes, tag_end + 1)
            }
            Some(b'$') => {
                let delimiter = format!("${tag}$");
                let body = tag_end + 1;
                match memchr::memmem::find(&bytes[body..], delimiter.as_bytes()) {
                    Some(k) => body + k + delimiter.len(),
                    None => {
                        return Err(ScanError {
                            message: "Unterminated dollar-quoted, expected $",
                            at: bytes.len(),
                        })
                    }
                }
            }
            _ => tag_end,
        }
    };
    sink.token(
        TokenKind::Punct,
        CompactString::from(&text[start..end]),
        start,
        end,
    );
    *i = end;
    Ok(())
}
