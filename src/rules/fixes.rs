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
