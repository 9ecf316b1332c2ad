//! Several set-ups in one repository, through the binary: each script uses the nearest
//! milink.toml above it, each set-up is checked against its own parameters, and a named
//! file (as pre-commit passes them) lints its whole set-up.

use std::path::PathBuf;
use std::process::{Command, Output};

/// One link set-up's names.
struct Names {
    server: &'static str,
    mi: &'static str,
    ag: &'static str,
    dag: &'static str,
    db: &'static str,
}

const SALES: Names = Names {
    server: "SQLSAL01",
    mi: "mi-sales",
    ag: "AG_Sales",
    dag: "dag-sales",
    db: "Sales",
};

const HR: Names = Names {
    server: "SQLHR02",
    mi: "mi-hr",
    ag: "AG_HR",
    dag: "dag-hr",
    db: "Personnel",
};

fn params(n: &Names) -> String {
    let host = n.server.to_ascii_lowercase();
    format!(
        "[sql_server]\nname = \"{s}\"\nfqdn = \"{host}.corp.example\"\nendpoint_port = 5022\n\n\
         [managed_instance]\nname = \"{mi}\"\nfqdn = \"{mi}.zone9.database.windows.net\"\n\n\
         [link]\navailability_group = \"{ag}\"\ndistributed_availability_group = \"{dag}\"\n\
         instance_availability_group = \"{ag}_MI\"\ndatabases = [\"{db}\"]\n",
        s = n.server,
        mi = n.mi,
        ag = n.ag,
        dag = n.dag,
        db = n.db,
    )
}

/// Certificates, endpoint, preparation and the AG; `ag` as written (a name or `$(var)`).
fn ag_step(n: &Names, ag: &str) -> String {
    let host = n.server.to_ascii_lowercase();
    format!(
        "CREATE CERTIFICATE [Cert_{s}_endpoint] WITH SUBJECT = N'endpoint', EXPIRY_DATE = '2032-01-01';\n\
         CREATE CERTIFICATE [{mi}.zone9.database.windows.net] FROM BINARY = 0x3082AA;\n\
         CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED AS TCP (LISTENER_PORT = 5022, LISTENER_IP = ALL)\n  \
         FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE [Cert_{s}_endpoint], ENCRYPTION = REQUIRED ALGORITHM AES);\n\
         GO\n\
         ALTER DATABASE [{db}] SET RECOVERY FULL;\n\
         BACKUP DATABASE [{db}] TO DISK = N'D:\\b\\{db}.bak';\n\
         GO\n\
         CREATE AVAILABILITY GROUP [{ag}] WITH (CLUSTER_TYPE = NONE) FOR DATABASE [{db}]\n  \
         REPLICA ON N'{s}' WITH (ENDPOINT_URL = 'TCP://{host}.corp.example:5022', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\n\
         GO\n",
        s = n.server,
        mi = n.mi,
        db = n.db,
    )
}

/// The DAG; `dag` and `ag` as written.
fn dag_step(n: &Names, dag: &str, ag: &str) -> String {
    let host = n.server.to_ascii_lowercase();
    format!(
        "CREATE AVAILABILITY GROUP [{dag}] WITH (DISTRIBUTED) AVAILABILITY GROUP ON\n  \
         N'{ag}' WITH (LISTENER_URL = 'TCP://{host}.corp.example:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),\n  \
         N'{mag}_MI' WITH (LISTENER_URL = 'tcp://{mi}.zone9.database.windows.net:5022;Server=[{mi}]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);\n\
         GO\n",
        mag = n.ag,
        mi = n.mi,
    )
}

/// A scratch repository: `sales/` with plain scripts, `hr/` with a master script that
/// includes its steps with `:r` and passes the names as SQLCMD variables.
struct Repo(PathBuf);

