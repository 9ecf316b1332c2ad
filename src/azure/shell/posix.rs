//! POSIX sh / bash (`.sh`, `.bash`).
//!
//! Supported: `#` comments; `\` line continuation; separators `;` `&&` `||` `|` `&`,
//! newline; `( … )` / `{ …; }` groups and `if/while/for/case` keywords (skipped, the commands
//! inside are returned); '…', "…" (`\"`, `\$`, `` \` ``, `\\` escapes), `$'…'`; `$VAR`,
//! `${VAR}`, `${VAR:-default}` / `${VAR-default}` (the variable if assigned, else the
//! default, whose span becomes `defined_at`), `${VAR:=default}` (also assigns),
//! `${VAR:+alt}`, `${VAR:?msg}`; assignments `VAR=value`, `VAR=(a b)` (a list),
//! `export`/`readonly`/`local`/`declare`/`typeset [-opts] VAR=value`; `read VAR` makes
//! `VAR` unknown, as does `for VAR in …`; here-documents `<<EOF`, `<<-'EOF'` (bodies skipped),
//! here-strings and redirections skipped; `--flag value` and `--flag=value`.
//!
//! Unknown (with a why): `$(…)`, backticks, `$((…))`, `$1`, `$@`, `$?` and the other special
//! parameters, `${#VAR}`, `${VAR%…}` and the other operators, variables assigned only
//! later. `VAR=x cmd …` prefix assignments are skipped: they only reach `cmd`'s environment,
//! not the expansion of its arguments.

use super::command_line::{CommandLine, Item};
use super::Cursor;
use super::{
    after_bom, fix_later, output_why, push_word, Command, Concat, Env, Var, Word, MAX_DEPTH,
};
use crate::span::FileId;

pub(super) fn commands(file: FileId, text: &str) -> Vec<Command> {
    let mut p = Sh {
        text,
        b: text.as_bytes(),
        pos: after_bom(text),
        limit: text.len(),
        file,
        env: Env::new(text),
        out: Vec::new(),
        depth: 0,
        heredocs: Vec::new(),
        pattern: false,
    };
    p.statements(None);
    let mut out = p.out;
    fix_later(&mut out, &p.env, |d| d.trim_start_matches('$').to_string());
    out
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn is_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && is_name_start(b[0]) && b.iter().all(|&c| is_name_char(c))
}

/// How a word ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// At blanks and operators.
    Normal,
    /// Inside `${VAR:-…}`: at the closing `}` only.
    Brace,
}

struct Sh<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    /// End of the region being scanned (the closing backtick of a substitution).
    limit: usize,
    file: FileId,
    env: Env,
    out: Vec<Command>,
    depth: u32,
    /// Here-documents whose bodies start after the next newline: (delimiter, `<<-`).
    heredocs: Vec<(String, bool)>,
    /// After `case … in` or `;;`: a pattern `a|b)` comes next.
    pattern: bool,
}

super::cursor!(Sh, b'\\', limit);

impl<'a> Sh<'a> {
    /// After a newline: skips the bodies of pending here-documents.
    fn heredoc_bodies(&mut self) {
        let pending = std::mem::take(&mut self.heredocs);
        for (delim, strip) in pending {
            loop {
                if self.eof() {
                    return;
                }
                let s = self.pos;
                self.skip_line();
                let mut line = self.slice(s, self.pos);
                if self.pos < self.limit {
                    self.pos += 1;
                }
                line = line.strip_suffix('\r').unwrap_or(line);
                if strip {
                    line = line.trim_start_matches('\t');
                }
                if line == delim {
                    break;
                }
            }
        }
    }

