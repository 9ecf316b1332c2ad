//! The link as Azure sees it: exported link resources (ARM/REST, `az sql mi link
//! show/list`, `Get-AzSqlInstanceLink | ConvertTo-Json`) and the PowerShell, Azure CLI
//! and sqlcmd calls in the shell scripts next to the T-SQL. Both become [`AzureLink`]s
//! (and a few other facts) whose every value keeps its span, so the rules can compare
//! them with the T-SQL and with the parameters file.

pub mod as_params;
pub mod cli_value;
pub mod commands;
pub mod export;
pub mod placeholders;
pub mod secrets;
pub mod shell;
pub mod value_file;

use crate::span::Span;

/// A value read from an export or a command line, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AzValue {
    pub value: String,
    /// Where the value is used: the JSON string, or the argument as written
    /// (`"dag-x"`, `$DagName`, `${DAG}`, `%DAG%`).
    pub span: Span,
    /// For a variable: the literal it was assigned (`$DagName = "dag-x"`), shown as a label.
    pub defined_at: Option<Span>,
}

/// Which kind of Azure description a link comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportShape {
    /// ARM / REST resource: `id`, `name`, `type`, `properties.*`.
    Arm,
    /// `az sql mi link show`: the properties flattened next to `id` and `name`.
    AzCli,
    /// `az sql mi link list`: an array of `AzCli` objects (or of ARM objects, or `{"value": […]}`).
    AzCliList,
    /// `Get-AzSqlInstanceLink | ConvertTo-Json`: PascalCase keys, `InstanceName`.
    PowerShell,
}

impl ExportShape {
    pub fn describe(self) -> &'static str {
        match self {
            ExportShape::Arm => "the ARM resource",
            ExportShape::AzCli => "the `az sql mi link show` export",
            ExportShape::AzCliList => "the link list export",
            ExportShape::PowerShell => "the `Get-AzSqlInstanceLink` export",
        }
    }
}

/// What a shell command does with the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandAction {
    /// `New-AzSqlInstanceLink`, `az sql mi link create`: creates the MI side; its values are
    /// the initial ones.
    Create,
    /// `Update-AzSqlInstanceLink`, `az sql mi link update`.
    Update,
    /// `Get-AzSqlInstanceLink`, `Start-AzSqlInstanceLinkFailover`,
    /// `az sql mi link show|failover`: names an existing link. (Removing a link names an
    /// old one as often as this one: not compared.)
    Reference,
}

/// Where an [`AzureLink`] was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Export(ExportShape),
    /// A command in a shell script; `command` is its name as written (`New-AzSqlInstanceLink`,
    /// `az sql mi link create`).
    Command {
        command: String,
        action: CommandAction,
    },
}

/// A parameter written under its old name (Az.Sql ≤ 5, Azure CLI < 2.67, API 2021-11-01).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldName {
    /// The key or flag as written.
    pub span: Span,
    pub old: String,
    /// The current name in the same style (`-PartnerAvailabilityGroupName`, `--partner-ag-name`,
    /// `partnerAvailabilityGroupName`).
    pub new: String,
    /// When the old name stopped working ("removed in Az.Sql 6.0.0 (Az 13.0.0)").
    pub removed_in: &'static str,
}

/// One link, as an export shows it or as a command creates / names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AzureLink {
    pub origin: Origin,
    /// The JSON object, or the whole command.
    pub span: Span,
    /// Where findings about the whole link point: the command's name, or the JSON object.
    pub head: Span,
    /// Mandatory parameters a create command leaves out (as written in its tool's style).
    pub missing: Vec<&'static str>,
    /// A line continuation that did not continue (a space after the backtick).
    pub broken_continuation: Option<Span>,
    /// One of several links of one export (`az sql mi link list`): the other links of
    /// the managed instance are not the scripts' set-up, so only one that names it counts.
    pub in_list: bool,
    /// A role argument is written (its value may be unknown): the default does not apply.
    pub role_written: bool,
    /// Link name = the DAG's name (`name`, last segment of `id`, `-Name`, `--link`).
    pub name: Option<AzValue>,
    /// Managed instance short name (segment after `managedInstances/`, `-InstanceName`, `--mi`).
    pub instance: Option<AzValue>,
    pub resource_group: Option<AzValue>,
    /// The AG on SQL Server (`partnerAvailabilityGroupName` | `primaryAvailabilityGroupName`).
    pub partner_ag: Option<AzValue>,
    /// The MI's member of the DAG (`instanceAvailabilityGroupName` | `secondaryAvailabilityGroupName`).
    pub instance_ag: Option<AzValue>,
    /// `databases[].databaseName` | `targetDatabase` | `-Database a,b` | `--databases "['a']"`.
    pub databases: Option<Vec<AzValue>>,
    /// The whole list as written (for "missing database" findings).
    pub databases_span: Option<Span>,
    /// `--databases @dbs.json`: the list is in a file, read when a rule first asks
    /// (relative to the shell script's folder); `databases` is then `None`.
    pub databases_file: Option<std::sync::Arc<value_file::ValueFile>>,
    /// `TCP://host:port` of SQL Server (`partnerEndpoint` | `sourceEndpoint`).
    pub partner_endpoint: Option<AzValue>,
    /// `Primary` | `Secondary` (current role for exports, initial role for `Create`).
    pub instance_link_role: Option<AzValue>,
    pub failover_mode: Option<AzValue>,
    pub seeding_mode: Option<AzValue>,
    /// `SingleDatabase` | `MultiDatabase`.
    pub link_mode: Option<AzValue>,
    pub old_names: Vec<OldName>,
}

