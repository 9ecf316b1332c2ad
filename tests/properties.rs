//! Property tests: no input panics, and the output is deterministic.

use milink_lint::{lint_sources, report, LintOptions, SourceInput};
use proptest::prelude::*;

fn lint_bytes(bytes: Vec<u8>) -> Option<String> {
    let input = SourceInput {
        name: "fuzz.sql".into(),
        bytes,
        walked: false,
    };
    lint_sources(vec![input], None, &LintOptions::default())
        .ok()
        .map(|r| report::json::render(&r))
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

    #[test]
    fn sql_like_text_never_panics_and_is_deterministic(text in sqlish()) {
        let first = lint_bytes(text.clone().into_bytes());
        let second = lint_bytes(text.into_bytes());
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
