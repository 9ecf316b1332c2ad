//! A small cursor over one batch's tokens, with the helpers every statement
//! recognizer uses: keywords, names, option lists, URLs.

use super::url::parse_url;
use crate::lex::{value_subspan, Token, TokenKind};
use crate::model::{Name, Spanned, Url, Word};
use crate::span::Span;
use crate::sqlcmd::Batch;

/// A link statement that could not be understood.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

pub type PResult<T> = Result<T, ParseError>;

/// One `KEY = value` item of a `WITH (…)` / `(…)` option list.
#[derive(Debug, Clone)]
pub struct OptionItem<'t> {
    pub key: &'t Token,
    /// Tokens of the value (empty for a flag such as `DISTRIBUTED` or `BASIC`).
    pub value: &'t [Token],
    pub span: Span,
}

impl OptionItem<'_> {
    pub fn is(&self, key: &str) -> bool {
        self.key.value.eq_ignore_ascii_case(key)
    }

    /// The value as one upper-cased keyword (first token), e.g. `AUTOMATIC`; None for a
    /// placeholder (a value not known yet).
    pub fn word(&self) -> Option<Word> {
        let first = self
            .value
            .first()
            .filter(|t| t.kind != TokenKind::Placeholder)?;
        Some(Spanned {
            value: first.value.as_str().to_ascii_uppercase(),
            span: first.span,
        })
    }

    pub fn value_span(&self) -> Option<Span> {
        let first = self.value.first()?;
        let last = self.value.last()?;
        Some(first.span.to(last.span))
    }
}

pub struct Parser<'a> {
    pub tokens: &'a [Token],
    pub pos: usize,
    pub batch: &'a Batch<'a>,
    /// The batch is dynamic SQL: every span is the EXEC argument.
    pub dynamic: bool,
}

impl<'a> Parser<'a> {
    pub fn new(tokens: &'a [Token], batch: &'a Batch, dynamic: bool) -> Self {
        Parser {
            tokens,
            pos: 0,
            batch,
            dynamic,
        }
    }

