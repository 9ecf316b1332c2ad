//! Fixes shared by several rules: one keyword value written in place of another.

use crate::analysis::Analysis;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::span::Span;

/// Replace the option value at `span` (`SEEDING_MODE = MANUAL` → `AUTOMATIC`) when it is
/// written there as a bare keyword: a value that comes from a `$(var)` or a placeholder
/// is left to the user. The new keyword takes the letter case of the old one.
pub fn keyword(a: &Analysis, span: Span, new: &str) -> Option<Fix> {
    let written = a.files.slice(span);
    let bare = !written.is_empty()
        && written
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !bare || written.eq_ignore_ascii_case(new) {
        return None;
    }
    let lower = written.chars().all(|c| !c.is_ascii_uppercase());
    let content = if lower {
        new.to_ascii_lowercase()
    } else {
        new.to_ascii_uppercase()
    };
    Some(Fix {
        applicability: Applicability::Safe,
        message: format!("write {}", new.to_ascii_uppercase()),
        edits: vec![Edit { span, content }],
    })
}

/// Add `NAME = VALUE` as the last option of the `( … )` list at `list` (a replica's `WITH
/// (…)`): after the last option, on a line of its own with the last option's indent when
/// the list spans lines. None when the list is not written there as is, or a comment
/// ends it (the option would land in the comment).
pub fn add_option(a: &Analysis, list: Span, name: &str, value: &str) -> Option<Fix> {
    let text = &a.files.get(list.file).text;
    let written = text.get(list.range())?;
    if !written.starts_with('(') || !written.ends_with(')') {
        return None;
    }
    let inside = written[1..written.len() - 1].trim_end();
    let last_line = inside.rsplit('\n').next().unwrap_or(inside);
    if inside.is_empty() || last_line.contains("--") || inside.ends_with("*/") {
        return None;
    }
    let at = list.start as usize + 1 + inside.len();
    let content = if inside.contains('\n') {
        let indent: String = last_line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        // The file's own line break: CRLF stays CRLF.
        let line_break = line_break(text, list.start as usize);
        format!(",{line_break}{indent}{name} = {value}")
    } else {
        format!(", {name} = {value}")
    };
    Some(Fix {
        applicability: Applicability::Safe,
        message: format!("add {name} = {value}"),
        edits: vec![Edit {
            span: Span::new(list.file, at..at),
            content,
        }],
    })
}

/// Write `port` where a URL's port is written (`:5023` → `:5022`), when the digits are
/// there as is (not from a variable).
pub fn port(a: &Analysis, span: Span, port: u16) -> Option<Fix> {
    let written = a.files.slice(span);
    if written.is_empty() || !written.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Fix {
        applicability: Applicability::Safe,
        message: format!("use port {port}"),
        edits: vec![Edit {
            span,
            content: port.to_string(),
        }],
    })
}

/// Statement `index` is written in its file as it runs: not assembled by dynamic SQL
/// (whose spans point at the EXEC's string), not read from another file, and not
/// starting with a `$(var)` or a placeholder.
pub fn written_as_is(a: &Analysis, index: usize) -> bool {
    let s = &a.statements[index];
    !s.dynamic
        && s.span.file == s.file
        && a.files
            .slice(s.span)
            .starts_with(|c: char| c.is_ascii_alphabetic())
}

/// The statement starts and ends of `file`, as the splitter found them (see
/// [`crate::extract::StatementBounds`]).
pub fn bounds(a: &Analysis, file: crate::span::FileId) -> Option<&crate::extract::StatementBounds> {
    a.scripts
        .iter()
        .find(|s| s.file == file)
        .map(|s| &s.facts.bounds)
}

/// Where statement `index` ends in its file: after its last token, its closing `;`
/// included. None when it is not [`written_as_is`].
pub fn statement_end(a: &Analysis, index: usize) -> Option<usize> {
    if !written_as_is(a, index) {
        return None;
    }
    let span = a.statements[index].span;
    bounds(a, span.file)?
        .ends
        .iter()
        .copied()
        .filter(|&end| end >= span.end as usize)
        .min()
}

