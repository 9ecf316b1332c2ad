//! From the format-neutral raw shape to [`Params`]: the one place where values
//! are checked, so a mistake reads the same in TOML, YAML and JSON.

use super::error::table_word;
use super::schema::{
    Leaf, RawLink, RawManagedInstance, RawParams, RawSqlServer, Sp, SpanFamily, TableContent,
};
use super::suggest::{closest, one_of};
use super::{
    InitialPrimary, LinkMode, LinkParams, ManagedInstanceParams, Params, ParamsError, ParamsFormat,
    SqlServerParams, Value,
};
use crate::span::{FileId, Span};
use serde::de::DeserializeOwned;
use std::net::{IpAddr, SocketAddr};
use std::ops::Range;

type Result<T> = std::result::Result<T, ParamsError>;

/// The text being read and how to tag its spans.
pub(super) struct Source<'a> {
    pub text: &'a str,
    pub file: FileId,
    pub format: ParamsFormat,
}

impl Source<'_> {
    pub fn span(&self, range: Range<usize>) -> Span {
        Span::new(self.file, range)
    }
}

pub(super) fn params<S: SpanFamily>(raw: RawParams<S>, src: &Source) -> Result<Params> {
    Ok(Params {
        file: src.file,
        sql_server: section::<S, _, _>(raw.sql_server, "sql_server", src, sql_server)?,
        managed_instance: section::<S, _, _>(
            raw.managed_instance,
            "managed_instance",
            src,
            managed_instance,
        )?,
        links: raw
            .link
            .map(|section| links::<S>(section, src))
            .transpose()?
            .unwrap_or_default(),
    })
}

/// A `[sql_server]`-like table, or its defaults (all keys unset) when absent.
fn section<S: SpanFamily, T: TableContent, P: Default>(
    section: Option<Sp<S, Leaf<S, T>>>,
    key: &str,
    src: &Source,
    convert: fn(T, &Source) -> Result<P>,
) -> Result<P> {
    let Some(section) = section else {
        return Ok(P::default());
    };
    let located = located::<S, _>(section, src);
    let (raw, _) = table(located, key, table_word(src.format), src)?;
    convert(raw, src)
}

/// A value and its span in the file.
fn located<S: SpanFamily, T: DeserializeOwned>(spanned: Sp<S, T>, src: &Source) -> (T, Span) {
    let (value, range) = S::split(spanned, src.text);
    (value, src.span(range))
}

/// A value that must be a table: the table and its span, or a type error.
fn table<S: SpanFamily, T: TableContent>(
    (leaf, span): (Leaf<S, T>, Span),
    key: &str,
    expected: &str,
    src: &Source,
) -> Result<(T, Span)> {
    match leaf {
        Leaf::Table(table) => Ok((table, span)),
        other => Err(wrong_type(&node(other, span, src), key, expected, src)),
    }
}

fn sql_server<S: SpanFamily>(raw: RawSqlServer<S>, src: &Source) -> Result<SqlServerParams> {
    Ok(SqlServerParams {
        name: field::<S, _>(raw.name, "sql_server.name", src, text)?,
        fqdn: field::<S, _>(raw.fqdn, "sql_server.fqdn", src, text)?,
        ip: field::<S, _>(raw.ip, "sql_server.ip", src, ip_address)?,
        endpoint_port: field::<S, _>(raw.endpoint_port, "sql_server.endpoint_port", src, port)?,
        version: field::<S, _>(raw.version, "sql_server.version", src, version)?,
    })
}

fn managed_instance<S: SpanFamily>(
    raw: RawManagedInstance<S>,
    src: &Source,
) -> Result<ManagedInstanceParams> {
    Ok(ManagedInstanceParams {
        name: field::<S, _>(raw.name, "managed_instance.name", src, text)?,
        fqdn: field::<S, _>(raw.fqdn, "managed_instance.fqdn", src, text)?,
    })
}

