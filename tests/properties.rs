//! Property tests: no input panics, and the output is deterministic.

use milink_lint::{lint_sources, report, LintOptions, SourceInput};
use proptest::prelude::*;

/// JSON only: the line mutations below lint thousands of variants.
fn lint_bytes(bytes: Vec<u8>) -> Option<String> {
    let input = SourceInput {
        name: "fuzz.sql".into(),
        bytes,
    };
    lint_sources(vec![input], None, &LintOptions::default())
        .ok()
        .map(|r| report::json::render(&r))
}

/// Lint one script (with an optional parameters file) and render every output format.
fn lint_with(bytes: Vec<u8>, params: Option<&std::path::Path>) -> Option<String> {
    let input = SourceInput {
        name: "fuzz.sql".into(),
        bytes,
    };
    let params = params.map(|p| SourceInput {
        name: p.display().to_string(),
        bytes: std::fs::read(p).unwrap(),
    });
    let options = LintOptions {
        today: milink_lint::date::Date::new(2026, 11, 26),
        ..LintOptions::default()
    };
    lint_sources(vec![input], params, &options).ok().map(|r| {
        [
            report::json::render(&r),
            report::human::render_plain(&r, false),
            report::sarif::render(&r),
            report::github::render(&r),
            report::gitlab::render(&r),
            report::junit::render(&r),
        ]
        .concat()
    })
}

/// Whitespace-separated words of a fixture script, each with its trailing whitespace.
fn words(text: &str) -> Vec<&str> {
    text.split_inclusive(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Every fixture script with the parameters file of its folder (read once).
fn fixture_scripts() -> &'static [(String, Option<std::path::PathBuf>)] {
    static SCRIPTS: std::sync::OnceLock<Vec<(String, Option<std::path::PathBuf>)>> =
        std::sync::OnceLock::new();
    SCRIPTS.get_or_init(read_fixture_scripts)
}

fn read_fixture_scripts() -> Vec<(String, Option<std::path::PathBuf>)> {
    glob_sql("fixtures")
        .into_iter()
        .map(|path| {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            let params = ["params.toml", "params.yaml", "params.json"]
                .iter()
                .map(|f| path.parent().unwrap().join(f))
                .find(|p| p.exists());
            (text, params)
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
    ]
}

fn mutate(mut tokens: Vec<&str>, mutations: &[Mutation]) -> String {
    for m in mutations {
        if tokens.is_empty() {
            break;
        }
        let n = tokens.len();
        match *m {
            Mutation::Delete(i) => {
                tokens.remove(i % n);
            }
            Mutation::Duplicate(i) => tokens.insert(i % n, tokens[i % n]),
            Mutation::Swap(a, b) => tokens.swap(a % n, b % n),
        }
    }
    tokens.concat()
}

/// Characters that matter to the SQLCMD layer and the lexer.
fn sqlish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("GO\n".to_string()),
            Just(":setvar A \"x\"\n".to_string()),
            Just("$(A)".to_string()),
            Just("CREATE AVAILABILITY GROUP ".to_string()),
            Just("WITH (DISTRIBUTED) AVAILABILITY GROUP ON ".to_string()),
            Just("N'tcp://h.x.database.windows.net:5022;Server=[m]'".to_string()),
            Just("REPLICA ON ".to_string()),
            Just("-- milink-lint: ignore ML101, ML1O1 -- why\n".to_string()),
            Just("/* milink-lint: ignore-file ".to_string()),
            Just("-- milink-lint:".to_string()),
            Just(
                "CREATE ENDPOINT e AS TCP (LISTENER_PORT = 5022) FOR DATABASE_MIRRORING ("
                    .to_string()
            ),
            "[\\[\\]'\"/*\\-\\n$():N,=;()é\u{0430} a-zA-Z0-9]{0,12}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = lint_bytes(bytes);
    }

    /// Fixture scripts with words deleted, duplicated and swapped, checked against their
    /// parameters file and rendered in every format: no panic, the same output twice.
    #[test]
    fn mutated_fixtures_never_panic_and_are_deterministic(
        pick in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let scripts = fixture_scripts();
        let (text, params) = &scripts[pick % scripts.len()];
        let mutated = mutate(words(text), &mutations);
        let first = lint_with(mutated.clone().into_bytes(), params.as_deref());
        let second = lint_with(mutated.into_bytes(), params.as_deref());
        prop_assert_eq!(first, second);
    }

    #[test]
    fn sql_like_text_never_panics_and_is_deterministic(text in sqlish()) {
        let first = lint_with(text.clone().into_bytes(), None);
        let second = lint_with(text.into_bytes(), None);
        prop_assert_eq!(first, second);
    }
}

