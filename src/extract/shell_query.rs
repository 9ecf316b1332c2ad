//! A T-SQL query written in a shell script (`Invoke-Sqlcmd -Query`, `sqlcmd -Q`) laid
//! out as a script of its own with the shell script's lines and columns.
//!
//! The query as run (variables substituted by the shell reader) is aligned with the text
//! as written: the literal after the flag, or the literal of the assignment when the
//! flag is given a variable. The written text is cut into *verbatim* pieces (bytes that
//! are the query's own bytes) and *holes* (delimiters, `$var`, `` `n ``, `" + $x + "`,
//! `%VAR%`, …). The holes' values follow from the verbatim pieces, which are found in
//! order in the query as run (a glob match, holes as `*`).
//!
//! The script text is the shell script blanked, each verbatim piece at its place, and each
//! hole with a value a SQLCMD use `$(NAME)` of exactly the hole's width (the SQLCMD layer
//! substitutes it and maps whatever comes from it to the use). So a finding in written
//! text is at its line and column in the shell script, and a finding in a substituted
//! piece points at the substitution. After splitting, the text shown in snippets is the
//! same layout with each hole as written.

use crate::azure::shell::Dialect;
use crate::secrets::Secret;
use std::ops::Range;

/// The query's script.
pub struct Layout {
    /// What the SQLCMD layer splits: holes are `$(NAME)` uses of [`Layout::vars`].
    pub text: String,
    /// The same bytes with each hole as written, for snippets and comments; `None` when
    /// a hole could not keep its width (its line's columns then shift after it).
    pub display: Option<String>,
    /// The holes' values.
    pub vars: Vec<(String, String)>,
    /// The secrets of the query as run, at their place in `text`.
    pub secrets: Vec<Secret>,
}

/// One piece of the written text: a range of the shell script and the range of the query
/// (as run) it gives.
#[derive(Debug, Clone)]
struct Part {
    written: Range<usize>,
    value: Range<usize>,
    hole: bool,
}

/// Lays `query` out at the best of `candidates` (ranges of `shell` where its text may be
/// written, the preferred first: another wins only with more verbatim bytes). `taken`:
/// SQLCMD variable names in force that the holes must not use.
pub fn layout(
    shell: &str,
    dialect: Dialect,
    query: &str,
    candidates: &[Range<usize>],
    taken: &[&str],
) -> Layout {
    let mut best: Option<(usize, Vec<Part>)> = None;
    for range in candidates {
        let Some(written) = shell.get(range.clone()) else {
            continue;
        };
        let mut pieces = scan(written, dialect);
        for (r, _) in &mut pieces {
            *r = r.start + range.start..r.end + range.start;
        }
        let Some(parts) = glob(shell, query, &pieces) else {
            continue;
        };
        let score: usize = parts
            .iter()
            .filter(|p| !p.hole)
            .map(|p| p.value.len())
            .sum();
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, parts));
        }
    }
    // Nothing matches (syntax the scanner does not know): the whole query is one hole at
    // the first candidate.
    let parts = best.map(|(_, p)| p).unwrap_or_else(|| {
        let range = candidates.first().cloned().unwrap_or(0..0);
        let range = if shell.get(range.clone()).is_some() {
            range
        } else {
            0..0
        };
        vec![Part {
            written: range,
            value: 0..query.len(),
            hole: true,
        }]
    });
    let parts = widen(shell, parts);
    build(shell, query, parts, taken)
}

/// The written text cut into (range, is a hole), adjacent pieces of a kind merged.
fn scan(text: &str, dialect: Dialect) -> Vec<(Range<usize>, bool)> {
    let mut out = Pieces::default();
    match dialect {
        Dialect::PowerShell => scan_powershell(text.as_bytes(), &mut out),
        Dialect::Posix => scan_posix(text.as_bytes(), &mut out),
        Dialect::Cmd => scan_cmd(text.as_bytes(), &mut out),
    }
    out.0
}

#[derive(Default)]
struct Pieces(Vec<(Range<usize>, bool)>);

