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
    /// `@@SERVERNAME` when the parameters give it; otherwise it stays a marker.
    server_name: Option<String>,
    /// The string literals assigned to each variable (lower-cased name), so a message
    /// built in a variable counts as text for people where the variable is printed.
    literals: HashMap<String, Vec<Span>>,
    /// Nesting of the expression being evaluated: deeper than [`MAX_NESTING`] is unknown,
    /// so hostile input (`((((…` 100,000 times) cannot overflow the stack.
    nesting: std::cell::Cell<usize>,
}

/// Far more than any script builds a name with; small enough for a debug build's stack.
const MAX_NESTING: usize = 64;

/// Longer dynamic SQL is not evaluated: `SET @s = @s + @s` repeated would otherwise
/// double without end (a 229-byte script could ask for gigabytes).
const MAX_VALUE_LEN: usize = 1 << 20;

/// Text to extract as dynamic SQL, with the span everything in it maps to.
pub struct DynamicSql {
    pub text: String,
    pub span: Span,
}

impl DynamicVars {
    pub fn new(server_name: Option<&str>) -> Self {
        DynamicVars {
            values: HashMap::new(),
            literals: HashMap::new(),
            server_name: server_name.map(str::to_string),
            nesting: std::cell::Cell::new(0),
        }
    }

