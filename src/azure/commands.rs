//! What the commands of a shell script mean for the link: which cmdlet or `az`
//! command it is, which of its parameters carry the link's names (current names,
//! aliases, old names and PowerShell's unambiguous prefixes), and which scripts
//! `Invoke-Sqlcmd` / `sqlcmd` run on which server.

use super::shell::{Argument, Command, Word};
use super::{
    AzValue, AzureFacts, AzureLink, BrokenContinuation, CommandAction, ContinuationOf, OldName,
    Origin, ScriptRun, TrustCertificate, Unresolved,
};
use crate::span::Span;

/// A link property a parameter sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Instance,
    ResourceGroup,
    PartnerAg,
    InstanceAg,
    Databases,
    PartnerEndpoint,
    Role,
    FailoverMode,
    SeedingMode,
    LinkMode,
    /// Trust certificates: the key itself (not checked).
    PublicKey,
    /// Script runners.
    Server,
    InputFile,
    /// `-Variable "A=b"` / `-v A=b`: SQLCMD variables for the scripts run.
    Variable,
    /// `-Query "…"` / `-Q "…"`: T-SQL given inline.
    Query,
    /// `-ConnectionString "Server=…;…"`: the server, when `-ServerInstance` is not given.
    ConnectionString,
    /// A real parameter that carries nothing to check (listed so prefixes stay unambiguous).
    Ignored,
}

/// One parameter: its names (lower case, without dashes) and, for a removed name, the
/// name that replaced it (as written in the docs).
struct Param {
    names: &'static [&'static str],
    field: Field,
    replaced_by: Option<&'static str>,
}

const fn p(names: &'static [&'static str], field: Field) -> Param {
    Param {
        names,
        field,
        replaced_by: None,
    }
}

const fn old(name: &'static [&'static str], field: Field, new: &'static str) -> Param {
    Param {
        names: name,
        field,
        replaced_by: Some(new),
    }
}

/// How a tool spells its parameters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `-Name`, case-insensitive, any unambiguous prefix.
    PowerShell,
    /// `--name` / `-n`, exact (the Azure CLI and sqlcmd).
    Exact,
}

/// What a recognised command is.
#[derive(Clone, Copy)]
enum Kind {
    Link(CommandAction),
    TrustCertificate,
    Runner,
    /// A link command whose values are not read (`Remove-AzSqlInstanceLink`, `az sql mi
    /// link delete|list`): only its line continuations are checked.
    Other,
}

struct Spec {
    /// Lower-case command words.
    words: &'static [&'static str],
    kind: Kind,
    style: Style,
    params: &'static [Param],
    /// Fields taken by position (PowerShell positional parameters).
    positional: &'static [Field],
    /// The removed-parameter message ("removed in Az.Sql 6.0.0").
    removed_in: &'static str,
}

const PS_LINK: &[Param] = &[
    p(&["resourcegroupname"], Field::ResourceGroup),
    p(&["instancename"], Field::Instance),
    p(&["name", "linkname"], Field::Name),
    p(&["partneravailabilitygroupname"], Field::PartnerAg),
    p(&["instanceavailabilitygroupname"], Field::InstanceAg),
    p(&["database"], Field::Databases),
    p(&["partnerendpoint"], Field::PartnerEndpoint),
    p(&["instancelinkrole"], Field::Role),
    p(&["failovermode"], Field::FailoverMode),
    p(&["seedingmode"], Field::SeedingMode),
    p(&["linkmode"], Field::LinkMode),
    p(
        &[
            "instanceobject",
            "inputobject",
            "resourceid",
            "replicationmode",
            "asjob",
            "defaultprofile",
            "whatif",
            "confirm",
            "failovertype",
            "force",
            "passthru",
            // PowerShell's common parameters.
            "erroraction",
            "warningaction",
            "informationaction",
            "errorvariable",
            "warningvariable",
            "informationvariable",
            "outvariable",
            "outbuffer",
            "pipelinevariable",
            "progressaction",
            "verbose",
            "debug",
        ],
        Field::Ignored,
    ),
    old(
        &["primaryavailabilitygroupname"],
        Field::PartnerAg,
        "-PartnerAvailabilityGroupName",
    ),
    old(
        &["secondaryavailabilitygroupname"],
        Field::InstanceAg,
        "-InstanceAvailabilityGroupName",
    ),
    old(&["targetdatabase"], Field::Databases, "-Database"),
    old(
        &["sourceendpoint"],
        Field::PartnerEndpoint,
        "-PartnerEndpoint",
    ),
];

