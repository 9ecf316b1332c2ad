//! Shared by the Azure rules (ML6xx): which T-SQL link set-up and which parameters
//! entry an Azure link describes, and what each of its values is compared with —
//! the parameters file where it gives the value (the scripts are checked against it
//! by the ML1xx rules already), else the T-SQL.

use crate::analysis::name_checks::{Expectation, NameKind, Source};
use crate::analysis::queries::{has_placeholder, name_spanned, param_str};
use crate::analysis::{Analysis, LinkSetup};
use crate::azure::{AzValue, AzureLink, CommandAction, Origin};
use crate::diagnostic::Diagnostic;
use crate::model::Spanned;
use crate::names::{same, similarity, NameMatch};
use crate::params::LinkParams;

/// How an Azure link is described in messages: "New-AzSqlInstanceLink", "the ARM resource".
pub fn origin_name(link: &AzureLink) -> String {
    match &link.origin {
        Origin::Export(shape) => shape.describe().to_string(),
        Origin::Command { command, .. } => command.clone(),
    }
}

/// Whether the link's values are the ones it is created with (not current roles of an export).
pub fn is_create(link: &AzureLink) -> bool {
    matches!(
        link.origin,
        Origin::Command {
            action: CommandAction::Create,
            ..
        }
    )
}

/// Whether the command only names a link (show, delete, failover) or updates it: only
/// its name and instance say anything about the set-up.
pub fn names_only(link: &AzureLink) -> bool {
    matches!(
        link.origin,
        Origin::Command {
            action: CommandAction::Reference | CommandAction::Update,
            ..
        }
    )
}

/// A finding about an Azure value also shows where a variable got it.
pub fn with_value_origin(d: Diagnostic, value: &AzValue) -> Diagnostic {
    match value.defined_at {
        Some(at) => d.with_label(at, "value set here"),
        None => d,
    }
}

/// The "value set here" label of an expectation.
fn origin_labels(value: &AzValue) -> Vec<(crate::span::Span, String)> {
    value
        .defined_at
        .map(|d| vec![(d, "value set here".to_string())])
        .unwrap_or_default()
}

/// The Azure links to compare: all, except the links of a list export that name no
/// set-up of the scripts and no entry of the parameters file (other links of the
/// managed instance).
pub fn relevant_links(a: &Analysis) -> impl Iterator<Item = &AzureLink> {
    a.azure
        .links
        .iter()
        .filter(|l| setup_of(a, l).is_some() || params_of(a, l).is_some() || !l.in_list)
}

/// The T-SQL link set-up an Azure link describes: the one with its name, AG or a
/// database; else the only one; else the closest by name.
pub fn setup_of<'a>(a: &'a Analysis, link: &AzureLink) -> Option<&'a LinkSetup> {
    if a.links.len() <= 1 && !link.in_list {
        return a.links.first();
    }
    let score = |setup: &LinkSetup| -> (f64, f64) {
        let mut exact = 0.0;
        let mut fuzzy: f64 = 0.0;
        let dag = &a.dag(setup).name.value;
        if let Some(name) = &link.name {
            exact += if same(dag, &name.value) { 4.0 } else { 0.0 };
            fuzzy = fuzzy.max(similarity(dag, &name.value));
        }
        if let (Some(ag), Some(member)) = (&link.partner_ag, a.sql_member(setup)) {
            exact += if same(&member.name.value, &ag.value) {
                2.0
            } else {
                0.0
            };
            fuzzy = fuzzy.max(similarity(&member.name.value, &ag.value));
        }
        if let (Some(dbs), Some(ag)) = (databases_of(a, link), a.ag(setup)) {
            if dbs
                .iter()
                .any(|d| ag.databases.iter().any(|x| same(&x.value, &d.value)))
            {
                exact += 1.0;
            }
        }
        (exact, exact * 10.0 + fuzzy)
    };
    let best = a
        .links
        .iter()
        .map(|s| (s, score(s)))
        .max_by(|(_, x), (_, y)| x.1.partial_cmp(&y.1).unwrap_or(std::cmp::Ordering::Equal))?;
    // A link of a list names its set-up (the other links are other set-ups').
    let (setup, (exact, _)) = best;
    (!link.in_list || exact > 0.0).then_some(setup)
}

/// The parameters entry an Azure link describes (through its set-up, else by name).
pub fn params_of<'a>(a: &'a Analysis, link: &AzureLink) -> Option<&'a LinkParams> {
    let links = &a.params.as_ref()?.links;
    // The export given as the parameters file: the entry made from this very link.
    if let Some(&own) = a.params_by_span.get(&link.span) {
        return links.get(own);
    }
    if let Some(setup) = setup_of(a, link) {
        return a.link_params(setup);
    }
    if links.len() == 1 && !link.in_list {
        return links.first();
    }
    // By the link's name first: a wrong AG must not pair it with another link's entry.
    let named = |entry: &Option<crate::params::Value<String>>, value: &Option<AzValue>| matches!((entry, value), (Some(x), Some(y)) if same(&x.value, &y.value));
    links
        .iter()
        .find(|l| named(&l.distributed_availability_group, &link.name))
        .or_else(|| {
            links
                .iter()
                .find(|l| named(&l.availability_group, &link.partner_ag))
        })
}

