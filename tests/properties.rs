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

// ---- Ordinary T-SQL never gives a finding. --------------------------------------------

/// Statements that are not link statements, one or more for every head of the
/// statement-head table (see `every_head_of_the_table_has_an_example`). `{n}` is
/// replaced by a generated name. No password or placeholder shaped like the link
/// documentation's: those are findings of their own.
const ORDINARY: &[&str] = &[
    "SELECT a, CASE WHEN b > 1 THEN 'x' ELSE 'y' END AS c FROM dbo.{n} WHERE d IN (SELECT 1 UNION ALL SELECT 2)",
    "WITH c AS (SELECT 1 AS a) SELECT a FROM c",
    "WITH XMLNAMESPACES ('urn:x' AS x) SELECT 1 AS a FOR XML PATH('r')",
    "INSERT INTO dbo.{n} (a) VALUES (1), (2)",
    "INSERT INTO dbo.{n} (a) SELECT a FROM dbo.src",
    "INSERT INTO dbo.{n} EXEC dbo.load_rows",
    "UPDATE dbo.{n} SET a = a + 1 WHERE b = 2",
    "DELETE FROM dbo.{n} WHERE a IN (SELECT a FROM dbo.old)",
    "MERGE dbo.{n} AS t USING dbo.src AS s ON t.a = s.a WHEN MATCHED THEN UPDATE SET t.b = s.b WHEN NOT MATCHED THEN INSERT (a) VALUES (s.a);",
    "BULK INSERT dbo.{n} FROM 'D:\\load\\rows.csv' WITH (FIELDTERMINATOR = ',')",
    "TRUNCATE TABLE dbo.{n}",
    "UPDATE STATISTICS dbo.{n} WITH FULLSCAN",
    "READTEXT dbo.{n}.body @ptr 0 10",
    "WRITETEXT dbo.{n}.body @ptr 'text'",
    "UPDATETEXT dbo.{n}.body @ptr 0 NULL 'text'",
    "DECLARE @{n} int = 1, @s nvarchar(max) = N'text'",
    "DECLARE {n} CURSOR LOCAL FAST_FORWARD FOR SELECT name FROM sys.objects UNION SELECT N'x'",
    "SET NOCOUNT ON",
    "SET @{n} = (SELECT COUNT(*) FROM dbo.t)",
    "EXEC dbo.{n} @a = 1, @b = N'two' OUTPUT",
    "EXECUTE sys.sp_configure N'show advanced options', 1",
    "EXEC (N'SELECT 1')",
    "EXECUTE AS USER = N'{n}'",
    "EXEC AS LOGIN = N'{n}' WITH NO REVERT",
    "REVERT",
    "SETUSER N'{n}'",
    "IF @{n} = 1 PRINT N'one' ELSE PRINT N'other'",
    "IF NOT EXISTS (SELECT 1 FROM sys.objects WHERE name = N'{n}') BEGIN SELECT 1 END ELSE BEGIN SELECT 2 END",
    "WHILE @{n} < 10 BEGIN SET @{n} += 1 IF @{n} = 5 BREAK ELSE CONTINUE END",
    "BEGIN TRY SELECT 1 END TRY BEGIN CATCH THROW; END CATCH",
    "RETURN",
    "GOTO {n}",
    "{n}: SELECT 1",
    "THROW 50000, N'failed', 1",
    "RAISERROR (N'failed %s', 16, 1, N'{n}') WITH NOWAIT",
    "PRINT N'step {n} done'",
    "WAITFOR DELAY '00:00:01'",
    "USE [{n}]",
    "USE <Database_Name, sysname, {n}>",
    "USE ${flyway:database}",
    "GRANT EXECUTE ON SCHEMA::{n} TO [app]",
    "GRANT CREATE AVAILABILITY GROUP TO [{n}]",
    "GRANT CREATE ENDPOINT, ALTER ANY ENDPOINT TO [{n}] WITH GRANT OPTION",
    "GRANT BACKUP DATABASE ON DATABASE::{n} TO [operator]",
    "GRANT CREATE CERTIFICATE ON DATABASE::{n} TO [keys]",
    "GRANT CONNECT ON ENDPOINT::[Hadr_endpoint] TO [{n}]",
    "DENY EXECUTE ON OBJECT::dbo.{n} TO [app]",
    "REVOKE EXECUTE ON dbo.{n} FROM [app] CASCADE",
    "REVOKE GRANT OPTION FOR ALTER ANY ENDPOINT FROM [{n}]",
    "BACKUP LOG [{n}] TO DISK = N'L:\\{n}.trn'",
    "BACKUP DATABASE [{n}] TO DISK = N'D:\\{n}.bak' WITH COPY_ONLY, COMPRESSION",
    "RESTORE DATABASE [{n}] FROM DISK = N'D:\\{n}.bak' WITH MOVE 'a' TO 'b', NORECOVERY",
    "DBCC CHECKDB (N'{n}') WITH NO_INFOMSGS",
    "CHECKPOINT",
    "KILL 57",
    "SHUTDOWN WITH NOWAIT",
    "RECONFIGURE WITH OVERRIDE",
    "BEGIN TRANSACTION {n}",
    "BEGIN TRAN",
    "BEGIN DISTRIBUTED TRANSACTION",
    "COMMIT TRANSACTION",
    "ROLLBACK",
    "SAVE TRANSACTION {n}",
    "SAVE TRAN {n}",
    "OPEN {n}",
    "FETCH NEXT FROM {n} INTO @a",
    "CLOSE {n}",
    "DEALLOCATE {n}",
    "OPEN SYMMETRIC KEY {n} DECRYPTION BY CERTIFICATE [{n}_cert]",
    "BEGIN DIALOG CONVERSATION @h FROM SERVICE [a] TO SERVICE 'b' ON CONTRACT [c] WITH ENCRYPTION = OFF",
    "BEGIN CONVERSATION TIMER (@h) TIMEOUT = 60",
    "END CONVERSATION @h WITH CLEANUP",
    "SEND ON CONVERSATION @h MESSAGE TYPE [m] (@body)",
    "RECEIVE TOP (1) @body = message_body FROM dbo.{n}",
    "GET CONVERSATION GROUP @g FROM dbo.{n}",
    "MOVE CONVERSATION @h TO @g",
    "ENABLE TRIGGER {n} ON DATABASE",
    "DISABLE TRIGGER ALL ON ALL SERVER",
    "ADD SIGNATURE TO dbo.{n} BY CERTIFICATE [signing]",
    "ADD COUNTER SIGNATURE TO dbo.{n} BY CERTIFICATE [signing]",
    "CREATE PROCEDURE dbo.{n} @a AS int = 1 WITH EXECUTE AS OWNER AS BEGIN SET NOCOUNT ON SELECT @a END",
    "CREATE FUNCTION dbo.{n} (@a int) RETURNS TABLE AS RETURN (SELECT @a AS a)",
    "CREATE TRIGGER {n} ON dbo.t AFTER INSERT, UPDATE AS IF UPDATE(a) ROLLBACK",
    "CREATE VIEW dbo.{n} WITH SCHEMABINDING AS SELECT a FROM dbo.t",
    "CREATE QUEUE dbo.{n} WITH ACTIVATION (PROCEDURE_NAME = dbo.p, MAX_QUEUE_READERS = 1, EXECUTE AS SELF)",
    "CREATE LOGIN [{n}] FROM WINDOWS",
    "ALTER TABLE dbo.{n} ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES dbo.r (a) ON DELETE SET NULL ON UPDATE CASCADE",
    "ALTER TABLE dbo.{n} ALTER COLUMN a bigint NOT NULL",
    "ALTER TABLE dbo.{n} DROP COLUMN IF EXISTS a",
    "ALTER DATABASE [{n}] SET COMPATIBILITY_LEVEL = 160 WITH ROLLBACK IMMEDIATE",
    "ALTER DATABASE [{n}] SET RECOVERY FULL",
    "ALTER AVAILABILITY GROUP [{n}] GRANT CREATE ANY DATABASE",
    "ALTER AVAILABILITY GROUP [{n}] SET (ROLE = SECONDARY)",
    "DROP TABLE IF EXISTS dbo.{n}",
];