const AZ_INSTANCE: &[&str] = &[
    "mi",
    "instance-name",
    "managed-instance",
    "managed-instance-name",
];

const AZ_LINK: &[Param] = &[
    p(&["g", "resource-group"], Field::ResourceGroup),
    p(AZ_INSTANCE, Field::Instance),
    p(
        &["n", "link", "name", "distributed-availability-group-name"],
        Field::Name,
    ),
    p(
        &["partner-ag-name", "partner-availability-group-name"],
        Field::PartnerAg,
    ),
    p(
        &["instance-ag-name", "instance-availability-group-name"],
        Field::InstanceAg,
    ),
    p(&["databases"], Field::Databases),
    p(&["partner-endpoint"], Field::PartnerEndpoint),
    p(&["instance-link-role"], Field::Role),
    p(&["failover-mode"], Field::FailoverMode),
    p(&["seeding-mode"], Field::SeedingMode),
    p(&["link-mode"], Field::LinkMode),
    // The Azure CLI's global arguments.
    p(
        &[
            "no-wait",
            "subscription",
            "output",
            "o",
            "query",
            "only-show-errors",
            "debug",
            "verbose",
            "yes",
            "y",
            "ids",
            "replication-mode",
        ],
        Field::Ignored,
    ),
    old(
        &["primary-availability-group-name"],
        Field::PartnerAg,
        "--partner-ag-name",
    ),
    old(
        &["secondary-availability-group-name"],
        Field::InstanceAg,
        "--instance-ag-name",
    ),
    old(&["target-database"], Field::Databases, "--databases"),
    old(
        &["source-endpoint"],
        Field::PartnerEndpoint,
        "--partner-endpoint",
    ),
];

const PS_TRUST: &[Param] = &[
    p(&["resourcegroupname"], Field::ResourceGroup),
    p(&["instancename"], Field::Instance),
    p(&["name", "certificatename"], Field::Name),
    p(&["publickey"], Field::PublicKey),
    p(
        &[
            "instanceobject",
            "asjob",
            "defaultprofile",
            "whatif",
            "confirm",
        ],
        Field::Ignored,
    ),
];

const AZ_TRUST: &[Param] = &[
    p(&["g", "resource-group"], Field::ResourceGroup),
    p(AZ_INSTANCE, Field::Instance),
    p(&["n", "name", "certificate-name"], Field::Name),
    p(&["public-key"], Field::PublicKey),
];

const INVOKE_SQLCMD: &[Param] = &[
    p(&["serverinstance"], Field::Server),
    p(&["connectionstring"], Field::ConnectionString),
    p(&["inputfile"], Field::InputFile),
    p(&["variable"], Field::Variable),
    p(&["query"], Field::Query),
    p(
        &[
            "database",
            "username",
            "password",
            "credential",
            "querytimeout",
            "encrypt",
            "trustservercertificate",
            "hostnameincertificate",
            "outputsqlerrors",
            "disablevariables",
            "disablecommands",
            "abortonerror",
            "includesqlusererrors",
            "verbose",
            "erroraction",
            "connectiontimeout",
            "accesstoken",
            "applicationintent",
            "applicationname",
            "dedicatedadministratorconnection",
            "maxcharlength",
            "maxbinarylength",
            "outputas",
            "severitylevel",
            "statisticsvariable",
            "suppressprovidercontextwarning",
            "ignoreprovidercontext",
            "newpassword",
            "failoverpartner",
            "multisubnetfailover",
            "keepnullandemptyvalues",
        ],
        Field::Ignored,
    ),
];

const INVOKE_DBAQUERY: &[Param] = &[
    p(&["sqlinstance"], Field::Server),
    p(&["file"], Field::InputFile),
    p(&["query"], Field::Query),
    p(
        &[
            "database",
            "sqlcredential",
            "sqlparameter",
            "querytimeout",
            "as",
            "commandtype",
            "appendservername",
            "messagestowarning",
            "enableexception",
            "inputobject",
            "noexec",
            "readonly",
        ],
        Field::Ignored,
    ),
];

/// sqlcmd (ODBC) and go-sqlcmd, whose long flags name the same options.
const SQLCMD: &[Param] = &[
    p(&["S", "server"], Field::Server),
    p(&["i", "input-file"], Field::InputFile),
    p(&["v", "variables"], Field::Variable),
    p(&["Q", "q", "query", "initial-query"], Field::Query),
];

const NO_POSITIONS: &[Field] = &[];
const PS_POSITIONS: &[Field] = &[Field::ResourceGroup, Field::Instance, Field::Name];

const PS_REMOVED: &str = "removed in Az.Sql 6.0.0 (Az 13.0.0)";
const AZ_REMOVED: &str = "removed in Azure CLI 2.67.0";

