//! Name expectations: every place where a name in the scripts must equal a value in
//! the parameters file (or another name in the scripts). One list feeds the
//! mismatch rules (which report real differences) and ML113 (case-only
//! differences); whitespace and look-alike differences are left to ML114/ML115,
//! which point at the exact character.

use crate::analysis::queries::{has_placeholder, link_databases, name_spanned, param_str};
use crate::analysis::Analysis;
use crate::model::{AlterAgAction, Spanned, StatementKind};
use crate::names::{compare, NameMatch};

/// Where the expected value of a name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The parameters file.
    Params,
    /// An Azure export (given with `--azure`, or as the parameters file).
    Export,
    /// Another statement of the scripts.
    Script,
}

impl Source {
    /// How messages name a value's source: "the parameters file", "the Azure export".
    pub fn noun(self) -> &'static str {
        match self {
            Source::Params => "the parameters file",
            Source::Export => "the Azure export",
            Source::Script => "the scripts",
        }
    }
}

/// Which name must equal which: one kind per place the link compares names. The
/// mismatch rules (ML101–ML112, ML601–ML607) each report their own kinds; the
/// case, whitespace and look-alike rules report every kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// The DAG's name against the parameters' `distributed_availability_group`.
    DagName,
    /// The DAG's SQL Server member against the parameters' `availability_group`.
    SqlMemberAg,
    /// The created availability group against the parameters' `availability_group`.
    AgName,
    /// The DAG's SQL Server member against the availability group it names.
    DagMemberAg,
    /// The AG's replica server against the parameters' SQL Server name.
    ReplicaServer,
    /// The DAG's managed-instance member against `instance_availability_group`.
    MiMember,
    /// `Server=[…]` of the managed instance URL against the instance's name.
    MiServerName,
    /// The managed instance URL host against its FQDN.
    MiHost,
    /// A database of the link against the parameters'.
    Database,
    /// The imported managed-instance certificate against the instance's FQDN.
    MiCertificate,
    /// An endpoint's certificate against the certificate created for it.
    EndpointCertificate,
    /// A member of ALTER AVAILABILITY GROUP … MODIFY/JOIN against the DAG's.
    AlterMember,
    /// An Azure link's name against the DAG's.
    AzureLinkName,
    /// An Azure value naming the managed instance against the scripts' or parameters'.
    AzureInstance,
    /// An Azure link's partner AG against SQL Server's AG.
    AzurePartnerAg,
    /// An Azure link's instance AG against the DAG's managed-instance member.
    AzureInstanceAg,
    /// A database of an Azure link against the link's.
    AzureDatabase,
}

#[derive(Debug, Clone)]
pub struct Expectation {
    /// Which name this is: each mismatch rule reports the kinds it owns.
    pub kind: NameKind,
    /// What the name is, for messages ("distributed availability group name").
    pub what: std::borrow::Cow<'static, str>,
    /// Short noun for help texts ("the DAG").
    pub object: &'static str,
    pub found: Spanned<String>,
    pub expected: Spanned<String>,
    pub source: Source,
    /// More places to show (where a shell variable got its value).
    pub labels: Vec<(crate::span::Span, String)>,
    /// Replaces the generic help of a mismatch.
    pub help: Option<String>,
    /// Where the found name is written, after it in messages ("in New-AzSqlInstanceLink").
    pub context: Option<String>,
    /// What the expected name is, for a script source ("the DAG").
    pub reference: Option<&'static str>,
    /// For a value a shell variable holds: the literal it was assigned (`$DagName =
    /// "dag-x"`), where a fix writes the new name instead of at the variable's use.
    pub written_at: Option<crate::span::Span>,
}

impl Expectation {
    pub fn outcome(&self) -> NameMatch {
        compare(&self.found.value, &self.expected.value)
    }
}

/// Record that `found` must equal `expected` (when there is an expected value).
fn push(
    list: &mut Vec<Expectation>,
    kind: NameKind,
    what: &'static str,
    object: &'static str,
    found: Spanned<String>,
    expected: Option<Spanned<String>>,
    source: Source,
) {
    if let Some(expected) = expected {
        list.push(Expectation {
            kind,
            what: what.into(),
            object,
            found,
            expected,
            source,
            labels: Vec::new(),
            help: None,
            context: None,
            reference: None,
            written_at: None,
        });
    }
}

