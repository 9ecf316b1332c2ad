//! The sqlparser-based lexer that [`super::scan`] replaced, kept as its oracle.
//!
//! sqlparser reports line/char-column positions relative to the text it was given
//! (the batch after variable substitution). Tokens arrive in order, so one forward
//! cursor turns those positions into byte offsets of the batch text, and the
//! batch's [`SourceMap`](crate::sqlcmd::SourceMap) turns those into spans of the
//! original file.

use super::{
    joined_lines, lex_error, merge_masked, merge_placeholders, read_line_breaks_as_lf, Comment,
    Lexed, Token, TokenKind,
};
use crate::sqlcmd::Batch;
use sqlparser::dialect::MsSqlDialect;
use sqlparser::tokenizer::{Location, Token as SqlToken, TokenWithSpan, Tokenizer, Whitespace};

/// Turns sqlparser's (line, char column) positions into byte offsets, moving forward only.
struct Cursor<'a> {
    text: &'a str,
    line: u64,
    column: u64,
    offset: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            text,
            line: 1,
            column: 1,
            offset: 0,
        }
    }

    fn seek(&mut self, target: Location) -> usize {
        if (target.line, target.column) < (self.line, self.column) {
            // Never expected (tokens arrive in order); restart rather than misplace.
            *self = Cursor::new(self.text);
        }
        let bytes = self.text.as_bytes();
        // Whole lines at once, then the characters of the target line; a character is
        // as wide as its first byte says (no decoding).
        while self.line < target.line {
            match memchr::memchr(b'\n', &bytes[self.offset..]) {
                Some(k) => {
                    self.offset += k + 1;
                    self.line += 1;
                    self.column = 1;
                }
                None => {
                    self.offset = bytes.len();
                    return self.offset;
                }
            }
        }
        while self.line == target.line && self.column < target.column {
            let Some(&b) = bytes.get(self.offset) else {
                break;
            };
            if b == b'\n' {
                self.offset += 1;
                self.line += 1;
                self.column = 1;
            } else {
                self.offset += match b {
                    0..=0x7f => 1,
                    0x80..=0xdf => 2,
                    0xe0..=0xef => 3,
                    _ => 4,
                };
                self.column += 1;
            }
        }
        self.offset.min(bytes.len())
    }
}

/// The text of a punctuation token: the common ones without formatting (one string per
/// token is most of the cost of lexing a long script).
fn punct_text(token: &SqlToken) -> String {
    let common = match token {
        SqlToken::Comma => ",",
        SqlToken::SemiColon => ";",
        SqlToken::LParen => "(",
        SqlToken::RParen => ")",
        SqlToken::Period => ".",
        SqlToken::Eq => "=",
        SqlToken::Plus => "+",
        SqlToken::Minus => "-",
        SqlToken::Mul => "*",
        SqlToken::Lt => "<",
        SqlToken::Gt => ">",
        _ => return token.to_string(),
    };
    common.to_string()
}

/// A sqlparser token as ours; takes the token to keep its strings without copying them.
fn convert(token: SqlToken) -> Option<(TokenKind, String)> {
    let converted = match token {
        SqlToken::Word(w) => match w.quote_style {
            Some(_) => (TokenKind::QuotedIdent, w.value),
            None => (TokenKind::Word, w.value),
        },
        SqlToken::SingleQuotedString(s) => (TokenKind::String, joined_lines(s)),
        SqlToken::NationalStringLiteral(s) => (TokenKind::NationalString, joined_lines(s)),
        SqlToken::DoubleQuotedString(s) => (TokenKind::QuotedIdent, s),
        SqlToken::HexStringLiteral(s) => (TokenKind::Hex, s),
        SqlToken::Number(n, _) => (TokenKind::Number, n),
        SqlToken::Whitespace(_) | SqlToken::EOF => return None,
        // `@x` is a Word in MsSql; `$` alone (money or an undefined `$(x)`) is a placeholder.
        SqlToken::Placeholder(p) => (TokenKind::Punct, p),
        other => (TokenKind::Punct, punct_text(&other)),
    };
    Some(converted)
}

/// Lex one batch with sqlparser's tokenizer: what [`super::lex_batch`] must reproduce
/// exactly (kept as the oracle of the differential test, not used by the tool).
#[doc(hidden)]
pub fn lex_batch_reference(batch: &Batch) -> Lexed {
    let dialect = MsSqlDialect {};
    let mut buf: Vec<TokenWithSpan> = Vec::new();
    let result = Tokenizer::new(&dialect, &batch.text).tokenize_with_location_into_buf(&mut buf);
    let mut cursor = Cursor::new(&batch.text);
    let mut lexed = Lexed::default();
    let last_end = buf.last().map(|t| t.span.end);
    for t in buf {
        if matches!(
            t.token,
            SqlToken::Whitespace(Whitespace::Space | Whitespace::Newline | Whitespace::Tab)
        ) {
            continue;
        }
        let start = cursor.seek(t.span.start);
        let end = cursor.seek(t.span.end);
        let span = batch.map.span(start, end);
        match t.token {
            SqlToken::Whitespace(Whitespace::SingleLineComment { comment, .. })
            | SqlToken::Whitespace(Whitespace::MultiLineComment(comment)) => {
                lexed.comments.push(Comment {
                    text: comment,
                    span,
                });
            }
            other => {
                if let Some((kind, value)) = convert(other) {
                    lexed.tokens.push(Token {
                        kind,
                        value: value.into(),
                        span,
                        expanded: start..end,
                    });
                }
            }
        }
    }
    merge_placeholders(batch, &mut lexed.tokens);
    merge_masked(batch, &mut lexed.tokens);
    read_line_breaks_as_lf(batch, &mut lexed);
    if let Err(e) = result {
        let mut at = cursor.seek(e.location);
        let comment = e.message.contains("multi-line comment");
        if comment {
            // The tokenizer reports an unclosed comment at the end of the batch; the
            // comment starts where the last complete token ends.
            let last_end = last_end.map_or(0, |end| cursor.seek(end));
            let rest = &batch.text[last_end..];
            at = last_end + (rest.len() - rest.trim_start().len());
        }
        lexed.error = Some(lex_error(batch, &e.message, at));
    }
    lexed
}
