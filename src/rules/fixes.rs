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
