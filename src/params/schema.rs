//! The shape of a parameters file as serde reads it, shared by every format.
//!
//! TOML (`serde_spanned`) and YAML/JSON (`serde_saphyr`) wrap a value with its
//! location through different protocols, so the structs are generic over a
//! [`SpanFamily`] instead of being written once per format. Values are read as
//! whatever they are ([`Leaf`]) and checked later, in one place, so that type
//! errors read the same in every format.

use serde::de::{
    value::MapAccessDeserializer, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess,
    Visitor,
};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;

/// How a format attaches a location to a deserialized value.
pub(super) trait SpanFamily: Sized + 'static {
    type Spanned<T: DeserializeOwned>: DeserializeOwned;

    /// The value and its byte range in `text`.
    fn split<T: DeserializeOwned>(spanned: Self::Spanned<T>, text: &str) -> (T, Range<usize>);
}

pub(super) type Sp<S, T> = <S as SpanFamily>::Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound = "")]
pub(super) struct RawParams<S: SpanFamily> {
    pub sql_server: Option<Sp<S, Leaf<S, RawSqlServer<S>>>>,
    pub managed_instance: Option<Sp<S, Leaf<S, RawManagedInstance<S>>>>,
    /// One table (`[link]`) or a list of them (`[[link]]`).
    pub link: Option<Sp<S, Leaf<S, RawLink<S>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound = "")]
pub(super) struct RawSqlServer<S: SpanFamily> {
    pub name: Option<Sp<S, Leaf<S>>>,
    pub fqdn: Option<Sp<S, Leaf<S>>>,
    pub ip: Option<Sp<S, Leaf<S>>>,
    pub endpoint_port: Option<Sp<S, Leaf<S>>>,
    pub version: Option<Sp<S, Leaf<S>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound = "")]
pub(super) struct RawManagedInstance<S: SpanFamily> {
    pub name: Option<Sp<S, Leaf<S>>>,
    pub fqdn: Option<Sp<S, Leaf<S>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound = "")]
pub(super) struct RawLink<S: SpanFamily> {
    pub availability_group: Option<Sp<S, Leaf<S>>>,
    pub distributed_availability_group: Option<Sp<S, Leaf<S>>>,
    pub instance_availability_group: Option<Sp<S, Leaf<S>>>,
    pub databases: Option<Sp<S, Leaf<S>>>,
    pub initial_primary: Option<Sp<S, Leaf<S>>>,
    pub mode: Option<Sp<S, Leaf<S>>>,
}

/// The tables of the file, with the keys each accepts (the serde field names above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    Root,
    SqlServer,
    ManagedInstance,
    Link,
}

impl Table {
    pub const ALL: [Table; 4] = [
        Table::Root,
        Table::SqlServer,
        Table::ManagedInstance,
        Table::Link,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Root => "",
            Table::SqlServer => "sql_server",
            Table::ManagedInstance => "managed_instance",
            Table::Link => "link",
        }
    }

    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Table::Root => &["sql_server", "managed_instance", "link"],
            Table::SqlServer => &["name", "fqdn", "ip", "endpoint_port", "version"],
            Table::ManagedInstance => &["name", "fqdn"],
            Table::Link => &[
                "availability_group",
                "distributed_availability_group",
                "instance_availability_group",
                "databases",
                "initial_primary",
                "mode",
            ],
        }
    }

    /// The table whose keys serde listed in an "unknown field" error.
    pub fn with_keys<K: AsRef<str>>(expected: &[K]) -> Option<Table> {
        Table::ALL.into_iter().find(|table| {
            table.keys().len() == expected.len()
                && expected.iter().all(|k| table.keys().contains(&k.as_ref()))
        })
    }
}

/// Any value, as written; what it must be is checked in `convert`. Where a
/// table belongs (`sql_server`, `link`, …) `T` is its typed content; elsewhere
/// a table is [`Opaque`]. Reading sections as leaves too means a section of the
/// wrong kind (`sql_server = 5`) is reported like any other wrong value.
pub(super) enum Leaf<S: SpanFamily, T: TableContent = Opaque> {
    Text(String),
    Integer(i128),
    /// Kind only: messages quote the value from the text.
    Float,
    Bool,
    Null,
    Table(T),
    List(Vec<Sp<S, Leaf<S, T>>>),
}

/// What a table read in a value's place turned out to be, for messages.
pub(super) trait TableContent: DeserializeOwned {
    fn is_date(&self) -> bool {
        false
    }
}

impl<S: SpanFamily> TableContent for RawSqlServer<S> {}
impl<S: SpanFamily> TableContent for RawManagedInstance<S> {}
impl<S: SpanFamily> TableContent for RawLink<S> {}

/// A table where a single value belongs: only its kind is kept.
pub(super) enum Opaque {
    Table,
    /// `toml` hands a date over as a map with one marker key.
    Date,
}

impl TableContent for Opaque {
    fn is_date(&self) -> bool {
        matches!(self, Opaque::Date)
    }
}

/// `toml_datetime`'s private field name (stable since toml 0.4); should it
/// change, a date would merely be described as a table.
const TOML_DATETIME_MARKER: &str = "$__toml_private_datetime";

impl<'de> Deserialize<'de> for Opaque {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(OpaqueVisitor)
    }
}

struct OpaqueVisitor;

impl<'de> Visitor<'de> for OpaqueVisitor {
    type Value = Opaque;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let first_key: Option<String> = map.next_key()?;
        if first_key.is_some() {
            map.next_value::<IgnoredAny>()?;
        }
        // Drained so the parser stays in step; only the kind matters.
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(match first_key.as_deref() {
            Some(TOML_DATETIME_MARKER) => Opaque::Date,
            _ => Opaque::Table,
        })
    }
}

impl<'de, S: SpanFamily, T: TableContent> Deserialize<'de> for Leaf<S, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LeafVisitor(PhantomData))
    }
}

struct LeafVisitor<S, T>(PhantomData<(S, T)>);

impl<'de, S: SpanFamily, T: TableContent> Visitor<'de> for LeafVisitor<S, T> {
    type Value = Leaf<S, T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Leaf::Bool)
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Leaf::Integer(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok(Leaf::Integer(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Leaf::Integer(v.into()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        // Beyond i128 it is out of every range anyway.
        Ok(Leaf::Integer(i128::try_from(v).unwrap_or(i128::MAX)))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Leaf::Float)
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Leaf::Text(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Leaf::Text(v))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Leaf::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Leaf::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Leaf::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Leaf::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Leaf::Table)
    }
}
