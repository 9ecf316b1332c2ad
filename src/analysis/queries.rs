//! Small helpers shared by rules: params lookups, the link's URLs, direction.

use crate::analysis::{Analysis, EndpointSetting, LinkSetup};
use crate::model::{Certificate, CertificateSource, Name, Spanned, StatementKind, Url};
use crate::params::{InitialPrimary, LinkMode, Value};
use crate::span::Span;

/// A parameters value as a (value, span) pair.
pub fn param_str(value: &Option<Value<String>>) -> Option<Spanned<String>> {
    value.as_ref().map(|v| Spanned {
        value: v.value.clone(),
        span: v.span,
    })
}

pub fn name_spanned(name: &Name) -> Spanned<String> {
    Spanned {
        value: name.value.clone(),
        span: name.span,
    }
}

/// The direction the set-up is written for: the parameters' `initial_primary`, else
/// what the scripts show (an AG without databases plus `GRANT CREATE ANY DATABASE`
/// is the managed-instance-first template).
pub fn direction(a: &Analysis, link: &LinkSetup) -> Option<InitialPrimary> {
    if let Some(ip) = a.link_params(link).and_then(|l| l.initial_primary.as_ref()) {
        return Some(ip.value);
    }
    let ag = a.ag(link)?;
    if !ag.databases.is_empty() {
        return Some(InitialPrimary::SqlServer);
    }
    // An empty AG with the grant, or with `;Database=[…]` in the managed instance's URL,
    // is the managed-instance-first template.
    let granted = grants_create_any_database(a, &ag.name.value);
    let names_database = a
        .mi_member(link)
        .listener_url
        .as_ref()
        .is_some_and(|u| u.database.is_some());
    (granted || names_database).then_some(InitialPrimary::ManagedInstance)
}

