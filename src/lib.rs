//! milink-lint: an offline static analyzer for the T-SQL set-up scripts of the
//! Azure SQL Managed Instance link.
//!
//! Pipeline: paths → [`discover`] → [`source`] (decode) → [`sqlcmd`] (GO batches,
//! `:setvar`, `$(var)`) → [`lex`] (sqlparser tokenizer) → [`extract`] (statements
//! into the [`model`]) → [`analysis`] (all files, link set-ups, [`params`]) →
//! [`rules`] → [`report`].

pub mod analysis;
pub mod azure;
pub mod codes;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod extract;
pub mod files;
pub mod include;
pub mod lex;
pub mod masking;
pub mod model;
pub mod names;
pub mod params;
pub mod placeholder;
pub mod prefilter;
pub mod read;
pub mod report;
pub mod rules;
pub mod secrets;
pub mod selection;
pub mod source;
pub mod span;
pub mod sqlcmd;
pub mod statements;
pub mod suppress;
pub mod words;
pub mod workspace;

pub use error::RunError;

pub use report::Report;

use analysis::Analysis;
use discover::{discover, DiscoverOptions, Input};
use files::Files;
use rayon::prelude::*;
use span::FileId;
use sqlcmd::ExternalVars;
use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What a run needs besides the paths.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// `--params`: a parameters file or an Azure export (told apart by content).
    pub params: Option<PathBuf>,
    /// `--azure`: Azure exports checked alongside the parameters file.
    pub azure: Vec<PathBuf>,
    /// `--var NAME=VALUE`, like `sqlcmd -v`.
    pub vars: ExternalVars,
    pub discover: DiscoverOptions,
    /// The date certificate expiry is checked against (default: today).
    pub today: Option<date::Date>,
    /// Which rules run, and their severities.
    pub rules: selection::RuleSelection,
    /// The name standard input is shown under (`--stdin-filename`); `-` by default.
    pub stdin_name: Option<String>,
    /// Larger scripts are not read (ML004, `--max-file-size`); `None`: no limit.
    pub max_file_size: Option<u64>,
    /// The encoding of each file (`encoding`, `[per-file-encoding]`, `--encoding`).
    pub encodings: config::Encodings,
    /// Tokenize every file and batch, even those without a word any rule looks for (for
    /// tests that the prefilter loses nothing; slower).
    pub no_prefilter: bool,
}

/// Scripts larger than this are refused unless `--max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

/// `path:line:col` of a parameters or export file error.
fn params_error(files: &Files, display: &str, what: &str, e: params::ParamsError) -> RunError {
    let location = match e.span {
        Some(span) => {
            let at = files.start(span);
            format!("{display}:{}:{}", at.line, at.column)
        }
        None => display.to_string(),
    };
    RunError {
        message: format!("{location}: invalid {what}: {}", e.message),
        help: e.help,
    }
}

/// Decode a parameters file or export and add it to the run's files.
fn add_text_file(input: SourceInput, files: &mut Files) -> Result<(FileId, String), RunError> {
    let text = source::decode_owned(input.bytes)
        .map_err(|e| RunError {
            message: format!("{}: {e}", input.name),
            help: None,
        })?
        .text;
    Ok((files.add(input.name.clone(), text), input.name))
}

/// Read `--params`: a parameters file, or an Azure export used as one (its links are
/// then also checked as Azure sees them).
fn load_params(
    input: SourceInput,
    files: &mut Files,
    exports: &mut Vec<azure::export::Export>,
) -> Result<params::Params, RunError> {
    let (file, display) = add_text_file(input, files)?;
    let format = params::ParamsFormat::from_path(Path::new(&display));
    let text = &files.get(file).text;
    if azure::export::looks_like_export(text) {
        let export = azure::export::parse(text, file)
            .map_err(|e| params_error(files, &display, "Azure export", e))?;
        let params = azure::as_params::params_of(&export, file, text);
        exports.push(export);
        return Ok(params);
    }
    params::parse_params(text, file, format)
        .map_err(|e| params_error(files, &display, "parameters file", e))
}

