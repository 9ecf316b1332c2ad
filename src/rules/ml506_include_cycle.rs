//! ML506: `:r` includes a script that (directly or through others) includes the first.

use super::{Check, Rule};
use crate::analysis::Analysis;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::include::IncludeEdge;
use crate::span::FileId;

pub static RULE: Rule = Rule {
    code: Code::ML506,
    severity: Severity::Error,
    summary: "a SQLCMD :r includes the script itself, directly or through other scripts, so sqlcmd never ends",
    catalogue: "-",
    needs_params: false,
    check: Check::Model(check),
};

fn check(a: &Analysis, out: &mut Vec<Diagnostic>) {
    let all = &a.includes;
    let mut reported = std::collections::HashSet::new();
    for edge in all {
        let Some(path) = path_back(all, edge) else {
            continue;
        };
        // One finding per cycle, at its first `:r` in file order.
        let mut members = path.clone();
        members.sort();
        members.dedup();
        if !reported.insert(members) {
            continue;
        }
        let names: Vec<&str> = path.iter().map(|f| a.files.get(*f).name.as_str()).collect();
        let message = if path.len() == 2 {
            format!("`:r` includes {} itself", names[0])
        } else {
            format!("`:r` makes an include cycle: {}", names.join(" → "))
        };
        out.push(
            Diagnostic::new(RULE.code, RULE.severity, edge.command, message)
                .with_primary_label("included again from here")
                .with_help("sqlcmd reads the file again and again until it runs out of memory; remove this :r or the one that leads back"),
        );
    }
}

/// The cycle through `edge` (includer, target, …, includer), if the target leads back.
/// Breadth-first, so the shortest way back is shown; iterative, so no depth limit.
fn path_back(all: &[IncludeEdge], edge: &IncludeEdge) -> Option<Vec<FileId>> {
    let mut came_from: std::collections::HashMap<FileId, FileId> = Default::default();
    let mut queue = std::collections::VecDeque::from([edge.target]);
    let mut seen = std::collections::HashSet::from([edge.target]);
    while let Some(file) = queue.pop_front() {
        if file == edge.includer {
            let mut path = vec![file];
            let mut at = file;
            while at != edge.target {
                at = came_from[&at];
                path.push(at);
            }
            path.push(edge.includer);
            path.reverse();
            return Some(path);
        }
        for next in all.iter().filter(|e| e.includer == file).map(|e| e.target) {
            if seen.insert(next) {
                came_from.insert(next, file);
                queue.push_back(next);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{findings, lines, LINK};

    #[test]
    fn a_step_includes_the_master_script() {
        let master = ":setvar DagName dag-treasury\n:r .\\01_link.sql\n";
        let step = format!(":r .\\run_all.sql\n{LINK}");
        let found = findings(RULE.code, &[("01_link.sql", &step), ("run_all.sql", master)], None);
        assert_eq!(lines(&found), [1]);
        assert_eq!(found[0].file, "01_link.sql");
        assert_eq!(
            found[0].message,
            "`:r` makes an include cycle: 01_link.sql → run_all.sql → 01_link.sql"
        );
    }

    #[test]
    fn a_script_includes_itself() {
        let step = format!("{LINK}:r .\\01_link.sql\n");
        let found = findings(RULE.code, &[("01_link.sql", &step)], None);
        assert_eq!(lines(&found), [33]);
        assert_eq!(found[0].message, "`:r` includes 01_link.sql itself");
    }

    #[test]
    fn a_master_script_includes_its_steps() {
        let master = ":setvar DagName dag-treasury\n:r .\\01_link.sql\n";
        let found = findings(RULE.code, &[("01_link.sql", LINK), ("run_all.sql", master)], None);
        assert_eq!(found, []);
    }
}
