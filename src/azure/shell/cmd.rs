//! cmd (`.cmd`, `.bat`).
//!
//! Supported: `REM` and `::` comments, `:label` lines; `^` escapes and line continuation;
//! separators `&`, `&&`, `||`, `|`, newline; `( … )` blocks, `if [/i] [not] …` and
//! `for … do` headers (skipped, the command after them is returned); `@` prefixes; `set
//! VAR=value` (the rest of the statement, trailing blanks included, as cmd does) and `set
//! "VAR=value"`; `set /p` and `set /a` make the variable unknown; `setlocal
//! EnableDelayedExpansion` turns on `!VAR!`; `%VAR%` expansion (names case-insensitive);
//! "…" quotes are removed from values; `call x …` → command `x`; redirections skipped.
//!
//! Unknown (with a why): `%1`, `%~1`, `%*`, `%~dp0`, `%%i` loop variables, `%VAR:~0,3%` /
//! `%VAR:a=b%`, dynamic variables (`%DATE%`, `%COMPUTERNAME%` …), variables never set.
//!
//! Simplifications: cmd expands `%VAR%` when it reads a whole line or `( … )` block; here
//! values follow textual order. A value expanded outside quotes is trimmed and loses its
//! `"` characters (as the argument splitting of the program would), and is not split in
//! several arguments.

use super::command_line::{CommandLine, Item};
use super::Cursor;
use super::{after_bom, fix_later, Command, Concat, Env, Var, NEVER};
use crate::span::FileId;

pub(super) fn commands(file: FileId, text: &str) -> Vec<Command> {
    let mut p = Cmd {
        text,
        b: text.as_bytes(),
        pos: after_bom(text),
        limit: text.len(),
        file,
        env: Env::new(text),
        out: Vec::new(),
        parens: 0,
        delayed: false,
        line_vars: None,
    };
    p.statements();
    let mut out = p.out;
    fix_later(&mut out, &p.env, |d| {
        d.trim_matches(['%', '!']).to_ascii_lowercase()
    });
    out
}

/// Variables Windows sets (or computes) itself.
fn dynamic(key: &str) -> bool {
    matches!(
        key,
        "cd" | "date"
            | "time"
            | "random"
            | "errorlevel"
            | "cmdcmdline"
            | "cmdextversion"
            | "computername"
            | "username"
            | "userdomain"
            | "userprofile"
            | "temp"
            | "tmp"
            | "path"
            | "programfiles"
            | "programfiles(x86)"
            | "systemroot"
            | "windir"
            | "appdata"
            | "localappdata"
            | "homedrive"
            | "homepath"
            | "logonserver"
    )
}

struct Cmd<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    /// End of the region being read (the closing quote of `set "…"`).
    limit: usize,
    file: FileId,
    env: Env,
    out: Vec<Command>,
    /// Open `(` blocks: `)` closes one.
    parens: u32,
    /// `setlocal EnableDelayedExpansion` was seen: `!VAR!` expands.
    delayed: bool,
    /// The variables as they were when the line being read started, once a `set` on it
    /// changed them: cmd expands `%VAR%` when it parses a line, and a `( … )` block is
    /// one line, so `set A=2 & echo %A%` and a `set` inside an `if (…)` block do not
    /// change what `%A%` gives there (`!A!` with delayed expansion does).
    line_vars: Option<std::collections::HashMap<String, super::Var>>,
}

super::cursor!(Cmd, b'^', limit);

impl<'a> Cmd<'a> {
    fn is_end(&self, c: u8) -> bool {
        matches!(c, 0 | b'\n' | b'&' | b'|') || (c == b')' && self.parens > 0)
    }

    fn is_word_end(&self, c: u8) -> bool {
        self.is_end(c) || matches!(c, b' ' | b'\t' | b'\r' | b'<' | b'>')
    }

