//! SQLCMD `:r FILE` between linted scripts: a master script often holds the `:setvar`
//! lines and includes step files that only use `$(VAR)`. Each included script that is
//! among the linted files is read with the variables in force at its `:r` line, so its
//! names resolve as sqlcmd would resolve them.

use crate::files::Files;
use crate::span::FileId;
use crate::sqlcmd::{CommandKind, ExternalVars, Script};
use std::collections::HashMap;

/// A path as compared between `:r` arguments and linted file names: `/` separators,
/// `.` and `..` resolved, lower case (link scripts mostly come from Windows).
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/").to_lowercase()
}

/// The file a `:r` argument names, relative to the including file's folder (or as given).
fn resolve(includer: &str, argument: &str) -> [String; 2] {
    let folder = match includer.rfind(['/', '\\']) {
        Some(i) => &includer[..i],
        None => "",
    };
    [
        normalize(&format!("{folder}/{argument}")),
        normalize(argument),
    ]
}

/// An `:r` line whose file is among the linted scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncludeEdge {
    pub includer: FileId,
    /// The `:r` command line.
    pub command: crate::span::Span,
    pub target: FileId,
}

/// Every `:r` between linted scripts (a file including itself too), in file order.
pub fn edges<'a>(
    files: &Files,
    scripts: impl IntoIterator<Item = (FileId, &'a Script)> + Clone,
) -> Vec<IncludeEdge> {
    let by_name: HashMap<String, FileId> = scripts
        .clone()
        .into_iter()
        .map(|(id, _)| (normalize(&files.get(id).name), id))
        .collect();
    let mut out = Vec::new();
    for (includer, script) in scripts {
        let includer_name = &files.get(includer).name;
        for command in script
            .commands
            .iter()
            .filter(|c| c.kind == CommandKind::Include)
        {
            let target = resolve(includer_name, &command.argument)
                .iter()
                .find_map(|candidate| by_name.get(candidate).copied());
            if let Some(target) = target {
                out.push(IncludeEdge {
                    includer,
                    command: command.span,
                    target,
                });
            }
        }
    }
    out
}

/// For each linted script included by another, the variables to read it with: the
/// run's external variables, then the includer's `:setvar`s before the `:r` line.
pub fn include_vars(
    files: &Files,
    scripts: &[(FileId, &Script)],
    external: &ExternalVars,
) -> HashMap<FileId, ExternalVars> {
    let script_of: HashMap<FileId, &Script> = scripts.iter().copied().collect();
    let mut included = HashMap::new();
    for edge in edges(files, scripts.iter().copied()) {
        if edge.target == edge.includer {
            continue;
        }
        let mut vars = external.clone();
        vars.vars.extend(
            script_of[&edge.includer]
                .setvars
                .iter()
                .filter(|v| v.span.start < edge.command.start)
                .map(|v| (v.name.clone(), v.value.clone())),
        );
        included.entry(edge.target).or_insert(vars);
    }
    included
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_compared_like_windows_does() {
        assert_eq!(normalize(".\\Steps\\..\\steps\\S4.sql"), "steps/s4.sql");
        assert_eq!(
            resolve("repo/run_all.sql", ".\\steps\\s4.sql")[0],
            "repo/steps/s4.sql"
        );
    }
}