/// CREATE / ALTER / DROP of every object kind of the table but the link's own.
fn definitions() -> Vec<String> {
    use milink_lint::statements::Object;
    let mut out = Vec::new();
    for (words, object, named) in milink_lint::statements::heads::object_kinds() {
        let kind = words.join(" ");
        let name = if named { " [{n}]" } else { "" };
        out.push(format!("DROP {kind}{name}"));
        let link = matches!(
            object,
            Object::AvailabilityGroup | Object::Endpoint | Object::Certificate | Object::MasterKey
        );
        if !link && !object.is_routine() {
            out.push(format!("CREATE {kind}{name} AUTHORIZATION [dbo]"));
            out.push(format!("ALTER {kind}{name} WITH OPTION_X = ON"));
        }
    }
    out
}

fn ordinary_statements() -> &'static [String] {
    static ALL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        ORDINARY
            .iter()
            .map(|s| s.to_string())
            .chain(definitions())
            .collect()
    })
}

#[test]
fn every_head_of_the_table_has_an_example() {
    use milink_lint::lex::lex_batch;
    use milink_lint::span::FileId;
    use milink_lint::sqlcmd::{split, ExternalVars};
    use milink_lint::statements::heads::{classify, table};
    let mut seen = std::collections::HashSet::new();
    for example in ordinary_statements() {
        let text = example.replace("{n}", "x");
        for batch in split(FileId(0), &text, &ExternalVars::default()).batches {
            let tokens = lex_batch(&batch).tokens;
            for i in 0..tokens.len() {
                if let Some(m) = classify(&tokens, i) {
                    seen.insert(m.head);
                }
            }
        }
    }
    for (words, head) in table() {
        assert!(seen.contains(&head), "no example for {}", words.join(" "));
    }
}

