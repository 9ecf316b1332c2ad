//! The link model across all files: every statement in run order, the SQLCMD view
//! of each script, and the link set-ups found (a DAG with a managed-instance
//! member, its SQL Server AG, and the parameters entry it is checked against).

use crate::azure::AzureFacts;
use crate::date::Date;
use crate::extract::run::Extracted;
pub use crate::extract::run::{Inputs, ScriptFacts};
use crate::files::Files;
use crate::model::{
    AvailabilityGroup, Certificate, DagMember, DistributedAg, Endpoint, Replica, Statement,
    StatementKind, Url,
};
use crate::names::{compare, similarity, NameMatch};
use crate::params::{LinkParams, Params};
use crate::span::FileId;

pub mod azure_links;
pub mod name_checks;
pub mod queries;

/// A link set-up: indices into [`Analysis::statements`] and the DAG's members.
#[derive(Debug, Clone)]
pub struct LinkSetup {
    /// The `CREATE AVAILABILITY GROUP … WITH (DISTRIBUTED)` statement.
    pub dag: usize,
    /// Index of the SQL Server side member in the DAG's member list.
    pub sql_member: Option<usize>,
    /// Index of the managed-instance member.
    pub mi_member: usize,
    /// The non-distributed AG named by the SQL Server member, when the scripts create it.
    pub ag: Option<usize>,
    /// The parameters `[link]` entry this set-up is checked against.
    pub params: Option<usize>,
    /// The scripts of this set-up, sorted: those that hold its DAG and AG, the scripts
    /// in the same folders, and the scripts they include with `:r` or are included by.
    /// Statements elsewhere belong to other set-ups or to none (maintenance scripts).
    pub files: Vec<FileId>,
    /// The databases of the link's AG in run order: `FOR DATABASE`, then `ALTER
    /// AVAILABILITY GROUP … ADD / REMOVE DATABASE` of the set-up's scripts.
    pub databases: Vec<LinkDatabase>,
}

/// A database of a link's availability group and where the scripts put it there.
#[derive(Debug, Clone)]
pub struct LinkDatabase {
    pub name: crate::model::Spanned<String>,
    /// The CREATE or ALTER AVAILABILITY GROUP statement (index into the statements).
    pub statement: usize,
}

impl LinkSetup {
    /// Whether a script belongs to this set-up.
    pub fn has_file(&self, file: FileId) -> bool {
        self.files.binary_search(&file).is_ok()
    }
}

#[derive(Debug)]
pub struct Analysis {
    pub files: Files,
    pub scripts: Vec<ScriptFacts>,
    /// All statements, in run order (file order, then position).
    pub statements: Vec<Statement>,
    pub params: Option<Params>,
    pub links: Vec<LinkSetup>,
    /// The Azure side: links in exports and in shell scripts, trust certificates, and
    /// which script runs on which server.
    pub azure: AzureFacts,
    /// `(script, index into azure.runs)`: a linted script that a shell script runs with
    /// `Invoke-Sqlcmd -InputFile` / `sqlcmd -i`.
    pub script_runs: Vec<(FileId, usize)>,
    /// Parameters entries by their span: an export's link finds the entry made from it.
    pub params_by_span: std::collections::HashMap<crate::span::Span, usize>,
    /// The date certificate expiry dates are compared with.
    pub today: Date,
    /// Every `:r` line and the script it reads.
    pub includes: Vec<crate::include::IncludeEdge>,
    /// The `:r` lines that read nothing.
    pub missing_includes: Vec<crate::include::MissingInclude>,
    /// The link set-ups (indices into `links`) each script belongs to.
    pub file_links: std::collections::HashMap<FileId, Vec<usize>>,
    /// The scripts of link set-ups, for the hygiene rules: those with a link statement of
    /// their own (an AG or DAG, a database-mirroring endpoint, a link procedure), the
    /// scripts of every set-up, and the scripts they include or are included by.
    pub link_files: std::collections::HashSet<FileId>,
    /// `ALTER AVAILABILITY GROUP … ADD / REMOVE DATABASE` statements, in run order.
    pub database_changes: Vec<usize>,
    /// DROP of the link's objects, by file.
    pub drops: Vec<(FileId, crate::extract::Drop)>,
    /// See [`Inputs::expected_from_export`].
    pub expected_from_export: bool,
    /// The files of the Azure exports.
    pub export_files: std::collections::HashSet<FileId>,
    /// Every name that must equal another, computed on first use.
    name_checks: std::sync::OnceLock<Vec<name_checks::Expectation>>,
    /// Indexes by folded name ([`crate::names::skeleton`]: two names that are not
    /// [`NameMatch::Different`] fold alike), built on first use, so that a rule looking
    /// up "the statements about this name" for every link stays linear.
    by_name: std::sync::OnceLock<NameIndex>,
    /// Link set-ups by their DAG's folded name (built after the links are found).
    dags_by_name: std::sync::OnceLock<std::collections::HashMap<String, Vec<usize>>>,
}