    pub fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.pos)
    }

    pub fn peek_at(&self, ahead: usize) -> Option<&'a Token> {
        self.tokens.get(self.pos + ahead)
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    pub fn bump(&mut self) -> Option<&'a Token> {
        let t = self.tokens.get(self.pos);
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    /// Span of the current token, or of the last one at the end of the batch.
    pub fn here(&self) -> Span {
        self.peek()
            .or_else(|| self.tokens.last())
            .map(|t| t.span)
            .unwrap_or(self.batch.span)
    }

    pub fn prev_span(&self) -> Span {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map(|t| t.span)
            .unwrap_or(self.batch.span)
    }

    pub fn error<T>(&self, message: impl Into<String>) -> PResult<T> {
        // A secret is masked before this reads it; quoted, it is redacted before output.
        let found = match self.peek() {
            Some(t) => format!(", found `{}`", describe(t)),
            None => ", found the end of the statement".to_string(),
        };
        Err(ParseError {
            message: format!("{}{}", message.into(), found),
            span: self.here(),
        })
    }

    pub fn peek_kw(&self, keyword: &str) -> bool {
        self.peek().is_some_and(|t| t.is_kw(keyword))
    }

    /// Whether the next tokens are exactly these keywords.
    pub fn peek_kws(&self, keywords: &[&str]) -> bool {
        keywords
            .iter()
            .enumerate()
            .all(|(i, kw)| self.peek_at(i).is_some_and(|t| t.is_kw(kw)))
    }

    pub fn eat_kw(&mut self, keyword: &str) -> bool {
        if self.peek_kw(keyword) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn eat_kws(&mut self, keywords: &[&str]) -> bool {
        if self.peek_kws(keywords) {
            self.pos += keywords.len();
            true
        } else {
            false
        }
    }

    pub fn expect_kw(&mut self, keyword: &str) -> PResult<()> {
        if self.eat_kw(keyword) {
            Ok(())
        } else {
            self.error(format!("expected `{keyword}`"))
        }
    }

    pub fn peek_punct(&self, symbol: &str) -> bool {
        self.peek().is_some_and(|t| t.is_punct(symbol))
    }

    pub fn eat_punct(&mut self, symbol: &str) -> bool {
        if self.peek_punct(symbol) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn expect_punct(&mut self, symbol: &str) -> PResult<()> {
        if self.eat_punct(symbol) {
            Ok(())
        } else {
            self.error(format!("expected `{symbol}`"))
        }
    }

    /// The name a token gives. A variable (`BACKUP DATABASE @db`) gives a name not
    /// known yet: a placeholder, which rules leave alone.
    pub fn name_of(&self, token: &Token) -> Name {
        let variable = token.kind == TokenKind::Word && token.value.starts_with('@');
        Name {
            value: if variable {
                crate::placeholder::UNKNOWN.to_string()
            } else {
                token.value.to_string()
            },
            span: token.span,
            from_variable: self
                .batch
                .map
                .touches_substitution(token.expanded.start, token.expanded.end),
            dynamic: self.dynamic,
        }
    }

    /// An object name written as `x`, `[x]`, `"x"`, `'x'` or `N'x'`.
    pub fn name(&mut self, what: &str) -> PResult<Name> {
        match self.peek() {
            Some(t) if t.is_name() && !is_clause_keyword(t) => {
                self.pos += 1;
                Ok(self.name_of(t))
            }
            _ => self.error(format!("expected {what}")),
        }
    }

    /// Index just past the `)` matching the `(` at `open`, if the batch has it.
    fn matching_paren(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (i, t) in self.tokens.iter().enumerate().skip(open) {
            if t.is_punct("(") {
                depth += 1;
            } else if t.is_punct(")") {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
        }
        None
    }

    /// `( KEY = value [,] KEY = value … )` at the cursor. Commas are optional between
    /// items (the endpoint grammar allows that): a value ends at a depth-0 comma, at
    /// the closing parenthesis, or where a word followed by `=` starts the next item.
    pub fn option_list(&mut self) -> PResult<(Vec<OptionItem<'a>>, Span)> {
        let open = self.pos;
        if !self.peek_punct("(") {
            return self.error("expected `(`");
        }
        let Some(close) = self.matching_paren(open) else {
            return Err(ParseError {
                message: "this `(` is never closed".into(),
                span: self.tokens[open].span,
            });
        };
        let tokens: &'a [Token] = self.tokens;
        let inner = &tokens[open + 1..close - 1];
        let mut items = Vec::new();
        let mut i = 0;
        while i < inner.len() {
            if inner[i].is_punct(",") {
                i += 1;
                continue;
            }
            let key = &inner[i];
            let mut j = i + 1;
            let has_value = inner.get(j).is_some_and(|t| t.is_punct("="));
            if has_value {
                j += 1;
            }
            let value_start = j;
            if has_value {
                let mut depth = 0usize;
                while j < inner.len() {
                    let t = &inner[j];
                    if t.is_punct("(") {
                        depth += 1;
                    } else if t.is_punct(")") {
                        depth = depth.saturating_sub(1);
                    } else if depth == 0
                        && (t.is_punct(",")
                            || (j > value_start
                                && t.kind == TokenKind::Word
                                && inner.get(j + 1).is_some_and(|n| n.is_punct("="))))
                    {
                        break;
                    }
                    j += 1;
                }
            } else {
                // A flag, or a clause like `SECONDARY_ROLE (…)`: take a following group.
                if inner.get(j).is_some_and(|t| t.is_punct("(")) {
                    let mut depth = 0usize;
                    while j < inner.len() {
                        if inner[j].is_punct("(") {
                            depth += 1;
                        } else if inner[j].is_punct(")") {
                            depth -= 1;
                            if depth == 0 {
                                j += 1;
                                break;
                            }
                        }
                        j += 1;
                    }
                }
            }
            let value = &inner[value_start.min(j)..j];
            let end_span = inner[j.saturating_sub(1).max(i)].span;
            items.push(OptionItem {
                key,
                value,
                span: key.span.to(end_span),
            });
            i = j.max(i + 1);
        }
        let span = tokens[open].span.to(tokens[close - 1].span);
        self.pos = close;
        Ok((items, span))
    }

    /// Parse a string token as a URL, with sub-spans.
    pub fn url_of(&self, token: &Token) -> Url {
        let text = token.value.clone();
        let parts = parse_url(&text);
        let sub = |r: &std::ops::Range<usize>| value_subspan(self.batch, token, r.clone());
        let spanned = |r: &Option<std::ops::Range<usize>>| {
            r.as_ref().map(|r| Spanned {
                value: text[r.clone()].to_string(),
                span: sub(r),
            })
        };
        let port = parts.port.as_ref().map(|r| Spanned {
            value: text[r.clone()].parse::<u16>().ok().filter(|&p| p != 0),
            span: sub(r),
        });
        Url {
            value_span: sub(&(0..text.len())),
            span: token.span,
            scheme: spanned(&parts.scheme),
            host: spanned(&parts.host),
            port_text: parts.port.as_ref().map(|r| text[r.clone()].to_string()),
            port,
            server: spanned(&parts.server),
            database: spanned(&parts.database),
            junk: parts
                .junk
                .iter()
                .map(|r| Spanned {
                    value: text[r.clone()].to_string(),
                    span: sub(r),
                })
                .collect(),
            text: text.to_string(),
        }
    }

    /// Skip to the end of the batch (used after an unrecoverable statement error).
    pub fn skip_to(&mut self, pos: usize) {
        self.pos = pos.min(self.tokens.len());
    }
}

/// Words that start a clause rather than name something, so `CREATE ENDPOINT AS TCP`
/// is reported as a missing name instead of an endpoint named `AS`.
fn is_clause_keyword(t: &Token) -> bool {
    t.kind == TokenKind::Word
        && [
            "WITH", "FOR", "AS", "ON", "FROM", "SET", "TO", "STATE", "GO",
        ]
        .iter()
        .any(|k| t.value.eq_ignore_ascii_case(k))
}

/// A short description of a token for messages.
pub fn describe(t: &Token) -> String {
    let text = match t.kind {
        TokenKind::String => format!("'{}'", t.value),
        TokenKind::NationalString => format!("N'{}'", t.value),
        TokenKind::QuotedIdent => format!("[{}]", t.value),
        TokenKind::Hex => "0x…".to_string(),
        _ => t.value.to_string(),
    };
    truncate(&text, 40)
}

pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// A port option's value (`5022`): the number, or None inside when it is not a port
/// (`70000`, `-1`, `abc`). None when the value is a placeholder (`<port, int, 5022>`,
/// a value dynamic SQL could not evaluate): not known yet.
pub fn port_of(value: &[Token]) -> Option<Spanned<Option<u16>>> {
    let (first, last) = (value.first()?, value.last()?);
    if value.iter().any(|t| t.kind == TokenKind::Placeholder) {
        return None;
    }
    let number = match value {
        [only] if only.kind == TokenKind::Number => {
            only.value.parse::<u16>().ok().filter(|&p| p != 0)
        }
        _ => None,
    };
    Some(Spanned {
        value: number,
        span: first.span.to(last.span),
    })
}