/// The mirroring endpoints whose port is in force (no later ALTER that runs after them
/// changes it), found once for the rules that ask for many links.
pub struct EndpointPorts<'a> {
    a: &'a Analysis,
    in_force: Vec<(usize, &'a crate::model::Endpoint)>,
    /// Positions in `in_force` by script, so that a link finds its own endpoints without
    /// looking at every other set-up's.
    by_file: std::collections::HashMap<crate::span::FileId, Vec<usize>>,
    /// The endpoints of scripts of no set-up.
    outside: Vec<(usize, &'a crate::model::Endpoint)>,
    /// [`Self::of_link`] by the link's scripts: the links of one folder share them, and
    /// a folder of many set-ups would otherwise be walked once per link.
    of_files: std::cell::RefCell<OfFiles<'a>>,
}

type OfFiles<'a> = std::collections::HashMap<
    Vec<crate::span::FileId>,
    std::rc::Rc<[(usize, &'a crate::model::Endpoint)]>,
>;

impl<'a> EndpointPorts<'a> {
    pub fn new(a: &'a Analysis) -> Self {
        let in_force: Vec<_> = mirroring_endpoints(a)
            .filter(|(_, e)| e.port.is_some())
            .filter(|(i, _)| !set_later_on_endpoint(a, *i, EndpointSetting::Port))
            .collect();
        let mut by_file: std::collections::HashMap<_, Vec<usize>> = Default::default();
        for (k, (i, _)) in in_force.iter().enumerate() {
            by_file.entry(a.statements[*i].file).or_default().push(k);
        }
        let outside = in_force
            .iter()
            .filter(|(i, _)| !a.in_a_setup(a.statements[*i].file))
            .copied()
            .collect();
        EndpointPorts {
            a,
            in_force,
            by_file,
            outside,
            of_files: Default::default(),
        }
    }

    /// [`Analysis::for_link`] over the endpoints in force, without a pass over all of
    /// them per link: those in the link's scripts, else those of scripts of no set-up.
    fn of_link(&self, link: &LinkSetup) -> std::rc::Rc<[(usize, &'a crate::model::Endpoint)]> {
        if let Some(found) = self.of_files.borrow().get(link.files.as_slice()) {
            return found.clone();
        }
        let mut own: Vec<usize> = link
            .files
            .iter()
            .filter_map(|f| self.by_file.get(f))
            .flatten()
            .copied()
            .collect();
        own.sort_unstable();
        let found: std::rc::Rc<[_]> = if own.is_empty() {
            self.outside.as_slice().into()
        } else {
            own.into_iter().map(|k| self.in_force[k]).collect()
        };
        self.of_files
            .borrow_mut()
            .insert(link.files.clone(), found.clone());
        found
    }

    /// The distinct ports of the mirroring endpoints of a link's set-up (see
    /// [`Self::for_link`]), each with the first place that sets it.
    pub fn all_for_link(&self, link: &LinkSetup) -> Vec<(u16, Span)> {
        let mut ports: Vec<(u16, Span)> = Vec::new();
        for (_, e) in self.of_link(link).iter() {
            if let Some((v, span)) = e.port.as_ref().and_then(|p| p.value.map(|v| (v, p.span))) {
                if !ports.iter().any(|(p, _)| *p == v) {
                    ports.push((v, span));
                }
            }
        }
        ports
    }

    /// The endpoint port a link's SQL Server side must use: the LISTENER_PORT of the
    /// mirroring endpoints of its set-up (of the scripts of no set-up, when its own have
    /// none) when they agree with each other and with the parameters' `endpoint_port`,
    /// else that `endpoint_port`. Returns (port, span, from the parameters).
    pub fn for_link(&self, link: Option<&LinkSetup>) -> Option<(u16, Span, bool)> {
        let a = self.a;
        let params = a
            .params
            .as_ref()
            .and_then(|p| p.sql_server.endpoint_port.as_ref())
            .map(|p| (p.value, p.span, true));
        let endpoints = match link {
            Some(link) => self.of_link(link),
            None => self.in_force.as_slice().into(),
        };
        let mut ports = endpoints.iter().filter_map(|(_, e)| {
            e.port
                .as_ref()
                .and_then(|p| p.value.map(|v| (v, p.span, false)))
        });
        let Some(first) = ports.next() else {
            return params;
        };
        let mut last = first;
        for p in ports {
            if p.0 != first.0 {
                // The scripts disagree (ML201 says where).
                return params;
            }
            last = p;
        }
        match params {
            Some(p) if p.0 != last.0 => Some(p),
            _ => Some(last),
        }
    }
}

/// [`EndpointPorts::for_link`] for one question.
pub fn endpoint_port(a: &Analysis, link: Option<&LinkSetup>) -> Option<(u16, Span, bool)> {
    EndpointPorts::new(a).for_link(link)
}

/// Client ports: the default 1433 and any AG listener port declared in the scripts.
pub fn client_ports(a: &Analysis) -> Vec<u16> {
    let mut ports = vec![1433];
    ports.extend(
        a.availability_groups()
            .filter_map(|(_, ag)| ag.listener.as_ref()?.port.as_ref()?.value),
    );
    ports
}

/// Every URL of every link: (link, url, is the managed-instance side).
pub fn link_urls(a: &Analysis) -> Vec<(&LinkSetup, &Url, bool)> {
    let mut urls = Vec::new();
    for link in &a.links {
        for url in a.sql_side_urls(link) {
            urls.push((link, url, false));
        }
        if let Some(url) = &a.mi_member(link).listener_url {
            urls.push((link, url, true));
        }
    }
    urls.retain(|(_, u, _)| !has_placeholder(&u.text));
    dedupe_by_span(urls)
}

/// A URL shared by two link set-ups (the same AG) is reported once.
fn dedupe_by_span<'a>(
    urls: Vec<(&'a LinkSetup, &'a Url, bool)>,
) -> Vec<(&'a LinkSetup, &'a Url, bool)> {
    let mut seen = std::collections::HashSet::new();
    urls.into_iter()
        .filter(|(_, u, _)| seen.insert(u.span))
        .collect()
}

/// Whether the text is an IPv4 or IPv6 address (brackets allowed).
pub fn is_ip(text: &str) -> bool {
    text.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .is_ok()
}

/// Quote a list of names for messages: 'a', 'b'.
pub fn quoted_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every object name in the scripts with what it names, for the rules that check
/// the text of names themselves (whitespace, look-alikes, length). A name holding a
/// placeholder is ML501's / ML502's.
pub fn model_names(a: &Analysis) -> Vec<(&Name, &'static str)> {
    let mut names = all_model_names(a);
    names.retain(|(n, _)| !has_placeholder(&n.value));
    names
}

fn all_model_names(a: &Analysis) -> Vec<(&Name, &'static str)> {
    use crate::model::{AlterAgAction as Act, AlterDatabaseAction as Db};
    let mut names: Vec<(&Name, &'static str)> = Vec::new();
    for s in &a.statements {
        match &s.kind {
            StatementKind::AvailabilityGroup(ag) => {
                names.push((&ag.name, "availability group"));
                names.extend(ag.databases.iter().map(|d| (d, "database")));
                names.extend(ag.replicas.iter().map(|r| (&r.server, "replica")));
            }
            StatementKind::DistributedAg(dag) => {
                names.push((&dag.name, "distributed availability group"));
                names.extend(dag.members.iter().map(|m| (&m.name, "DAG member")));
            }
            StatementKind::Certificate(c) => names.push((&c.name, "certificate")),
            StatementKind::Endpoint(e) => {
                names.push((&e.name, "endpoint"));
                if let Some(c) = e
                    .authentication
                    .as_ref()
                    .and_then(|x| x.certificate.as_ref())
                {
                    names.push((c, "certificate"));
                }
            }
            StatementKind::AlterAg(alter) => {
                names.push((&alter.name, "availability group"));
                match &alter.action {
                    Act::Join { members } | Act::ModifyMembers { members } => {
                        names.extend(members.iter().map(|m| (&m.name, "DAG member")));
                    }
                    Act::AddDatabase { databases } => {
                        names.extend(databases.iter().map(|d| (d, "database")));
                    }
                    _ => {}
                }
            }
            StatementKind::AlterDatabase(d) => {
                names.push((&d.name, "database"));
                if let Db::SetHadr {
                    availability_group: Some(ag),
                } = &d.action
                {
                    names.push((ag, "availability group"));
                }
            }
            StatementKind::Backup(b) => names.push((&b.database, "database")),
            StatementKind::Use(_) | StatementKind::Exec(_) | StatementKind::MasterKey(_) => {}
        }
    }
    names
}

/// Names inside URLs (`Server=[…]`, `Database=[…]`) of the link set-ups.
pub fn url_names(a: &Analysis) -> Vec<(&Spanned<String>, &'static str)> {
    let mut names = Vec::new();
    for (_, url, _) in link_urls(a) {
        names.extend(url.server.iter().map(|s| (s, "Server=[…] name")));
        names.extend(url.database.iter().map(|d| (d, "Database=[…] name")));
    }
    names
}

/// The rules about the text of names speak only where there is a link or parameters.
pub fn in_scope(a: &Analysis) -> bool {
    !a.links.is_empty() || a.params.is_some()
}

/// The hygiene rules (SQLCMD variables and includes, secrets) speak about a script of a
/// link set-up ([`Analysis::link_files`]: a script with a link statement of its own, a
/// script of a set-up, what they include); in a run without links but with a parameters
/// file, about every script. A repository's other scripts (logins, TDE, deployments run
/// with `sqlcmd -v` by their own tooling) are not this tool's subject.
pub fn in_link_scope(a: &Analysis, file: crate::span::FileId) -> bool {
    a.link_files.contains(&file) || (a.links.is_empty() && a.params.is_some())
}

/// The databases the scripts put in the link (`FOR DATABASE` of its AG with the later
/// `ADD` / `REMOVE DATABASE`, else `Database=[…]` of the managed-instance URL) and the
/// span that lists them.
pub fn link_databases(a: &Analysis, link: &LinkSetup) -> Option<(Vec<Spanned<String>>, Span)> {
    if let Some(ag) = a.ag(link) {
        if !link.databases.is_empty() {
            let list = link.databases.iter().map(|d| d.name.clone()).collect();
            return Some((list, ag.for_span.unwrap_or(ag.name.span)));
        }
    }
    let db = a.mi_member(link).listener_url.as_ref()?.database.clone()?;
    let span = db.span;
    Some((vec![db], span))
}

/// Each database mirroring or other endpoint's `AUTHENTICATION = CERTIFICATE` name, with
/// the certificate the scripts create for it and the name that one resolves to (a name
/// built from `@@SERVERNAME` resolved with the parameters), when the scripts create it.
pub fn endpoint_certificates(a: &Analysis) -> Vec<(&Name, Option<(&Name, String)>)> {
    let server_name = a.server_name();
    let own = own_certificates(a);
    a.endpoints()
        .filter_map(|(_, e)| e.authentication.as_ref()?.certificate.as_ref())
        .map(|cert| {
            let created = own
                .iter()
                .find_map(|c| certificate_matches(c, &cert.value, server_name).map(|n| (*c, n)));
            (cert, created)
        })
        .collect()
}

/// Certificates the scripts create that can authenticate an endpoint (they have a
/// private key: generated or loaded from a file, not a public key FROM BINARY).
pub fn own_certificates(a: &Analysis) -> Vec<&Name> {
    a.certificates()
        .filter(|(_, c)| c.source != crate::model::CertificateSource::Binary)
        .map(|(_, c)| &c.name)
        .collect()
}

/// Whether a created certificate (possibly built from `@@SERVERNAME`) is `wanted`;
/// returns its resolved name. Without the server name, the literal parts around
/// `@@SERVERNAME` must match.
pub fn certificate_matches(cert: &Name, wanted: &str, server_name: Option<&str>) -> Option<String> {
    use crate::model::SERVERNAME_MARKER;
    use crate::names::{compare, NameMatch};
    match cert.resolve(server_name) {
        Some(name) => (compare(&name, wanted) != NameMatch::Different).then_some(name),
        None => {
            let mut parts = cert.value.split(SERVERNAME_MARKER);
            let prefix = parts.next().unwrap_or_default().to_lowercase();
            let suffix = parts.next_back().unwrap_or_default().to_lowercase();
            let lower = wanted.to_lowercase();
            let fits = lower.len() > prefix.len() + suffix.len()
                && lower.starts_with(&prefix)
                && lower.ends_with(&suffix);
            // The literal parts decide; letter case is the same as `wanted` by construction.
            fits.then(|| wanted.to_string())
        }
    }
}

/// Every string value of the parameters file, with what it is.
pub fn params_strings(a: &Analysis) -> Vec<(&Value<String>, &'static str)> {
    let Some(p) = &a.params else {
        return Vec::new();
    };
    let mut values = Vec::new();
    let server = [&p.sql_server.name, &p.sql_server.fqdn, &p.sql_server.ip];
    let mi = [&p.managed_instance.name, &p.managed_instance.fqdn];
    values.extend(
        server
            .into_iter()
            .chain(mi)
            .flatten()
            .map(|v| (v, "parameters value")),
    );
    for l in &p.links {
        let names = [
            &l.availability_group,
            &l.distributed_availability_group,
            &l.instance_availability_group,
        ];
        values.extend(names.into_iter().flatten().map(|v| (v, "parameters value")));
        values.extend(
            l.databases
                .iter()
                .flatten()
                .map(|v| (v, "parameters value")),
        );
    }
    values
}

/// A managed-instance host that is not the VNet-local endpoint (ML205's finding).
pub fn is_public_or_private_endpoint(host: &str) -> bool {
    let lower = host.to_ascii_lowercase();
    lower.contains(".public.") || lower.contains("privatelink")
}

/// The database mirroring endpoints (an endpoint without `FOR …` is counted too).
pub fn mirroring_endpoints(a: &Analysis) -> impl Iterator<Item = (usize, &crate::model::Endpoint)> {
    a.endpoints().filter(|(_, e)| {
        e.payload
            .as_ref()
            .is_none_or(|p| p.value == "DATABASE_MIRRORING")
    })
}

/// Replica or DAG member options of a link, where they are written.
pub struct ReplicaSetting<'a> {
    /// "replica 'SQL01'" / "DAG member 'AG_x'", for messages.
    pub what: String,
    pub options: &'a crate::model::ReplicaOptions,
    /// The replica or member name, to point at when an option is missing.
    pub name_span: Span,
    pub is_member: bool,
    /// From `ALTER AVAILABILITY GROUP [dag] MODIFY AVAILABILITY GROUP ON`: only the options
    /// written there change, so a missing option is not a finding.
    pub is_modify: bool,
}

/// The replica and DAG member options of every link: the local replica of its AG, the
/// DAG's members, and later `MODIFY AVAILABILITY GROUP ON` changes of those members.
pub fn link_replica_options(a: &Analysis) -> Vec<ReplicaSetting<'_>> {
    use crate::model::AlterAgAction;
    let mut list = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let setting = |what: String, options, name_span, is_member, is_modify| ReplicaSetting {
        what,
        options,
        name_span,
        is_member,
        is_modify,
    };
    for link in &a.links {
        if let Some(r) = a.local_replica(link) {
            if seen.insert(r.server.span) {
                let what = format!("replica '{}'", r.server.value);
                list.push(setting(what, &r.options, r.server.span, false, false));
            }
        }
        let dag = a.dag(link);
        for m in &dag.members {
            if seen.insert(m.name.span) {
                let what = format!("DAG member '{}'", m.name.value);
                list.push(setting(what, &m.options, m.name.span, true, false));
            }
        }
        for (_, _, alter) in a.alter_ags_named(&dag.name.value) {
            let AlterAgAction::ModifyMembers { members } = &alter.action else {
                continue;
            };
            for m in members.iter().filter(|m| seen.insert(m.name.span)) {
                let what = format!("DAG member '{}' (MODIFY)", m.name.value);
                list.push(setting(what, &m.options, m.name.span, true, true));
            }
        }
    }
    list
}

/// The direction the parameters declare for a link, with its span.
pub fn declared_direction<'a>(
    a: &'a Analysis,
    link: &LinkSetup,
) -> Option<&'a Value<InitialPrimary>> {
    a.link_params(link)?.initial_primary.as_ref()
}