/// `[link]` gives one entry, `[[link]]` (a list of tables) one per table.
fn links<S: SpanFamily>(
    section: Sp<S, Leaf<S, RawLink<S>>>,
    src: &Source,
) -> Result<Vec<LinkParams>> {
    let one_table = table_word(src.format);
    let (entries, expected) = match located::<S, _>(section, src) {
        (Leaf::List(entries), _) => {
            let entries = entries.into_iter().map(|entry| located::<S, _>(entry, src));
            (entries.collect(), one_table.to_owned())
        }
        single => (vec![single], format!("{one_table} or a list of them")),
    };
    entries
        .into_iter()
        .map(|entry| {
            let (raw, span) = table(entry, "link", &expected, src)?;
            link(raw, span, src)
        })
        .collect()
}

/// `start` is where the format locates the entry: a `[[link]]` header, a `{`, or the first key.
fn link<S: SpanFamily>(raw: RawLink<S>, start: Span, src: &Source) -> Result<LinkParams> {
    let databases = field::<S, _>(raw.databases, "link.databases", src, databases)?;
    let (databases, databases_span) = match databases {
        Some((names, span)) => (Some(names), Some(span)),
        None => (None, None),
    };
    let mut entry = LinkParams {
        span: start,
        availability_group: field::<S, _>(
            raw.availability_group,
            "link.availability_group",
            src,
            text,
        )?,
        distributed_availability_group: field::<S, _>(
            raw.distributed_availability_group,
            "link.distributed_availability_group",
            src,
            text,
        )?,
        instance_availability_group: field::<S, _>(
            raw.instance_availability_group,
            "link.instance_availability_group",
            src,
            text,
        )?,
        databases,
        databases_span,
        initial_primary: field::<S, _>(raw.initial_primary, "link.initial_primary", src, choice)?,
        mode: field::<S, _>(raw.mode, "link.mode", src, choice)?,
    };
    entry.span = whole_entry(&entry, src);
    Ok(entry)
}

/// From the entry's start to its last value (and its closing brace, if any).
fn whole_entry(entry: &LinkParams, src: &Source) -> Span {
    let value_spans = [
        entry.availability_group.as_ref().map(|v| v.span),
        entry
            .distributed_availability_group
            .as_ref()
            .map(|v| v.span),
        entry.instance_availability_group.as_ref().map(|v| v.span),
        entry.databases_span,
        entry.initial_primary.as_ref().map(|v| v.span),
        entry.mode.as_ref().map(|v| v.span),
    ];
    let covered = value_spans.into_iter().flatten().fold(entry.span, Span::to);
    through_closer(covered, '}', src)
}

/// Extends a span over the bracket that closes it, when the format's span
/// stopped at the last item (YAML/JSON flow collections are located by their
/// opening bracket only).
fn through_closer(span: Span, closer: char, src: &Source) -> Span {
    let (Some(covered), Some(rest)) =
        (src.text.get(span.range()), src.text.get(span.range().end..))
    else {
        return span;
    };
    if covered.ends_with(closer) {
        return span;
    }
    let after_space = rest.trim_start();
    if !after_space.starts_with(closer) {
        return span;
    }
    let end = span.range().end + (rest.len() - after_space.len()) + closer.len_utf8();
    src.span(span.range().start..end)
}

/// A leaf with its location resolved: no longer tied to a format.
struct Node {
    kind: NodeKind,
    span: Span,
}

enum NodeKind {
    Text(String),
    Integer(i128),
    /// Numbers and booleans other than integers are only ever reported, as written.
    Float,
    Bool,
    Null,
    Table,
    Date,
    List(Vec<Node>),
}

/// Resolves the spans of a value and of the items of a list.
fn node<S: SpanFamily, T: TableContent>(leaf: Leaf<S, T>, span: Span, src: &Source) -> Node {
    let kind = match leaf {
        Leaf::Text(text) => NodeKind::Text(text),
        Leaf::Integer(number) => NodeKind::Integer(number),
        Leaf::Float => NodeKind::Float,
        Leaf::Bool => NodeKind::Bool,
        Leaf::Null => NodeKind::Null,
        Leaf::Table(table) if table.is_date() => NodeKind::Date,
        Leaf::Table(_) => NodeKind::Table,
        Leaf::List(items) => {
            let items: Vec<Node> = items
                .into_iter()
                .map(|item| {
                    let (leaf, span) = located::<S, _>(item, src);
                    node(leaf, span, src)
                })
                .collect();
            let covered = items.iter().map(|item| item.span).fold(span, Span::to);
            return Node {
                kind: NodeKind::List(items),
                span: through_closer(covered, ']', src),
            };
        }
    };
    Node { kind, span }
}