/// Read an `--azure` export.
fn load_export(
    input: SourceInput,
    files: &mut Files,
) -> Result<(azure::export::Export, FileId), RunError> {
    let (file, display) = add_text_file(input, files)?;
    let text = &files.get(file).text;
    let json_like = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with(['{', '[']);
    azure::export::parse(text, file)
        .map(|export| (export, file))
        .map_err(|e| {
            let mut error = params_error(files, &display, "Azure export", e);
            if !json_like {
                error.help = Some("--azure reads the JSON that Azure returns (az sql mi link show -o json, Get-AzSqlInstanceLink | ConvertTo-Json -Depth 5); a parameters file goes to --params".into());
            }
            error
        })
}

/// A script or parameters file already read into memory.
#[derive(Debug, Clone)]
pub struct SourceInput {
    /// The name shown in output (the path as given, `-` for stdin).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Lint the scripts under `paths` (files, folders, `-` for stdin).
pub fn lint(paths: &[OsString], options: &LintOptions) -> Result<Report, RunError> {
    let (mut inputs, errors) = discover(paths, &options.discover);
    if let Some(e) = errors.first() {
        return Err(RunError {
            message: e.to_string(),
            help: None,
        });
    }
    // `--stdin-filename` names standard input; `--force-exclude` applies to that name too
    // (editors pipe every buffer through the linter).
    let stdin_excluded = options.discover.force_exclude
        && options
            .stdin_name
            .as_deref()
            .zip(options.discover.filter.as_ref())
            .is_some_and(|(name, filter)| filter.is_excluded(Path::new(name)));
    if stdin_excluded {
        inputs.retain(|i| *i != Input::Stdin);
        if inputs.is_empty() {
            return lint_sources(Vec::new(), None, options);
        }
    }
    // pre-commit names changed files that `exclude` covers: nothing to do, and no error.
    if inputs.is_empty() && all_force_excluded(paths, &options.discover) {
        return lint_sources(Vec::new(), None, options);
    }
    lint_inputs(&inputs, paths, options)
}

/// Lint several set-ups ([`workspace`]), each with its own paths and options, into one
/// report. A set-up whose paths hold no script adds nothing; none at all is the same
/// error as [`lint`]'s.
pub fn lint_setups(setups: &[(Vec<OsString>, LintOptions)]) -> Result<Report, RunError> {
    let mut merged: Option<Report> = None;
    let mut first_error = None;
    for (paths, options) in setups {
        let (inputs, errors) = discover(paths, &options.discover);
        if let Some(e) = errors.first() {
            return Err(RunError {
                message: e.to_string(),
                help: None,
            });
        }
        if inputs.is_empty() {
            first_error.get_or_insert_with(|| lint_inputs(&[], paths, options).err());
            continue;
        }
        let report = lint_inputs(&inputs, paths, options)?;
        match &mut merged {
            Some(all) => all.merge(report),
            None => merged = Some(report),
        }
    }
    match (merged, first_error.flatten()) {
        (Some(mut report), _) => {
            if setups.len() > 1 {
                report.mask_secrets_across_setups();
            }
            Ok(report)
        }
        (None, Some(e)) => Err(e),
        (None, None) => lint_sources(Vec::new(), None, &LintOptions::default()),
    }
}

/// Lint inputs already found by [`discover`] for `paths`: read them (a walked file deleted
/// since is skipped with a note), then [`lint_sources`].
pub fn lint_inputs(
    inputs: &[Input],
    paths: &[OsString],
    options: &LintOptions,
) -> Result<Report, RunError> {
    // A CI job pointed at the wrong folder must not pass silently.
    if inputs.is_empty() {
        let shown: Vec<String> = paths
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let shown = if shown.is_empty() {
            ".".to_string()
        } else {
            shown.join(", ")
        };
        return Err(RunError {
            message: format!("{shown}: no script found (looked for *.sql, *.ps1, *.psm1, *.sh, *.bash, *.cmd, *.bat in any case, or what `include` of milink.toml names)"),
            help: Some("give the folders or files that hold the link scripts; files that .gitignore or `exclude` of milink.toml leave out are skipped (--no-ignore, --no-config)".into()),
        });
    }
    // Read and decode in parallel; a file without anything to lint is dropped at once,
    // so memory holds only the files that matter.
    let stdin_name = options.stdin_name.as_deref().unwrap_or("-");
    let limit = options.max_file_size.unwrap_or(u64::MAX);
    let outcomes: Vec<Outcome> = inputs
        .par_iter()
        .map(|input| {
            let charset = match input {
                Input::File { path, .. } => options.encodings.for_path(path),
                Input::Stdin => options.encodings.for_path(Path::new(stdin_name)),
                Input::Unreadable { .. } => source::Charset::Auto,
            };
            classify(read::read(input, stdin_name, limit, charset), options)
        })
        .collect();
    let params = match &options.params {
        Some(path) => Some(read_params(path)?),
        None => None,
    };
    lint_outcomes(outcomes, params, options)
}

/// What reading one script gave.
enum Outcome {
    /// A script to lint, and whether it holds a word some rule looks for (the prefilter's
    /// test, made with or without `--no-prefilter`: only such a script is looked at for
    /// secrets, so that both give the same report).
    Script(String, source::Decoded, bool),
    /// A PowerShell / shell / cmd script that may call the Azure side or run the scripts.
    Shell(String, source::Decoded, azure::shell::Dialect),
    /// Decoded, but without a word any rule looks for (see [`prefilter`]); its name when
    /// it was read as Windows-1252 (the run's note names every such file).
    Irrelevant { guessed: Option<String> },
    /// Not readable as a script (ML004).
    Unreadable(String, files::Unreadable),
}

/// The run's note for a file read as Windows-1252.
fn windows_1252_note(name: &str) -> String {
    format!("{name}: not UTF-8: read as Windows-1252 (\"ANSI\"); if it uses another code page, name it with `encoding` or `[per-file-encoding]` in milink.toml")
}

/// The name of a file that was read as Windows-1252 because it is not UTF-8.
fn guessed_name(name: &str, decoded: &source::Decoded) -> Option<String> {
    (decoded.encoding == source::Encoding::Windows1252Guess).then(|| name.to_string())
}

fn classify(read: read::Read, options: &LintOptions) -> Outcome {
    let (name, decoded) = match read {
        read::Read::Text { name, decoded } => (name, decoded),
        read::Read::Unreadable { name, why } => return Outcome::Unreadable(name, why),
    };
    if let Some(dialect) = azure::shell::Dialect::of(&name) {
        return if options.no_prefilter || prefilter::shell_is_relevant(&decoded.text) {
            Outcome::Shell(name, decoded, dialect)
        } else {
            Outcome::Irrelevant {
                guessed: guessed_name(&name, &decoded),
            }
        };
    }
    let utf16_without_bom = matches!(
        decoded.encoding,
        source::Encoding::Utf16LeNoBom | source::Encoding::Utf16BeNoBom
    );
    let relevant = prefilter::file_is_relevant(&decoded.text);
    if options.no_prefilter || utf16_without_bom || relevant {
        Outcome::Script(name, decoded, relevant)
    } else {
        Outcome::Irrelevant {
            guessed: guessed_name(&name, &decoded),
        }
    }
}

/// Read a script that a `:r` line names (see [`include`]).
fn load_include(files: &mut Files, path: &Path, options: &LintOptions) -> include::Loaded {
    let display = path.to_string_lossy().replace('\\', "/");
    let input = Input::File {
        path: path.to_path_buf(),
        display: display.clone(),
    };
    let limit = options.max_file_size.unwrap_or(u64::MAX);
    match read::read(&input, "-", limit, options.encodings.for_path(path)) {
        read::Read::Text { name, decoded } => {
            if options.no_prefilter || prefilter::file_is_relevant(&decoded.text) {
                include::Loaded::Script(files.add_decoded(name, decoded))
            } else {
                include::Loaded::Skipped
            }
        }
        read::Read::Unreadable { why, .. } => include::Loaded::Failed(why.cause),
    }
}

fn read_params(path: &Path) -> Result<SourceInput, RunError> {
    let name = path.display().to_string();
    if path.is_dir() {
        return Err(RunError {
            message: format!("{name}: the parameters file is a directory"),
            help: None,
        });
    }
    // A parameters file is a few hundred bytes; a device (`/dev/zero`) must not fill memory.
    const LIMIT: u64 = 16 * 1024 * 1024;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(LIMIT + 1).read_to_end(&mut bytes))
        .map_err(|e| RunError {
            message: format!(
                "{name}: cannot read the parameters file: {}",
                error::io_cause(&e)
            ),
            help: None,
        })?;
    if bytes.len() as u64 > LIMIT {
        return Err(RunError {
            message: format!(
                "{name}: the parameters file is over 16 MB: this is not a parameters file"
            ),
            help: None,
        });
    }
    Ok(SourceInput { name, bytes })
}