/// Whether the scripts grant CREATE ANY DATABASE to the availability group `ag`.
pub fn grants_create_any_database(a: &Analysis, ag: &str) -> bool {
    a.statements.iter().any(|s| match &s.kind {
        StatementKind::AlterAg(alter) => {
            alter.action == crate::model::AlterAgAction::GrantCreateAnyDatabase
                && crate::names::compare(&alter.name.value, ag)
                    != crate::names::NameMatch::Different
        }
        _ => false,
    })
}

/// Text holding a placeholder ([`crate::placeholder`]: `<DAGName>`, an SSMS template
/// parameter, `${var}`) or an unresolved `$(VAR)`: ML501 / ML502 / ML503 report it, and
/// the other rules leave it alone rather than compare a name that is not known yet. So
/// is text made from a secret (masked, see [`crate::secrets`]): the tool does not know
/// its value.
pub fn has_placeholder(text: &str) -> bool {
    crate::placeholder::contains(text) || text.contains("$(") || crate::secrets::is_tainted(text)
}

/// Whether a later ALTER ENDPOINT of the same endpoint sets `setting`, so
/// the statement at `index` no longer decides it. A statement in the other arm of an IF
/// (`IF NOT EXISTS … CREATE … ELSE ALTER …`) does not: only one of the two runs.
pub fn set_later_on_endpoint(a: &Analysis, index: usize, setting: EndpointSetting) -> bool {
    a.endpoint_set_after(index, setting)
        .iter()
        .any(|&i| !a.statements[i].excludes(&a.statements[index]))
}

