//! The front end of a run: every file read into facts, before any model is built.
//! Shell scripts become Azure facts (link commands, runners, trust certificates);
//! T-SQL given inline to a runner (`Invoke-Sqlcmd -Query`) becomes a script of its
//! own, laid out where it is written; every script is split (SQLCMD, batches) with the
//! variables in force for it and its link statements extracted, in parallel.

use super::{extract_file, FileFacts};
use crate::azure::commands::facts;
use crate::azure::export::Export;
use crate::azure::shell::Dialect;
use crate::azure::{AzureFacts, AzureLink, ScriptRun};
use crate::files::Files;
use crate::span::FileId;
use crate::sqlcmd::{split_with, ExternalVars, Script};
use rayon::prelude::*;

/// One linted script: its SQLCMD view and extracted facts.
#[derive(Debug)]
pub struct ScriptFacts {
    pub file: FileId,
    /// Its SQLCMD facts (its batches are dropped once extracted).
    pub script: Script<'static>,
    pub facts: FileFacts,
    /// Passwords, keys and tokens written into the text (found and masked by
    /// [`crate::masking`] before any of this was read; ML505 reports them).
    pub secrets: Vec<crate::secrets::Secret>,
}

/// What a run reads besides the parameters file: the files, already masked.
pub struct Inputs<'a> {
    /// T-SQL scripts.
    pub scripts: &'a [FileId],
    /// PowerShell, sh and cmd scripts.
    pub shells: &'a [(FileId, Dialect)],
    /// Azure exports (`--azure`, or `--params` when it is one).
    pub exports: Vec<Export>,
    /// The SQLCMD sessions of the scripts: what `:r` reads, and the variables it carries.
    pub sessions: crate::include::Sessions,
    /// The secrets of each file, already masked in its text.
    pub secrets: std::collections::HashMap<FileId, Vec<crate::secrets::Secret>>,
}

/// What the front end read: the model is built from this alone.
pub struct Extracted {
    /// The run's files (with the scripts made of inline queries).
    pub files: Files,
    pub scripts: Vec<ScriptFacts>,
    pub azure: AzureFacts,
    /// `(script, index into azure.runs)`: see [`crate::analysis::Analysis::script_runs`].
    pub script_runs: Vec<(FileId, usize)>,
    /// The files of the Azure exports.
    pub export_files: std::collections::HashSet<FileId>,
    pub sessions: crate::include::Sessions,
}

/// Read every file of `inputs` into facts. `server_name` (the parameters' SQL Server
/// name) resolves certificate names built from `@@SERVERNAME`; `prefilter` skips the
/// inline queries that hold no word a rule looks for.
pub fn run(
    mut files: Files,
    inputs: Inputs,
    server_name: Option<&str>,
    external: &ExternalVars,
    prefilter: bool,
) -> Extracted {
    let Inputs {
        scripts: script_files,
        shells: shell_files,
        exports,
        sessions,
        mut secrets,
    } = inputs;
    let export_files = exports
        .iter()
        .flat_map(|e| {
            let links = e.links.iter().map(|l| l.span.file);
            links.chain(e.instances.iter().map(|i| i.span.file))
        })
        .collect();
    let mut azure = AzureFacts::default();
    for export in exports {
        let in_list = export.links.len() > 1;
        azure
            .links
            .extend(export.links.into_iter().map(|l| AzureLink { in_list, ..l }));
        azure.instances.extend(export.instances);
    }
    let shell_facts: Vec<AzureFacts> = shell_files
        .par_iter()
        .map(|&(file, dialect)| {
            let text = &files.get(file).text;
            facts(&crate::azure::shell::commands(file, text, dialect), text)
        })
        .collect();
    for facts in shell_facts {
        azure.append(facts);
    }
    // T-SQL given inline (`Invoke-Sqlcmd -Query`) is linted like a script run there.
    let mut script_files = script_files.to_vec();
    let mut query_runs = Vec::new();
    let mut query_vars: std::collections::HashMap<FileId, ExternalVars> = Default::default();
    let mut displays = Vec::new();
    for (index, run) in azure.runs.iter().enumerate() {
        for (query, span, defined_at) in &run.queries {
            if prefilter && !crate::prefilter::file_is_relevant(query) {
                continue;
            }
            let taken: Vec<&str> = external
                .vars
                .iter()
                .chain(&run.vars)
                .map(|(name, _)| name.as_str())
                .collect();
            let dialect = shell_files
                .iter()
                .find(|(f, _)| *f == span.file)
                .map_or(Dialect::PowerShell, |(_, d)| *d);
            let (file, layout) =
                query_file(&mut files, (query, dialect), *span, *defined_at, &taken);
            let mut vars = external.clone();
            vars.vars.extend(run.vars.iter().cloned());
            vars.vars.extend(layout.vars);
            query_vars.insert(file, vars);
            secrets.insert(file, layout.secrets);
            displays.extend(layout.display.map(|d| (file, d)));
            script_files.push(file);
            query_runs.push((file, index));
        }
    }
    let script_files = script_files.as_slice();
    // Split and extract each file on its own (in parallel); the batches' texts, a copy
    // of the file, are dropped right after extraction.
    let no_imports = crate::sqlcmd::Imports::new();
    let process = |file: FileId, vars: &ExternalVars| {
        let text = &files.get(file).text;
        let imports = sessions.imports.get(&file).unwrap_or(&no_imports);
        let script = split_with(file, text, vars, imports);
        let facts = extract_file(file, &script, server_name, prefilter);
        ScriptFacts {
            file,
            script: script.without_batches(),
            facts,
            secrets: Vec::new(),
        }
    };
    // A script run by `sqlcmd -v A=b` / `Invoke-Sqlcmd -Variable` gets those variables.
    let mut script_runs = match_runs(&files, script_files, &azure.runs);
    script_runs.extend(query_runs);
    // …and a script included with `:r` the variables in force at its `:r` line (a
    // `:setvar` there outranks `-v`).
    let mut file_vars = query_vars;
    for (file, run) in &script_runs {
        let vars = &azure.runs[*run].vars;
        if !vars.is_empty() && !file_vars.contains_key(file) {
            let mut with = external.clone();
            with.vars.extend(vars.iter().cloned());
            file_vars.insert(*file, with);
        }
    }
    for (file, entry) in &sessions.entry {
        let vars = file_vars.entry(*file).or_insert_with(|| external.clone());
        vars.vars.extend(entry.vars.iter().cloned());
    }
    let mut scripts: Vec<ScriptFacts> = script_files
        .par_iter()
        .map(|&file| process(file, file_vars.get(&file).unwrap_or(external)))
        .collect();
    for s in &mut scripts {
        // T-SQL given inline in a shell script was masked in the shell script; read
        // from there, it holds its secrets (masked) where they were written.
        let text = &files.get(s.file).text;
        s.secrets = secrets.remove(&s.file).unwrap_or_else(|| {
            if crate::prefilter::file_is_relevant(text) {
                crate::secrets::find(text).secrets
            } else {
                Vec::new()
            }
        });
    }
    // A query's text as written, for snippets and comments (same bytes and lines).
    for (file, display) in displays {
        *files.text_mut(file) = display;
    }
    Extracted {
        files,
        scripts,
        azure,
        script_runs,
        export_files,
        sessions,
    }
}

