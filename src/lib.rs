//! milink-lint: an offline static analyzer for the T-SQL set-up scripts of the
//! Azure SQL Managed Instance link.
//!
//! Pipeline: paths → [`discover`] → [`source`] (decode) → [`sqlcmd`] (GO batches,
//! `:setvar`, `$(var)`) → [`lex`] (sqlparser's MsSql tokens, from a single-pass
//! scanner) → [`extract`] (statements into the [`model`]) → [`analysis`] (all files,
//! link set-ups, [`params`]) → [`rules`] → [`report`].

pub mod analysis;
pub mod azure;
pub mod codes;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod expected;
pub mod extract;
pub mod files;
pub mod fix;
pub mod include;
pub mod language;
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
pub use read::SourceInput;

pub use report::Report;

use analysis::Analysis;
use discover::{discover, DiscoverOptions, Input};
use files::Files;
use rayon::prelude::*;
use span::FileId;
use sqlcmd::ExternalVars;
use std::ffi::OsString;
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
    /// The rules whose findings keep their fixes (`fixable` minus `unfixable` of
    /// milink.toml); the others are reported without one.
    pub fixable: selection::RuleSelection,
    /// The name standard input is shown under (`--stdin-filename`); `-` by default.
    pub stdin_name: Option<String>,
    /// Standard input's bytes when the caller read them (`--fix -` lints the fixed text
    /// again); None reads the process's standard input.
    pub stdin_bytes: Option<std::sync::Arc<[u8]>>,
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
    let stdin = read::Stdin {
        name: options.stdin_name.as_deref().unwrap_or("-"),
        bytes: options.stdin_bytes.as_deref(),
    };
    let limit = options.max_file_size.unwrap_or(u64::MAX);
    let outcomes: Vec<(prefilter::Outcome, bool)> = inputs
        .par_iter()
        .map(|input| {
            let charset = match input {
                Input::File { path, .. } => options.encodings.for_path(path),
                Input::Stdin => options.encodings.for_path(Path::new(stdin.name)),
                Input::Unreadable { .. } => source::Charset::Auto,
            };
            let outcome = prefilter::classify(
                read::read(input, stdin, limit, charset),
                options.no_prefilter,
            );
            (outcome, *input == Input::Stdin)
        })
        .collect();
    let params = match &options.params {
        Some(path) => Some(expected::read_params(path)?),
        None => None,
    };
    lint_outcomes(outcomes, params, options)
}

/// A fix as it can be written: into a file read as a script, in its encoding. An edit of
/// the T-SQL of a shell script's `-Query` goes into the shell script when it falls on
/// the query's own bytes there and writes nothing the shell's quoting would read
/// otherwise (letters, digits, blanks, `_ - . , : ; = ( ) [ ]`); any other fix on a file
/// not read as a script (a query with holes, the parameters file, an export) is dropped.
fn writable_fix(files: &Files, mut fix: diagnostic::Fix) -> Option<diagnostic::Fix> {
    for edit in &mut fix.edits {
        let file = files.get(edit.span.file);
        if file.encoding.is_some() {
            continue;
        }
        let shell = file.laid_over?;
        let verbatim = files.get(shell).text.get(edit.span.range())? == files.slice(edit.span);
        let plain = edit
            .content
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _-.,:;=()[]".contains(c));
        if !(verbatim && plain) {
            return None;
        }
        edit.span = span::Span::new(shell, edit.span.range());
    }
    Some(fix)
}

/// Read a script that a `:r` line names (see [`include`]).
fn load_include(files: &mut Files, path: &Path, options: &LintOptions) -> include::Loaded {
    let display = path.to_string_lossy().replace('\\', "/");
    let input = Input::File {
        path: path.to_path_buf(),
        display: display.clone(),
    };
    let limit = options.max_file_size.unwrap_or(u64::MAX);
    match read::read(
        &input,
        read::Stdin::PROCESS,
        limit,
        options.encodings.for_path(path),
    ) {
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
            let outcome = prefilter::classify(
                read::decode(input.name, input.bytes, charset),
                options.no_prefilter,
            );
            (outcome, false)
        })
        .collect();
    lint_outcomes(outcomes, params, options)
}

/// The run after reading: a file that could not be read is a finding (ML004); only the
/// parameters file and the exports can fail the run.
fn lint_outcomes(
    outcomes: Vec<(prefilter::Outcome, bool)>,
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
    for (outcome, stdin) in outcomes {
        let add = |files: &mut Files, name, decoded| {
            let id = files.add_decoded(name, decoded);
            if stdin {
                files.mark_stdin(id);
            }
            id
        };
        match outcome {
            prefilter::Outcome::Script(name, decoded, relevant) => {
                guessed.extend(prefilter::guessed_name(&name, &decoded));
                let id = add(&mut files, name, decoded);
                script_ids.push(id);
                if relevant {
                    relevant_ids.push(id);
                }
            }
            prefilter::Outcome::Shell(name, decoded, dialect) => {
                guessed.extend(prefilter::guessed_name(&name, &decoded));
                shell_ids.push((add(&mut files, name, decoded), dialect))
            }
            prefilter::Outcome::Irrelevant { guessed: name } => {
                guessed.extend(name);
                irrelevant += 1;
            }
            prefilter::Outcome::Unreadable(name, why) => {
                files.add_unreadable(name, why);
                unreadable += 1;
            }
        }
    }
    notes.extend(guessed.iter().map(|name| read::windows_1252_note(name)));
    // The parameters file and the exports are files of the run too (snippets show them).
    let first_data = files.len();
    let expected = expected::load(params, &options.azure, &mut files)?;
    notes.extend(expected.notes);
    let (params, exports, expected_from_export) =
        (expected.params, expected.exports, expected.from_export);
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
            notes.push(read::windows_1252_note(&file.name));
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
    for d in &mut diagnostics {
        d.fix = d
            .fix
            .take()
            .filter(|_| options.fixable.is_enabled(d.code))
            .and_then(|fix| writable_fix(&analysis.files, fix));
    }
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
        fixed: 0,
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