/// A `SET RECOVERY FULL` or a full (not differential) backup of a user database: what
/// prepares a database for a link.
pub struct Preparation<'a> {
    pub database: &'a Name,
    pub file: crate::span::FileId,
    /// The statement.
    pub span: Span,
}

/// Every preparation in the scripts (a `$(Db)` left undefined is ML502's, a template
/// ML501's).
pub fn preparations(a: &Analysis) -> Vec<Preparation<'_>> {
    use crate::model::AlterDatabaseAction;
    let system = |name: &str| {
        ["master", "msdb", "model", "tempdb"]
            .iter()
            .any(|s| name.eq_ignore_ascii_case(s))
    };
    a.statements
        .iter()
        .filter_map(|s| {
            let database = match &s.kind {
                StatementKind::AlterDatabase(d) => match &d.action {
                    AlterDatabaseAction::SetRecovery(model) if model.value == "FULL" => &d.name,
                    _ => return None,
                },
                StatementKind::Backup(b) if !b.differential => &b.database,
                _ => return None,
            };
            Some(Preparation {
                database,
                file: s.file,
                span: s.span,
            })
        })
        .filter(|p| !system(&p.database.value) && !has_placeholder(&p.database.value))
        .collect()
}

/// The parameters name `db` for this link while its AG has another database (ML105's
/// finding, which shows the preparations of `db` as labels).
pub fn parameters_name_instead(a: &Analysis, link: &LinkSetup, db: &str) -> bool {
    use crate::names::{compare, NameMatch};
    let same = |x: &str, y: &str| compare(x, y) != NameMatch::Different;
    let Some(expected) = a.link_params(link).and_then(|l| l.databases.as_ref()) else {
        return false;
    };
    !link.databases.is_empty()
        && expected.iter().any(|e| same(&e.value, db))
        && !link.databases.iter().any(|d| same(&d.name.value, db))
}