#[test]
fn fixture_mutations_never_panic() {
    // Delete, duplicate and swap lines of every fixture script.
    for entry in glob_sql("fixtures") {
        let text = std::fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&text).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        for i in (0..lines.len()).step_by(3) {
            let mut deleted = lines.clone();
            deleted.remove(i);
            let _ = lint_bytes(deleted.join("\n").into_bytes());
            let mut swapped = lines.clone();
            swapped.swap(i, lines.len() - 1 - i);
            let _ = lint_bytes(swapped.join("\n").into_bytes());
            let mut duplicated = lines.clone();
            duplicated.insert(i, lines[i]);
            let _ = lint_bytes(duplicated.join("\n").into_bytes());
        }
    }
}

fn glob_sql(dir: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "sql") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Shell scripts (every fixture `.ps1`/`.sh`/`.cmd`, words mutated, or shell-like text)
/// linted next to a correct T-SQL set-up: no panic, the same output twice.
fn lint_shell(name: &str, text: &str) -> Option<String> {
    static SETUP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let setup = SETUP.get_or_init(|| {
        std::fs::read_to_string("fixtures/broken/ML601-azure-link-name-mismatch/setup_link.sql")
            .unwrap()
    });
    let inputs = vec![
        SourceInput {
            name: "setup_link.sql".into(),
            bytes: setup.as_bytes().to_vec(),
        },
        SourceInput {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        },
    ];
    lint_sources(inputs, None, &LintOptions::default())
        .ok()
        .map(|r| report::json::render(&r) + &report::human::render_plain(&r, false))
}

fn shell_fixtures() -> &'static [(String, String)] {
    static SCRIPTS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    SCRIPTS.get_or_init(|| {
        let mut out = Vec::new();
        let mut stack = vec![std::path::PathBuf::from("fixtures")];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p
                    .extension()
                    .is_some_and(|x| ["ps1", "sh", "cmd"].contains(&&*x.to_string_lossy()))
                {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    out.push((name, std::fs::read_to_string(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    })
}

fn shellish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("New-AzSqlInstanceLink ".to_string()),
            Just("az sql mi link create ".to_string()),
            Just("Invoke-Sqlcmd -ServerInstance ".to_string()),
            Just("-Name ".to_string()),
            Just("--name=".to_string()),
            Just("$x = \"a$($y)b\"\n".to_string()),
            Just("@{ Name = 'x'; Database = @('a','b') }".to_string()),
            Just("@\"\n".to_string()),
            Just("\"@\n".to_string()),
            Just("<<EOF\n".to_string()),
            Just("set \"X=y\"\n".to_string()),
            Just("%X% !Y! ${Z:-d} `\n \\\n ^\n".to_string()),
            "[\\[\\]{}()'\"`$@%!^|&;#<>=,:\\-\\n a-zA-Z0-9]{0,12}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn mutated_shell_scripts_never_panic_and_are_deterministic(
        pick in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let scripts = shell_fixtures();
        let (name, text) = &scripts[pick % scripts.len()];
        let mutated = mutate(words(text), &mutations);
        prop_assert_eq!(lint_shell(name, &mutated), lint_shell(name, &mutated));
    }

    #[test]
    fn shell_like_text_never_panics(text in shellish(), dialect in 0usize..3) {
        let name = ["x.ps1", "x.sh", "x.cmd"][dialect];
        prop_assert_eq!(lint_shell(name, &text), lint_shell(name, &text));
    }
}
