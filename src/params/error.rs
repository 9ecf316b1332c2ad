//! The errors every backend reports the same way.

use super::schema::Table;
use super::suggest::{closest, one_of};
use super::{ParamsError, ParamsFormat};
use crate::span::Span;
use std::fmt;

impl ParamsError {
    pub(super) fn new(message: impl Into<String>, span: Option<Span>) -> ParamsError {
        ParamsError {
            message: message.into(),
            span,
            help: None,
        }
    }

    pub(super) fn with_help(mut self, help: impl Into<String>) -> ParamsError {
        self.help = Some(help.into());
        self
    }

    pub(super) fn with_optional_help(mut self, help: Option<String>) -> ParamsError {
        self.help = help;
        self
    }

    /// A key that no table accepts. `expected` is the list serde gave, which names the table.
    pub(super) fn unknown_key<K: AsRef<str>>(
        key: &str,
        expected: &[K],
        span: Option<Span>,
        format: ParamsFormat,
    ) -> ParamsError {
        let Some(table) = Table::with_keys(expected) else {
            return ParamsError::new(format!("unknown key `{key}`"), span);
        };
        let place = match table {
            Table::Root => "at the top level".to_owned(),
            _ => format!("in {}", table_label(table, format)),
        };
        ParamsError::new(format!("unknown key `{key}` {place}"), span)
            .with_help(unknown_key_help(key, table, format))
    }

    pub(super) fn duplicate_key(key: &str, span: Option<Span>) -> ParamsError {
        ParamsError::new(format!("duplicate key `{key}`"), span)
            .with_help("a key may be given only once: remove or rename one of them")
    }

    /// The whole file is a list or a scalar (YAML, JSON).
    pub(super) fn not_a_table(format: ParamsFormat, span: Option<Span>) -> ParamsError {
        let keys = one_of(Table::Root.keys(), "`").replace(" or ", " and ");
        ParamsError::new(
            format!(
                "the parameters file must be {} with the keys {keys}",
                table_word(format)
            ),
            span,
        )
    }

    /// The parser could not read the file at all. (The caller adds which file.)
    pub(super) fn syntax(format: ParamsFormat, detail: &str, span: Option<Span>) -> ParamsError {
        let name = match format {
            ParamsFormat::Toml => "TOML",
            ParamsFormat::Yaml => "YAML",
            ParamsFormat::Json => "JSON",
        };
        // Parser messages can span lines ("invalid string\nexpected `\"`"); keep one line.
        let detail = detail
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        ParamsError::new(format!("{name} syntax error: {detail}"), span)
    }
}

/// How a table is written in the file's own syntax: `[link]` in TOML, `link` elsewhere.
pub(super) fn table_label(table: Table, format: ParamsFormat) -> String {
    match format {
        ParamsFormat::Toml => format!("[{}]", table.name()),
        ParamsFormat::Yaml | ParamsFormat::Json => format!("`{}`", table.name()),
    }
}

/// What a table is called in the file's format, with its article.
pub(super) fn table_word(format: ParamsFormat) -> &'static str {
    match format {
        ParamsFormat::Toml => "a table",
        ParamsFormat::Yaml => "a mapping",
        ParamsFormat::Json => "an object",
    }
}

/// A near miss first, then a key that belongs to another table, then the list of keys.
fn unknown_key_help(key: &str, table: Table, format: ParamsFormat) -> String {
    if let Some(near) = closest(key, table.keys()) {
        return format!("did you mean `{near}`?");
    }
    if let Some(owner) = Table::ALL
        .into_iter()
        .find(|other| *other != Table::Root && other.keys().contains(&key))
    {
        return format!("`{key}` belongs in {}", table_label(owner, format));
    }
    format!("the keys allowed here are {}", one_of(table.keys(), "`"))
}

impl fmt::Display for ParamsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParamsError {}
