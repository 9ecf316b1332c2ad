//! PowerShell (`.ps1`, `.psm1`).
//!
//! Supported: `#` and `<# … #>` comments; statements separated by newlines, `;`, `|`,
//! `&&`, `||`; backtick line continuation (a backtick followed by a space is *not* one, as in
//! PowerShell); '…', "…", here-strings `@'…'@` / `@"…"@` with backtick escapes and `$var`,
//! `${var}`, `$scope:var`, `$env:VAR`, `$($var)` expansion; arguments `-Flag value`,
//! `-Flag:value`, `--flag=value` (native commands), switches, arrays (`a, b` and `@(…)`),
//! parenthesised `+` concatenation, casts; splatting `@p` of a hashtable assigned earlier
//! (`$p.Key = …` and `$p["Key"] = …` update it); `param(…)` blocks; `$x = <expr>`,
//! `[type]$x = <expr>`, `$x += …`, `Set-Variable -Name x -Value …`; `$x = Command …` makes
//! `$x` unknown and the command is returned; `& cmd`, `. script`; commands inside `{ … }`,
//! `( … )` and `$( … )` are returned too; redirections are skipped.
//!
//! String methods `.ToLower()`, `.ToUpper()`, `.Trim()`, `.TrimStart()`, `.TrimEnd()` and
//! `.Replace('a', 'b')` with literal arguments are evaluated on strings and parenthesised
//! values; `[ordered]@{…}` is a hashtable, extended by `+= @{…}`, `$p = $p + @{…}` and
//! `$p.Add('Key', value)`.
//!
//! Not evaluated (become `Unknown` with a why): property and index access, other method calls,
//! `-f`/`-replace`/`-join` and other operators, `$(…)` other than `$($var)`, loop
//! variables, automatic variables (`$PSScriptRoot`), `$ip:5022` (a drive-qualified
//! variable in PowerShell, a classic mistake for `${ip}:5022`).

use super::Cursor;
use super::{
    after_bom, build, fix_later, push_word, relocate, Command, Concat, Entry, Env, Item, Var, Word,
    MAX_DEPTH,
};
use crate::span::{FileId, Span};

pub(super) fn commands(file: FileId, text: &str) -> Vec<Command> {
    let mut p = Ps {
        text,
        b: text.as_bytes(),
        pos: after_bom(text),
        file,
        env: Env::new(text),
        out: Vec::new(),
        depth: 0,
        nl_ok: false,
        block: 0,
        last_pure: false,
        level: 0,
        pending_branch: None,
    };
    p.statements(None);
    let mut out = p.out;
    fix_later(&mut out, &p.env, key_of_display);
    out
}