impl Pieces {
    fn push(&mut self, range: Range<usize>, hole: bool) {
        if range.is_empty() {
            return;
        }
        if let Some((last, h)) = self.0.last_mut() {
            if *h == hole && last.end == range.start {
                last.end = range.end;
                return;
            }
        }
        self.0.push((range, hole));
    }
    fn hole(&mut self, start: usize, end: usize) {
        self.push(start..end, true);
    }
    fn verbatim(&mut self, start: usize, end: usize) {
        self.push(start..end, false);
    }
}

/// Length of the UTF-8 character starting with byte `b`.
fn char_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// Index after the bracket closing the one at `open` (nesting `(`/`{` of the same
/// kind), or `end`.
fn closing(b: &[u8], open: usize, end: usize) -> usize {
    let (o, c) = match at(b, open) {
        b'(' => (b'(', b')'),
        _ => (b'{', b'}'),
    };
    let mut depth = 0usize;
    let mut i = open;
    while i < end {
        if b[i] == o {
            depth += 1;
        } else if b[i] == c {
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        }
        i += 1;
    }
    end
}

fn scan_powershell(b: &[u8], out: &mut Pieces) {
    let n = b.len();
    let mut i = 0;
    while i < n {
        match b[i] {
            b'@' if matches!(at(b, i + 1), b'"' | b'\'') => {
                let q = b[i + 1];
                let Some(nl) = b[i..].iter().position(|&c| c == b'\n') else {
                    out.hole(i, n);
                    return;
                };
                let start = i + nl + 1;
                // The closing `"@` / `'@` at the start of a line.
                let mut close = None;
                let mut j = start;
                while j + 1 < n {
                    if b[j] == q && b[j + 1] == b'@' && (j == start || b[j - 1] == b'\n') {
                        close = Some(j);
                        break;
                    }
                    j += 1;
                }
                let Some(close) = close else {
                    out.hole(i, n);
                    return;
                };
                let mut end = close;
                if end > start {
                    end -= 1;
                    if end > start && b[end - 1] == b'\r' {
                        end -= 1;
                    }
                }
                out.hole(i, start);
                if q == b'"' {
                    ps_expandable(b, start, end, false, out);
                } else {
                    out.verbatim(start, end);
                }
                out.hole(end, close + 2);
                i = close + 2;
            }
            b'\'' => {
                out.hole(i, i + 1);
                i += 1;
                loop {
                    let Some(q) = b[i..].iter().position(|&c| c == b'\'') else {
                        out.verbatim(i, n);
                        return;
                    };
                    out.verbatim(i, i + q);
                    i += q;
                    if at(b, i + 1) == b'\'' {
                        out.hole(i, i + 2);
                        i += 2;
                    } else {
                        out.hole(i, i + 1);
                        i += 1;
                        break;
                    }
                }
            }
            b'"' => {
                out.hole(i, i + 1);
                i = ps_expandable(b, i + 1, n, true, out);
            }
            c => {
                let l = char_len(c);
                out.hole(i, (i + l).min(n));
                i += l;
            }
        }
    }
}

/// An expandable string's text from `i` up to `end` (a `"…"` ends at its closing quote
/// when `quoted`); returns the index after it.
fn ps_expandable(b: &[u8], mut i: usize, end: usize, quoted: bool, out: &mut Pieces) -> usize {
    while i < end {
        match b[i] {
            b'"' if quoted => {
                if at(b, i + 1) == b'"' {
                    out.hole(i, i + 2);
                    i += 2;
                } else {
                    out.hole(i, i + 1);
                    return i + 1;
                }
            }
            b'`' => {
                let mut e = (i + 1 + char_len(at(b, i + 1))).min(end);
                if at(b, i + 1) == b'u' && at(b, i + 2) == b'{' {
                    e = closing(b, i + 2, end);
                }
                out.hole(i, e);
                i = e;
            }
            b'$' => {
                let e = match at(b, i + 1) {
                    b'(' | b'{' => closing(b, i + 1, end),
                    c if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'?' | b':') => {
                        let mut e = i + 1;
                        while e < end
                            && (b[e].is_ascii_alphanumeric() || matches!(b[e], b'_' | b'?' | b':'))
                        {
                            e += 1;
                        }
                        e
                    }
                    _ => i,
                };
                if e > i {
                    out.hole(i, e);
                    i = e;
                } else {
                    out.verbatim(i, i + 1);
                    i += 1;
                }
            }
            c => {
                let e = (i + char_len(c)).min(end);
                out.verbatim(i, e);
                i = e;
            }
        }
    }
    i
}

