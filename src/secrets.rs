//! Secrets in scripts: found once, masked once before anything is printed, and reported
//! by ML505 when written into the script.
//!
//! Found: values assigned to anything named like a password or secret (`PASSWORD = '…'`,
//! `OLD_PASSWORD`, `@passwd = …`, `DECLARE @pwd [AS] nvarchar(128) = N'…'`, `SECRET = '…'`,
//! `KEY_SOURCE = '…'`, `PASSWORD 'x'` without `=`, `Password=…;` and `Pwd={…}` in
//! connection strings and `"password": "…"`, also in comments), private-key blobs
//! (`PRIVATE KEY (BINARY = 0x…)`), `:setvar` values of password-like variables or of
//! variables used as a password (also commented out), the password argument of command
//! lines (`sqlcmd … -P pw`, `-Ppw`, `:connect srv -U sa -P pw`, `-Password pw`,
//! `ConvertTo-SecureString 'pw'`) and the positional password arguments of `sp_addlogin`,
//! `sp_password`, `sp_addlinkedsrvlogin`, `sp_addapprole`, `sp_setapprole`,
//! `CERTPRIVATEKEY` and `ENCRYPTBYPASSPHRASE`/`DECRYPTBYPASSPHRASE`. Inside dynamic SQL,
//! the doubled quotes of `''secret''` are understood.
//!
//! Masking replaces each secret character by a filler of the same UTF-8 length, so every
//! byte offset and every column stays valid. References (`$(Var)`, `@var`) are not
//! secrets and stay readable. Every scan is linear in the text (hostile input).

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    Password,
    PrivateKey,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// Byte range of the value (without its quotes).
    pub range: Range<usize>,
    pub kind: SecretKind,
    /// A value written into the script, not a reference or placeholder.
    pub literal: bool,
    /// `:setvar` definition rather than a T-SQL or command-line value.
    pub setvar: bool,
}

/// How far a `PRIVATE KEY ( … )` or a quoted value is followed: bounded, so that many
/// unclosed openings cannot make the scan quadratic.
const WINDOW: usize = 1 << 14;

/// How far a procedure's argument list is followed (passwords come in the first few).
const ARGUMENTS_WINDOW: usize = 1 << 12;

/// Find `needle` case-insensitively (ASCII) from `from`.
fn find_ci(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = from;
    while at + needle.len() <= haystack.len() {
        let hit = at
            + memchr::memchr2(
                first.to_ascii_lowercase(),
                first.to_ascii_uppercase(),
                &haystack[at..haystack.len() - rest.len()],
            )?;
        if haystack[hit + 1..hit + needle.len()].eq_ignore_ascii_case(rest) {
            return Some(hit);
        }
        at = hit + 1;
    }
    None
}

fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// Blanks and comments (`/* … */`, `-- …`), as T-SQL allows between tokens.
fn skip_blanks_and_comments(bytes: &[u8], mut i: usize) -> usize {
    loop {
        i = skip_blanks(bytes, i);
        if bytes[i..].starts_with(b"/*") {
            i = find_ci(bytes, b"*/", i + 2).map_or(bytes.len(), |e| e + 2);
        } else if bytes[i..].starts_with(b"--") {
            i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |p| i + p);
        } else {
            return i;
        }
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'@' | b'#' | b'$')
}

/// The end of the line `i` is on.
fn line_end(bytes: &[u8], i: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &bytes[i.min(bytes.len())..]).map_or(bytes.len(), |p| i + p)
}

/// A value and whether it was quoted.
struct Value {
    range: Range<usize>,
    quoted: bool,
}