/// The link whose DAG an `ALTER AVAILABILITY GROUP [name] …` statement changes: the DAG
/// of the statement's own set-up first, else any link's DAG of that name. None for a
/// distributed AG between two SQL Servers, which is not a link.
pub fn link_of_alter<'a>(
    a: &'a Analysis,
    statement: &crate::model::Statement,
    name: &str,
) -> Option<&'a LinkSetup> {
    use crate::names::{compare, NameMatch};
    let named = |l: &&LinkSetup| compare(&a.dag(l).name.value, name) != NameMatch::Different;
    a.links_of(statement.file)
        .find(named)
        .or_else(|| a.links_named(name).next())
}

/// The DAG members that an `ALTER … MODIFY / JOIN AVAILABILITY GROUP ON` of the link names.
pub fn altered_members<'a>(
    a: &'a Analysis,
    link: &'a LinkSetup,
) -> impl Iterator<Item = &'a crate::model::DagMember> + 'a {
    use crate::model::AlterAgAction;
    a.alter_ags_named(&a.dag(link).name.value)
        .filter_map(move |(_, s, alter)| {
            let (AlterAgAction::ModifyMembers { members } | AlterAgAction::Join { members }) =
                &alter.action
            else {
                return None;
            };
            let same =
                link_of_alter(a, s, &alter.name.value).is_some_and(|l| std::ptr::eq(l, link));
            same.then_some(members.iter())
        })
        .flatten()
}

