//! SQLCMD `:r FILE` as sqlcmd runs it: one session per master script.
//!
//! sqlcmd reads an included file at its `:r` line, with the variables in force there,
//! and a `:setvar` in the included file stays defined for the rest of the session (the
//! master script after the `:r` line and every later include). The file is read from
//! disk, relative to the including script's folder, then to the current folder, whether
//! or not it was named on the command line, so linting a master script alone checks
//! its steps. A `:r` whose file does not exist is a finding at that line (ML507), and
//! includes that lead back to a script being read are cycles (ML506).
//!
//! This runs before any script is split ([`crate::sqlcmd::split_with`] then applies
//! what it found): it needs only the `:setvar` and `:r` lines of each file.

use crate::files::Files;
use crate::span::{FileId, Span};
use crate::sqlcmd::{session_commands, ExternalVars, Imports, RawCommand, SetVar};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// A `:r` line and the script it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncludeEdge {
    pub includer: FileId,
    /// The `:r` command line.
    pub command: Span,
    pub target: FileId,
}

/// Why a `:r` line reads nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncludeProblem {
    /// No such file (the places looked at, as shown to users).
    NotFound { tried: Vec<String> },
    /// An absolute Windows or network path (`C:\…`, `\\server\share\…`): a file of the
    /// machine that runs sqlcmd, not of this repository.
    Outside,
    /// The file is there but cannot be read as a script.
    Unreadable(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingInclude {
    pub command: Span,
    /// The file name as sqlcmd sees it (variables substituted).
    pub argument: String,
    pub problem: IncludeProblem,
}

/// What reading a file named by `:r` gave.
pub enum Loaded {
    /// A script to lint, added to the files.
    Script(FileId),
    /// There, but with nothing to lint (no word any rule looks for).
    Skipped,
    Failed(String),
}

/// The SQLCMD sessions of a run.
#[derive(Debug, Default)]
pub struct Sessions {
    /// The variables in force where sqlcmd starts reading an included script (at its
    /// first `:r`, in file order of the master scripts).
    pub entry: HashMap<FileId, ExternalVars>,
    /// For each script, what the files it includes leave defined, by `:r` line.
    pub imports: HashMap<FileId, Imports>,
    pub edges: Vec<IncludeEdge>,
    pub missing: Vec<MissingInclude>,
    /// Scripts read from disk because a `:r` names them.
    pub loaded: Vec<FileId>,
}

/// Deeper includes than this are not followed (sqlcmd itself has no limit, but a
/// chain this long is a cycle through differently spelled paths).
const MAX_DEPTH: usize = 256;

/// A variable of the session: its name as written and its definition.
type Env = Vec<SetVar>;

fn lookup<'e>(env: &'e Env, name: &str) -> Option<&'e SetVar> {
    env.iter().rev().find(|v| v.name.eq_ignore_ascii_case(name))
}