/// Checks one optional value with `check`; `key` is its dotted path, for messages.
fn field<S: SpanFamily, T>(
    leaf: Option<Sp<S, Leaf<S>>>,
    key: &'static str,
    src: &Source,
    check: fn(Node, &str, &Source) -> Result<T>,
) -> Result<Option<T>> {
    leaf.map(|leaf| {
        let (leaf, span) = located::<S, _>(leaf, src);
        check(node(leaf, span, src), key, src)
    })
    .transpose()
}

fn text(node: Node, key: &str, src: &Source) -> Result<Value<String>> {
    text_described(node, key, "a string", src)
}

/// A non-empty string. In YAML an unquoted `2024` is text when text is expected
/// (as a typed YAML reader would take it); TOML and JSON write types explicitly.
fn text_described(node: Node, key: &str, expected: &str, src: &Source) -> Result<Value<String>> {
    let value = match node.kind {
        NodeKind::Text(text) => text,
        NodeKind::Integer(_) | NodeKind::Float | NodeKind::Bool
            if src.format == ParamsFormat::Yaml =>
        {
            source_text(&node, src).to_owned()
        }
        NodeKind::Integer(_) | NodeKind::Float | NodeKind::Bool => {
            return Err(
                wrong_type(&node, key, expected, src).with_help("write the value in double quotes")
            )
        }
        _ => return Err(wrong_type(&node, key, expected, src)),
    };
    if value.trim().is_empty() {
        return Err(
            ParamsError::new(format!("`{key}` is empty"), Some(node.span)).with_help(
                "write the value, or remove the key: the checks that need it are then skipped",
            ),
        );
    }
    Ok(Value {
        value,
        span: node.span,
    })
}

fn integer(node: Node, key: &str, expected: &str, src: &Source) -> Result<(i128, Span)> {
    match &node.kind {
        NodeKind::Integer(number) => Ok((*number, node.span)),
        NodeKind::Text(text) if text.trim().parse::<i128>().is_ok() => {
            Err(wrong_type(&node, key, expected, src).with_help("write the number without quotes"))
        }
        _ => Err(wrong_type(&node, key, expected, src)),
    }
}

fn port(node: Node, key: &str, src: &Source) -> Result<Value<u16>> {
    let (number, span) = integer(node, key, "a TCP port number", src)?;
    match u16::try_from(number) {
        Ok(port) if port != 0 => Ok(Value { value: port, span }),
        _ => Err(ParamsError::new(
            format!("`{key}` must be a TCP port between 1 and 65535, found {number}"),
            Some(span),
        )
        .with_help(
            "the port is the LISTENER_PORT of the database mirroring endpoint, usually 5022",
        )),
    }
}

/// The SQL Server versions that support the link.
const VERSIONS: [(u16, u16); 5] = [(2016, 13), (2017, 14), (2019, 15), (2022, 16), (2025, 17)];

fn version(node: Node, key: &str, src: &Source) -> Result<Value<u16>> {
    let (number, span) = integer(node, key, "a SQL Server version (its release year)", src)?;
    if let Some(&(year, _)) = VERSIONS
        .iter()
        .find(|(year, _)| i128::from(*year) == number)
    {
        return Ok(Value { value: year, span });
    }
    let years: Vec<String> = VERSIONS.iter().map(|(year, _)| year.to_string()).collect();
    Err(ParamsError::new(
        format!(
            "`{key}` must be one of {}, found {number}",
            one_of(&years, "")
        ),
        Some(span),
    )
    .with_optional_help(version_help(number)))
}

