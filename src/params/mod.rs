//! The parameters file: what the user expects the link scripts to say.
//!
//! TOML, YAML and JSON share one shape ([`schema`]): each backend only knows how
//! to read its text with spans; the checks and the conversion into [`Params`]
//! live once, in [`convert`]. Every value keeps its byte span in the file so a
//! diagnostic can point into the parameters file as well as into a script.

mod convert;
mod error;
mod json;
mod schema;
pub(crate) mod suggest;
mod toml;
mod yaml;

pub(crate) use json::located as json_error_at;

#[cfg(test)]
mod tests;

use crate::span::{FileId, Span};
use std::path::Path;

/// A value from the parameters file and where it is written.
/// The span of a quoted string includes its quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value<T> {
    pub value: T,
    pub span: Span,
}

/// Which side is primary when the link is created.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InitialPrimary {
    SqlServer,
    ManagedInstance,
}

/// Whether the link replicates one database or several (default single).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum LinkMode {
    #[default]
    Single,
    Multi,
}

impl LinkMode {
    /// Azure's spelling: `SingleDatabase` / `MultiDatabase` (any case).
    pub fn from_azure(text: &str) -> Option<LinkMode> {
        match text.to_ascii_lowercase().as_str() {
            "singledatabase" => Some(LinkMode::Single),
            "multidatabase" => Some(LinkMode::Multi),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SqlServerParams {
    pub name: Option<Value<String>>,
    pub fqdn: Option<Value<String>>,
    pub ip: Option<Value<String>>,
    pub endpoint_port: Option<Value<u16>>,
    pub version: Option<Value<u16>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ManagedInstanceParams {
    pub name: Option<Value<String>>,
    pub fqdn: Option<Value<String>>,
}

/// One `[link]` / `[[link]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkParams {
    /// The whole entry: from its header (or opening brace, or first key) to its last value.
    pub span: Span,
    pub availability_group: Option<Value<String>>,
    pub distributed_availability_group: Option<Value<String>>,
    pub instance_availability_group: Option<Value<String>>,
    pub databases: Option<Vec<Value<String>>>,
    /// The whole array (or the single string when one name is given).
    pub databases_span: Option<Span>,
    pub initial_primary: Option<Value<InitialPrimary>>,
    pub mode: Option<Value<LinkMode>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    pub file: FileId,
    pub sql_server: SqlServerParams,
    pub managed_instance: ManagedInstanceParams,
    /// 0..n entries, whether the file has one `[link]` table or several `[[link]]`.
    pub links: Vec<LinkParams>,
}

impl Params {
    /// No value at all (an empty file, or only comments and empty tables).
    pub fn is_empty(&self) -> bool {
        self.sql_server == SqlServerParams::default()
            && self.managed_instance == ManagedInstanceParams::default()
            && self.links.iter().all(|l| {
                l.availability_group.is_none()
                    && l.distributed_availability_group.is_none()
                    && l.instance_availability_group.is_none()
                    && l.databases.is_none()
                    && l.initial_primary.is_none()
                    && l.mode.is_none()
            })
    }
}

/// Why a parameters file was rejected, with the place to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamsError {
    pub message: String,
    pub span: Option<Span>,
    pub help: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamsFormat {
    Toml,
    Yaml,
    Json,
}

impl ParamsFormat {
    /// `.yaml`/`.yml` → YAML, `.json` → JSON, anything else → TOML (the default format).
    pub fn from_path(path: &Path) -> ParamsFormat {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("yaml" | "yml") => ParamsFormat::Yaml,
            Some("json") => ParamsFormat::Json,
            _ => ParamsFormat::Toml,
        }
    }
}

/// Reads a parameters file. Spans are byte ranges into `text` tagged with `file`.
pub fn parse_params(text: &str, file: FileId, format: ParamsFormat) -> Result<Params, ParamsError> {
    let source = convert::Source { text, file, format };
    match format {
        ParamsFormat::Toml => convert::params(toml::parse(&source)?, &source),
        ParamsFormat::Yaml => convert::params(yaml::parse(&source)?, &source),
        ParamsFormat::Json => {
            // saphyr reads JSON (as YAML 1.2) with spans, but leniently: check strictness first.
            json::check_strict(&source)?;
            convert::params(yaml::parse(&source)?, &source)
        }
    }
}

fn fill<T>(slot: &mut Option<T>, other: Option<T>) {
    if slot.is_none() {
        *slot = other;
    }
}

impl Params {
    /// Take `other`'s values (an Azure export) where this file sets none. Link entries
    /// pair up by DAG or AG name; an entry of `other` that pairs with none is another
    /// link of the managed instance, taken only when this file describes no link.
    pub fn fill_from(&mut self, other: Params) {
        let (s, o) = (&mut self.sql_server, other.sql_server);
        fill(&mut s.name, o.name);
        fill(&mut s.fqdn, o.fqdn);
        fill(&mut s.ip, o.ip);
        fill(&mut s.endpoint_port, o.endpoint_port);
        fill(&mut s.version, o.version);
        let (m, o) = (&mut self.managed_instance, other.managed_instance);
        fill(&mut m.name, o.name);
        fill(&mut m.fqdn, o.fqdn);
        if self.links.is_empty() {
            self.links = other.links;
            return;
        }
        let only_entry = self.links.len() == 1 && other.links.len() == 1;
        for theirs in other.links {
            let same = |a: &Option<Value<String>>, b: &Option<Value<String>>| matches!((a, b), (Some(a), Some(b)) if crate::names::same(&a.value, &b.value));
            let ours = self.links.iter_mut().find(|l| {
                only_entry
                    || same(
                        &l.distributed_availability_group,
                        &theirs.distributed_availability_group,
                    )
                    || same(&l.availability_group, &theirs.availability_group)
            });
            let Some(ours) = ours else {
                continue;
            };
            fill(&mut ours.availability_group, theirs.availability_group);
            fill(
                &mut ours.distributed_availability_group,
                theirs.distributed_availability_group,
            );
            fill(
                &mut ours.instance_availability_group,
                theirs.instance_availability_group,
            );
            if ours.databases.is_none() {
                ours.databases = theirs.databases;
                ours.databases_span = theirs.databases_span;
            }
            fill(&mut ours.mode, theirs.mode);
        }
    }
}