/// Whether `name` is what the parameters call a member of the link's DAG that the
/// CREATE names otherwise (ML102 / ML104 report the CREATE).
pub fn params_name_of_a_wrong_member(a: &Analysis, link: &LinkSetup, name: &str) -> bool {
    use crate::names::{compare, NameMatch};
    let Some(lp) = a.link_params(link) else {
        return false;
    };
    let same = |x: &str, y: &str| compare(x, y) != NameMatch::Different;
    let pairs = [
        (a.sql_member(link), lp.availability_group.as_ref()),
        (
            Some(a.mi_member(link)),
            lp.instance_availability_group.as_ref(),
        ),
    ];
    pairs
        .iter()
        .any(|(member, expected)| match (member, expected) {
            (Some(m), Some(e)) => same(&e.value, name) && !same(&m.name.value, &e.value),
            _ => false,
        })
}

/// The availability groups (not distributed) a link's set-up creates; when its scripts
/// create none, those of the scripts of no set-up.
pub fn setup_availability_groups<'a>(
    a: &'a Analysis,
    link: &LinkSetup,
) -> Vec<&'a crate::model::AvailabilityGroup> {
    a.for_link(link, a.availability_groups().collect())
        .into_iter()
        .map(|(_, ag)| ag)
        .collect()
}

