//! One pass over a text finds every secret it holds, in any language the tool reads
//! (T-SQL, SQLCMD, PowerShell, sh, cmd, TOML, JSON), in code and in comments.
//!
//! One search for trigger words finds the places to look at; each is then read by the
//! rule for its form:
//!
//! - a value given to a secret-looking name: `PASSWORD = '…'`, `PASSWORD '…'`,
//!   `BY PASSWORD bare`, `SECRET = N'…'`, `DECLARE @pwd nvarchar(128) = N'…'`,
//!   `"password": "…"`, `Password=…;` and `AccountKey=…` in connection strings,
//!   `$password = '…'`, `password: …`; in dynamic SQL (`''…''`, `''' + 'a' + 'b' + '''`);
//! - a command-line flag: `-Password`, `--password=`, its PowerShell prefixes (`-Pass`),
//!   `--client-secret`, `sqlcmd -P`, `-Ppw`, `ConvertTo-SecureString '…'`,
//!   `az keyvault secret set --value`;
//! - `:setvar` of a secret-looking variable (also commented out), `sqlcmd -v NAME=…`;
//! - private keys: `PRIVATE KEY (BINARY = 0x…)` of any length, PEM blocks;
//! - positional password arguments (`sp_addlogin`, `sp_addlinkedsrvlogin`, …);
//! - tokens: `sig=` of a SAS, `Bearer …`, the password of `scheme://user:pw@host`.
//!
//! A reference (`$(Var)`, `@var`, `$pw`, `$env:X`, `%X%`) is not a secret: the
//! variables a password is made of are reported, so that their values are masked where
//! they are set. Every scan is linear in the text: a place inside a secret already
//! found is not read again.

use super::read::{
    bare, is_word, line_end, line_start, skip_blanks, skip_blanks_and_comments, skip_spaces,
    value_at, word_end, Bare, Value,
};
use super::{is_secret_name, Origin, Secret, SecretKind};
use std::ops::Range;

/// What one text holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Found {
    /// The secrets, sorted by position, overlaps merged.
    pub secrets: Vec<Secret>,
    /// SQLCMD variables used where a password goes (`PASSWORD = '$(MkPwd)'`): their
    /// values are secrets wherever they are set, in this file or another.
    pub password_vars: Vec<String>,
    /// Every SQLCMD variable given a value here (`:setvar`, `sqlcmd -v`), for masking
    /// once the variables used as passwords in all files are known.
    pub assignments: Vec<Assignment>,
}

/// `:setvar NAME value` or `-v NAME=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    /// The value, without its quotes.
    pub range: Range<usize>,
    /// A `:setvar` line (as opposed to a command-line `-v`).
    pub setvar: bool,
}

/// Parts of secret-looking names: a word holding one is read by [`Scan::named`].
const NAME_PARTS: &[&str] = &[
    "pw",
    "passw",
    "secret",
    "key_source",
    "passphrase",
    "private",
    "accountkey",
    "accesskey",
    "sharedkey",
    "storagekey",
    "apikey",
    "api_key",
    "api-key",
    "account-key",
    "token",
    "sas",
];

/// Triggers read where they stand.
const PLACES: &[&str] = &[
    ":setvar",
    "-p",
    "-v",
    "convertto-securestring",
    "://",
    "sig=",
    "bearer",
];

/// Programs on whose command lines `-P` is the password and `-v` sets variables.
const COMMAND_WORDS: &[&str] = &["sqlcmd", "osql", "bcp", ":connect", "invoke-sqlcmd"];

/// Positional password arguments of procedures and functions, by position (1-based).
const POSITIONAL: &[(&str, &[usize])] = &[
    ("sp_addlogin", &[2]),
    ("sp_password", &[1, 2]),
    ("sp_addlinkedsrvlogin", &[5]),
    ("sp_addapprole", &[2]),
    ("sp_setapprole", &[2]),
    ("certprivatekey", &[2, 3]),
    ("encryptbypassphrase", &[1]),
    ("decryptbypassphrase", &[1]),
];

enum Trigger {
    Name,
    Place(&'static str),
    Procedure(usize),
}

fn triggers() -> &'static crate::words::Words {
    static ALL: std::sync::OnceLock<crate::words::Words> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        crate::words::Words::new(
            NAME_PARTS
                .iter()
                .chain(PLACES)
                .copied()
                .chain(POSITIONAL.iter().map(|(name, _)| *name)),
        )
    })
}