/// The value starting at `i`: a quoted string's content (`'…'`, `N'…'`, `"…"`, and
/// `''…''` inside dynamic SQL), `{…}` (ODBC), `$(Var)`, or a bare token. `to_semicolon`:
/// a bare value runs to `;` or the end of the line (connection strings allow spaces).
fn value_at(bytes: &[u8], mut i: usize, to_semicolon: bool) -> Option<Value> {
    if matches!(bytes.get(i), Some(b'N' | b'n')) && bytes.get(i + 1) == Some(&b'\'') {
        i += 1;
    }
    let quoted = |start: usize, delimiter: &[u8]| {
        let limit = line_window(bytes, start);
        let end = find_ci(&bytes[..limit], delimiter, start).unwrap_or(limit);
        Some(Value {
            range: start..end,
            quoted: true,
        })
    };
    match bytes.get(i) {
        // `''secret''`: a string inside a string (dynamic SQL).
        Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') && bytes.get(i + 2) != Some(&b'\'') => {
            quoted(i + 2, b"''")
        }
        Some(&q @ (b'\'' | b'"')) => {
            let start = i + 1;
            let mut j = start;
            let limit = line_window(bytes, start);
            while j < limit {
                if bytes[j] == q {
                    if bytes.get(j + 1) == Some(&q) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            if j >= limit {
                // Not closed on its line: the value is the rest of the line.
                j = limit;
            }
            Some(Value {
                range: start..j.min(bytes.len()),
                quoted: true,
            })
        }
        Some(b'{') => quoted(i + 1, b"}"),
        Some(b'$') if bytes.get(i + 1) == Some(&b'(') => {
            let end = memchr::memchr(b')', &bytes[i..line_end(bytes, i)]).map_or(i, |p| i + p + 1);
            (end > i).then_some(Value {
                range: i..end,
                quoted: false,
            })
        }
        Some(_) => {
            let hex = bytes[i..].starts_with(b"0x") || bytes[i..].starts_with(b"0X");
            let mut j = i;
            while j < bytes.len() {
                let stop = if to_semicolon && !hex {
                    matches!(bytes[j], b';' | b'\r' | b'\n' | b'\'' | b'"')
                } else {
                    matches!(
                        bytes[j],
                        b';' | b'\'' | b'"' | b' ' | b'\t' | b'\r' | b'\n' | b')' | b','
                    )
                };
                if stop {
                    break;
                }
                j += 1;
            }
            // Trailing blanks are not part of a connection-string value.
            while j > i && matches!(bytes[j - 1], b' ' | b'\t') {
                j -= 1;
            }
            (j > i).then_some(Value {
                range: i..j,
                quoted: false,
            })
        }
        None => None,
    }
}

/// Where a quoted value ends at the latest: its line, and at most 4 KB (no password is
/// longer; many unclosed quotes on one long line must not make the scan quadratic).
fn line_window(bytes: &[u8], start: usize) -> usize {
    let start = start.min(bytes.len());
    let bounded = (start + ARGUMENTS_WINDOW).min(bytes.len());
    memchr::memchr2(b'\n', b'\r', &bytes[start..bounded]).map_or(bounded, |p| start + p)
}

/// Names whose value is a secret.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let lower = lower.trim_start_matches(['@', '-', '$']);
    [
        "password",
        "passwd",
        "pwd",
        "secret",
        "key_source",
        "passphrase",
        "privatekey",
        "private_key",
    ]
    .iter()
    .any(|k| lower.contains(k))
        || lower.ends_with("pw")
}

/// What one search pass over a text finds for the scans below: the words holding a part
/// of a secret-looking name, the starts of lines that may hold a `:setvar` or a
/// command-line password, where `PRIVATE` stands, and the password procedures (index
/// into [`POSITIONAL`], position).
#[derive(Default)]
struct Candidates {
    words: Vec<Range<usize>>,
    lines: Vec<usize>,
    private: Vec<usize>,
    procedures: Vec<(usize, usize)>,
}

const NAME_PARTS: &[&str] = &[
    "pw",
    "passw",
    "secret",
    "key_source",
    "passphrase",
    "private",
];
const LINE_TRIGGERS: &[&str] = &[":setvar", "-p", "convertto-securestring"];

/// Programs on whose command lines `-P` is the password.
const COMMAND_WORDS: &[&str] = &["sqlcmd", "osql", "bcp", ":connect", "invoke-sqlcmd"];

/// Words without which a text holds no secret this module finds (for the prefilter).
/// `-p` is left out: it gives a secret only on a line with a [`COMMAND_WORDS`] program.
pub fn trigger_words() -> impl Iterator<Item = &'static str> {
    NAME_PARTS
        .iter()
        .chain(LINE_TRIGGERS.iter().filter(|w| **w != "-p"))
        .chain(COMMAND_WORDS)
        .copied()
        .chain(POSITIONAL.iter().map(|(name, _)| *name))
}

fn candidates(bytes: &[u8]) -> Candidates {
    static ALL: std::sync::OnceLock<crate::prefilter::Words> = std::sync::OnceLock::new();
    let all = ALL.get_or_init(|| {
        crate::prefilter::Words::new(
            NAME_PARTS
                .iter()
                .chain(LINE_TRIGGERS)
                .copied()
                .chain(POSITIONAL.iter().map(|(name, _)| *name)),
        )
    });
    let mut found = Candidates::default();
    all.search(bytes, |id, m| {
        if id < NAME_PARTS.len() {
            if NAME_PARTS[id] == "private" {
                found.private.push(m.start);
            }
            if found.words.last().is_some_and(|w| m.start < w.end) {
                return false;
            }
            let mut start = m.start;
            while start > 0 && is_word(bytes[start - 1]) {
                start -= 1;
            }
            let mut end = m.end;
            while end < bytes.len() && is_word(bytes[end]) {
                end += 1;
            }
            found.words.push(start..end);
        } else if id < NAME_PARTS.len() + LINE_TRIGGERS.len() {
            let start = memchr::memrchr(b'\n', &bytes[..m.start]).map_or(0, |p| p + 1);
            if found.lines.last() != Some(&start) {
                found.lines.push(start);
            }
        } else {
            let index = id - NAME_PARTS.len() - LINE_TRIGGERS.len();
            found.procedures.push((index, m.start));
        }
        false
    });
    found
}

