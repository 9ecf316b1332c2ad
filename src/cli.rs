//! Command-line definitions (clap derive).

use clap::{Parser, Subcommand, ValueEnum};
use milink_lint::diagnostic::Severity;
use std::ffi::OsString;
use std::path::PathBuf;

/// `0.1.0 (git 1a2b3c4d5e)`: the revision is set by build.rs when built from a checkout.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), env!("MILINK_LINT_GIT_REVISION"));

#[derive(Debug, Parser)]
#[command(
    name = "milink-lint",
    version = VERSION,
    about = "Static checks for Azure SQL Managed Instance link set-up scripts (T-SQL)",
    long_about = "Checks the T-SQL set-up scripts of an Azure SQL Managed Instance link \
(certificates, mirroring endpoint, availability group, distributed availability group) \
against each other and against a parameters file, and reports every mismatch that would \
end in error 41977 or its neighbours, with source locations."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files and folders ('-' reads standard input)
    Check(Box<CheckArgs>),
    /// List every rule: code, name, default severity, summary
    Rules {
        /// Output format: a table (human) or a JSON object (json)
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Print a rule's documentation
    Explain {
        /// Rule code (ML101) or name (dag-name-mismatch), in any letter case
        #[arg(value_parser = RuleParser, hide_possible_values = true)]
        code: String,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command into DIR
    Man {
        /// Folder to write milink-lint.1, milink-lint-check.1, … into
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source snippets
    Human,
    /// the contract's JSON object
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request)
    Github,
    /// GitLab Code Quality report
    Gitlab,
    /// JUnit XML, one test suite per file
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// one line per rule: code, name, default severity, summary
    Human,
    /// a JSON object: `version` and `rules` (code, name, severity, summary, catalogue,
    /// needs_params, doc_url)
    Json,
}

/// `explain`'s argument: a rule code or name, in any letter case. Its possible values
/// (every code and name) feed the shell completions; help and errors do not list them
/// (over a hundred), an unknown rule gets its own message with the closest rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleParser;

impl clap::builder::TypedValueParser for RuleParser {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let text = value.to_string_lossy();
        if milink_lint::rules::find(&text).is_some() {
            return Ok(text.into_owned());
        }
        // The selection's "did you mean" knows every code and name.
        let help = milink_lint::selection::RuleSelection::new(&[text.as_ref()], &[], &[])
            .err()
            .and_then(|e| e.help)
            .unwrap_or_else(|| "`milink-lint rules` lists the codes and names".into());
        Err(clap::Error::raw(
            clap::error::ErrorKind::InvalidValue,
            format!("unknown rule '{text}'\nhelp: {help}\n"),
        ))
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(milink_lint::codes::Code::ALL.iter().flat_map(
            |c| {
                [
                    clap::builder::PossibleValue::new(c.as_str()).help(c.name()),
                    clap::builder::PossibleValue::new(c.name()).help(c.as_str()),
                ]
            },
        )))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and folders to lint (folders: every *.sql and shell script (*.ps1, *.sh, *.cmd, …) below, sorted; .gitignore honoured);
    /// '-' is standard input. Default: `paths` of milink.toml, else the current folder
    pub paths: Vec<OsString>,

    /// Parameters file (TOML, or YAML/JSON by extension), or an Azure link export
    /// (`az sql mi link show/list -o json`, `Get-AzSqlInstanceLink | ConvertTo-Json`, the ARM resource)
    #[arg(long, value_name = "FILE", env = "MILINK_LINT_PARAMS")]
    pub params: Option<PathBuf>,

    /// An Azure link or managed instance export to check the scripts (and the parameters
    /// file) against; repeatable. Also `azure = [...]` in milink.toml
    #[arg(long, value_name = "FILE")]
    pub azure: Vec<PathBuf>,

    /// Configuration file (default: milink.toml in the current folder or a parent)
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Do not read any milink.toml
    #[arg(long)]
    pub no_config: bool,

    /// Output format [default: human, or `format` of milink.toml]
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write the report to FILE instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// When to use colour (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Define a SQLCMD variable, like `sqlcmd -v NAME=VALUE` (repeatable)
    // Checked by `parse_vars`, not by clap: clap's error would echo the value, which
    // may be a password.
    #[arg(long = "var", short = 'v', value_name = "NAME=VALUE")]
    pub vars: Vec<String>,

    /// Run only these rules: codes, code prefixes (ML1) or names, comma-separated; replaces
    /// `select` of milink.toml
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,

    /// Do not run these rules (codes, prefixes or names); replaces `ignore` of milink.toml
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Option<Vec<String>>,

    /// Report a rule at another severity: RULE=error|warning|info (repeatable)
    #[arg(long, value_name = "RULE=LEVEL", value_parser = parse_severity_override)]
    pub severity: Vec<(String, Severity)>,

    /// Lowest severity that makes the exit status 1 [default: error]
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,

    /// Same as `--fail-on warning`
    #[arg(long, conflicts_with = "fail_on")]
    pub deny_warnings: bool,

    /// Lint files that .gitignore/.ignore files exclude, and hidden folders
    #[arg(long)]
    pub no_ignore: bool,

    /// Apply `exclude` of milink.toml to files named on the command line too
    #[arg(long)]
    pub force_exclude: bool,

    /// The name standard input is shown under (reads standard input when no PATHS are given)
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Refuse scripts larger than SIZE (bytes, or with KB/MB/GB) [default: 256MB]
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,

    /// Read every file with this encoding: auto (a BOM, else UTF-8 if valid, else
    /// Windows-1252), utf-8, utf-16le, windows-1250 … [default: encoding in milink.toml, else auto]
    #[arg(long, value_name = "NAME", value_parser = parse_charset)]
    pub encoding: Option<milink_lint::source::Charset>,

    /// Check certificate expiry dates against this date instead of today (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<milink_lint::date::Date>,

    /// Apply the safe fixes, lint again, and report what remains (with `-` alone: print
    /// the fixed script to stdout, the findings to stderr)
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff: apply the unsafe fixes too (they change more than one value)
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff and write nothing (exit status 1 when there is
    /// something to fix)
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,

    /// Like --fix, but report nothing; the exit status is 0 unless the run failed
    #[arg(long, conflicts_with = "diff")]
    pub fix_only: bool,

    /// Tokenize every file and batch, also those without a word any rule looks for
    /// (slower; the output is the same, which the tests check)
    #[arg(long, hide = true)]
    pub no_prefilter: bool,

    /// Print only the summary line (human format)
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn parse_size(text: &str) -> Result<u64, String> {
    milink_lint::config::parse_size(text)
        .ok_or_else(|| format!("expected a size such as 300MB or 1GB, got '{text}'"))
}

fn parse_severity_override(text: &str) -> Result<(String, Severity), String> {
    let (rule, level) = text
        .split_once('=')
        .ok_or_else(|| format!("expected RULE=LEVEL, got '{text}'"))?;
    let level = milink_lint::selection::parse_severity(level)
        .ok_or_else(|| format!("'{level}' is not a severity (error, warning or info)"))?;
    Ok((rule.to_string(), level))
}

fn parse_date(text: &str) -> Result<milink_lint::date::Date, String> {
    milink_lint::date::Date::parse_iso(text)
        .ok_or_else(|| format!("expected a date YYYY-MM-DD, got '{text}'"))
}

/// `--var NAME=VALUE` arguments. An error never shows a value: it names the argument by
/// its position (the text may be a password with a typo in its `=`).
pub fn parse_vars(args: &[String]) -> Result<Vec<(String, String)>, String> {
    args.iter()
        .enumerate()
        .map(|(i, text)| match text.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.to_string(), value.to_string()))
            }
            _ => Err(format!(
                "--var: the {} --var is not NAME=VALUE (it is not shown: it may hold a password)",
                ordinal(i + 1)
            )),
        })
        .collect()
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn parse_charset(text: &str) -> Result<milink_lint::source::Charset, String> {
    milink_lint::source::Charset::parse(text).ok_or_else(|| {
        format!(
            "unknown encoding '{text}': {}",
            milink_lint::config::ENCODING_HELP
        )
    })
}
