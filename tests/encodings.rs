//! The same script saved as UTF-8 and as UTF-16 LE with BOM and CRLF (as SSMS does)
//! gives the same findings at the same line and column; SQLCMD variables resolve
//! case-insensitively and findings point at the `$(Var)` use. Windows-1252 ("ANSI")
//! files are read, named code pages are used as configured, and a file that cannot be
//! read is a finding (ML004) in every format while the others are still linted.

use milink_lint::{lint_sources, report, LintOptions, SourceInput};

const PARAMS: &str = "[link]\ndistributed_availability_group = \"dag-sales\"\n";

const SCRIPT: &str = "-- Création du lien — étape 2 (über)\n\
:setvar DagName \"dag-salse\"\n\
CREATE AVAILABILITY GROUP [$(dagname)] WITH (DISTRIBUTED) AVAILABILITY GROUP ON\n\
/* é */ N'AG_Sales' WITH (LISTENER_URL = 'TCP://10.0.0.4:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),\n\
N'AG_Sales_MI' WITH (LISTENER_URL = 'tcp://mi-s.abc.database.windows.net:5022;Server=[mi-s]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\n";

fn lint_json(bytes: Vec<u8>) -> serde_json::Value {
    let script = SourceInput {
        name: "s.sql".into(),
        bytes,
    };
    let params = SourceInput {
        name: "p.toml".into(),
        bytes: PARAMS.as_bytes().to_vec(),
    };
    let r = lint_sources(vec![script], Some(params), &LintOptions::default()).unwrap();
    serde_json::from_str(&report::json::render(&r)).unwrap()
}

fn utf16le_crlf(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.replace('\n', "\r\n").encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

#[test]
fn utf16_with_bom_gives_the_same_lines_and_columns() {
    let utf8 = lint_json(SCRIPT.as_bytes().to_vec());
    let utf16 = lint_json(utf16le_crlf(SCRIPT));
    let d = &utf8["diagnostics"][0];
    assert_eq!(d["code"], "ML101");
    // `$(dagname)` on line 3, the bracketed name `[$(dagname)]`.
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(27))
    );
    assert_eq!(d["end_column"], 39);
    assert_eq!(d["message"], "distributed availability group name 'dag-salse' does not match the parameters file ('dag-sales')");
    assert_eq!(utf8["diagnostics"], utf16["diagnostics"]);
}

#[test]
fn a_variable_defined_in_another_case_is_resolved() {
    let fixed = SCRIPT.replace("dag-salse", "dag-sales");
    let v = lint_json(fixed.into_bytes());
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 0, "{v}");
}

// ---- Windows-1252 and unreadable files, through the binary ----

const SET_UP_PARAMS: &str = "[sql_server]\nname = \"SQLVEN01\"\nfqdn = \"sqlven01.corp.example\"\nendpoint_port = 5022\n\n[managed_instance]\nname = \"mi-ventes\"\nfqdn = \"mi-ventes.0badc0de1234.database.windows.net\"\n\n[link]\navailability_group = \"AG_Ventes\"\ndistributed_availability_group = \"dag-ventes\"\ndatabases = [\"Ventes\"]\n";

/// The AG and the DAG, with `é` before the mistyped DAG name on its line; as a DBA on
/// Western Windows saves it (Windows-1252, CRLF).
const ANSI_DAG: &str = "-- Créé par l'équipe DBA\n\
CREATE AVAILABILITY GROUP [AG_Ventes] WITH (CLUSTER_TYPE = NONE) FOR DATABASE [Ventes]\n\
REPLICA ON N'SQLVEN01' WITH (ENDPOINT_URL = 'TCP://sqlven01.corp.example:5022', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\n\
GO\n\
CREATE AVAILABILITY GROUP /* réplica géo */ [dag-vente]\n\
WITH (DISTRIBUTED) AVAILABILITY GROUP ON\n\
N'AG_Ventes' WITH (LISTENER_URL = 'TCP://sqlven01.corp.example:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),\n\
N'AG_Ventes_MI' WITH (LISTENER_URL = 'tcp://mi-ventes.0badc0de1234.database.windows.net:5022;Server=[mi-ventes]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\n\
GO\n";