    fn statements(&mut self, term: Option<u8>) {
        loop {
            self.skip_blanks();
            if self.eof() {
                return;
            }
            match self.peek() {
                b'\n' => {
                    self.pos += 1;
                    self.heredoc_bodies();
                    continue;
                }
                b'#' => {
                    self.skip_line();
                    continue;
                }
                b';' => {
                    self.pos += 1;
                    if self.peek() == b';' {
                        self.pos += 1;
                        self.pattern = true;
                    }
                    if self.peek() == b'&' {
                        self.pos += 1;
                    }
                    continue;
                }
                b'&' | b'|' | b'!' => {
                    self.pos += 1;
                    continue;
                }
                b'(' if self.at(1) == b'(' => {
                    self.skip_arith();
                    continue;
                }
                b'(' => {
                    self.pos += 1;
                    continue;
                }
                b')' => {
                    self.pos += 1;
                    if term == Some(b')') {
                        return;
                    }
                    continue;
                }
                _ => {}
            }
            let before = self.pos;
            if self.pattern {
                self.case_pattern();
            } else {
                self.command();
            }
            if self.pos == before {
                self.adv_char();
            }
        }
    }

    /// `a|b)` of a `case`.
    fn case_pattern(&mut self) {
        self.pattern = false;
        let s = self.pos;
        let end = self.word_end_name(s);
        if self.slice(s, end) == "esac" {
            self.pos = end;
            return;
        }
        // Patterns are short: looking further would make `case x in case x in …` quadratic.
        while !self.eof() && self.pos - s < 256 && !matches!(self.peek(), b')' | b'\n') {
            match self.peek() {
                b'\'' | b'"' => {
                    let mut c = Concat::default();
                    self.word_into(&mut c, Mode::Normal);
                }
                _ => self.pos += 1,
            }
        }
        if self.peek() == b')' {
            self.pos += 1;
        } else {
            self.pos = s;
            self.command();
        }
    }