fn scan_posix(b: &[u8], out: &mut Pieces) {
    let n = b.len();
    let mut i = 0;
    let mut quoted = false;
    while i < n {
        match b[i] {
            b'\'' if !quoted => {
                let close = b[i + 1..].iter().position(|&c| c == b'\'');
                let end = close.map_or(n, |c| i + 1 + c);
                out.hole(i, i + 1);
                out.verbatim(i + 1, end);
                out.hole(end, (end + 1).min(n));
                i = end + 1;
            }
            b'"' => {
                quoted = !quoted;
                out.hole(i, i + 1);
                i += 1;
            }
            b'\\' => {
                let e = (i + 1 + char_len(at(b, i + 1))).min(n);
                out.hole(i, e);
                i = e;
            }
            b'`' => {
                let e = b[i + 1..]
                    .iter()
                    .position(|&c| c == b'`')
                    .map_or(n, |c| i + c + 2);
                out.hole(i, e);
                i = e;
            }
            b'$' => {
                let e = match at(b, i + 1) {
                    b'(' | b'{' => closing(b, i + 1, n),
                    b'\'' if !quoted => b[i + 2..]
                        .iter()
                        .position(|&c| c == b'\'')
                        .map_or(n, |c| i + c + 3),
                    c if c.is_ascii_alphabetic() || c == b'_' => {
                        let mut e = i + 1;
                        while e < n && (b[e].is_ascii_alphanumeric() || b[e] == b'_') {
                            e += 1;
                        }
                        e
                    }
                    c if c.is_ascii_digit() || b"@*#?$!-".contains(&c) => i + 2,
                    _ => i,
                };
                if e > i {
                    out.hole(i, e);
                    i = e;
                } else {
                    out.verbatim(i, i + 1);
                    i += 1;
                }
            }
            c => {
                let e = (i + char_len(c)).min(n);
                out.verbatim(i, e);
                i = e;
            }
        }
    }
}

fn scan_cmd(b: &[u8], out: &mut Pieces) {
    let n = b.len();
    let mut i = 0;
    while i < n {
        match b[i] {
            b'%' => {
                let close = b[i + 1..]
                    .iter()
                    .position(|&c| c == b'%' || c == b'\n')
                    .filter(|&c| at(b, i + 1 + c) == b'%');
                match close {
                    Some(c) => {
                        out.hole(i, i + c + 2);
                        i += c + 2;
                    }
                    None => {
                        out.verbatim(i, i + 1);
                        i += 1;
                    }
                }
            }
            b'!' => {
                let name = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count();
                if name > 0 && at(b, i + 1 + name) == b'!' {
                    out.hole(i, i + name + 2);
                    i += name + 2;
                } else {
                    out.verbatim(i, i + 1);
                    i += 1;
                }
            }
            b'^' => {
                let e = (i + 1 + char_len(at(b, i + 1))).min(n);
                out.hole(i, e);
                i = e;
            }
            b'"' => {
                out.hole(i, i + 1);
                i += 1;
            }
            c => {
                let e = (i + char_len(c)).min(n);
                out.verbatim(i, e);
                i = e;
            }
        }
    }
}