fn trigger(id: usize) -> Trigger {
    if id < NAME_PARTS.len() {
        Trigger::Name
    } else if id < NAME_PARTS.len() + PLACES.len() {
        Trigger::Place(PLACES[id - NAME_PARTS.len()])
    } else {
        Trigger::Procedure(id - NAME_PARTS.len() - PLACES.len())
    }
}

/// The kind of command line a `-P` / `-v` stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Program {
    /// sqlcmd, osql, bcp, `:connect`: `-Ppw` attached is the password too.
    Native,
    /// `Invoke-Sqlcmd`: PowerShell parameters (`-PassThru` is not `-P assThru`).
    PowerShell,
}

struct Scan<'t> {
    bytes: &'t [u8],
    found: Found,
    /// T-SQL variables used where a password goes: their DECLARE / SET values are secrets.
    sql_vars: Vec<String>,
    /// Everything before this is inside a secret already read.
    covered: usize,
    /// How far `PRIVATE KEY ( … )` has been read.
    private_scanned: usize,
    /// The last line looked at for a command program, and the answer.
    command_line: Option<(usize, Option<Program>)>,
}

/// Every secret of `text`.
pub fn find(text: &str) -> Found {
    let bytes = text.as_bytes();
    let mut hits: Vec<(usize, Range<usize>)> = Vec::new();
    triggers().search(bytes, |id, m| {
        hits.push((id, m));
        false
    });
    let mut scan = Scan {
        bytes,
        found: Found::default(),
        sql_vars: Vec::new(),
        covered: 0,
        private_scanned: 0,
        command_line: None,
    };
    let mut word_end_seen = 0;
    for (id, at) in hits {
        if at.start < scan.covered {
            continue;
        }
        match trigger(id) {
            Trigger::Name => {
                // One word may hold several parts (`sa_password_pw`): read it once.
                if at.start < word_end_seen {
                    continue;
                }
                let word = scan.word_around(at);
                word_end_seen = word.end;
                scan.named(word);
            }
            Trigger::Place(place) => scan.place(place, at),
            Trigger::Procedure(index) => scan.positional(index, at),
        }
    }
    scan.finish()
}

impl<'t> Scan<'t> {
    /// The word holding `at`: word characters and inner dashes (`client-secret`).
    fn word_around(&self, at: Range<usize>) -> Range<usize> {
        let bytes = self.bytes;
        let part = |i: usize| {
            is_word(bytes[i])
                || (bytes[i] == b'-'
                    && i > 0
                    && i + 1 < bytes.len()
                    && bytes[i - 1].is_ascii_alphanumeric()
                    && bytes[i + 1].is_ascii_alphanumeric())
        };
        let mut start = at.start;
        while start > 0 && part(start - 1) {
            start -= 1;
        }
        let mut end = at.end;
        while end < bytes.len() && part(end) {
            end += 1;
        }
        start..end
    }

    fn push(&mut self, value: Value, kind: SecretKind, origin: Origin) {
        let mut first = true;
        for piece in value.pieces {
            if piece.start >= piece.end || is_placeholder(&self.bytes[piece.clone()]) {
                continue;
            }
            self.found.secrets.push(Secret {
                range: piece,
                kind,
                origin: if first { origin } else { Origin::Piece },
            });
            first = false;
        }
        self.found.password_vars.extend(value.sqlcmd_vars);
        self.sql_vars.extend(value.sql_vars);
        self.covered = self.covered.max(value.end);
    }