pub fn az_spanned(v: &AzValue) -> Spanned<String> {
    Spanned {
        value: v.value.clone(),
        span: v.span,
    }
}

/// What a value is compared with: the parameters' value, else the scripts'. With the
/// parameters' value also the script's name that agrees with it, to show beside it
/// (the DAG an Azure link name must equal, not only the line of params.toml).
fn reference(
    params: Option<Spanned<String>>,
    script: Option<Spanned<String>>,
) -> Option<(Spanned<String>, Source, Option<Spanned<String>>)> {
    match params {
        Some(p) => {
            let agreeing = script
                .filter(|s| crate::names::compare(&s.value, &p.value) != NameMatch::Different);
            Some((p, Source::Params, agreeing))
        }
        None => script.map(|s| (s, Source::Script, None)),
    }
}

/// The name expectations of the Azure side (ML601–ML603, ML607), fed into the shared
/// list so case-only and look-alike differences are reported like any other name.
pub fn expectations(a: &Analysis, list: &mut Vec<Expectation>) {
    let params = a.params.as_ref();
    let mi_name = params.and_then(|p| param_str(&p.managed_instance.name));
    for link in relevant_links(a) {
        let setup = setup_of(a, link);
        let lp = params_of(a, link);
        let origin = origin_name(link);
        let mut push = |kind: NameKind,
                        what: &'static str,
                        object: &'static str,
                        reference_name: &'static str,
                        found: &Option<AzValue>,
                        reference: Option<(Spanned<String>, Source, Option<Spanned<String>>)>,
                        help: &str| {
            let (Some(found), Some((expected, source, agreeing))) = (found, reference) else {
                return;
            };
            // An export given as the parameters file is compared with itself: nothing to say.
            if found.span == expected.span {
                return;
            }
            let mut labels = origin_labels(found);
            if let Some(script) = agreeing.filter(|s| s.span != found.span) {
                labels.push((
                    script.span,
                    format!("{reference_name} is '{}' here", script.value),
                ));
            }
            list.push(Expectation {
                kind,
                what: what.into(),
                object,
                found: az_spanned(found),
                expected,
                source,
                labels,
                help: Some(help.to_string()),
                context: Some(format!("in {origin}")),
                reference: Some(reference_name),
                written_at: found.defined_at,
            });
        };
        push(
            NameKind::AzureLinkName,
            "link name",
            "the link",
            "the DAG",
            &link.name,
            reference(
                lp.and_then(|l| param_str(&l.distributed_availability_group)),
                setup.map(|s| name_spanned(&a.dag(s).name)),
            ),
            "the link's name on Azure is the distributed availability group's name: use the same name in both places",
        );
        let mi_server = setup.and_then(|s| {
            a.mi_member(s)
                .listener_url
                .as_ref()
                .and_then(|u| u.server.clone())
        });
        push(
            NameKind::AzureInstance,
            "managed instance name",
            "the managed instance",
            "the DAG's Server=[…]",
            &link.instance,
            reference(mi_name.clone(), mi_server.clone()),
            "name the managed instance the link's DAG points at (Server=[…] of its URL)",
        );
        if names_only(link) {
            continue;
        }
        push(
            NameKind::AzurePartnerAg,
            "partner availability group",
            "the availability group",
            "SQL Server's availability group",
            &link.partner_ag,
            reference(
                lp.and_then(|l| param_str(&l.availability_group)),
                setup.and_then(|s| a.sql_member(s).map(|m| name_spanned(&m.name))),
            ),
            "the partner availability group is SQL Server's AG, the DAG member without Server=[…]",
        );
        push(
            NameKind::AzureInstanceAg,
            "instance availability group",
            "the availability group",
            "the DAG's managed-instance member",
            &link.instance_ag,
            reference(
                lp.and_then(|l| param_str(&l.instance_availability_group)),
                setup.map(|s| name_spanned(&a.mi_member(s).name)),
            ),
            "the instance availability group is the DAG's managed-instance member (the one with Server=[…])",
        );
    }
    // Databases, each against its counterpart: real differences are ML604's own finding
    // (it also reports missing ones); this feeds the case-only check (ML113).
    for link in relevant_links(a).filter(|l| !names_only(l)) {
        let (Some(found), Some((expected, source))) =
            (databases_of(a, link), reference_databases(a, link))
        else {
            continue;
        };
        for db in &found {
            let Some(counterpart) = expected.iter().find(|e| same(&e.value, &db.value)) else {
                continue;
            };
            if counterpart.span == db.span {
                continue;
            }
            list.push(Expectation {
                kind: NameKind::AzureDatabase,
                what: "database".into(),
                object: "the database",
                found: az_spanned(db),
                expected: counterpart.clone(),
                source,
                labels: origin_labels(db),
                help: None,
                context: Some(format!("in {}", origin_name(link))),
                reference: Some("the link's availability group"),
                written_at: db.defined_at,
            });
        }
    }
    // A managed instance export (`az sql mi show`): its name and FQDN.
    let mi_fqdn = params.and_then(|p| param_str(&p.managed_instance.fqdn));
    // Without parameters, an instance is compared with the scripts' only set-up.
    let dag_mi = match a.links.as_slice() {
        [only] => Some(a.mi_member(only)),
        _ => None,
    };
    for instance in &a.azure.instances {
        let origin = "the managed instance export";
        let found = [
            (
                "managed instance name",
                Some(instance.name.clone()),
                reference(
                    mi_name.clone(),
                    dag_mi.and_then(|m| m.listener_url.as_ref()?.server.clone()),
                ),
                "the DAG's Server=[…]",
            ),
            (
                "managed instance FQDN",
                instance.fqdn.clone(),
                reference(
                    mi_fqdn.clone(),
                    dag_mi.and_then(|m| m.listener_url.as_ref()?.host.clone()),
                ),
                "the DAG's listener URL host",
            ),
        ];
        for (what, value, reference, reference_name) in found {
            let (Some(value), Some((expected, source, agreeing))) = (value, reference) else {
                continue;
            };
            if value.span == expected.span {
                continue;
            }
            let labels = agreeing
                .filter(|s| s.span != value.span)
                .map(|s| vec![(s.span, format!("{reference_name} is '{}' here", s.value))])
                .unwrap_or_default();
            list.push(Expectation {
                kind: NameKind::AzureInstance,
                what: what.into(),
                object: "the managed instance",
                found: az_spanned(&value),
                expected,
                source,
                labels,
                help: Some("check the scripts and the parameters against the managed instance the link is meant for".into()),
                context: Some(format!("in {origin}")),
                reference: Some(reference_name),
                written_at: value.defined_at,
            });
        }
    }
    for cert in &a.azure.trust_certificates {
        let origin = cert.command.clone();
        if let (Some(found), Some(expected)) = (&cert.instance, mi_name.clone()) {
            list.push(Expectation {
                kind: NameKind::AzureInstance,
                what: "managed instance name".into(),
                object: "the managed instance",
                found: az_spanned(found),
                expected,
                source: Source::Params,
                labels: origin_labels(found),
                help: Some(
                    "upload SQL Server's certificate to the managed instance of the link, or the link fails with error 41973".into(),
                ),
                context: Some(format!("in {origin}")),
                reference: None,
                written_at: found.defined_at,
            });
        }
    }
    list.retain(|e| !has_placeholder(&e.found.value));
}