static SPECS: &[Spec] = &[
    Spec {
        words: &["new-azsqlinstancelink"],
        kind: Kind::Link(CommandAction::Create),
        style: Style::PowerShell,
        params: PS_LINK,
        positional: PS_POSITIONS,
        removed_in: PS_REMOVED,
    },
    Spec {
        words: &["update-azsqlinstancelink"],
        kind: Kind::Link(CommandAction::Update),
        style: Style::PowerShell,
        params: PS_LINK,
        positional: PS_POSITIONS,
        removed_in: PS_REMOVED,
    },
    Spec {
        words: &["get-azsqlinstancelink"],
        kind: Kind::Link(CommandAction::Reference),
        style: Style::PowerShell,
        params: PS_LINK,
        positional: PS_POSITIONS,
        removed_in: PS_REMOVED,
    },
    Spec {
        words: &["start-azsqlinstancelinkfailover"],
        kind: Kind::Link(CommandAction::Reference),
        style: Style::PowerShell,
        params: PS_LINK,
        positional: PS_POSITIONS,
        removed_in: PS_REMOVED,
    },
    Spec {
        words: &["az", "sql", "mi", "link", "create"],
        kind: Kind::Link(CommandAction::Create),
        style: Style::Exact,
        params: AZ_LINK,
        positional: NO_POSITIONS,
        removed_in: AZ_REMOVED,
    },
    Spec {
        words: &["az", "sql", "mi", "link", "update"],
        kind: Kind::Link(CommandAction::Update),
        style: Style::Exact,
        params: AZ_LINK,
        positional: NO_POSITIONS,
        removed_in: AZ_REMOVED,
    },
    Spec {
        words: &["az", "sql", "mi", "link", "show"],
        kind: Kind::Link(CommandAction::Reference),
        style: Style::Exact,
        params: AZ_LINK,
        positional: NO_POSITIONS,
        removed_in: AZ_REMOVED,
    },
    Spec {
        words: &["az", "sql", "mi", "link", "failover"],
        kind: Kind::Link(CommandAction::Reference),
        style: Style::Exact,
        params: AZ_LINK,
        positional: NO_POSITIONS,
        removed_in: AZ_REMOVED,
    },
    Spec {
        words: &["remove-azsqlinstancelink"],
        kind: Kind::Other,
        style: Style::PowerShell,
        params: PS_LINK,
        positional: PS_POSITIONS,
        removed_in: PS_REMOVED,
    },
    Spec {
        words: &["az", "sql", "mi", "link", "delete"],
        kind: Kind::Other,
        style: Style::Exact,
        params: AZ_LINK,
        positional: NO_POSITIONS,
        removed_in: AZ_REMOVED,
    },
    Spec {
        words: &["az", "sql", "mi", "link", "list"],
        kind: Kind::Other,
        style: Style::Exact,
        params: AZ_LINK,
        positional: NO_POSITIONS,
        removed_in: AZ_REMOVED,
    },
    Spec {
        words: &["new-azsqlinstanceservertrustcertificate"],
        kind: Kind::TrustCertificate,
        style: Style::PowerShell,
        params: PS_TRUST,
        positional: PS_POSITIONS,
        removed_in: PS_REMOVED,
    },
    Spec {
        words: &["az", "sql", "mi", "partner-cert", "create"],
        kind: Kind::TrustCertificate,
        style: Style::Exact,
        params: AZ_TRUST,
        positional: NO_POSITIONS,
        removed_in: AZ_REMOVED,
    },
    Spec {
        words: &["invoke-sqlcmd"],
        kind: Kind::Runner,
        style: Style::PowerShell,
        params: INVOKE_SQLCMD,
        // `Invoke-Sqlcmd "SELECT …"`: the query is the first positional parameter.
        positional: &[Field::Query],
        removed_in: "",
    },
    Spec {
        words: &["invoke-dbaquery"],
        kind: Kind::Runner,
        style: Style::PowerShell,
        params: INVOKE_DBAQUERY,
        positional: NO_POSITIONS,
        removed_in: "",
    },
    Spec {
        words: &["sqlcmd"],
        kind: Kind::Runner,
        style: Style::Exact,
        params: SQLCMD,
        positional: NO_POSITIONS,
        removed_in: "",
    },
];

/// The spec whose words start the command (`az sql mi link create --name …`).
fn spec_of(command: &Command) -> Option<&'static Spec> {
    let words: Vec<String> = command
        .name
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            lower
                .strip_suffix(".exe")
                .map(str::to_owned)
                .unwrap_or(lower)
        })
        .collect();
    SPECS.iter().find(|spec| {
        spec.words.len() <= words.len() && spec.words.iter().zip(&words).all(|(a, b)| *a == b)
    })
}

