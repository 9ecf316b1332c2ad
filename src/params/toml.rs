//! TOML: `toml` with `serde_spanned` locations.

use super::convert::Source;
use super::schema::{RawParams, SpanFamily};
use super::ParamsError;
use serde::de::DeserializeOwned;
use std::ops::Range;

pub(super) struct TomlSpans;

impl SpanFamily for TomlSpans {
    type Spanned<T: DeserializeOwned> = serde_spanned::Spanned<T>;

    fn split<T: DeserializeOwned>(spanned: Self::Spanned<T>, _text: &str) -> (T, Range<usize>) {
        let range = spanned.span();
        (spanned.into_inner(), range)
    }
}

pub(super) fn parse(src: &Source) -> Result<RawParams<TomlSpans>, ParamsError> {
    toml::from_str(src.text).map_err(|error| translate(&error, src))
}

fn translate(error: &toml::de::Error, src: &Source) -> ParamsError {
    let span = error.span().map(|range| src.span(range));
    let message = error.message();
    if let Some((key, expected)) = unknown_field(message) {
        return ParamsError::unknown_key(&key, &expected, span, src.format);
    }
    if message == "duplicate key" {
        let key = span.and_then(|s| src.text.get(s.range())).unwrap_or("");
        return ParamsError::duplicate_key(key.trim_matches(['"', '\'']), span);
    }
    ParamsError::syntax(src.format, message, span)
}

/// The key and the accepted keys from serde's
/// "unknown field `x`, expected one of `a`, `b`" (toml keeps serde's wording).
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    if !message.starts_with("unknown field `") {
        return None;
    }
    let mut quoted = message.split('`').skip(1).step_by(2).map(str::to_owned);
    let key = quoted.next()?;
    Some((key, quoted.collect()))
}