/// The endpoint on the wrong port, in UTF-8.
const UTF8_ENDPOINT: &str = "CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED AS TCP (LISTENER_PORT = 5023, LISTENER_IP = ALL)\n\
FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE [cert_ven], ENCRYPTION = REQUIRED ALGORITHM AES);\n\
GO\n";

fn windows_1252_crlf(text: &str) -> Vec<u8> {
    let crlf = text.replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&crlf);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    bytes.into_owned()
}

struct Folder(std::path::PathBuf);

impl Folder {
    fn new(tag: &str, files: &[(&str, Vec<u8>)]) -> Folder {
        let dir = std::env::temp_dir().join(format!("milink-enc-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        Folder(dir)
    }

    /// `check .` in the folder, its milink.toml applying.
    fn check(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_milink-lint"))
            .current_dir(&self.0)
            .env_remove("MILINK_LINT_PARAMS")
            .env("NO_COLOR", "1")
            .arg("check")
            .args(args)
            .arg(".")
            .output()
            .unwrap()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// (code, file, line, column) of every finding of a JSON report.
fn findings(json: &str) -> Vec<(String, String, u64, u64)> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn ansi_set_up(tag: &str, config: &str) -> Folder {
    Folder::new(
        tag,
        &[
            ("milink.toml", config.as_bytes().to_vec()),
            ("params.toml", SET_UP_PARAMS.as_bytes().to_vec()),
            ("01_endpoint.sql", UTF8_ENDPOINT.as_bytes().to_vec()),
            ("02_ag_dag.sql", windows_1252_crlf(ANSI_DAG)),
        ],
    )
}

#[test]
fn a_windows_1252_file_is_linted_next_to_a_utf8_one() {
    let folder = ansi_set_up("auto", "params = \"params.toml\"\n");
    let o = folder.check(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let found = findings(&stdout(&o));
    // ML101 on line 5 of the ANSI file: `[dag-vente]` after `/* réplica géo */`, the
    // column counts é as one character; ML201 in the UTF-8 file.
    assert!(
        found.contains(&("ML101".into(), "02_ag_dag.sql".into(), 5, 45)),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.0 == "ML201" && f.1 == "01_endpoint.sql"),
        "{found:?}"
    );
    assert!(found.iter().all(|f| f.0 != "ML004"), "{found:?}");
    // The note names the file once, on standard error for machine formats.
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        stderr
            .matches("02_ag_dag.sql: not UTF-8: read as Windows-1252")
            .count(),
        1,
        "{stderr}"
    );
    // The snippet shows the decoded text.
    let human = stdout(&folder.check(&[]));
    assert!(
        human.contains("CREATE AVAILABILITY GROUP /* réplica géo */ [dag-vente]"),
        "{human}"
    );
}

#[test]
fn with_utf8_configured_the_ansi_file_is_a_finding_in_every_format() {
    let folder = ansi_set_up("utf8", "params = \"params.toml\"\nencoding = \"utf-8\"\n");
    let o = folder.check(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let found = findings(&stdout(&o));
    assert!(
        found.contains(&("ML004".into(), "02_ag_dag.sql".into(), 1, 1)),
        "{found:?}"
    );
    assert!(found.iter().any(|f| f.0 == "ML201"), "{found:?}");
    for format in ["human", "sarif", "github", "gitlab", "junit"] {
        let o = folder.check(&["--format", format]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        let text = stdout(&o);
        for code in ["ML004", "ML201"] {
            assert!(text.contains(code), "{format}: no {code}\n{text}");
        }
        assert!(text.contains("02_ag_dag.sql"), "{format}");
        assert!(text.contains("invalid UTF-8 at byte 5"), "{format}: {text}");
    }
    // A per-file encoding names the code page for that file only: it is read again.
    std::fs::write(
        folder.0.join("milink.toml"),
        "params = \"params.toml\"\nencoding = \"utf-8\"\n[per-file-encoding]\n\"02_*.sql\" = \"cp1252\"\n",
    )
    .unwrap();
    let found = findings(&stdout(&folder.check(&["--format", "json"])));
    assert!(found.iter().all(|f| f.0 != "ML004"), "{found:?}");
    assert!(
        found.contains(&("ML101".into(), "02_ag_dag.sql".into(), 5, 45)),
        "{found:?}"
    );
}

#[test]
fn a_named_code_page_decodes_its_letters() {
    // `Ł` is 0xA3 in Windows-1250 and `£` in Windows-1252: the configured page decides.
    let mut bytes = b"CREATE AVAILABILITY GROUP [dag-\xA3odz]\r\nWITH (DISTRIBUTED) AVAILABILITY GROUP ON N'AG1' WITH (LISTENER_URL = 'TCP://s1:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC), N'AG2' WITH (LISTENER_URL = 'tcp://mi.abc.database.windows.net:5022;Server=[mi]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\r\n".to_vec();
    bytes.extend_from_slice(b"GO\r\n");
    let folder = Folder::new("1250", &[("dag.sql", bytes)]);
    let central = stdout(&folder.check(&["--no-config", "--encoding", "windows-1250"]));
    assert!(central.contains("[dag-Łodz]"), "{central}");
    let western = stdout(&folder.check(&["--no-config"]));
    assert!(western.contains("[dag-£odz]"), "{western}");
    // An unknown name is a mistake of the arguments.
    let o = folder.check(&["--no-config", "--encoding", "klingon"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown encoding 'klingon'"));
}

#[test]
fn an_unreadable_file_among_readable_ones_is_reported_with_them() {
    let folder = ansi_set_up("binary", "params = \"params.toml\"\n");
    std::fs::write(folder.0.join("00_backup.sql"), b"TAPE\0\0\x01\x02MSSQL").unwrap();
    // JSON: both findings, exit 1.
    let o = folder.check(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let found = findings(&stdout(&o));
    assert!(
        found.contains(&("ML004".into(), "00_backup.sql".into(), 1, 1)),
        "{found:?}"
    );
    assert!(found.iter().any(|f| f.0 == "ML101"), "{found:?}");
    assert!(found.iter().any(|f| f.0 == "ML201"), "{found:?}");
    // SARIF: a result for each, the unreadable file's at its artifact.
    let sarif: serde_json::Value =
        serde_json::from_str(&stdout(&folder.check(&["--format", "sarif"]))).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let rule_of = |r: &serde_json::Value| r["ruleId"].as_str().unwrap().to_string();
    let ml004 = results
        .iter()
        .find(|r| rule_of(r) == "ML004")
        .expect("ML004 result");
    assert_eq!(ml004["level"], "error");
    assert!(
        ml004["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("00_backup.sql")
    );
    assert!(results.iter().any(|r| rule_of(r) == "ML101"));
    // JUnit: a failing test case for the unreadable file, the others' failures too.
    let junit = stdout(&folder.check(&["--format", "junit"]));
    assert!(junit.contains("00_backup.sql"), "{junit}");
    assert!(
        junit.contains("ML004") && junit.contains("ML101") && junit.contains("ML201"),
        "{junit}"
    );
    // Ignored like any rule; then the run passes on the others' findings alone.
    let o = folder.check(&["--format", "json", "--ignore", "ML004,ML101,ML201"]);
    let found = findings(&stdout(&o));
    assert!(
        found
            .iter()
            .all(|f| !["ML004", "ML101", "ML201"].contains(&f.0.as_str())),
        "{found:?}"
    );
}

#[test]
fn login_passwords_outside_a_link_set_up_are_not_reported() {
    let login = b"CREATE LOGIN [app_reader] WITH PASSWORD = 'Vq8#notLinked!2';\nGO\n".to_vec();
    let folder = Folder::new("login", &[]);
    std::fs::create_dir_all(folder.0.join("security")).unwrap();
    std::fs::write(folder.0.join("security/logins.sql"), &login).unwrap();
    let o = folder.check(&["--no-config", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(findings(&stdout(&o)), vec![]);
    // The same statement in a link set-up's script: ML505.
    let folder = ansi_set_up("login-link", "params = \"params.toml\"\n");
    let mut endpoint = UTF8_ENDPOINT.as_bytes().to_vec();
    endpoint.extend_from_slice(&login);
    std::fs::write(folder.0.join("01_endpoint.sql"), endpoint).unwrap();
    let o = folder.check(&["--format", "json"]);
    let found = findings(&stdout(&o));
    assert!(
        found
            .iter()
            .any(|f| f.0 == "ML505" && f.1 == "01_endpoint.sql"),
        "{found:?}"
    );
    assert!(!stdout(&o).contains("notLinked"));
}

#[test]
fn a_secret_in_a_windows_1252_file_is_masked_in_every_format() {
    let script =
        format!("CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'Mot2passeÉtéZq!9';\n{ANSI_DAG}");
    let folder = Folder::new(
        "ansi-secret",
        &[
            ("milink.toml", b"params = \"params.toml\"\n".to_vec()),
            ("params.toml", SET_UP_PARAMS.as_bytes().to_vec()),
            ("02_ag_dag.sql", windows_1252_crlf(&script)),
        ],
    );
    for format in ["human", "json", "sarif", "github", "gitlab", "junit"] {
        let o = folder.check(&["--format", format]);
        let all = format!("{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
        assert!(all.contains("ML505"), "{format}: {all}");
        for piece in ["Mot2p", "sseÉt", "ÉtéZq", "éZq!9"] {
            assert!(!all.contains(piece), "{format} shows {piece}: {all}");
        }
    }
    // One `*` per byte of the decoded (UTF-8) text: É and é are two bytes each.
    let human = stdout(&folder.check(&[]));
    assert!(
        human.contains(&format!(
            "PASSWORD = '{}'",
            "*".repeat("Mot2passeÉtéZq!9".len())
        )),
        "{human}"
    );
}

#[test]
fn an_included_windows_1252_script_is_named_in_a_note() {
    let folder = Folder::new(
        "include-ansi",
        &[
            (
                "run_all.sql",
                b":setvar x 1\n:r steps/02_ag_dag.sql\n".to_vec(),
            ),
            ("steps/02_ag_dag.sql", windows_1252_crlf(ANSI_DAG)),
        ],
    );
    let o = folder.check(&["--no-config", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        stderr
            .matches("02_ag_dag.sql: not UTF-8: read as Windows-1252")
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn an_extending_configuration_keeps_the_inherited_encoding_and_adds_its_own_globs() {
    let dag = b"CREATE AVAILABILITY GROUP [dag-\xA3odz]\r\nWITH (DISTRIBUTED) AVAILABILITY GROUP ON N'AG1' WITH (LISTENER_URL = 'TCP://s1:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC), N'AG2' WITH (LISTENER_URL = 'tcp://mi.abc.database.windows.net:5022;Server=[mi]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\r\nGO\r\n".to_vec();
    let folder = Folder::new(
        "extend-encoding",
        &[
            ("milink.toml", b"encoding = \"windows-1250\"\n".to_vec()),
            (
                "sub/milink.toml",
                b"extend = \"../milink.toml\"\n[per-file-encoding]\n\"old/**\" = \"windows-1252\"\n"
                    .to_vec(),
            ),
            ("sub/dag.sql", dag.clone()),
            ("sub/old/dag.sql", dag),
        ],
    );
    let human = stdout(&folder.check(&[]));
    assert!(
        human.contains("sub/dag.sql") && human.contains("[dag-Łodz]"),
        "{human}"
    );
    assert!(human.contains("[dag-£odz]"), "{human}");
}
