//! Reading one value where a secret stands: quoted strings with every escape the
//! languages around it use, dynamic SQL, concatenations, and bare values that end where
//! their context says.

use std::ops::Range;

/// How a bare (unquoted) value ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Bare {
    /// T-SQL after `=` or `BY PASSWORD`: at a blank, `;`, `,`, `)` or a closing quote.
    Sql,
    /// A connection-string or `name: value` pair: at `;` or the end of the line (values
    /// may hold blanks), or where the string around the pair closes.
    Pair,
    /// A command-line argument: at a blank, or where the string around it closes.
    Argument,
    /// A JSON scalar: at `,`, `}`, `]` or a blank.
    Json,
}

/// A value: the literal pieces to mask and the variables it is made of.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Value {
    /// Where reading stopped: the scan goes on from here.
    pub end: usize,
    /// The literal text of the value (one range, or several for a concatenation or a
    /// string that holds `$(Var)` references).
    pub pieces: Vec<Range<usize>>,
    /// SQLCMD variables the value is made of (`'$(MasterKeyPassword)'`).
    pub sqlcmd_vars: Vec<String>,
    /// T-SQL variables it is made of (`''' + @mk + '''` in dynamic SQL).
    pub sql_vars: Vec<String>,
}

pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'@' | b'#' | b'$')
}

pub(super) fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// Blanks on the same line only.
pub(super) fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// How far a comment between a name and its `=` is skipped: such comments are short,
/// and a bound keeps many names inside one huge comment linear.
const COMMENT_SKIP: usize = 4096;

/// Blanks and comments (`/* … */`, `-- …`), as T-SQL allows between tokens.
pub(super) fn skip_blanks_and_comments(bytes: &[u8], mut i: usize) -> usize {
    let limit = (i + COMMENT_SKIP).min(bytes.len());
    loop {
        i = skip_blanks(bytes, i);
        if i >= limit {
            return i;
        }
        if bytes[i..].starts_with(b"/*") {
            i = memchr::memmem::find(&bytes[i + 2..limit], b"*/").map_or(limit, |e| i + 2 + e + 2);
        } else if bytes[i..].starts_with(b"--") {
            i = line_end(bytes, i);
        } else {
            return i;
        }
    }
}

/// The end of the line `i` is on (the position of its line break).
pub(super) fn line_end(bytes: &[u8], i: usize) -> usize {
    let i = i.min(bytes.len());
    memchr::memchr2(b'\n', b'\r', &bytes[i..]).map_or(bytes.len(), |p| i + p)
}

/// The start of the line `i` is on.
pub(super) fn line_start(bytes: &[u8], i: usize) -> usize {
    memchr::memrchr(b'\n', &bytes[..i.min(bytes.len())]).map_or(0, |p| p + 1)
}

/// Past one line break at `i`, if there is one.
fn past_line_break(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i) {
        Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => Some(i + 2),
        Some(b'\r' | b'\n') => Some(i + 1),
        _ => None,
    }
}

/// A backslash that ends a line inside a T-SQL string continues it on the next line.
fn continued(bytes: &[u8], i: usize) -> Option<usize> {
    if i > 0 && bytes[i - 1] == b'\\' {
        past_line_break(bytes, i)
    } else {
        None
    }
}

/// Whether the quote at `i` closes the string around a bare value (rather than being
/// a character of the value): it is followed by the end, a blank or punctuation.
fn closes_around(bytes: &[u8], i: usize) -> bool {
    bytes
        .get(i + 1)
        .is_none_or(|b| b.is_ascii_whitespace() || b")],;+}|".contains(b))
}

/// Split a literal's range around the `$(Var)` references in it: the references are
/// not secrets, the text between them is.
fn split_references(bytes: &[u8], range: Range<usize>, value: &mut Value) {
    let mut piece = range.start;
    let mut i = range.start;
    while i + 1 < range.end {
        if bytes[i] == b'$' && bytes[i + 1] == b'(' {
            let name_end = (i + 2..range.end)
                .find(|&j| {
                    !(bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'_' | b'-' | b'.'))
                })
                .unwrap_or(range.end);
            if name_end > i + 2 && bytes.get(name_end) == Some(&b')') && name_end < range.end {
                if i > piece {
                    value.pieces.push(piece..i);
                }
                value
                    .sqlcmd_vars
                    .push(String::from_utf8_lossy(&bytes[i + 2..name_end]).into_owned());
                i = name_end + 1;
                piece = i;
                continue;
            }
        }
        i += 1;
    }
    if range.end > piece {
        value.pieces.push(piece..range.end);
    }
}

