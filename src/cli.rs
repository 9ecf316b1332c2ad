//! Command-line definitions (clap derive).

use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "milink-lint",
    version,
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
    Check(CheckArgs),
    /// List every rule: code, name, default severity, summary
    Rules,
    /// Print a rule's documentation
    Explain {
        /// Rule code (ML101) or name (dag-name-mismatch)
        code: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files and folders to lint (folders: every *.sql below, sorted); '-' is stdin
    #[arg(default_value = ".")]
    pub paths: Vec<OsString>,

    /// Parameters file (TOML, or YAML/JSON by extension)
    #[arg(long, value_name = "FILE", env = "MILINK_LINT_PARAMS")]
    pub params: Option<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to use colour (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Define a SQLCMD variable, like `sqlcmd -v NAME=VALUE` (repeatable)
    #[arg(long = "var", short = 'v', value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,

    /// Exit with status 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,

    /// Check certificate expiry dates against this date instead of today (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<milink_lint::date::Date>,

    /// Print only the summary line (human format)
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn parse_date(text: &str) -> Result<milink_lint::date::Date, String> {
    milink_lint::date::Date::parse_iso(text)
        .ok_or_else(|| format!("expected a date YYYY-MM-DD, got '{text}'"))
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!("expected NAME=VALUE, got '{text}'")),
    }
}