/// The parameter a flag names, honouring PowerShell's unambiguous prefixes.
fn param_of<'s>(spec: &'s Spec, flag: &str) -> Option<&'s Param> {
    // PowerShell also takes en and em dashes (text pasted from a web page).
    let bare = flag.trim_start_matches(['-', '\u{2013}', '\u{2014}']);
    match spec.style {
        Style::Exact => spec.params.iter().find(|p| p.names.contains(&bare)),
        Style::PowerShell => {
            let lower = bare.to_ascii_lowercase();
            let exact = spec
                .params
                .iter()
                .find(|p| p.names.iter().any(|n| n.eq_ignore_ascii_case(&lower)));
            if exact.is_some() {
                return exact;
            }
            let mut prefixed = spec.params.iter().filter(|p| {
                p.names
                    .iter()
                    .any(|n| n.to_ascii_lowercase().starts_with(&lower))
            });
            match (prefixed.next(), prefixed.next()) {
                (Some(only), None) if !lower.is_empty() => Some(only),
                _ => None,
            }
        }
    }
}

/// The Azure-side facts of one shell script (`commands`: its commands, read once).
pub fn facts(commands: &[Command], text: &str) -> AzureFacts {
    let mut out = AzureFacts::default();
    for command in commands {
        let Some(spec) = spec_of(command) else {
            continue;
        };
        let command_name = command.name[..spec.words.len()].join(" ");
        if let Some(broken) = broken_continuation(text, command.span) {
            out.continuations.push(BrokenContinuation {
                command: command_name.clone(),
                kind: match spec.kind {
                    Kind::Link(action) => ContinuationOf::Link(action),
                    Kind::Other => ContinuationOf::OtherLinkCommand,
                    Kind::TrustCertificate => ContinuationOf::TrustCertificate,
                    Kind::Runner => ContinuationOf::Runner,
                },
                head: command.name_span,
                command_span: command.span,
                at: broken,
                cut_off: cut_off(text, broken),
            });
        }
        if matches!(spec.kind, Kind::Other) {
            continue;
        }
        let mut unresolved = Vec::new();
        let values = assign(spec, command, &command_name, text, &mut unresolved);
        if !matches!(spec.kind, Kind::Runner) {
            out.unresolved.append(&mut unresolved);
        }
        match spec.kind {
            Kind::Link(action) => {
                let link = link(
                    spec,
                    action,
                    command,
                    command_name,
                    values,
                    text,
                    &mut out.unresolved,
                );
                out.links.push(link)
            }
            Kind::TrustCertificate => out.trust_certificates.push(TrustCertificate {
                command: command_name,
                span: command.span,
                instance: values.single(Field::Instance),
                name: values.single(Field::Name),
            }),
            Kind::Runner => {
                if let Some(mut run) = runner(command, command_name, values, text) {
                    run.unresolved = unresolved;
                    out.runs.push(run);
                }
            }
            Kind::Other => {}
        }
    }
    out
}

/// (field, flag as written and its span when named, value).
type Entry = (Field, Option<(String, Span)>, Word);

/// The arguments of a command sorted by the field they set.
struct Values {
    entries: Vec<Entry>,
    old_names: Vec<OldName>,
    /// Some arguments could not be read at all (a splat of unknown content).
    unreadable: bool,
    /// `-InstanceObject` / `-InputObject` / `-ResourceId` is given.
    instance_object: bool,
}

impl Values {
    fn words(&self, field: Field) -> impl Iterator<Item = &Word> {
        self.entries
            .iter()
            .filter(move |(f, _, _)| *f == field)
            .map(|(_, _, w)| w)
    }

    /// The last value given for `field`, when it is known (PowerShell: the last one wins).
    fn single(&self, field: Field) -> Option<AzValue> {
        match self.words(field).last()? {
            Word::Known {
                value,
                span,
                defined_at,
            } => Some(AzValue {
                value: value.clone(),
                span: *span,
                defined_at: *defined_at,
            }),
            // `-Name a, b` for a single value: the first item.
            Word::List { items, .. } => items.iter().find_map(|w| match w {
                Word::Known {
                    value,
                    span,
                    defined_at,
                } => Some(AzValue {
                    value: value.clone(),
                    span: *span,
                    defined_at: *defined_at,
                }),
                _ => None,
            }),
            Word::Unknown { .. } => None,
        }
    }
}