/// A quoted string opening at `open` (`'`, `"`): its content up to the closing quote
/// (doubled quotes, `\"` in JSON and `` ` `` in PowerShell are escapes; a `\` at the end of
/// a line continues a T-SQL string), or to the end of its line when it is never closed.
pub(super) fn quoted(bytes: &[u8], open: usize, json: bool) -> Value {
    let quote = bytes[open];
    let start = open + 1;
    let mut j = start;
    let (content_end, end) = loop {
        let Some(&b) = bytes.get(j) else {
            break (j.min(bytes.len()), bytes.len());
        };
        if b == b'\n' || b == b'\r' {
            match continued(bytes, j).filter(|_| quote == b'\'') {
                Some(next) => {
                    j = next;
                    continue;
                }
                None => break (j, j),
            }
        }
        if b == quote {
            if bytes.get(j + 1) == Some(&quote) {
                j += 2;
                continue;
            }
            break (j, j + 1);
        }
        if (b == b'\\' && json) || (b == b'`' && quote == b'"') {
            j += 2;
            continue;
        }
        j += 1;
    };
    let content_end = content_end.min(bytes.len()).max(start.min(bytes.len()));
    let mut value = Value {
        end: end.min(bytes.len()),
        ..Value::default()
    };
    split_references(bytes, start.min(content_end)..content_end, &mut value);
    value
}

/// A string inside a string (dynamic SQL): `''…''` opening at `open`, in which `''''`
/// is one quote of the value.
fn inner_quoted(bytes: &[u8], open: usize) -> Value {
    let start = open + 2;
    let mut j = start;
    let (content_end, end) = loop {
        match bytes.get(j) {
            None => break (bytes.len(), bytes.len()),
            Some(b'\n' | b'\r') => match continued(bytes, j) {
                Some(next) => j = next,
                None => break (j, j),
            },
            Some(b'\'') if bytes[j..].starts_with(b"''''") => j += 4,
            Some(b'\'') if bytes[j..].starts_with(b"''") => break (j, j + 2),
            Some(_) => j += 1,
        }
    };
    let mut value = Value {
        end,
        ..Value::default()
    };
    split_references(bytes, start.min(content_end)..content_end, &mut value);
    value
}