/// A DAG member named otherwise than the parameters say: show where a later ALTER (a
/// failover script) names it as the parameters do, instead of a finding of its own
/// (ML112 stays silent there).
fn show_altered_members(
    a: &Analysis,
    link: &crate::analysis::LinkSetup,
    e: Option<&mut Expectation>,
) {
    let Some(e) = e.filter(|e| {
        e.found.span == a.mi_member(link).name.span
            || a.sql_member(link)
                .is_some_and(|m| m.name.span == e.found.span)
    }) else {
        return;
    };
    if e.outcome() != NameMatch::Different {
        return;
    }
    let source = match e.source {
        Source::Params => a.expected_source(e.expected.span),
        other => other,
    }
    .noun();
    for m in crate::analysis::queries::altered_members(a, link) {
        if compare(&m.name.value, &e.expected.value) != NameMatch::Different {
            e.labels.push((
                m.name.span,
                format!("'{}' here, as in {source}", m.name.value),
            ));
        }
    }
    // The SQL Server member names no AG, and the set-up creates the AG the parameters
    // name (ML103 stays silent).
    let is_sql_member = a
        .sql_member(link)
        .is_some_and(|m| m.name.span == e.found.span);
    if is_sql_member && a.ag(link).is_none() {
        let created = crate::analysis::queries::setup_availability_groups(a, link)
            .into_iter()
            .filter(|ag| compare(&ag.name.value, &e.expected.value) != NameMatch::Different)
            // The one in the member's own script first.
            .min_by_key(|ag| ag.name.span.file != e.found.span.file);
        if let Some(ag) = created {
            e.labels.push((
                ag.name.span,
                format!(
                    "the availability group is created as '{}' here",
                    ag.name.value
                ),
            ));
        }
    }
}

/// All name expectations of all link set-ups (use [`Analysis::name_checks`]: computed once).
pub(super) fn all(a: &Analysis) -> Vec<Expectation> {
    let mut list = Vec::new();
    let params = a.params.as_ref();
    let server_name = params.and_then(|p| param_str(&p.sql_server.name));
    let mi_name = params.and_then(|p| param_str(&p.managed_instance.name));
    let mi_fqdn = params.and_then(|p| param_str(&p.managed_instance.fqdn));
    for link in &a.links {
        let lp = a.link_params(link);
        let dag = a.dag(link);
        push(
            &mut list,
            NameKind::DagName,
            "distributed availability group name",
            "the DAG",
            name_spanned(&dag.name),
            lp.and_then(|l| param_str(&l.distributed_availability_group)),
            Source::Params,
        );
        let expected_ag = lp.and_then(|l| param_str(&l.availability_group));
        if let Some(member) = a.sql_member(link) {
            push(
                &mut list,
                NameKind::SqlMemberAg,
                "SQL Server availability group name in the DAG",
                "the DAG member",
                name_spanned(&member.name),
                expected_ag.clone(),
                Source::Params,
            );
            show_altered_members(a, link, list.last_mut());
        }
        if let Some(ag) = a.ag(link) {
            push(
                &mut list,
                NameKind::AgName,
                "availability group name",
                "the availability group",
                name_spanned(&ag.name),
                expected_ag.clone(),
                Source::Params,
            );
            if let Some(member) = a.sql_member(link) {
                push(
                    &mut list,
                    NameKind::DagMemberAg,
                    "DAG member name",
                    "the DAG member",
                    name_spanned(&member.name),
                    Some(name_spanned(&ag.name)),
                    Source::Script,
                );
            }
            let replica = a.local_replica(link);
            if let Some(replica) = replica {
                push(
                    &mut list,
                    NameKind::ReplicaServer,
                    "replica server name",
                    "the replica",
                    name_spanned(&replica.server),
                    server_name.clone(),
                    Source::Params,
                );
            }
        }
        let mi = a.mi_member(link);
        push(
            &mut list,
            NameKind::MiMember,
            "managed instance member name in the DAG",
            "the DAG member",
            name_spanned(&mi.name),
            lp.and_then(|l| param_str(&l.instance_availability_group)),
            Source::Params,
        );
        show_altered_members(a, link, list.last_mut());
        if let Some(url) = &mi.listener_url {
            if let Some(server) = &url.server {
                push(
                    &mut list,
                    NameKind::MiServerName,
                    "managed instance name in Server=[…]",
                    "Server=[…]",
                    server.clone(),
                    mi_name.clone(),
                    Source::Params,
                );
            }
            if let Some(host) = &url.host {
                push(
                    &mut list,
                    NameKind::MiHost,
                    "managed instance host in the listener URL",
                    "the host",
                    host.clone(),
                    mi_fqdn.clone(),
                    Source::Params,
                );
            }
        }
        // Databases: each one of the scripts against its counterpart in the parameters
        // (real differences are ML105's own finding, which also reports missing ones).
        let expected_dbs = lp.and_then(|l| l.databases.as_ref());
        if let (Some((found, _)), Some(expected)) = (link_databases(a, link), expected_dbs) {
            for db in found {
                let counterpart = expected
                    .iter()
                    .find(|e| compare(&db.value, &e.value) != NameMatch::Different);
                if let Some(e) = counterpart {
                    let e = Spanned {
                        value: e.value.clone(),
                        span: e.span,
                    };
                    push(
                        &mut list,
                        NameKind::Database,
                        "database name",
                        "the database",
                        db,
                        Some(e),
                        Source::Params,
                    );
                }
            }
        }
    }
    // The imported managed-instance certificate against the FQDN it is named after.
    let fqdns = crate::analysis::queries::expected_fqdns(a);
    // Without the parameters' FQDN the expected name is a URL host, whose letter case
    // says nothing (DNS names are case-insensitive): a case-only difference is none.
    let from_url_host = params
        .and_then(|p| p.managed_instance.fqdn.as_ref())
        .is_none();
    for cert in crate::analysis::queries::imported_certificates(a) {
        let fqdn = fqdns
            .iter()
            .find(|f| compare(&cert.name.value, &f.value) != NameMatch::Different);
        if let Some(f) = fqdn {
            if from_url_host && compare(&cert.name.value, &f.value) == NameMatch::CaseOnly {
                continue;
            }
            push(
                &mut list,
                NameKind::MiCertificate,
                "managed instance certificate name",
                "the certificate",
                name_spanned(&cert.name),
                Some(f.clone()),
                Source::Script,
            );
        }
    }
    script_expectations(a, &mut list);
    crate::analysis::azure_links::expectations(a, &mut list);
    list.retain(|e| !has_placeholder(&e.found.value) && !has_placeholder(&e.expected.value));
    for e in &mut list {
        if e.source == Source::Params {
            e.source = a.expected_source(e.expected.span);
        }
    }
    dedupe(list)
}