/// The line break of the line that holds `at` (`\r\n` or `\n`); at the end of a last
/// line without one, the file's.
pub fn line_break(text: &str, at: usize) -> &'static str {
    let crlf = match text[at..].find('\n') {
        Some(n) => text[..at + n].ends_with('\r'),
        None => text.contains("\r\n"),
    };
    if crlf {
        "\r\n"
    } else {
        "\n"
    }
}

/// The spaces and tabs that start the line holding `at`.
pub fn indent_at(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Farthest a place is read back from (to its batch's start, see [`context`]): a longer
/// batch gets no fix rather than a slow one.
const WINDOW: usize = 4 << 20;

/// What a byte offset of a T-SQL script lies inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Code,
    /// A `'…'` literal (dynamic SQL too).
    Literal,
    /// A `[…]` name.
    Bracket,
    /// A `"…"` name.
    Quoted,
    Comment,
}

/// What `at` lies inside, read from the start of its batch (the last `GO` line before
/// it, or the file's start): `'…'` (with `''` inside), `[…]` (with `]]`), `"…"`, a
/// comment, or code. None when the batch starts more than [`WINDOW`] before. A fix
/// writes a name as its place needs it: quotes doubled in a literal, brackets in code.
pub fn context(text: &str, at: usize) -> Option<Context> {
    let start = batch_start(text, at)?;
    let bytes = &text.as_bytes()[start..at];
    let mut i = 0;
    while i < bytes.len() {
        let (open, close, inside) = match (bytes[i], bytes.get(i + 1)) {
            (b'\'', _) => (1, b"'".as_slice(), Context::Literal),
            (b'-', Some(b'-')) => (2, b"\n".as_slice(), Context::Comment),
            (b'/', Some(b'*')) => (2, b"*/".as_slice(), Context::Comment),
            (b'[', _) => (1, b"]".as_slice(), Context::Bracket),
            (b'"', _) => (1, b"\"".as_slice(), Context::Quoted),
            _ => {
                i += 1;
                continue;
            }
        };
        let mut from = i + open;
        loop {
            let Some(end) = memchr::memmem::find(&bytes[from..], close) else {
                return Some(inside);
            };
            let after = from + end + close.len();
            // `''`, `]]` and `""` stand for one character inside.
            let doubled = close.len() == 1
                && inside != Context::Comment
                && bytes.get(after) == Some(&close[0]);
            if doubled {
                from = after + 1;
                continue;
            }
            i = after;
            break;
        }
    }
    Some(Context::Code)
}

/// The offset after the last `GO` line before `at` (0 when none); None past [`WINDOW`].
fn batch_start(text: &str, at: usize) -> Option<usize> {
    let mut end = at;
    while let Some(nl) = text[..end].rfind('\n') {
        if at - nl > WINDOW {
            return None;
        }
        let line_start = text[..nl].rfind('\n').map_or(0, |i| i + 1);
        if crate::sqlcmd::is_go_line(&text[line_start..nl]) {
            return Some(nl + 1);
        }
        end = line_start;
        if line_start == 0 {
            break;
        }
    }
    (at <= WINDOW).then_some(0)
}

#[cfg(test)]
mod tests {
    use super::{context, Context};

    #[test]
    fn a_place_is_read_from_the_start_of_its_batch() {
        let text = "SELECT 'a\n<X>' -- it's\nGO\nSELECT [it's] /* ' */, \"'\", '' <Y>\nSELECT 'don''t <Z>', [a]]<W>], /*/ <V> */ \"q\"\"<U>\"";
        let at = |p: &str| text.find(p).unwrap();
        assert_eq!(context(text, at("<X>")), Some(Context::Literal));
        assert_eq!(context(text, at("<Y>")), Some(Context::Code));
        assert_eq!(context(text, at("<Z>")), Some(Context::Literal));
        assert_eq!(context(text, at("<W>")), Some(Context::Bracket));
        assert_eq!(context(text, at("<V>")), Some(Context::Comment));
        assert_eq!(context(text, at("<U>")), Some(Context::Quoted));
        // A line that starts with a wide character is no GO, and no panic; `GO 2` is one.
        let wide = "日本\nSELECT '<X>'";
        assert_eq!(
            context(wide, wide.find('<').unwrap()),
            Some(Context::Literal)
        );
        let counted = "SELECT 'a\nGO 2\nSELECT <X>";
        assert_eq!(
            context(counted, counted.find('<').unwrap()),
            Some(Context::Code)
        );
    }
}