/// The verbatim pieces found in order in `query` (the first as its start, the last as
/// its end); the holes get what lies between. `None` when a piece is not there.
fn glob(shell: &str, query: &str, pieces: &[(Range<usize>, bool)]) -> Option<Vec<Part>> {
    let last = pieces.len().checked_sub(1)?;
    let mut starts = vec![0usize; pieces.len()];
    let mut pos = 0;
    let mut limit = query.len();
    if let Some((r, false)) = pieces.last() {
        let text = shell.get(r.clone())?;
        limit = query.len().checked_sub(text.len())?;
        if !query.is_char_boundary(limit) || &query[limit..] != text {
            return None;
        }
    }
    for (k, (r, hole)) in pieces.iter().enumerate() {
        if *hole {
            continue;
        }
        let text = shell.get(r.clone())?;
        let at = if k == last {
            limit
        } else if k == 0 {
            query.starts_with(text).then_some(0)?
        } else {
            pos + query.get(pos..limit)?.find(text)?
        };
        if at < pos {
            return None;
        }
        starts[k] = at;
        pos = at + text.len();
    }
    let mut parts = Vec::with_capacity(pieces.len());
    let mut end = 0;
    for (k, (r, hole)) in pieces.iter().enumerate() {
        let value = if *hole {
            let next = pieces[k + 1..]
                .iter()
                .zip(&starts[k + 1..])
                .find(|((_, h), _)| !h)
                .map_or(query.len(), |(_, s)| *s);
            end..next
        } else {
            starts[k]..starts[k] + r.len()
        };
        end = value.end;
        parts.push(Part {
            written: r.clone(),
            value,
            hole: *hole,
        });
    }
    Some(parts)
}

/// The width a hole's `$(NAME)` has: its first line as written.
fn head(shell: &str, written: &Range<usize>) -> Range<usize> {
    let text = &shell[written.clone()];
    let end = text.find(['\r', '\n']).unwrap_or(text.len());
    written.start..written.start + end
}

/// Bytes a hole may take from its verbatim neighbours without changing how the SQLCMD
/// layer reads the line (strings, brackets, comments).
fn movable(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b" \t_.:,;=()@#<>+%!&|^~?{}".contains(&b)
}

/// Holes narrower than `$(x)` take bytes of the verbatim pieces around them on their line.
fn widen(shell: &str, mut parts: Vec<Part>) -> Vec<Part> {
    let b = shell.as_bytes();
    for k in 0..parts.len() {
        if !parts[k].hole || parts[k].value.is_empty() {
            continue;
        }
        loop {
            if head(shell, &parts[k].written).len() >= 4 {
                break;
            }
            let one_line = head(shell, &parts[k].written).end == parts[k].written.end;
            let right = one_line
                && parts.get(k + 1).is_some_and(|p| {
                    !p.hole && !p.written.is_empty() && movable(b[p.written.start])
                });
            let left = k > 0 && {
                let p = &parts[k - 1];
                !p.hole && !p.written.is_empty() && movable(b[p.written.end - 1])
            };
            // `'$x'`, `[$x]`, `"$x"`: both delimiters together keep the line's strings
            // and brackets as they are.
            let pair = one_line
                && k > 0
                && parts
                    .get(k + 1)
                    .is_some_and(|p| !p.hole && !p.written.is_empty())
                && !parts[k - 1].hole
                && !parts[k - 1].written.is_empty()
                && matches!(
                    (
                        b[parts[k - 1].written.end - 1],
                        b[parts[k + 1].written.start]
                    ),
                    (b'\'', b'\'') | (b'[', b']') | (b'"', b'"')
                );
            if right || pair {
                parts[k].written.end += 1;
                parts[k].value.end += 1;
                parts[k + 1].written.start += 1;
                parts[k + 1].value.start += 1;
            }
            if (left && !right) || pair {
                parts[k].written.start -= 1;
                parts[k].value.start -= 1;
                parts[k - 1].written.end -= 1;
                parts[k - 1].value.end -= 1;
            }
            if !(left || right || pair) {
                break;
            }
        }
    }
    // A verbatim piece taken whole leaves two holes side by side: one hole.
    let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
    for p in parts {
        if !p.hole && p.written.is_empty() {
            continue;
        }
        match merged.last_mut() {
            Some(last) if last.hole && p.hole && last.written.end == p.written.start => {
                last.written.end = p.written.end;
                last.value.end = p.value.end;
            }
            _ => merged.push(p),
        }
    }
    merged
}