    /// A word holding a part of a secret-looking name.
    fn named(&mut self, word: Range<usize>) {
        let bytes = self.bytes;
        let name = String::from_utf8_lossy(&bytes[word.clone()]).into_owned();
        let dashes = bytes[..word.start]
            .iter()
            .rev()
            .take_while(|b| **b == b'-')
            .count();
        if dashes > 0 {
            self.flag(&name, word.end);
            return;
        }
        if name.eq_ignore_ascii_case("PRIVATE") {
            self.private_key(word);
            return;
        }
        if !is_secret_name(&name) {
            return;
        }
        let json_key =
            word.start > 0 && bytes[word.start - 1] == b'"' && bytes.get(word.end) == Some(&b'"');
        let mut j = word.end + usize::from(json_key);
        j = skip_blanks_and_comments(bytes, j);
        if name.starts_with('@') {
            j = skip_declared_type(bytes, j);
        }
        let value_start = match bytes.get(j) {
            Some(b'=') if bytes.get(j + 1) != Some(&b'=') => skip_blanks_and_comments(bytes, j + 1),
            Some(b':') if matches!(bytes.get(j + 1), Some(b' ' | b'\t' | b'"' | b'\'')) => {
                skip_spaces(bytes, j + 1)
            }
            // `PASSWORD 'x'` (SQL Server rejects it, but the value is the password), only
            // after the keywords themselves.
            Some(b'\'' | b'N' | b'n') if is_keyword(&name) && string_starts(bytes, j) => j,
            // `ENCRYPTION BY PASSWORD Zq7…;`: a bare token where the `=` is missing.
            Some(_)
                if name.eq_ignore_ascii_case("PASSWORD")
                    && self.bare_password_at(word.start, j) =>
            {
                let value = bare(bytes, j, Bare::Sql);
                self.push(value, SecretKind::Password, Origin::Value);
                return;
            }
            _ => return,
        };
        // `$password = …` in PowerShell: only a string is a value (the rest is code:
        // `Read-Host`, `$env:X`, `(Get-Secret …)`).
        if name.starts_with('$') && !matches!(bytes.get(value_start), Some(b'\'' | b'"' | b'@')) {
            return;
        }
        let kind = if json_key {
            Bare::Json
        } else if bytes.get(j) == Some(&b':') || self.in_pair(word.start) {
            Bare::Pair
        } else {
            Bare::Sql
        };
        let value = value_at(bytes, value_start, kind);
        self.push(value, kind_of(&name), Origin::Value);
    }