/// The table key of a displayed variable (`$Name`, `$script:Name`, `$env:NAME`).
fn key_of_display(display: &str) -> String {
    let name = display.trim_start_matches('$');
    match name.split_once(':') {
        Some((scope, name)) => normalize(Some(scope), name).0,
        None => normalize(None, name).0,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
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
struct VarRef {
    start: usize,
    end: usize,
    key: String,
    display: String,
    kind: Kind,
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
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

/// Keywords that start a statement taking a condition in parentheses.
const CONDITION_KEYWORDS: &[&str] = &["if", "elseif", "while", "switch", "foreach", "for", "until"];

/// Keywords a right-hand side can start with.
const VALUE_KEYWORDS: &[&str] = &["if", "switch", "foreach", "for", "while", "do", "try"];

struct Ps<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    file: FileId,
    env: Env,
    out: Vec<Command>,
    depth: u32,
    /// Newlines are whitespace (inside parentheses).
    nl_ok: bool,
    /// `{` blocks open at statement level (to tell script from function parameters).
    block: u32,
    /// Whether the last [`Ps::rhs_word`] was exactly one variable.
    last_pure: bool,
    /// Nesting of [`Ps::statements`] calls.
    level: u32,
    /// The keyword whose block comes next (`if`, `else`, `switch`, `try`, `catch`…).
    pending_branch: Option<&'static str>,
}

/// Keywords that continue a conditional statement.
const CONTINUATIONS: &[&str] = &["elseif", "else", "catch", "finally"];

super::cursor!(Ps, b'`');

impl<'a> Ps<'a> {
    /// End of `start..end` without trailing whitespace.
    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        end = end.min(self.b.len());
        while end > start && matches!(self.b[end - 1], b' ' | b'\t' | b'\r' | b'\n') {
            end -= 1;
        }
        end
    }

    fn skip_block_comment(&mut self) {
        let from = (self.pos + 2).min(self.b.len());
        self.pos = match memchr::memmem::find(&self.b[from..], b"#>") {
            Some(i) => from + i + 2,
            None => self.b.len(),
        };
    }

    /// Whitespace, comments, backtick continuations; newlines too when `newlines`.
    fn skip_ws(&mut self, newlines: bool) {
        loop {
            match self.peek() {
                b' ' | b'\t' | b'\r' | 0x0c => self.pos += 1,
                0xC2 if self.at(1) == 0xA0 => self.pos += 2,
                b'\n' if newlines => self.pos += 1,
                b'`' if self.continuation() > 0 => self.pos += self.continuation(),
                b'#' => self.skip_line(),
                b'<' if self.at(1) == b'#' => self.skip_block_comment(),
                _ => return,
            }
        }
    }

    fn ws(&mut self) {
        self.skip_ws(self.nl_ok);
    }

    /// At a command / statement end (after whitespace was skipped).
    fn at_end(&self) -> bool {
        self.eof() || matches!(self.peek(), b'\n' | b';' | b'|' | b')' | b'}' | b'&')
    }

    // ---------------------------------------------------------------- skipping

    /// Skips a string of any kind at `pos` without evaluating it.
    fn skip_string(&mut self) {
        let b = self.b;
        match self.peek() {
            b'\'' => {
                self.pos += 1;
                loop {
                    match memchr::memchr(b'\'', &b[self.pos.min(b.len())..]) {
                        None => {
                            self.pos = b.len();
                            return;
                        }
                        Some(i) => {
                            self.pos += i + 1;
                            if self.peek() == b'\'' {
                                self.pos += 1;
                            } else {
                                return;
                            }
                        }
                    }
                }
            }
            b'"' => {
                self.pos += 1;
                loop {
                    match memchr::memchr2(b'"', b'`', &b[self.pos.min(b.len())..]) {
                        None => {
                            self.pos = b.len();
                            return;
                        }
                        Some(i) => {
                            self.pos += i;
                            if self.peek() == b'`' || self.at(1) == b'"' {
                                self.pos += 2;
                            } else {
                                self.pos += 1;
                                return;
                            }
                        }
                    }
                }
            }
            b'@' => {
                let (_, _, end) = self.here_bounds();
                self.pos = end;
            }
            _ => self.pos += 1,
        }
    }

    /// For a here-string at `pos` (`@'` or `@"`): content start, content end, end.
    fn here_bounds(&self) -> (usize, usize, usize) {
        let b = self.b;
        let q = self.at(1);
        let from = (self.pos + 2).min(b.len());
        let start = match memchr::memchr(b'\n', &b[from..]) {
            Some(i) => from + i + 1,
            None => return (b.len(), b.len(), b.len()),
        };
        let mut search = start;
        let pat = [q, b'@'];
        while let Some(i) = memchr::memmem::find(&b[search..], &pat) {
            let at = search + i;
            if at == start || b[at - 1] == b'\n' {
                let mut end = at;
                if end > start {
                    end -= 1; // the newline
                    if end > start && b[end - 1] == b'\r' {
                        end -= 1;
                    }
                }
                return (start, end, at + 2);
            }
            search = at + 1;
        }
        (start, b.len(), b.len())
    }

    /// Skips a bracketed region starting at `pos` (any of `( [ {`), nesting all three.
    fn skip_balanced(&mut self) {
        let mut depth = 0u32;
        while !self.eof() {
            match self.peek() {
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    self.pos += 1;
                }
                b')' | b']' | b'}' => {
                    self.pos += 1;
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                b'\'' | b'"' => self.skip_string(),
                b'@' if matches!(self.at(1), b'\'' | b'"') => self.skip_string(),
                b'#' if self.pos == 0
                    || matches!(
                        self.b[self.pos - 1],
                        b' ' | b'\t' | b'\n' | b'(' | b'{' | b';'
                    ) =>
                {
                    self.skip_line()
                }
                b'<' if self.at(1) == b'#' => self.skip_block_comment(),
                b'`' => self.pos += 2,
                _ => self.pos += 1,
            }
            if depth == 0 {
                return;
            }
        }
        self.pos = self.pos.min(self.b.len());
    }

    /// Skips the rest of an expression: up to a statement end at this nesting level.
    fn skip_rest(&mut self) {
        while !self.eof() {
            match self.peek() {
                b'\n' if !self.nl_ok => return,
                b';' | b'|' | b')' | b'}' | b'&' => return,
                b'(' | b'[' | b'{' => self.skip_balanced(),
                b'\'' | b'"' => self.skip_string(),
                b'@' if matches!(self.at(1), b'\'' | b'"') => self.skip_string(),
                b'#' => self.skip_line(),
                b'<' if self.at(1) == b'#' => self.skip_block_comment(),
                b'`' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
        self.pos = self.pos.min(self.b.len());
    }

    // ---------------------------------------------------------------- statements

    /// Statements up to `term` (consumed) or the end of the text.
    fn statements(&mut self, term: Option<u8>) {
        let saved_nl = self.nl_ok;
        self.nl_ok = false;
        let mut braces = 0u32;
        self.level += 1;
        let level = self.level;
        // Per open brace: whether it is the block of a branch.
        let mut branch_braces: Vec<bool> = Vec::new();
        loop {
            self.skip_ws(true);
            if self.eof() {
                break;
            }
            match self.peek() {
                b'{' => {
                    // A `finally` block always runs: not a branch.
                    let kind = self.pending_branch.take().filter(|k| *k != "finally");
                    if let Some(kind) = kind {
                        if CONTINUATIONS.contains(&kind) && self.env.chain_awaits(level) {
                            self.env
                                .branch_start(level, matches!(kind, "else" | "catch"));
                        } else {
                            let what = match kind {
                                "switch" => "a switch",
                                "try" | "catch" => "a try/catch",
                                _ => "an if",
                            };
                            self.env.chain_start(level, what);
                            self.env.branch_start(level, false);
                        }
                    } else {
                        self.env.chain_finish(level);
                    }
                    branch_braces.push(kind.is_some());
                }
                b'}' => {
                    if braces > 0 && branch_braces.pop() == Some(true) {
                        self.env.branch_end(level);
                    } else {
                        self.env.chain_finish(level);
                    }
                }
                _ => {}
            }
            match self.peek() {
                b';' | b'|' => {
                    self.pos += 1;
                    continue;
                }
                b'&' if self.at(1) == b'&' => {
                    self.pos += 2;
                    continue;
                }
                b'{' => {
                    braces += 1;
                    self.block += 1;
                    self.pos += 1;
                    continue;
                }
                b'}' => {
                    self.pos += 1;
                    if braces > 0 {
                        braces -= 1;
                        self.block = self.block.saturating_sub(1);
                    } else if term == Some(b'}') {
                        break;
                    }
                    continue;
                }
                b')' => {
                    self.pos += 1;
                    if term == Some(b')') {
                        break;
                    }
                    continue;
                }
                _ => {}
            }
            let before = self.pos;
            let end = self.ident_end(self.pos);
            let word = self.slice(self.pos, end).to_ascii_lowercase();
            if !CONTINUATIONS.contains(&word.as_str()) {
                self.env.chain_finish(level);
            }
            self.statement();
            if self.pos == before {
                self.adv_char();
            }
        }
        self.env.chain_finish(level);
        self.level -= 1;
        self.block = self.block.saturating_sub(braces);
        self.nl_ok = saved_nl;
    }

    /// Like [`Ps::statements`] inside an opening bracket at `pos`, or skipped when too deep.
    fn nested(&mut self, term: u8) {
        if self.depth >= MAX_DEPTH {
            self.skip_balanced();
            return;
        }
        self.depth += 1;
        self.pos += 1;
        self.statements(Some(term));
        self.depth -= 1;
    }

    fn ident_end(&self, from: usize) -> usize {
        let mut e = from;
        while e < self.b.len() && is_ident_char(self.b[e]) {
            e += 1;
        }
        e
    }

    /// Next non-blank byte after `from` (newlines and comments skipped).
    fn next_after(&mut self, from: usize, newlines: bool) -> u8 {
        let saved = self.pos;
        self.pos = from;
        self.skip_ws(newlines);
        let c = self.peek();
        self.pos = saved;
        c
    }

    fn statement(&mut self) {
        let start = self.pos;
        let c = self.peek();
        self.pending_branch = None;
        if c.is_ascii_alphabetic() {
            let end = self.ident_end(start);
            let word = self.slice(start, end).to_ascii_lowercase();
            match word.as_str() {
                "function" | "filter" | "workflow" | "configuration" => {
                    self.pos = end;
                    self.skip_ws(false);
                    while !self.eof()
                        && !matches!(self.peek(), b' ' | b'\t' | b'\r' | b'\n' | b'(' | b'{')
                    {
                        self.pos += 1;
                    }
                    self.skip_ws(false);
                    if self.peek() == b'(' {
                        self.param_list(false);
                    }
                    return;
                }
                w if CONDITION_KEYWORDS.contains(&w) => {
                    self.pos = end;
                    self.skip_ws(false);
                    while self.peek() == b'-' {
                        self.pos = self.ident_end(self.pos + 1);
                        self.skip_ws(false);
                    }
                    if self.peek() == b'(' {
                        if w == "foreach" {
                            self.foreach_header();
                        } else {
                            self.nested(b')');
                        }
                    }
                    self.pending_branch = match w {
                        "if" => Some("if"),
                        "elseif" => Some("elseif"),
                        "switch" => Some("switch"),
                        _ => None,
                    };
                    return;
                }
                "else" | "try" | "finally" | "do" => {
                    self.pos = end;
                    self.pending_branch = match word.as_str() {
                        "else" => Some("else"),
                        "try" => Some("try"),
                        "finally" => Some("finally"),
                        _ => None,
                    };
                    return;
                }
                "begin" | "process" | "end" | "clean" | "dynamicparam"
                    if self.next_after(end, true) == b'{' =>
                {
                    self.pos = end;
                    return;
                }
                "catch" | "trap" => {
                    self.pos = end;
                    loop {
                        self.skip_ws(false);
                        match self.peek() {
                            b'[' => self.skip_balanced(),
                            b',' => self.pos += 1,
                            _ => break,
                        }
                    }
                    if word == "catch" {
                        self.pending_branch = Some("catch");
                    }
                    return;
                }
                "param" if self.next_after(end, true) == b'(' => {
                    self.pos = end;
                    self.skip_ws(true);
                    self.param_list(self.block == 0 && self.depth == 0);
                    return;
                }
                "return" | "throw" | "exit" | "break" | "continue" => {
                    self.pos = end;
                    return;
                }
                "using" => {
                    self.skip_line();
                    return;
                }
                "class" | "enum" => {
                    self.pos = end;
                    while !self.eof() && self.peek() != b'{' {
                        self.pos += 1;
                    }
                    self.skip_balanced();
                    return;
                }
                _ => {}
            }
        }
        match c {
            b'$' => self.dollar_statement(),
            b'[' => self.bracket_statement(),
            b'&' => {
                self.pos += 1;
                self.skip_ws(false);
                self.command(start);
            }
            b'.' if matches!(self.at(1), b' ' | b'\t') => {
                self.pos += 1;
                self.skip_ws(false);
                self.command(start);
            }
            b'\'' | b'"' | b'(' | b'@' | b'0'..=b'9' | b'-' | b'!' | b'+' | b',' | b'.' => {
                self.expr();
            }
            _ => {
                self.command(start);
            }
        }
    }

    /// `foreach ($x in …)`: `$x` becomes unknown.
    fn foreach_header(&mut self) {
        let open = self.pos;
        self.pos += 1;
        self.skip_ws(true);
        if let Some(v) = self.var_name() {
            self.pos = v.end;
            let why = format!("`{}` is a loop variable", v.display);
            self.env.set(v.key, Var::Unknown(why));
            self.skip_ws(true);
            let end = self.ident_end(self.pos);
            if self.slice(self.pos, end).eq_ignore_ascii_case("in") && self.depth < MAX_DEPTH {
                // The collection: commands in it are returned.
                self.pos = end;
                self.depth += 1;
                self.statements(Some(b')'));
                self.depth -= 1;
                return;
            }
        }
        self.pos = open;
        self.skip_balanced();
    }

    /// `param(…)` / `function F(…)` at `(`.
    fn param_list(&mut self, script: bool) {
        let saved_nl = self.nl_ok;
        self.nl_ok = true;
        self.pos += 1;
        loop {
            self.skip_ws(true);
            if self.eof() {
                break;
            }
            match self.peek() {
                b')' => {
                    self.pos += 1;
                    break;
                }
                b',' => self.pos += 1,
                b'[' => self.skip_balanced(),
                b'$' => {
                    let Some(v) = self.var_name() else {
                        self.pos += 1;
                        continue;
                    };
                    self.pos = v.end;
                    self.skip_ws(true);
                    if self.peek() == b'=' && self.at(1) != b'=' {
                        self.pos += 1;
                        self.skip_ws(true);
                        let (w, pure) = self.concat_expr();
                        self.assign_word(v.key, &v.display, w, pure);
                    } else {
                        let kind = if script { "script" } else { "function" };
                        let why =
                            format!("`{}` is a {kind} parameter without a default", v.display);
                        self.env.set(v.key, Var::Unknown(why));
                    }
                }
                _ => {
                    let before = self.pos;
                    self.skip_rest();
                    if self.pos == before {
                        self.adv_char();
                    }
                }
            }
        }
        self.nl_ok = saved_nl;
    }

    /// A statement starting with `[`: attributes / a type before `$x = …`, `param`, or an
    /// expression.
    fn bracket_statement(&mut self) {
        let start = self.pos;
        while self.peek() == b'[' {
            self.skip_balanced();
            if self.peek() == b':' && self.at(1) == b':' {
                self.pos = start;
                self.expr();
                return;
            }
            self.skip_ws(true);
        }
        if self.peek() == b'$' {
            let before = self.pos;
            self.dollar_statement();
            if self.pos != before {
                return;
            }
        }
        let end = self.ident_end(self.pos);
        if self.slice(self.pos, end).eq_ignore_ascii_case("param")
            && self.next_after(end, true) == b'('
        {
            return; // the statement loop handles `param`
        }
        self.pos = start;
        self.expr();
    }

    /// A statement starting with `$`: an assignment or an expression.
    fn dollar_statement(&mut self) {
        let start = self.pos;
        let Some(v) = self.var_name() else {
            self.expr();
            return;
        };
        self.pos = v.end;
        // `$p.Key = …` / `$p["Key"] = …`
        let member = if self.peek() == b'.' && self.at(1).is_ascii_alphabetic() {
            let ks = self.pos + 1;
            let ke = self.ident_end(ks);
            self.pos = ke;
            Some((self.slice(ks, ke).to_string(), self.span(ks, ke)))
        } else if self.peek() == b'[' && matches!(self.at(1), b'\'' | b'"') {
            let ks = self.pos + 1;
            self.pos = ks;
            let (w, _) = self.string_word();
            if self.peek() == b']' {
                self.pos += 1;
                match w {
                    Word::Known { value, .. } => Some((value, self.span(ks, self.pos - 1))),
                    _ => None,
                }
            } else {
                None
            }
        } else {
            None
        };
        let after_name = self.pos;
        self.skip_ws(false);
        let c = self.peek();
        if c == b'=' && self.at(1) != b'=' {
            self.pos += 1;
            if let Some((key, key_span)) = member {
                let value = self.rhs_word(&format!("{}.{key}", v.display));
                if let Some(Var::Table(entries)) = self.env.vars.get_mut(&v.key) {
                    entries.retain(|e| !e.key.eq_ignore_ascii_case(&key));
                    entries.push(Entry {
                        key,
                        key_span,
                        value,
                    });
                }
                return;
            }
            self.assign(v.key, &v.display);
            return;
        }
        // `$p.Add('Key', value)` on a hashtable
        if let Some((method, _)) = &member {
            if method.eq_ignore_ascii_case("add")
                && self.b.get(after_name) == Some(&b'(')
                && matches!(self.env.vars.get(&v.key), Some(Var::Table(_)))
            {
                self.pos = after_name;
                if let Some(entry) = self.add_call() {
                    self.merge_table(&v.key, vec![entry]);
                    self.skip_rest();
                    return;
                }
                self.pos = start;
                self.expr();
                return;
            }
        }
        if member.is_none() && matches!(c, b'+' | b'-' | b'*' | b'/' | b'%') && self.at(1) == b'=' {
            self.pos += 2;
            self.skip_ws(true);
            if c == b'+' && matches!(self.env.vars.get(&v.key), Some(Var::Table(_))) {
                if self.table_follows() {
                    let more = self.hashtable();
                    self.merge_table(&v.key, more);
                } else {
                    self.expr();
                    let why = format!("`{}` is changed with `+=`", v.display);
                    self.env.set(v.key, Var::Unknown(why));
                }
                return;
            }
            let (w, _) = self.expr();
            let new = match (self.env.vars.get(&v.key), c, w) {
                (Some(Var::Known { value, defined_at }), b'+', Word::Known { value: add, .. })
                    if !is_number(value) =>
                {
                    Var::Known {
                        value: format!("{value}{add}"),
                        defined_at: *defined_at,
                    }
                }
                (Some(Var::List(items)), b'+', w) => {
                    let mut items = items.clone();
                    match w {
                        Word::List { items: more, .. } => items.extend(more),
                        w => items.push(w),
                    }
                    Var::List(items)
                }
                _ => Var::Unknown(format!("`{}` is changed with `{}=`", v.display, c as char)),
            };
            self.env.set(v.key, new);
            return;
        }
        let _ = after_name;
        self.pos = start;
        self.expr();
    }

    /// `('Key', value)` of `$p.Add(…)` at `(`: the entry, or None (position undefined).
    fn add_call(&mut self) -> Option<Entry> {
        let saved_nl = self.nl_ok;
        self.nl_ok = true;
        self.pos += 1;
        self.skip_ws(true);
        let ks = self.pos;
        let key = match self.peek() {
            b'\'' | b'"' => match self.string_word().0 {
                Word::Known { value, .. } => Some(value),
                _ => None,
            },
            _ => None,
        };
        let key_span = self.span(ks, self.pos);
        self.skip_ws(true);
        let r = match key {
            Some(key) if self.peek() == b',' => {
                self.pos += 1;
                self.skip_ws(true);
                let (value, _) = self.concat_expr();
                self.skip_ws(true);
                if self.peek() == b')' {
                    self.pos += 1;
                    Some(Entry {
                        key,
                        key_span,
                        value,
                    })
                } else {
                    None
                }
            }
            _ => None,
        };
        self.nl_ok = saved_nl;
        r
    }

    /// `$name = …` after the `=`.
    fn assign(&mut self, key: String, display: &str) {
        self.env.names.insert(key.clone(), display.to_string());
        self.skip_ws(true);
        if self.table_follows() {
            let entries = self.hashtable();
            self.env.set(key, Var::Table(entries));
            return;
        }
        // `$p = $p + @{ … }`
        if let Some(v) = self.var_name() {
            let save = self.pos;
            self.pos = v.end;
            self.skip_ws(false);
            if v.key == key && self.peek() == b'+' && self.at(1) != b'=' {
                self.pos += 1;
                self.skip_ws(true);
                if self.table_follows() {
                    if let Some(Var::Table(_)) = self.env.vars.get(&key) {
                        let more = self.hashtable();
                        self.merge_table(&key, more);
                        return;
                    }
                }
            }
            self.pos = save;
        }
        if let Some(kw) = self.value_keyword() {
            let why = format!("`{display}` is set by a `{kw}` statement");
            self.env.set(key, Var::Unknown(why));
            return;
        }
        let word = self.rhs_word(display);
        let pure = self.last_pure;
        self.assign_word(key, display, word, pure);
    }

    /// At a hashtable literal, optionally cast (`@{`, `[ordered]@{`, `[hashtable] @{`): moves
    /// to its `@` and returns true; otherwise does not move.
    fn table_follows(&mut self) -> bool {
        let save = self.pos;
        while self.peek() == b'[' {
            let s = self.pos;
            self.skip_balanced();
            let ty = self
                .slice(s + 1, self.pos.saturating_sub(1))
                .trim()
                .to_ascii_lowercase();
            let ty = ty.strip_prefix("system.collections.").unwrap_or(&ty);
            let table = matches!(
                ty,
                "ordered" | "hashtable" | "specialized.ordereddictionary"
            );
            if !table || self.pos - s > 64 {
                self.pos = save;
                return false;
            }
            self.skip_ws(false);
        }
        if self.peek() == b'@' && self.at(1) == b'{' {
            return true;
        }
        self.pos = save;
        false
    }

    /// Adds entries to the hashtable in `key` (a later entry replaces one of the same key).
    fn merge_table(&mut self, key: &str, more: Vec<Entry>) {
        if let Some(Var::Table(entries)) = self.env.vars.get_mut(key) {
            for e in more {
                entries.retain(|x| !x.key.eq_ignore_ascii_case(&e.key));
                entries.push(e);
            }
        }
    }

    fn assign_word(&mut self, key: String, display: &str, word: Word, pure: bool) {
        self.env.names.insert(key.clone(), display.to_string());
        self.env.assign(key, display, word, pure);
    }

    /// A keyword that starts a value statement (`$x = if (…) {…}`), not consumed.
    fn value_keyword(&self) -> Option<String> {
        if !self.peek().is_ascii_alphabetic() {
            return None;
        }
        let end = self.ident_end(self.pos);
        let word = self.slice(self.pos, end).to_ascii_lowercase();
        VALUE_KEYWORDS.contains(&word.as_str()).then_some(word)
    }

    fn is_command_start(&self) -> bool {
        let c = self.peek();
        c.is_ascii_alphabetic()
            || c == b'_'
            || (c == b'&' && self.at(1) != b'&')
            || (c == b'.' && matches!(self.at(1), b' ' | b'\t'))
    }

    /// The value of a right-hand side (expression or command); sets `last_pure`.
    fn rhs_word(&mut self, display: &str) -> Word {
        self.skip_ws(true);
        let start = self.pos;
        self.last_pure = false;
        if self.is_command_start() {
            if matches!(self.peek(), b'&' | b'.') {
                self.pos += 1;
                self.skip_ws(false);
            }
            let name = self.command(start);
            let why = match name {
                Some(n) if n.eq_ignore_ascii_case("Read-Host") => {
                    "input read by `Read-Host`".to_string()
                }
                Some(n) => format!("the output of `{n}`"),
                None => "the output of a command".to_string(),
            };
            let _ = display;
            return Word::Unknown {
                span: self.span(start, self.trim_end(start, self.pos)),
                why,
            };
        }
        let (w, pure) = self.expr();
        self.skip_ws(false);
        if self.peek() == b'|' && self.at(1) != b'|' {
            return Word::Unknown {
                span: w.span(),
                why: "the output of a pipeline".to_string(),
            };
        }
        self.last_pure = pure;
        w
    }

    /// `@{ … }` at `@`.
    fn hashtable(&mut self) -> Vec<Entry> {
        let mut entries = Vec::new();
        if self.depth >= MAX_DEPTH {
            self.pos += 1;
            self.skip_balanced();
            return entries;
        }
        self.depth += 1;
        let saved_nl = self.nl_ok;
        self.nl_ok = false;
        self.pos += 2;
        loop {
            self.skip_ws(true);
            if self.eof() {
                break;
            }
            match self.peek() {
                b';' => {
                    self.pos += 1;
                    continue;
                }
                b'}' => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            let before = self.pos;
            let ks = self.pos;
            let key = match self.peek() {
                b'\'' | b'"' => match self.string_word().0 {
                    Word::Known { value, .. } => Some(value),
                    _ => None,
                },
                c if is_ident_char(c) => {
                    self.pos = self.ident_end(self.pos);
                    Some(self.slice(ks, self.pos).to_string())
                }
                _ => None,
            };
            let ke = self.pos;
            self.skip_ws(false);
            match key {
                Some(key) if self.peek() == b'=' && self.at(1) != b'=' => {
                    self.pos += 1;
                    self.skip_ws(true);
                    let value = if self.peek() == b'@' && self.at(1) == b'{' {
                        let s = self.pos;
                        self.pos += 1;
                        self.skip_balanced();
                        Word::Unknown {
                            span: self.span(s, self.pos),
                            why: "a nested hashtable".to_string(),
                        }
                    } else {
                        self.rhs_word(&key)
                    };
                    entries.retain(|e: &Entry| !e.key.eq_ignore_ascii_case(&key));
                    entries.push(Entry {
                        key,
                        key_span: self.span(ks, ke),
                        value,
                    });
                }
                _ => self.skip_rest(),
            }
            if self.pos == before {
                self.adv_char();
            }
        }
        self.nl_ok = saved_nl;
        self.depth -= 1;
        entries
    }

    // ---------------------------------------------------------------- commands

    /// A command whose name is at `pos` (`start` includes a leading `&` or `.`); returns the
    /// name. The command is added to the output.
    fn command(&mut self, start: usize) -> Option<String> {
        if self.depth >= MAX_DEPTH {
            self.skip_rest();
            return None;
        }
        self.depth += 1;
        let saved_nl = self.nl_ok;
        self.nl_ok = false;
        let name_start = self.pos;
        let mut items = Vec::new();
        let (w, bare) = self.arg_value();
        let mut end = self.pos;
        if self.pos == name_start {
            self.nl_ok = saved_nl;
            self.depth -= 1;
            return None;
        }
        items.push(Item::Value { word: w, bare });
        loop {
            self.skip_ws(false);
            if self.at_end() {
                if self.peek() == b'&' && self.at(1) != b'&' {
                    self.pos += 1;
                }
                break;
            }
            let before = self.pos;
            let c = self.peek();
            if self.redirection() {
                // skipped
            } else if c == b'-' && self.at(1) == b'-' && self.at(2) == b'%' {
                let s = self.pos;
                self.skip_line();
                let e = self.trim_end(s, self.pos);
                items.push(Item::Value {
                    word: Word::Unknown {
                        span: self.span(s, e),
                        why: "arguments after `--%` are passed verbatim".to_string(),
                    },
                    bare: false,
                });
            } else if (c == b'-' || self.unicode_dash()) && self.flag_follows() {
                self.flag(&mut items);
            } else if c == b'@' && is_name_char(self.at(1)) {
                self.splat(&mut items);
            } else {
                let (w, bare) = self.arg_list();
                items.push(Item::Value { word: w, bare });
            }
            if self.pos == before {
                self.adv_char();
            }
            end = self.trim_end(before, self.pos).max(end);
        }
        let span = self.span(start, end);
        let cmd = build(self.text, items, span);
        self.nl_ok = saved_nl;
        self.depth -= 1;
        let cmd = cmd?;
        let name = cmd.name[0].clone();
        if name.eq_ignore_ascii_case("Set-Variable") || name.eq_ignore_ascii_case("New-Variable") {
            self.set_variable(&cmd);
        }
        self.out.push(cmd);
        Some(name)
    }

    /// `Set-Variable -Name x -Value …`.
    fn set_variable(&mut self, cmd: &Command) {
        let mut name = None;
        let mut value = None;
        let mut positional = Vec::new();
        for a in &cmd.arguments {
            let Some((flag, _)) = &a.flag else {
                positional.extend(a.value.clone());
                continue;
            };
            let flag = flag.to_ascii_lowercase();
            if "-name".starts_with(&flag) && flag.len() > 1 {
                if let Some(Word::Known { value, .. }) = &a.value {
                    name = Some(value.clone());
                }
            } else if "-value".starts_with(&flag) && flag.len() > 1 {
                value = a.value.clone();
            }
        }
        // `Set-Variable [-Name] x [-Value] v`: positional words fill what is missing.
        let mut positional = positional.into_iter();
        if name.is_none() {
            if let Some(Word::Known { value, .. }) = positional.next() {
                name = Some(value);
            }
        }
        if value.is_none() {
            value = positional.next();
        }
        if let (Some(name), Some(value)) = (name, value) {
            let pure = matches!(
                value,
                Word::Known {
                    defined_at: Some(_),
                    ..
                }
            );
            let display = format!("${name}");
            let key = name.to_ascii_lowercase();
            self.assign_word(key, &display, value, pure);
        }
    }

    /// An en dash / em dash used as a parameter dash (copied from a document).
    fn unicode_dash(&self) -> bool {
        self.peek() == 0xE2 && self.at(1) == 0x80 && matches!(self.at(2), 0x93..=0x95)
    }

    /// A flag starts at `pos` (`-` or a unicode dash, then a letter or `-`).
    fn flag_follows(&self) -> bool {
        let n = if self.peek() == b'-' { 1 } else { 3 };
        let c = self.at(n);
        c.is_ascii_alphabetic()
            || c == b'_'
            || (c == b'-' && n == 1 && self.at(2).is_ascii_alphabetic())
    }

    fn flag(&mut self, items: &mut Vec<Item>) {
        let fs = self.pos;
        self.pos += if self.peek() == b'-' { 1 } else { 3 };
        while is_ident_char(self.peek()) || self.peek() == b'?' || self.peek() == b'.' {
            self.pos += 1;
        }
        let fe = self.pos;
        let text = self.slice(fs, fe).to_string();
        let span = self.span(fs, fe);
        let c = self.peek();
        if c == b':' {
            self.pos += 1;
            self.skip_ws(false);
            let value = if self.at_end() {
                None
            } else {
                Some(self.arg_list().0)
            };
            items.push(Item::Flag { text, span, value });
        } else if c == b'=' && text.starts_with("--") {
            self.pos += 1;
            let value = if self.at_end() || matches!(self.peek(), b' ' | b'\t' | b'\r') {
                Word::Known {
                    value: String::new(),
                    span: self.span(self.pos, self.pos),
                    defined_at: None,
                }
            } else {
                self.arg_list().0
            };
            items.push(Item::Flag {
                text,
                span,
                value: Some(value),
            });
        } else if self.at_end() || matches!(c, b' ' | b'\t' | b'\r' | b',' | b'`') || c == 0 {
            items.push(Item::Flag {
                text,
                span,
                value: None,
            });
        } else {
            // `-foo"bar"`, `-Name$x`: a plain word after all.
            self.pos = fs;
            let (w, bare) = self.arg_list();
            items.push(Item::Value { word: w, bare });
        }
    }

    /// `@name` in a command.
    fn splat(&mut self, items: &mut Vec<Item>) {
        let s = self.pos;
        self.pos += 1;
        while is_name_char(self.peek()) {
            self.pos += 1;
        }
        let name = self.slice(s + 1, self.pos);
        let at = self.span(s, self.pos);
        let key = name.to_ascii_lowercase();
        match self.env.vars.get(&key) {
            Some(Var::Table(entries)) => {
                let cost: usize = entries.iter().map(|e| e.key.len() + 16).sum();
                if self.env.charge(cost) {
                    if let Some(Var::Table(entries)) = self.env.vars.get(&key) {
                        for e in entries {
                            items.push(Item::Flag {
                                text: format!("-{}", e.key),
                                span: e.key_span,
                                value: Some(e.value.clone()),
                            });
                        }
                    }
                } else {
                    items.push(Item::Value {
                        word: Word::Unknown {
                            span: at,
                            why: super::TOO_MANY.to_string(),
                        },
                        bare: false,
                    });
                }
            }
            Some(Var::List(list)) => {
                for w in list.clone() {
                    items.push(Item::Value {
                        word: relocate(&w, at),
                        bare: false,
                    });
                }
            }
            Some(Var::Unknown(_) | Var::Known { .. }) => items.push(Item::Value {
                word: Word::Unknown {
                    span: at,
                    why: format!("the arguments splatted from `${name}` are not known"),
                },
                bare: false,
            }),
            _ => items.push(Item::Value {
                word: Word::Unknown {
                    span: at,
                    why: format!("`@{name}` is not a hashtable assigned in this file"),
                },
                bare: false,
            }),
        }
    }

    /// Skips a redirection (`> f`, `2>&1`, `*>$null`) at `pos`.
    fn redirection(&mut self) -> bool {
        let c = self.peek();
        let mut p = self.pos;
        if (c.is_ascii_digit() || c == b'*') && self.at(1) == b'>' {
            p += 1;
        } else if c != b'>' && c != b'<' {
            return false;
        }
        p += 1;
        if self.b.get(p) == Some(&b'>') {
            p += 1;
        }
        if self.b.get(p) == Some(&b'&') && self.b.get(p + 1).is_some_and(u8::is_ascii_digit) {
            self.pos = p + 2;
            return true;
        }
        self.pos = p;
        self.skip_ws(false);
        if !self.at_end() {
            self.arg_value();
        }
        true
    }

    /// A value, or a list `a, b, c` of values, in argument mode.
    fn arg_list(&mut self) -> (Word, bool) {
        let start = self.pos;
        let (first, bare) = self.arg_value();
        let save = self.pos;
        self.skip_ws(false);
        if self.peek() != b',' {
            self.pos = save;
            return (first, bare);
        }
        let items = vec![first];
        let list = self.rest_of_list(start, items, save, Self::arg_value, false);
        (list, false)
    }

    /// The rest of a list `a, b, c` after its first items: each `,` and an item read by
    /// `item`, flattened; `newlines`: a line break may come before a `,`.
    fn rest_of_list(
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

    /// One value in argument mode; `bare` when written as plain characters.
    fn arg_value(&mut self) -> (Word, bool) {
        let start = self.pos;
        match self.peek() {
            b'(' | b'{' => return (self.unary().0, false),
            b'@' if matches!(self.at(1), b'(' | b'{' | b'\'' | b'"') => {
                return (self.unary().0, false)
            }
            b'$' if self.at(1) != b'(' => {
                if let Some(v) = self.var_name() {
                    let after = self.b.get(v.end).copied().unwrap_or(0);
                    let next = self.b.get(v.end + 1).copied().unwrap_or(0);
                    if (after == b'.' && (next.is_ascii_alphabetic() || next == b'_'))
                        || after == b'['
                    {
                        return (self.unary().0, false);
                    }
                }
            }
            _ => {}
        }
        let mut c = Concat::default();
        self.bare_into(&mut c);
        let bare = c.bare();
        (c.finish(self.span(start, self.pos)).0, bare)
    }

    /// A word in argument mode: plain characters, quotes and variables run together.
    fn bare_into(&mut self, c: &mut Concat) {
        loop {
            if self.eof() {
                return;
            }
            match self.peek() {
                b' ' | b'\t' | b'\r' | b'\n' | 0x0c | b';' | b'|' | b')' | b'}' | b'(' | b'{'
                | b',' | b'&' | b'<' | b'>' => return,
                0xC2 if self.at(1) == 0xA0 => return,
                b'\'' => self.sq_into(c),
                b'"' => self.dq_into(c),
                b'`' => {
                    if self.at(1) == b'\n' || (self.at(1) == b'\r' && self.at(2) == b'\n') {
                        return;
                    }
                    c.not_bare = true;
                    self.pos += 1;
                    self.escape_into(c);
                }
                b'$' => self.dollar_into(c),
                _ => {
                    let s = self.pos;
                    while !self.eof()
                        && !matches!(
                            self.peek(),
                            b' ' | b'\t'
                                | b'\r'
                                | b'\n'
                                | 0x0c
                                | b';'
                                | b'|'
                                | b')'
                                | b'}'
                                | b'('
                                | b'{'
                                | b','
                                | b'&'
                                | b'<'
                                | b'>'
                                | b'\''
                                | b'"'
                                | b'`'
                                | b'$'
                                | 0xC2
                        )
                    {
                        self.pos += 1;
                    }
                    if self.pos == s {
                        // a 0xC2 that is not a no-break space
                        self.adv_char();
                    }
                    c.lit(self.slice(s, self.pos));
                }
            }
        }
    }

    // ---------------------------------------------------------------- expressions

    /// An expression: `a + b`, or a list `a, b`. Returns the word and whether it is exactly
    /// one variable.
    fn expr(&mut self) -> (Word, bool) {
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

    /// `a + b + c` (string concatenation).
    fn concat_expr(&mut self) -> (Word, bool) {
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
    fn unary(&mut self) -> (Word, bool) {
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

    /// Method calls and properties after a value that starts at `start`: `.ToLower()`,
    /// `.ToUpper()`, `.Trim()`, `.TrimStart()`, `.TrimEnd()` and `.Replace('a', 'b')` with
    /// literal arguments are evaluated; anything else makes the value unknown.
    fn methods(&mut self, start: usize, (mut w, mut pure): (Word, bool)) -> (Word, bool) {
        while self.peek() == b'.' && (self.at(1).is_ascii_alphabetic() || self.at(1) == b'_') {
            let ms = self.pos + 1;
            let me = self.ident_end(ms);
            let name = self.slice(ms, me).to_string();
            self.pos = me;
            pure = false;
            let args = if self.peek() == b'(' {
                Some(self.literal_args())
            } else {
                None
            };
            let span = self.span(start, self.pos);
            w = match (w, args) {
                (w @ Word::Unknown { .. }, _) => respan(w, span),
                (_, None) => Word::Unknown {
                    span,
                    why: format!("the property `.{name}`"),
                },
                (
                    Word::Known {
                        value, defined_at, ..
                    },
                    Some(Some(args)),
                ) => match string_method(&value, &name, &args) {
                    Some(value) => Word::Known {
                        value,
                        span,
                        defined_at,
                    },
                    None => Word::Unknown {
                        span,
                        why: format!("the result of `.{name}(…)`"),
                    },
                },
                (_, Some(_)) => Word::Unknown {
                    span,
                    why: format!("the result of `.{name}(…)`"),
                },
            };
        }
        (w, pure)
    }

    /// The arguments of a method call at `(`, when all are string literals; consumed.
    fn literal_args(&mut self) -> Option<Vec<String>> {
        let open = self.pos;
        let saved_nl = self.nl_ok;
        self.nl_ok = true;
        self.pos += 1;
        let mut args = Vec::new();
        let mut ok = true;
        loop {
            self.skip_ws(true);
            match self.peek() {
                b')' if args.is_empty() => break,
                b'\'' | b'"' => match self.string_word().0 {
                    Word::Known { value, .. } => args.push(value),
                    _ => ok = false,
                },
                _ => ok = false,
            }
            self.skip_ws(true);
            match self.peek() {
                b',' if ok => self.pos += 1,
                b')' if ok => break,
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        self.nl_ok = saved_nl;
        if ok {
            self.pos += 1;
            Some(args)
        } else {
            self.pos = open;
            self.skip_balanced();
            None
        }
    }

    fn unknown_from(&self, start: usize, why: &str) -> (Word, bool) {
        (
            Word::Unknown {
                span: self.span(start, self.trim_end(start, self.pos)),
                why: why.to_string(),
            },
            false,
        )
    }

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

    /// A string literal of any kind at `pos`.
    fn string_word(&mut self) -> (Word, bool) {
        let start = self.pos;
        let mut c = Concat::default();
        match self.peek() {
            b'\'' => self.sq_into(&mut c),
            b'"' => self.dq_into(&mut c),
            _ => self.here_into(&mut c),
        }
        c.not_bare = true;
        c.finish(self.span(start, self.pos))
    }

    fn sq_into(&mut self, c: &mut Concat) {
        c.not_bare = true;
        self.pos += 1;
        loop {
            let from = self.pos.min(self.b.len());
            match memchr::memchr(b'\'', &self.b[from..]) {
                None => {
                    c.lit(self.slice(from, self.b.len()));
                    self.pos = self.b.len();
                    c.unknown("an unterminated string".to_string());
                    return;
                }
                Some(i) => {
                    c.lit(self.slice(from, from + i));
                    self.pos = from + i + 1;
                    if self.peek() == b'\'' {
                        c.lit("'");
                        self.pos += 1;
                    } else {
                        if i == 0 {
                            c.pieces += 1;
                        }
                        return;
                    }
                }
            }
        }
    }

    fn dq_into(&mut self, c: &mut Concat) {
        c.not_bare = true;
        self.pos += 1;
        let mut any = false;
        loop {
            let from = self.pos.min(self.b.len());
            match memchr::memchr3(b'"', b'`', b'$', &self.b[from..]) {
                None => {
                    c.lit(self.slice(from, self.b.len()));
                    self.pos = self.b.len();
                    c.unknown("an unterminated string".to_string());
                    return;
                }
                Some(i) => {
                    c.lit(self.slice(from, from + i));
                    any |= i > 0;
                    self.pos = from + i;
                    match self.peek() {
                        b'"' if self.at(1) == b'"' => {
                            c.lit("\"");
                            any = true;
                            self.pos += 2;
                        }
                        b'"' => {
                            self.pos += 1;
                            if !any {
                                c.pieces += 1;
                            }
                            return;
                        }
                        b'`' => {
                            self.pos += 1;
                            self.escape_into(c);
                            any = true;
                        }
                        _ => {
                            self.dollar_into(c);
                            any = true;
                        }
                    }
                }
            }
        }
    }

    /// `@'…'@` / `@"…"@` at `@`.
    fn here_into(&mut self, c: &mut Concat) {
        c.not_bare = true;
        let expand = self.at(1) == b'"';
        let (start, end, after) = self.here_bounds();
        let unterminated = end == self.b.len() && after == self.b.len();
        if !expand {
            c.lit(self.slice(start, end));
            if end == start {
                c.pieces += 1;
            }
        } else {
            self.pos = start;
            let mut any = false;
            while self.pos < end {
                let from = self.pos;
                match memchr::memchr2(b'`', b'$', &self.b[from..end]) {
                    None => {
                        c.lit(self.slice(from, end));
                        any = true;
                        self.pos = end;
                    }
                    Some(i) => {
                        c.lit(self.slice(from, from + i));
                        self.pos = from + i;
                        any = true;
                        if self.peek() == b'`' {
                            self.pos += 1;
                            self.escape_into(c);
                        } else {
                            self.dollar_into(c);
                        }
                    }
                }
            }
            if !any {
                c.pieces += 1;
            }
        }
        self.pos = self.pos.max(after);
        if unterminated {
            c.unknown("an unterminated here-string".to_string());
        }
    }

    /// The character after a backtick (at `pos`).
    fn escape_into(&mut self, c: &mut Concat) {
        let Some(ch) = self.text.get(self.pos..).and_then(|s| s.chars().next()) else {
            self.pos = self.pos.max(self.b.len());
            return;
        };
        self.pos += ch.len_utf8();
        let decoded = match ch {
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            'e' => '\u{1b}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\u{b}',
            'u' if self.peek() == b'{' => {
                let s = self.pos + 1;
                let mut e = s;
                while e < self.b.len() && self.b[e].is_ascii_hexdigit() && e - s < 6 {
                    e += 1;
                }
                if self.b.get(e) == Some(&b'}') {
                    if let Some(ch) = u32::from_str_radix(self.slice(s, e), 16)
                        .ok()
                        .and_then(char::from_u32)
                    {
                        self.pos = e + 1;
                        c.ch(ch);
                        return;
                    }
                }
                'u'
            }
            other => other,
        };
        c.ch(decoded);
    }

    /// `$…` inside a string or a word.
    fn dollar_into(&mut self, c: &mut Concat) {
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

    /// A variable reference at `pos` (`$`), not consumed.
    fn var_name(&self) -> Option<VarRef> {
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

    fn expand_var(&mut self, v: &VarRef, c: &mut Concat) {
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

    /// `$x`, `$x.Prop`, `$x[0]` in an expression.
    fn var_expr(&mut self) -> (Word, bool) {
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
    fn subexpr(&mut self) -> (Word, bool) {
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
        let why = match self.out.get(first) {
            Some(c) => format!("the output of `{}`", c.name.join(" ")),
            None => "a `$(…)` subexpression".to_string(),
        };
        self.unknown_from(start, &why)
    }

    /// `( … )` at `(`.
    fn paren_expr(&mut self) -> (Word, bool) {
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
            let why = match self.out.get(first) {
                Some(c) => format!("the output of `{}`", c.name.join(" ")),
                None => "a command".to_string(),
            };
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
    fn array_expr(&mut self) -> (Word, bool) {
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
            let why = match self.out.get(first) {
                Some(c) => format!("the output of `{}`", c.name.join(" ")),
                None => "a command".to_string(),
            };
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
    fn cast_expr(&mut self) -> (Word, bool) {
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

fn constant(value: &str, at: Span) -> Word {
    Word::Known {
        value: value.to_string(),
        span: at,
        defined_at: None,
    }
}

/// A string method with literal arguments, when cheap and exact.
fn string_method(value: &str, name: &str, args: &[String]) -> Option<String> {
    let chars = |a: &[String]| -> Vec<char> { a.iter().flat_map(|s| s.chars()).collect() };
    let r = match (name.to_ascii_lowercase().as_str(), args) {
        ("tolower" | "tolowerinvariant", []) => value.to_lowercase(),
        ("toupper" | "toupperinvariant", []) => value.to_uppercase(),
        ("trim", []) => value.trim().to_string(),
        ("trimstart", []) => value.trim_start().to_string(),
        ("trimend", []) => value.trim_end().to_string(),
        ("trim", a) => value.trim_matches(chars(a).as_slice()).to_string(),
        ("trimstart", a) => value.trim_start_matches(chars(a).as_slice()).to_string(),
        ("trimend", a) => value.trim_end_matches(chars(a).as_slice()).to_string(),
        ("replace", [from, to]) if !from.is_empty() => {
            let n = value.matches(from.as_str()).count();
            if value.len() + n.saturating_mul(to.len()) > super::MAX_VALUE {
                return None;
            }
            value.replace(from.as_str(), to)
        }
        _ => return None,
    };
    (r.len() <= super::MAX_VALUE).then_some(r)
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
}

/// The same word at another span (a parenthesised or cast expression).
fn respan(w: Word, span: Span) -> Word {
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
            if x.len() + y.len() > super::MAX_VALUE {
                return Word::Unknown {
                    span,
                    why: super::TOO_LONG.to_string(),
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