/// Sort the arguments into fields; record old names and unresolved values of checked fields.
fn assign(
    spec: &Spec,
    command: &Command,
    command_name: &str,
    text: &str,
    unresolved: &mut Vec<Unresolved>,
) -> Values {
    let mut values = Values {
        entries: Vec::new(),
        old_names: Vec::new(),
        unreadable: false,
        instance_object: false,
    };
    let mut position = 0;
    // The Azure CLI takes several values after a list flag: `--databases db1 db2`.
    let mut last_list_flag: Option<usize> = None;
    for Argument { flag, value } in &command.arguments {
        let field = match flag {
            Some((text, span)) => {
                last_list_flag = None;
                let Some(param) = param_of(spec, text) else {
                    // An unknown parameter may be an alias or a newer one: do not claim
                    // that anything is missing.
                    values.unreadable = true;
                    continue;
                };
                let bare = text.trim_start_matches('-').to_ascii_lowercase();
                if ["instanceobject", "inputobject", "resourceid"]
                    .iter()
                    .any(|o| o.starts_with(&bare) && bare.len() >= 3)
                {
                    values.instance_object = true;
                }
                if let Some(new) = param.replaced_by {
                    values.old_names.push(OldName {
                        span: *span,
                        old: text.clone(),
                        new: new.to_string(),
                        removed_in: spec.removed_in,
                    });
                }
                param.field
            }
            // `@params` whose content is not known: none of its arguments can be checked.
            None if is_unknown_splat(value.as_ref(), text) => {
                values.unreadable = true;
                if let Some(Word::Unknown { span, why }) = value {
                    let written = text.get(span.range()).unwrap_or_default();
                    unresolved.push(Unresolved {
                        span: *span,
                        what: format!("{command_name} {written}"),
                        why: format!("the splatted arguments are not known: {why}"),
                    });
                }
                continue;
            }
            None if last_list_flag.is_some() => {
                if let (Some(i), Some(word)) = (last_list_flag, value) {
                    push_item(&mut values.entries[i].2, word.clone());
                }
                continue;
            }
            None => {
                let field = spec.positional.get(position).copied();
                position += 1;
                match field {
                    Some(f) => f,
                    None => {
                        values.unreadable = true;
                        continue;
                    }
                }
            }
        };
        let Some(word) = value else { continue };
        if field == Field::Ignored || field == Field::PublicKey {
            continue;
        }
        // An input file is matched by the name written (`"$PSScriptRoot\02_ag.sql"`); an
        // unknown SQLCMD variable is left to ML502 in the script.
        let quiet = matches!(field, Field::InputFile | Field::Variable | Field::Query);
        if let (Word::Unknown { span, why }, false) = (word, quiet) {
            let shown = flag
                .as_ref()
                .map_or_else(|| positional_name(field).to_string(), |(t, _)| t.clone());
            unresolved.push(Unresolved {
                span: *span,
                what: format!("{command_name} {shown}"),
                why: why.clone(),
            });
        }
        if spec.style == Style::Exact && field == Field::Databases {
            last_list_flag = Some(values.entries.len());
        }
        if matches!(field, Field::InputFile | Field::Variable) && spec.style == Style::Exact {
            // sqlcmd -i a.sql b.sql, sqlcmd -v A=1 B=2
            last_list_flag = Some(values.entries.len());
        }
        values
            .entries
            .push((field, flag.clone(), own_origin(word.clone(), text)));
    }
    values
}

/// A word's `defined_at` is shown as where its value was set: only right when the word
/// is one variable (`$Dag`, `"${Dag}"`, `%DAG%`); `"TCP://$Host:$Port"` has several.
fn own_origin(word: Word, text: &str) -> Word {
    match word {
        Word::Known {
            value,
            span,
            defined_at,
        } => {
            let written = text.get(span.range()).unwrap_or_default();
            let bare = written.trim_matches(|c| c == '"' || c == '\'');
            let name = |n: &str| {
                !n.is_empty()
                    && n.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == ':')
            };
            let one_variable = bare
                .strip_prefix("${")
                .and_then(|b| b.strip_suffix('}'))
                .or_else(|| bare.strip_prefix('$'))
                .or_else(|| bare.strip_prefix('%').and_then(|b| b.strip_suffix('%')))
                .or_else(|| bare.strip_prefix('!').and_then(|b| b.strip_suffix('!')))
                .is_some_and(name);
            Word::Known {
                value,
                span,
                defined_at: defined_at.filter(|_| one_variable),
            }
        }
        Word::List { items, span } => Word::List {
            items: items.into_iter().map(|w| own_origin(w, text)).collect(),
            span,
        },
        unknown => unknown,
    }
}