/// A script of ordinary statements: separated by `;`, a line break, a space or a GO
/// line, some wrapped in IF/ELSE or BEGIN…END, letter case varied.
fn ordinary_script() -> impl Strategy<Value = String> {
    // Ordinary names: a name shaped like a password variable (`@pwd = 1`) is the secret
    // scan's business, not this test's.
    let names = prop::sample::select(vec![
        "Orders",
        "Inventory",
        "x1",
        "app_role",
        "Stage2",
        "t",
        "Sales_Archive",
        "Q",
        "dbo_Log",
    ]);
    let statement = (
        0..ordinary_statements().len(),
        names,
        0..4usize,
        0..3usize,
        0..5usize,
    );
    proptest::collection::vec(statement, 1..14).prop_map(|parts| {
        let mut script = String::new();
        for (index, name, separator, case, wrap) in parts {
            let mut text = ordinary_statements()[index].replace("{n}", name);
            text = match case {
                1 => text.to_lowercase(),
                2 => text.to_uppercase(),
                _ => text,
            };
            // Routines must be alone in their batch.
            let routine = ["PROCEDURE", "FUNCTION", "TRIGGER", "VIEW"]
                .iter()
                .any(|r| text.to_uppercase().starts_with(&format!("CREATE {r}")));
            if routine {
                script.push_str(&format!("\nGO\n{text}\nGO\n"));
                continue;
            }
            text = match wrap {
                1 => format!("IF @flag = 1 {text} ELSE PRINT N'skipped'"),
                2 => format!("BEGIN\n{text}\nEND"),
                3 => format!("IF NOT EXISTS (SELECT 1 FROM sys.objects) BEGIN {text} END"),
                _ => text,
            };
            script.push_str(&text);
            script.push_str(["; ", "\n", " ", "\nGO\n"][separator]);
        }
        script
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn ordinary_statements_give_no_finding(script in ordinary_script()) {
        for no_prefilter in [false, true] {
            let input = SourceInput { name: "ordinary.sql".into(), bytes: script.clone().into_bytes() };
            let options = LintOptions { no_prefilter, ..LintOptions::default() };
            let report = lint_sources(vec![input], None, &options).unwrap();
            let found: Vec<String> = report.diagnostics.iter().map(|d| format!("{} {}", d.code.as_str(), d.message)).collect();
            prop_assert!(found.is_empty(), "no_prefilter={no_prefilter}: {found:?}\n{script}");
        }
    }
}
