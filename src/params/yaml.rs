//! YAML (and JSON, which YAML 1.2 reads): `serde_saphyr` with its own locations.

use super::convert::Source;
use super::schema::{RawParams, SpanFamily};
use super::ParamsError;
use crate::span::LineIndex;
use serde::de::DeserializeOwned;
use serde_saphyr::{Error, Location, MessageFormatter, UserMessageFormatter};
use std::ops::Range;

pub(super) struct YamlSpans;

impl SpanFamily for YamlSpans {
    type Spanned<T: DeserializeOwned> = serde_saphyr::Spanned<T>;

    fn split<T: DeserializeOwned>(spanned: Self::Spanned<T>, text: &str) -> (T, Range<usize>) {
        // `referenced`: where the value is used, which is the same place unless it is an alias.
        (spanned.value, byte_range(spanned.referenced, text))
    }
}

pub(super) fn parse(src: &Source) -> Result<RawParams<YamlSpans>, ParamsError> {
    serde_saphyr::from_str(src.text).map_err(|error| translate(&error, src))
}

/// saphyr gives byte offsets for string input; some syntax errors only have
/// a line and a char column, so fall back to those (one char wide).
fn byte_range(location: Location, text: &str) -> Range<usize> {
    let span = location.span();
    if let (Some(offset), Some(len)) = (span.byte_offset(), span.byte_len()) {
        let start = (offset as usize).min(text.len());
        return start..(start + len as usize).min(text.len());
    }
    let start = LineIndex::new(text).offset_of(text, location.line(), location.column());
    let width = text[start..].chars().next().map_or(0, char::len_utf8);
    start..start + width
}

fn translate(error: &Error, src: &Source) -> ParamsError {
    let span = error
        .location()
        .filter(|location| *location != Location::UNKNOWN)
        .map(|location| src.span(byte_range(location, src.text)));
    match innermost(error) {
        Error::SerdeUnknownField {
            field, expected, ..
        } => ParamsError::unknown_key(field, expected, span, src.format),
        // Every table below the root is read as a value, so only the root can miss its mapping.
        Error::Unexpected {
            expected: "mapping start",
            ..
        } => ParamsError::not_a_table(src.format, span),
        Error::DuplicateMappingKey { key, .. } => {
            ParamsError::duplicate_key(key.as_deref().unwrap_or(""), span)
        }
        other => {
            let detail = UserMessageFormatter.format_message(other);
            ParamsError::syntax(src.format, &detail, span)
        }
    }
}

/// The error itself, without the alias or snippet wrappers saphyr adds around it.
fn innermost(mut error: &Error) -> &Error {
    while let Error::AliasError { error: inner, .. } | Error::WithSnippet { error: inner, .. } =
        error
    {
        error = inner;
    }
    error
}