/// See [`Analysis::by_name`]: statement and link indices by folded name.
#[derive(Debug, Default)]
struct NameIndex {
    /// `ALTER AVAILABILITY GROUP` statements by the AG they alter, in run order.
    alter_ags: std::collections::HashMap<String, Vec<usize>>,
    /// ALTER ENDPOINT statements that set a [`EndpointSetting`], by the endpoint's name,
    /// the `:connect` target they run on (lower-cased) and the setting, in run order.
    endpoint_settings: std::collections::HashMap<EndpointSettingKey, Vec<usize>>,
    /// CREATE AVAILABILITY GROUP statements (not distributed) by name, in run order.
    ags: std::collections::HashMap<String, Vec<usize>>,
    /// BACKUP DATABASE statements by the database, in run order.
    backups: std::collections::HashMap<String, Vec<usize>>,
}

/// See [`NameIndex::endpoint_settings`]: (folded endpoint name, `:connect` target, setting).
type EndpointSettingKey = (String, Option<String>, EndpointSetting);

/// What an `ALTER ENDPOINT` can set that a rule reads from the endpoint's CREATE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndpointSetting {
    Port,
    Authentication,
    Encryption,
    State,
}

impl EndpointSetting {
    const ALL: [EndpointSetting; 4] = [
        EndpointSetting::Port,
        EndpointSetting::Authentication,
        EndpointSetting::Encryption,
        EndpointSetting::State,
    ];

    /// Whether the statement sets it.
    pub fn is_set(self, e: &Endpoint) -> bool {
        match self {
            EndpointSetting::Port => e.port.is_some(),
            EndpointSetting::Authentication => e.authentication.is_some(),
            EndpointSetting::Encryption => e.encryption.is_some(),
            EndpointSetting::State => e.state.is_some(),
        }
    }
}

/// The `:connect` target of a statement, folded for comparison.
fn connect_key(s: &Statement) -> Option<String> {
    s.context
        .connect
        .as_ref()
        .map(|c| c.value.as_str().to_ascii_lowercase())
}

/// Azure SQL Managed Instance DNS zones (public cloud and sovereign clouds).
const MI_DNS_SUFFIXES: &[&str] = &[
    ".database.windows.net",
    ".database.chinacloudapi.cn",
    ".database.usgovcloudapi.net",
    ".database.cloudapi.de",
];

pub fn looks_like_mi_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    MI_DNS_SUFFIXES.iter().any(|s| host.ends_with(s))
}

impl Analysis {
    /// Where a value the scripts are compared with comes from: the parameters file, or
    /// an Azure export (the whole expectation, or this value filled in from one).
    pub fn expected_source(&self, value: crate::span::Span) -> name_checks::Source {
        if self.expected_from_export || self.export_files.contains(&value.file) {
            name_checks::Source::Export
        } else {
            name_checks::Source::Params
        }
    }