/// Root certification authorities imported for the link (MicrosoftPKI, DigiCertPKI) and
/// similar names are not the managed instance's certificate.
fn is_root_ca(cert: &Certificate) -> bool {
    let lower = cert.name.value.as_str().to_ascii_lowercase();
    [
        "pki",
        "root",
        "digicert",
        "microsoft",
        "ca_",
        "_ca",
        "authority",
    ]
    .iter()
    .any(|k| lower.contains(k))
}

/// The managed instance FQDNs the imported certificate must be named after: the
/// parameters' `fqdn` when given (a wrong URL host is then ML109's finding), else the
/// hosts of the managed-instance listener URLs, made VNet-local (a public or private
/// endpoint host is ML205's finding).
pub fn expected_fqdns(a: &Analysis) -> Vec<Spanned<String>> {
    if let Some(f) = a
        .params
        .as_ref()
        .and_then(|p| p.managed_instance.fqdn.as_ref())
    {
        return vec![Spanned {
            value: f.value.clone(),
            span: f.span,
        }];
    }
    let mut hosts: Vec<Spanned<String>> = a
        .links
        .iter()
        .filter_map(|l| a.mi_member(l).listener_url.as_ref()?.host.clone())
        // A host not known yet (a template, an undefined $(VAR)) names no FQDN.
        .filter(|h| !has_placeholder(&h.value))
        .map(|h| Spanned {
            value: vnet_local(&h.value),
            span: h.span,
        })
        .collect();
    hosts.dedup_by(|x, y| x.value.eq_ignore_ascii_case(&y.value));
    hosts
}

/// The VNet-local host of a public (`.public.`) or private-endpoint (`.privatelink.`) host.
fn vnet_local(host: &str) -> String {
    host.replacen(".public.", ".", 1)
        .replacen(".privatelink.", ".", 1)
}

/// Public keys imported FROM BINARY that are not root certification authorities.
pub fn imported_certificates(a: &Analysis) -> Vec<&Certificate> {
    a.certificates()
        .map(|(_, c)| c)
        .filter(|c| c.source == CertificateSource::Binary && !is_root_ca(c))
        // A name not known yet (a template, dynamic SQL) is not a custom name.
        .filter(|c| !has_placeholder(&c.name.value))
        .collect()
}

pub fn is_loopback(host: &str) -> bool {
    let h = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    ["localhost", ".", "(local)", "::1", "0.0.0.0"].contains(&h.as_str()) || h.starts_with("127.")
}

/// The parameters declare multi-database mode, or the scripts enable it.
pub fn multi_database_mode(a: &Analysis) -> bool {
    let declared = a.params.as_ref().is_some_and(|p| {
        p.links
            .iter()
            .any(|l| l.mode.as_ref().is_some_and(|m| m.value == LinkMode::Multi))
    });
    declared || enables_multi_database_mode(a).is_some()
}

/// The `EXEC sys.sp_multidb_milink 1` statement, if the scripts have it.
pub fn enables_multi_database_mode(a: &Analysis) -> Option<&crate::model::Statement> {
    a.statements.iter().find(|s| match &s.kind {
        StatementKind::Exec(e) => {
            e.procedure.value.eq_ignore_ascii_case("sp_multidb_milink")
                && e.arguments.first().is_some_and(|v| v.value == "1")
        }
        _ => false,
    })
}