/// `name = value`, `name: value`, `"name": value`, `PASSWORD 'value'` and
/// `DECLARE @name [AS] type[(n)] = value` for secret-looking names.
fn assignments(bytes: &[u8], words: &[Range<usize>], out: &mut Vec<Secret>) {
    for word in words.iter().cloned() {
        let (start, i) = (word.start, word.end);
        let name = String::from_utf8_lossy(&bytes[start..i]);
        if !is_secret_name(&name) {
            continue;
        }
        let mut j = i;
        if bytes.get(j) == Some(&b'"') {
            j += 1; // the closing quote of a JSON key
        }
        j = skip_blanks_and_comments(bytes, j);
        // `DECLARE @pwd [AS] nvarchar(128) = …`: skip the type.
        if name.starts_with('@') && bytes.get(j).is_some_and(u8::is_ascii_alphabetic) {
            for _ in 0..2 {
                if !bytes.get(j).is_some_and(u8::is_ascii_alphabetic) {
                    break;
                }
                let word = j;
                while j < bytes.len() && is_word(bytes[j]) {
                    j += 1;
                }
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
        }
        let value_start = match bytes.get(j) {
            Some(b'=') => skip_blanks_and_comments(bytes, j + 1),
            Some(b':') if matches!(bytes.get(j + 1), Some(b' ' | b'\t' | b'"' | b'\'')) => {
                skip_blanks(bytes, j + 1)
            }
            // `PASSWORD 'x'` (SQL Server rejects it, but the value is the password); only
            // after the keywords themselves, not after any word that looks like a name.
            Some(b'\'' | b'N' | b'n') if is_secret_keyword(&name) && string_starts(bytes, j) => j,
            _ => continue,
        };
        let plain = matches!(name.to_ascii_lowercase().as_str(), "password" | "pwd");
        if let Some(value) = value_at(bytes, value_start, plain) {
            out.push(secret(bytes, value, SecretKind::Password, false));
        }
    }
}

fn is_secret_keyword(name: &str) -> bool {
    ["PASSWORD", "SECRET"]
        .iter()
        .any(|k| name.eq_ignore_ascii_case(k))
}

fn string_starts(bytes: &[u8], i: usize) -> bool {
    bytes.get(i) == Some(&b'\'')
        || (matches!(bytes.get(i), Some(b'N' | b'n')) && bytes.get(i + 1) == Some(&b'\''))
}

/// `PRIVATE KEY ( … )` (any blanks or comments between): every `0x…` inside. `starts`:
/// where `PRIVATE` stands, in order.
fn private_keys(bytes: &[u8], starts: &[usize], out: &mut Vec<Secret>) {
    // Hex digits already taken: overlapping windows are never scanned twice.
    let mut scanned = 0;
    for &at in starts {
        let key = skip_blanks_and_comments(bytes, at + 7);
        if !bytes[key..]
            .get(..3)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"KEY"))
        {
            continue;
        }
        let open = skip_blanks_and_comments(bytes, key + 3);
        if bytes.get(open) != Some(&b'(') {
            continue;
        }
        let window = (open + WINDOW).min(bytes.len());
        let end = memchr::memchr(b')', &bytes[open..window]).map_or(window, |p| open + p);
        let mut i = open.max(scanned);
        while let Some(hex) = find_ci(&bytes[..end], b"0x", i) {
            let mut j = hex + 2;
            // Hex digits, also across a `\` line continuation.
            loop {
                while j < end && bytes[j].is_ascii_hexdigit() {
                    j += 1;
                }
                let continued = bytes.get(j) == Some(&b'\\')
                    && matches!(bytes.get(skip_eol(bytes, j + 1)), Some(b) if b.is_ascii_hexdigit());
                if !continued || skip_eol(bytes, j + 1) == j + 1 {
                    break;
                }
                j = skip_eol(bytes, j + 1);
            }
            if j > hex + 2 {
                out.push(plain_secret(hex + 2..j, SecretKind::PrivateKey));
            }
            i = j.max(hex + 2);
        }
        scanned = end;
    }
}

/// After a `\` continuation: past one line break.
fn skip_eol(bytes: &[u8], mut i: usize) -> usize {
    if bytes.get(i) == Some(&b'\r') {
        i += 1;
    }
    if bytes.get(i) == Some(&b'\n') {
        i += 1;
    }
    i
}

