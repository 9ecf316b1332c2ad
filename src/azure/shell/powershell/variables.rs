//! Lexing: variables. A reference `$name`, `${name}`, `$scope:name`, `$env:NAME` is read
//! into a [`VarRef`] whose key is the name in lower case (PowerShell's names are
//! case-insensitive) with the scopes that do not change which variable it is (`$script:`,
//! `$global:` …) removed. Expanding it gives its value from the [`Env`](super::super::Env),
//! or a why: an automatic variable set at run time, an environment variable, or a
//! drive-qualified `$ip:5022` (a classic mistake for `${ip}:5022`).

use super::super::{push_word, Concat, Cursor, Word};
use super::lex::is_name_char;
use super::Ps;
use crate::span::Span;

/// The table key of a displayed variable (`$Name`, `$script:Name`, `$env:NAME`).
pub(super) fn key_of_display(display: &str) -> String {
    let name = display.trim_start_matches('$');
    match name.split_once(':') {
        Some((scope, name)) => normalize(Some(scope), name).0,
        None => normalize(None, name).0,
    }
}

/// What a variable reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A variable of the script (any scope).
    Plain,
    /// `$env:NAME`.
    Env,
    /// `$drive:name` with an unknown drive.
    Drive,
}

/// Key and kind of a variable name with its optional scope.
fn normalize(scope: Option<&str>, name: &str) -> (String, Kind) {
    match scope.map(|s| s.to_ascii_lowercase()) {
        None => (name.to_ascii_lowercase(), Kind::Plain),
        Some(s) => match s.as_str() {
            "global" | "local" | "script" | "private" | "using" | "variable" | "workflow" => {
                (name.to_ascii_lowercase(), Kind::Plain)
            }
            "env" => (format!("env:{}", name.to_ascii_lowercase()), Kind::Env),
            _ => (format!("{s}:{}", name.to_ascii_lowercase()), Kind::Drive),
        },
    }
}

/// A variable reference as written.
pub(super) struct VarRef {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) key: String,
    pub(super) display: String,
    kind: Kind,
}

/// Variables PowerShell sets itself.
fn automatic(key: &str) -> bool {
    matches!(
        key,
        "_" | "psitem"
            | "args"
            | "input"
            | "this"
            | "matches"
            | "lastexitcode"
            | "error"
            | "psscriptroot"
            | "pscommandpath"
            | "myinvocation"
            | "home"
            | "pwd"
            | "host"
            | "pid"
            | "psversiontable"
            | "executioncontext"
            | "profile"
            | "pscmdlet"
            | "psboundparameters"
            | "?"
            | "$"
            | "^"
    )
}

/// `$true`, `$false`, `$null` as strings.
fn constant(value: &str, at: Span) -> Word {
    Word::Known {
        value: value.to_string(),
        span: at,
        defined_at: None,
    }
}

impl<'a> Ps<'a> {
    /// A variable reference at `pos` (`$`), not consumed.
    pub(super) fn var_name(&self) -> Option<VarRef> {
        let b = self.b;
        let start = self.pos;
        if b.get(start) != Some(&b'$') {
            return None;
        }
        let p = start + 1;
        let c = b.get(p).copied().unwrap_or(0);
        let (scope, name, end): (Option<&str>, &str, usize) = if c == b'{' {
            let close = memchr::memchr(b'}', &b[p + 1..]).map_or(b.len(), |i| p + 1 + i);
            let inner = self.slice(p + 1, close);
            let end = (close + 1).min(b.len());
            match inner.split_once(':') {
                Some((s, n)) if !s.is_empty() && s.bytes().all(is_name_char) => (Some(s), n, end),
                _ => (None, inner, end),
            }
        } else if is_name_char(c) {
            let mut e = p;
            while e < b.len() && is_name_char(b[e]) {
                e += 1;
            }
            let first = self.slice(p, e);
            if b.get(e) == Some(&b':') && b.get(e + 1).is_some_and(|&x| is_name_char(x)) {
                let s2 = e + 1;
                let mut e2 = s2;
                while e2 < b.len() && is_name_char(b[e2]) {
                    e2 += 1;
                }
                (Some(first), self.slice(s2, e2), e2)
            } else {
                (None, first, e)
            }
        } else if matches!(c, b'?' | b'^' | b'$') {
            (None, self.slice(p, p + 1), p + 1)
        } else {
            return None;
        };
        let (key, kind) = normalize(scope, name);
        let display = match scope {
            Some(s) => format!("${s}:{name}"),
            None => format!("${name}"),
        };
        Some(VarRef {
            start,
            end,
            key,
            display,
            kind,
        })
    }

    /// `$…` inside a string or a word.
    pub(super) fn dollar_into(&mut self, c: &mut Concat) {
        if self.at(1) == b'(' {
            let (w, _) = self.subexpr();
            push_word(c, w);
            return;
        }
        match self.var_name() {
            Some(v) => {
                self.pos = v.end;
                self.expand_var(&v, c);
            }
            None => {
                c.lit("$");
                self.pos += 1;
            }
        }
    }

    /// Appends the value of a variable reference to `c` (`$true`, `$false`, `$null` are
    /// constants unless assigned; automatic variables are unknown).
    pub(super) fn expand_var(&mut self, v: &VarRef, c: &mut Concat) {
        let at = self.span(v.start, v.end);
        match v.kind {
            Kind::Plain => {
                if !self.env.vars.contains_key(&v.key) {
                    match v.key.as_str() {
                        "true" => return push_word(c, constant("True", at)),
                        "false" => return push_word(c, constant("False", at)),
                        "null" => return push_word(c, constant("", at)),
                        k if automatic(k) => {
                            return c.unknown(format!(
                                "`{}` is set by PowerShell at run time",
                                v.display
                            ))
                        }
                        _ => {}
                    }
                }
                self.env.expand(&v.key, &v.display, at, c, None);
            }
            Kind::Env => {
                let missing = format!(
                    "`{}` is an environment variable not set in this file",
                    v.display
                );
                self.env.expand(&v.key, &v.display, at, c, Some(missing));
            }
            Kind::Drive => {
                let written = self.slice(v.start, v.end);
                let (var, rest) = written.split_once(':').unwrap_or((written, ""));
                let name = var.trim_start_matches('$');
                c.unknown(format!(
                    "`{written}` is a drive-qualified variable in PowerShell, not `{var}` \
                     followed by `:{rest}` (write `${{{name}}}:{rest}` or `$({var}):{rest}`)"
                ))
            }
        }
    }
}