/// `$(NAME)` in a `:r` argument replaced by its value; None when one is undefined.
fn expand(argument: &str, env: &Env, external: &ExternalVars) -> Option<String> {
    let mut out = String::new();
    let mut rest = argument;
    while let Some(at) = rest.find("$(") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let close = after.find(')')?;
        let name = &after[..close];
        let value = lookup(env, name)
            .map(|v| v.value.clone())
            .or_else(|| external.get(name).map(str::to_string))?;
        out.push_str(&value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// A path written in a script, with `\` as sqlcmd on Windows reads it.
fn written_path(argument: &str) -> String {
    argument.trim().replace('\\', "/")
}

fn is_outside(path: &str) -> bool {
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    drive || path.starts_with("//")
}

/// `a/./b/../c` → `a/c`, lexically (for names shown to users and compared).
fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() && !out.ends_with("..") => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The file at `path`, or at the same path with each part's letter case as on disk
/// (scripts written on Windows name `Steps\S1.sql` for `steps/s1.sql`). Something there
/// that is not a file (a folder, a device) is found too: reading it says what it is.
fn find_on_disk(path: &Path) -> Option<PathBuf> {
    if path.exists() {
        return Some(path.to_path_buf());
    }
    let mut found = PathBuf::new();
    for part in path.components() {
        let next = found.join(part.as_os_str());
        if next.exists() || !matches!(part, Component::Normal(_)) {
            found = next;
            continue;
        }
        let folder = if found.as_os_str().is_empty() {
            Path::new(".")
        } else {
            found.as_path()
        };
        let wanted = part.as_os_str().to_string_lossy().to_lowercase();
        let entry = std::fs::read_dir(folder)
            .ok()?
            .flatten()
            .find(|e| e.file_name().to_string_lossy().to_lowercase() == wanted)?;
        found = found.join(entry.file_name());
    }
    found.exists().then_some(found)
}

/// Where `:r argument` of the script named `includer` may read from: relative to the
/// includer's folder, then to the current folder.
fn candidates(includer: &str, written: &str) -> Vec<PathBuf> {
    let relative = Path::new(written);
    let mut candidates = Vec::new();
    let folder = Path::new(includer)
        .parent()
        .filter(|p| !p.as_os_str().is_empty());
    if let (Some(folder), false) = (folder, relative.is_absolute()) {
        candidates.push(tidy(&folder.join(relative)));
    }
    candidates.push(tidy(relative));
    candidates.dedup();
    candidates
}

/// A script name as compared with a `:r` path: `/` separators, `.` and `..` resolved,
/// lower case (link scripts mostly come from Windows).
fn name_key(name: &str) -> String {
    tidy(Path::new(&name.replace('\\', "/")))
        .to_string_lossy()
        .to_lowercase()
}

/// Where `:r argument` of the script named `includer` reads from, on disk.
fn resolve(includer: &str, argument: &str) -> Result<PathBuf, IncludeProblem> {
    let written = written_path(argument);
    if is_outside(&written) {
        return Err(IncludeProblem::Outside);
    }
    let candidates = candidates(includer, &written);
    for candidate in &candidates {
        if let Some(found) = find_on_disk(candidate) {
            if found.is_dir() {
                return Err(IncludeProblem::Unreadable("it is a folder".into()));
            }
            if !found.is_file() {
                return Err(IncludeProblem::Unreadable(
                    "it is not a regular file (a device or a pipe)".into(),
                ));
            }
            return Ok(found);
        }
    }
    Err(IncludeProblem::NotFound {
        tried: candidates
            .iter()
            .map(|c| c.to_string_lossy().replace('\\', "/"))
            .collect(),
    })
}

struct Walk<'a> {
    files: &'a mut Files,
    external: &'a ExternalVars,
    load: &'a mut dyn FnMut(&mut Files, &Path) -> Loaded,
    /// Scripts by their canonical path (None: read, nothing to lint; Err: unreadable).
    by_path: HashMap<PathBuf, Result<Option<FileId>, String>>,
    /// Scripts of the run by [`name_key`].
    by_name: HashMap<String, FileId>,
    commands: HashMap<FileId, Vec<RawCommand>>,
    /// What a script leaves defined once read (a second include of it applies this
    /// instead of reading it again: linear in the number of `:r` lines).
    leaves: HashMap<FileId, Vec<SetVar>>,
    sessions: Sessions,
}

impl Walk<'_> {
    fn commands(&mut self, file: FileId) -> Vec<RawCommand> {
        let files = &*self.files;
        self.commands
            .entry(file)
            .or_insert_with(|| session_commands(file, &files.get(file).text))
            .clone()
    }

    /// The script a `:r` names, read from disk if the run has not read it yet.
    fn target(&mut self, path: &Path) -> Result<Option<FileId>, String> {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(known) = self.by_path.get(&canonical) {
            return known.clone();
        }
        let result = match (self.load)(self.files, path) {
            Loaded::Script(id) => {
                self.sessions.loaded.push(id);
                Ok(Some(id))
            }
            Loaded::Skipped => Ok(None),
            Loaded::Failed(e) => Err(e),
        };
        self.by_path.insert(canonical, result.clone());
        result
    }

    /// Read `file` as sqlcmd does, with `env` in force; `env` ends with what it defines.
    fn read(&mut self, file: FileId, env: &mut Env, stack: &mut Vec<FileId>) {
        if stack.len() > MAX_DEPTH {
            return;
        }
        let start = env.len();
        for command in self.commands(file) {
            match command {
                RawCommand::SetVar(v) => env.push(v),
                RawCommand::Include { argument, span } => {
                    self.include(file, &argument, span, env, stack)
                }
            }
        }
        self.leaves
            .entry(file)
            .or_insert_with(|| env[start..].to_vec());
    }

    fn include(
        &mut self,
        file: FileId,
        argument: &str,
        span: Span,
        env: &mut Env,
        stack: &mut Vec<FileId>,
    ) {
        // An undefined variable in the path is ML502's finding.
        let Some(argument) = expand(argument, env, self.external) else {
            return;
        };
        let includer = self.files.get(file).name.clone();
        let problem = |problem| MissingInclude {
            command: span,
            argument: argument.clone(),
            problem,
        };
        // A script of the run first (also one read from standard input or given in
        // memory), then the disk.
        let by_name = candidates(&includer, &written_path(&argument))
            .iter()
            .find_map(|c| self.by_name.get(&name_key(&c.to_string_lossy())).copied());
        let target = match by_name {
            Some(target) => target,
            None => {
                let path = match resolve(&includer, &argument) {
                    Ok(path) => path,
                    Err(p) => {
                        self.sessions.missing.push(problem(p));
                        return;
                    }
                };
                match self.target(&path) {
                    Ok(Some(target)) => target,
                    Ok(None) => return,
                    Err(e) => {
                        self.sessions
                            .missing
                            .push(problem(IncludeProblem::Unreadable(e)));
                        return;
                    }
                }
            }
        };
        let edge = IncludeEdge {
            includer: file,
            command: span,
            target,
        };
        if !self.sessions.edges.contains(&edge) {
            self.sessions.edges.push(edge);
        }
        // A script including itself, directly or not: ML506; sqlcmd would never end.
        if target == file || stack.contains(&target) {
            return;
        }
        self.sessions
            .entry
            .entry(target)
            .or_insert_with(|| ExternalVars {
                vars: env
                    .iter()
                    .map(|v| (v.name.clone(), v.value.clone()))
                    .collect(),
            });
        let before = env.len();
        match self.leaves.get(&target) {
            Some(leaves) => env.extend(leaves.iter().cloned()),
            None => {
                stack.push(target);
                self.read(target, env, stack);
                stack.pop();
            }
        }
        let defined = env[before..].to_vec();
        if !defined.is_empty() {
            self.sessions
                .imports
                .entry(file)
                .or_default()
                .entry(span.start as usize)
                .or_insert(defined);
        }
    }
}