/// The linted scripts each `-InputFile` / `-i` names: the path relative to the shell
/// script's folder, else the one script with that file name.
fn match_runs(files: &Files, scripts: &[FileId], runs: &[ScriptRun]) -> Vec<(FileId, usize)> {
    let normalize = |p: &str| {
        let mut parts: Vec<String> = Vec::new();
        for part in p.replace('\\', "/").split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                other => parts.push(other.to_ascii_lowercase()),
            }
        }
        parts
    };
    let scripts: Vec<(FileId, Vec<String>)> = scripts
        .iter()
        .map(|&file| (file, normalize(&files.get(file).name)))
        .collect();
    let mut found = Vec::new();
    for (index, run) in runs.iter().enumerate() {
        let shell = normalize(&files.get(run.span.file).name);
        let folder = &shell[..shell.len().saturating_sub(1)];
        for (input, _) in &run.inputs {
            let wanted = normalize(input);
            let Some(base) = wanted.last() else { continue };
            let relative: Vec<String> = folder.iter().chain(&wanted).cloned().collect();
            let exact = scripts.iter().find(|(_, p)| *p == relative || *p == wanted);
            let by_name: Vec<_> = scripts
                .iter()
                .filter(|(_, p)| p.last() == Some(base))
                .collect();
            let hit = exact.or(match by_name.as_slice() {
                [only] => Some(*only),
                _ => None,
            });
            if let Some((file, _)) = hit {
                found.push((*file, index));
            }
        }
    }
    found
}

/// A `-Query` as a script of its own under the shell script's name, laid out where its
/// text is written: the literal after the flag (`span`), or the literal of the assignment
/// (`defined_at`) when that holds more of the query's text (see [`shell_query`]).
fn query_file(
    files: &mut Files,
    (query, dialect): (&str, Dialect),
    span: crate::span::Span,
    defined_at: Option<crate::span::Span>,
    taken: &[&str],
) -> (FileId, super::shell_query::Layout) {
    let shell = files.get(span.file);
    let name = shell.name.clone();
    let mut candidates = vec![span.range()];
    candidates.extend(
        defined_at
            .filter(|d| d.file == span.file)
            .map(|d| d.range()),
    );
    let mut layout = super::shell_query::layout(&shell.text, dialect, query, &candidates, taken);
    let file = files.add(name, std::mem::take(&mut layout.text));
    files.mark_laid_over(file, span.file);
    (file, layout)
}