/// Line by line: `:setvar` of secrets (also commented out), and the password flags of
/// command lines.
fn lines(text: &str, line_starts: &[usize], secret_vars: &[String], out: &mut Vec<Secret>) {
    let bytes = text.as_bytes();
    for &line_start in line_starts {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |p| line_start + p + 1);
        let Some(line) = text.get(line_start..line_end) else {
            continue;
        };
        let trimmed = line.trim_start();
        // A commented-out `:setvar` still holds the password.
        let uncommented = trimmed
            .strip_prefix("--")
            .or_else(|| trimmed.strip_prefix("/*"))
            .map_or(trimmed, str::trim_start);
        let lower = uncommented.to_ascii_lowercase();
        if lower.starts_with(":setvar") {
            let rest = &uncommented[7..];
            let name_start = rest.len() - rest.trim_start().len();
            let name_len = rest[name_start..]
                .find(char::is_whitespace)
                .unwrap_or(rest.len() - name_start);
            let name = &rest[name_start..name_start + name_len];
            let value = rest[name_start + name_len..].trim();
            let value = value.trim_end_matches("*/").trim_end();
            let is_secret =
                is_secret_name(name) || secret_vars.iter().any(|v| v.eq_ignore_ascii_case(name));
            if is_secret && !value.is_empty() {
                let offset = line_start
                    + (line.len() - uncommented.len())
                    + 7
                    + (rest.find(value).unwrap_or(0));
                let range = if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
                    offset + 1..offset + value.len() - 1
                } else {
                    offset..offset + value.len()
                };
                let mut s = secret(
                    bytes,
                    Value {
                        range,
                        quoted: true,
                    },
                    SecretKind::Password,
                    true,
                );
                s.setvar = true;
                out.push(s);
            }
        }
        command_line_flags(bytes, line_start, line, &lower, out);
    }
}

/// `-P pw`, `-Ppw` (on sqlcmd/osql/bcp/`:connect` lines), `-Password pw`, `--password=pw`
/// and `ConvertTo-SecureString 'pw'` anywhere.
fn command_line_flags(
    bytes: &[u8],
    line_start: usize,
    line: &str,
    lower: &str,
    out: &mut Vec<Secret>,
) {
    let command_line = COMMAND_WORDS.iter().any(|c| lower.contains(c));
    let lb = line.as_bytes();
    let mut push = |at: usize| {
        if let Some(value) = value_at(lb, at, false) {
            let range = line_start + value.range.start..line_start + value.range.end;
            out.push(secret(
                bytes,
                Value {
                    range,
                    quoted: value.quoted,
                },
                SecretKind::Password,
                false,
            ));
        }
    };
    for flag in ["-password", "--password", "convertto-securestring"] {
        let mut from = 0;
        while let Some(at) = find_ci(lb, flag.as_bytes(), from) {
            from = at + flag.len();
            let preceded = at == 0 || lb[at - 1].is_ascii_whitespace() || lb[at - 1] == b'|';
            if !preceded || lb.get(from).is_some_and(|b| is_word(*b)) {
                continue;
            }
            let value = match lb.get(from) {
                Some(b'=' | b':') => from + 1,
                _ => skip_blanks(lb, from),
            };
            // `-String 'pw'` of ConvertTo-SecureString.
            let value = if lb[value..]
                .get(..7)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"-String"))
            {
                skip_blanks(lb, value + 7)
            } else {
                value
            };
            push(value);
        }
    }
    if command_line {
        let mut from = 0;
        while let Some(p) = line[from..].find("-P") {
            let at = from + p;
            from = at + 2;
            let preceded = at > 0 && matches!(lb[at - 1], b' ' | b'\t');
            let is_long = lb[from..]
                .get(..7)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"assword"));
            if !preceded || is_long {
                continue;
            }
            match lb.get(from) {
                Some(b' ' | b'\t') => push(skip_blanks(lb, from)),
                Some(b'\r' | b'\n') | None => {}
                Some(_) => push(from), // `-Ppassword`, as sqlcmd accepts it
            }
        }
    }
}

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

/// `found`: (index into [`POSITIONAL`], position) of the procedure names in the text.
fn positional(bytes: &[u8], found: &[(usize, usize)], out: &mut Vec<Secret>) {
    for &(index, at) in found {
        let (name, positions) = POSITIONAL[index];
        let from = at + name.len();
        let bounded =
            (at == 0 || !is_word(bytes[at - 1])) && bytes.get(from).is_none_or(|b| !is_word(*b));
        if !bounded {
            continue;
        }
        for (number, arg) in arguments(bytes, from).into_iter().enumerate() {
            if !positions.contains(&(number + 1)) {
                continue;
            }
            let mut start = skip_blanks_and_comments(bytes, arg.start);
            // A named argument (`@passwd = …`) is found by `assignments`.
            if bytes.get(start) == Some(&b'@') {
                continue;
            }
            // `{Encrypt N'pw'}` of sp_setapprole.
            if bytes.get(start) == Some(&b'{') {
                let word = skip_blanks(bytes, start + 1);
                if bytes[word..]
                    .get(..7)
                    .is_some_and(|w| w.eq_ignore_ascii_case(b"Encrypt"))
                {
                    start = skip_blanks(bytes, word + 7);
                }
            }
            if let Some(value) =
                value_at(bytes, start, false).filter(|v| v.range.end <= arg.end + 1)
            {
                out.push(secret(bytes, value, SecretKind::Password, false));
            }
        }
    }
}

