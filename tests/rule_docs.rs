//! Every rule page's examples run as written: the "Bad" set-up of `rules/CODE.md` gives its
//! rule and no other error, the "Good" one gives no error. The page is then the rule's
//! first test.
//!
//! The convention (also in CONTRIBUTING.md): in the `## Example` section, the code blocks
//! after a line starting with `Bad` (up to the line starting with `Good`) are the bad
//! set-up and those after `Good` the good one. `sql` blocks are scripts (`01.sql`,
//! `02.sql`, … unless the info string names the file: ```` ```sql 02_dag.sql ````),
//! `powershell`/`sh`/`cmd` blocks shell scripts, a `toml` block the parameters file, a
//! `json` block an Azure export given with `--azure`; `console`/`text` blocks are shown,
//! not run. Checked with `--today 2026-11-26`.
//!
//! Also:
//! - A page may show several examples: each `Bad` … `Good` pair is checked on its own.
//! - The Good set-up holds the same files as the Bad one (it is the Bad one, corrected),
//!   so that a Good example cannot pass just because it is a fragment.
//! - A `toml milink.toml` block is the configuration (`--config`; without one the run
//!   reads none). `encoding=LABEL` in a script's info string writes the file in that
//!   encoding (```` ```sql 01_endpoint.sql encoding=windows-1250 ````).
//! - Any other code block inside a Bad or Good part is a mistake, and so is a page without
//!   examples: nothing is skipped silently.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One file of an example set-up.
#[derive(Debug)]
struct File {
    name: String,
    text: String,
    /// `encoding=LABEL` of the info string; UTF-8 when absent.
    encoding: Option<String>,
}

/// One example set-up.
#[derive(Debug, Default)]
struct SetUp {
    files: Vec<File>,
}

impl SetUp {
    fn has(&self, name: &str) -> bool {
        self.files.iter().any(|f| f.name == name)
    }

    fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.files.iter().map(|f| f.name.as_str()).collect();
        names.sort_unstable();
        names
    }
}

/// A Bad set-up and its Good counterpart, with the page line of the `Bad` line.
#[derive(Debug, Default)]
struct Pair {
    line: usize,
    bad: SetUp,
    good: SetUp,
}

