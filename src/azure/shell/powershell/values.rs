//! Expressions: the bracketed and prefixed values — `$x` with its properties and indexes,
//! `$( … )`, `( … )`, `@( … )` arrays and `[type]` casts. Commands inside any of them are
//! scanned (and returned) like any other; the value is then their output, which is unknown.

use super::super::{output_why, Concat, Cursor, Word, MAX_DEPTH};
use super::expressions::respan;
use super::Ps;

impl<'a> Ps<'a> {
    /// `$x`, `$x.Prop`, `$x[0]` in an expression.
    pub(super) fn var_expr(&mut self) -> (Word, bool) {
        let start = self.pos;
        let Some(v) = self.var_name() else {
            self.pos += 1;
            return self.unknown_from(start, "a lone `$`");
        };
        self.pos = v.end;
        let mut postfix = None;
        loop {
            match self.peek() {
                b'.' if self.at(1).is_ascii_alphabetic() || self.at(1) == b'_' => {
                    self.pos = self.ident_end(self.pos + 1);
                    postfix.get_or_insert("a property of");
                }
                b':' if self.at(1) == b':' => {
                    self.pos = self.ident_end(self.pos + 2);
                    postfix.get_or_insert("a property of");
                }
                b'[' => {
                    self.skip_balanced();
                    postfix.get_or_insert("an element of");
                }
                b'(' if postfix.is_some() => {
                    self.skip_balanced();
                    postfix = Some("a method call on");
                }
                _ => break,
            }
        }
        if let Some(what) = postfix {
            return self.unknown_from(start, &format!("{what} `{}`", v.display));
        }
        let mut c = Concat::default();
        self.expand_var(&v, &mut c);
        c.finish(self.span(start, self.pos))
    }

    /// `$( … )` at `$`: `$($var)` is the variable, anything else unknown (commands inside
    /// are returned).
    pub(super) fn subexpr(&mut self) -> (Word, bool) {
        let start = self.pos;
        let b = self.b;
        let mut p = start + 2;
        while matches!(b.get(p), Some(b' ' | b'\t')) {
            p += 1;
        }
        if b.get(p) == Some(&b'$') {
            self.pos = p;
            if let Some(v) = self.var_name() {
                let mut q = v.end;
                while matches!(b.get(q), Some(b' ' | b'\t')) {
                    q += 1;
                }
                if b.get(q) == Some(&b')') {
                    self.pos = q + 1;
                    let mut c = Concat::default();
                    self.expand_var(&v, &mut c);
                    return c.finish(self.span(start, self.pos));
                }
            }
            self.pos = start;
        }
        let first = self.out.len();
        self.pos = start + 1;
        self.nested(b')');
        let why = output_why(&self.out, first, "a `$(…)` subexpression");
        self.unknown_from(start, &why)
    }

    /// `( … )` at `(`.
    pub(super) fn paren_expr(&mut self) -> (Word, bool) {
        let start = self.pos;
        if self.depth >= MAX_DEPTH {
            self.skip_balanced();
            return self.unknown_from(start, "an expression nested too deeply");
        }
        let saved_nl = self.nl_ok;
        self.pos += 1;
        self.skip_ws(true);
        if self.is_command_start() && self.value_keyword().is_none() {
            let first = self.out.len();
            self.pos = start;
            self.nested(b')');
            self.nl_ok = saved_nl;
            let why = output_why(&self.out, first, "a command");
            return self.unknown_from(start, &why);
        }
        self.nl_ok = true;
        self.depth += 1;
        let (w, pure) = self.expr();
        self.depth -= 1;
        self.skip_ws(true);
        let r = if self.peek() == b')' {
            self.pos += 1;
            let span = self.span(start, self.pos);
            (respan(w, span), pure)
        } else {
            loop {
                self.skip_rest();
                if self.eof() {
                    break;
                }
                if self.peek() == b')' {
                    self.pos += 1;
                    break;
                }
                self.pos += 1;
            }
            self.unknown_from(start, "an expression this linter does not evaluate")
        };
        self.nl_ok = saved_nl;
        r
    }

    /// `@( … )` at `@`.
    pub(super) fn array_expr(&mut self) -> (Word, bool) {
        let start = self.pos;
        if self.depth >= MAX_DEPTH {
            self.pos += 1;
            self.skip_balanced();
            return self.unknown_from(start, "an expression nested too deeply");
        }
        let saved_nl = self.nl_ok;
        self.pos += 2;
        self.skip_ws(true);
        if self.is_command_start() {
            let first = self.out.len();
            self.pos = start + 1;
            self.nested(b')');
            self.nl_ok = saved_nl;
            let why = output_why(&self.out, first, "a command");
            return self.unknown_from(start, &why);
        }
        self.nl_ok = true;
        self.depth += 1;
        let mut items = Vec::new();
        let mut ok = true;
        loop {
            self.skip_ws(true);
            while self.peek() == b';' {
                self.pos += 1;
                self.skip_ws(true);
            }
            if self.eof() {
                ok = false;
                break;
            }
            if self.peek() == b')' {
                self.pos += 1;
                break;
            }
            let before = self.pos;
            let (w, _) = self.expr();
            match w {
                Word::List { items: more, .. } => items.extend(more),
                w => items.push(w),
            }
            if self.pos == before {
                self.nl_ok = saved_nl;
                self.depth -= 1;
                self.pos = start + 1;
                self.skip_balanced();
                return self.unknown_from(start, "an array this linter does not evaluate");
            }
        }
        self.depth -= 1;
        self.nl_ok = saved_nl;
        let span = self.span(start, self.pos);
        if !ok {
            return (
                Word::Unknown {
                    span,
                    why: "an unterminated `@(`".to_string(),
                },
                false,
            );
        }
        (Word::List { items, span }, false)
    }

    /// `[type]value` or `[Type]::Member` at `[`.
    pub(super) fn cast_expr(&mut self) -> (Word, bool) {
        let start = self.pos;
        self.skip_balanced();
        if self.peek() == b':' && self.at(1) == b':' {
            self.pos = self.ident_end(self.pos + 2);
            while matches!(self.peek(), b'(' | b'[')
                || (self.peek() == b'.' && self.at(1).is_ascii_alphabetic())
            {
                if self.peek() == b'.' {
                    self.pos = self.ident_end(self.pos + 1);
                } else {
                    self.skip_balanced();
                }
            }
            return self.unknown_from(start, "a .NET call");
        }
        let save = self.pos;
        self.skip_ws(false);
        if matches!(
            self.peek(),
            b'$' | b'\'' | b'"' | b'(' | b'@' | b'[' | b'0'..=b'9'
        ) {
            let (w, pure) = self.unary();
            let span = self.span(start, w.span().end as usize);
            return (respan(w, span), pure);
        }
        self.pos = save;
        self.unknown_from(start, "a type literal")
    }
}
