//! JSON: checked strictly with serde_json, then read with spans by the YAML
//! backend (YAML 1.2 reads JSON, but would also accept comments, trailing
//! commas and single quotes, which a `.json` file must not contain).

use super::convert::Source;
use super::ParamsError;
use crate::span::LineIndex;
use std::ops::Range;

pub(super) fn check_strict(src: &Source) -> Result<(), ParamsError> {
    // An empty parameters file is valid in every format.
    if src.text.trim().is_empty() {
        return Ok(());
    }
    // Into a Value rather than IgnoredAny: only then do its errors name trailing commas.
    serde_json::from_str::<serde_json::Value>(src.text)
        .map(|_| ())
        .map_err(|error| translate(&error, src))
}

fn translate(error: &serde_json::Error, src: &Source) -> ParamsError {
    let (detail, position) = located(error, src.text);
    ParamsError::syntax(src.format, &detail, position.map(|p| src.span(p))).with_help(
        "a .json parameters file must be strict JSON: no comments, no trailing commas, \
         keys and strings in double quotes",
    )
}

/// A serde_json error as (what, where in `text`): the detail without serde_json's
/// " at line L column C", at the character it names.
pub(crate) fn located(error: &serde_json::Error, text: &str) -> (String, Option<Range<usize>>) {
    let full = error.to_string();
    let detail = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(detail, _)| detail)
        .to_string();
    let position = (error.line() > 0).then(|| {
        let position = char_at(text, error.line(), error.column());
        // serde_json stops at the bracket after a trailing comma; the comma is the mistake.
        match detail.as_str() {
            "trailing comma" => preceding_comma(text, position.start).unwrap_or(position),
            _ => position,
        }
    });
    (detail, position)
}

/// The char at a serde_json position (1-based line, 1-based column counted in
/// bytes); empty at the end of the text.
fn char_at(text: &str, line: usize, column: usize) -> Range<usize> {
    let lines = LineIndex::new(text);
    let line_start = lines
        .line_starts()
        .get(line - 1)
        .map_or(text.len(), |&start| start as usize);
    let mut start = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let width = text[start..].chars().next().map_or(0, char::len_utf8);
    start..start + width
}

fn preceding_comma(text: &str, before: usize) -> Option<Range<usize>> {
    let comma = text[..before].rfind(',')?;
    Some(comma..comma + 1)
}
