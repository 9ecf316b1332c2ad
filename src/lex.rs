//! Lexing of one SQLCMD batch as sqlparser's MsSql tokenizer lexes it.
//!
//! [`scan`] reads the batch text (after variable substitution) in one pass and gives
//! byte ranges; the batch's [`SourceMap`](crate::sqlcmd::SourceMap) turns those into
//! spans of the original file. The sqlparser-based path it replaced is kept as
//! [`lex_batch_reference`], the oracle of the differential test
//! (`tests/lexer_equivalence.rs`).

use crate::span::Span;
use crate::sqlcmd::Batch;
use compact_str::CompactString;
use std::ops::Range;

mod reference;
mod scan;

#[doc(hidden)]
pub use reference::lex_batch_reference;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An unquoted word: keyword or regular identifier (also `@var`, `@@SERVERNAME`, `#tmp`).
    Word,
    /// `[name]` or `"name"`.
    QuotedIdent,
    /// `'text'`.
    String,
    /// `N'text'`.
    NationalString,
    /// `0x…`.
    Hex,
    Number,
    /// Any punctuation or operator; its text is the symbol.
    Punct,
    /// A value still to be filled in: `<name, type, default>`, `<DAGName>`, `${var}`,
    /// an undefined `$(var)` (see [`crate::placeholder`]); its text is the placeholder.
    Placeholder,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub kind: TokenKind,
    /// Unescaped value (`]]` → `]`, `''` → `'`), without quotes or brackets. Stored
    /// inline up to 24 bytes (almost every word, number and symbol): a big procedure has
    /// hundreds of thousands of tokens, and a heap string each was a third of its time.
    pub value: CompactString,
    /// Span in the original file.
    pub span: Span,
    /// Byte range in the batch's expanded text.
    pub expanded: Range<usize>,
}

impl Token {
    /// Case-insensitive keyword test for unquoted words.
    pub fn is_kw(&self, keyword: &str) -> bool {
        self.kind == TokenKind::Word && self.value.eq_ignore_ascii_case(keyword)
    }

    pub fn is_punct(&self, symbol: &str) -> bool {
        self.kind == TokenKind::Punct && self.value == symbol
    }

    /// A token that can name an object: `x`, `[x]`, `"x"`, `'x'`, `N'x'`, or a placeholder
    /// standing for one.
    pub fn is_name(&self) -> bool {
        matches!(
            self.kind,
            TokenKind::Word
                | TokenKind::QuotedIdent
                | TokenKind::String
                | TokenKind::NationalString
                | TokenKind::Placeholder
        )
    }

    pub fn is_string(&self) -> bool {
        matches!(self.kind, TokenKind::String | TokenKind::NationalString)
    }
}

/// A comment, kept for rules that read them (suppressions, run-on markers).
#[derive(Debug, Clone)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

/// The tokenizer failed; tokens before the error are still returned.
#[derive(Debug, Clone)]
pub struct LexError {
    pub message: String,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct Lexed {
    pub tokens: Vec<Token>,
    pub comments: Vec<Comment>,
    pub error: Option<LexError>,
}

/// Collects the scanner's output into a [`Lexed`] with spans of the original file.
struct Collect<'b, 't> {
    batch: &'b Batch<'t>,
    lexed: Lexed,
}

impl scan::Sink for Collect<'_, '_> {
    fn token(&mut self, kind: TokenKind, value: CompactString, start: usize, end: usize) {
        self.lexed.tokens.push(Token {
            kind,
            value,
            span: self.batch.map.span(start, end),
            expanded: start..end,
        });
    }

