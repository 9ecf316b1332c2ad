//! Azure link exports (see the module docs of [`crate::azure`]): the JSON that
//! `az sql mi link show/list -o json`, `Get-AzSqlInstanceLink | ConvertTo-Json` or a
//! REST `GET …/distributedAvailabilityGroups/{name}` writes, read as [`AzureLink`]s,
//! plus the managed instance objects (`az sql mi show`, `Get-AzSqlInstance`) that
//! give the MI's FQDN, which a link export lacks.
//!
//! The text is first checked strictly by `serde_json` (syntax errors, recursion
//! limit), then read into a small spanned tree ([`json`]) so that every value
//! keeps its byte range. Keys match ASCII case-insensitively; current and old
//! (API 2021-11-01, Azure CLI < 2.67, Az.Sql ≤ 5) key names are both read, and
//! `null` counts as absent. Old names are not reported as
//! [`crate::azure::OldName`]s: in an export they only show the API version.

mod json;
#[cfg(test)]
mod tests;

use super::{AzValue, AzureLink, ExportShape, Origin};
use crate::params::ParamsError;
use crate::span::{FileId, Span};
use json::{Kind, Member, Node};
use std::ops::Range;

/// A managed instance resource (`az sql mi show`, `Get-AzSqlInstance`, ARM
/// `Microsoft.Sql/managedInstances`): its name and FQDN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceExport {
    pub name: AzValue,
    pub fqdn: Option<AzValue>,
    /// The JSON object.
    pub span: Span,
}

/// What an export file holds: at least one link or one instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub shape: ExportShape,
    pub links: Vec<AzureLink>,
    pub instances: Vec<InstanceExport>,
}

const LINK_TYPE: &str = "Microsoft.Sql/managedInstances/distributedAvailabilityGroups";
const INSTANCE_TYPE: &str = "Microsoft.Sql/managedInstances";

/// Keys only a link has (current and old names); one of them makes an object
/// without `type` a link.
const LINK_KEYS: &[&str] = &[
    "partnerAvailabilityGroupName",
    "instanceAvailabilityGroupName",
    "primaryAvailabilityGroupName",
    "secondaryAvailabilityGroupName",
    "distributedAvailabilityGroupName",
    "distributedAvailabilityGroupId",
    "partnerEndpoint",
    "sourceEndpoint",
    "targetDatabase",
    "instanceLinkRole",
    "partnerLinkRole",
];

/// Keys that make an object without `type` a managed instance.
const INSTANCE_KEYS: &[&str] = &["fullyQualifiedDomainName", "managedInstanceName"];

/// The keys of a milink parameters file's top level.
const PARAMS_ROOT_KEYS: &[&str] = &["sql_server", "managed_instance", "link"];

const EXPORT_HELP: &str =
    "export the link with `az sql mi link show -g <rg> --mi <mi> -n <link> -o json` \
     (or `az sql mi link list … -o json`, or `Get-AzSqlInstanceLink … | ConvertTo-Json -Depth 5`)";

const DEPTH_HELP: &str =
    "ConvertTo-Json writes objects nested deeper than -Depth (default 2) as their type \
     name: run `Get-AzSqlInstanceLink … | ConvertTo-Json -Depth 5`";