/// The example pairs of a page's `## Example` section, and what is wrong with its layout.
fn examples(page: &str) -> (Vec<Pair>, Vec<String>) {
    let mut pairs: Vec<Pair> = Vec::new();
    let mut problems = Vec::new();
    let Some(start) = page.find("\n## Example\n") else {
        problems.push("no `## Example` section".to_string());
        return (pairs, problems);
    };
    // The page line of the `## Example` line.
    let first_line = page[..=start].matches('\n').count() + 1;
    let section = &page[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let mut in_good = false;
    let mut lines = section.lines().enumerate();
    let (mut scripts, mut shells) = (0, 0);
    while let Some((index, line)) = lines.next() {
        let line_no = first_line + index;
        if line.starts_with("Bad") {
            if !in_good && !pairs.is_empty() {
                problems.push(format!("line {line_no}: `Bad` again before a `Good`"));
            }
            pairs.push(Pair {
                line: line_no,
                ..Pair::default()
            });
            in_good = false;
            (scripts, shells) = (0, 0);
            continue;
        }
        if line.starts_with("Good") {
            if pairs.is_empty() || in_good {
                problems.push(format!("line {line_no}: `Good` without a `Bad` before it"));
            }
            in_good = true;
            (scripts, shells) = (0, 0);
            continue;
        }
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let mut body = String::new();
        for (_, inner) in lines.by_ref() {
            if inner.trim_start().starts_with("```") {
                break;
            }
            body.push_str(inner);
            body.push('\n');
        }
        let mut words = info.split_whitespace();
        let lang = words.next().unwrap_or_default();
        if matches!(lang, "console" | "text") {
            continue;
        }
        let (mut named, mut encoding) = (None, None);
        for word in words {
            match word.strip_prefix("encoding=") {
                Some(label) => encoding = Some(label.to_string()),
                None => named = Some(word.to_string()),
            }
        }
        let Some(pair) = pairs.last_mut() else {
            if !lang.is_empty() {
                problems.push(format!(
                    "line {line_no}: a `{lang}` block before the first `Bad` (not run)"
                ));
            }
            continue;
        };
        let name = match lang {
            "sql" => {
                scripts += 1;
                named.unwrap_or_else(|| format!("{scripts:02}.sql"))
            }
            "powershell" | "sh" | "cmd" => {
                shells += 1;
                let ext = match lang {
                    "powershell" => "ps1",
                    other => other,
                };
                named.unwrap_or_else(|| format!("run{shells}.{ext}"))
            }
            "toml" => named.unwrap_or_else(|| "params.toml".into()),
            "json" => named.unwrap_or_else(|| "azure.json".into()),
            other => {
                let what = match other {
                    "" => "a code block without a language".to_string(),
                    other => format!("a `{other}` code block"),
                };
                problems.push(format!(
                    "line {line_no}: {what} in an example: neither run (sql, powershell, sh, \
                     cmd, toml, json) nor shown (console, text)"
                ));
                continue;
            }
        };
        let set_up = if in_good {
            &mut pair.good
        } else {
            &mut pair.bad
        };
        if set_up.has(&name) {
            problems.push(format!(
                "line {line_no}: a second file `{name}` in one set-up"
            ));
        }
        set_up.files.push(File {
            name,
            text: body,
            encoding,
        });
    }
    if pairs.is_empty() {
        problems.push("no `Bad` example".to_string());
    }
    for pair in &pairs {
        let at = pair.line;
        if pair.bad.files.is_empty() {
            problems.push(format!("Bad at line {at}: no code block"));
        }
        if pair.good.files.is_empty() {
            problems.push(format!("Bad at line {at}: no Good set-up after it"));
        } else if pair.bad.names() != pair.good.names() {
            problems.push(format!(
                "Bad at line {at}: the Good set-up holds other files ({:?}) than the Bad one \
                 ({:?})",
                pair.good.names(),
                pair.bad.names()
            ));
        }
    }
    (pairs, problems)
}

/// The bytes of a file in its encoding.
fn bytes(file: &File) -> Result<Vec<u8>, String> {
    let Some(label) = &file.encoding else {
        return Ok(file.text.clone().into_bytes());
    };
    let utf16 = |big: bool| {
        file.text
            .encode_utf16()
            .flat_map(|u| {
                if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    };
    match encoding_rs::Encoding::for_label(label.as_bytes()) {
        Some(e) if e == encoding_rs::UTF_16LE => Ok(utf16(false)),
        Some(e) if e == encoding_rs::UTF_16BE => Ok(utf16(true)),
        Some(e) => {
            let (out, _, unmappable) = e.encode(&file.text);
            if unmappable {
                return Err(format!("`{}`: text not writable in {label}", file.name));
            }
            Ok(out.into_owned())
        }
        None => Err(format!("`{}`: unknown encoding `{label}`", file.name)),
    }
}

/// One finding of a run.
#[derive(Debug)]
struct Finding {
    code: String,
    severity: String,
    at: String,
    message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Finding {
            code,
            severity,
            at,
            message,
        } = self;
        write!(f, "{code} {severity} {at}: {message}")
    }
}

/// The findings of a set-up linted alone, or why the run failed.
fn lint(tag: &str, set_up: &SetUp) -> Result<Vec<Finding>, String> {
    let dir = std::env::temp_dir().join(format!("milink-docs-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for file in &set_up.files {
        let path = dir.join(&file.name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes(file)?).unwrap();
    }
    let mut command = Command::new(env!("CARGO_BIN_EXE_milink-lint"));
    command
        .current_dir(&dir)
        .env_remove("MILINK_LINT_PARAMS")
        .env("NO_COLOR", "1")
        .args(["check", "--format", "json", "--today", "2026-11-26"]);
    if set_up.has("milink.toml") {
        command.args(["--config", "milink.toml"]);
    } else {
        command.arg("--no-config");
    }
    if set_up.has("params.toml") {
        command.args(["--params", "params.toml"]);
    }
    if set_up.has("azure.json") {
        command.args(["--azure", "azure.json"]);
    }
    let scripts: Vec<&String> = set_up
        .files
        .iter()
        .map(|f| &f.name)
        .filter(|n| !n.ends_with(".toml") && !n.ends_with(".json"))
        .collect();
    if scripts.is_empty() {
        command.arg(".");
    } else {
        command.args(scripts);
    }
    let o = command.output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let failed = || format!("the run failed ({}): {}", o.status, stderr.trim());
    if o.status.code() == Some(2) {
        return Err(failed());
    }
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).map_err(|_| failed())?;
    let text = |d: &serde_json::Value, key: &str| d[key].as_str().unwrap_or_default().to_string();
    Ok(v["diagnostics"]
        .as_array()
        .ok_or_else(failed)?
        .iter()
        .map(|d| Finding {
            code: text(d, "code"),
            severity: text(d, "severity"),
            at: format!("{}:{}", text(d, "file"), d["line"]),
            message: text(d, "message"),
        })
        .collect())
}

fn list(findings: &[&Finding]) -> String {
    if findings.is_empty() {
        return "nothing".to_string();
    }
    let lines: Vec<String> = findings.iter().map(|f| format!("\n      {f}")).collect();
    lines.concat()
}

/// What is wrong with one example pair of the page of `code`.
fn check(code: &str, index: usize, pair: &Pair) -> Vec<String> {
    let mut problems = Vec::new();
    let at = pair.line;
    match lint(&format!("{code}-{index}-bad"), &pair.bad) {
        Err(e) => problems.push(format!("Bad at line {at}: {e}")),
        Ok(findings) => {
            let all: Vec<&Finding> = findings.iter().collect();
            if !findings.iter().any(|f| f.code == code) {
                problems.push(format!(
                    "Bad at line {at} does not give {code}; it gives {}",
                    list(&all)
                ));
            } else {
                let others: Vec<&Finding> = findings
                    .iter()
                    .filter(|f| f.code != code && f.severity == "error")
                    .collect();
                if !others.is_empty() {
                    problems.push(format!(
                        "Bad at line {at} gives other errors: {}",
                        list(&others)
                    ));
                }
            }
        }
    }
    match lint(&format!("{code}-{index}-good"), &pair.good) {
        Err(e) => problems.push(format!("Good after line {at}: {e}")),
        Ok(findings) => {
            let errors: Vec<&Finding> = findings.iter().filter(|f| f.severity == "error").collect();
            if !errors.is_empty() {
                problems.push(format!(
                    "Good after line {at} gives errors: {}",
                    list(&errors)
                ));
            }
        }
    }
    problems
}

fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(Path::new("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages
}

/// The codes that `milink-lint rules` lists.
fn rule_codes() -> Vec<String> {
    let o = Command::new(env!("CARGO_BIN_EXE_milink-lint"))
        .arg("rules")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "milink-lint rules failed");
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.starts_with("ML") && w.len() == 5)
        .map(str::to_string)
        .collect()
}

#[test]
fn every_rule_page_example_runs_as_written() {
    let pages = pages();
    let codes: Vec<String> = pages
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().to_string())
        .collect();
    let rules = rule_codes();
    assert!(!rules.is_empty(), "`milink-lint rules` lists no rule");
    let mut failing: Vec<String> = Vec::new();
    for code in rules.iter().filter(|c| !codes.contains(c)) {
        failing.push(format!("{code}: a rule without a page rules/{code}.md"));
    }
    for code in codes.iter().filter(|c| !rules.contains(c)) {
        failing.push(format!("{code}: a page rules/{code}.md of no rule"));
    }
    let mut checked = 0;
    for (page, code) in pages.iter().zip(&codes) {
        let text = std::fs::read_to_string(page).unwrap();
        let (pairs, mut problems) = examples(&text);
        for (index, pair) in pairs.iter().enumerate() {
            if !pair.bad.files.is_empty() && !pair.good.files.is_empty() {
                problems.extend(check(code, index, pair));
                checked += 1;
            }
        }
        if !problems.is_empty() {
            failing.push(format!("{code}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(
        failing.is_empty(),
        "{} of {} rule pages fail ({checked} example pairs run):\n{}",
        failing.len(),
        pages.len(),
        failing.join("\n")
    );
    assert!(checked >= pages.len());
}

#[test]
fn the_example_convention_is_read_as_written() {
    let page = "# ML999 demo\n\n## Example\nBad:\n```sql\nSELECT 1;\n```\n```toml\n[link]\n```\n\
                Good:\n```sql\nSELECT 2;\n```\n```toml\n[link]\n```\n\n\
                Bad (two files):\n```sql 02_dag.sql encoding=windows-1250\nSELECT 3;\n```\n\
                ```powershell\nGet-AzSqlInstanceLink\n```\n```text\nshown only\n```\n\
                Good:\n```sql 02_dag.sql\nSELECT 4;\n```\n\n## Notes\n```sql\nnot an example\n```\n";
    let (pairs, problems) = examples(page);
    assert_eq!(
        problems,
        [
            "Bad at line 19: the Good set-up holds other files ([\"02_dag.sql\"]) than the Bad \
          one ([\"02_dag.sql\", \"run1.ps1\"])"
        ]
    );
    assert_eq!(pairs.len(), 2);
    assert_eq!(pairs[0].line, 4);
    assert_eq!(pairs[0].bad.names(), ["01.sql", "params.toml"]);
    assert_eq!(pairs[0].good.files[0].text, "SELECT 2;\n");
    assert_eq!(pairs[1].bad.names(), ["02_dag.sql", "run1.ps1"]);
    assert_eq!(
        pairs[1].bad.files[0].encoding.as_deref(),
        Some("windows-1250")
    );

    let (_, problems) =
        examples("## Intro\n\n## Example\nGood:\n```sql\nx\n```\nBad:\n```\ny\n```\n");
    assert_eq!(
        problems,
        [
            "line 4: `Good` without a `Bad` before it",
            "line 5: a `sql` block before the first `Bad` (not run)",
            "line 9: a code block without a language in an example: neither run (sql, \
             powershell, sh, cmd, toml, json) nor shown (console, text)",
            "Bad at line 8: no code block",
            "Bad at line 8: no Good set-up after it",
        ]
    );
}
