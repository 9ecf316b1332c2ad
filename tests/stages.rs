//! The pipeline's stages, in the order a run goes through them, and the rule that keeps
//! the crate readable in one pass: a module uses only modules of its own or an earlier
//! stage (no import cycles, nothing reaches up). `lib.rs` and the binary wire the stages
//! and are not checked. Test code is not checked either (it may run the whole pipeline).
//!
//! The same list is drawn in README.md ("How it works") and docs/architecture.md.

use std::collections::BTreeSet;
use std::path::Path;

/// Top-level modules of `src/`, stage by stage.
const STAGES: &[(&str, &[&str])] = &[
    (
        "foundation",
        &[
            "span",
            "codes",
            "diagnostic",
            "date",
            "names",
            "words",
            "error",
            "language",
            "source",
            "files",
            "placeholder",
        ],
    ),
    ("configuration", &["params", "selection", "config"]),
    ("discover", &["discover", "workspace"]),
    ("read and decode", &["read"]),
    ("prefilter", &["prefilter"]),
    ("SQLCMD", &["sqlcmd", "include"]),
    ("secrets", &["secrets"]),
    ("shell scripts and Azure exports", &["azure", "expected"]),
    ("mask", &["masking"]),
    ("statements", &["lex", "statements"]),
    ("model", &["model", "extract", "analysis"]),
    ("rules", &["rules"]),
    ("suppress and severity", &["suppress"]),
    ("report", &["report"]),
    ("fix", &["fix"]),
];

fn stage_of(module: &str) -> Option<usize> {
    STAGES
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// The source of a file without its test code and comments.
fn production_code(text: &str) -> String {
    let code = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a text names through `crate::…`.
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a, b::c}`: the first word of each path in the group.
            let end = group.find('}').unwrap_or(group.len());
            for path in group[..end].split(',') {
                let word: String = path
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                used.insert(word);
            }
        } else {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            used.insert(word);
        }
    }
    used
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_uses_only_its_own_or_earlier_stages() {
    let src = Path::new("src");
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for path in &files {
        let relative = path.strip_prefix(src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let name = relative.file_name().unwrap().to_string_lossy();
        // The wiring, the binary, and files that hold only tests.
        if ["lib", "main", "cli"].contains(&top.as_str())
            || name == "tests.rs"
            || name == "testing.rs"
        {
            continue;
        }
        let Some(own) = stage_of(&top) else {
            problems.push(format!(
                "{}: module '{top}' is in no stage of STAGES",
                path.display()
            ));
            continue;
        };
        checked += 1;
        let code = production_code(&std::fs::read_to_string(path).unwrap());
        for used in used_modules(&code) {
            if used == top {
                continue;
            }
            match stage_of(&used) {
                Some(stage) if stage <= own => {}
                Some(stage) => problems.push(format!(
                    "{}: '{top}' ({}) uses '{used}' of a later stage ({})",
                    path.display(),
                    STAGES[own].0,
                    STAGES[stage].0
                )),
                None => problems.push(format!(
                    "{}: uses crate::{used}, which is in no stage (lib.rs items are for the binary and tests)",
                    path.display()
                )),
            }
        }
    }
    assert!(checked > 50, "only {checked} files checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_used_modules_of_a_text_are_read_from_paths_and_groups() {
    let code =
        "use crate::span::Span;\nuse crate::{files::Files, names};\nlet x = crate::read::read(a);";
    let used: Vec<String> = used_modules(code).into_iter().collect();
    assert_eq!(used, ["files", "names", "read", "span"]);
}