/// Lint scripts already in memory, with an optional parameters file (format by its name).
pub fn lint_sources(
    sources: Vec<SourceInput>,
    params: Option<SourceInput>,
    options: &LintOptions,
) -> Result<Report, RunError> {
    let outcomes = sources
        .into_par_iter()
        .map(|input| {
            let charset = options.encodings.for_path(Path::new(&input.name));
            classify(read::decode(input.name, input.bytes, charset), options)
        })
        .collect();
    lint_outcomes(outcomes, params, options)
}

/// The run after reading: a file that could not be read is a finding (ML004); only the
/// parameters file and the exports can fail the run.
fn lint_outcomes(
    outcomes: Vec<Outcome>,
    params: Option<SourceInput>,
    options: &LintOptions,
) -> Result<Report, RunError> {
    let mut files = Files::new();
    let mut notes = Vec::new();
    let mut script_ids: Vec<FileId> = Vec::new();
    let mut relevant_ids: Vec<FileId> = Vec::new();
    let mut shell_ids = Vec::new();
    let mut irrelevant = 0;
    let mut unreadable = 0;
    let mut guessed = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Script(name, decoded, relevant) => {
                guessed.extend(guessed_name(&name, &decoded));
                let id = files.add_decoded(name, decoded);
                script_ids.push(id);
                if relevant {
                    relevant_ids.push(id);
                }
            }
            Outcome::Shell(name, decoded, dialect) => {
                guessed.extend(guessed_name(&name, &decoded));
                shell_ids.push((files.add_decoded(name, decoded), dialect))
            }
            Outcome::Irrelevant { guessed: name } => {
                guessed.extend(name);
                irrelevant += 1;
            }
            Outcome::Unreadable(name, why) => {
                files.add_unreadable(name, why);
                unreadable += 1;
            }
        }
    }
    notes.extend(guessed.iter().map(|name| windows_1252_note(name)));
    let mut exports = Vec::new();
    // The parameters file and the exports are files of the run too (snippets show them).
    let first_data = files.len();
    let params = match params {
        Some(input) => {
            let name = input.name.clone();
            let loaded = load_params(input, &mut files, &mut exports)?;
            if loaded.is_empty() {
                notes.push(format!(
                    "{name}: the parameters file sets no value: there is nothing to check the scripts against"
                ));
            }
            Some(loaded)
        }
        None => None,
    };
    // Without a parameters file of the user's, the expectations are an export's.
    let expected_from_export = match &params {
        Some(_) => !exports.is_empty(),
        None => !options.azure.is_empty(),
    };
    let mut params = params;
    for path in &options.azure {
        let input = read_params(path)?;
        let (export, file) = load_export(input, &mut files)?;
        // An export fills what the parameters file leaves open; where both give a value
        // and they differ, the Azure rules say so.
        let derived = azure::as_params::params_of(&export, file, &files.get(file).text);
        params = Some(match params {
            Some(mut p) => {
                p.fill_from(derived);
                p
            }
            None => derived,
        });
        exports.push(export);
    }
    let data_ids: Vec<FileId> = (first_data..files.len())
        .map(|i| FileId(i as u32))
        .collect();
    // Every secret is masked before anything else reads the texts (see [`masking`]).
    let mut masking = masking::Masking::default();
    let mut vars = options.vars.clone();
    masking.mask_named_vars(&mut vars);
    let sources: Vec<(FileId, masking::Source)> = relevant_ids
        .iter()
        .map(|&f| (f, masking::Source::Script))
        .chain(
            shell_ids
                .iter()
                .map(|&(f, dialect)| (f, masking::Source::Shell(dialect))),
        )
        .chain(data_ids.iter().map(|&f| (f, masking::Source::Data)))
        .collect();
    masking.mask_files(&mut files, &sources);
    // `:r` reads its file from disk, named on the command line or not.
    let mut sessions = {
        let mut load = |files: &mut Files, path: &Path| {
            let loaded = load_include(files, path, options);
            if let include::Loaded::Script(id) = loaded {
                if prefilter::file_is_relevant(&files.get(id).text) {
                    masking.mask_files(files, &[(id, masking::Source::Script)]);
                }
            }
            loaded
        };
        include::sessions(&mut files, &script_ids, &vars, &mut load)
    };
    masking.mask_across(&mut files, &mut vars);
    masking.mask_sessions(&mut sessions);
    script_ids.extend(&sessions.loaded);
    // Included scripts read as Windows-1252 are named like walked ones.
    for &id in &sessions.loaded {
        let file = files.get(id);
        if file.encoding == Some(source::Encoding::Windows1252Guess) {
            notes.push(windows_1252_note(&file.name));
        }
    }
    let params_given = params.is_some();
    let today = options.today.unwrap_or_else(date::Date::today);
    let (secrets, secret_values) = masking.into_secrets();
    let server_name = params
        .as_ref()
        .and_then(|p| p.sql_server.name.as_ref())
        .map(|n| n.value.as_str());
    let extracted = extract::run::run(
        files,
        extract::run::Inputs {
            scripts: &script_ids,
            shells: &shell_ids,
            exports,
            sessions,
            secrets,
        },
        server_name,
        &vars,
        !options.no_prefilter,
    );
    let analysis = Analysis::build(extracted, params, today, expected_from_export);
    let found = rules::run_selected(&analysis, &options.rules);
    let (mut diagnostics, suppressed) = suppress::apply(&analysis, &options.rules, found);
    suppress::apply_severities(&options.rules, &mut diagnostics);
    let links = analysis.links.len();
    let (files, diagnostics) = report::finish(analysis.files, diagnostics);
    Ok(Report {
        files,
        diagnostics,
        scripts: script_ids.len() + shell_ids.len() + irrelevant + unreadable,
        params_given,
        links,
        notes,
        suppressed,
        secret_values,
    })
}

/// Every path is a file that `--force-exclude` dropped.
fn all_force_excluded(paths: &[OsString], options: &DiscoverOptions) -> bool {
    let Some(filter) = options.filter.as_ref().filter(|_| options.force_exclude) else {
        return false;
    };
    !paths.is_empty()
        && paths.iter().all(|p| {
            let path = Path::new(p);
            path.is_file() && filter.is_excluded(path)
        })
}
