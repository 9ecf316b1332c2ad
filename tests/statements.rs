//! How statements are read: ordinary T-SQL never trips a link rule (regressions for the
//! false findings seen on public repositories, written in our own words), the arms of an
//! IF are alternatives, and the link's database list follows ALTER AVAILABILITY GROUP.

use milink_lint::date::Date;
use milink_lint::diagnostic::Diagnostic;
use milink_lint::{lint_sources, LintOptions, Report, SourceInput};

fn input(name: &str, text: &str) -> SourceInput {
    SourceInput {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

fn lint_with(files: &[(&str, &str)], params: Option<&str>, no_prefilter: bool) -> Report {
    lint_sources(
        files.iter().map(|(n, t)| input(n, t)).collect(),
        params.map(|p| input("params.toml", p)),
        &LintOptions {
            today: Date::new(2026, 11, 26),
            no_prefilter,
            ..LintOptions::default()
        },
    )
    .unwrap()
}

/// `code line:col message` of every finding, the same with and without the prefilter.
fn findings(files: &[(&str, &str)], params: Option<&str>) -> Vec<String> {
    let show = |r: &Report| -> Vec<String> {
        r.diagnostics
            .iter()
            .map(|d: &Diagnostic| {
                let at = r.files.start(d.span);
                format!(
                    "{} {}:{}:{} {}",
                    d.code.as_str(),
                    r.files.get(d.span.file).name,
                    at.line,
                    at.column,
                    d.message
                )
            })
            .collect()
    };
    let with = show(&lint_with(files, params, false));
    assert_eq!(
        with,
        show(&lint_with(files, params, true)),
        "the prefilter changed the result"
    );
    with
}

fn silent(name: &str, text: &str) {
    let found = findings(&[(name, text)], None);
    assert!(found.is_empty(), "{name}: {found:#?}");
}

// ---- Ordinary T-SQL: no finding at all. -------------------------------------------

#[test]
fn permission_statements_are_not_link_statements() {
    silent(
        "security/permissions.sql",
        "GRANT EXECUTE ON SCHEMA::reporting TO [report_reader];
DENY EXECUTE ON OBJECT::dbo.PurgeOrders TO [report_reader];
REVOKE EXECUTE ON dbo.PurgeOrders FROM [app_user];
GRANT CREATE AVAILABILITY GROUP TO [hadr_admin];
GRANT CREATE ENDPOINT TO [hadr_admin]
GRANT ALTER ANY ENDPOINT TO [hadr_admin] WITH GRANT OPTION
GRANT BACKUP DATABASE ON DATABASE::Inventory TO [backup_operator]
GRANT CREATE CERTIFICATE ON DATABASE::Inventory TO [key_admin]
GRANT CONNECT ON ENDPOINT::[Hadr_endpoint] TO [public]
REVOKE GRANT OPTION FOR ALTER ANY ENDPOINT FROM [hadr_admin] CASCADE
DENY ALTER ON CERTIFICATE::[Cert_Inventory] TO [app_user]
",
    );
}

#[test]
fn execute_as_in_every_form_is_not_a_procedure_call() {
    silent(
        "procs/as_owner.sql",
        "CREATE PROCEDURE dbo.ArchiveOrders
WITH EXECUTE AS OWNER
AS
BEGIN
    EXECUTE AS USER = N'archiver';
    DELETE FROM dbo.Orders WHERE Created < DATEADD(year, -7, SYSDATETIME());
    REVERT;
END
GO
EXECUTE AS LOGIN = N'deployer' WITH NO REVERT
GO
EXEC AS CALLER
GO
CREATE QUEUE dbo.OrderQueue WITH STATUS = ON,
    ACTIVATION (PROCEDURE_NAME = dbo.ProcessOrder, MAX_QUEUE_READERS = 2, EXECUTE AS SELF);
GO
CREATE FUNCTION dbo.OrderCount() RETURNS int WITH EXECUTE AS CALLER AS BEGIN RETURN 1 END
GO
EXEC ('SELECT 1') AS USER = N'reader'
",
    );
}

#[test]
fn ssms_templates_and_tool_variables_outside_a_link_are_silent() {
    silent(
        "templates/create_certificate.sql",
        "USE <Database_Name, sysname, Database_Name>
GO
CREATE CERTIFICATE <certificate_name, sysname, Shipping_Cert>
    ENCRYPTION BY PASSWORD = '<encryption_password, sysname, >'
    WITH SUBJECT = '<subject, nvarchar(128), Shipping records>',
    EXPIRY_DATE = '<expiry_date, datetime, 2031-10-31>'
GO
CREATE ENDPOINT <endpoint_name, sysname, Mirroring> STATE = STARTED
    AS TCP (LISTENER_PORT = <listener_port, int, 5022>)
    FOR DATABASE_MIRRORING (ROLE = ALL)
GO
ALTER DATABASE <Database_Name, sysname, Database_Name> SET RECOVERY FULL
GO
",
    );
    silent(
        "migrations/V3__use.sql",
        "USE ${flyway:database};\nUSE #{Octopus.Database};\nUSE {{ target_db }};\nSELECT 1;\n",
    );
}

#[test]
fn an_ordinary_script_with_link_words_in_queries_is_silent() {
    silent(
        "monitoring/hadr_health.sql",
        "IF EXISTS (SELECT 1 FROM sys.availability_groups WHERE name = N'AG_Sales')
BEGIN
    SELECT ag.name, ar.endpoint_url, e.port
    FROM sys.availability_groups AS ag
    JOIN sys.availability_replicas AS ar ON ar.group_id = ag.group_id
    JOIN sys.tcp_endpoints AS e ON e.type_desc = 'DATABASE_MIRRORING'
    WHERE ag.name IN (SELECT name FROM sys.availability_groups UNION SELECT N'x')
END
ELSE
    PRINT N'no availability group; certificate and endpoint checks skipped'
DECLARE c CURSOR LOCAL FAST_FORWARD FOR
    SELECT name FROM sys.certificates WHERE name LIKE N'%endpoint%'
OPEN c
WHILE 1 = 1 BEGIN FETCH NEXT FROM c INTO @n IF @@FETCH_STATUS <> 0 BREAK END
CLOSE c DEALLOCATE c
ALTER DATABASE CURRENT SET COMPATIBILITY_LEVEL = 160
ALTER DATABASE [Sales] MODIFY FILE (NAME = Sales_log, SIZE = 4GB)
BACKUP LOG [Sales] TO DISK = N'L:\\Sales.trn'
",
    );
}

/// Two distributed AGs between SQL Servers (no managed instance): not a link, and a
/// MODIFY of one of them is never compared with the other.
#[test]
fn unrelated_sql_server_distributed_ags_are_not_compared() {
    let east = "CREATE AVAILABILITY GROUP [DistAG] WITH (DISTRIBUTED) AVAILABILITY GROUP ON
  N'AG_East' WITH (LISTENER_URL = N'TCP://east-lsn.corp.example:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),
  N'AG_West' WITH (LISTENER_URL = N'TCP://west-lsn.corp.example:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC);
";
    let other = "ALTER AVAILABILITY GROUP [DistAG] MODIFY AVAILABILITY GROUP ON
  N'AG_North' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT),
  N'AG_South' WITH (AVAILABILITY_MODE = SYNCHRONOUS_COMMIT);
";
    let found = findings(
        &[("east/dag.sql", east), ("north/failover.sql", other)],
        None,
    );
    assert!(found.is_empty(), "{found:#?}");
}

// ---- A link set-up written with control of flow. -----------------------------------

const PARAMS: &str = "\
[sql_server]
name = \"SQL01\"
fqdn = \"sql01.corp.example\"
endpoint_port = 5022
[managed_instance]
name = \"mi-a\"
fqdn = \"mi-a.zone1.database.windows.net\"
[link]
availability_group = \"AG_Orders\"
distributed_availability_group = \"dag-orders\"
instance_availability_group = \"AG_Orders_MI\"
databases = [\"Orders\"]
";

const CERTIFICATES: &str = "\
IF NOT EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'Cert_SQL01_endpoint')
    CREATE CERTIFICATE [Cert_SQL01_endpoint] WITH SUBJECT = N'endpoint', EXPIRY_DATE = '2032-01-01'
IF CERT_ID(N'mi-a.zone1.database.windows.net') IS NULL
    CREATE CERTIFICATE [mi-a.zone1.database.windows.net] FROM BINARY = 0x3082AA
GO
";

/// The endpoint is created when there is none and altered when there is one.
fn endpoint(create_port: u16, else_state: &str) -> String {
    format!(
        "IF NOT EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints)
BEGIN
    CREATE ENDPOINT [Hadr_endpoint]
        STATE = STARTED
        AS TCP (LISTENER_PORT = {create_port}, LISTENER_IP = ALL)
        FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE [Cert_SQL01_endpoint], ENCRYPTION = REQUIRED ALGORITHM AES)
END
ELSE
BEGIN
    ALTER ENDPOINT [Hadr_endpoint]
        STATE = {else_state}
        AS TCP (LISTENER_IP = ALL)
        FOR DATABASE_MIRRORING (AUTHENTICATION = CERTIFICATE [Cert_SQL01_endpoint], ENCRYPTION = REQUIRED ALGORITHM AES)
END
GO
"
    )
}

const LINK: &str = "\
ALTER DATABASE [Orders] SET RECOVERY FULL
BACKUP DATABASE [Orders] TO DISK = N'D:\\b\\Orders.bak'
IF NOT EXISTS (SELECT 1 FROM sys.availability_groups WHERE name = N'AG_Orders')
CREATE AVAILABILITY GROUP [AG_Orders] WITH (CLUSTER_TYPE = NONE) FOR DATABASE [Orders]
  REPLICA ON N'SQL01' WITH (ENDPOINT_URL = 'TCP://sql01.corp.example:5022', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC)
GO
CREATE AVAILABILITY GROUP [dag-orders] WITH (DISTRIBUTED) AVAILABILITY GROUP ON
  N'AG_Orders' WITH (LISTENER_URL = 'TCP://sql01.corp.example:5022', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC),
  N'AG_Orders_MI' WITH (LISTENER_URL = 'tcp://mi-a.zone1.database.windows.net:5022;Server=[mi-a]', AVAILABILITY_MODE = ASYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC)
GO
";

fn setup(endpoint_script: &str, link: &str) -> Vec<String> {
    let certificates_and_endpoint = format!("{CERTIFICATES}{endpoint_script}");
    findings(
        &[
            ("link/01_trust.sql", &certificates_and_endpoint),
            ("link/02_link.sql", link),
        ],
        Some(PARAMS),
    )
}

#[test]
fn a_correct_create_or_alter_endpoint_gives_nothing() {
    assert_eq!(
        setup(&endpoint(5022, "STARTED"), LINK),
        Vec::<String>::new()
    );
}

#[test]
fn a_wrong_port_in_the_if_arm_is_reported_at_that_port() {
    assert_eq!(
        setup(&endpoint(5023, "STARTED"), LINK),
        vec!["ML201 link/01_trust.sql:10:33 endpoint LISTENER_PORT 5023 does not match the parameters file (5022)"]
    );
}

#[test]
fn an_else_arm_that_leaves_the_endpoint_stopped_is_reported() {
    assert_eq!(
        setup(&endpoint(5022, "STOPPED"), LINK),
        vec!["ML307 link/01_trust.sql:16:17 endpoint 'Hadr_endpoint' is STOPPED"]
    );
}

#[test]
fn a_later_alter_in_sequence_overrides_but_the_other_arm_does_not() {
    // The CREATE (IF arm) has no STATE: created STOPPED. The ALTER in the ELSE arm does
    // not change that; one after the IF does.
    let create_without_state = endpoint(5022, "STARTED").replace(
        "STATE = STARTED\n        AS TCP (LISTENER_PORT",
        "AS TCP (LISTENER_PORT",
    );
    let found = setup(&create_without_state, LINK);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("ML307") && found[0].contains("created STOPPED"),
        "{found:#?}"
    );
    let started_after =
        format!("{create_without_state}ALTER ENDPOINT [Hadr_endpoint] STATE = STARTED\nGO\n");
    assert_eq!(setup(&started_after, LINK), Vec::<String>::new());
}

#[test]
fn each_of_several_setups_endpoint_scripts_is_compared_on_its_own() {
    let good = format!("{CERTIFICATES}{}", endpoint(5022, "STARTED"));
    let bad = format!("{CERTIFICATES}{}", endpoint(5023, "STARTED"));
    let found = findings(
        &[
            ("a/01_trust.sql", &bad),
            ("a/02_link.sql", LINK),
            ("b/01_trust.sql", &good),
            ("b/02_link.sql", LINK),
        ],
        Some(PARAMS),
    );
    // Only the port of set-up a: no URL of either set-up is compared with 5023.
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("ML201 a/01_trust.sql:10:33"),
        "{found:#?}"
    );
}

// ---- ALTER AVAILABILITY GROUP … ADD / REMOVE DATABASE. --------------------------------

fn with_link_tail(tail: &str) -> Vec<String> {
    let link = format!("{LINK}{tail}");
    setup(&endpoint(5022, "STARTED"), &link)
}

#[test]
fn adding_a_second_database_to_a_single_database_link_is_reported() {
    let found = with_link_tail(
        "ALTER DATABASE [Billing] SET RECOVERY FULL\nALTER AVAILABILITY GROUP [AG_Orders] ADD DATABASE [Billing]\nGO\n",
    );
    let codes: Vec<&str> = found.iter().map(|f| &f[..5]).collect();
    // ML308: two databases in one link; ML105: Billing is not in the parameters file.
    // ML106 stays silent: Billing is in the link's AG now.
    assert_eq!(codes, vec!["ML105", "ML308"], "{found:#?}");
    assert!(
        found.iter().all(|f| f.contains("link/02_link.sql:12:")),
        "{found:#?}"
    );
}

#[test]
fn removing_and_adding_back_follows_run_order() {
    let found = with_link_tail(
        "ALTER AVAILABILITY GROUP [AG_Orders] REMOVE DATABASE [Orders]\nALTER AVAILABILITY GROUP [AG_Orders] ADD DATABASE [Orders]\nGO\n",
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn an_add_in_another_setup_does_not_change_this_link() {
    let other = "ALTER AVAILABILITY GROUP [AG_Orders] ADD DATABASE [Billing]\n";
    let certificates_and_endpoint = format!("{CERTIFICATES}{}", endpoint(5022, "STARTED"));
    let found = findings(
        &[
            ("link/01_trust.sql", &certificates_and_endpoint),
            ("link/02_link.sql", LINK),
            ("lab/experiment.sql", other),
        ],
        Some(PARAMS),
    );
    assert_eq!(found, Vec::<String>::new());
}

// ---- Templates inside the link's own statements. --------------------------------------

#[test]
fn a_template_in_a_link_statement_is_a_placeholder_naming_its_default() {
    let link = LINK.replace("[dag-orders]", "<DAG_Name, sysname, dag-orders>");
    let found = setup(&endpoint(5022, "STARTED"), &link);
    assert_eq!(
        found,
        vec!["ML501 link/02_link.sql:7:27 template parameter 'DAG_Name' was never replaced"],
    );
    let report = lint_with(&[("link/02_link.sql", &link)], Some(PARAMS), false);
    let help = report
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "ML501")
        .and_then(|d| d.help.clone())
        .unwrap();
    assert!(help.contains("its default is 'dag-orders'"), "{help}");
}

// ---- Statements that cannot be read are said once, as ML002. -------------------------

#[test]
fn a_broken_link_statement_is_reported_once_and_the_rest_is_read() {
    let broken = "CREATE AVAILABILITY GROUP [dag-orders] WITH (DISTRIBUTED) AVAILABILITY GROUP ON;\nSELECT 1\nGRANT CREATE ENDPOINT TO [dba]\n";
    let found = findings(&[("a.sql", broken)], None);
    assert_eq!(
        found,
        vec!["ML002 a.sql:1:80 expected an availability group name, found `;`"]
    );
}

// ---- Found by adversarial testing. ---------------------------------------------------

#[test]
fn a_parenthesis_never_closed_before_a_link_statement_does_not_hide_it() {
    let broken = endpoint(5099, "STARTED").replace(
        "sys.database_mirroring_endpoints)",
        "sys.database_mirroring_endpoints",
    );
    let found = setup(&broken, LINK);
    let codes: Vec<&str> = found.iter().map(|f| &f[..5]).collect();
    assert_eq!(codes, vec!["ML001", "ML201"], "{found:#?}");
    assert!(
        found[0].contains("01_trust.sql:6:15 this ( is never closed"),
        "{found:#?}"
    );
}

#[test]
fn statements_that_are_no_procedure_call_are_not_malformed() {
    // A batch that starts with FROM (after a stray GO), `GO -1` (not a GO line), a CTE
    // named by a template parameter: none is a link statement.
    for text in [
        "SELECT name\nGO\nFROM sys.objects\n",
        "GO -1\nSELECT 2\n",
        "WITH <CTE_name, sysname, Reports> (<col,,Manager>) AS (SELECT 1) SELECT * FROM x;\n",
        "Use <source database to be cloned>\nGO\n",
    ] {
        let found = findings(&[("a.sql", text)], Some(PARAMS));
        assert!(found.is_empty(), "{text}: {found:#?}");
    }
}

#[test]
fn an_add_database_in_the_else_arm_of_a_guarded_create_is_checked() {
    let link = LINK.replace(
        "  REPLICA ON N'SQL01' WITH (ENDPOINT_URL = 'TCP://sql01.corp.example:5022', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC)\nGO",
        "  REPLICA ON N'SQL01' WITH (ENDPOINT_URL = 'TCP://sql01.corp.example:5022', AVAILABILITY_MODE = SYNCHRONOUS_COMMIT, FAILOVER_MODE = MANUAL, SEEDING_MODE = AUTOMATIC)\nELSE\n  ALTER AVAILABILITY GROUP [AG_Orders] ADD DATABASE [OrdersHistory]\nGO",
    );
    let found = setup(&endpoint(5022, "STARTED"), &link);
    let codes: Vec<&str> = found.iter().map(|f| &f[..5]).collect();
    assert_eq!(codes, vec!["ML105", "ML308"], "{found:#?}");
}

#[test]
fn a_listener_port_that_is_no_port_is_reported() {
    let found = setup(
        &endpoint(5022, "STARTED").replace("LISTENER_PORT = 5022", "LISTENER_PORT = 70000"),
        LINK,
    );
    assert_eq!(
        found,
        vec!["ML201 link/01_trust.sql:10:33 LISTENER_PORT 70000 is not a port number (1–65535)"]
    );
}

#[test]
fn dynamic_sql_with_a_number_or_an_unknown_piece_is_still_read() {
    let dynamic = "DECLARE @port int = 5022
DECLARE @sql nvarchar(max) = N'CREATE ENDPOINT [Hadr_endpoint] STATE = STOPPED AS TCP (LISTENER_PORT = '
    + CAST(@port AS nvarchar(5)) + N', LISTENER_IP = ALL) FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE ['
    + (SELECT TOP (1) name FROM sys.certificates) + N'], ENCRYPTION = REQUIRED ALGORITHM AES)'
EXEC sp_executesql @sql
GO
";
    let found = setup(dynamic, LINK);
    // STOPPED is read; the certificate name from a query is not known, so not compared.
    assert_eq!(
        found,
        vec!["ML307 link/01_trust.sql:10:20 endpoint 'Hadr_endpoint' is STOPPED"]
    );
}

#[test]
fn urls_are_compared_with_every_port_the_arms_of_an_if_give_the_endpoint() {
    let params = PARAMS.replace("endpoint_port = 5022\n", "");
    let endpoint = endpoint(5023, "STARTED").replace(
        "AS TCP (LISTENER_IP = ALL)",
        "AS TCP (LISTENER_PORT = 5024, LISTENER_IP = ALL)",
    );
    let certificates_and_endpoint = format!("{CERTIFICATES}{endpoint}");
    let found = findings(
        &[
            ("link/01_trust.sql", &certificates_and_endpoint),
            ("link/02_link.sql", LINK),
        ],
        Some(&params),
    );
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found
            .iter()
            .all(|f| f.starts_with("ML201") && f.contains("(5023 or 5024)")),
        "{found:#?}"
    );
}

#[test]
fn a_placeholder_is_reported_once() {
    let endpoint =
        endpoint(5022, "STARTED").replace("[Cert_SQL01_endpoint]", "[<SQLServerCertName>]");
    let link = LINK.replace("ALTER DATABASE [Orders]", "ALTER DATABASE [<DatabaseName>]");
    let found = setup(&endpoint, &link);
    let codes: Vec<&str> = found.iter().map(|f| &f[..5]).collect();
    assert_eq!(codes, vec!["ML501", "ML501", "ML501"], "{found:#?}");
}

#[test]
fn a_message_built_in_a_variable_is_text_for_people() {
    let text = "DECLARE @msg nvarchar(400)
SET @msg = N'No master key: create one first with CREATE MASTER KEY ENCRYPTION BY PASSWORD = N''<strong_password>'''
RAISERROR(@msg, 16, 1)
";
    let found = findings(
        &[("link/00_check.sql", text), ("link/02_link.sql", LINK)],
        Some(PARAMS),
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn steps_run_where_the_master_script_includes_them() {
    let master = ":r ..\\shared\\trust.sql\n:r .\\endpoint.sql\n";
    let trust = "CREATE CERTIFICATE [Cert_SQL01_endpoint] WITH SUBJECT = N'endpoint', EXPIRY_DATE = '2032-01-01'\n";
    let endpoint = "CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED AS TCP (LISTENER_PORT = 5022, LISTENER_IP = ALL)
  FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE [Cert_SQL01_endpoint], ENCRYPTION = REQUIRED ALGORITHM AES)\n";
    // By name, link/endpoint.sql comes before shared/trust.sql; sqlcmd runs the
    // certificate first, as the master script says.
    let found = findings(
        &[
            ("link/deploy.sql", master),
            ("link/endpoint.sql", endpoint),
            ("shared/trust.sql", trust),
        ],
        Some(PARAMS),
    );
    assert_eq!(found, Vec::<String>::new());
}

// ---- Found by the second round of adversarial testing. --------------------------------

#[test]
fn a_use_inside_exec_lasts_until_the_end_of_the_exec() {
    // ML405 would say the certificate is created in Orders instead of master.
    let trust = format!("USE master;\nEXEC (N'USE [Orders]');\nGO\n{CERTIFICATES}");
    let endpoint = format!("{trust}{}", endpoint(5022, "STARTED"));
    let found = findings(
        &[("link/01_trust.sql", &endpoint), ("link/02_link.sql", LINK)],
        Some(PARAMS),
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn prepared_databases_written_as_current_or_a_variable() {
    let tail = "USE [Orders]\nALTER DATABASE CURRENT SET RECOVERY FULL\nDECLARE @db sysname = N'Orders'\nBACKUP DATABASE @db TO DISK = N'D:\\b\\o.bak'\nGO\n";
    assert_eq!(with_link_tail(tail), Vec::<String>::new());
    // CURRENT is the database of the last USE.
    let found = with_link_tail("USE [Billing]\nALTER DATABASE CURRENT SET RECOVERY FULL\nGO\n");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("ML106") && found[0].contains("'Billing'"),
        "{found:#?}"
    );
}

#[test]
fn recovery_among_other_options_of_set() {
    let found = with_link_tail(
        "ALTER DATABASE [Billing] SET PAGE_VERIFY CHECKSUM, RECOVERY FULL WITH NO_WAIT\nGO\n",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("ML106"), "{found:#?}");
}

#[test]
fn xml_in_strings_is_not_a_placeholder() {
    let tail = "DECLARE @cfg xml = N'<Link><Database>Orders</Database></Link>'\nSELECT @cfg.query('<Result>{ /Link }</Result>')\nGO\n";
    assert_eq!(with_link_tail(tail), Vec::<String>::new());
}

#[test]
fn insert_exec_runs_the_procedure() {
    let two = LINK.replace("FOR DATABASE [Orders]", "FOR DATABASE [Orders], [Billing]");
    let params = PARAMS.replace("[\"Orders\"]", "[\"Orders\", \"Billing\"]");
    let certificates_and_endpoint = format!("{CERTIFICATES}{}", endpoint(5022, "STARTED"));
    let run = |tail: &str| {
        let link = format!("{tail}{two}").replace("BACKUP DATABASE [Orders]", "BACKUP DATABASE [Orders]\nALTER DATABASE [Billing] SET RECOVERY FULL\nBACKUP DATABASE [Billing] TO DISK = N'D:\\b\\b.bak'");
        findings(
            &[
                ("link/01_trust.sql", &certificates_and_endpoint),
                ("link/02_link.sql", &link),
            ],
            Some(&params),
        )
    };
    let without = run("");
    assert!(
        without.iter().any(|f| f.starts_with("ML308")),
        "{without:#?}"
    );
    let with = run("DECLARE @r TABLE (result nvarchar(200))\nINSERT INTO @r EXEC sys.sp_multidb_milink 1\nGO\n");
    assert!(with.iter().all(|f| !f.starts_with("ML308")), "{with:#?}");
}

#[test]
fn a_backslash_continues_a_url_on_the_next_line() {
    let link = LINK.replace(
        "'tcp://mi-a.zone1.database.windows.net:5022;Server=[mi-a]'",
        "'tcp://mi-a.zone1.database.windows.net:5022;\\\nServer=[mi-a]'",
    );
    assert_eq!(
        setup(&endpoint(5022, "STARTED"), &link),
        Vec::<String>::new()
    );
}

#[test]
fn a_grant_without_to_does_not_swallow_the_next_link_statement() {
    let endpoint = endpoint(5099, "STARTED").replace(
        "IF NOT EXISTS",
        "GRANT CONNECT ON ENDPOINT::[Hadr_endpoint]\n--    TO [CONTOSO\\svc_link]\nIF NOT EXISTS",
    );
    let found = setup(&endpoint, LINK);
    assert!(found.iter().any(|f| f.starts_with("ML201")), "{found:#?}");
    let plain = "GRANT CONNECT ON ENDPOINT::[Hadr_endpoint]\nCREATE ENDPOINT [Hadr_endpoint] STATE = STARTED AS TCP (LISTENER_PORT = 5099)\n  FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE [Cert_SQL01_endpoint], ENCRYPTION = REQUIRED ALGORITHM AES)\nGO\n";
    let found = setup(plain, LINK);
    assert!(found.iter().any(|f| f.starts_with("ML201")), "{found:#?}");
}

#[test]
fn an_existence_guard_the_wrong_way_round() {
    let trust = CERTIFICATES.replace(
        "IF NOT EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'Cert_SQL01_endpoint')",
        "IF EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'Cert_SQL01_endpoint')",
    );
    let found = findings(
        &[
            (
                "link/01_trust.sql",
                &format!("{trust}{}", endpoint(5022, "STARTED")),
            ),
            ("link/02_link.sql", LINK),
        ],
        Some(PARAMS),
    );
    assert_eq!(
        found,
        vec!["ML410 link/01_trust.sql:2:24 'Cert_SQL01_endpoint' is created only when it already exists"]
    );
    // A guard on another certificate says nothing about this one.
    let other = CERTIFICATES.replace(
        "IF NOT EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'Cert_SQL01_endpoint')",
        "IF EXISTS (SELECT 1 FROM sys.certificates WHERE name = N'Cert_Old')",
    );
    let found = findings(
        &[
            (
                "link/01_trust.sql",
                &format!("{other}{}", endpoint(5022, "STARTED")),
            ),
            ("link/02_link.sql", LINK),
        ],
        Some(PARAMS),
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn a_guarded_arm_that_drops_and_creates_or_creates_and_alters_is_right() {
    let recreate = endpoint(5022, "STARTED").replace(
        "IF NOT EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints)\nBEGIN\n",
        "IF EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints)\nBEGIN\n    DROP ENDPOINT [Hadr_endpoint]\n",
    ).replace("ELSE\nBEGIN\n    ALTER ENDPOINT [Hadr_endpoint]", "ELSE\nBEGIN\n    CREATE ENDPOINT [Hadr_endpoint]");
    assert_eq!(setup(&recreate, LINK), Vec::<String>::new());
    let create_then_alter = endpoint(5022, "STARTED").replace(
        "ENCRYPTION = REQUIRED ALGORITHM AES)\nEND\nELSE",
        "ENCRYPTION = REQUIRED ALGORITHM AES)\n    ALTER ENDPOINT [Hadr_endpoint] STATE = STARTED\nEND\nELSE",
    );
    assert_eq!(setup(&create_then_alter, LINK), Vec::<String>::new());
}
