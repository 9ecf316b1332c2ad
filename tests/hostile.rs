//! Hostile input, through the real binary: every case ends with a clear message and the
//! documented exit status, never a panic (exit 3) or a hang.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("milink-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run in `dir` with no configuration and no colour.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_milink-lint"))
        .current_dir(dir)
        .env_remove("MILINK_LINT_PARAMS")
        .env("NO_COLOR", "1")
        .arg("check")
        .arg("--no-config")
        .args(args)
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("panicked"),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_ne!(o.status.code(), Some(3), "{args:?}: internal error");
    o
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A folder with one file of `bytes`, linted; returns the output.
fn lint_bytes(name: &str, bytes: &[u8], args: &[&str]) -> Output {
    let dir = temp_dir(name);
    std::fs::write(dir.join(format!("{name}.sql")), bytes).unwrap();
    let file = format!("{name}.sql");
    let mut all: Vec<&str> = args.to_vec();
    all.push(&file);
    let o = run_in(&dir, &all);
    let _ = std::fs::remove_dir_all(dir);
    o
}

#[test]
fn bytes_that_are_not_utf8_are_read_as_windows_1252() {
    let o = lint_bytes("ansi", b"SELECT 1;\n\xff\xfe bad", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        out(&o),
        "note: ansi.sql: not UTF-8: read as Windows-1252 (\"ANSI\"); if it uses another code page, name it with `encoding` or `[per-file-encoding]` in milink.toml\n0 errors, 0 warnings in 1 file\n"
    );
    // With UTF-8 named, the file is a finding with the offset, and the run goes on.
    let o = lint_bytes(
        "badutf8",
        b"SELECT 1;\n\xff\xfe bad",
        &["--encoding", "utf-8"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o)
            .starts_with("error[ML004]: this file could not be read: invalid UTF-8 at byte 10\n"),
        "{}",
        out(&o)
    );
}

#[test]
fn utf16_without_bom_is_detected_and_linted() {
    let text = "CREATE AVAILABILITY GROUP [ag1] WITH (CLUSTER_TYPE = NONE) FOR REPLICA ON N'S' WITH (ENDPOINT_URL = 'tcp://s:5022');\n";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let o = lint_bytes("utf16", &bytes, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("warning[ML504]: UTF-16 file without a byte-order mark"));
}