/// Names in the scripts that must equal another name in the scripts: the endpoint's
/// certificate and the certificate created for it, ALTER … ON members and the DAG's.
fn script_expectations(a: &Analysis, list: &mut Vec<Expectation>) {
    for (cert, created) in crate::analysis::queries::endpoint_certificates(a) {
        if let Some((c, resolved)) = created {
            list.push(Expectation {
                kind: NameKind::EndpointCertificate,
                what: "endpoint certificate name".into(),
                object: "the certificate",
                found: name_spanned(cert),
                expected: Spanned {
                    value: resolved,
                    span: c.span,
                },
                source: Source::Script,
                labels: Vec::new(),
                help: None,
                context: None,
                reference: None,
                written_at: None,
            });
        }
    }
    for s in &a.statements {
        let StatementKind::AlterAg(alter) = &s.kind else {
            continue;
        };
        let (AlterAgAction::ModifyMembers { members } | AlterAgAction::Join { members }) =
            &alter.action
        else {
            continue;
        };
        let dag =
            crate::analysis::queries::link_of_alter(a, s, &alter.name.value).map(|l| a.dag(l));
        for m in members {
            let declared = dag.and_then(|d| {
                d.members
                    .iter()
                    .find(|x| compare(&x.name.value, &m.name.value) != NameMatch::Different)
            });
            if let Some(declared) = declared {
                list.push(Expectation {
                    kind: NameKind::AlterMember,
                    what: "DAG member name".into(),
                    object: "the member",
                    found: name_spanned(&m.name),
                    expected: name_spanned(&declared.name),
                    source: Source::Script,
                    labels: Vec::new(),
                    help: None,
                    context: None,
                    reference: None,
                    written_at: None,
                });
            }
        }
    }
}

/// The same found span checked twice (two set-ups sharing an AG) is kept once.
fn dedupe(list: Vec<Expectation>) -> Vec<Expectation> {
    let mut seen = std::collections::HashSet::new();
    list.into_iter()
        .filter(|e| seen.insert((e.kind, e.found.span, e.expected.span)))
        .collect()
}