    /// `(( … ))` or `$(( … ))` from the first `(`.
    fn skip_arith(&mut self) {
        let mut depth = 0u32;
        while !self.eof() {
            match self.peek() {
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    fn word_end_name(&self, from: usize) -> usize {
        let mut e = from;
        while e < self.limit && (is_name_char(self.b[e]) || self.b[e] == b'-') {
            e += 1;
        }
        e
    }

    fn is_word_end(c: u8) -> bool {
        matches!(
            c,
            0 | b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
        )
    }

    /// One command (with its keywords, assignments and redirections).
    fn command(&mut self) {
        // Keywords.
        loop {
            self.skip_blanks();
            let s = self.pos;
            let e = self.word_end_name(s);
            if e < self.limit && !Self::is_word_end(self.b[e]) && !matches!(self.b[e], b'{' | b'}')
            {
                break;
            }
            match self.slice(s, e) {
                "if" | "then" | "else" | "elif" | "fi" | "do" | "done" | "while" | "until"
                | "esac" | "time" => self.pos = e,
                "for" | "select" => {
                    self.pos = e;
                    self.skip_blanks();
                    if self.peek() == b'(' {
                        self.skip_arith();
                        return;
                    }
                    let ns = self.pos;
                    let ne = self.word_end_name(ns);
                    let name = self.slice(ns, ne).to_string();
                    if is_name(&name) {
                        let why = format!("`${name}` is a loop variable");
                        self.env.set(name, Var::Unknown(why));
                    }
                    self.pos = ne;
                    // The word list: expanded (for commands inside), then dropped.
                    while !self.at_command_end() {
                        let before = self.pos;
                        self.skip_blanks();
                        if self.at_command_end() {
                            break;
                        }
                        let _ = self.word();
                        if self.pos == before {
                            self.adv_char();
                        }
                    }
                    return;
                }
                "case" => {
                    self.pos = e;
                    while !self.at_command_end() {
                        let before = self.pos;
                        self.skip_blanks();
                        let ws = self.pos;
                        let we = self.word_end_name(ws);
                        if self.slice(ws, we) == "in"
                            && (we >= self.limit || Self::is_word_end(self.b[we]))
                        {
                            self.pos = we;
                            self.pattern = true;
                            return;
                        }
                        let _ = self.word();
                        if self.pos == before {
                            self.adv_char();
                        }
                    }
                    return;
                }
                "function" => {
                    self.pos = e;
                    self.skip_blanks();
                    self.pos = self.word_end_name(self.pos);
                    self.skip_blanks();
                    if self.peek() == b'(' && self.at(1) == b')' {
                        self.pos += 2;
                    }
                    return;
                }
                _ => {
                    if matches!(self.peek(), b'{' | b'}')
                        && matches!(self.at(1), 0 | b' ' | b'\t' | b'\n' | b'\r' | b';')
                    {
                        self.pos += 1;
                        continue;
                    }
                    if self.peek() == b'[' && self.at(1) == b'[' {
                        // `[[ … ]]`: expanded for commands inside, not returned.
                        self.pos += 2;
                        let closing = |p: &Self| p.peek() == b']' && p.at(1) == b']';
                        while !(self.eof() || closing(self) || self.peek() == b'\n') {
                            let before = self.pos;
                            self.skip_blanks();
                            if !self.eof() && !matches!(self.peek(), b']' | b'\n') {
                                let _ = self.word();
                            }
                            if self.pos == before {
                                self.adv_char();
                            }
                        }
                        if self.peek() == b']' {
                            self.pos += 2;
                        }
                        return;
                    }
                    // `name() {`
                    if e > s && self.b.get(e) == Some(&b'(') && self.b.get(e + 1) == Some(&b')') {
                        self.pos = e + 2;
                        return;
                    }
                    break;
                }
            }
        }
        if self.depth >= MAX_DEPTH {
            self.skip_line();
            return;
        }
        self.depth += 1;
        self.simple_command();
        self.depth -= 1;
    }

    /// `NAME=` or `NAME+=` at `pos`: (name, position after `=`, append).
    fn assignment_at(&self) -> Option<(String, usize, bool)> {
        let s = self.pos;
        if !is_name_start(self.peek()) {
            return None;
        }
        let mut e = s;
        while e < self.limit && is_name_char(self.b[e]) {
            e += 1;
        }
        match (self.b.get(e), self.b.get(e + 1)) {
            (Some(b'='), _) => Some((self.slice(s, e).to_string(), e + 1, false)),
            (Some(b'+'), Some(b'=')) => Some((self.slice(s, e).to_string(), e + 2, true)),
            _ => None,
        }
    }

    /// The value of an assignment at `pos` (after `=`): a word, `(a b)`, or empty.
    fn assignment_value(&mut self, name: &str) -> (Word, bool) {
        let s = self.pos;
        if self.peek() == b'(' {
            self.pos += 1;
            let mut items = Vec::new();
            loop {
                while matches!(self.peek(), b' ' | b'\t' | b'\r' | b'\n') || self.continuation() > 0
                {
                    self.pos += self.continuation().max(1);
                }
                if self.eof() {
                    break;
                }
                if self.peek() == b')' {
                    self.pos += 1;
                    break;
                }
                if self.peek() == b'#' {
                    self.skip_line();
                    continue;
                }
                let before = self.pos;
                let (w, _) = self.word();
                if self.pos == before {
                    self.adv_char();
                    continue;
                }
                items.push(w);
            }
            return (
                Word::List {
                    items,
                    span: self.span(s, self.pos),
                },
                false,
            );
        }
        if Self::is_word_end(self.peek()) {
            let _ = name;
            return (
                Word::Known {
                    value: String::new(),
                    span: self.span(s, s),
                    defined_at: None,
                },
                false,
            );
        }
        let mut c = Concat::default();
        self.word_into(&mut c, Mode::Normal);
        let pure = c.pure();
        (c.finish(self.span(s, self.pos)).0, pure)
    }

    fn set_var(&mut self, name: String, word: Word, pure: bool, append: bool) {
        let display = format!("${name}");
        let word = if append {
            match (self.env.vars.get(&name), word) {
                (Some(Var::Known { value, defined_at }), Word::Known { value: add, .. }) => {
                    let value = format!("{value}{add}");
                    self.env.set(
                        name,
                        Var::Known {
                            value,
                            defined_at: *defined_at,
                        },
                    );
                    return;
                }
                (None, w) => w,
                (_, w) => Word::Unknown {
                    span: w.span(),
                    why: format!("`{display}` is appended to with `+=`"),
                },
            }
        } else {
            word
        };
        self.env.assign(name, &display, word, pure);
    }

    fn simple_command(&mut self) {
        // Prefix assignments.
        let mut assignments = Vec::new();
        loop {
            self.skip_blanks();
            let Some((name, after, append)) = self.assignment_at() else {
                break;
            };
            self.pos = after;
            let (w, pure) = self.assignment_value(&name);
            assignments.push((name, w, pure, append));
        }
        self.skip_blanks();
        if self.at_command_end() {
            for (name, w, pure, append) in assignments {
                self.set_var(name, w, pure, append);
            }
            return;
        }
        let start = self.pos;
        let name_end = self.word_end_name(start);
        let first = self.slice(start, name_end);
        if matches!(
            first,
            "export" | "readonly" | "local" | "declare" | "typeset"
        ) && (name_end >= self.limit || Self::is_word_end(self.b[name_end]))
        {
            self.pos = name_end;
            self.declaration();
            return;
        }
        let is_read = first == "read";
        let Some(cmd) = self.read_command(start, Vec::new(), self.pos) else {
            return;
        };
        if is_read {
            for a in &cmd.arguments {
                let flag = a.flag.as_ref().map(|(f, _)| f.as_str());
                if matches!(flag, Some("-p" | "-t" | "-d" | "-n" | "-N" | "-u" | "-i")) {
                    continue;
                }
                if let Some(Word::Known { value, .. }) = &a.value {
                    if is_name(value) {
                        let why = format!("`${value}` is read from input (`read`)");
                        self.env.set(value.clone(), Var::Unknown(why));
                    }
                }
            }
        }
        self.out.push(cmd);
    }

    /// `export A=1 B` etc. after the keyword.
    fn declaration(&mut self) {
        loop {
            self.skip_blanks();
            if self.at_command_end() {
                return;
            }
            let before = self.pos;
            if let Some((name, after, append)) = self.assignment_at() {
                self.pos = after;
                let (w, pure) = self.assignment_value(&name);
                self.set_var(name, w, pure, append);
            } else if !self.redirection() {
                let _ = self.word();
            }
            if self.pos == before {
                self.adv_char();
            }
        }
    }

    fn word_into(&mut self, c: &mut Concat, mode: Mode) {
        loop {
            if self.eof() {
                return;
            }
            let ch = self.peek();
            match mode {
                Mode::Normal if Self::is_word_end(ch) => return,
                Mode::Normal if ch == 0xC2 && self.at(1) == 0xA0 => return,
                Mode::Brace if ch == b'}' => return,
                _ => {}
            }
            match ch {
                b'\\' => {
                    let n = self.continuation();
                    if n > 0 {
                        self.pos += n;
                        continue;
                    }
                    c.not_bare = true;
                    self.pos += 1;
                    self.one_char(c);
                }
                b'\'' => {
                    c.not_bare = true;
                    self.pos += 1;
                    let from = self.pos.min(self.limit);
                    match memchr::memchr(b'\'', &self.b[from..self.limit]) {
                        Some(i) => {
                            c.lit(self.slice(from, from + i));
                            if i == 0 {
                                c.pieces += 1;
                            }
                            self.pos = from + i + 1;
                        }
                        None => {
                            c.lit(self.slice(from, self.limit));
                            self.pos = self.limit;
                            c.unknown("an unterminated string".to_string());
                        }
                    }
                }
                b'"' => self.dq_into(c),
                b'$' => self.dollar_into(c),
                b'`' => {
                    let w = self.backticks();
                    push_word(c, w);
                }
                _ => {
                    let s = self.pos;
                    while !self.eof() {
                        let x = self.peek();
                        let stop = match mode {
                            Mode::Normal => Self::is_word_end(x) || x == 0xC2,
                            Mode::Brace => x == b'}',
                        };
                        if stop || matches!(x, b'\\' | b'\'' | b'"' | b'$' | b'`') {
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

    fn dq_into(&mut self, c: &mut Concat) {
        c.not_bare = true;
        self.pos += 1;
        let mut any = false;
        loop {
            let from = self.pos.min(self.limit);
            let hay = &self.b[from..self.limit];
            let next = memchr::memchr3(b'"', b'\\', b'$', hay);
            let tick = memchr::memchr(b'`', &hay[..next.unwrap_or(hay.len())]);
            match tick.or(next) {
                None => {
                    c.lit(self.slice(from, self.limit));
                    self.pos = self.limit;
                    c.unknown("an unterminated string".to_string());
                    return;
                }
                Some(i) => {
                    c.lit(self.slice(from, from + i));
                    any |= i > 0;
                    self.pos = from + i;
                    match self.peek() {
                        b'"' => {
                            self.pos += 1;
                            if !any {
                                c.pieces += 1;
                            }
                            return;
                        }
                        b'\\' => {
                            let n = self.continuation();
                            if n > 0 {
                                self.pos += n;
                            } else if matches!(self.at(1), b'"' | b'\\' | b'$' | b'`') {
                                self.pos += 1;
                                self.one_char(c);
                                any = true;
                            } else {
                                c.lit("\\");
                                self.pos += 1;
                                any = true;
                            }
                        }
                        b'`' => {
                            let w = self.backticks();
                            push_word(c, w);
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

    /// `` `…` `` at the opening backtick: commands inside are returned.
    fn backticks(&mut self) -> Word {
        let s = self.pos;
        let mut e = s + 1;
        while e < self.limit && self.b[e] != b'`' {
            if self.b[e] == b'\\' {
                e += 1;
            }
            e += 1;
        }
        let e = e.min(self.limit);
        let first = self.out.len();
        if self.depth < MAX_DEPTH {
            let saved_limit = self.limit;
            let saved_heredocs = std::mem::take(&mut self.heredocs);
            self.depth += 1;
            self.limit = e;
            self.pos = s + 1;
            self.statements(None);
            self.limit = saved_limit;
            self.depth -= 1;
            self.heredocs = saved_heredocs;
        }
        self.pos = (e + 1).min(self.limit);
        Word::Unknown {
            span: self.span(s, self.pos),
            why: output_why(&self.out, first, "a backtick command substitution"),
        }
    }

    /// `$…` at `$`.
    fn dollar_into(&mut self, c: &mut Concat) {
        let s = self.pos;
        let n = self.at(1);
        match n {
            b'(' if self.at(2) == b'(' => {
                self.pos += 1;
                self.skip_arith();
                c.unknown("an arithmetic expansion `$((…))`".to_string());
            }
            b'(' => {
                let first = self.out.len();
                if self.depth >= MAX_DEPTH {
                    self.skip_arith();
                } else {
                    self.depth += 1;
                    self.pos += 2;
                    self.statements(Some(b')'));
                    self.depth -= 1;
                }
                c.unknown(output_why(
                    &self.out,
                    first,
                    "a `$(…)` command substitution",
                ));
            }
            b'\'' => {
                self.pos += 2;
                self.ansi_c(c);
            }
            b'{' => self.braced(c),
            x if is_name_start(x) => {
                let mut e = s + 1;
                while e < self.limit && is_name_char(self.b[e]) {
                    e += 1;
                }
                let name = self.slice(s + 1, e).to_string();
                self.pos = e;
                let display = format!("${name}");
                self.env.expand(&name, &display, self.span(s, e), c, None);
            }
            x if x.is_ascii_digit()
                || matches!(x, b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-') =>
            {
                self.pos += 2;
                c.unknown(special_why(x as char));
            }
            _ => {
                c.lit("$");
                self.pos += 1;
            }
        }
    }

    /// `${…}` at `$`.
    fn braced(&mut self, c: &mut Concat) {
        let s = self.pos;
        if self.depth >= MAX_DEPTH {
            let from = (s + 2).min(self.limit);
            self.pos = memchr::memchr(b'}', &self.b[from..self.limit])
                .map_or(self.limit, |i| from + i + 1);
            c.unknown("an expansion nested too deeply".to_string());
            return;
        }
        self.depth += 1;
        self.braced_inner(c, s);
        self.depth -= 1;
    }

    fn braced_inner(&mut self, c: &mut Concat, s: usize) {
        self.pos += 2;
        let ns = self.pos;
        while is_name_char(self.peek()) {
            self.pos += 1;
        }
        let name = self.slice(ns, self.pos).to_string();
        let display = format!("${name}");
        if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) && self.peek() != b'}' {
            self.skip_brace_rest();
            c.unknown(format!(
                "`{}` depends on the script argument `${name}`",
                self.slice(s, self.pos)
            ));
            return;
        }
        if name.is_empty() || !is_name_start(name.as_bytes()[0]) {
            // `${#X}`, `${!X}`, `${1}`, `${@}`…
            let first = self.slice(ns, ns + 1).chars().next().unwrap_or('$');
            self.skip_brace_rest();
            if self.pos == ns + 2
                && (first.is_ascii_digit() || matches!(first, '@' | '*' | '?' | '$' | '!'))
            {
                c.unknown(special_why(first));
            } else {
                c.unknown(format!("a `{}` expansion", self.slice(s, self.pos)));
            }
            return;
        }
        let colon = self.peek() == b':' && matches!(self.at(1), b'-' | b'=' | b'+' | b'?');
        if colon {
            self.pos += 1;
        }
        let op = self.peek();
        match op {
            b'}' => {
                self.pos += 1;
                let at = self.span(s, self.pos);
                self.env.expand(&name, &display, at, c, None);
            }
            b'-' | b'=' | b'+' | b'?' => {
                self.pos += 1;
                let ds = self.pos;
                let mut d = Concat::default();
                self.word_into(&mut d, Mode::Brace);
                let de = self.pos;
                if self.peek() == b'}' {
                    self.pos += 1;
                }
                let span = self.span(s, self.pos);
                let (default, _) = d.finish(self.span(ds, de));
                // Is the variable set (and non-empty with `:`)?
                let set = match self.env.vars.get(&name) {
                    None => Some(false),
                    Some(Var::Known { value, .. }) => Some(!(colon && value.is_empty())),
                    Some(Var::List(_) | Var::Table(_)) => Some(true),
                    Some(Var::Unknown(_)) => None,
                };
                match (op, set) {
                    (b'-' | b'=', Some(true)) | (b'?', Some(true)) => {
                        self.env.expand(&name, &display, span, c, None)
                    }
                    (b'-' | b'=', Some(false)) => {
                        if op == b'=' {
                            self.set_var(name.clone(), default.clone(), false, false);
                        }
                        match default {
                            Word::Known { value, span, .. } => c.known_var(&value, span),
                            w => push_word(c, w),
                        }
                    }
                    (b'+', Some(true)) => push_word(c, default),
                    (b'+', Some(false)) => {
                        c.not_bare = true;
                        c.pieces += 1;
                    }
                    (b'?', Some(false)) => c.unknown(format!(
                        "`{display}` is never assigned in this file (the script stops)"
                    )),
                    _ => self.env.expand(&name, &display, span, c, None),
                }
            }
            _ => {
                self.skip_brace_rest();
                c.unknown(format!(
                    "a `{}` expansion this linter does not evaluate",
                    self.slice(s, self.pos)
                ));
            }
        }
    }

    /// Up to and past the `}` closing a `${`.
    fn skip_brace_rest(&mut self) {
        let mut d = Concat::default();
        self.word_into(&mut d, Mode::Brace);
        if self.peek() == b'}' {
            self.pos += 1;
        }
    }

    /// `$'…'` after the opening quote.
    fn ansi_c(&mut self, c: &mut Concat) {
        c.not_bare = true;
        loop {
            if self.eof() {
                c.unknown("an unterminated string".to_string());
                return;
            }
            match self.peek() {
                b'\'' => {
                    self.pos += 1;
                    c.pieces += 1;
                    return;
                }
                b'\\' => {
                    self.pos += 1;
                    let e = self.peek();
                    let simple = match e {
                        b'n' => Some('\n'),
                        b't' => Some('\t'),
                        b'r' => Some('\r'),
                        b'a' => Some('\u{7}'),
                        b'b' => Some('\u{8}'),
                        b'e' | b'E' => Some('\u{1b}'),
                        b'f' => Some('\u{c}'),
                        b'v' => Some('\u{b}'),
                        b'\\' => Some('\\'),
                        b'\'' => Some('\''),
                        b'"' => Some('"'),
                        b'?' => Some('?'),
                        _ => None,
                    };
                    if let Some(ch) = simple {
                        self.pos += 1;
                        c.ch(ch);
                    } else if e == b'x' {
                        self.pos += 1;
                        let s = self.pos;
                        while self.pos - s < 2 && self.peek().is_ascii_hexdigit() {
                            self.pos += 1;
                        }
                        match u32::from_str_radix(self.slice(s, self.pos), 16)
                            .ok()
                            .and_then(char::from_u32)
                        {
                            Some(ch) => c.ch(ch),
                            None => c.lit("\\x"),
                        }
                    } else {
                        c.lit("\\");
                    }
                }
                _ => self.one_char(c),
            }
        }
    }
}

/// A command's arguments: `\` continues the line, blanks separate arguments, `#` after a
/// blank starts a comment; flags are plain dashed words (`-f`, `--flag=value`) as in cmd.
impl<'a> CommandLine<'a> for Sh<'a> {
    /// Is `pos` at the end of a command? (`&>` is a redirection, `#` a comment.)
    fn at_command_end(&self) -> bool {
        self.eof()
            || match self.peek() {
                b'\n' | b';' | b'|' | b')' | b'#' => true,
                b'&' => self.at(1) != b'>',
                _ => false,
            }
    }

    /// Skips a redirection at `pos`; registers here-documents.
    fn redirection(&mut self) -> bool {
        let mut p = self.pos;
        while p < self.limit && self.b[p].is_ascii_digit() {
            p += 1;
        }
        let c = if p < self.limit { self.b[p] } else { 0 };
        let amp = p == self.pos && c == b'&' && self.b.get(p + 1) == Some(&b'>');
        if !(matches!(c, b'<' | b'>') || amp) {
            return false;
        }
        if p > self.pos && !matches!(c, b'<' | b'>') {
            return false;
        }
        self.pos = p;
        if amp {
            self.pos += 1;
        }
        if self.peek() == b'<' && self.at(1) == b'<' && self.at(2) != b'<' {
            self.pos += 2;
            let strip = self.peek() == b'-';
            if strip {
                self.pos += 1;
            }
            self.skip_blanks();
            let mut c = Concat::default();
            self.word_into(&mut c, Mode::Normal);
            self.heredocs.push((c.value, strip));
            return true;
        }
        while matches!(self.peek(), b'<' | b'>' | b'|') {
            self.pos += 1;
        }
        if self.peek() == b'&' {
            self.pos += 1;
            if self.peek().is_ascii_digit() || self.peek() == b'-' {
                self.pos += 1;
                return true;
            }
        }
        self.skip_blanks();
        if !self.at_command_end() {
            let _ = self.word();
        }
        true
    }

    fn argument(&mut self, items: &mut Vec<Item>) {
        self.dash_flag_or_word(items, |_, c| Self::is_word_end(c));
    }

    fn word_chars(&mut self, c: &mut Concat) {
        self.word_into(c, Mode::Normal);
    }
}

fn special_why(c: char) -> String {
    match c {
        '0' => "`$0` is the script's name".to_string(),
        d if d.is_ascii_digit() => format!("`${d}` is a script argument"),
        '@' | '*' => format!("`${c}` is the script's arguments"),
        '#' => "`$#` is the number of script arguments".to_string(),
        _ => format!("`${c}` is set by the shell at run time"),
    }
}