/// Follow every `:r` of `scripts` (ids into `files`; named by their path relative to
/// the current folder), reading the files they name with `load`.
pub fn sessions(
    files: &mut Files,
    scripts: &[FileId],
    external: &ExternalVars,
    load: &mut dyn FnMut(&mut Files, &Path) -> Loaded,
) -> Sessions {
    let mut walk = Walk {
        by_path: HashMap::new(),
        by_name: scripts
            .iter()
            .map(|&f| (name_key(&files.get(f).name), f))
            .collect(),
        commands: HashMap::new(),
        leaves: HashMap::new(),
        sessions: Sessions::default(),
        files,
        external,
        load,
    };
    // Nothing to do in the usual run: no script has a `:r` line.
    let with_includes: Vec<FileId> = scripts
        .iter()
        .copied()
        .filter(|&f| {
            walk.commands(f)
                .iter()
                .any(|c| matches!(c, RawCommand::Include { .. }))
        })
        .collect();
    if with_includes.is_empty() {
        return walk.sessions;
    }
    for &file in scripts {
        let path = Path::new(&walk.files.get(file).name).to_path_buf();
        if let Ok(canonical) = std::fs::canonicalize(&path) {
            walk.by_path.insert(canonical, Ok(Some(file)));
        }
    }
    // Master scripts first (those no other script includes), in file order, so a step
    // is read with its master's variables; then whatever is left (a cycle of steps).
    let mut stack = Vec::new();
    for &file in &with_includes {
        if !walk.leaves.contains_key(&file) {
            walk.read(file, &mut Env::new(), &mut stack);
        }
    }
    walk.sessions.entry.clear();
    walk.sessions.imports.clear();
    walk.leaves.clear();
    let included: std::collections::HashSet<FileId> =
        walk.sessions.edges.iter().map(|e| e.target).collect();
    walk.sessions.edges.clear();
    walk.sessions.missing.clear();
    let masters = with_includes.iter().filter(|f| !included.contains(f));
    let others = with_includes.iter().filter(|f| included.contains(f));
    for &file in masters.chain(others) {
        if !walk.leaves.contains_key(&file) {
            stack.push(file);
            walk.read(file, &mut Env::new(), &mut stack);
            stack.pop();
        }
    }
    walk.sessions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_read_like_windows_writes_them() {
        assert_eq!(written_path(".\\Steps\\S4.sql"), "./Steps/S4.sql");
        assert_eq!(
            tidy(Path::new("repo/./steps/../run.sql")),
            PathBuf::from("repo/run.sql")
        );
        assert!(is_outside("C:/Deploy/s1.sql"));
        assert!(is_outside("//server/share/s1.sql"));
        assert!(!is_outside("steps/s1.sql"));
    }

    #[test]
    fn variables_in_the_path() {
        let external = ExternalVars {
            vars: vec![("Dir".into(), "steps".into())],
        };
        assert_eq!(
            expand("$(dir)\\s1.sql", &Env::new(), &external).as_deref(),
            Some("steps\\s1.sql")
        );
        assert_eq!(expand("$(Nope)\\s1.sql", &Env::new(), &external), None);
    }
}