impl AzureLink {
    pub fn new(origin: Origin, span: Span) -> AzureLink {
        AzureLink {
            origin,
            span,
            head: span,
            missing: Vec::new(),
            broken_continuation: None,
            in_list: false,
            role_written: false,
            name: None,
            instance: None,
            resource_group: None,
            partner_ag: None,
            instance_ag: None,
            databases: None,
            databases_span: None,
            databases_file: None,
            partner_endpoint: None,
            instance_link_role: None,
            failover_mode: None,
            seeding_mode: None,
            link_mode: None,
            old_names: Vec::new(),
        }
    }
}

/// `New-AzSqlInstanceServerTrustCertificate` / `az sql mi partner-cert create`: uploads
/// SQL Server's endpoint certificate to the managed instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustCertificate {
    pub command: String,
    pub span: Span,
    pub instance: Option<AzValue>,
    /// The certificate's name on the managed instance (the docs use SQL Server's certificate name).
    pub name: Option<AzValue>,
}

/// `Invoke-Sqlcmd -ServerInstance S -InputFile F` / `sqlcmd -S S -i F`: script `F` runs on `S`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptRun {
    pub command: String,
    pub span: Span,
    pub server: Option<AzValue>,
    /// Each input file: its path as far as known (the text as written when it is built from
    /// something unknown such as `$PSScriptRoot`) and where it is written.
    pub inputs: Vec<(String, Span)>,
    /// SQLCMD variables passed to the scripts (`-Variable "A=b"`, `-v A=b`).
    pub vars: Vec<(String, String)>,
    /// Inline T-SQL (`-Query`, `-Q`) as run (variables substituted), where it is written,
    /// and the literal of the assignment when it is (or contains) a variable.
    pub queries: Vec<(String, Span, Option<Span>)>,
    /// Its arguments whose value is not known (the server): said (ML609) only when the
    /// run executes a script of a link set-up.
    pub unresolved: Vec<Unresolved>,
}

/// An argument whose value the tool cannot know, so it is not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub span: Span,
    /// `New-AzSqlInstanceLink -Name`.
    pub what: String,
    pub why: String,
}

/// Which kind of command a line continuation broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContinuationOf {
    /// A link command (create, update, show, failover).
    Link(CommandAction),
    /// `Remove-AzSqlInstanceLink`, `az sql mi link delete`, `az sql mi link list`.
    OtherLinkCommand,
    /// `New-AzSqlInstanceServerTrustCertificate`, `az sql mi partner-cert create`.
    TrustCertificate,
    /// `Invoke-Sqlcmd`, `sqlcmd`, `Invoke-DbaQuery`: a link command when it runs a link script.
    Runner,
}

/// A line continuation that did not continue: the continuation character (`` ` ``, `\`,
/// `^`) is followed by blanks at the end of a command's last line, and the next line
/// starts with a parameter, which then runs as a command of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenContinuation {
    /// The command's name as written (`Update-AzSqlInstanceLink`, `az sql mi link update`).
    pub command: String,
    pub kind: ContinuationOf,
    /// The command's name.
    pub head: Span,
    /// The whole command (as the shell runs it: up to the broken continuation).
    pub command_span: Span,
    /// The continuation character and the blanks after it.
    pub at: Span,
    /// The text of the lines cut off (the parameters that are never passed).
    pub cut_off: Span,
}

/// What the exports and shell scripts of a run say about the Azure side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AzureFacts {
    pub links: Vec<AzureLink>,
    /// Managed instances of exports (`az sql mi show`): name and FQDN.
    pub instances: Vec<export::InstanceExport>,
    pub trust_certificates: Vec<TrustCertificate>,
    pub runs: Vec<ScriptRun>,
    pub unresolved: Vec<Unresolved>,
    /// Broken line continuations on the link commands and script runners.
    pub continuations: Vec<BrokenContinuation>,
}

impl AzureFacts {
    pub fn append(&mut self, other: AzureFacts) {
        self.links.extend(other.links);
        self.instances.extend(other.instances);
        self.trust_certificates.extend(other.trust_certificates);
        self.runs.extend(other.runs);
        self.unresolved.extend(other.unresolved);
        self.continuations.extend(other.continuations);
    }
}
