//! The masking stage: every secret of every source is masked after reading and before
//! anything else reads the text, so no later stage (the model, the rules, a message,
//! a snippet, a fingerprint) ever holds a secret, only its taint (see
//! [`crate::secrets`]).
//!
//! It runs in two steps. [`Masking::mask_files`] reads each text on its own (scripts
//! and shell scripts as they are read, included scripts as `:r` reads them, the
//! parameters file and exports) and masks what it finds there. [`Masking::mask_across`]
//! then adds what only all the texts together tell: a variable used as a password in one
//! file and set in another (`:setvar`, `sqlcmd -v`, `--var`, `[vars]`), and a secret
//! value repeated anywhere else (a comment quoting the master key password).

use crate::azure::shell::Dialect;
use crate::files::Files;
use crate::secrets::{self, Known, Origin, Secret, SecretKind};
use crate::span::FileId;
use crate::sqlcmd::ExternalVars;
use rayon::prelude::*;
use std::collections::HashMap;

/// What kind of text a source is, for the scanner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// T-SQL / SQLCMD.
    Script,
    /// PowerShell, sh or cmd.
    Shell(Dialect),
    /// A parameters file or an Azure export (masked for snippets; already parsed).
    Data,
}

/// The secrets of a run, as found so far.
#[derive(Debug, Default)]
pub struct Masking {
    /// Every secret by file (ML505 reports those written into scripts).
    secrets: HashMap<FileId, Vec<Secret>>,
    /// Variables used as a password anywhere (lower case).
    password_vars: Vec<String>,
    /// Every variable assignment of the texts, by file.
    assignments: Vec<(FileId, secrets::Assignment)>,
    /// The literal values masked so far, to find them repeated elsewhere.
    values: Vec<String>,
    /// Those values, searchable (once every text is read).
    known: Known,
    /// The same values, for the other set-ups of the run.
    kept: Vec<String>,
}

impl Masking {
    /// Mask what each of `files` holds on its own (in parallel).
    pub fn mask_files(&mut self, files: &mut Files, sources: &[(FileId, Source)]) {
        let found: Vec<(FileId, secrets::Found)> = sources
            .par_iter()
            .map(|&(file, source)| (file, scan(file, &files.get(file).text, source)))
            .collect();
        for (file, found) in found {
            let text = files.text_mut(file);
            secrets::neutralise(text);
            self.values.extend(
                found
                    .secrets
                    .iter()
                    .filter_map(|s| text.get(s.range.clone()))
                    .map(str::to_string),
            );
            secrets::mask(text, found.secrets.iter().map(|s| s.range.clone()));
            self.password_vars
                .extend(found.password_vars.iter().map(|v| v.to_ascii_lowercase()));
            self.assignments
                .extend(found.assignments.into_iter().map(|a| (file, a)));
            self.secrets.entry(file).or_default().extend(found.secrets);
        }
    }

    /// Mask the values of the variables whose names say they are secrets
    /// (`--var MasterKeyPassword=…`, `[vars]` of milink.toml), before any script reads
    /// them.
    pub fn mask_named_vars(&mut self, vars: &mut ExternalVars) {
        for (name, value) in &mut vars.vars {
            if secrets::is_secret_name(name) {
                self.values.push(value.clone());
                mask_whole(value);
            }
        }
    }

    /// After every text is read: mask the values of variables used as a password in
    /// any file, wherever they are set (the texts, `vars`), and every repetition of a
    /// masked value in every text.
    pub fn mask_across(&mut self, files: &mut Files, vars: &mut ExternalVars) {
        self.password_vars.sort();
        self.password_vars.dedup();
        let password_vars = self.password_vars.clone();
        let is_password_var =
            |name: &str| password_vars.iter().any(|v| v.eq_ignore_ascii_case(name));
        // Assignments of password variables: their values are secrets.
        let mut by_file: HashMap<FileId, Vec<Secret>> = HashMap::new();
        for (file, assignment) in &self.assignments {
            if secrets::is_secret_name(&assignment.name) || !is_password_var(&assignment.name) {
                continue;
            }
            let text = &files.get(*file).text;
            if let Some(value) = text.get(assignment.range.clone()) {
                self.values.push(value.to_string());
            }
            by_file.entry(*file).or_default().push(Secret {
                range: assignment.range.clone(),
                kind: SecretKind::Password,
                origin: if assignment.setvar {
                    Origin::Setvar
                } else {
                    Origin::Value
                },
            });
        }
        for (name, value) in &mut vars.vars {
            if is_password_var(name) && !secrets::is_tainted(value) {
                self.values.push(value.clone());
            }
        }
        self.kept = self.values.clone();
        let known = Known::new(std::mem::take(&mut self.values));
        // Repetitions, in every text (in parallel: this reads everything once).
        let repeats: Vec<(FileId, Vec<std::ops::Range<usize>>)> = files
            .iter()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|(file, f)| (*file, known.occurrences(&f.text)))
            .filter(|(_, found)| !found.is_empty())
            .collect();
        for (file, ranges) in repeats {
            by_file
                .entry(file)
                .or_default()
                .extend(ranges.into_iter().map(|range| Secret {
                    range,
                    kind: SecretKind::Password,
                    origin: Origin::Repeat,
                }));
        }
        for (file, found) in by_file {
            secrets::mask(files.text_mut(file), found.iter().map(|s| s.range.clone()));
            let list = self.secrets.entry(file).or_default();
            list.extend(found);
            list.sort_by_key(|s| (s.range.start, s.range.end));
        }
        self.known = known;
        for (name, value) in &mut vars.vars {
            self.mask_value(name, value);
        }
    }

    /// The copies of variable values that the SQLCMD sessions took before
    /// [`Masking::mask_across`], masked the same way.
    pub fn mask_sessions(&self, sessions: &mut crate::include::Sessions) {
        for vars in sessions.entry.values_mut() {
            for (name, value) in &mut vars.vars {
                self.mask_value(name, value);
            }
        }
        for by_line in sessions.imports.values_mut() {
            for setvar in by_line.values_mut().flatten() {
                self.mask_value(&setvar.name, &mut setvar.value);
            }
        }
    }

    fn mask_value(&self, name: &str, value: &mut String) {
        let password_var = self
            .password_vars
            .iter()
            .any(|v| v.eq_ignore_ascii_case(name));
        if secrets::is_secret_name(name) || password_var {
            mask_whole(value);
        } else {
            secrets::mask(value, self.known.occurrences(value));
        }
    }

    /// The secrets found, by file, and the secret values (see [`secrets::Values`]).
    pub fn into_secrets(self) -> (HashMap<FileId, Vec<Secret>>, secrets::Values) {
        (self.secrets, secrets::Values(self.kept))
    }
}

fn mask_whole(value: &mut String) {
    let len = value.len();
    secrets::mask(value, std::iter::once(0..len));
}

/// The secrets one text holds on its own.
fn scan(file: FileId, text: &str, source: Source) -> secrets::Found {
    match source {
        Source::Script | Source::Data => secrets::find(text),
        // A shell script with no command of the link's is not read by the rest of the
        // tool (with or without the prefilter): neither are its secrets.
        Source::Shell(dialect) if crate::prefilter::shell_is_relevant(text) => {
            let commands = crate::azure::shell::commands(file, text, dialect);
            crate::azure::secrets::find(text, &commands)
        }
        Source::Shell(_) => secrets::Found::default(),
    }
}