/// Each character as one space (line breaks kept).
fn blank(text: &str, out: &mut String) {
    out.extend(text.chars().map(|c| match c {
        '\n' | '\r' => c,
        _ => ' ',
    }));
}

/// Each byte as one space (line breaks kept): the same bytes count as the text.
fn blank_bytes(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(c),
            _ => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
        }
    }
}

/// SQLCMD variable names of `width` bytes not in use: a counter in base 36, padded with
/// `_` (`___0`, `___1`, …), so no two holes share one.
struct Names {
    next: u64,
    taken: Vec<String>,
}

impl Names {
    fn name(&mut self, width: usize) -> String {
        loop {
            let mut n = self.next;
            self.next += 1;
            let mut digits = Vec::new();
            loop {
                digits.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize]);
                n /= 36;
                if n == 0 {
                    break;
                }
            }
            let mut name = "_".repeat(width.saturating_sub(digits.len()));
            name.extend(digits.iter().rev().map(|&d| d as char));
            if !self.taken.contains(&name) {
                return name;
            }
        }
    }
}

fn build(shell: &str, query: &str, parts: Vec<Part>, taken: &[&str]) -> Layout {
    let mut taken: Vec<String> = taken.iter().map(|t| t.to_ascii_lowercase()).collect();
    // Variables the query itself uses or sets.
    let lower = query.to_ascii_lowercase();
    for (i, _) in lower.match_indices("$(") {
        let name: String = lower[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
            .collect();
        taken.push(name);
    }
    for line in lower.lines() {
        if let Some(rest) = line.trim_start().strip_prefix(":setvar") {
            taken.extend(rest.split_whitespace().next().map(str::to_string));
        }
    }
    let mut names = Names { next: 0, taken };
    let span = match (parts.first(), parts.last()) {
        (Some(f), Some(l)) => f.written.start..l.written.end,
        _ => 0..0,
    };
    let mut text = String::with_capacity(shell.len());
    let mut display = String::with_capacity(shell.len());
    let mut exact = true;
    let mut vars = Vec::new();
    // (value range, text range) of each piece, to place the secrets.
    let mut map: Vec<(Range<usize>, Range<usize>, bool)> = Vec::new();
    blank(&shell[..span.start], &mut text);
    blank(&shell[..span.start], &mut display);
    for part in &parts {
        let written = &shell[part.written.clone()];
        let at = text.len();
        if !part.hole {
            text.push_str(written);
            display.push_str(written);
            map.push((part.value.clone(), at..text.len(), false));
        } else if part.value.is_empty() {
            blank(written, &mut text);
            blank(written, &mut display);
        } else {
            let head = head(shell, &part.written);
            let width = head.len().max(4);
            let name = names.name(width - 3);
            let use_ = format!("$({name})");
            exact &= use_.len() == head.len();
            text.push_str(&use_);
            map.push((part.value.clone(), at..text.len(), true));
            blank_bytes(&shell[head.end..part.written.end], &mut text);
            display.push_str(written);
            vars.push((name, query[part.value.clone()].to_string()));
        }
    }
    blank(&shell[span.end..], &mut text);
    blank(&shell[span.end..], &mut display);
    let secrets = crate::secrets::find(query)
        .secrets
        .into_iter()
        .map(|s| {
            let start = place(&map, s.range.start, false);
            let end = place(&map, s.range.end, true).max(start);
            Secret {
                range: start..end,
                ..s
            }
        })
        .collect();
    Layout {
        display: (exact && display.len() == text.len()).then_some(display),
        text,
        vars,
        secrets,
    }
}

/// Where an offset of the query as run is in the laid-out text: the same byte of a
/// verbatim piece; the start (or end) of a hole's `$(NAME)`.
fn place(map: &[(Range<usize>, Range<usize>, bool)], offset: usize, is_end: bool) -> usize {
    let found = map.iter().find(|(v, _, _)| {
        if is_end {
            v.start < offset && offset <= v.end
        } else {
            v.start <= offset && offset < v.end
        }
    });
    match found {
        Some((v, t, false)) => t.start + (offset - v.start),
        Some((_, t, true)) => {
            if is_end {
                t.end
            } else {
                t.start
            }
        }
        None => map.last().map_or(0, |(_, t, _)| t.end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lay(shell: &str, dialect: Dialect, query: &str, written: &str) -> Layout {
        let at = shell.find(written).unwrap();
        let range = at..at + written.len();
        layout(shell, dialect, query, std::slice::from_ref(&range), &[])
    }

    #[test]
    fn a_literal_here_string_keeps_every_byte_in_place() {
        let shell = "$x = 1\nInvoke-Sqlcmd -Query @'\nSELECT 1\nGO\n'@\n";
        let l = lay(
            shell,
            Dialect::PowerShell,
            "SELECT 1\nGO",
            "@'\nSELECT 1\nGO\n'@",
        );
        let blanks = " ".repeat("Invoke-Sqlcmd -Query @'".len());
        assert_eq!(l.text, format!("      \n{blanks}\nSELECT 1\nGO\n  \n"));
        assert!(l.vars.is_empty());
        assert_eq!(l.display.as_deref(), Some(l.text.as_str()));
    }

    #[test]
    fn a_variable_becomes_a_use_of_its_width() {
        let shell = "q \"SELECT [$Name], 'a''b'\"";
        let l = lay(
            shell,
            Dialect::PowerShell,
            "SELECT [dag-one], 'a''b'",
            "\"SELECT [$Name], 'a''b'\"",
        );
        assert_eq!(l.text, "   SELECT [$(_0)], 'a''b' ");
        assert_eq!(l.vars, [("_0".to_string(), "dag-one".to_string())]);
        assert_eq!(l.display.unwrap(), "   SELECT [$Name], 'a''b' ");
    }

    #[test]
    fn a_short_variable_takes_its_neighbours() {
        let shell = "\"TCP://h:$p'\"";
        let l = lay(shell, Dialect::PowerShell, "TCP://h:5022'", shell);
        assert_eq!(l.text, " TCP://$(0)' ");
        assert_eq!(l.vars, [("0".to_string(), "h:5022".to_string())]);
    }

    #[test]
    fn concatenation_and_escapes() {
        let shell = "$q = \"SELECT `\"a`\" \" + $t + 'WHERE 1=1'";
        let query = "SELECT \"a\" FROM t WHERE 1=1";
        let l = lay(shell, Dialect::PowerShell, query, &shell[5..]);
        // The escapes' hole takes its neighbours and meets the concatenation's.
        let display = "      SELECT `\"a`\" \" + $t + 'WHERE 1=1 ";
        assert_eq!(l.display.as_deref(), Some(display));
        assert_eq!(l.text, "      SELECT$(_____________0)WHERE 1=1 ");
        assert_eq!(l.vars[0].1, " \"a\" FROM t ");
    }

    #[test]
    fn posix_and_cmd() {
        let sh = "Q=\"SELECT name FROM sys.databases WHERE name = '$DB'\"";
        let l = lay(
            sh,
            Dialect::Posix,
            "SELECT name FROM sys.databases WHERE name = 'Sales'",
            &sh[2..],
        );
        assert_eq!(l.vars[0].1, "'Sales'");
        assert_eq!(l.text.len(), sh.len());
        assert!(l.text.ends_with("name = $(__0)"), "{}", l.text);
        let cmd = "set \"Q=SELECT %DB%\"";
        let l = lay(cmd, Dialect::Cmd, "Q=SELECT Sales", &cmd[4..]);
        assert_eq!(l.text, "     Q=SELECT $(_0)");
    }

    #[test]
    fn unknown_syntax_puts_the_query_at_the_literal() {
        let shell = "abc xyz";
        let l = lay(shell, Dialect::Posix, "SELECT 2", "xyz");
        assert_eq!(l.text, "    $(0)");
        assert_eq!(l.vars[0].1, "SELECT 2");
    }
}