    /// `DECLARE @a type [= expr] [, …]` or `SET @a = expr`: records the values and
    /// returns true with the cursor after the statement; false leaves the cursor alone.
    pub fn track(&mut self, p: &mut Parser) -> bool {
        let start = p.pos;
        if p.eat_kw("DECLARE") {
            while let Some(var) = p.peek().filter(|t| t.value.starts_with('@')) {
                let name = var.value.as_str().to_ascii_lowercase();
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
                .map(|t| t.value.as_str().to_ascii_lowercase())
                .unwrap_or_default();
            p.pos += 3;
            let value = self.expression(p);
            self.values.insert(name, value);
            return true;
        }
        false
    }

    /// Record the string literals of a DECLARE / SET statement under the variables it
    /// assigns (`SET @msg = …`, `DECLARE @a … = …, @b …`).
    pub fn note_literals(&mut self, statement: &[Token]) {
        let literals: Vec<Span> = statement
            .iter()
            .filter(|t| t.is_string())
            .map(|t| t.span)
            .collect();
        if literals.is_empty() {
            return;
        }
        let mut depth = 0usize;
        let mut targets = Vec::new();
        for (i, t) in statement.iter().enumerate() {
            if t.is_punct("(") {
                depth += 1;
            } else if t.is_punct(")") {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && t.value.starts_with('@') && !t.value.starts_with("@@") {
                let after_head = i == 1;
                let after_comma = i > 0 && statement[i - 1].is_punct(",");
                if after_head || after_comma {
                    targets.push(t.value.as_str().to_ascii_lowercase());
                }
            }
        }
        for target in targets {
            self.literals
                .entry(target)
                .or_default()
                .extend(literals.iter().copied());
        }
    }

    /// The literals assigned to `variable` so far in the batch.
    pub fn literals_of(&self, variable: &str) -> Vec<Span> {
        self.literals
            .get(&variable.to_ascii_lowercase())
            .cloned()
            .unwrap_or_default()
    }

    /// `operand [+ operand]…`. An operand is a string literal, a known variable,
    /// `@@SERVERNAME`, `CHAR(n)`, a parenthesised expression, or one of the string
    /// functions scripts build names with; anything else makes the value unknown.
    fn expression(&self, p: &mut Parser) -> Option<String> {
        if self.nesting.get() >= MAX_NESTING {
            // The caller skips the rest of the group.
            return None;
        }
        self.nesting.set(self.nesting.get() + 1);
        let value = self.sum(p);
        self.nesting.set(self.nesting.get() - 1);
        value
    }

    fn sum(&self, p: &mut Parser) -> Option<String> {
        let mut value = Some(String::new());
        loop {
            // A piece that cannot be evaluated (a value read from a table, a function
            // this module does not know) stands as a placeholder: the rest of the text is
            // still read, and a value holding it is one rules leave alone.
            let piece = Some(
                self.operand(p)
                    .unwrap_or_else(|| crate::placeholder::UNKNOWN.to_string()),
            );
            value = value
                .zip(piece)
                .filter(|(v, piece)| v.len() + piece.len() <= MAX_VALUE_LEN)
                .map(|(mut v, piece)| {
                    v.push_str(&piece);
                    v
                });
            if !p.eat_punct("+") {
                return value;
            }
        }
    }

    fn operand(&self, p: &mut Parser) -> Option<String> {
        let t = p.peek()?;
        if let Some(c) = char_call(p) {
            return Some(c.to_string());
        }
        if t.is_punct("(") {
            p.bump();
            let value = self.expression(p);
            if !p.eat_punct(")") {
                skip_group(p);
            }
            return value;
        }
        let is_call = t.kind == TokenKind::Word
            && !t.value.starts_with('@')
            && p.peek_at(1).is_some_and(|n| n.is_punct("("));
        if is_call {
            return self.function(p);
        }
        p.bump();
        self.term(t)
    }

    /// `CAST(x AS type)` / `CONVERT(type, x [, style])` (and their TRY_ forms) with the
    /// cursor on the name: the value of `x` as text (a number stays its digits).
    fn conversion(&self, p: &mut Parser) -> Option<Option<String>> {
        let name = p.peek()?.value.as_str().to_ascii_uppercase();
        let cast = matches!(name.as_str(), "CAST" | "TRY_CAST");
        let convert = matches!(name.as_str(), "CONVERT" | "TRY_CONVERT");
        if !(cast || convert) {
            return None;
        }
        p.pos += 2; // name `(`
        let value = if cast {
            let value = self.expression(p);
            // `AS type`, up to the closing parenthesis.
            if p.eat_kw("AS") {
                skip_type(p);
            }
            value
        } else {
            skip_type(p);
            p.eat_punct(",");
            let value = self.expression(p);
            if p.eat_punct(",") {
                // The style.
                self.expression(p);
            }
            value
        };
        if !p.eat_punct(")") {
            skip_group(p);
        }
        Some(value)
    }

    /// `NAME(arg, …)` with the cursor on NAME.
    fn function(&self, p: &mut Parser) -> Option<String> {
        if let Some(value) = self.conversion(p) {
            return value;
        }
        let name = p.bump()?.value.as_str().to_ascii_uppercase();
        p.bump(); // `(`
        let mut args = vec![self.expression(p)];
        while p.eat_punct(",") {
            args.push(self.expression(p));
        }
        if !p.eat_punct(")") {
            skip_group(p);
        }
        let args: Vec<String> = args.into_iter().collect::<Option<_>>()?;
        // Functions that change the text cannot be applied to an unknown server name.
        let symbolic = args.iter().any(|a| a.contains(SERVERNAME_MARKER));
        match (name.as_str(), args.as_slice()) {
            ("QUOTENAME", [text]) | ("QUOTENAME", [text, _]) if !text.is_empty() => {
                Some(format!("[{}]", text.replace(']', "]]")))
            }
            ("CONCAT", parts) => Some(parts.concat()).filter(|v| v.len() <= MAX_VALUE_LEN),
            ("CAST", [text]) | ("LTRIM", [text]) | ("RTRIM", [text]) | ("TRIM", [text])
                if !symbolic =>
            {
                Some(match name.as_str() {
                    "LTRIM" => text.trim_start().to_string(),
                    "RTRIM" => text.trim_end().to_string(),
                    "TRIM" => text.trim().to_string(),
                    _ => text.clone(),
                })
            }
            ("REPLACE", [text, from, to]) if !symbolic && !from.is_empty() => {
                let grows = to.len().saturating_sub(from.len());
                let count = text.matches(from.as_str()).count();
                (text.len() + grows.saturating_mul(count) <= MAX_VALUE_LEN)
                    .then(|| text.replace(from.as_str(), to))
            }
            ("UPPER", [text]) if !symbolic => Some(text.to_uppercase()),
            ("LOWER", [text]) if !symbolic => Some(text.to_lowercase()),
            _ => None,
        }
    }

    fn term(&self, t: &Token) -> Option<String> {
        match t.kind {
            TokenKind::String | TokenKind::NationalString => Some(t.value.to_string()),
            // `DECLARE @port int = 5022` then `CAST(@port AS nvarchar(5))`.
            TokenKind::Number => Some(t.value.to_string()),
            TokenKind::Word if t.value.eq_ignore_ascii_case("@@SERVERNAME") => Some(
                self.server_name
                    .clone()
                    .unwrap_or_else(|| SERVERNAME_MARKER.to_string()),
            ),
            TokenKind::Word if t.value.starts_with('@') => self
                .values
                .get(&t.value.as_str().to_ascii_lowercase())
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