/// The databases an Azure link's list is compared with: the parameters', else the AG's.
pub fn reference_databases(
    a: &Analysis,
    link: &AzureLink,
) -> Option<(Vec<Spanned<String>>, Source)> {
    if let Some(dbs) = params_of(a, link).and_then(|l| l.databases.as_ref()) {
        let list = dbs
            .iter()
            .map(|d| Spanned {
                value: d.value.clone(),
                span: d.span,
            })
            .collect();
        return Some((list, Source::Params));
    }
    let setup = setup_of(a, link)?;
    let (found, _) = crate::analysis::queries::link_databases(a, setup)?;
    Some((found, Source::Script))
}

/// Every name of the Azure side as written (the literal a variable got it from), for
/// the rules that check the text of names (whitespace, look-alikes).
pub fn azure_strings(a: &Analysis) -> Vec<(&str, crate::span::Span, &'static str)> {
    let written = |v: &AzValue| v.defined_at.unwrap_or(v.span);
    let mut values: Vec<&AzValue> = Vec::new();
    for link in relevant_links(a) {
        let names = [
            &link.name,
            &link.instance,
            &link.partner_ag,
            &link.instance_ag,
        ];
        values.extend(names.into_iter().flatten());
        values.extend(link.databases.iter().flatten());
    }

    for cert in &a.azure.trust_certificates {
        values.extend([&cert.instance, &cert.name].into_iter().flatten());
    }
    values
        .into_iter()
        .map(|v| (v.value.as_str(), written(v), "Azure value"))
        .collect()
}

/// The databases an Azure link lists: as written in the command or export, or read from
/// the file `--databases @dbs.json` names (relative to the shell script's folder). `None`
/// when the list is not given or not known.
pub fn databases_of(a: &Analysis, link: &AzureLink) -> Option<Vec<AzValue>> {
    if let Some(dbs) = &link.databases {
        return Some(dbs.clone());
    }
    let file = link.databases_file.as_ref()?;
    let script = &a.files.get(file.span.file).name;
    let names = file.database_names(script).as_ref().ok()?;
    Some(
        names
            .iter()
            .map(|name| AzValue {
                value: name.clone(),
                span: file.span,
                defined_at: file.defined_at,
            })
            .collect(),
    )
}

/// Why the file of `--databases @dbs.json` gives no list (for ML609), if it does not.
pub fn unread_databases_file<'l>(
    a: &Analysis,
    link: &'l AzureLink,
) -> Option<(&'l crate::azure::value_file::ValueFile, String)> {
    let file = link.databases_file.as_ref()?;
    let script = &a.files.get(file.span.file).name;
    match file.database_names(script) {
        Ok(_) => None,
        Err(why) => Some((file.as_ref(), why.clone())),
    }
}