/// The skipped argument list of a function call opening at `open`, on its line: the
/// T-SQL variables in it are part of the value (`CAST(@mk AS nvarchar(128))`).
fn call(bytes: &[u8], open: usize, value: &mut Value) -> usize {
    let end = line_end(bytes, open);
    let mut depth = 0usize;
    let mut i = open;
    while i < end {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            b'@' => {
                let name_end = word_end(bytes, i + 1);
                if name_end > i + 1 {
                    value
                        .sql_vars
                        .push(String::from_utf8_lossy(&bytes[i..name_end]).into_owned());
                }
                i = name_end.max(i + 1);
                continue;
            }
            b'\'' => {
                i = quoted(bytes, i, false).end.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    end
}

pub(super) fn word_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_word(bytes[i]) {
        i += 1;
    }
    i
}

/// Most pieces a concatenation is followed for.
const MAX_PIECES: usize = 64;

/// `''' + piece + piece + '''`: the value of dynamic SQL built by concatenation, read
/// from just after the opening `'''`. Literal pieces are the secret; variables and
/// calls are what it is made of; a literal that starts with `''` closes the value.
fn concatenation(bytes: &[u8], from: usize) -> Value {
    let mut value = Value {
        end: from,
        ..Value::default()
    };
    let mut i = from;
    for _ in 0..MAX_PIECES {
        let plus = skip_blanks_and_comments(bytes, i);
        if bytes.get(plus) != Some(&b'+') {
            break;
        }
        let mut at = skip_blanks_and_comments(bytes, plus + 1);
        if matches!(bytes.get(at), Some(b'N' | b'n')) && bytes.get(at + 1) == Some(&b'\'') {
            at += 1;
        }
        match bytes.get(at) {
            Some(b'\'') if bytes[at..].starts_with(b"'''") => {
                // `''';'`: the closing quote of the value, then more SQL.
                value.end = at;
                return value;
            }
            Some(b'\'') => {
                let piece = quoted(bytes, at, false);
                value.pieces.extend(piece.pieces);
                value.sqlcmd_vars.extend(piece.sqlcmd_vars);
                i = piece.end;
            }
            Some(b'@') => {
                let end = word_end(bytes, at + 1);
                value
                    .sql_vars
                    .push(String::from_utf8_lossy(&bytes[at..end]).into_owned());
                i = end;
            }
            Some(b'$') if bytes.get(at + 1) == Some(&b'(') => {
                let piece = bare(bytes, at, Bare::Sql);
                value.sqlcmd_vars.extend(piece.sqlcmd_vars);
                i = piece.end.max(at + 1);
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let name_end = word_end(bytes, at);
                let open = skip_spaces(bytes, name_end);
                if bytes.get(open) != Some(&b'(') {
                    break;
                }
                i = call(bytes, open, &mut value);
            }
            _ => break,
        }
        value.end = i;
    }
    value
}

/// The value that starts at `i`.
pub(super) fn value_at(bytes: &[u8], mut i: usize, bare_kind: Bare) -> Value {
    if bare_kind != Bare::Json
        && matches!(bytes.get(i), Some(b'N' | b'n'))
        && bytes.get(i + 1) == Some(&b'\'')
    {
        i += 1;
    }
    match bytes.get(i) {
        // `PASSWORD = ''' + @mk + '''` inside dynamic SQL.
        Some(b'\'') if bytes[i..].starts_with(b"'''") => concatenation(bytes, i + 3),
        // `PASSWORD = ''secret''` inside dynamic SQL.
        Some(b'\'') if bytes[i..].starts_with(b"''") => inner_quoted(bytes, i),
        Some(b'\'' | b'"') => quoted(bytes, i, bare_kind == Bare::Json),
        _ => bare(bytes, i, bare_kind),
    }
}

/// A value that is not quoted.
pub(super) fn bare(bytes: &[u8], i: usize, kind: Bare) -> Value {
    let mut value = Value {
        end: i,
        ..Value::default()
    };
    let Some(&first) = bytes.get(i) else {
        return value;
    };
    // References stay readable; the variable's value is the secret where it is set.
    if first == b'$' && bytes.get(i + 1) == Some(&b'(') {
        let close = memchr::memchr(b')', &bytes[i..line_end(bytes, i)]).map(|p| i + p);
        if let Some(close) = close {
            value
                .sqlcmd_vars
                .push(String::from_utf8_lossy(&bytes[i + 2..close]).into_owned());
            value.end = close + 1;
        }
        return value;
    }
    // `@pw`: a T-SQL variable, when the whole value is its name (`@Dm1n#2024;` in a
    // connection string is a password).
    if first == b'@' {
        let name_end = (i + 1..bytes.len())
            .find(|&j| !(bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_'))
            .unwrap_or(bytes.len());
        if name_end > i + 1 && bare_end(bytes, i, kind) == name_end {
            value
                .sql_vars
                .push(String::from_utf8_lossy(&bytes[i..name_end]).into_owned());
            value.end = name_end;
            return value;
        }
    }
    // Shell and environment variables: `$pw`, `${PW}`, `$env:PW`, `%PW%`, `!PW!`.
    let shell_reference = first == b'$'
        || (matches!(first, b'%' | b'!')
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_'));
    if shell_reference {
        value.end = bare_end(bytes, i, Bare::Argument);
        return value;
    }
    // `{…}`: an ODBC value, in which `}}` is one brace.
    if first == b'{' && kind == Bare::Pair {
        let mut j = i + 1;
        let end = line_end(bytes, i);
        while j < end {
            if bytes[j] == b'}' {
                if bytes.get(j + 1) == Some(&b'}') {
                    j += 2;
                    continue;
                }
                break;
            }
            j += 1;
        }
        value.pieces.push(i + 1..j);
        value.end = (j + 1).min(bytes.len());
        return value;
    }
    let hex = bytes[i..].starts_with(b"0x") || bytes[i..].starts_with(b"0X");
    let end = if hex {
        let mut j = i + 2;
        while j < bytes.len() && bytes[j].is_ascii_hexdigit() {
            j += 1;
        }
        j
    } else {
        bare_end(bytes, i, kind)
    };
    if end > i {
        value.pieces.push(i..end);
    }
    value.end = end;
    value
}

fn bare_end(bytes: &[u8], i: usize, kind: Bare) -> usize {
    let mut j = i;
    while j < bytes.len() {
        let b = bytes[j];
        let stop = match b {
            b'\n' | b'\r' => true,
            b'\'' | b'"' => {
                if bytes.get(j + 1) == Some(&b) {
                    j += 2;
                    continue;
                }
                kind == Bare::Json || closes_around(bytes, j)
            }
            b';' => kind != Bare::Argument,
            b' ' | b'\t' => kind != Bare::Pair,
            b',' | b')' => matches!(kind, Bare::Sql | Bare::Json),
            b'}' | b']' => kind == Bare::Json,
            _ => false,
        };
        if stop {
            break;
        }
        j += 1;
    }
    // Blanks before a `;` are not part of a connection-string value.
    while j > i && matches!(bytes[j - 1], b' ' | b'\t') {
        j -= 1;
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, at: usize, kind: Bare) -> Vec<&str> {
        value_at(text.as_bytes(), at, kind)
            .pieces
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn quoted_strings_with_their_escapes() {
        assert_eq!(pieces("'a''b' x", 0, Bare::Sql), ["a''b"]);
        assert_eq!(pieces("N'a''b'", 0, Bare::Sql), ["a''b"]);
        assert_eq!(
            pieces(r#""Js1\"Tail#Zz9", "#, 0, Bare::Json),
            [r#"Js1\"Tail#Zz9"#]
        );
        assert_eq!(pieces("'Mq4#\\\nQ7#';", 0, Bare::Sql), ["Mq4#\\\nQ7#"]);
        assert_eq!(pieces("'never closed\nGO", 0, Bare::Sql), ["never closed"]);
    }

    #[test]
    fn dynamic_sql_values() {
        assert_eq!(
            pieces("''Ap0s''''tr0phe!Zq9'';')", 0, Bare::Sql),
            ["Ap0s''''tr0phe!Zq9"]
        );
        assert_eq!(
            pieces("''' + 'Pc1!Xy' + N'Wv8#Tail' + ''';')", 0, Bare::Sql),
            ["Pc1!Xy", "Wv8#Tail"]
        );
        let v = value_at(b"''' + @mk + N''';'", 0, Bare::Sql);
        assert!(v.pieces.is_empty());
        assert_eq!(v.sql_vars, ["@mk"]);
        let v = value_at(b"''' + CAST(@k AS nvarchar(99)) + ''''", 0, Bare::Sql);
        assert!(v.pieces.is_empty());
        assert_eq!(v.sql_vars, ["@k"]);
    }

    #[test]
    fn references_are_not_pieces() {
        let v = value_at(b"'$(A)$(B)'", 0, Bare::Sql);
        assert!(v.pieces.is_empty());
        assert_eq!(v.sqlcmd_vars, ["A", "B"]);
        assert_eq!(pieces("'Ab$(X)cd'", 0, Bare::Sql), ["Ab", "cd"]);
        for reference in ["$pw", "${PW}", "$env:SQL_PWD", "%PW%", "@pw", "$(Pw)"] {
            assert!(
                pieces(reference, 0, Bare::Argument).is_empty(),
                "{reference}"
            );
        }
    }

    #[test]
    fn bare_values_end_where_their_context_says() {
        assert_eq!(
            pieces("Tq1!Ab,Cd9#x -i f", 0, Bare::Argument),
            ["Tq1!Ab,Cd9#x"]
        );
        assert_eq!(pieces("Zq7wordBare42;", 0, Bare::Sql), ["Zq7wordBare42"]);
        assert_eq!(
            pieces("Tq3!Ij''Kl7#z;Server=x'", 0, Bare::Pair),
            ["Tq3!Ij''Kl7#z"]
        );
        assert_eq!(pieces("Ab\"cD9#x;", 0, Bare::Pair), ["Ab\"cD9#x"]);
        assert_eq!(pieces("Leak Space2 ;", 0, Bare::Pair), ["Leak Space2"]);
        assert_eq!(pieces("hunter2';", 0, Bare::Pair), ["hunter2"]);
        assert_eq!(pieces("{Leak;}}3};x", 0, Bare::Pair), ["Leak;}}3"]);
        assert_eq!(pieces("0x0200AB HASHED", 0, Bare::Sql), ["0x0200AB"]);
    }
}