    fn statements(&mut self) {
        loop {
            self.skip_blanks();
            if self.eof() {
                return;
            }
            match self.peek() {
                b'\n' => {
                    // A new line outside any block: `%VAR%` sees every `set` before it.
                    if self.parens == 0 {
                        self.line_vars = None;
                    }
                    self.pos += 1;
                    continue;
                }
                b'&' | b'|' | b'@' | b';' | b',' | b'=' => {
                    self.pos += 1;
                    continue;
                }
                b'(' => {
                    self.parens += 1;
                    self.pos += 1;
                    continue;
                }
                b')' => {
                    self.parens = self.parens.saturating_sub(1);
                    self.pos += 1;
                    continue;
                }
                b':' => {
                    self.skip_line();
                    continue;
                }
                _ => {}
            }
            let before = self.pos;
            self.command();
            if self.pos == before {
                self.adv_char();
            }
        }
    }

    /// The raw token at `pos` (up to blanks or operators, quotes respected), not expanded.
    fn raw_token(&mut self) -> (usize, usize) {
        let s = self.pos;
        let mut quoted = false;
        while !self.eof() {
            let c = self.peek();
            if c == b'\n' {
                break;
            }
            if c == b'"' {
                quoted = !quoted;
            } else if !quoted && (self.is_word_end(c) || c == b'(') {
                break;
            } else if c == b'^' && !quoted {
                self.pos += 1;
            }
            self.pos += 1;
        }
        self.pos = self.pos.min(self.limit);
        (s, self.pos)
    }

    fn command(&mut self) {
        let start = self.pos;
        let mut e = start;
        while e < self.limit
            && (self.b[e].is_ascii_alphanumeric() || matches!(self.b[e], b'_' | b'-' | b'.'))
        {
            e += 1;
        }
        let next = if e < self.limit { self.b[e] } else { 0 };
        let keyword_end = self.is_word_end(next) || matches!(next, b'(' | b'/' | b'"');
        let word = self.slice(start, e).to_ascii_lowercase();
        if keyword_end || word == "rem" {
            match word.as_str() {
                "rem" if self.is_word_end(next) || matches!(next, b'.' | b':' | b'/') => {
                    self.skip_line();
                    return;
                }
                "set" => {
                    self.pos = e;
                    self.set();
                    return;
                }
                "setlocal" => {
                    self.pos = e;
                    let (s, t) = self.statement_bounds();
                    if self
                        .slice(s, t)
                        .to_ascii_lowercase()
                        .contains("enabledelayedexpansion")
                    {
                        self.delayed = true;
                    }
                    self.pos = t;
                    return;
                }
                "endlocal" => {
                    self.pos = e;
                    return;
                }
                "if" => {
                    self.pos = e;
                    self.if_condition();
                    return;
                }
                "else" => {
                    self.pos = e;
                    return;
                }
                "for" => {
                    self.pos = e;
                    self.for_header();
                    return;
                }
                "call" => {
                    self.pos = e;
                    self.skip_blanks();
                    if self.is_end(self.peek()) {
                        return;
                    }
                    return self.simple_command(start);
                }
                _ => {}
            }
        }
        self.simple_command(start);
    }

    /// The rest of the statement: `pos` .. an unquoted `&`, `|`, newline.
    fn statement_bounds(&mut self) -> (usize, usize) {
        let s = self.pos;
        let mut p = s;
        let mut quoted = false;
        while p < self.limit {
            let c = self.b[p];
            if c == b'\n' {
                break;
            }
            if c == b'"' {
                quoted = !quoted;
            } else if !quoted && (matches!(c, b'&' | b'|') || (c == b')' && self.parens > 0)) {
                break;
            } else if c == b'^' && !quoted {
                p += 1;
                if p < self.limit && self.b[p] == b'\r' {
                    p += 1;
                }
            }
            p += 1;
        }
        let mut end = p.min(self.limit);
        if end > s && self.b[end - 1] == b'\r' {
            end -= 1;
        }
        (s, end)
    }