    /// Whether `name_start` begins a `name=value` pair of a connection string or a
    /// config line rather than a T-SQL clause: it follows `;`, a quote, `{` or the start
    /// of a line or comment, not a keyword or `,`.
    fn in_pair(&self, name_start: usize) -> bool {
        let bytes = self.bytes;
        let mut i = name_start;
        while i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
            i -= 1;
        }
        if i > 0 && matches!(bytes[i - 1], b';' | b'\'' | b'"' | b'{') {
            return true;
        }
        // `Password=…` at the start of a line or comment (`-- Password=hunter2`), but not
        // `PASSWORD = …` there (a T-SQL clause on its own line).
        let before = &bytes[line_start(bytes, i)..i];
        let line_or_comment = before.is_empty()
            || before.ends_with(b"--")
            || before.ends_with(b"#")
            || before.ends_with(b"//")
            || before.ends_with(b"/*");
        line_or_comment && matches!(bytes.get(word_end(bytes, name_start)), Some(b'=' | b':'))
    }

    /// `BY PASSWORD x` / `WITH PASSWORD x` in code (not prose in a comment), where `x`
    /// is neither `=` nor a string.
    fn bare_password_at(&self, name_start: usize, value: usize) -> bool {
        let bytes = self.bytes;
        let Some(&first) = bytes.get(value) else {
            return false;
        };
        if matches!(first, b'=' | b'(' | b',' | b';' | b')' | b'\'' | b'"')
            || first.is_ascii_whitespace()
        {
            return false;
        }
        let mut k = name_start;
        while k > 0 && bytes[k - 1].is_ascii_whitespace() {
            k -= 1;
        }
        let mut w = k;
        while w > 0 && bytes[w - 1].is_ascii_alphabetic() {
            w -= 1;
        }
        let previous = &bytes[w..k];
        let after_keyword =
            previous.eq_ignore_ascii_case(b"BY") || previous.eq_ignore_ascii_case(b"WITH");
        after_keyword && !in_comment(bytes, name_start)
    }

    /// A flag (`-Password`, `--client-secret`, `-Pass`): the value after a blank, `=`
    /// or `:`.
    fn flag(&mut self, name: &str, end: usize) {
        let lower = name.to_ascii_lowercase();
        let password_prefix = lower.len() >= 4 && "password".starts_with(&lower);
        if !(password_prefix || is_secret_name(&lower) || is_secret_name(&lower.replace('-', "_")))
        {
            return;
        }
        // `-SecretValue (ConvertTo-SecureString …)`: the value is code, read elsewhere.
        let bytes = self.bytes;
        let value = match bytes.get(end) {
            Some(b'=' | b':') => end + 1,
            Some(b' ' | b'\t') => skip_spaces(bytes, end),
            _ => return,
        };
        if matches!(
            bytes.get(value),
            None | Some(b'-' | b'(' | b'\r' | b'\n' | b'|')
        ) {
            return;
        }
        let value = value_at(bytes, value, Bare::Argument);
        self.push(value, kind_of(&lower), Origin::Value);
    }

    fn place(&mut self, place: &str, at: Range<usize>) {
        match place {
            ":setvar" => self.setvar(at),
            "-p" => self.short_flag(at),
            "-v" => self.variables(at),
            "convertto-securestring" => self.secure_string(at),
            "://" => {
                if let Some(range) = url_password(self.bytes, at.end) {
                    self.push_range(range, SecretKind::Password);
                }
            }
            // A SAS signature is a query parameter: `?sig=` or `&sig=`.
            "sig=" if at.start > 0 && matches!(self.bytes[at.start - 1], b'?' | b'&') => {
                let end = self.bytes[at.end..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || b"&'\";)<>,`".contains(b))
                    .map_or(self.bytes.len(), |p| at.end + p);
                self.push_range(at.end..end, SecretKind::Token);
            }
            "bearer" => self.bearer(at),
            _ => {}
        }
    }

    fn push_range(&mut self, range: Range<usize>, kind: SecretKind) {
        let value = Value {
            end: range.end,
            pieces: vec![range],
            ..Value::default()
        };
        self.push(value, kind, Origin::Value);
    }

    /// `:setvar NAME value`, also in a comment.
    fn setvar(&mut self, at: Range<usize>) {
        let bytes = self.bytes;
        let start = line_start(bytes, at.start);
        let before = String::from_utf8_lossy(&bytes[start..at.start]);
        let before = before.trim();
        if !(before.is_empty() || before == "--" || before == "/*") {
            return;
        }
        let end = line_end(bytes, at.end);
        if at.end < bytes.len() && !bytes[at.end].is_ascii_whitespace() {
            return;
        }
        let name_start = skip_spaces(bytes, at.end);
        let mut name_end = name_start;
        while name_end < end && !bytes[name_end].is_ascii_whitespace() {
            name_end += 1;
        }
        if name_end == name_start {
            return;
        }
        let name = String::from_utf8_lossy(&bytes[name_start..name_end]).into_owned();
        let mut value_start = skip_spaces(bytes, name_end);
        let mut value_end = end;
        // A commented-out `:setvar` inside `/* … */` ends before the `*/`.
        if let Some(p) = memchr::memmem::find(&bytes[value_start..end], b"*/") {
            value_end = value_start + p;
        }
        while value_end > value_start && bytes[value_end - 1].is_ascii_whitespace() {
            value_end -= 1;
        }
        if value_end >= value_start + 2
            && bytes[value_start] == b'"'
            && bytes[value_end - 1] == b'"'
        {
            value_start += 1;
            value_end -= 1;
        } else if bytes.get(value_start) == Some(&b'"') {
            value_start += 1;
        }
        if value_end <= value_start {
            return;
        }
        self.found.assignments.push(Assignment {
            name: name.clone(),
            range: value_start..value_end,
            setvar: true,
        });
        if is_secret_name(&name) {
            let mut value = Value {
                end: value_end,
                ..Value::default()
            };
            value.pieces.push(value_start..value_end);
            self.push(value, SecretKind::Password, Origin::Setvar);
        }
    }

    /// The program of the command line `at` is on, if it is one of [`COMMAND_WORDS`].
    fn program(&mut self, at: usize) -> Option<Program> {
        let start = line_start(self.bytes, at);
        if let Some((line, answer)) = self.command_line {
            if line == start {
                return answer;
            }
        }
        let line = &self.bytes[start..line_end(self.bytes, at)];
        let lower = line.to_ascii_lowercase();
        let has = |w: &[u8]| memchr::memmem::find(&lower, w).is_some();
        let answer = if has(b"invoke-sqlcmd") {
            Some(Program::PowerShell)
        } else if COMMAND_WORDS.iter().any(|w| has(w.as_bytes())) {
            Some(Program::Native)
        } else {
            None
        };
        self.command_line = Some((start, answer));
        answer
    }

    /// `-P pw` / `-Ppw` on a sqlcmd line, `-p pw` on an `az` line, and the flags that
    /// the `-p` trigger swallows from [`Scan::named`]: `-Password`, `-pwd`, and the
    /// PowerShell prefixes of `-Password` (`-Pass`, `-Passwo`).
    fn short_flag(&mut self, at: Range<usize>) {
        let bytes = self.bytes;
        let preceded = at.start == 0
            || matches!(
                bytes[at.start - 1],
                b' ' | b'\t' | b'"' | b'\'' | b'(' | b'-'
            );
        if !preceded {
            return;
        }
        let word = self.word_around(at.start + 1..at.end);
        let flag = String::from_utf8_lossy(&bytes[word.clone()]).to_ascii_lowercase();
        if word.end > at.end {
            if (flag.len() >= 4 && "password".starts_with(&flag)) || is_secret_name(&flag) {
                self.flag(&flag, word.end);
            } else if bytes[at.start + 1] == b'P'
                && self.program(at.start) == Some(Program::Native)
                && !(at.start > 0 && bytes[at.start - 1] == b'-')
            {
                // `-Ppassword`, as sqlcmd accepts it.
                let value = bare(bytes, at.end, Bare::Argument);
                self.push(value, SecretKind::Password, Origin::Value);
            }
            return;
        }
        let upper = bytes[at.start + 1] == b'P';
        let az_line = {
            let line = &bytes[line_start(bytes, at.start)..at.start];
            memchr::memmem::find(&line.to_ascii_lowercase(), b"az ").is_some()
        };
        if !((upper && self.program(at.start).is_some()) || (!upper && az_line)) {
            return;
        }
        let value = match bytes.get(at.end) {
            Some(b' ' | b'\t') => skip_spaces(bytes, at.end),
            Some(b':' | b'=') => at.end + 1,
            _ => return,
        };
        if matches!(bytes.get(value), None | Some(b'-' | b'\r' | b'\n')) {
            return;
        }
        let value = value_at(bytes, value, Bare::Argument);
        self.push(value, SecretKind::Password, Origin::Value);
    }

    /// `sqlcmd -v A=1 B="2"` and `Invoke-Sqlcmd -Variable "A=1", "B=2"`: every pair is
    /// an assignment; `--value` of `az keyvault secret set` is a secret.
    fn variables(&mut self, at: Range<usize>) {
        let bytes = self.bytes;
        let word = word_end(bytes, at.end);
        if at.start > 0 && bytes[at.start - 1] == b'-' {
            let line =
                bytes[line_start(bytes, at.start)..line_end(bytes, at.start)].to_ascii_lowercase();
            let keyvault = memchr::memmem::find(&line, b"keyvault").is_some()
                && memchr::memmem::find(&line, b"secret").is_some();
            if keyvault && bytes[at.end..word].eq_ignore_ascii_case(b"alue") {
                self.flag("password", word);
            }
            return;
        }
        let preceded = at.start == 0 || matches!(bytes[at.start - 1], b' ' | b'\t');
        let variable = bytes[at.end..word].eq_ignore_ascii_case(b"ariable");
        if !preceded || !(word == at.end || variable) || self.program(at.start).is_none() {
            return;
        }
        let end = line_end(bytes, at.end);
        let mut i = skip_spaces(bytes, word);
        if bytes[i..].starts_with(b"@(") {
            i += 2;
        }
        // Pairs until the next flag.
        while i < end && bytes[i] != b'-' {
            let quote = matches!(bytes[i], b'"' | b'\'').then_some(bytes[i]);
            let name_start = i + usize::from(quote.is_some());
            let name_end = word_end(bytes, name_start);
            if name_end == name_start || bytes.get(name_end) != Some(&b'=') {
                break;
            }
            let name = String::from_utf8_lossy(&bytes[name_start..name_end]).into_owned();
            let value = match quote {
                // `"A=b"`: the value runs to the closing quote.
                Some(q) => {
                    let close = memchr::memchr(q, &bytes[name_end + 1..end])
                        .map_or(end, |p| name_end + 1 + p);
                    Value {
                        end: (close + 1).min(end),
                        pieces: std::iter::once(name_end + 1..close).collect(),
                        ..Value::default()
                    }
                }
                None => value_at(bytes, name_end + 1, Bare::Argument),
            };
            if let (Some(first), Some(last)) = (value.pieces.first(), value.pieces.last()) {
                self.found.assignments.push(Assignment {
                    name: name.clone(),
                    range: first.start..last.end,
                    setvar: false,
                });
            }
            let next = value.end.max(name_end + 1);
            if is_secret_name(&name) {
                self.push(value, SecretKind::Password, Origin::Value);
            }
            i = skip_spaces(bytes, next);
            if matches!(bytes.get(i), Some(b',' | b')')) {
                i = skip_spaces(bytes, i + 1);
            }
        }
    }

    /// `ConvertTo-SecureString 'pw'`, `-String 'pw'`, and `'pw' | ConvertTo-SecureString`.
    fn secure_string(&mut self, at: Range<usize>) {
        let bytes = self.bytes;
        // Past the switches and `-String`: `-AsPlainText 'pw' -Force`.
        let mut value = skip_spaces(bytes, at.end);
        while bytes.get(value) == Some(&b'-') {
            let end = word_end(bytes, value + 1);
            let flag = &bytes[value + 1..end];
            let known = [&b"String"[..], b"AsPlainText", b"Force"]
                .iter()
                .any(|f| flag.eq_ignore_ascii_case(f));
            if !known {
                break;
            }
            value = skip_spaces(bytes, end);
        }
        if matches!(bytes.get(value), Some(b'\'' | b'"')) {
            self.push(
                value_at(bytes, value, Bare::Argument),
                SecretKind::Password,
                Origin::Value,
            );
            return;
        }
        // A literal piped in: the last string before `|` on the line.
        let start = line_start(bytes, at.start);
        let before = &bytes[start..at.start];
        let Some(pipe) = memchr::memrchr(b'|', before) else {
            return;
        };
        let left = &before[..pipe];
        let trimmed = left.trim_ascii_end();
        if let Some(&q @ (b'\'' | b'"')) = trimmed.last() {
            let close = start + trimmed.len() - 1;
            if let Some(open) = memchr::memrchr(q, &bytes[start..close]).map(|p| start + p) {
                if open >= self.covered {
                    self.push_range(open + 1..close, SecretKind::Password);
                }
            }
        }
    }

    /// `Bearer <token>` (HTTP authorization): a token of at least 12 token characters.
    fn bearer(&mut self, at: Range<usize>) {
        let bytes = self.bytes;
        if bytes.get(at.end) != Some(&b' ') || (at.start > 0 && is_word(bytes[at.start - 1])) {
            return;
        }
        let start = skip_spaces(bytes, at.end);
        let end = bytes[start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || b"-._~+/=".contains(b)))
            .map_or(bytes.len(), |p| start + p);
        if end - start >= 12 {
            self.push_range(start..end, SecretKind::Token);
        }
    }

    /// A procedure's password arguments, by position.
    fn positional(&mut self, index: usize, at: Range<usize>) {
        let bytes = self.bytes;
        let (_, positions) = POSITIONAL[index];
        let bounded = (at.start == 0 || !is_word(bytes[at.start - 1]))
            && bytes.get(at.end).is_none_or(|b| !is_word(*b));
        if !bounded {
            return;
        }
        for (number, arg) in arguments(bytes, at.end).into_iter().enumerate() {
            if !positions.contains(&(number + 1)) {
                continue;
            }
            let mut start = skip_blanks_and_comments(bytes, arg.start);
            // A named argument (`@passwd = …`) is read by `named`.
            if start < self.covered || bytes.get(start) == Some(&b'@') {
                continue;
            }
            // `{Encrypt N'pw'}` of sp_setapprole.
            if bytes.get(start) == Some(&b'{') {
                let word = skip_blanks(bytes, start + 1);
                if bytes[word..].len() >= 7
                    && bytes[word..word + 7].eq_ignore_ascii_case(b"Encrypt")
                {
                    start = skip_blanks(bytes, word + 7);
                }
            }
            let value = value_at(bytes, start, Bare::Sql);
            self.push(value, SecretKind::Password, Origin::Value);
        }
    }

    /// `PRIVATE KEY ( … BINARY = 0x… )` (any blanks or comments between, hex of any
    /// length, also across `\` continuations), and PEM private-key blocks.
    fn private_key(&mut self, at: Range<usize>) {
        let bytes = self.bytes;
        let key = skip_blanks_and_comments(bytes, at.end);
        if !bytes[key..]
            .get(..3)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"KEY"))
        {
            return;
        }
        let before = &bytes[line_start(bytes, at.start)..at.start];
        if before.ends_with(b"BEGIN ")
            || before.ends_with(b"BEGIN RSA ")
            || before.ends_with(b"BEGIN EC ")
            || before.ends_with(b"BEGIN ENCRYPTED ")
            || before.ends_with(b"BEGIN OPENSSH ")
        {
            let body = line_end(bytes, key);
            let end =
                memchr::memmem::find(&bytes[body..], b"-----END").map_or(bytes.len(), |p| body + p);
            self.push_range(body..end, SecretKind::PrivateKey);
            return;
        }
        let open = skip_blanks_and_comments(bytes, key + 3);
        // An unclosed `(` already read to its end is not read again (linear on
        // `PRIVATE KEY (` repeated).
        if bytes.get(open) != Some(&b'(') || open < self.private_scanned {
            return;
        }
        let end = memchr::memchr(b')', &bytes[open..]).map_or(bytes.len(), |p| open + p);
        let mut i = open;
        while let Some(hex) = find_hex(bytes, i, end) {
            let mut j = hex + 2;
            loop {
                while j < end && bytes[j].is_ascii_hexdigit() {
                    j += 1;
                }
                // `\` + line break + more hex digits.
                let next = (bytes.get(j) == Some(&b'\\'))
                    .then(|| skip_line_break(bytes, j + 1))
                    .flatten()
                    .filter(|&n| bytes.get(n).is_some_and(u8::is_ascii_hexdigit));
                match next {
                    Some(n) => j = n,
                    None => break,
                }
            }
            if j > hex + 2 {
                self.found.secrets.push(Secret {
                    range: hex + 2..j,
                    kind: SecretKind::PrivateKey,
                    origin: Origin::Value,
                });
            }
            i = j.max(hex + 2);
        }
        self.private_scanned = end;
    }

    fn finish(mut self) -> Found {
        let bytes = self.bytes;
        // `:setvar` of the variables used as a password here.
        let used: Vec<String> = self.found.password_vars.clone();
        let more: Vec<Secret> = self
            .found
            .assignments
            .iter()
            .filter(|a| {
                !is_secret_name(&a.name) && used.iter().any(|u| u.eq_ignore_ascii_case(&a.name))
            })
            .filter(|a| !is_placeholder(&bytes[a.range.clone()]))
            .map(|a| Secret {
                range: a.range.clone(),
                kind: SecretKind::Password,
                origin: if a.setvar {
                    Origin::Setvar
                } else {
                    Origin::Value
                },
            })
            .collect();
        self.found.secrets.extend(more);
        // DECLARE / SET of the T-SQL variables used as a password here.
        let mut sql_vars = std::mem::take(&mut self.sql_vars);
        sql_vars.sort_by_key(|v| v.to_ascii_lowercase());
        sql_vars.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        if sql_vars.iter().any(|v| !is_secret_name(v)) {
            let lower = bytes.to_ascii_lowercase();
            for var in sql_vars.iter().filter(|v| !is_secret_name(v)) {
                self.variable_values(&lower, var);
            }
        }
        let mut found = self.found;
        found
            .secrets
            .retain(|s| s.range.start < s.range.end && s.range.end <= bytes.len());
        found.secrets.sort_by_key(|s| (s.range.start, s.range.end));
        found.secrets.dedup_by(|later, kept| {
            let overlaps = later.range.start < kept.range.end;
            if overlaps {
                kept.range.end = kept.range.end.max(later.range.end);
            }
            overlaps
        });
        found.password_vars.sort_by_key(|v| v.to_ascii_lowercase());
        found
            .password_vars
            .dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        found
    }

    /// `DECLARE @var [AS] type = '…'`, `SET @var = '…'`, `SELECT @var = '…'`.
    fn variable_values(&mut self, lower: &[u8], var: &str) {
        let bytes = self.bytes;
        let needle = var.to_ascii_lowercase();
        for at in memchr::memmem::find_iter(lower, needle.as_bytes()) {
            let end = at + needle.len();
            if bytes.get(end).is_some_and(|b| is_word(*b)) {
                continue;
            }
            let j = skip_declared_type(bytes, skip_blanks_and_comments(bytes, end));
            if bytes.get(j) != Some(&b'=') || bytes.get(j + 1) == Some(&b'=') {
                continue;
            }
            let value_start = skip_blanks_and_comments(bytes, j + 1);
            if string_starts(bytes, value_start) || bytes[value_start..].starts_with(b"0x") {
                let value = value_at(bytes, value_start, Bare::Sql);
                self.push(value, SecretKind::Password, Origin::Value);
            }
        }
    }
}

