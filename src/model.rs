//! The link model: typed facts extracted from the scripts, each name and value with its span.

use crate::span::{FileId, Span};

/// Stands for `@@SERVERNAME` inside a name evaluated from dynamic SQL; resolved
/// against the parameters file by the rules (see [`Name::resolve`]).
pub const SERVERNAME_MARKER: char = '\u{E000}';

/// A value with the span it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A keyword-valued option, upper-cased (`AUTOMATIC`, `SYNCHRONOUS_COMMIT`, …).
pub type Word = Spanned<String>;

/// An object name. `[x]`, `x`, `"x"`, `'x'` and `N'x'` all give the value `x`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub value: String,
    /// The whole token as written (quotes and brackets included).
    pub span: Span,
    /// The name comes (partly) from a `$(VAR)` substitution.
    pub from_variable: bool,
    /// The name was built by dynamic SQL and may contain [`SERVERNAME_MARKER`].
    pub dynamic: bool,
}

impl Name {
    /// The name with `@@SERVERNAME` replaced by `server_name` when known.
    pub fn resolve(&self, server_name: Option<&str>) -> Option<String> {
        if !self.value.contains(SERVERNAME_MARKER) {
            return Some(self.value.clone());
        }
        server_name.map(|s| self.value.replace(SERVERNAME_MARKER, s))
    }

    /// The name as shown to users (`@@SERVERNAME` spelled out).
    pub fn display(&self) -> String {
        self.value.replace(SERVERNAME_MARKER, "@@SERVERNAME")
    }
}

/// A parsed `TCP://host:port[;Server=[x][;Database=[y]]]` URL with sub-spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub text: String,
    /// The string literal.
    pub span: Span,
    /// The text inside the quotes.
    pub value_span: Span,
    pub scheme: Option<Spanned<String>>,
    pub host: Option<Spanned<String>>,
    /// The port as written; `value` is None when it is not a valid port number.
    pub port: Option<Spanned<Option<u16>>>,
    pub port_text: Option<String>,
    pub server: Option<Spanned<String>>,
    pub database: Option<Spanned<String>>,
    /// Text that has no place in the grammar (path, spaces, unknown `;key=`).
    pub junk: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MasterKey {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateSource {
    /// `FROM BINARY = 0x…`: a public key imported from elsewhere (the MI, a root CA).
    Binary,
    File,
    Assembly,
    /// `WITH SUBJECT = …`: generated on this server.
    Generated,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub name: Name,
    pub source: CertificateSource,
    pub subject: Option<Spanned<String>>,
    pub expiry_date: Option<Spanned<String>>,
    /// `ENCRYPTION BY PASSWORD`: the private key does not need the master key.
    pub password_protected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authentication {
    pub span: Span,
    /// `WINDOWS [NTLM|KERBEROS|NEGOTIATE]` if present.
    pub windows: Option<Word>,
    pub certificate: Option<Name>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encryption {
    pub span: Span,
    /// `DISABLED`, `SUPPORTED` or `REQUIRED`.
    pub mode: Word,
    /// `AES`, `RC4` in the order written.
    pub algorithms: Vec<Word>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub name: Name,
    /// `ALTER ENDPOINT` rather than `CREATE ENDPOINT`.
    pub is_alter: bool,
    pub state: Option<Word>,
    pub port: Option<Spanned<Option<u16>>>,
    /// `ALL`, or the address inside `(…)`.
    pub listener_ip: Option<Spanned<String>>,
    /// `DATABASE_MIRRORING`, `SERVICE_BROKER`, …
    pub payload: Option<Word>,
    /// The `( … )` option list after the payload, for a fix that adds an option.
    pub payload_options: Option<Span>,
    pub role: Option<Word>,
    pub authentication: Option<Authentication>,
    pub encryption: Option<Encryption>,
}

/// Options shared by AG replicas and DAG members.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplicaOptions {
    pub availability_mode: Option<Word>,
    pub failover_mode: Option<Word>,
    pub seeding_mode: Option<Word>,
    /// The `WITH (…)` clause, for findings about an omitted option.
    pub with_span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replica {
    /// `REPLICA ON N'<server>'`.
    pub server: Name,
    pub endpoint_url: Option<Url>,
    pub options: ReplicaOptions,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgListener {
    pub name: Name,
    pub port: Option<Spanned<Option<u16>>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailabilityGroup {
    pub name: Name,
    pub cluster_type: Option<Word>,
    /// The `WITH (…)` option clause of the group.
    pub options_span: Option<Span>,
    /// `FOR DATABASE …`; empty when the group is created without databases.
    pub databases: Vec<Name>,
    /// The `FOR` keyword through the database list.
    pub for_span: Option<Span>,
    pub replicas: Vec<Replica>,
    pub listener: Option<AgListener>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DagMember {
    /// The member availability group's name.
    pub name: Name,
    pub listener_url: Option<Url>,
    pub options: ReplicaOptions,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributedAg {
    pub name: Name,
    pub members: Vec<DagMember>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlterAgAction {
    GrantCreateAnyDatabase,
    /// `JOIN` (plain, on a secondary replica) or `JOIN AVAILABILITY GROUP ON …` (DAG).
    Join {
        members: Vec<DagMember>,
    },
    /// `MODIFY AVAILABILITY GROUP ON …` (DAG members).
    ModifyMembers {
        members: Vec<DagMember>,
    },
    /// `MODIFY REPLICA ON 'server' WITH (…)`.
    ModifyReplica {
        replica: Box<Replica>,
    },
    AddDatabase {
        databases: Vec<Name>,
    },
    RemoveDatabase {
        databases: Vec<Name>,
    },
    Failover,
    ForceFailover,
    /// Any other action, by its first keyword.
    Other(Word),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlterAg {
    pub name: Name,
    pub action: AlterAgAction,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlterDatabaseAction {
    SetRecovery(Word),
    /// `SET HADR AVAILABILITY GROUP = ag`, or `SET HADR OFF/SUSPEND/RESUME` (ag None).
    SetHadr {
        availability_group: Option<Name>,
    },
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlterDatabase {
    pub name: Name,
    pub action: AlterDatabaseAction,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    pub database: Name,
    pub copy_only: bool,
    pub differential: bool,
}

/// `EXEC procedure args` for the procedures link scripts call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exec {
    pub procedure: Name,
    /// Literal or variable arguments as written (variables keep their `@`).
    pub arguments: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatementKind {
    MasterKey(MasterKey),
    Certificate(Certificate),
    Endpoint(Endpoint),
    AvailabilityGroup(AvailabilityGroup),
    DistributedAg(DistributedAg),
    AlterAg(AlterAg),
    AlterDatabase(AlterDatabase),
    Backup(Backup),
    Use(Name),
    Exec(Exec),
}

/// Where a statement runs, as far as the script says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Context {
    /// The `:connect` target in force.
    pub connect: Option<Spanned<String>>,
    /// The database set by the last `USE` in the same file (and connection).
    pub database: Option<Spanned<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
    pub file: FileId,
    pub batch: usize,
    pub context: Context,
    /// Built by dynamic SQL (`EXEC sp_executesql @cmd`): spans point at the EXEC argument.
    pub dynamic: bool,
    /// Which arm of which IF (and which loop, CATCH block or procedure body) the
    /// statement runs in; ids are unique within the file.
    pub flow: crate::statements::Flow,
}

impl Statement {
    /// The two statements never both run: they are in different arms of one IF.
    pub fn excludes(&self, other: &Statement) -> bool {
        self.file == other.file && self.flow.excludes(&other.flow)
    }
}