/// The comma-separated arguments after a procedure name (or inside a function's
/// parentheses), up to `;`, the end of the line (unless it ends with a comma), `)`, or
/// [`ARGUMENTS_WINDOW`] bytes.
fn arguments(bytes: &[u8], mut i: usize) -> Vec<Range<usize>> {
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

fn plain_secret(range: Range<usize>, kind: SecretKind) -> Secret {
    Secret {
        range,
        kind,
        literal: true,
        setvar: false,
    }
}

fn secret(bytes: &[u8], value: Value, kind: SecretKind, setvar: bool) -> Secret {
    let text = String::from_utf8_lossy(&bytes[value.range.clone()]);
    let v = text.trim();
    let whole_variable = v.starts_with("$(")
        && v.ends_with(')')
        && v[2..v.len() - 1].bytes().all(|b| is_word(b) && b != b'$');
    let reference =
        whole_variable || (!value.quoted && v.starts_with('@') && v[1..].bytes().all(is_word));
    let placeholder = v.is_empty()
        || (v.starts_with('<') && v.ends_with('>'))
        || v.bytes().all(|b| b == b'*' || b == b'x' || b == b'X')
        || v.chars().all(|c| c == '…' || c == '.')
        || (!value.quoted && v.eq_ignore_ascii_case("null"));
    Secret {
        range: value.range,
        kind,
        literal: !reference && !placeholder,
        setvar,
    }
}

/// Every secret in a script text, sorted by position, without duplicates.
pub fn find(text: &str) -> Vec<Secret> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // One search pass finds where each scan below has something to look at.
    let found = candidates(bytes);
    assignments(bytes, &found.words, &mut out);
    private_keys(bytes, &found.private, &mut out);
    positional(bytes, &found.procedures, &mut out);
    lines(text, &found.lines, &[], &mut out);
    // Variables used as a password (`PASSWORD = '$(SaPass)'`): their `:setvar` values are
    // secrets whatever their names.
    let used: Vec<String> = out
        .iter()
        .filter(|s| !s.literal)
        .filter_map(|s| {
            let v = text[s.range.clone()].trim();
            v.strip_prefix("$(")?.strip_suffix(')').map(str::to_string)
        })
        .collect();
    if !used.is_empty() {
        let mut more = Vec::new();
        lines(text, &found.lines, &used, &mut more);
        out.extend(more.into_iter().filter(|s| s.setvar));
    }
    out.retain(|s| s.range.start < s.range.end && s.range.end <= text.len());
    out.sort_by_key(|s| (s.range.start, s.range.end));
    out.dedup_by(|b, a| b.range.start < a.range.end);
    out
}

/// A filler of the same UTF-8 length as `c`, so masking keeps byte offsets and columns.
fn filler(c: char) -> &'static str {
    match c.len_utf8() {
        1 => "*",
        2 => "\u{00A4}",  // ¤
        3 => "\u{2217}",  // ∗
        _ => "\u{1F512}", // 🔒
    }
}

/// The text with every secret character replaced by a filler of the same length.
/// References (`$(Var)`, `@var`) are kept: they reveal nothing.
pub fn mask(text: &str) -> String {
    let mut masked = text.to_string();
    mask_found(&mut masked, &find(text));
    masked
}

/// Mask the `secrets` already found in `text`.
pub fn mask_found(text: &mut String, secrets: &[Secret]) {
    if !secrets.iter().any(|s| s.literal) {
        return;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in secrets.iter().filter(|s| s.literal) {
        // Ranges are on char boundaries of valid UTF-8 found by ASCII delimiters.
        let (Some(before), Some(value)) = (text.get(at..s.range.start), text.get(s.range.clone()))
        else {
            continue;
        };
        out.push_str(before);
        for c in value.chars() {
            // Line breaks stay, so line numbers in snippets stay right.
            if c == '\n' || c == '\r' {
                out.push(c);
            } else {
                out.push_str(filler(c));
            }
        }
        at = s.range.end;
    }
    out.push_str(&text[at..]);
    *text = out;
}

/// The literal secret values of `text` (3 characters or more), to scrub from messages.
pub fn values(text: &str) -> Vec<String> {
    values_of(text, &find(text))
}

/// [`values`] of secrets already found.
pub fn values_of(text: &str, secrets: &[Secret]) -> Vec<String> {
    secrets
        .iter()
        .filter(|s| s.literal)
        .filter_map(|s| text.get(s.range.clone()))
        .filter(|v| v.chars().count() >= 3)
        .map(str::to_string)
        .collect()
}

/// `message` without any secret: every occurrence of a secret value (4 characters or
/// more) is masked, and so is every quoted or delimited word of the message that is part
/// of a secret (a rule may quote a piece of one, or a shortened one).
pub fn scrub(message: &str, secrets: &[String]) -> String {
    let mut out = message.to_string();
    for s in secrets.iter().filter(|s| s.chars().count() >= 4) {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), &"*".repeat(s.chars().count()));
        }
    }
    let delimiter = |c: char| c.is_whitespace() || "'\"`<>[](){},;=".contains(c);
    let pieces: Vec<&str> = out
        .split(delimiter)
        .map(|w| w.trim_end_matches('…'))
        .filter(|w| {
            // Most words are in no secret: decide that before looking for quotes around them.
            if w.chars().count() < 3 || !secrets.iter().any(|s| s.contains(*w)) {
                return false;
            }
            let quoted = ["''", "\"\"", "<>", "[]", "``"]
                .iter()
                .any(|q| out.contains(&format!("{}{w}{}", &q[..1], &q[1..])));
            secrets.iter().any(|s| is_piece_of(w, s, quoted))
        })
        .collect();
    let mut scrubbed = out.clone();
    for piece in pieces {
        // Whole delimited words only, so ordinary words are not damaged.
        scrubbed = replace_words(&scrubbed, piece, delimiter);
    }
    scrubbed
}

