//! Thin binary: parse arguments, call the library, map the outcome to an exit code
//! (0 clean, 1 error-level findings, 2 the run failed).

mod cli;

use clap::Parser;
use cli::{CheckArgs, Cli, ColorChoice, Command, Format};
use codespan_reporting::term::termcolor::{Ansi, NoColor};
use milink_lint::diagnostic::Severity;
use milink_lint::sqlcmd::ExternalVars;
use milink_lint::{lint, report, rules, LintOptions};
use std::io::Write;
use std::process::ExitCode;

/// Write to stdout; a closed pipe (`milink-lint … | head`) is a normal end.
fn emit(bytes: &[u8], color: ColorChoice) -> std::io::Result<()> {
    let result = match color {
        ColorChoice::Auto => anstream::stdout().write_all(bytes),
        ColorChoice::Always | ColorChoice::Never => std::io::stdout().write_all(bytes),
    };
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let options = LintOptions {
        params: args.params.clone(),
        vars: ExternalVars {
            vars: args.vars.clone(),
        },
        today: args.today,
        ..LintOptions::default()
    };
    let report = match lint(&args.paths, &options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}", e.message);
            if let Some(help) = e.help {
                eprintln!("help: {help}");
            }
            return ExitCode::from(2);
        }
    };
    let rendered = match args.format {
        Format::Json => report::json::render(&report).into_bytes(),
        Format::Human if args.color == ColorChoice::Never => {
            let mut out = NoColor::new(Vec::new());
            let _ = report::human::render(&report, &mut out, args.quiet);
            out.into_inner()
        }
        Format::Human => {
            let mut out = Ansi::new(Vec::new());
            let _ = report::human::render(&report, &mut out, args.quiet);
            out.into_inner()
        }
    };
    if let Err(e) = emit(&rendered, args.color) {
        eprintln!("error: cannot write the output: {e}");
        return ExitCode::from(2);
    }
    if args.format == Format::Json {
        eprintln!("{}", report::summary(&report));
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn list_rules() -> ExitCode {
    let mut text = String::new();
    for r in rules::RULES {
        text.push_str(&format!(
            "{}  {:<32} {:<8} {}\n",
            r.code,
            r.name,
            r.severity.as_str(),
            r.summary
        ));
    }
    let _ = emit(text.as_bytes(), ColorChoice::Never);
    ExitCode::SUCCESS
}

fn explain(code: &str) -> ExitCode {
    match rules::find(code) {
        Some(rule) => {
            let _ = emit(rule.doc.as_bytes(), ColorChoice::Never);
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: unknown rule '{code}' (see `milink-lint rules`)");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules => list_rules(),
        Command::Explain { code } => explain(&code),
    }
}
