//! Thin binary: parse arguments, merge them with milink.toml, call the library, render,
//! and map the outcome to an exit code (0 clean, 1 findings at or above `--fail-on`,
//! 2 the run failed).

mod cli;

use clap::{CommandFactory, Parser};
use cli::{CheckArgs, Cli, ColorChoice, Command, FailOn, Format, RulesFormat};
use codespan_reporting::term::termcolor::{Ansi, NoColor};
use milink_lint::config::{self, Config};
use milink_lint::diagnostic::Severity;
use milink_lint::discover::DiscoverOptions;
use milink_lint::selection::RuleSelection;
use milink_lint::sqlcmd::ExternalVars;
use milink_lint::{fix, lint, report, rules, LintOptions, Report, RunError};
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

/// A closed pipe (`milink-lint … | head`) is a normal end, not an error.
fn ignore_broken_pipe(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Write to stdout; `auto` colour goes through anstream, which strips it off a terminal.
fn emit(bytes: &[u8], color: ColorChoice) -> std::io::Result<()> {
    ignore_broken_pipe(match color {
        ColorChoice::Auto => anstream::stdout().write_all(bytes),
        ColorChoice::Always | ColorChoice::Never => std::io::stdout().write_all(bytes),
    })
}

/// [`emit`] to stderr (`--fix -`, whose stdout is the fixed text).
fn emit_stderr(bytes: &[u8], color: ColorChoice) -> std::io::Result<()> {
    ignore_broken_pipe(match color {
        ColorChoice::Auto => anstream::stderr().write_all(bytes),
        ColorChoice::Always | ColorChoice::Never => std::io::stderr().write_all(bytes),
    })
}

/// Standard input, whole: `--fix -` prints it back, fixed or not.
fn read_stdin() -> Result<Vec<u8>, RunError> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map_err(|e| RunError {
        message: format!("cannot read standard input: {e}"),
        help: None,
    })?;
    Ok(bytes)
}

fn fail(e: RunError) -> ExitCode {
    eprintln!("error: {}", e.message);
    if let Some(help) = e.help {
        eprintln!("help: {help}");
    }
    ExitCode::from(2)
}

/// The configuration that applies: `--config`, none with `--no-config`, else the
/// nearest milink.toml.
fn load_config(args: &CheckArgs) -> Result<Config, RunError> {
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None if args.no_config => None,
        // An editor pipes a buffer with its file name: that file's configuration applies.
        None => match args.stdin_filename.as_deref().map(std::path::Path::new) {
            Some(name) => {
                // A name that is not a path here (an editor's virtual buffer) keeps the
                // current folder's configuration.
                let folder = name
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty() && p.is_dir());
                config::find(folder.unwrap_or(std::path::Path::new(".")))
            }
            None => config::find(std::path::Path::new(".")),
        },
    };
    path.map_or_else(|| Ok(Config::default()), |p| config::load(&p))
}

/// Everything a run needs, command line over configuration over defaults.
struct Settings {
    paths: Vec<OsString>,
    options: LintOptions,
    format: Format,
    fail_on: FailOn,
    /// Why no rule runs, when the selection leaves none (`--ignore ALL`): said once.
    no_rule: Option<String>,
    /// `fix = true` in milink.toml: apply the safe fixes as `--fix` does.
    fix: bool,
}

/// `--ignore ALL` or `ignore = ["ALL"] in milink.toml`: where a rule list came from.
fn origin(option: &str, list: &[String], from_command_line: bool) -> String {
    if from_command_line {
        format!("--{option} {}", list.join(","))
    } else {
        let quoted: Vec<String> = list.iter().map(|s| format!("\"{s}\"")).collect();
        format!("{option} = [{}] in milink.toml", quoted.join(", "))
    }
}