fn is_unknown_splat(word: Option<&Word>, text: &str) -> bool {
    matches!(word, Some(Word::Unknown { span, .. })
        if text.get(span.range()).is_some_and(|w| w.starts_with('@')))
}

/// Append `word` to a list value (turning a single word into a list).
fn push_item(list: &mut Word, word: Word) {
    match list {
        Word::List { items, span } => {
            *span = span.to(word.span());
            items.push(word);
        }
        single => {
            let span = single.span().to(word.span());
            let first = std::mem::replace(
                single,
                Word::List {
                    items: Vec::new(),
                    span,
                },
            );
            if let Word::List { items, .. } = single {
                items.push(first);
                items.push(word);
            }
        }
    }
}

fn link(
    spec: &Spec,
    action: CommandAction,
    command: &Command,
    command_name: String,
    values: Values,
    text: &str,
    unresolved: &mut Vec<Unresolved>,
) -> AzureLink {
    let mut link = AzureLink::new(
        Origin::Command {
            command: command_name,
            action,
        },
        command.span,
    );
    link.head = command.name_span;
    link.role_written =
        values.unreadable || values.entries.iter().any(|(f, _, _)| *f == Field::Role);
    link.broken_continuation = broken_continuation(text, command.span);
    if action == CommandAction::Create && !values.unreadable {
        let given = |field: Field| values.entries.iter().any(|(f, _, _)| *f == field);
        link.missing = mandatory(spec.style)
            .iter()
            .filter(|(field, _)| !given(*field))
            .map(|(_, name)| *name)
            .collect();
        // `-InstanceObject $mi` stands for the resource group and the instance.
        if values.instance_object {
            link.missing
                .retain(|m| !matches!(*m, "-ResourceGroupName" | "-InstanceName"));
        }
    }
    link.name = values.single(Field::Name);
    link.instance = values.single(Field::Instance);
    link.resource_group = values.single(Field::ResourceGroup);
    link.partner_ag = values.single(Field::PartnerAg);
    link.instance_ag = values.single(Field::InstanceAg);
    link.partner_endpoint = values.single(Field::PartnerEndpoint);
    link.instance_link_role = values.single(Field::Role);
    link.failover_mode = values.single(Field::FailoverMode);
    link.seeding_mode = values.single(Field::SeedingMode);
    link.link_mode = values.single(Field::LinkMode);
    // A list with a value the script does not give is not compared (ML609 says so).
    if let Some(word) = values
        .words(Field::Databases)
        .last()
        .filter(|w| is_known(w))
    {
        link.databases_span = Some(word.span());
        match spec.style {
            Style::PowerShell => link.databases = Some(database_names(word, text)),
            Style::Exact => match cli_databases(word, text) {
                CliDatabases::Names(names) => link.databases = Some(names),
                CliDatabases::File(file) => link.databases_file = Some(std::sync::Arc::new(file)),
                CliDatabases::Unread { span, why } => unresolved.push(Unresolved {
                    span,
                    what: format!("{} --databases", link_command(&link)),
                    why,
                }),
            },
        }
    }
    link.old_names = values.old_names;
    link
}

/// The parameter a positional argument stands for, as written in PowerShell.
fn positional_name(field: Field) -> &'static str {
    match field {
        Field::ResourceGroup => "-ResourceGroupName",
        Field::Instance => "-InstanceName",
        Field::Name => "-Name",
        _ => "(positional argument)",
    }
}

/// Whether every part of a word is known.
fn is_known(word: &Word) -> bool {
    match word {
        Word::Known { .. } => true,
        Word::Unknown { .. } => false,
        Word::List { items, .. } => items.iter().all(is_known),
    }
}

/// A continuation character (`` ` ``, `\`, `^`) followed only by blanks at the end of the
/// command's last line: the shell ends the command there, and the next line, starting
/// with a parameter, runs as a command of its own.
fn broken_continuation(text: &str, command: Span) -> Option<Span> {
    let end = command.end as usize;
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let line = text[..line_end].trim_end_matches('\r');
    let trimmed = line.trim_end_matches([' ', '\t']);
    let continuation = trimmed.ends_with(['`', '\\', '^']) && trimmed.len() < line.len();
    let next = text[line_end..].trim_start_matches(['\r', '\n']);
    let next_is_parameter = next.trim_start_matches([' ', '\t']).starts_with('-');
    (continuation && next_is_parameter)
        .then(|| Span::new(command.file, trimmed.len() - 1..line.len()))
}

