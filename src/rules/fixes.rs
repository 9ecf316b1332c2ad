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
    let content = if inside.contains('\n') {
        let indent: String = last_line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        format!(",\n{indent}{name} = {value}")
    } else {
        format!(", {name} = {value}")
    };
    let at = list.start as usize + 1 + inside.len();
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