    /// Every place where a name must equal another (see [`name_checks`]), computed once.
    pub fn name_checks(&self) -> &[name_checks::Expectation] {
        self.name_checks.get_or_init(|| name_checks::all(self))
    }

    /// Build the model from what the front end read ([`crate::extract::run`]).
    pub fn build(
        extracted: Extracted,
        params: Option<Params>,
        today: Date,
        expected_from_export: bool,
    ) -> Analysis {
        let Extracted {
            files,
            mut scripts,
            azure,
            script_runs,
            export_files,
            sessions,
        } = extracted;
        let mut statements = Vec::new();
        let mut drops = Vec::new();
        for s in &mut scripts {
            statements.append(&mut s.facts.statements);
            drops.extend(s.facts.drops.drain(..).map(|d| (s.file, d)));
        }
        // Run order: scripts by name (numbers by value), the steps a script includes with
        // `:r` at their `:r` line.
        let order = run_order(&files, &scripts, &sessions.edges);
        statements.sort_by_cached_key(|s| {
            let mut key = order.get(&s.file).cloned().unwrap_or_default();
            key.push(if s.span.file == s.file {
                s.span.start
            } else {
                0
            });
            key
        });
        let mut analysis = Analysis {
            files,
            scripts,
            statements,
            params,
            links: Vec::new(),
            azure,
            script_runs,
            params_by_span: Default::default(),
            today,
            includes: sessions.edges,
            missing_includes: sessions.missing,
            file_links: Default::default(),
            link_files: Default::default(),
            database_changes: Vec::new(),
            drops,
            expected_from_export,
            export_files,
            name_checks: Default::default(),
            by_name: Default::default(),
            dags_by_name: Default::default(),
        };
        if let Some(p) = &analysis.params {
            analysis.params_by_span = p
                .links
                .iter()
                .enumerate()
                .map(|(i, l)| (l.span, i))
                .collect();
        }
        analysis.database_changes = analysis
            .statements
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                matches!(
                    &s.kind,
                    StatementKind::AlterAg(crate::model::AlterAg {
                        action: crate::model::AlterAgAction::AddDatabase { .. }
                            | crate::model::AlterAgAction::RemoveDatabase { .. },
                        ..
                    })
                )
            })
            .map(|(i, _)| i)
            .collect();
        analysis.links = analysis.find_links();
        for (index, link) in analysis.links.iter().enumerate() {
            for file in &link.files {
                analysis.file_links.entry(*file).or_default().push(index);
            }
        }
        analysis.link_files = analysis.find_link_files();
        analysis
    }

    /// See [`Analysis::link_files`].
    fn find_link_files(&self) -> std::collections::HashSet<FileId> {
        let mut files: std::collections::HashSet<FileId> =
            self.file_links.keys().copied().collect();
        files.extend(
            self.statements
                .iter()
                .filter(|s| is_link_core(&s.kind))
                .map(|s| s.file),
        );
        // The trust step: where the certificate a mirroring endpoint authenticates with is
        // created (with its master key and private-key passwords).
        let key = |name: &str| name.trim().to_lowercase();
        let endpoint_certificates: std::collections::HashSet<String> = self
            .statements
            .iter()
            .filter(|s| is_link_core(&s.kind))
            .filter_map(|s| match &s.kind {
                StatementKind::Endpoint(e) => e.authentication.as_ref()?.certificate.as_ref(),
                _ => None,
            })
            .map(|name| key(&name.value))
            .collect();
        files.extend(
            self.certificates()
                .filter(|(_, c)| endpoint_certificates.contains(&key(&c.name.value)))
                .map(|(index, _)| self.statements[index].file),
        );
        // `:r` in either direction, transitively: a master script and its steps.
        let mut queue: Vec<FileId> = files.iter().copied().collect();
        while let Some(file) = queue.pop() {
            for edge in &self.includes {
                let other = match (edge.includer == file, edge.target == file) {
                    (true, _) => edge.target,
                    (_, true) => edge.includer,
                    _ => continue,
                };
                if files.insert(other) {
                    queue.push(other);
                }
            }
        }
        files
    }

    pub fn dags(&self) -> impl Iterator<Item = (usize, &DistributedAg)> {
        self.statements
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match &s.kind {
                StatementKind::DistributedAg(d) => Some((i, d)),
                _ => None,
            })
    }

    pub fn availability_groups(&self) -> impl Iterator<Item = (usize, &AvailabilityGroup)> {
        self.statements
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match &s.kind {
                StatementKind::AvailabilityGroup(a) => Some((i, a)),
                _ => None,
            })
    }

    pub fn endpoints(&self) -> impl Iterator<Item = (usize, &Endpoint)> {
        self.statements
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match &s.kind {
                StatementKind::Endpoint(e) => Some((i, e)),
                _ => None,
            })
    }

    pub fn certificates(&self) -> impl Iterator<Item = (usize, &Certificate)> {
        self.statements
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match &s.kind {
                StatementKind::Certificate(c) => Some((i, c)),
                _ => None,
            })
    }

    pub fn dag(&self, link: &LinkSetup) -> &DistributedAg {
        match &self.statements[link.dag].kind {
            StatementKind::DistributedAg(d) => d,
            _ => unreachable!("a link set-up always points at a DAG"),
        }
    }

    pub fn ag(&self, link: &LinkSetup) -> Option<&AvailabilityGroup> {
        link.ag.map(|i| match &self.statements[i].kind {
            StatementKind::AvailabilityGroup(a) => a,
            _ => unreachable!("a link set-up's AG index points at an AG"),
        })
    }

    pub fn mi_member(&self, link: &LinkSetup) -> &DagMember {
        &self.dag(link).members[link.mi_member]
    }

    pub fn sql_member(&self, link: &LinkSetup) -> Option<&DagMember> {
        link.sql_member.map(|i| &self.dag(link).members[i])
    }

    pub fn link_params(&self, link: &LinkSetup) -> Option<&LinkParams> {
        let params = self.params.as_ref()?;
        link.params.map(|i| &params.links[i])
    }

    /// The SQL Server name from the parameters (`@@SERVERNAME`), for dynamic names.
    pub fn server_name(&self) -> Option<&str> {
        self.params
            .as_ref()
            .and_then(|p| p.sql_server.name.as_ref())
            .map(|v| v.value.as_str())
    }

    /// The replica of the link's AG that is this SQL Server: the only one, or in a
    /// multi-node AG the one named like the parameters' `sql_server.name`.
    pub fn local_replica(&self, link: &LinkSetup) -> Option<&Replica> {
        let ag = self.ag(link)?;
        if let [only] = ag.replicas.as_slice() {
            return Some(only);
        }
        let server = self.server_name()?;
        ag.replicas
            .iter()
            .find(|r| compare(&r.server.value, server) != NameMatch::Different)
    }

    /// The link's SQL Server endpoint URLs: the AG replica's and the DAG member's.
    pub fn sql_side_urls(&self, link: &LinkSetup) -> Vec<&Url> {
        let mut urls = Vec::new();
        if let Some(replica) = self.local_replica(link) {
            urls.extend(replica.endpoint_url.as_ref());
        }
        if let Some(m) = self.sql_member(link) {
            urls.extend(m.listener_url.as_ref());
        }
        urls
    }

    /// Whether a member is the managed instance: its URL names a `Server=[…]`, an
    /// Azure SQL host, or the managed instance of the parameters file.
    fn is_mi_member(&self, member: &DagMember) -> bool {
        let Some(url) = &member.listener_url else {
            return false;
        };
        if url.server.is_some() {
            return true;
        }
        let Some(host) = &url.host else { return false };
        if looks_like_mi_host(&host.value) {
            return true;
        }
        let mi_fqdn = self
            .params
            .as_ref()
            .and_then(|p| p.managed_instance.fqdn.as_ref());
        mi_fqdn.is_some_and(|f| f.value.eq_ignore_ascii_case(&host.value))
    }

    fn find_links(&self) -> Vec<LinkSetup> {
        let mut links = Vec::new();
        for (index, dag) in self.dags() {
            let mi_member = dag.members.iter().position(|m| self.is_mi_member(m));
            let named_in_params = self.params.as_ref().is_some_and(|p| {
                p.links.iter().any(|l| {
                    l.distributed_availability_group
                        .as_ref()
                        .is_some_and(|d| compare(&dag.name.value, &d.value) != NameMatch::Different)
                })
            });
            // A DAG between two SQL Servers is not a link, unless the parameters say it is.
            let mi_member = match (mi_member, named_in_params) {
                (Some(m), _) => m,
                (None, true) if dag.members.len() >= 2 => 1,
                _ => continue,
            };
            let sql_member = (0..dag.members.len()).find(|&i| i != mi_member);
            let ag = sql_member.and_then(|m| self.find_ag(&dag.members[m].name.value, index));
            links.push(LinkSetup {
                dag: index,
                sql_member,
                mi_member,
                ag,
                params: None,
                files: Vec::new(),
                databases: Vec::new(),
            });
        }
        let folders = self.scripts_by_folder();
        for link in &mut links {
            link.files = self.setup_files(link, &folders, &self.includes);
            link.params = self.match_params(link);
        }
        for link in &mut links {
            link.databases = self.link_databases(link);
        }
        links
    }

    /// The linted scripts of each folder.
    fn scripts_by_folder(&self) -> std::collections::HashMap<&str, Vec<FileId>> {
        let mut folders: std::collections::HashMap<&str, Vec<FileId>> = Default::default();
        for s in &self.scripts {
            folders
                .entry(folder_of(&self.files.get(s.file).name))
                .or_default()
                .push(s.file);
        }
        folders
    }

    /// The scripts of a set-up (see [`LinkSetup::files`]).
    fn setup_files(
        &self,
        link: &LinkSetup,
        folders: &std::collections::HashMap<&str, Vec<FileId>>,
        includes: &[crate::include::IncludeEdge],
    ) -> Vec<FileId> {
        let mut core = vec![self.statements[link.dag].file];
        core.extend(link.ag.map(|i| self.statements[i].file));
        let mut files: Vec<FileId> = Vec::new();
        for file in &core {
            let folder = folder_of(&self.files.get(*file).name);
            files.extend(folders.get(folder).into_iter().flatten());
        }
        // `:r` in either direction, transitively: a master script and its steps.
        let mut queue = files.clone();
        while let Some(file) = queue.pop() {
            for edge in includes {
                let other = if edge.includer == file {
                    edge.target
                } else if edge.target == file {
                    edge.includer
                } else {
                    continue;
                };
                if !files.contains(&other) {
                    files.push(other);
                    queue.push(other);
                }
            }
        }
        files.sort_unstable();
        files.dedup();
        files
    }

    /// The databases of a link's AG in run order (see [`LinkSetup::databases`]).
    fn link_databases(&self, link: &LinkSetup) -> Vec<LinkDatabase> {
        use crate::model::AlterAgAction;
        let Some(ag_index) = link.ag else {
            return Vec::new();
        };
        let StatementKind::AvailabilityGroup(ag) = &self.statements[ag_index].kind else {
            return Vec::new();
        };
        let spanned = |n: &crate::model::Name| crate::model::Spanned {
            value: n.value.clone(),
            span: n.span,
        };
        let mut list: Vec<LinkDatabase> = ag
            .databases
            .iter()
            .map(|d| LinkDatabase {
                name: spanned(d),
                statement: ag_index,
            })
            .collect();
        for &index in self.database_changes.iter().filter(|&&i| i > ag_index) {
            let s = &self.statements[index];
            let StatementKind::AlterAg(alter) = &s.kind else {
                continue;
            };
            // Every ALTER counts, also one in the other arm of an existence guard
            // (`IF NOT EXISTS (…) CREATE AVAILABILITY GROUP … ELSE ALTER … ADD DATABASE`):
            // each arm is checked where it stands.
            if !link.has_file(s.file)
                || compare(&alter.name.value, &ag.name.value) == NameMatch::Different
            {
                continue;
            }
            match &alter.action {
                AlterAgAction::AddDatabase { databases } => {
                    for d in databases {
                        if !list
                            .iter()
                            .any(|x| compare(&x.name.value, &d.value) != NameMatch::Different)
                        {
                            list.push(LinkDatabase {
                                name: spanned(d),
                                statement: index,
                            });
                        }
                    }
                }
                // A REMOVE takes out what runs before it, not what the other arm of an IF adds.
                AlterAgAction::RemoveDatabase { databases } => list.retain(|x| {
                    self.statements[x.statement].excludes(s)
                        || !databases
                            .iter()
                            .any(|d| compare(&x.name.value, &d.value) != NameMatch::Different)
                }),
                _ => {}
            }
        }
        list
    }

    /// The set-ups a script belongs to.
    fn by_name(&self) -> &NameIndex {
        self.by_name.get_or_init(|| {
            let mut index = NameIndex::default();
            for (i, s) in self.statements.iter().enumerate() {
                let (map, name) = match &s.kind {
                    StatementKind::AlterAg(alter) => (&mut index.alter_ags, &alter.name.value),
                    StatementKind::Endpoint(e) if e.is_alter => {
                        let (name, connect) =
                            (crate::names::skeleton(&e.name.value), connect_key(s));
                        for setting in EndpointSetting::ALL.into_iter().filter(|x| x.is_set(e)) {
                            let key = (name.clone(), connect.clone(), setting);
                            index.endpoint_settings.entry(key).or_default().push(i);
                        }
                        continue;
                    }
                    StatementKind::AvailabilityGroup(ag) => (&mut index.ags, &ag.name.value),
                    StatementKind::Backup(b) => (&mut index.backups, &b.database.value),
                    _ => continue,
                };
                map.entry(crate::names::skeleton(name)).or_default().push(i);
            }
            index
        })
    }

    /// The `ALTER AVAILABILITY GROUP` statements of an AG named like `name` (not
    /// [`NameMatch::Different`]), in run order, with their statement index.
    pub fn alter_ags_named(
        &self,
        name: &str,
    ) -> impl Iterator<Item = (usize, &Statement, &crate::model::AlterAg)> {
        let found = self.by_name().alter_ags.get(&crate::names::skeleton(name));
        found.into_iter().flatten().filter_map(|&i| {
            let s = &self.statements[i];
            match &s.kind {
                StatementKind::AlterAg(alter) => Some((i, s, alter)),
                _ => None,
            }
        })
    }

    /// The ALTER ENDPOINT statements of the endpoint of statement `after`, run on the same
    /// `:connect` target after it, that set `setting`, in run order.
    pub fn endpoint_set_after(&self, after: usize, setting: EndpointSetting) -> &[usize] {
        let StatementKind::Endpoint(e) = &self.statements[after].kind else {
            return &[];
        };
        let key = (
            crate::names::skeleton(&e.name.value),
            connect_key(&self.statements[after]),
            setting,
        );
        self.by_name()
            .endpoint_settings
            .get(&key)
            .map_or(&[][..], |list| {
                &list[list.partition_point(|&i| i <= after)..]
            })
    }

    /// The BACKUP DATABASE statements of a database named like `name`, in run order.
    pub fn backups_of(&self, name: &str) -> impl Iterator<Item = &crate::model::Backup> {
        let found = self.by_name().backups.get(&crate::names::skeleton(name));
        found
            .into_iter()
            .flatten()
            .filter_map(|&i| match &self.statements[i].kind {
                StatementKind::Backup(b) => Some(b),
                _ => None,
            })
    }

    /// The link set-ups whose DAG is named like `name` (not [`NameMatch::Different`]).
    pub fn links_named(&self, name: &str) -> impl Iterator<Item = &LinkSetup> {
        let dags = self.dags_by_name.get_or_init(|| {
            let mut dags: std::collections::HashMap<String, Vec<usize>> = Default::default();
            for (i, link) in self.links.iter().enumerate() {
                let key = crate::names::skeleton(&self.dag(link).name.value);
                dags.entry(key).or_default().push(i);
            }
            dags
        });
        let found = dags.get(&crate::names::skeleton(name));
        found.into_iter().flatten().map(|&i| &self.links[i])
    }

    pub fn links_of(&self, file: FileId) -> impl Iterator<Item = &LinkSetup> {
        self.file_links
            .get(&file)
            .into_iter()
            .flatten()
            .map(|&i| &self.links[i])
    }

    /// Whether a script belongs to some link set-up.
    pub fn in_a_setup(&self, file: FileId) -> bool {
        self.file_links.contains_key(&file)
    }

    /// The statements that speak for a link's set-up among `items` (indices into the
    /// statements): those in its scripts; when its scripts have none, those in scripts
    /// of no set-up (an endpoint script in a folder of its own).
    pub fn for_link<T>(&self, link: &LinkSetup, items: Vec<(usize, T)>) -> Vec<(usize, T)> {
        let file = |i: usize| self.statements[i].file;
        if items.iter().any(|(i, _)| link.has_file(file(*i))) {
            return items
                .into_iter()
                .filter(|(i, _)| link.has_file(file(*i)))
                .collect();
        }
        items
            .into_iter()
            .filter(|(i, _)| !self.in_a_setup(file(*i)))
            .collect()
    }

    /// The AG created with this name: in the DAG's file, else its folder, else the last
    /// one before the DAG, else any.
    fn find_ag(&self, name: &str, dag_index: usize) -> Option<usize> {
        let candidates: Vec<usize> = self
            .by_name()
            .ags
            .get(&crate::names::skeleton(name))
            .cloned()
            .unwrap_or_default();
        let dag = &self.statements[dag_index];
        let dag_folder = folder_of(&self.files.get(dag.file).name);
        let before = |i: &&usize| **i < dag_index;
        let same_file = |i: &&usize| self.statements[**i].file == dag.file;
        let same_folder =
            |i: &&usize| folder_of(&self.files.get(self.statements[**i].file).name) == dag_folder;
        let pick = |filter: &dyn Fn(&&usize) -> bool| {
            candidates
                .iter()
                .rev()
                .filter(|i| filter(i))
                .find(before)
                .or_else(|| candidates.iter().find(|i| filter(i)))
                .copied()
        };
        pick(&same_file)
            .or_else(|| pick(&same_folder))
            .or_else(|| pick(&|_| true))
    }

    /// The parameters entry for a set-up: matched by DAG, AG or database name; else the
    /// closest by name similarity, so a set-up is never silently left unchecked.
    fn match_params(&self, link: &LinkSetup) -> Option<usize> {
        let params = self.params.as_ref()?;
        if params.links.len() <= 1 {
            return (!params.links.is_empty()).then_some(0);
        }
        let dag = self.dag(link);
        let ag_name = self.sql_member(link).map(|m| m.name.value.as_str());
        let databases: Vec<&str> = self
            .ag(link)
            .map(|a| a.databases.iter().map(|d| d.value.as_str()).collect())
            .unwrap_or_default();
        let same = |a: &str, b: &str| compare(a, b) != NameMatch::Different;
        let score = |l: &LinkParams| -> f64 {
            let mut exact = 0.0;
            let mut fuzzy: f64 = 0.0;
            if let Some(d) = &l.distributed_availability_group {
                if same(&dag.name.value, &d.value) {
                    exact += 4.0;
                }
                fuzzy = fuzzy.max(similarity(&dag.name.value, &d.value));
            }
            if let (Some(a), Some(ag)) = (&l.availability_group, ag_name) {
                if same(ag, &a.value) {
                    exact += 2.0;
                }
                fuzzy = fuzzy.max(similarity(ag, &a.value));
            }
            if let Some(dbs) = &l.databases {
                if dbs
                    .iter()
                    .any(|p| databases.iter().any(|d| same(d, &p.value)))
                {
                    exact += 1.0;
                }
            }
            exact * 10.0 + fuzzy
        };
        params
            .links
            .iter()
            .enumerate()
            .max_by(|(ia, a), (ib, b)| {
                score(a)
                    .partial_cmp(&score(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(ib.cmp(ia))
            })
            .map(|(i, _)| i)
    }
}

/// Where each script runs, as a key to sort by: `[rank]` for a script that no other
/// includes (ranked by name, numbers by value: `2_trust.sql` before `10_link.sql`), and
/// the key of the script that first includes it plus the offset of its `:r` line for
/// one that is included. Statements sort by their script's key, then their offset.
fn run_order(
    files: &Files,
    scripts: &[ScriptFacts],
    edges: &[crate::include::IncludeEdge],
) -> std::collections::HashMap<FileId, Vec<u32>> {
    let mut by_name: Vec<FileId> = scripts.iter().map(|s| s.file).collect();
    by_name.sort_by_cached_key(|f| natural_key(&files.get(*f).name));
    let included: std::collections::HashSet<FileId> = edges.iter().map(|e| e.target).collect();
    let mut order: std::collections::HashMap<FileId, Vec<u32>> = Default::default();
    let place =
        |root: FileId, rank: u32, order: &mut std::collections::HashMap<FileId, Vec<u32>>| {
            if order.contains_key(&root) {
                return;
            }
            order.insert(root, vec![rank]);
            let mut stack = vec![root];
            while let Some(file) = stack.pop() {
                let mut steps: Vec<&crate::include::IncludeEdge> =
                    edges.iter().filter(|e| e.includer == file).collect();
                steps.sort_by_key(|e| e.command.start);
                for edge in steps.into_iter().rev() {
                    if !order.contains_key(&edge.target) {
                        let mut key = order[&file].clone();
                        key.push(edge.command.start);
                        order.insert(edge.target, key);
                        stack.push(edge.target);
                    }
                }
            }
        };
    for (rank, file) in by_name.iter().enumerate() {
        if !included.contains(file) {
            place(*file, rank as u32, &mut order);
        }
    }
    // Scripts only reached through a cycle of includes.
    for (rank, file) in by_name.iter().enumerate() {
        place(*file, rank as u32, &mut order);
    }
    order
}

/// A name split into text and numbers, so numbers sort by value (`2` before `10`).
fn natural_key(name: &str) -> Vec<(String, u128, usize)> {
    let mut parts = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let text_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (text, after) = rest.split_at(text_len);
        let digits_len = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let (digits, tail) = after.split_at(digits_len);
        // Very long digit runs compare by length first, then as text.
        let value = digits.parse::<u128>().unwrap_or(u128::MAX);
        parts.push((text.to_lowercase(), value, digits.len()));
        rest = tail;
    }
    parts
}

/// A statement that only a link (or an AG) set-up writes: not a master key, a
/// certificate, a backup or a `USE`, which every security or maintenance script has.
fn is_link_core(kind: &StatementKind) -> bool {
    match kind {
        StatementKind::AvailabilityGroup(_)
        | StatementKind::DistributedAg(_)
        | StatementKind::AlterAg(_) => true,
        StatementKind::Endpoint(e) => e
            .payload
            .as_ref()
            .is_none_or(|p| p.value.eq_ignore_ascii_case("DATABASE_MIRRORING")),
        StatementKind::Exec(e) => crate::prefilter::LINK_PROCEDURES
            .iter()
            .any(|p| e.procedure.value.eq_ignore_ascii_case(p)),
        _ => false,
    }
}

/// The folder part of a script's name (`MiLink/Sales` of `MiLink/Sales/05_ag.sql`).
pub fn folder_of(name: &str) -> &str {
    name.rfind(['/', '\\']).map_or("", |i| &name[..i])
}