/// The lines a broken continuation cuts off: from the next line, as long as each line
/// ends with a continuation character (the author meant them as one command).
fn cut_off(text: &str, at: Span) -> Span {
    let start = text[at.end as usize..]
        .find('\n')
        .map_or(text.len(), |i| at.end as usize + i + 1);
    let mut end = start;
    let mut pos = start;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..line_end].trim_end_matches(['\r', ' ', '\t']);
        end = pos + line.len();
        if !line.ends_with(['`', '\\', '^']) {
            break;
        }
        pos = line_end + 1;
    }
    Span::new(at.file, start.min(end)..end)
}

/// The parameters a link cannot be created without.
fn mandatory(style: Style) -> &'static [(Field, &'static str)] {
    match style {
        Style::PowerShell => &[
            (Field::ResourceGroup, "-ResourceGroupName"),
            (Field::Instance, "-InstanceName"),
            (Field::Name, "-Name"),
            (Field::PartnerAg, "-PartnerAvailabilityGroupName"),
            (Field::InstanceAg, "-InstanceAvailabilityGroupName"),
            (Field::Databases, "-Database"),
            (Field::PartnerEndpoint, "-PartnerEndpoint"),
        ],
        Style::Exact => &[
            (Field::ResourceGroup, "--resource-group"),
            (Field::Instance, "--mi"),
            (Field::Name, "--name"),
            (Field::PartnerAg, "--partner-ag-name"),
            (Field::InstanceAg, "--instance-ag-name"),
            (Field::Databases, "--databases"),
            (Field::PartnerEndpoint, "--partner-endpoint"),
        ],
    }
}

/// The names in `-Database a, b` (PowerShell: every item is a name), each with its own
/// span where it can be found in the text.
fn database_names(word: &Word, text: &str) -> Vec<AzValue> {
    match word {
        Word::List { items, .. } => items.iter().flat_map(|w| database_names(w, text)).collect(),
        Word::Unknown { .. } => Vec::new(),
        Word::Known {
            value,
            span,
            defined_at,
        } => vec![name_value(value, *span, *defined_at, text)],
    }
}

/// A database name read from a word: it points at the name itself when the literal holds
/// it once; for a variable, the use is the span and the name in the literal its origin.
fn name_value(name: &str, span: Span, defined_at: Option<Span>, text: &str) -> AzValue {
    let home = defined_at.unwrap_or(span);
    let sub = sub_span(text, home, name);
    AzValue {
        value: name.to_string(),
        span: if defined_at.is_some() { span } else { sub },
        defined_at: defined_at.map(|_| sub),
    }
}

fn link_command(link: &AzureLink) -> &str {
    match &link.origin {
        Origin::Command { command, .. } => command,
        Origin::Export(_) => "",
    }
}

/// What `az … --databases` gives.
enum CliDatabases {
    Names(Vec<AzValue>),
    /// `@dbs.json` (or a bare `dbs.json`, which the CLI also reads when it exists).
    File(super::value_file::ValueFile),
    /// Written in a form that is not read: why.
    Unread {
        span: Span,
        why: String,
    },
}

/// The database names of `--databases`, in every form the Azure CLI takes: its shorthand
/// syntax (`"[{database-name:Ledger}]"`, `"['Ledger']"`), JSON, partial values
/// (`[0].database-name=Ledger`), several words (`--databases Ledger Payroll`) and files.
fn cli_databases(word: &Word, text: &str) -> CliDatabases {
    use super::cli_value;
    let words: Vec<&Word> = match word {
        Word::List { items, .. } => items.iter().collect(),
        single => vec![single],
    };
    let mut names: Vec<AzValue> = Vec::new();
    // Partial values set one element each: `[1].database-name=Payroll`.
    let mut indexed: std::collections::BTreeMap<usize, AzValue> = Default::default();
    for w in &words {
        let Word::Known {
            value,
            span,
            defined_at,
        } = w
        else {
            continue;
        };
        let unread = |why: String| CliDatabases::Unread {
            span: *span,
            why: format!("{}: {why}", cli_value::NOT_READ),
        };
        let v = value.trim();
        if let Some(path) = v.strip_prefix('@') {
            if words.len() > 1 {
                return unread("a file among other values".into());
            }
            return CliDatabases::File(super::value_file::ValueFile::new(
                path.to_string(),
                *span,
                *defined_at,
            ));
        }
        let lower = v.to_ascii_lowercase();
        let path_like = [".json", ".yaml", ".yml"]
            .iter()
            .any(|e| lower.ends_with(e))
            && !v.starts_with(['[', '{', '\'', '"']);
        if path_like && words.len() == 1 {
            return CliDatabases::File(super::value_file::ValueFile::new(
                v.to_string(),
                *span,
                *defined_at,
            ));
        }
        if let Some((index, key, raw)) = cli_value::partial(v) {
            let element = match key {
                Some(key) if cli_value::is_database_name_key(&key) => {
                    cli_value::parse(raw).map(|value| match value {
                        cli_value::CliValue::Str(s) => Some(s),
                        _ => None,
                    })
                }
                Some(key) => Err(format!("`[{index}].{key}` is not a database name")),
                None => cli_value::parse(raw).and_then(|e| cli_value::element_name(&e)),
            };
            match element {
                Ok(Some(name)) => {
                    indexed.insert(index, name_value(&name, *span, *defined_at, text));
                }
                Ok(None) => {}
                Err(why) => return unread(why),
            }
            continue;
        }
        match cli_value::parse(v).and_then(|value| cli_value::database_names(&value)) {
            Ok(found) => names.extend(
                found
                    .iter()
                    .map(|name| name_value(name, *span, *defined_at, text)),
            ),
            Err(why) => return unread(why),
        }
    }
    names.extend(indexed.into_values());
    CliDatabases::Names(names)
}