impl Repo {
    fn new(tag: &str) -> Repo {
        let root = std::env::temp_dir().join(format!("milink-setups-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let repo = Repo(root);
        repo.write("sales/milink.toml", "params = \"params.toml\"\n");
        repo.write("sales/params.toml", &params(&SALES));
        repo.write("sales/01_ag.sql", &ag_step(&SALES, SALES.ag));
        repo.write("sales/02_dag.sql", &dag_step(&SALES, SALES.dag, SALES.ag));
        repo.write("hr/milink.toml", "params = \"params.toml\"\n");
        repo.write("hr/params.toml", &params(&HR));
        repo.write(
            "hr/run_all.sql",
            ":setvar agname AG_HR\n:setvar dagname dag-hr\n:r 01_ag.sql\n:r 02_dag.sql\n",
        );
        repo.write("hr/01_ag.sql", &ag_step(&HR, "$(agname)"));
        repo.write("hr/02_dag.sql", &dag_step(&HR, "$(dagname)", "$(agname)"));
        // A script under no configuration at all.
        repo.write("tools/report.sql", "SELECT name FROM sys.databases;\n");
        repo
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.0.join(path)).unwrap()
    }

    /// `milink-lint check --format json ARGS` in `folder` of the repository.
    fn check_in(&self, folder: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_milink-lint"))
            .current_dir(self.0.join(folder))
            .env_remove("MILINK_LINT_PARAMS")
            .env("NO_COLOR", "1")
            .args(["check", "--format", "json"])
            .args(args)
            .output()
            .unwrap()
    }

    /// As pre-commit runs the hook: its `entry` and the changed files, from the root.
    fn hook(&self, changed: &[&str]) -> Output {
        let mut args = vec!["--force-exclude"];
        args.extend_from_slice(changed);
        self.check_in(".", &args)
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// (code, file, message) of the error-level findings.
fn errors(o: &Output) -> Vec<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn assert_clean(o: &Output, what: &str) {
    assert_eq!(errors(o), vec![], "{what}");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{what}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn codes(o: &Output) -> Vec<String> {
    errors(o).into_iter().map(|e| e.0).collect()
}

#[test]
fn two_set_ups_are_clean_from_anywhere_and_file_by_file() {
    let repo = Repo::new("clean");
    assert_clean(&repo.check_in(".", &[]), "from the root");
    assert_clean(&repo.check_in("sales", &[]), "from sales/");
    assert_clean(&repo.check_in("hr", &[]), "from hr/");
    assert_clean(&repo.check_in(".", &["hr"]), "`check hr` from the root");
    for file in [
        "sales/01_ag.sql",
        "sales/02_dag.sql",
        "hr/run_all.sql",
        "hr/01_ag.sql",
        "hr/02_dag.sql",
        "tools/report.sql",
    ] {
        assert_clean(&repo.check_in(".", &[file]), file);
    }
    // Each set-up's scripts were all linted: 6 scripts and the one outside.
    let o = repo.check_in(".", &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 6, "{v}");
}

#[test]
fn a_defect_is_reported_against_its_own_parameters_only() {
    let repo = Repo::new("defect");
    // The HR managed instance named in the sales set-up's DAG: wrong for sales only.
    repo.write(
        "sales/02_dag.sql",
        &dag_step(&SALES, SALES.dag, SALES.ag).replace("Server=[mi-sales]", "Server=[mi-hr]"),
    );
    for (folder, args) in [
        (".", vec![]),
        ("sales", vec![]),
        (".", vec!["sales/02_dag.sql"]),
    ] {
        let found = errors(&repo.check_in(folder, &args));
        assert!(!found.is_empty(), "{folder} {args:?}");
        for (code, file, message) in &found {
            assert!(
                file.ends_with("02_dag.sql") && !file.contains("hr/"),
                "{code} {file}"
            );
            assert!(message.contains("mi-sales"), "{code}: {message}");
        }
    }
    // The HR set-up alone stays clean.
    assert_clean(&repo.check_in("hr", &[]), "hr");
    assert_clean(&repo.hook(&["hr/02_dag.sql"]), "hook on hr");
}

#[test]
fn the_hook_on_changed_files_sees_the_whole_set_up() {
    // 1. The AG renamed in its own file only: the DAG names an AG nobody creates.
    let repo = Repo::new("hook1");
    repo.write("sales/01_ag.sql", &ag_step(&SALES, "AG_Sales2"));
    let found = codes(&repo.hook(&["sales/01_ag.sql"]));
    assert!(found.contains(&"ML103".to_string()), "{found:?}");
    assert_eq!(repo.hook(&["sales/01_ag.sql"]).status.code(), Some(1));

    // 2. params.toml changed alone: its set-up is linted against it.
    let repo = Repo::new("hook2");
    repo.write(
        "sales/params.toml",
        &params(&SALES).replace("dag-sales", "dag-sales-eu"),
    );
    let o = repo.hook(&["sales/params.toml"]);
    assert!(codes(&o).contains(&"ML101".to_string()), "{:?}", errors(&o));
    assert_eq!(o.status.code(), Some(1));

    // 3. In the `:r` set-up, the DAG name changed only in the master script's :setvar.
    let repo = Repo::new("hook3");
    let master = repo.read("hr/run_all.sql").replace("dag-hr", "dag-hr-new");
    repo.write("hr/run_all.sql", &master);
    let found = codes(&repo.hook(&["hr/run_all.sql"]));
    assert!(found.contains(&"ML101".to_string()), "{found:?}");

    // 4. A step switched from $(agname) to another variable.
    let repo = Repo::new("hook4");
    repo.write(
        "hr/run_all.sql",
        &repo.read("hr/run_all.sql").replace(
            ":setvar agname AG_HR\n",
            ":setvar agname AG_HR\n:setvar agname2 AG_HR2\n",
        ),
    );
    repo.write("hr/02_dag.sql", &dag_step(&HR, "$(dagname)", "$(agname2)"));
    let found = codes(&repo.hook(&["hr/02_dag.sql"]));
    assert!(
        found.contains(&"ML102".to_string()) || found.contains(&"ML103".to_string()),
        "{found:?}"
    );

    // A changed file that no configuration uses selects nothing: the hook passes.
    let repo = Repo::new("hook5");
    repo.write("docs/notes.json", "{}\n");
    let o = repo.hook(&["docs/notes.json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_configuration_extends_the_one_above() {
    let repo = Repo::new("extend");
    repo.write(
        "milink.toml",
        "ignore = [\"ML505\"]\n[vars]\nagname = \"AG_HR\"\n",
    );
    repo.write(
        "hr/milink.toml",
        "extend = \"../milink.toml\"\nparams = \"params.toml\"\n",
    );
    // The master script no longer sets agname: it comes from the inherited [vars].
    repo.write(
        "hr/run_all.sql",
        ":setvar dagname dag-hr\n:r 01_ag.sql\n:r 02_dag.sql\n",
    );
    assert_clean(&repo.check_in("hr", &[]), "hr with the inherited vars");
    // Without the inheritance, agname is undefined.
    repo.write("hr/milink.toml", "params = \"params.toml\"\n");
    let found = codes(&repo.check_in("hr", &[]));
    assert!(found.contains(&"ML502".to_string()), "{found:?}");
    // A circle is a configuration error.
    repo.write("hr/milink.toml", "extend = \"milink.toml\"\n");
    let o = repo.check_in("hr", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("circle"));
}

#[test]
fn command_line_params_make_one_set_up() {
    let repo = Repo::new("params");
    // --params names one set-up for everything: the HR scripts do not match sales.
    let o = repo.check_in(".", &["--params", "sales/params.toml", "sales", "hr"]);
    let found = errors(&o);
    assert!(found.iter().any(|e| e.1.starts_with("hr/")), "{found:?}");
    assert!(
        found.iter().all(|e| !e.1.starts_with("sales/")),
        "{found:?}"
    );
}

#[test]
fn a_secret_of_one_set_up_quoted_in_another_is_masked() {
    let repo = Repo::new("leak");
    let key = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = 'Zq9!crossSetup#Key';\nGO\n";
    repo.write(
        "hr/01_ag.sql",
        &format!("{key}{}", ag_step(&HR, "$(agname)")),
    );
    // A finding on the line of sales that quotes hr's password in a comment.
    let dag = dag_step(&SALES, SALES.dag, SALES.ag).replace(
        "Server=[mi-sales]', AVAILABILITY_MODE",
        "Server=[mi-hr]', /* hr key: Zq9!crossSetup#Key */ AVAILABILITY_MODE",
    );
    repo.write("sales/02_dag.sql", &dag);
    for format in ["human", "json", "sarif", "github", "gitlab", "junit"] {
        let o = Command::new(env!("CARGO_BIN_EXE_milink-lint"))
            .current_dir(&repo.0)
            .env("NO_COLOR", "1")
            .args(["check", "--format", format])
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(o.status.code(), Some(1), "{format}: {all}");
        for piece in ["rossSe", "Setup#", "Zq9!c", "p#Key"] {
            assert!(!all.contains(piece), "{format} shows {piece}:\n{all}");
        }
    }
}

#[test]
fn a_set_up_does_not_inherit_the_paths_of_the_configuration_it_extends() {
    let repo = Repo::new("paths");
    repo.write("milink.toml", "paths = [\"sales\", \"hr\"]\n");
    repo.write(
        "hr/milink.toml",
        "extend = \"../milink.toml\"\nparams = \"params.toml\"\n",
    );
    assert_clean(&repo.hook(&["hr/02_dag.sql"]), "hook on hr");
    assert_clean(&repo.check_in("hr", &[]), "from hr/");
    assert_clean(&repo.check_in(".", &[]), "from the root");
}

#[test]
fn files_of_a_set_up_named_from_a_subfolder_are_shown_without_detours() {
    let repo = Repo::new("names");
    let step = repo.read("sales/02_dag.sql");
    std::fs::remove_file(repo.0.join("sales/02_dag.sql")).unwrap();
    repo.write(
        "sales/steps/02_dag.sql",
        &step.replace("dag-sales", "dag-salse"),
    );
    let o = repo.hook(&["sales/steps/02_dag.sql"]);
    let files: Vec<String> = errors(&o).into_iter().map(|e| e.1).collect();
    assert!(!files.is_empty());
    assert!(
        files.iter().all(|f| f == "sales/steps/02_dag.sql"),
        "{files:?}"
    );
}

#[test]
fn two_different_unreadable_files_are_two_findings() {
    let repo = Repo::new("unreadable");
    repo.write("tools/a.sql", "ab\0cd-first");
    repo.write("tools/b.sql", "zz\0yy-other");
    let o = repo.check_in(".", &[]);
    let found: Vec<(String, String)> = errors(&o).into_iter().map(|e| (e.0, e.1)).collect();
    assert_eq!(
        found,
        [
            ("ML004".to_string(), "tools/a.sql".to_string()),
            ("ML004".to_string(), "tools/b.sql".to_string())
        ]
    );
}

#[test]
fn standard_input_uses_the_configuration_of_the_name_it_is_given() {
    let repo = Repo::new("stdin");
    let text = repo
        .read("sales/02_dag.sql")
        .replace("dag-sales", "dag-salse");
    let mut child = Command::new(env!("CARGO_BIN_EXE_milink-lint"))
        .current_dir(&repo.0)
        .args([
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "sales/02_dag.sql",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(codes(&o).contains(&"ML101".to_string()), "{:?}", errors(&o));
}

#[test]
fn an_excluded_folder_is_not_linted_even_with_its_own_configuration() {
    let repo = Repo::new("archive");
    repo.write("milink.toml", "exclude = [\"archive/\"]\n");
    repo.write("archive/2023/milink.toml", "params = \"params.toml\"\n");
    repo.write("archive/2023/params.toml", &params(&HR));
    repo.write(
        "archive/2023/02_dag.sql",
        &dag_step(&SALES, SALES.dag, SALES.ag),
    );
    let o = repo.check_in(".", &[]);
    assert_clean(&o, "archive excluded");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 6, "{v}");
}