    fn comment(&mut self, text: String, start: usize, end: usize) {
        self.lexed.comments.push(Comment {
            text,
            span: self.batch.map.span(start, end),
        });
    }
}

/// A string's value as SQL Server reads it: a backslash at the end of a line inside the
/// literal continues it on the next line (both are removed).
fn joined_lines(value: String) -> String {
    if !value.contains('\\') {
        return value;
    }
    value.replace("\\\r\n", "").replace("\\\n", "")
}

/// Lex one batch. A tokenizer error stops only this batch.
pub fn lex_batch(batch: &Batch) -> Lexed {
    let mut collect = Collect {
        batch,
        lexed: Lexed {
            // About one token per six bytes of a typical script.
            tokens: Vec::with_capacity(batch.text.len() / 6),
            ..Lexed::default()
        },
    };
    let result = scan::scan(&batch.text, &mut collect);
    let mut lexed = collect.lexed;
    merge_placeholders(batch, &mut lexed.tokens);
    merge_masked(batch, &mut lexed.tokens);
    read_line_breaks_as_lf(batch, &mut lexed);
    if let Err(e) = result {
        lexed.error = Some(lex_error(batch, e.message, e.at));
    }
    lexed
}

/// A batch keeps the file's `\r\n` line breaks (it is borrowed from the file); the
/// values of the strings, names and comments that span lines are read with `\n` ones,
/// as in a file with Unix line breaks, so that the rules see the same values either way.
fn read_line_breaks_as_lf(batch: &Batch, lexed: &mut Lexed) {
    if !batch.text.contains('\r') {
        return;
    }
    for token in &mut lexed.tokens {
        if token.value.contains("\r\n") {
            token.value = token.value.replace("\r\n", "\n").into();
        }
    }
    for comment in &mut lexed.comments {
        if comment.text.contains("\r\n") {
            comment.text = comment.text.replace("\r\n", "\n");
        }
    }
}

/// The error the tokenizer reported at byte `at` of the batch, in the tool's words: its
/// span is the opening quote, bracket or `/*` (or the character at `at`).
fn lex_error(batch: &Batch, message: &str, at: usize) -> LexError {
    let comment = message.contains("multi-line comment");
    let end = if comment && batch.text[at..].starts_with("/*") {
        at + 2
    } else {
        next_char_boundary(&batch.text, at)
    };
    LexError {
        message: lex_error_message(message, &batch.text[at..end]),
        span: batch.map.span(at, end),
    }
}

/// Each placeholder written outside quotes (`<Database_Name, sysname, Sales>`, `${db}`,
/// `$(Undefined)`) becomes one token, which a link statement reads as a value not known
/// yet rather than as punctuation it cannot parse.
fn merge_placeholders(batch: &Batch, tokens: &mut Vec<Token>) {
    let starts_one = |t: &Token| match t.kind {
        TokenKind::Punct => matches!(t.value.as_str(), "<" | "$" | "{"),
        TokenKind::Word => t.value.starts_with("#{"),
        _ => false,
    };
    if !tokens.iter().any(starts_one) {
        return;
    }
    // First find the merges (usually none: `<` is mostly a comparison), then rebuild.
    let mut merges: Vec<(usize, usize, std::ops::Range<usize>)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let found = starts_one(t)
            .then(|| crate::placeholder::at(&batch.text[t.expanded.start..]))
            .flatten();
        if let Some(p) = found {
            let start = t.expanded.start;
            let end = start + p.range.end;
            // The placeholder must end where a token ends (not inside a string).
            let last = tokens[i..].iter().position(|x| x.expanded.end >= end);
            if let Some(k) = last.filter(|&k| tokens[i + k].expanded.end == end) {
                merges.push((i, i + k, start..end));
                i += k + 1;
                continue;
            }
        }
        i += 1;
    }
    if merges.is_empty() {
        return;
    }
    let mut old = std::mem::take(tokens).into_iter().enumerate().peekable();
    for (first, last, range) in merges {
        tokens.extend(old.by_ref().take_while(|(i, _)| *i < first).map(|(_, t)| t));
        // `take_while` consumed the first token of the placeholder; skip the rest of it.
        while old.peek().is_some_and(|(i, _)| *i <= last) {
            old.next();
        }
        tokens.push(Token {
            kind: TokenKind::Placeholder,
            value: batch.text[range.clone()].into(),
            span: batch.map.span(range.start, range.end),
            expanded: range,
        });
    }
    tokens.extend(old.map(|(_, t)| t));
}