/// `DECLARE @pwd [AS] nvarchar(128) = …`: past the type to the `=`.
fn skip_declared_type(bytes: &[u8], mut j: usize) -> usize {
    for _ in 0..2 {
        if !bytes.get(j).is_some_and(u8::is_ascii_alphabetic) {
            break;
        }
        let word = j;
        j = word_end(bytes, j);
        let is_as = bytes[word..j].eq_ignore_ascii_case(b"AS");
        j = skip_blanks_and_comments(bytes, j);
        if !is_as {
            break;
        }
    }
    if bytes.get(j) == Some(&b'(') {
        j = memchr::memchr(b')', &bytes[j..line_end(bytes, j)]).map_or(j, |p| j + p);
        j = skip_blanks_and_comments(bytes, j + 1);
    }
    j
}

/// The next `0x` / `0X` in `bytes[from..to]`.
fn find_hex(bytes: &[u8], from: usize, to: usize) -> Option<usize> {
    let mut i = from;
    while let Some(p) = memchr::memchr(b'0', &bytes[i..to]) {
        let at = i + p;
        if matches!(bytes.get(at + 1), Some(b'x' | b'X')) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn skip_line_break(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i) {
        Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => Some(i + 2),
        Some(b'\r' | b'\n') => Some(i + 1),
        _ => None,
    }
}

fn is_keyword(name: &str) -> bool {
    name.eq_ignore_ascii_case("PASSWORD") || name.eq_ignore_ascii_case("SECRET")
}

fn string_starts(bytes: &[u8], i: usize) -> bool {
    bytes.get(i) == Some(&b'\'')
        || (matches!(bytes.get(i), Some(b'N' | b'n')) && bytes.get(i + 1) == Some(&b'\''))
}

/// Whether `at` is inside a line comment (`--`, `#`, `//`) or a line of a block comment.
fn in_comment(bytes: &[u8], at: usize) -> bool {
    let line = &bytes[line_start(bytes, at)..at];
    let trimmed = line.trim_ascii_start();
    trimmed.starts_with(b"--")
        || trimmed.starts_with(b"#")
        || trimmed.starts_with(b"//")
        || trimmed.starts_with(b"/*")
        || trimmed.starts_with(b"*")
        || memchr::memmem::find(line, b" --").is_some()
}

/// Values that stand for a password without being one: empty, `<strong_password>`,
/// `****`, `xxxx`, `…`, `NULL`.
fn is_placeholder(value: &[u8]) -> bool {
    let text = String::from_utf8_lossy(value);
    let v = text.trim();
    v.is_empty()
        || (v.starts_with('<') && v.ends_with('>'))
        || v.bytes().all(|b| matches!(b, b'*' | b'x' | b'X' | b'.'))
        || v.chars().all(|c| c == '…' || c == '.')
        || v.eq_ignore_ascii_case("null")
}

fn kind_of(name: &str) -> SecretKind {
    let lower = name.to_ascii_lowercase();
    if lower.contains("private") {
        SecretKind::PrivateKey
    } else if lower.contains("pass") || lower.contains("pw") {
        SecretKind::Password
    } else {
        SecretKind::Token
    }
}

/// The password of `scheme://user:password@host` whose `://` ends at `from`.
pub(super) fn url_password(bytes: &[u8], from: usize) -> Option<Range<usize>> {
    let limit = (from + 512).min(bytes.len());
    // The authority ends at the path; a `#` or `?` before the last `@` is part of a
    // password that was not percent-encoded.
    let end = bytes[from..limit]
        .iter()
        .position(|b| b.is_ascii_whitespace() || b"/'\"<>`".contains(b))
        .map_or(limit, |p| from + p);
    let at = memchr::memrchr(b'@', &bytes[from..end]).map(|p| from + p)?;
    let colon = memchr::memchr(b':', &bytes[from..at]).map(|p| from + p)?;
    (colon + 1 < at).then_some(colon + 1..at)
}

/// The comma-separated arguments after a procedure name (or inside a function's
/// parentheses), up to `;`, the end of the line (unless it ends with a comma), `)`, or
/// [`ARGUMENTS_WINDOW`] bytes.
fn arguments(bytes: &[u8], mut i: usize) -> Vec<Range<usize>> {
    /// How far an argument list is followed for its start (passwords come in the first
    /// few; the value itself is read whole).
    const ARGUMENTS_WINDOW: usize = 1 << 12;
    i = skip_blanks(bytes, i);
    let parenthesized = bytes.get(i) == Some(&b'(');
    if parenthesized {
        i += 1;
    }
    let limit = (i + ARGUMENTS_WINDOW).min(bytes.len());
    let mut args = Vec::new();
    let mut start = i;
    let mut depth = 0usize;
    let mut last_significant = b',';
    while i < limit && args.len() < 8 {
        match bytes[i] {
            q @ (b'\'' | b'"') => {
                let mut j = i + 1;
                while j < limit && !(bytes[j] == q && bytes.get(j + 1) != Some(&q)) {
                    j += if bytes[j] == q { 2 } else { 1 };
                }
                i = j;
                last_significant = q;
            }
            b'(' => depth += 1,
            b')' if depth > 0 => depth -= 1,
            b')' => break,
            b',' if depth == 0 => {
                args.push(start..i);
                start = i + 1;
                last_significant = b',';
            }
            b';' if depth == 0 => break,
            b'\n' if depth == 0 && !parenthesized && last_significant != b',' => break,
            b' ' | b'\t' | b'\r' | b'\n' => {}
            other => last_significant = other,
        }
        i += 1;
    }
    if i > start {
        args.push(start..i.min(bytes.len()));
    }
    args
}