#[test]
fn binary_files_are_a_finding() {
    let o = lint_bytes(
        "binary",
        b"SELECT 1;\x00\x01\x02\x03",
        &["--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "ML004");
    assert_eq!(d["file"], "binary.sql");
    assert_eq!(
        d["message"],
        "this file could not be read: NUL byte at byte 9: this looks like a binary file, not a script"
    );
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn empty_file_and_only_go() {
    for (name, bytes) in [("empty", &b""[..]), ("onlygo", b"GO\r\ngo 5\nGO\n")] {
        let o = lint_bytes(name, bytes, &[]);
        assert_eq!(o.status.code(), Some(0), "{name}");
        assert_eq!(out(&o), "0 errors, 0 warnings in 1 file\n", "{name}");
    }
}

#[test]
fn unterminated_string_bracket_and_comment_point_at_the_opening() {
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "string",
            b"SELECT 1;\nGO\nPRINT N'creating the availability group\nGO\n",
            "error[ML001]: unterminated string: the quote opened here is never closed\n  ┌─ string.sql:3:8\n",
        ),
        (
            "bracket",
            b"CREATE AVAILABILITY GROUP [dag-x\n",
            "error[ML001]: unterminated name: the [ opened here is never closed\n  ┌─ bracket.sql:1:27\n",
        ),
        (
            "comment",
            b"BACKUP DATABASE [Ledger] TO DISK = N'x.bak'; /* a /* nested */\n still open\n",
            "error[ML001]: unterminated comment: this /* is never closed (comments nest in T-SQL: every /* needs its */)\n  ┌─ comment.sql:1:46\n",
        ),
    ];
    // With a parameters file every script is a link script (ML001 speaks about those).
    let params = std::env::current_dir()
        .unwrap()
        .join("fixtures/broken/ML101-dag-name-mismatch/params.toml");
    let params = params.to_str().unwrap();
    for (name, bytes, expected) in cases {
        let o = lint_bytes(name, bytes, &["--params", params]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(out(&o).starts_with(expected), "{name}: {}", out(&o));
        assert!(
            out(&o).ends_with("1 error, 0 warnings in 1 file\n"),
            "{name}: {}",
            out(&o)
        );
    }
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let n = 100_000;
    let deep = format!("SELECT {}1{};\n", "(".repeat(n), ")".repeat(n));
    let o = lint_bytes("parens", deep.as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let open = format!("CREATE AVAILABILITY GROUP [ag] WITH {}\n", "(".repeat(n));
    let o = lint_bytes("parens_open", open.as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(out(&o).contains("ML002"), "{}", out(&o));
    let exec = format!("{}'SELECT 1'{}\n", "EXEC(".repeat(5000), ")".repeat(5000));
    let o = lint_bytes("exec", exec.as_bytes(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    // A sparse 300 MB file: the size check needs no memory and no reading.
    let dir = temp_dir("huge");
    let file = std::fs::File::create(dir.join("huge.sql")).unwrap();
    file.set_len(300 * 1024 * 1024).unwrap();
    let o = run_in(&dir, &["huge.sql"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        out(&o),
        "error[ML004]: this file could not be read: it is 300.0 MB, over the limit of 256.0 MB\n  \u{250c}\u{2500} huge.sql:1:1\n  \u{2502}\n1 \u{2502} \n  \u{2502} ^ not checked\n  \u{2502}\n  = help: raise the limit with --max-file-size (or max-file-size in milink.toml) if this really is a link script\n\n1 error, 0 warnings in 1 file\n"
    );
    std::fs::write(dir.join("small.sql"), "SELECT 1;\n".repeat(200)).unwrap();
    let o = run_in(&dir, &["--max-file-size", "1KB", "small.sql"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).starts_with(
            "error[ML004]: this file could not be read: it is 2.0 KB, over the limit of 1.0 KB"
        ),
        "{}",
        out(&o)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_folder_named_like_a_script_is_walked() {
    let dir = temp_dir("dirsql");
    std::fs::create_dir_all(dir.join("x.sql")).unwrap();
    let o = run_in(&dir, &["x.sql"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        "error: x.sql: no script found (looked for *.sql, *.ps1, *.psm1, *.sh, *.bash, *.cmd, *.bat in any case, or what `include` of milink.toml names)\nhelp: give the folders or files that hold the link scripts; files that .gitignore or `exclude` of milink.toml leave out are skipped (--no-ignore, --no-config)\n"
    );
    std::fs::write(dir.join("x.sql/inner.sql"), "SELECT 1;\n").unwrap();
    let o = run_in(&dir, &["."]);
    assert_eq!(out(&o), "0 errors, 0 warnings in 1 file\n");
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_not_followed() {
    let dir = temp_dir("loop");
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::write(dir.join("a/x.sql"), "SELECT 1;\n").unwrap();
    std::os::unix::fs::symlink(dir.join("a"), dir.join("a/again")).unwrap();
    let o = run_in(&dir, &["."]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "0 errors, 0 warnings in 1 file\n");
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission_is_a_finding() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("noread");
    let path = dir.join("locked.sql");
    std::fs::write(&path, "SELECT 1;\n").unwrap();
    std::fs::write(dir.join("other.sql"), "SELECT 2;\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    // root reads every file: then the file is simply linted.
    let readable = std::fs::read(&path).is_ok();
    let o = run_in(&dir, &["locked.sql", "other.sql"]);
    if readable {
        assert_eq!(o.status.code(), Some(0));
    } else {
        assert_eq!(o.status.code(), Some(1));
        assert!(
            out(&o).starts_with("error[ML004]: this file could not be read: permission denied\n"),
            "{}",
            out(&o)
        );
        assert!(out(&o).ends_with("1 error, 0 warnings in 2 files\n"));
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_file_deleted_while_walking_is_a_finding() {
    use milink_lint::discover::{discover, DiscoverOptions};
    let dir = temp_dir("vanish");
    std::fs::write(dir.join("a.sql"), "SELECT 1;\n").unwrap();
    std::fs::write(dir.join("b.sql"), "SELECT 2;\n").unwrap();
    let paths = [dir.clone().into_os_string()];
    let (inputs, errors) = discover(&paths, &DiscoverOptions::default());
    assert!(errors.is_empty());
    std::fs::remove_file(dir.join("b.sql")).unwrap();
    let report =
        milink_lint::lint_inputs(&inputs, &paths, &milink_lint::LintOptions::default()).unwrap();
    assert_eq!(report.scripts, 2);
    let found: Vec<(&str, &str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str(),
                report.files.get(d.span.file).name.as_str(),
                d.message.as_str(),
            )
        })
        .collect();
    let b = format!("{}/b.sql", dir.display());
    assert_eq!(
        found,
        [(
            "ML004",
            b.as_str(),
            "this file could not be read: no such file or directory"
        )]
    );
    // Named on the command line, a missing file is an error of the arguments.
    let o = run_in(&dir, &["b.sql"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(err(&o), "error: b.sql: no such file or directory\n");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_script_including_itself_is_a_cycle_not_a_hang() {
    let o = lint_bytes("self", b":r self.sql\nSELECT 1;\n", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).starts_with("error[ML506]: `:r` includes self.sql itself\n"),
        "{}",
        out(&o)
    );
}

#[test]
fn a_redefined_setvar_takes_its_latest_value() {
    let dir = temp_dir("redef");
    std::fs::write(
        dir.join("link.sql"),
        ":setvar Dag \"dag-old\"\n:setvar Dag \"dag-orders\"\nCREATE AVAILABILITY GROUP [$(Dag)] WITH (DISTRIBUTED) AVAILABILITY GROUP ON N'AG_Orders' WITH (LISTENER_URL = 'tcp://sql01.corp.example:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC), N'AG_Orders_MI' WITH (LISTENER_URL = 'tcp://mi-a.zone1.database.windows.net:5022;Server=[mi-a]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("params.toml"),
        "[link]\ndistributed_availability_group = \"dag-orders\"\n",
    )
    .unwrap();
    let o = run_in(
        &dir,
        &["--params", "params.toml", "--select", "ML101", "link.sql"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn broken_parameters_files_are_run_errors_with_locations() {
    let dir = temp_dir("params");
    std::fs::write(dir.join("a.sql"), "SELECT 1;\n").unwrap();
    let cases = [
        (
            "type.toml",
            "[sql_server]\nendpoint_port = \"5022\"\n",
            "error: type.toml:2:17: invalid parameters file: `sql_server.endpoint_port` must be a TCP port number, found the string \"5022\"\nhelp: write the number without quotes\n",
        ),
        (
            "dup.toml",
            "[sql_server]\nname = \"a\"\nname = \"b\"\n",
            "error: dup.toml:3:1: invalid parameters file: duplicate key `name`\nhelp: a key may be given only once: remove or rename one of them\n",
        ),
    ];
    for (name, text, expected) in cases {
        std::fs::write(dir.join(name), text).unwrap();
        let o = run_in(&dir, &["--params", name, "a.sql"]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert_eq!(err(&o), expected, "{name}");
    }
    std::fs::create_dir_all(dir.join("folder.toml")).unwrap();
    let o = run_in(&dir, &["--params", "folder.toml", "a.sql"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err(&o),
        "error: folder.toml: the parameters file is a directory\n"
    );
    std::fs::write(dir.join("empty.toml"), "# nothing yet\n").unwrap();
    let o = run_in(&dir, &["--params", "empty.toml", "a.sql"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        out(&o),
        "note: empty.toml: the parameters file sets no value: there is nothing to check the scripts against\n0 errors, 0 warnings in 1 file\n"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_panic_is_a_short_bug_report_and_exit_3() {
    let o = Command::new(env!("CARGO_BIN_EXE_milink-lint"))
        .env("MILINK_LINT_TEST_PANIC", "1")
        .args(["check", "--no-config"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let text = err(&o);
    assert!(
        text.starts_with("error: internal error: panic requested by MILINK_LINT_TEST_PANIC"),
        "{text}"
    );
    assert!(text.contains("this is a bug in milink-lint"), "{text}");
    assert_eq!(text.lines().count(), 2, "no backtrace: {text}");
}