    /// `if [/i] [not] …` up to the command it guards.
    fn if_condition(&mut self) {
        self.skip_blanks();
        let mut tok = self.raw_token();
        let lower = |p: &Self, t: (usize, usize)| p.slice(t.0, t.1).to_ascii_lowercase();
        if lower(self, tok) == "/i" {
            self.skip_blanks();
            tok = self.raw_token();
        }
        if lower(self, tok) == "not" {
            self.skip_blanks();
            tok = self.raw_token();
        }
        match lower(self, tok).as_str() {
            "exist" | "defined" | "errorlevel" | "cmdextversion" => {
                self.skip_blanks();
                self.raw_token();
            }
            t => {
                if !t.contains("==") || t.ends_with("==") {
                    self.skip_blanks();
                    let op = self.raw_token();
                    let op = lower(self, op);
                    if op == "=="
                        || matches!(op.as_str(), "equ" | "neq" | "lss" | "leq" | "gtr" | "geq")
                    {
                        self.skip_blanks();
                        self.raw_token();
                    }
                }
            }
        }
    }

    /// `for … in (…) do` up to the command.
    fn for_header(&mut self) {
        loop {
            self.skip_blanks();
            if self.eof() || self.peek() == b'\n' {
                return;
            }
            if self.peek() == b'(' {
                let mut depth = 0u32;
                let mut quoted = false;
                while !self.eof() {
                    match self.peek() {
                        b'"' => quoted = !quoted,
                        b'(' if !quoted => depth += 1,
                        b')' if !quoted => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                self.pos += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
                continue;
            }
            let before = self.pos;
            let t = self.raw_token();
            if self.slice(t.0, t.1).eq_ignore_ascii_case("do") {
                return;
            }
            if self.pos == before {
                self.adv_char();
            }
        }
    }

    /// `set …` after `set`.
    fn set(&mut self) {
        if self.line_vars.is_none() {
            self.line_vars = Some(self.env.vars.clone());
        }
        self.skip_blanks();
        let (s, end) = self.statement_bounds();
        if self.peek() == b'/' {
            let opt = self.at(1).to_ascii_lowercase();
            self.pos += 2;
            self.skip_blanks();
            let rest = self.slice(self.pos, end);
            let rest = rest.trim_start_matches('"');
            if let Some((name, _)) = rest.split_once('=') {
                let name = name.trim();
                let why = match opt {
                    b'p' => format!("`%{name}%` is read from input (`set /p`)"),
                    _ => format!("`%{name}%` is computed by `set /{}`", opt as char),
                };
                if !name.is_empty() {
                    self.env.set(name.to_ascii_lowercase(), Var::Unknown(why));
                }
            }
            self.pos = end;
            return;
        }
        let (name_start, value_start, value_end) = if self.peek() == b'"' {
            let Some(last) = memchr::memrchr(b'"', &self.b[s + 1..end]).map(|i| s + 1 + i) else {
                self.pos = end;
                return;
            };
            let Some(eq) = memchr::memchr(b'=', &self.b[s + 1..last]).map(|i| s + 1 + i) else {
                self.pos = end;
                return;
            };
            (s + 1, eq + 1, last)
        } else {
            let Some(eq) = memchr::memchr(b'=', &self.b[s..end]).map(|i| s + i) else {
                self.pos = end;
                return;
            };
            (s, eq + 1, end)
        };
        let name = self.slice(name_start, value_start - 1).trim().to_string();
        if name.is_empty() {
            self.pos = end;
            return;
        }
        let key = name.to_ascii_lowercase();
        if value_start == value_end {
            let why = format!("`%{name}%` is cleared by `set {name}=`");
            self.env.set(key, Var::Unknown(why));
            self.pos = end;
            return;
        }
        // The value: `^` escapes and expansions, quotes kept (cmd keeps them).
        let saved_limit = self.limit;
        self.limit = value_end;
        self.pos = value_start;
        let mut c = Concat::default();
        while !self.eof() {
            match self.peek() {
                b'^' => {
                    let n = self.continuation();
                    if n > 0 {
                        self.pos += n;
                    } else {
                        self.pos += 1;
                        self.one_char(&mut c);
                    }
                }
                b'%' => self.percent(&mut c, true),
                b'!' if self.delayed => self.bang(&mut c, true),
                _ => {
                    let s = self.pos;
                    while !self.eof() && !matches!(self.peek(), b'^' | b'%' | b'!') {
                        self.pos += 1;
                    }
                    if self.pos == s {
                        self.adv_char();
                    }
                    c.lit(self.slice(s, self.pos));
                }
            }
        }
        self.limit = saved_limit;
        let pure = c.pure();
        let (w, _) = c.finish(self.span(value_start, value_end));
        let display = format!("%{name}%");
        self.env.assign(key, &display, w, pure);
        self.pos = end;
    }

    /// A command whose name is at the position (`start`: with a `call` before it).
    fn simple_command(&mut self, start: usize) {
        if let Some(cmd) = self.read_command(start, Vec::new(), self.pos) {
            self.out.push(cmd);
        }
    }

    /// The next `mark` after `pos` on the same line.
    fn closing(&self, mark: u8) -> Option<usize> {
        let from = (self.pos + 1).min(self.limit);
        let close = from + memchr::memchr(mark, &self.b[from..self.limit])?;
        memchr::memchr(b'\n', &self.b[from..close])
            .is_none()
            .then_some(close)
    }

    /// `%…` at `%`; `keep` when the value goes in as is (in quotes or in `set`).
    fn percent(&mut self, c: &mut Concat, keep: bool) {
        let s = self.pos;
        let n = self.at(1);
        if n == b'%' {
            if self.at(2).is_ascii_alphabetic() {
                self.pos += 3;
                c.unknown(format!(
                    "`{}` is a `for` loop variable",
                    self.slice(s, self.pos)
                ));
            } else {
                self.pos += 2;
                c.lit("%");
            }
            return;
        }
        if n == b'*' {
            self.pos += 2;
            c.unknown("`%*` is the script's arguments".to_string());
            return;
        }
        if n == b'~' || n.is_ascii_digit() {
            let mut p = self.pos + 1;
            if n == b'~' {
                p += 1;
                while p < self.limit && self.b[p].is_ascii_alphabetic() {
                    p += 1;
                }
            }
            if p < self.limit && self.b[p].is_ascii_digit() {
                let digit = self.b[p];
                self.pos = p + 1;
                let written = self.slice(s, self.pos);
                c.unknown(if digit == b'0' {
                    format!("`{written}` is the script's own path")
                } else {
                    format!("`{written}` is a script argument")
                });
                return;
            }
        }
        // `%NAME%` on this line.
        let from = self.pos + 1;
        let Some(close) = self.closing(b'%') else {
            self.pos += 1;
            c.lit("%");
            return;
        };
        let inner = self.slice(from, close);
        self.pos = close + 1;
        self.expand(inner, s, c, keep, '%');
    }

    /// `!NAME!` at `!` (delayed expansion on).
    fn bang(&mut self, c: &mut Concat, keep: bool) {
        let s = self.pos;
        let from = self.pos + 1;
        let Some(close) = self.closing(b'!') else {
            self.pos += 1;
            return; // a lone `!` is removed with delayed expansion on
        };
        let inner = self.slice(from, close);
        self.pos = close + 1;
        self.expand(inner, s, c, keep, '!');
    }

    fn expand(&mut self, inner: &str, start: usize, c: &mut Concat, keep: bool, mark: char) {
        // `%VAR%` as the line was parsed (see `line_vars`); `!VAR!` as it is now.
        match self.line_vars.take() {
            Some(mut parsed) if mark == '%' => {
                std::mem::swap(&mut self.env.vars, &mut parsed);
                self.expand_now(inner, start, c, keep, mark);
                std::mem::swap(&mut self.env.vars, &mut parsed);
                self.line_vars = Some(parsed);
            }
            other => {
                self.line_vars = other;
                self.expand_now(inner, start, c, keep, mark);
            }
        }
    }

    fn expand_now(&mut self, inner: &str, start: usize, c: &mut Concat, keep: bool, mark: char) {
        let at = self.span(start, self.pos);
        if inner.is_empty() || inner.contains(['\r', '"']) {
            c.lit(self.slice(start, self.pos));
            return;
        }
        if inner.contains(':') {
            c.unknown(format!(
                "a `{}` substring or replacement expansion",
                self.slice(start, self.pos)
            ));
            return;
        }
        let key = inner.to_ascii_lowercase();
        let display = format!("{mark}{inner}{mark}");
        if !self.env.vars.contains_key(&key) && dynamic(&key) {
            c.unknown(format!("`{display}` is set by Windows at run time"));
            return;
        }
        if keep {
            self.env.expand(&key, &display, at, c, None);
            return;
        }
        // Outside quotes the program's argument splitting trims the value and drops quotes.
        let mut tmp = Concat::default();
        self.env.expand(&key, &display, at, &mut tmp, None);
        match (tmp.unknown, tmp.defined_at) {
            (Some(why), _) => c.unknown(why),
            (None, Some(d)) => {
                let v: String = tmp.value.trim().chars().filter(|&ch| ch != '"').collect();
                c.known_var(&v, d);
            }
            (None, None) => c.unknown(format!("`{display}`{NEVER}")),
        }
    }
}

/// A command's arguments: `^` continues the line, blanks separate arguments; flags are
/// plain dashed words (`-f`, `--flag=value`) as in sh.
impl<'a> CommandLine<'a> for Cmd<'a> {
    fn at_command_end(&self) -> bool {
        self.eof() || self.is_end(self.peek())
    }

    /// `>f`, `2> f`, `>>f`, `2>&1`, `<f`.
    fn redirection(&mut self) -> bool {
        let mut p = self.pos;
        while p < self.limit && self.b[p].is_ascii_digit() {
            p += 1;
        }
        if p >= self.limit || !matches!(self.b[p], b'<' | b'>') {
            return false;
        }
        self.pos = p;
        while matches!(self.peek(), b'<' | b'>') {
            self.pos += 1;
        }
        if self.peek() == b'&' && self.at(1).is_ascii_digit() {
            self.pos += 2;
            return true;
        }
        self.skip_blanks();
        if !self.is_word_end(self.peek()) {
            let _ = self.word();
        }
        true
    }

    fn argument(&mut self, items: &mut Vec<Item>) {
        self.dash_flag_or_word(items, Self::is_word_end);
    }

    /// Quotes, `^` escapes and `%VAR%` / `!VAR!` expansions run together; a quote does not
    /// end the word, a blank outside quotes does.
    fn word_chars(&mut self, c: &mut Concat) {
        let mut quoted = false;
        while !self.eof() {
            let ch = self.peek();
            if ch == b'\n' {
                break;
            }
            if !quoted && self.is_word_end(ch) {
                break;
            }
            match ch {
                b'"' => {
                    c.not_bare = true;
                    quoted = !quoted;
                    if !quoted && self.pos > 0 && self.b[self.pos - 1] == b'"' {
                        c.pieces += 1; // `""`
                    }
                    self.pos += 1;
                }
                b'^' if !quoted => {
                    let n = self.continuation();
                    if n > 0 {
                        self.pos += n;
                    } else {
                        c.not_bare = true;
                        self.pos += 1;
                        self.one_char(c);
                    }
                }
                b'%' => self.percent(c, quoted),
                b'!' if self.delayed => self.bang(c, quoted),
                _ => {
                    let s = self.pos;
                    while !self.eof() {
                        let x = self.peek();
                        if matches!(x, b'"' | b'^' | b'%' | b'!' | b'\n')
                            || (!quoted && self.is_word_end(x))
                        {
                            break;
                        }
                        self.pos += 1;
                    }
                    if self.pos == s {
                        self.adv_char();
                    }
                    c.lit(self.slice(s, self.pos));
                }
            }
        }
    }
}
