//! Name expectations: every place where a name in the scripts must equal a value in
//! the parameters file (or another name in the scripts). One list feeds the
//! mismatch rules (which report real differences) and ML113 (case-only
//! differences); whitespace and look-alike differences are left to ML114/ML115,
//! which point at the exact character.

use super::support::{
    certificate_matches, has_placeholder, link_databases, name_spanned, own_certificates, param_str,
};
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{AlterAgAction, Spanned, StatementKind};
use crate::names::{compare, NameMatch};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Params,
    Script,
}

#[derive(Debug, Clone)]
pub struct Expectation {
    /// The rule that reports a real difference.
    pub code: &'static str,
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
}

impl Expectation {
    pub fn outcome(&self) -> NameMatch {
        compare(&self.found.value, &self.expected.value)
    }
}

/// Record that `found` must equal `expected` (when there is an expected value).
fn push(
    list: &mut Vec<Expectation>,
    code: &'static str,
    what: &'static str,
    object: &'static str,
    found: Spanned<String>,
    expected: Option<Spanned<String>>,
    source: Source,
) {
    if let Some(expected) = expected {
        list.push(Expectation {
            code,
            what: what.into(),
            object,
            found,
            expected,
            source,
            labels: Vec::new(),
            help: None,
            context: None,
            reference: None,
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
    for m in super::support::altered_members(a, link) {
        if compare(&m.name.value, &e.expected.value) != NameMatch::Different {
            e.labels.push((
                m.name.span,
                format!("'{}' here, as in the parameters file", m.name.value),
            ));
        }
    }
    // The SQL Server member names no AG, and the set-up creates the AG the parameters
    // name (ML103 stays silent).
    let is_sql_member = a
        .sql_member(link)
        .is_some_and(|m| m.name.span == e.found.span);
    if is_sql_member && a.ag(link).is_none() {
        let created = super::support::setup_availability_groups(a, link)
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

/// All name expectations of all link set-ups.
pub fn expectations(a: &Analysis) -> Vec<Expectation> {
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
            "ML101",
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
                "ML102",
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
                "ML102",
                "availability group name",
                "the availability group",
                name_spanned(&ag.name),
                expected_ag.clone(),
                Source::Params,
            );
            if let Some(member) = a.sql_member(link) {
                push(
                    &mut list,
                    "ML103",
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
                    "ML107",
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
            "ML104",
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
                    "ML108",
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
                    "ML109",
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
                        "ML105",
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
    let fqdns = super::ml110_mi_certificate_name::expected_fqdns(a);
    for cert in super::ml110_mi_certificate_name::imported_certificates(a) {
        let fqdn = fqdns
            .iter()
            .find(|f| compare(&cert.name.value, &f.value) != NameMatch::Different);
        if let Some(f) = fqdn {
            push(
                &mut list,
                "ML110",
                "managed instance certificate name",
                "the certificate",
                name_spanned(&cert.name),
                Some(f.clone()),
                Source::Script,
            );
        }
    }
    script_expectations(a, &mut list);
    super::azure::expectations(a, &mut list);
    list.retain(|e| !has_placeholder(&e.found.value) && !has_placeholder(&e.expected.value));
    dedupe(list)
}

/// Names in the scripts that must equal another name in the scripts: the endpoint's
/// certificate and the certificate created for it, ALTER … ON members and the DAG's.
fn script_expectations(a: &Analysis, list: &mut Vec<Expectation>) {
    let server_name = a.server_name();
    let own = own_certificates(a);
    for (_, endpoint) in a.endpoints() {
        let Some(cert) = endpoint
            .authentication
            .as_ref()
            .and_then(|x| x.certificate.as_ref())
        else {
            continue;
        };
        let created = own
            .iter()
            .find_map(|c| certificate_matches(c, &cert.value, server_name).map(|n| (c, n)));
        if let Some((c, resolved)) = created {
            list.push(Expectation {
                code: "ML111",
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
        let dag = super::support::link_of_alter(a, s, &alter.name.value).map(|l| a.dag(l));
        for m in members {
            let declared = dag.and_then(|d| {
                d.members
                    .iter()
                    .find(|x| compare(&x.name.value, &m.name.value) != NameMatch::Different)
            });
            if let Some(declared) = declared {
                list.push(Expectation {
                    code: "ML112",
                    what: "DAG member name".into(),
                    object: "the member",
                    found: name_spanned(&m.name),
                    expected: name_spanned(&declared.name),
                    source: Source::Script,
                    labels: Vec::new(),
                    help: None,
                    context: None,
                    reference: None,
                });
            }
        }
    }
}

/// The same found span checked twice (two set-ups sharing an AG) is kept once.
fn dedupe(list: Vec<Expectation>) -> Vec<Expectation> {
    let mut seen = std::collections::HashSet::new();
    list.into_iter()
        .filter(|e| seen.insert((e.code, e.found.span, e.expected.span)))
        .collect()
}

/// The diagnostic for an expectation whose names really differ.
pub fn mismatch_diagnostic(e: &Expectation) -> Diagnostic {
    let context = e
        .context
        .as_deref()
        .map(|c| format!(" {c}"))
        .unwrap_or_default();
    let (message, label, help) = match e.source {
        Source::Params => (
            format!(
                "{} '{}'{context} does not match the parameters file ('{}')",
                e.what, e.found.value, e.expected.value
            ),
            "expected here",
            format!(
                "rename {} to '{}', or fix the parameters file",
                e.object, e.expected.value
            ),
        ),
        Source::Script => (
            match e.reference {
                Some(reference) => format!(
                    "{} '{}'{context} does not match {reference} ('{}')",
                    e.what, e.found.value, e.expected.value
                ),
                None => format!(
                    "{} '{}'{context} does not match '{}'",
                    e.what, e.found.value, e.expected.value
                ),
            },
            "declared here",
            format!("use the same name in both places ('{}')", e.expected.value),
        ),
    };
    let mut d = Diagnostic::new(e.code, Severity::Error, e.found.span, message)
        .with_primary_label(format!("'{}'", e.found.value))
        .with_label(e.expected.span, label)
        .with_help(e.help.clone().unwrap_or(help));
    for (span, text) in &e.labels {
        d = d.with_label(*span, text.clone());
    }
    d
}

/// Report the real differences of one rule's expectations.
pub fn report_mismatches(a: &Analysis, code: &str, out: &mut Vec<Diagnostic>) {
    for e in expectations(a) {
        if e.code == code && e.outcome() == NameMatch::Different {
            out.push(mismatch_diagnostic(&e));
        }
    }
}