/// Cheap content sniff for `--params`: JSON (an object or an array) that is an Azure
/// link or instance export rather than a milink parameters file.
///
/// Scans the text once (no parse): true when a key only an export has
/// (`partnerAvailabilityGroupName`, `targetDatabase`, `fullyQualifiedDomainName`, …)
/// appears, or an `id`/`type` value names `managedInstances`, and the root object
/// has none of the parameters file's keys (`sql_server`, `managed_instance`, `link`).
pub fn looks_like_export(text: &str) -> bool {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if !body.starts_with(['{', '[']) {
        return false;
    }
    let bytes = body.as_bytes();
    let mut depth = 0usize;
    let mut last_key: &str = "";
    let mut export = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i + 1;
                let mut end = start;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                let literal = body.get(start..end.min(bytes.len())).unwrap_or("");
                i = end;
                let mut next = end + 1;
                while matches!(bytes.get(next), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                    next += 1;
                }
                if bytes.get(next) == Some(&b':') {
                    if depth == 1 && is_one_of(literal, PARAMS_ROOT_KEYS) {
                        return false;
                    }
                    export |= is_one_of(literal, LINK_KEYS) || is_one_of(literal, INSTANCE_KEYS);
                    last_key = literal;
                } else if is_one_of(last_key, &["id", "type"])
                    && contains_ignore_case(literal, "managedinstances")
                {
                    export = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    export
}

/// Reads an export. Every value keeps the span of its JSON string (quotes included)
/// or, for a value taken from `id`, of its segment.
pub fn parse(text: &str, file: FileId) -> Result<Export, ParamsError> {
    let ctx = Ctx { text, file };
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if let Err(error) = serde_json::from_str::<serde_json::Value>(&text[start..]) {
        return Err(ctx.syntax_error(&error, start));
    }
    let root = json::parse(text, start).ok_or_else(|| ParamsError {
        message: "could not read this JSON export (internal error: the reader disagrees with \
                  serde_json)"
            .to_owned(),
        span: None,
        help: None,
    })?;
    match &root.kind {
        Kind::Array(items) => ctx.list(items, &root, ExportShape::AzCliList),
        Kind::Object(members) => {
            let object = ctx.object(members, &root)?;
            match ctx.classify(&object)? {
                Class::Link => Ok(Export {
                    shape: object.shape(),
                    links: vec![ctx.link(&object, object.shape())?],
                    instances: Vec::new(),
                }),
                Class::Instance => Ok(Export {
                    shape: object.shape(),
                    links: Vec::new(),
                    instances: vec![ctx.instance(&object)?],
                }),
                Class::Other { ty, range } => Err(ctx.error(
                    format!("this export is a `{ty}` resource, not a managed instance link"),
                    range,
                    EXPORT_HELP,
                )),
                Class::Unknown => match ctx.value(members, "value")? {
                    // A REST list response: `{"value": [...], "nextLink": ...}`.
                    Some(
                        list @ Node {
                            kind: Kind::Array(items),
                            ..
                        },
                    ) => ctx.list(items, list, ExportShape::AzCliList),
                    _ => Err(ctx.no_link(&root, members)),
                },
            }
        }
        other => Err(ctx.error(
            format!(
                "an export must be a JSON object or array, not {}",
                other.describe()
            ),
            root.range.clone(),
            EXPORT_HELP,
        )),
    }
}

/// What an object describes.
enum Class {
    Link,
    Instance,
    /// `type` names another resource type.
    Other {
        ty: String,
        range: Range<usize>,
    },
    /// No `type` and no key that tells.
    Unknown,
}

/// One JSON object of the export, with its `properties` (ARM envelope) if any.
struct Object<'n> {
    top: &'n [Member],
    properties: Option<&'n [Member]>,
    range: Range<usize>,
}

impl Object<'_> {
    /// ARM if there is a `properties` envelope, PowerShell if the keys are PascalCase
    /// (or name `InstanceName` / `ResourceGroupName`), else the flattened CLI object.
    fn shape(&self) -> ExportShape {
        if self.properties.is_some() {
            return ExportShape::Arm;
        }
        let powershell_key = self.top.iter().any(|m| {
            is_one_of(
                &m.key,
                &["InstanceName", "ResourceGroupName", "ManagedInstanceName"],
            )
        });
        let upper = self
            .top
            .iter()
            .filter(|m| m.key.starts_with(|c: char| c.is_ascii_uppercase()))
            .count();
        if powershell_key || upper * 2 > self.top.len() {
            ExportShape::PowerShell
        } else {
            ExportShape::AzCli
        }
    }
}