/// Whether `word` of a message is a telling piece of `secret`: a quoted value is, and
/// so is a bare word that is most of a secret, holds its digits or symbols, or is a
/// word of a passphrase. A short plain word of prose ("not" in a password "…notreal")
/// is not a leak.
fn is_piece_of(word: &str, secret: &str, quoted: bool) -> bool {
    let len = word.chars().count();
    if len < 3 || !secret.contains(word) {
        return false;
    }
    quoted
        || !word.chars().all(char::is_alphabetic)
        || len * 2 >= secret.chars().count()
        // A word of a passphrase (`correct horse battery staple`), or its start.
        || secret.split_whitespace().nth(1).is_some()
            && secret.split_whitespace().any(|p| p.starts_with(word))
}

fn replace_words(text: &str, word: &str, delimiter: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = rest.find(word) {
        let before_ok = rest[..p].chars().next_back().is_none_or(&delimiter);
        let after = &rest[p + word.len()..];
        let after_ok = after
            .chars()
            .next()
            .is_none_or(|c| delimiter(c) || c == '…');
        out.push_str(&rest[..p]);
        if before_ok && after_ok {
            out.push_str(&"*".repeat(word.chars().count()));
        } else {
            out.push_str(word);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked_away(text: &str, secrets: &[&str]) -> String {
        let masked = mask(text);
        assert_eq!(masked.len(), text.len());
        for secret in secrets {
            assert!(!masked.contains(secret), "{secret} leaked: {masked}");
        }
        masked
    }

    #[test]
    fn masks_passwords_and_keys_keeping_length() {
        let text = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = N'S3cr''et!';\n-- Server=x;Password=hunter2;\n:setvar MasterKeyPassword \"Zz9\"\nCREATE CERTIFICATE c FROM BINARY = 0xAB WITH PRIVATE KEY (BINARY = 0xDEADBEEF, DECRYPTION BY PASSWORD = 'k');\nCREATE CREDENTIAL [https://x.blob.core.windows.net/b] WITH IDENTITY = 'SHARED ACCESS SIGNATURE', SECRET = 'sv=2022&sig=Abc123';";
        let masked = masked_away(
            text,
            &["S3cr", "hunter2", "Zz9", "DEADBEEF", "= 'k'", "sig=Abc123"],
        );
        assert!(
            masked.contains("0xAB"),
            "the public certificate blob is not a secret"
        );
        let prose = "-- moved with its private key.\nCREATE CERTIFICATE c FROM BINARY = 0xABCD\nWITH PRIVATE KEY (BINARY = 0xEF01);";
        let masked = masked_away(prose, &["EF01"]);
        assert!(masked.contains("0xABCD"), "{masked}");
    }

    #[test]
    fn masks_every_way_of_writing_a_password() {
        let text = "\
ALTER LOGIN sa WITH PASSWORD = 'NewPw#1' OLD_PASSWORD = 'OldPw#1';
CREATE LOGIN l WITH PASSWORD = 0x0200AABBCCDD HASHED;
DECLARE @MasterKeyPassword nvarchar(128) = N'DeclPw#1';
SET @pwd = 'SetPw#1';
EXEC sp_addlinkedsrvlogin @rmtsrvname = 'x', @useself = 'false', @rmtuser = 'u', @rmtpassword = 'RmtPw#1';
EXEC sp_addlogin 'bob', 'PosPw#1', 'master';
EXEC sp_password 'OldPos#1', 'NewPos#1', 'bob';
EXEC sp_addlinkedsrvlogin 'srv', 'false', NULL, 'u',
     'LinkPw#1';
SELECT CERTPRIVATEKEY(CERT_ID(N'c'), N'EncPw#1', N'DecPw#1');
CREATE SYMMETRIC KEY k WITH KEY_SOURCE = 'Phrase#1', ALGORITHM = AES_256 ENCRYPTION BY CERTIFICATE c;
-- run: sqlcmd -S sql01 -U sa -P CliPw#1 -i link.sql
:connect sql01 -U sa -P ConnPw#1
-- Invoke-Sqlcmd -ServerInstance x -Username sa -Password 'PsPw#1'
";
        masked_away(
            text,
            &[
                "NewPw#1", "OldPw#1", "AABBCCDD", "DeclPw#1", "SetPw#1", "RmtPw#1", "PosPw#1",
                "OldPos#1", "NewPos#1", "LinkPw#1", "EncPw#1", "DecPw#1", "Phrase#1", "CliPw#1",
                "ConnPw#1", "PsPw#1",
            ],
        );
    }

    #[test]
    fn references_and_ordinary_code_stay_readable() {
        let text = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MasterKeyPwd)';\nEXEC sp_addlogin @loginame = 'bob', @passwd = @pw;\nSELECT name FROM t WHERE id = 1; -- sqlcmd -p prints statistics\nEXEC sp_addlogin 'bob', 'q', 'master';";
        let masked = mask(text);
        assert!(masked.contains("'$(MasterKeyPwd)'"), "{masked}");
        assert!(masked.contains("@passwd = @pw"), "{masked}");
        assert!(masked.contains("@loginame = 'bob'"), "{masked}");
        assert!(masked.contains("sqlcmd -p prints"), "{masked}");
        assert!(
            masked.contains("sp_addlogin 'bob', '*', 'master'"),
            "{masked}"
        );
    }

    #[test]
    fn literal_flag_tells_written_secrets_from_references_and_placeholders() {
        let literal = |t: &str| find(t).iter().map(|s| s.literal).collect::<Vec<_>>();
        assert_eq!(literal("PASSWORD = 'Real#Pw1'"), [true]);
        assert_eq!(literal("PASSWORD = '$(Pw)'"), [false]);
        assert_eq!(literal("PASSWORD = '<strong_password>'"), [false]);
        assert_eq!(literal("PASSWORD = @pw"), [false]);
        assert_eq!(literal(":setvar MasterKeyPwd \"Real#Pw1\""), [true]);
        assert_eq!(literal("-- sqlcmd -v MasterKeyPassword=\"…\""), [false]);
    }

    #[test]
    fn messages_are_scrubbed() {
        let secrets = values("PASSWORD = 'Real#Pw1'");
        assert_eq!(
            scrub("name 'Real#Pw1' is odd", &secrets),
            "name '********' is odd"
        );
    }

    #[test]
    fn comments_before_the_equals_sign_do_not_hide_a_password() {
        masked_away(
            "CREATE MASTER KEY ENCRYPTION BY PASSWORD /* x */ = 'Sup3rSecret!Pw16';\nALTER LOGIN a WITH PASSWORD -- new\n = 'Other#Pw2';",
            &["Sup3rSecret", "Other#Pw2"],
        );
    }

    #[test]
    fn an_unclosed_password_masks_its_line_only() {
        // Not closed on its line: only the rest of its line is the value.
        let masked = masked_away(
            "PASSWORD = 'Sup3rSecret!Pw3\nGO\nSELECT 1;\n",
            &["Sup3rSecret"],
        );
        assert!(masked.ends_with("\nGO\nSELECT 1;\n"), "{masked}");
    }

    /// Each case found by an adversarial review: the secret must not survive masking.
    #[test]
    fn review_cases_are_masked() {
        let cases: &[(&str, &str)] = &[
            (
                "CREATE MASTER KEY ENCRYPTION BY PASSWORD 'LeakNoEq1!Abc';",
                "LeakNoEq1",
            ),
            (
                "EXEC('CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''LeakDyn2!xx''');",
                "LeakDyn2",
            ),
            (
                "EXEC sp_executesql N'CREATE LOGIN [y] WITH PASSWORD = N''LeakDyn3!xx''';",
                "LeakDyn3",
            ),
            (
                "CREATE LOGIN [l] WITH PASSWORD = '@Dm1nLeak#2024';",
                "Dm1nLeak",
            ),
            (
                "CREATE LOGIN [l] WITH PASSWORD = N'$(Sup3r)LeakParen(1)';",
                "LeakParen",
            ),
            (
                "-- :setvar MasterKeyPassword \"LeakCommented1\"",
                "LeakCommented1",
            ),
            ("/* :setvar SaPassword \"LeakBlock3\" */", "LeakBlock3"),
            (
                ":setvar  MasterKeyPassword \"LeakSetvar2Sp!\"",
                "LeakSetvar2Sp",
            ),
            (
                ":setvar SaPass \"LeakUsed7\"\nCREATE LOGIN a WITH PASSWORD = '$(SaPass)';",
                "LeakUsed7",
            ),
            (
                "DECLARE @pwd AS nvarchar(128) = N'LeakDeclAs1';",
                "LeakDeclAs1",
            ),
            ("DECLARE @pw nvarchar(128) = N'LeakDeclPw2';", "LeakDeclPw2"),
            (
                "DECLARE @PrivateKey varbinary(max) = 0xA1B2C3D4E5;",
                "A1B2C3D4E5",
            ),
            ("WITH PRIVATE  KEY (BINARY = 0xDEADBEEF01)", "DEADBEEF01"),
            (
                "WITH PRIVATE\nKEY /*c*/ (BINARY = 0xDEADBEEF02)",
                "DEADBEEF02",
            ),
            (
                "WITH PRIVATE KEY (BINARY = 0xDEADBEEF03\\\nFACEB00C04)",
                "FACEB00C04",
            ),
            ("-- sqlcmd -S s -U sa -PLeakNoSpace1", "LeakNoSpace1"),
            ("-- sqlcmd -S s -U sa\t-P LeakTab2", "LeakTab2"),
            ("EXEC sp_addlogin 'bob',/*pw*/'LeakPos2x';", "LeakPos2x"),
            (
                "EXEC sp_setapprole 'r', {Encrypt N'LeakApprole4'}, 'odbc';",
                "LeakApprole4",
            ),
            ("-- Server=x;User ID=sa;Password=Leak Space2;", "Space2"),
            ("-- Driver={ODBC};Pwd={LeakBrace;3};", "3}"),
            ("-- {\"password\":\"LeakJson1x\"}", "LeakJson1x"),
            (
                "SELECT DECRYPTBYPASSPHRASE('LeakPhrase5', @c);",
                "LeakPhrase5",
            ),
            (
                "# $p = ConvertTo-SecureString 'LeakSecStr10' -AsPlainText -Force",
                "LeakSecStr10",
            ),
        ];
        for (text, secret) in cases {
            let masked = mask(text);
            assert!(!masked.contains(secret), "{secret} leaked: {masked}");
        }
    }

    #[test]
    fn review_false_positives_stay_readable() {
        for (text, kept) in [
            (":setvar SQLServerPublicKey 0x3082AB", "0x3082AB"),
            (":setvar KeyVaultName kv-ledger-prod", "kv-ledger-prod"),
            (":connect SQLPRD04 -U sa -P $(SaPwd)", "-P $(SaPwd)"),
            (
                "CREATE MASTER KEY ENCRYPTION BY PASSWORD = $(MasterKeyPassword);",
                "$(MasterKeyPassword);",
            ),
        ] {
            let masked = mask(text);
            assert!(masked.contains(kept), "{masked}");
            assert!(find(text).iter().all(|s| !s.literal), "{text}");
        }
    }

    #[test]
    fn masking_keeps_columns_and_offsets() {
        let text = "CREATE LOGIN [l] WITH PASSWORD = N'Pässwörd€1'; SELECT '<DAGName>';";
        let masked = mask(text);
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked.chars().count(), text.chars().count());
        assert_eq!(masked.find("SELECT"), text.find("SELECT"));
        assert!(!masked.contains("ss"), "{masked}");
    }

    #[test]
    fn pieces_of_a_secret_are_scrubbed_from_messages() {
        let secrets = values("PASSWORD = 'Tr0ub4dor&<Horse>Battery9'");
        assert_eq!(
            scrub("placeholder <Horse> was never replaced", &secrets),
            "placeholder <*****> was never replaced"
        );
        assert_eq!(scrub("the horse is fine", &secrets), "the horse is fine");
        // Prose words that happen to occur inside a password stay readable.
        let secrets = values("PASSWORD = 'Dummy#Vault-Ref-7731!notreal'");
        assert_eq!(
            scrub("name 'AG_x' does not match 'Vault-Ref-7731'", &secrets),
            "name 'AG_x' does not match '**************'"
        );
        let secrets = values("PASSWORD = 'correct horse battery staple'");
        assert_eq!(
            scrub("value 'correct horse batt…' is not quoted fully", &secrets),
            "value '******* ***** ****…' is not quoted fully"
        );
    }

    /// Inputs that made earlier scans quadratic (minutes); now they finish at once.
    #[test]
    fn scans_stay_linear_on_hostile_input() {
        for text in [
            "PRIVATE KEY (".repeat(20_000),
            "sp_addlogin ".repeat(20_000),
            "CERTPRIVATEKEY(".repeat(20_000),
        ] {
            assert!(find(&text).is_empty());
        }
    }

    #[test]
    fn unterminated_values_do_not_panic() {
        for text in [
            "PASSWORD = N'abc",
            "PASSWORD =",
            "sp_addlogin 'a', '",
            "PRIVATE KEY (BINARY = 0x",
            "-- sqlcmd -P",
            "DECLARE @pwd nvarchar(",
            "CERTPRIVATEKEY(",
        ] {
            let _ = mask(text);
        }
    }
}