/// Masked bytes outside quotes (a bare password, a name built from a secret variable)
/// are read by the tokenizer as stray characters; the run of touching tokens that holds
/// them becomes one placeholder token: a value the tool does not know (see
/// [`crate::secrets`]).
fn merge_masked(batch: &Batch, tokens: &mut Vec<Token>) {
    let masked = |t: &Token| {
        !matches!(t.kind, TokenKind::String | TokenKind::NationalString)
            && crate::secrets::is_tainted(&batch.text[t.expanded.clone()])
    };
    if !tokens.iter().any(masked) {
        return;
    }
    // Strings and separators keep their own tokens: a secret never swallows them.
    let stands_alone = |t: &Token| {
        matches!(t.kind, TokenKind::String | TokenKind::NationalString)
            || (t.kind == TokenKind::Punct && matches!(t.value.as_str(), ";" | "," | "(" | ")"))
    };
    let joins = |a: &Token, b: &Token| {
        a.expanded.end == b.expanded.start && !stands_alone(a) && !stands_alone(b)
    };
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let mut end = i;
        while end + 1 < tokens.len() && joins(&tokens[end], &tokens[end + 1]) {
            end += 1;
        }
        if tokens[i..=end].iter().any(masked) {
            let range = tokens[i].expanded.start..tokens[end].expanded.end;
            out.push(Token {
                kind: TokenKind::Placeholder,
                value: batch.text[range.clone()].into(),
                span: batch.map.span(range.start, range.end),
                expanded: range,
            });
        } else {
            out.extend(tokens[i..=end].iter().cloned());
        }
        i = end + 1;
    }
    *tokens = out;
}

/// The tokenizer's message in the words of the rest of the tool.
fn lex_error_message(message: &str, opening: &str) -> String {
    if message.contains("multi-line comment") {
        "unterminated comment: this /* is never closed (comments nest in T-SQL: every /* needs its */)".into()
    } else if message.contains("Unterminated string") {
        "unterminated string: the quote opened here is never closed".into()
    } else if message.contains("close delimiter") {
        format!("unterminated name: the {opening} opened here is never closed")
    } else {
        message.trim_end_matches('.').to_string()
    }
}

fn next_char_boundary(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map(|c| at + c.len_utf8())
        .unwrap_or(at)
}