struct Ctx<'a> {
    text: &'a str,
    file: FileId,
}

impl Ctx<'_> {
    fn span(&self, range: Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    fn error(
        &self,
        message: impl Into<String>,
        range: Range<usize>,
        help: impl Into<String>,
    ) -> ParamsError {
        ParamsError {
            message: message.into(),
            span: Some(self.span(range)),
            help: Some(help.into()),
        }
    }

    /// serde_json's error at its line/column (bytes) in the text after `offset` (the BOM).
    fn syntax_error(&self, error: &serde_json::Error, offset: usize) -> ParamsError {
        let (detail, position) = crate::params::json_error_at(error, &self.text[offset..]);
        ParamsError {
            message: format!("JSON syntax error: {detail}"),
            span: position.map(|p| self.span(p.start + offset..p.end + offset)),
            help: Some(
                "an export must be strict JSON as `az … -o json` or `ConvertTo-Json` writes it: \
                 no comments, no trailing commas, keys and strings in double quotes"
                    .to_owned(),
            ),
        }
    }

    /// The value of the member `key` (case-insensitive; `null` counts as absent).
    /// Two members with that name are an error.
    fn member<'n>(
        &self,
        members: &'n [Member],
        key: &str,
    ) -> Result<Option<&'n Member>, ParamsError> {
        let mut found = members.iter().filter(|m| m.key.eq_ignore_ascii_case(key));
        let first = found.next();
        if let Some(second) = found.next() {
            return Err(self.error(
                format!("duplicate key `{}`", second.key),
                second.key_range.clone(),
                "keys match case-insensitively: keep only one of them",
            ));
        }
        Ok(first.filter(|m| !matches!(m.value.kind, Kind::Null)))
    }

    fn value<'n>(&self, members: &'n [Member], key: &str) -> Result<Option<&'n Node>, ParamsError> {
        Ok(self.member(members, key)?.map(|m| &m.value))
    }

    fn object<'n>(&self, members: &'n [Member], node: &Node) -> Result<Object<'n>, ParamsError> {
        let properties = match self.member(members, "properties")? {
            None => None,
            Some(Member {
                value:
                    Node {
                        kind: Kind::Object(inner),
                        ..
                    },
                ..
            }) => Some(inner.as_slice()),
            Some(m) => return Err(self.wrong_type(m, "an object")),
        };
        Ok(Object {
            top: members,
            properties,
            range: node.range.clone(),
        })
    }

    /// The member `key` in `properties`, else at the top level.
    fn property<'n>(
        &self,
        object: &Object<'n>,
        key: &str,
    ) -> Result<Option<&'n Member>, ParamsError> {
        if let Some(properties) = object.properties {
            if let Some(m) = self.member(properties, key)? {
                return Ok(Some(m));
            }
        }
        self.member(object.top, key)
    }

    fn has_any(&self, object: &Object, keys: &[&str]) -> bool {
        let has = |members: &[Member]| members.iter().any(|m| is_one_of(&m.key, keys));
        has(object.top) || object.properties.is_some_and(has)
    }

    fn classify(&self, object: &Object) -> Result<Class, ParamsError> {
        if let Some(m) = self.member(object.top, "type")? {
            let Kind::Str(ty) = &m.value.kind else {
                return Err(self.wrong_type(m, "a string"));
            };
            return Ok(if ty.eq_ignore_ascii_case(LINK_TYPE) {
                Class::Link
            } else if ty.eq_ignore_ascii_case(INSTANCE_TYPE) {
                Class::Instance
            } else {
                Class::Other {
                    ty: ty.clone(),
                    range: m.value.range.clone(),
                }
            });
        }
        let id = match self.member(object.top, "id")? {
            Some(m) => self.id_parts(m)?,
            None => IdParts::default(),
        };
        Ok(if id.link.is_some() || self.has_any(object, LINK_KEYS) {
            Class::Link
        } else if id.is_instance || self.has_any(object, INSTANCE_KEYS) {
            Class::Instance
        } else {
            Class::Unknown
        })
    }

    /// An array of exports (`az sql mi link list`, several `Get-AzSqlInstanceLink`
    /// objects, a REST `value`): links and instances are read, other objects skipped.
    fn list(&self, items: &[Node], list: &Node, shape: ExportShape) -> Result<Export, ParamsError> {
        let mut links = Vec::new();
        let mut instances = Vec::new();
        let mut powershell = false;
        let mut others: Vec<&str> = Vec::new();
        for item in items {
            let Kind::Object(members) = &item.kind else {
                return Err(self.wrong_type_node(
                    &item.kind,
                    item.range.clone(),
                    "an element of the list",
                    "an object",
                ));
            };
            let object = self.object(members, item)?;
            let item_shape = object.shape();
            let class = self.classify(&object)?;
            if matches!(class, Class::Link | Class::Instance) {
                powershell |= item_shape == ExportShape::PowerShell;
            }
            match class {
                Class::Link => links.push(self.link(&object, item_shape)?),
                Class::Instance => instances.push(self.instance(&object)?),
                Class::Other { .. } | Class::Unknown => {
                    if let Some(Member {
                        value:
                            Node {
                                kind: Kind::Str(ty),
                                ..
                            },
                        ..
                    }) = self.member(members, "type")?
                    {
                        if !others.iter().any(|o| o.eq_ignore_ascii_case(ty)) {
                            others.push(ty);
                        }
                    }
                }
            }
        }
        if links.is_empty() && instances.is_empty() {
            let what = if items.is_empty() {
                "the list is empty".to_owned()
            } else if others.is_empty() {
                format!("none of its {} objects is a link", items.len())
            } else {
                format!(
                    "it lists only {} resources",
                    others
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            return Err(self.error(
                format!("no managed instance link in this export: {what}"),
                list.range.clone(),
                EXPORT_HELP,
            ));
        }
        let shape = if powershell {
            ExportShape::PowerShell
        } else {
            shape
        };
        // Each link says where it comes from as the whole file does.
        for link in &mut links {
            link.origin = Origin::Export(shape);
        }
        Ok(Export {
            shape,
            links,
            instances,
        })
    }

    fn no_link(&self, root: &Node, members: &[Member]) -> ParamsError {
        let help = if members
            .iter()
            .any(|m| is_one_of(&m.key, &["resources", "$schema"]))
        {
            format!("ARM templates are not read: {EXPORT_HELP}")
        } else {
            EXPORT_HELP.to_owned()
        };
        self.error(
            "no managed instance link in this export: expected an object with \
             partnerAvailabilityGroupName, instanceAvailabilityGroupName and databases \
             (az sql mi link show -o json)",
            root.range.clone(),
            help,
        )
    }

    fn link(&self, object: &Object, shape: ExportShape) -> Result<AzureLink, ParamsError> {
        let mut link = AzureLink::new(Origin::Export(shape), self.span(object.range.clone()));
        let id = match self.member(object.top, "id")? {
            Some(m) => self.id_parts(m)?,
            None => IdParts::default(),
        };
        link.name = match self.top_string(object, &["name"])? {
            Some(name) => Some(name),
            None => match id.link {
                Some(name) => Some(name),
                None => self.string(object, &["distributedAvailabilityGroupName"])?,
            },
        };
        link.instance = match id.instance {
            Some(instance) => Some(instance),
            None => self.top_string(object, &["InstanceName"])?,
        };
        link.resource_group = match id.resource_group {
            Some(group) => Some(group),
            None => self.top_string(object, &["resourceGroup", "ResourceGroupName"])?,
        };
        link.partner_ag = self.string(
            object,
            &[
                "partnerAvailabilityGroupName",
                "primaryAvailabilityGroupName",
            ],
        )?;
        link.instance_ag = self.string(
            object,
            &[
                "instanceAvailabilityGroupName",
                "secondaryAvailabilityGroupName",
            ],
        )?;
        link.partner_endpoint = self.string(object, &["partnerEndpoint", "sourceEndpoint"])?;
        link.instance_link_role = self.string(object, &["instanceLinkRole"])?;
        link.failover_mode = self.string(object, &["failoverMode"])?;
        link.seeding_mode = self.string(object, &["seedingMode"])?;
        link.link_mode = self.string(object, &["linkMode"])?;
        if let Some(m) = self.property(object, "databases")? {
            link.databases = Some(self.databases(m)?);
            link.databases_span = Some(self.span(m.value.range.clone()));
        } else if let Some(database) = self.string(object, &["targetDatabase"])? {
            link.databases_span = Some(database.span);
            link.databases = Some(vec![database]);
        }
        Ok(link)
    }

    /// `databases`: objects with `databaseName`, or plain names.
    fn databases(&self, m: &Member) -> Result<Vec<AzValue>, ParamsError> {
        let Kind::Array(items) = &m.value.kind else {
            return Err(self.wrong_type(m, "an array"));
        };
        let mut names = Vec::with_capacity(items.len());
        for item in items {
            match &item.kind {
                Kind::Str(name) if !is_truncated(name) => names.push(self.az_value(name, item)),
                Kind::Object(members) => match self.member(members, "databaseName")? {
                    Some(name) => names.push(self.member_string(name)?),
                    None => {
                        return Err(self.error(
                            format!("an element of `{}` has no `databaseName`", m.key),
                            item.range.clone(),
                            "each database is an object with `databaseName` (or a plain name)",
                        ))
                    }
                },
                other => {
                    return Err(self.wrong_type_node(
                        other,
                        item.range.clone(),
                        &format!("an element of `{}`", m.key),
                        "an object with `databaseName` or a string",
                    ))
                }
            }
        }
        Ok(names)
    }

    fn instance(&self, object: &Object) -> Result<InstanceExport, ParamsError> {
        let id = match self.member(object.top, "id")? {
            Some(m) => self.id_parts(m)?,
            None => IdParts::default(),
        };
        let name = match self.top_string(object, &["name", "ManagedInstanceName"])? {
            Some(name) => name,
            None => id.instance.ok_or_else(|| {
                self.error(
                    "a managed instance without a name",
                    object.range.clone(),
                    "export the instance with `az sql mi show -g <rg> -n <mi> -o json`",
                )
            })?,
        };
        Ok(InstanceExport {
            name,
            fqdn: self.string(object, &["fullyQualifiedDomainName"])?,
            span: self.span(object.range.clone()),
        })
    }

    /// The first of `keys` present (in `properties`, then at the top level), as a string.
    fn string(&self, object: &Object, keys: &[&str]) -> Result<Option<AzValue>, ParamsError> {
        for key in keys {
            if let Some(m) = self.property(object, key)? {
                return self.member_string(m).map(Some);
            }
        }
        Ok(None)
    }

    /// The first of `keys` present at the top level, as a string.
    fn top_string(&self, object: &Object, keys: &[&str]) -> Result<Option<AzValue>, ParamsError> {
        for key in keys {
            if let Some(m) = self.member(object.top, key)? {
                return self.member_string(m).map(Some);
            }
        }
        Ok(None)
    }

    fn member_string(&self, m: &Member) -> Result<AzValue, ParamsError> {
        match &m.value.kind {
            Kind::Str(value) => Ok(self.az_value(value, &m.value)),
            _ => Err(self.wrong_type(m, "a string")),
        }
    }

    fn az_value(&self, value: &str, node: &Node) -> AzValue {
        AzValue {
            value: value.to_owned(),
            span: self.span(node.range.clone()),
            defined_at: None,
        }
    }

    fn wrong_type(&self, m: &Member, expected: &str) -> ParamsError {
        self.wrong_type_node(
            &m.value.kind,
            m.value.range.clone(),
            &format!("`{}`", m.key),
            expected,
        )
    }

    /// A value of the wrong JSON type; a string that is a .NET type name (or
    /// `@{…}`) is an object `ConvertTo-Json` cut at its depth limit.
    fn wrong_type_node(
        &self,
        kind: &Kind,
        range: Range<usize>,
        what: &str,
        expected: &str,
    ) -> ParamsError {
        if let Kind::Str(text) = kind {
            if is_truncated(text) {
                return self.error(
                    format!(
                        "{what} is the text \"{text}\": ConvertTo-Json cut the object at its depth limit"
                    ),
                    range,
                    DEPTH_HELP,
                );
            }
        }
        self.error(
            format!("{what} must be {expected}, not {}", kind.describe()),
            range,
            EXPORT_HELP,
        )
    }

    /// The resource group, instance and link names in an ARM id
    /// (`/subscriptions/…/resourceGroups/<rg>/providers/Microsoft.Sql/managedInstances/<mi>/distributedAvailabilityGroups/<dag>`),
    /// each spanning its segment inside the string literal.
    fn id_parts(&self, m: &Member) -> Result<IdParts, ParamsError> {
        let Kind::Str(_) = &m.value.kind else {
            return Err(self.wrong_type(m, "a string"));
        };
        let range = &m.value.range;
        let inner_start = range.start + 1;
        let Some(inner) = self.text.get(inner_start..range.end.saturating_sub(1)) else {
            return Ok(IdParts::default());
        };
        let mut map = Vec::with_capacity(inner.len() + 1);
        let Some(decoded) = json::decode(inner, Some(&mut map)) else {
            return Ok(IdParts::default());
        };
        let mut segments = Vec::new();
        let mut start = 0;
        for piece in decoded.split('/') {
            segments.push((piece, start..start + piece.len()));
            start += piece.len() + 1;
        }
        let value = |i: usize| -> Option<AzValue> {
            let (piece, range) = segments.get(i)?;
            (!piece.is_empty()).then(|| AzValue {
                value: (*piece).to_owned(),
                span: self.span(inner_start + map[range.start]..inner_start + map[range.end]),
                defined_at: None,
            })
        };
        let after = |name: &str| {
            segments
                .iter()
                .position(|(piece, _)| piece.eq_ignore_ascii_case(name))
                .and_then(|i| value(i + 1))
        };
        let last = segments.len().saturating_sub(1);
        let before_last = |name: &str| {
            last > 0
                && segments[last - 1].0.eq_ignore_ascii_case(name)
                && !segments[last].0.is_empty()
        };
        Ok(IdParts {
            resource_group: after("resourceGroups"),
            instance: after("managedInstances"),
            link: before_last("distributedAvailabilityGroups")
                .then(|| value(last))
                .flatten(),
            is_instance: before_last("managedInstances"),
        })
    }
}

#[derive(Default)]
struct IdParts {
    resource_group: Option<AzValue>,
    instance: Option<AzValue>,
    /// The last segment, when it follows `distributedAvailabilityGroups`.
    link: Option<AzValue>,
    /// The id ends with `managedInstances/<mi>`.
    is_instance: bool,
}

fn is_one_of(key: &str, keys: &[&str]) -> bool {
    keys.iter().any(|k| k.eq_ignore_ascii_case(key))
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// What `ConvertTo-Json` writes for an object beyond its `-Depth`: the .NET type
/// name (`Microsoft.Azure.Management.Sql.Models.…`, ``System.Collections.Generic.List`1[…]``)
/// or, for a PowerShell custom object, `@{Name=…; …}`.
fn is_truncated(text: &str) -> bool {
    let type_name = (text.starts_with("Microsoft.") || text.starts_with("System."))
        && !text.contains(char::is_whitespace);
    type_name || (text.starts_with("@{") && text.ends_with('}'))
}