/// People often write the major version number (16) instead of the year (2022).
fn version_help(number: i128) -> Option<String> {
    let (year, major) = VERSIONS
        .iter()
        .find(|(_, major)| i128::from(*major) == number)?;
    Some(format!(
        "SQL Server {major}.x is SQL Server {year}: write {year}"
    ))
}

fn ip_address(node: Node, key: &str, src: &Source) -> Result<Value<String>> {
    let address = text(node, key, src)?;
    if address.value.parse::<IpAddr>().is_ok() {
        return Ok(address);
    }
    Err(ParamsError::new(
        format!(
            "`{key}` is not an IPv4 or IPv6 address: \"{}\"",
            address.value
        ),
        Some(address.span),
    )
    .with_optional_help(ip_help(&address.value)))
}

fn ip_help(written: &str) -> Option<String> {
    if written.parse::<SocketAddr>().is_ok() {
        return Some(
            "write only the address here, and the port in `sql_server.endpoint_port`".into(),
        );
    }
    if written.chars().any(|c| c.is_ascii_alphabetic()) && !written.contains(':') {
        return Some("a host name belongs in `sql_server.fqdn`".into());
    }
    None
}

/// The strings an enum-like value accepts.
trait Choice: Copy + 'static {
    const CHOICES: &'static [(&'static str, Self)];
}

impl Choice for InitialPrimary {
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("sql_server", InitialPrimary::SqlServer),
        ("managed_instance", InitialPrimary::ManagedInstance),
    ];
}

impl Choice for LinkMode {
    const CHOICES: &'static [(&'static str, Self)] =
        &[("single", LinkMode::Single), ("multi", LinkMode::Multi)];
}

fn choice<T: Choice>(node: Node, key: &str, src: &Source) -> Result<Value<T>> {
    let written = text(node, key, src)?;
    if let Some(&(_, value)) = T::CHOICES.iter().find(|(name, _)| *name == written.value) {
        return Ok(Value {
            value,
            span: written.span,
        });
    }
    let names: Vec<&str> = T::CHOICES.iter().map(|(name, _)| *name).collect();
    let near = closest(&written.value.replace(['-', ' '], "_"), &names);
    Err(ParamsError::new(
        format!(
            "`{key}` must be {}, found \"{}\"",
            one_of(&names, "\""),
            written.value
        ),
        Some(written.span),
    )
    .with_optional_help(near.map(|name| format!("did you mean \"{name}\"?"))))
}

/// A list of database names, or one name as a one-element list; with the whole value's span.
fn databases(node: Node, key: &str, src: &Source) -> Result<(Vec<Value<String>>, Span)> {
    let span = node.span;
    let names = match node.kind {
        NodeKind::List(items) => items
            .into_iter()
            .map(|item| text_described(item, key, "a list of database names", src))
            .collect::<Result<Vec<_>>>()?,
        _ => vec![text_described(
            node,
            key,
            "a database name or a list of database names",
            src,
        )?],
    };
    if names.is_empty() {
        return Err(
            ParamsError::new(format!("`{key}` is an empty list"), Some(span))
                .with_help("list the databases the link replicates, or remove the key"),
        );
    }
    Ok((names, span))
}

fn wrong_type(node: &Node, key: &str, expected: &str, src: &Source) -> ParamsError {
    ParamsError::new(
        format!("`{key}` must be {expected}, found {}", describe(node, src)),
        Some(node.span),
    )
}

fn describe(node: &Node, src: &Source) -> String {
    match &node.kind {
        NodeKind::Text(text) => format!("the string \"{text}\""),
        NodeKind::Integer(_) | NodeKind::Float => {
            format!("the number {}", source_text(node, src))
        }
        NodeKind::Bool => format!("the true/false value {}", source_text(node, src)),
        NodeKind::Null => "an empty value".into(),
        NodeKind::Table => table_word(src.format).to_owned(),
        NodeKind::Date => format!("the date {}", source_text(node, src)),
        NodeKind::List(_) => "a list".into(),
    }
}

fn source_text<'a>(node: &Node, src: &Source<'a>) -> &'a str {
    src.text.get(node.span.range()).unwrap_or("")
}