/// The part of `span` that spells `needle`, when it occurs there exactly once.
pub(crate) fn sub_span(text: &str, span: Span, needle: &str) -> Span {
    let Some(slice) = text.get(span.range()) else {
        return span;
    };
    if needle.is_empty() {
        return span;
    }
    let mut found = slice.match_indices(needle);
    match (found.next(), found.next()) {
        (Some((at, _)), None) => {
            let start = span.start as usize + at;
            Span::new(span.file, start..start + needle.len())
        }
        _ => span,
    }
}

fn runner(
    command: &Command,
    command_name: String,
    values: Values,
    text: &str,
) -> Option<ScriptRun> {
    let mut inputs = Vec::new();
    for word in values.words(Field::InputFile) {
        collect_inputs(word, text, &mut inputs);
    }
    let queries: Vec<(String, Span, Option<Span>)> = values
        .words(Field::Query)
        .filter_map(|w| match w {
            Word::Known {
                value,
                span,
                defined_at,
            } => Some((value.clone(), *span, *defined_at)),
            _ => None,
        })
        .collect();
    if inputs.is_empty() && queries.is_empty() {
        return None;
    }
    let mut vars = Vec::new();
    for word in values.words(Field::Variable) {
        collect_vars(word, &mut vars);
    }
    Some(ScriptRun {
        command: command_name,
        span: command.span,
        server: values.single(Field::Server).or_else(|| {
            values
                .single(Field::ConnectionString)
                .and_then(|c| server_of(&c))
        }),
        inputs,
        vars,
        queries,
        unresolved: Vec::new(),
    })
}

/// The `Server=` / `Data Source=` / `Address=` of a connection string.
fn server_of(connection: &AzValue) -> Option<AzValue> {
    connection.value.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        let key = key.trim().to_ascii_lowercase();
        let is_server = matches!(
            key.as_str(),
            "server" | "data source" | "address" | "addr" | "network address"
        );
        is_server.then(|| AzValue {
            value: value.trim().to_string(),
            span: connection.span,
            defined_at: connection.defined_at,
        })
    })
}

/// `NAME=value` words (sqlcmd strips the quotes around the value, as the shell may not).
fn collect_vars(word: &Word, out: &mut Vec<(String, String)>) {
    match word {
        Word::List { items, .. } => items.iter().for_each(|w| collect_vars(w, out)),
        Word::Known { value, .. } => {
            if let Some((name, value)) = value.split_once('=') {
                let name = name.trim();
                let value = value.trim().trim_matches('"');
                if !name.is_empty() && !name.contains(char::is_whitespace) {
                    out.push((name.to_string(), value.to_string()));
                }
            }
        }
        Word::Unknown { .. } => {}
    }
}

/// Input file paths: known values (sqlcmd's `-i a.sql,b.sql` split at commas), else the
/// text as written (`"$PSScriptRoot\02_ag.sql"` still names `02_ag.sql`).
fn collect_inputs(word: &Word, text: &str, out: &mut Vec<(String, Span)>) {
    match word {
        Word::List { items, .. } => items.iter().for_each(|w| collect_inputs(w, text, out)),
        Word::Known { value, span, .. } => {
            for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                out.push((part.to_string(), *span));
            }
        }
        Word::Unknown { span, .. } => {
            let written = text.get(span.range()).unwrap_or_default();
            let written = written.trim_matches(|c| c == '"' || c == '\'');
            if !written.is_empty() {
                out.push((written.to_string(), *span));
            }
        }
    }
}
