//! One step of dynamic SQL: string variables and the text given to EXEC.
//!
//! The documentation's certificate script builds `N'CREATE CERTIFICATE [' +
//! @name + ']'…` with `@name = N'Cert_' + @@SERVERNAME + N'_endpoint'` and runs it
//! with `sp_executesql`. Evaluating such concatenations lets the rules see the
//! certificate the endpoint will reference. `@@SERVERNAME` stays a marker that the
//! rules resolve against the parameters file.

use super::parser::Parser;
use crate::lex::{Token, TokenKind};
use crate::model::SERVERNAME_MARKER;
use crate::span::Span;
use std::collections::HashMap;

/// Known values of string variables in one batch (variables are batch-scoped in T-SQL).
#[derive(Debug, Default)]
pub struct DynamicVars {
    /// Lower-cased name → value, None when it could not be evaluated.
    values: HashMap<String, Option<String>>,
}

/// Text to extract as dynamic SQL, with the span everything in it maps to.
pub struct DynamicSql {
    pub text: String,
    pub span: Span,
}

impl DynamicVars {
    /// `DECLARE @a type [= expr] [, …]` or `SET @a = expr`: records the values and
    /// returns true with the cursor after the statement; false leaves the cursor alone.
    pub fn track(&mut self, p: &mut Parser) -> bool {
        let start = p.pos;
        if p.eat_kw("DECLARE") {
            while let Some(var) = p.peek().filter(|t| t.value.starts_with('@')) {
                let name = var.value.to_ascii_lowercase();
                p.bump();
                p.eat_kw("AS");
                skip_type(p);
                let value = if p.eat_punct("=") {
                    self.expression(p)
                } else {
                    None
                };
                self.values.insert(name, value);
                if !p.eat_punct(",") {
                    break;
                }
            }
            return p.pos > start;
        }
        if p.peek_kw("SET")
            && p.peek_at(1)
                .is_some_and(|t| t.value.starts_with('@') && !t.value.starts_with("@@"))
            && p.peek_at(2).is_some_and(|t| t.is_punct("="))
        {
            let name = p
                .peek_at(1)
                .map(|t| t.value.to_ascii_lowercase())
                .unwrap_or_default();
            p.pos += 3;
            let value = self.expression(p);
            self.values.insert(name, value);
            return true;
        }
        false
    }

    /// `term [+ term]…` where a term is a string literal, a known variable or
    /// `@@SERVERNAME`. Anything else makes the value unknown (and is skipped).
    fn expression(&self, p: &mut Parser) -> Option<String> {
        let mut value = Some(String::new());
        loop {
            let term = p.peek()?;
            if let Some(c) = char_call(p) {
                value = value.map(|mut v| {
                    v.push(c);
                    v
                });
                if !p.eat_punct("+") {
                    return value;
                }
                continue;
            }
            let piece = self.term(term);
            p.bump();
            if term.is_punct("(") {
                // A function call or parenthesised expression: skip it, value unknown.
                skip_group(p);
            } else if p.peek_punct("(") {
                p.bump();
                skip_group(p);
            }
            value = match (value, piece) {
                (Some(mut v), Some(piece)) => {
                    v.push_str(&piece);
                    Some(v)
                }
                _ => None,
            };
            if !p.eat_punct("+") {
                return value;
            }
        }
    }

    fn term(&self, t: &Token) -> Option<String> {
        match t.kind {
            TokenKind::String | TokenKind::NationalString => Some(t.value.clone()),
            TokenKind::Word if t.value.eq_ignore_ascii_case("@@SERVERNAME") => {
                Some(SERVERNAME_MARKER.to_string())
            }
            TokenKind::Word if t.value.starts_with('@') => self
                .values
                .get(&t.value.to_ascii_lowercase())
                .cloned()
                .flatten(),
            _ => None,
        }
    }

    fn argument(&self, t: &Token) -> Option<String> {
        self.term(t)
    }
}

/// `CHAR(13)` / `NCHAR(10)`: the character, with the cursor after the call.
fn char_call(p: &mut Parser) -> Option<char> {
    let name = p.peek()?;
    if !(name.is_kw("CHAR") || name.is_kw("NCHAR")) {
        return None;
    }
    let (open, number, close) = (p.peek_at(1)?, p.peek_at(2)?, p.peek_at(3)?);
    if !open.is_punct("(") || number.kind != TokenKind::Number || !close.is_punct(")") {
        return None;
    }
    let c = number.value.parse::<u32>().ok().and_then(char::from_u32)?;
    p.pos += 4;
    Some(c)
}

/// Skip a type like `NVARCHAR(MAX)`, `INT`, `sysname`.
fn skip_type(p: &mut Parser) {
    if p.peek()
        .is_some_and(|t| t.kind == TokenKind::Word && !t.value.starts_with('@'))
    {
        p.bump();
        if p.eat_punct("(") {
            skip_group(p);
        }
    }
}

/// Skip to just after the `)` closing an already-opened group.
fn skip_group(p: &mut Parser) {
    let mut depth = 1usize;
    while let Some(t) = p.bump() {
        if t.is_punct("(") {
            depth += 1;
        } else if t.is_punct(")") {
            depth -= 1;
            if depth == 0 {
                return;
            }
        }
    }
}

/// `EXEC (expr)`, `EXEC sp_executesql [@stmt =] expr`: the SQL text when it is known.
/// Returns None (cursor restored) when the statement is not such a call.
pub fn exec_text(p: &mut Parser, vars: &DynamicVars) -> Option<DynamicSql> {
    let start = p.pos;
    if !(p.eat_kw("EXEC") || p.eat_kw("EXECUTE")) {
        return None;
    }
    let argument = if p.eat_punct("(") {
        let arg_start = p.pos;
        let value = vars.expression(p);
        let span = p.tokens.get(arg_start).map(|t| t.span.to(p.prev_span()));
        p.eat_punct(")");
        value.zip(span)
    } else {
        // `sp_executesql`, possibly schema-qualified.
        let mut is_executesql = false;
        while let Some(t) = p.peek() {
            if t.is_name() && !t.value.starts_with('@') {
                is_executesql = t.value.eq_ignore_ascii_case("sp_executesql");
                p.bump();
                if !p.eat_punct(".") {
                    break;
                }
            } else {
                break;
            }
        }
        if !is_executesql {
            p.pos = start;
            return None;
        }
        if p.peek()
            .is_some_and(|t| t.value.eq_ignore_ascii_case("@stmt"))
            && p.peek_at(1).is_some_and(|t| t.is_punct("="))
        {
            p.pos += 2;
        }
        let arg = p.peek()?;
        p.bump();
        vars.argument(arg).map(|v| (v, arg.span))
    };
    let Some((text, span)) = argument else {
        // An EXEC whose text is unknown: nothing to extract, but it was an EXEC.
        return Some(DynamicSql {
            text: String::new(),
            span: p.prev_span(),
        });
    };
    Some(DynamicSql { text, span })
}