fn settings(args: &CheckArgs, config: Config) -> Result<Settings, RunError> {
    // An empty value (`--ignore ''`) clears the file's list.
    let given = |list: &Option<Vec<String>>| {
        list.as_ref().map(|l| {
            l.iter()
                .filter(|s| !s.trim().is_empty())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let select = given(&args.select).or(config.select).unwrap_or_default();
    let ignore = given(&args.ignore).or(config.ignore).unwrap_or_default();
    let mut selectors = Vec::new();
    if !select.is_empty() {
        selectors.push(origin("select", &select, args.select.is_some()));
    }
    if !ignore.is_empty() {
        selectors.push(origin("ignore", &ignore, args.ignore.is_some()));
    }
    let mut severity = config.severity;
    severity.extend(args.severity.iter().cloned());
    // Each list on its own first, so that the message names the option at fault.
    let none: [String; 0] = [];
    for (option, list) in [("--select", &select), ("--ignore", &ignore)] {
        RuleSelection::new(list, &none, &[]).map_err(|e| RunError {
            message: format!("{option}: {}", e.message),
            help: e.help.clone(),
        })?;
    }
    let rules = RuleSelection::new(&select, &ignore, &severity).map_err(|e| RunError {
        message: format!("--severity: {}", e.message),
        help: e.help,
    })?;
    let config_fix = config.fix.unwrap_or(false);
    let fixable = RuleSelection::new(
        config.fixable.as_deref().unwrap_or_default(),
        config.unfixable.as_deref().unwrap_or_default(),
        &[],
    )
    .map_err(|e| RunError {
        message: format!("fixable / unfixable: {}", e.message),
        help: e.help,
    })?;
    let no_rule = rules
        .enabled()
        .next()
        .is_none()
        .then(|| selectors.join(", "));
    let mut vars = config.vars;
    vars.extend(cli::parse_vars(&args.vars).map_err(|message| RunError {
        message,
        help: Some(
            "write each variable as --var NAME=VALUE, e.g. --var MasterKeyPassword=…".into(),
        ),
    })?);
    let paths = if !args.paths.is_empty() {
        args.paths.clone()
    } else if args.stdin_filename.is_some() {
        vec![OsString::from("-")]
    } else {
        config.paths
    };
    let format = match (args.format, config.format.as_deref()) {
        (Some(f), _) => f,
        (None, Some(name)) => <Format as clap::ValueEnum>::from_str(name, true)
            .expect("milink.toml formats are checked when the file is read"),
        (None, None) => Format::Human,
    };
    let fail_on = if args.deny_warnings {
        FailOn::Warning
    } else {
        args.fail_on.unwrap_or(match config.fail_on {
            Some(config::FailOn::Warning) => FailOn::Warning,
            _ => FailOn::Error,
        })
    };
    Ok(Settings {
        paths,
        options: LintOptions {
            params: args.params.clone().or(config.params),
            azure: if args.azure.is_empty() {
                config.azure
            } else {
                args.azure.clone()
            },
            vars: ExternalVars { vars },
            discover: DiscoverOptions {
                respect_gitignore: !args.no_ignore && config.respect_gitignore.unwrap_or(true),
                filter: config.filter,
                force_exclude: args.force_exclude || config.force_exclude.unwrap_or(false),
                skip_folders: Default::default(),
            },
            today: args.today,
            rules,
            fixable,
            stdin_name: args.stdin_filename.clone(),
            stdin_bytes: None,
            encodings: match args.encoding {
                Some(charset) => milink_lint::config::Encodings::all(charset),
                None => config.encodings.clone().unwrap_or_default(),
            },
            max_file_size: Some(
                args.max_file_size
                    .or(config.max_file_size)
                    .unwrap_or(milink_lint::DEFAULT_MAX_FILE_SIZE),
            ),
            no_prefilter: args.no_prefilter,
        },
        format,
        fail_on,
        no_rule,
        fix: config_fix,
    })
}

fn render(report: &Report, format: Format, color: ColorChoice, quiet: bool) -> Vec<u8> {
    match format {
        Format::Json => report::json::render(report).into_bytes(),
        Format::Sarif => report::sarif::render(report).into_bytes(),
        Format::Github => report::github::render(report).into_bytes(),
        Format::Gitlab => report::gitlab::render(report).into_bytes(),
        Format::Junit => report::junit::render(report).into_bytes(),
        Format::Human if color == ColorChoice::Never => {
            let mut out = NoColor::new(Vec::new());
            let _ = report::human::render(report, &mut out, quiet);
            out.into_inner()
        }
        Format::Human => {
            let mut out = Ansi::new(Vec::new());
            let _ = report::human::render(report, &mut out, quiet);
            out.into_inner()
        }
    }
}

/// `--config`, `--no-config`, `--params`, `--azure` and standard input make one set-up of
/// everything named; otherwise each script uses the nearest milink.toml above it.
fn one_setup(args: &CheckArgs) -> bool {
    args.config.is_some()
        || args.no_config
        || args.params.is_some()
        || !args.azure.is_empty()
        || args.stdin_filename.is_some()
        || args.paths.iter().any(|p| p == "-")
}

/// The set-ups of the configurations the paths belong to (see `milink_lint::workspace`),
/// each with the command line over its own configuration.
fn lint_workspace(args: &CheckArgs, root: &Settings) -> Result<Report, RunError> {
    let setups = milink_lint::workspace::plan(
        &args.paths,
        &root.paths,
        root.options.discover.respect_gitignore,
        args.force_exclude,
    )?;
    let mut runs = Vec::new();
    for setup in setups {
        // Read once, by the plan.
        let config = setup.loaded.unwrap_or_default();
        let mut options = settings(args, config)?.options;
        options.discover.skip_folders = setup.skip_folders;
        runs.push((setup.paths, options));
    }
    milink_lint::lint_setups(&runs)
}

fn check(args: CheckArgs) -> ExitCode {
    let mut settings = match load_config(&args).and_then(|config| settings(&args, config)) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    // Not an error (a CI job may switch every rule off on purpose), but never silent.
    if let Some(why) = &settings.no_rule {
        eprintln!("warning: no rule is selected ({why}): nothing was checked");
    }
    if let Some(output) = &args.output {
        let options = &settings.options;
        let read = options.params.iter().chain(&options.azure);
        if let Some(e) = output_replaces_an_input(output, read.map(|p| p.as_path())) {
            return fail(e);
        }
    }
    let fixing = !args.diff && (args.fix || args.fix_only || settings.fix);
    // `--fix -` and `--diff -` fix standard input's text (as ruff does): with `--fix` the
    // fixed text goes to standard output and the findings to standard error. Only when
    // asked on the command line: `fix = true` of milink.toml does not make `check -` print
    // the script (and whatever secret it holds) into a log.
    let stdin_alone = settings.paths.len() == 1 && settings.paths[0] == "-";
    let target = if stdin_alone && (args.diff || args.fix || args.fix_only) {
        fix::Target::Stdin
    } else {
        fix::Target::Files
    };
    let print_stdin = fixing && target == fix::Target::Stdin;
    // Standard input is read once: when a run is linted again after fixing, it is read
    // here and linted again from memory.
    if fixing && settings.paths.iter().any(|p| p == "-") {
        match read_stdin() {
            Ok(bytes) => settings.options.stdin_bytes = Some(bytes.into()),
            Err(e) => return fail(e),
        }
    }
    let options = std::cell::RefCell::new(settings.options.clone());
    let run = || {
        if one_setup(&args) {
            lint(&settings.paths, &options.borrow())
        } else {
            lint_workspace(&args, &settings)
        }
    };
    let mut report = match run() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let selection = fix::Selection {
        unsafe_fixes: args.unsafe_fixes,
    };
    if args.diff {
        return show_diff(&args, &report, selection, target);
    }
    if fixing {
        report = match fix_until_stable(report, selection, target, &options, run) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        if print_stdin {
            let text = options.borrow().stdin_bytes.clone().unwrap_or_default();
            if let Err(e) = ignore_broken_pipe(std::io::stdout().write_all(&text)) {
                return fail(RunError {
                    message: format!("cannot write the output: {e}"),
                    help: None,
                });
            }
        }
        if args.fix_only {
            eprintln!("{}", fixed_summary(&report));
            return ExitCode::SUCCESS;
        }
    }
    // A file gets no colour; `--output` with human format writes plain text.
    let color = if args.output.is_some() {
        ColorChoice::Never
    } else {
        args.color
    };
    let rendered = render(&report, settings.format, color, args.quiet);
    // Standard output carries the fixed text with `--fix -`.
    if let Err(e) = write_output(&args, &report, &rendered, color, print_stdin) {
        return fail(e);
    }
    // Machine-readable output stays parseable: notes and the summary go to stderr.
    if settings.format != Format::Human || args.output.is_some() {
        for note in report::human::notes(&report) {
            eprintln!("note: {note}");
        }
        eprintln!("{}", report::summary(&report));
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if errors > 0 || (settings.fail_on == FailOn::Warning && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// At most this many rounds of fixes: a fix that waits for an overlapping one is applied
/// in a later round, and a run that keeps finding new fixes stops here.
const FIX_ROUNDS: usize = 10;

/// Write a round of fixes: into the files, or into standard input's bytes held in
/// `options` (which the next round lints).
fn write_round(
    target: fix::Target,
    options: &std::cell::RefCell<LintOptions>,
    files: &milink_lint::files::Files,
    plan: &fix::Plan,
) -> Vec<fix::NotWritten> {
    match target {
        fix::Target::Files => fix::write(files, plan),
        fix::Target::Stdin => {
            let mut options = options.borrow_mut();
            let mut bytes = options.stdin_bytes.as_deref().unwrap_or_default().to_vec();
            let failed = fix::apply_to_stdin(files, plan, &mut bytes);
            options.stdin_bytes = Some(bytes.into());
            failed
        }
    }
}

/// Apply the selected fixes to the texts of `target`, lint again (`run`, with
/// `options`), and repeat until nothing more can be applied.
fn fix_until_stable(
    mut report: Report,
    selection: fix::Selection,
    target: fix::Target,
    options: &std::cell::RefCell<LintOptions>,
    run: impl Fn() -> Result<Report, RunError>,
) -> Result<Report, RunError> {
    let mut fixed = 0;
    for _ in 0..FIX_ROUNDS {
        let plan = fix::plan_for(&report, selection, target);
        if plan.is_empty() {
            break;
        }
        let failed = write_round(target, options, &report.files, &plan);
        for f in &failed {
            eprintln!("warning: {}: not fixed: {}", f.name, f.why);
        }
        let written: Vec<_> = plan
            .files
            .iter()
            .filter(|f| {
                !failed
                    .iter()
                    .any(|n| n.name == report.files.get(f.file).name)
            })
            .map(|f| f.file)
            .collect();
        fixed += plan
            .accepted
            .iter()
            .filter(|files| files.iter().all(|f| written.contains(f)))
            .count();
        report = run()?;
        if !failed.is_empty() || written.is_empty() {
            // Trying the same files again would fail the same way.
            break;
        }
    }
    report.fixed = fixed;
    Ok(report)
}

/// `--fix-only`'s one line.
fn fixed_summary(report: &Report) -> String {
    let left = report.diagnostics.len();
    format!(
        "{} fixed, {} finding{} left",
        report.fixed,
        left,
        if left == 1 { "" } else { "s" }
    )
}

/// `--output` naming a file the run reads (a script, the parameters file): the report
/// would replace it.
/// Checked before the run (a script, the parameters file, an export) and again before
/// the report is written (every file the run read).
fn output_replaces_an_input<'a>(
    output: &std::path::Path,
    read: impl IntoIterator<Item = &'a std::path::Path>,
) -> Option<RunError> {
    let target = std::fs::canonicalize(output).ok()?;
    let read = read
        .into_iter()
        .any(|f| std::fs::canonicalize(f).ok().as_ref() == Some(&target));
    (read || milink_lint::discover::has_script_extension(&target)).then(|| RunError {
        message: format!(
            "{}: --output names a script or a file this run reads; the report would replace it",
            output.display()
        ),
        help: Some("write the report to a file of its own, e.g. --output milink-report.txt".into()),
    })
}

/// Write the rendered report or diff where `--output` says, else to stdout (stderr for
/// `--fix -`, whose stdout is the fixed script).
fn write_output(
    args: &CheckArgs,
    report: &Report,
    rendered: &[u8],
    color: ColorChoice,
    to_stderr: bool,
) -> Result<(), RunError> {
    let written = match &args.output {
        Some(path) => {
            let read = report.files.iter().filter(|(_, f)| !f.stdin);
            if let Some(e) = output_replaces_an_input(path, read.map(|(_, f)| f.name.as_ref())) {
                return Err(e);
            }
            std::fs::write(path, rendered)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
        }
        None if to_stderr => emit_stderr(rendered, color),
        None => emit(rendered, color),
    };
    written.map_err(|e| RunError {
        message: format!("cannot write the output: {e}"),
        help: None,
    })
}

/// `--diff`: the fixes as a unified diff; nothing is written.
fn show_diff(
    args: &CheckArgs,
    report: &Report,
    selection: fix::Selection,
    target: fix::Target,
) -> ExitCode {
    let plan = fix::plan_for(report, selection, target);
    let diff = fix::diff(&report.files, &plan);
    if let Err(e) = write_output(args, report, diff.as_bytes(), ColorChoice::Never, false) {
        return fail(e);
    }
    let files = plan.files.len();
    eprintln!(
        "{} fix{} in {} file{} (nothing written){}",
        plan.accepted.len(),
        if plan.accepted.len() == 1 { "" } else { "es" },
        files,
        if files == 1 { "" } else { "s" },
        if plan.deferred > 0 {
            format!("; {} more after these are applied", plan.deferred)
        } else {
            String::new()
        }
    );
    if plan.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn list_rules(format: RulesFormat) -> ExitCode {
    if format == RulesFormat::Json {
        let _ = emit(
            report::json::render_rules(rules::RULES).as_bytes(),
            ColorChoice::Never,
        );
        return ExitCode::SUCCESS;
    }
    let mut text = String::new();
    for r in rules::RULES {
        text.push_str(&format!(
            "{}  {:<32} {:<8} {}\n",
            r.code,
            r.name(),
            r.severity.as_str(),
            r.summary
        ));
    }
    let _ = emit(text.as_bytes(), ColorChoice::Never);
    ExitCode::SUCCESS
}

/// `code` was checked by [`cli::RuleParser`].
fn explain(code: &str) -> ExitCode {
    match rules::find(code) {
        Some(rule) => {
            let _ = emit(rule.doc().as_bytes(), ColorChoice::Never);
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: unknown rule '{code}' (see `milink-lint rules`)");
            ExitCode::from(2)
        }
    }
}

/// `check` without its hidden options (`--no-prefilter`), for the completions:
/// clap_complete offers hidden options too, and clap cannot remove an argument. So the
/// subcommand is rebuilt from its name, descriptions and visible arguments (its argument
/// group, which names every argument, is left out: completions do not use it).
fn without_hidden_args(command: clap::Command, name: &'static str) -> clap::Command {
    let mut visible = clap::Command::new(name)
        .args(
            command
                .get_arguments()
                .filter(|a| !a.is_hide_set())
                .cloned(),
        )
        .subcommands(command.get_subcommands().cloned());
    if let Some(about) = command.get_about() {
        visible = visible.about(about.clone());
    }
    if let Some(about) = command.get_long_about() {
        visible = visible.long_about(about.clone());
    }
    visible
}

/// Generated into a buffer first: clap_complete and clap_mangen panic on a closed pipe.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut out = Vec::new();
    let mut command =
        Cli::command().mut_subcommand("check", |check| without_hidden_args(check, "check"));
    clap_complete::generate(shell, &mut command, "milink-lint", &mut out);
    if shell == clap_complete::Shell::Bash {
        // clap_complete names the case arms of a hyphenated binary differently from the
        // names it dispatches to (clap-rs/clap#6421): align them, or subcommands get
        // no completion.
        let script = String::from_utf8_lossy(&out).replace("milink__subcmd__lint", "milink__lint");
        out = script.into_bytes();
    }
    if shell == clap_complete::Shell::Fish {
        // clap_complete's fish script completes options only, not positional values:
        // add the rule codes and names after `explain`.
        for rule in rules::RULES {
            for (value, other) in [
                (rule.code.as_str(), rule.name()),
                (rule.name(), rule.code.as_str()),
            ] {
                out.extend_from_slice(
                    format!(
                        "complete -c milink-lint -n \"__fish_milink_lint_using_subcommand explain\" -f -a \"{value}\" -d '{other}'\n"
                    )
                    .as_bytes(),
                );
            }
        }
    }
    let _ = emit(&out, ColorChoice::Never);
    ExitCode::SUCCESS
}

/// One page for `milink-lint` whose OPTIONS are those of `check` (the command people use), or
/// with `--dir` a page per command, as the SUBCOMMANDS section refers to them.
fn man(dir: Option<std::path::PathBuf>) -> ExitCode {
    if let Some(dir) = dir {
        return match std::fs::create_dir_all(&dir)
            .and_then(|()| clap_mangen::generate_to(Cli::command(), &dir))
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(RunError {
                message: format!("{}: cannot write the manual pages: {e}", dir.display()),
                help: None,
            }),
        };
    }
    let command = Cli::command();
    let mut out = Vec::new();
    let page = clap_mangen::Man::new(command.clone());
    let check = command
        .find_subcommand("check")
        .cloned()
        .map(|c| clap_mangen::Man::new(c.name("milink-lint check")));
    let rendered = page
        .render_title(&mut out)
        .and_then(|()| page.render_name_section(&mut out))
        .and_then(|()| page.render_synopsis_section(&mut out))
        .and_then(|()| page.render_description_section(&mut out))
        .and_then(|()| page.render_subcommands_section(&mut out))
        .and_then(|()| match &check {
            Some(check) => check.render_options_section(&mut out),
            None => Ok(()),
        })
        .and_then(|()| page.render_version_section(&mut out));
    if let Err(e) = rendered {
        return fail(RunError {
            message: format!("cannot render the manual page: {e}"),
            help: None,
        });
    }
    let _ = emit(&out, ColorChoice::Never);
    ExitCode::SUCCESS
}

/// Exit status of a panic: distinct from 2 (the run failed on its input) so that CI can
/// tell a bug in milink-lint from a problem in the repository.
const INTERNAL_ERROR: u8 = 3;

/// A panic prints two lines and a way to report it, not a backtrace.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_string());
        let location = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error: {payload}{location}\n\
             note: this is a bug in milink-lint {}, not in your scripts; please report it with the \
             input that triggers it at {}/issues",
            cli::VERSION,
            report::REPOSITORY_URL
        );
    }));
}

fn main() -> ExitCode {
    install_panic_hook();
    std::panic::catch_unwind(run).unwrap_or(ExitCode::from(INTERNAL_ERROR))
}

fn run() -> ExitCode {
    // Lets the tests check the panic path in debug builds; release builds have no such hook.
    if cfg!(debug_assertions) && std::env::var_os("MILINK_LINT_TEST_PANIC").is_some() {
        panic!("panic requested by MILINK_LINT_TEST_PANIC");
    }
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
        Command::Check(args) => check(*args),
        Command::Rules { format } => list_rules(format),
        Command::Explain { code } => explain(&code),
        Command::Completions { shell } => completions(shell),
        Command::Man { dir } => man(dir),
    }
}