/// Span of a sub-range of a quoted token's *unescaped* value (e.g. the host inside a
/// URL string). Walks the raw text so `''` and `]]` escapes are accounted for.
pub fn value_subspan(batch: &Batch, token: &Token, value_range: Range<usize>) -> Span {
    let raw = &batch.text[token.expanded.clone()];
    let (prefix, close) = match token.kind {
        TokenKind::NationalString => (2, Some('\'')),
        TokenKind::String => (1, Some('\'')),
        TokenKind::QuotedIdent => (
            1,
            raw.chars().next().map(|c| if c == '[' { ']' } else { c }),
        ),
        _ => (0, None),
    };
    let mut raw_offset = prefix.min(raw.len());
    let mut value_offset = 0;
    let mut raw_start = None;
    let body = &raw[raw_offset..];
    let mut chars = body.char_indices().peekable();
    let is_string = matches!(token.kind, TokenKind::String | TokenKind::NationalString);
    while let Some((i, c)) = chars.next() {
        // A line continuation (`\` at the end of a line) is not part of the value.
        if is_string && c == '\\' {
            let rest = &body[i + 1..];
            let skip = if rest.starts_with("\r\n") {
                2
            } else if rest.starts_with('\n') {
                1
            } else {
                0
            };
            if skip > 0 {
                for _ in 0..skip {
                    chars.next();
                }
                raw_offset = prefix + i + 1 + skip;
                continue;
            }
        }
        if value_offset >= value_range.start && raw_start.is_none() {
            raw_start = Some(prefix + i);
        }
        if value_offset >= value_range.end {
            raw_offset = prefix + i;
            break;
        }
        let escaped = Some(c) == close && chars.peek().map(|&(_, n)| n) == close;
        if escaped {
            chars.next();
        }
        value_offset += c.len_utf8();
        raw_offset = prefix + i + c.len_utf8() + if escaped { c.len_utf8() } else { 0 };
    }
    let raw_start = raw_start.unwrap_or(raw_offset);
    let base = token.expanded.start;
    batch
        .map
        .span(base + raw_start, base + raw_offset.max(raw_start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::FileId;
    use crate::sqlcmd::{split, ExternalVars};

    fn lex(text: &str) -> Vec<Lexed> {
        split(FileId(0), text, &ExternalVars::default())
            .batches
            .iter()
            .map(lex_batch)
            .collect()
    }

    #[test]
    fn spans_are_bytes_of_the_original_text_with_non_ascii() {
        let text = "-- é wörd\r\nSELECT N'Straße' AS [x]]y] -- ü\r\nGO\r\nUSE [dé]\r\n";
        let batches = lex(text);
        let b0 = &batches[0];
        let s = b0
            .tokens
            .iter()
            .find(|t| t.kind == TokenKind::NationalString)
            .unwrap();
        assert_eq!(&text[s.span.range()], "N'Straße'");
        assert_eq!(s.value, "Straße");
        let q = b0
            .tokens
            .iter()
            .find(|t| t.kind == TokenKind::QuotedIdent)
            .unwrap();
        assert_eq!(q.value, "x]y");
        assert_eq!(&text[q.span.range()], "[x]]y]");
        assert_eq!(b0.comments.len(), 2);
        let d = batches[1]
            .tokens
            .iter()
            .find(|t| t.kind == TokenKind::QuotedIdent)
            .unwrap();
        assert_eq!(&text[d.span.range()], "[dé]");
    }

    #[test]
    fn lex_error_stops_only_its_batch() {
        let text = "SELECT N'oops\nGO\nSELECT 2\n";
        let batches = lex(text);
        let err = batches[0].error.as_ref().unwrap();
        assert_eq!(&text[err.span.range()], "'");
        assert!(batches[1].error.is_none());
        assert_eq!(batches[1].tokens.len(), 2);
    }

    #[test]
    fn subspan_inside_escaped_string() {
        let text = "SELECT 'it''s tcp://h:5022'";
        let batches = lex(text);
        let batch = split(FileId(0), text, &ExternalVars::default())
            .batches
            .remove(0);
        let t = batches[0]
            .tokens
            .iter()
            .find(|t| t.kind == TokenKind::String)
            .unwrap();
        assert_eq!(t.value, "it's tcp://h:5022");
        let host = t.value.find("h:").unwrap();
        let span = value_subspan(&batch, t, host..host + 1);
        assert_eq!(&text[span.range()], "h");
        let all = value_subspan(&batch, t, 0..t.value.len());
        assert_eq!(&text[all.range()], "it''s tcp://h:5022");
    }

    #[test]
    fn a_backslash_at_the_end_of_a_line_continues_a_string() {
        let text = "SELECT 'tcp://mi-a.zone.database.windows.net:5022;\\\r\nServer=[mi-a]'";
        let batches = lex(text);
        let batch = split(FileId(0), text, &ExternalVars::default())
            .batches
            .remove(0);
        let t = batches[0]
            .tokens
            .iter()
            .find(|t| t.kind == TokenKind::String)
            .unwrap();
        assert_eq!(
            t.value,
            "tcp://mi-a.zone.database.windows.net:5022;Server=[mi-a]"
        );
        let server = t.value.find("mi-a]").unwrap();
        let span = value_subspan(&batch, t, server..server + 4);
        assert_eq!(&text[span.range()], "mi-a");
    }

    #[test]
    fn nested_comments_hide_statements() {
        let batches = lex("/* CREATE /* nested */ ENDPOINT x */ SELECT 1");
        assert!(batches[0].tokens.iter().all(|t| !t.is_kw("CREATE")));
    }
}
