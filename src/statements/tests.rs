//! Splitter tests: the tree of ordinary and link T-SQL, as outlines (insta snapshots),
//! and the flow each statement gets.

use super::*;
use crate::lex::lex_batch;
use crate::span::FileId;
use crate::sqlcmd::{split as split_batches, ExternalVars};

/// The outline of every batch of `text`.
fn outline(text: &str) -> String {
    let script = split_batches(FileId(0), text, &ExternalVars::default());
    let mut next_id = 0;
    script
        .batches
        .iter()
        .map(|b| {
            let tokens = lex_batch(b).tokens;
            render(&tokens, &split(&tokens, &mut next_id))
        })
        .collect::<Vec<_>>()
        .join("GO\n")
}

/// Each statement's head and flow: `(head, [arm of each construct it is in])`.
fn flows(text: &str) -> Vec<(String, Vec<Arm>)> {
    let script = split_batches(FileId(0), text, &ExternalVars::default());
    let mut next_id = 0;
    let mut out = Vec::new();
    for b in &script.batches {
        let tokens = lex_batch(b).tokens;
        let tree = split(&tokens, &mut next_id);
        walk(&tree, &Flow::default(), &mut |s, flow| {
            out.push((
                s.head.describe(),
                flow.branches.iter().map(|b| b.arm).collect(),
            ))
        });
    }
    out
}

#[test]
fn if_else_create_or_alter_endpoint() {
    insta::assert_snapshot!(outline(
        "IF NOT EXISTS (SELECT 1 FROM sys.database_mirroring_endpoints)
BEGIN
    CREATE ENDPOINT [Hadr_endpoint] STATE = STARTED
        AS TCP (LISTENER_PORT = 5023)
        FOR DATABASE_MIRRORING (ROLE = ALL, AUTHENTICATION = CERTIFICATE [c], ENCRYPTION = REQUIRED ALGORITHM AES)
END
ELSE
BEGIN
    ALTER ENDPOINT [Hadr_endpoint] STATE = STOPPED
END
GRANT CONNECT ON ENDPOINT::[Hadr_endpoint] TO [public]
"
    ));
}

#[test]
fn if_else_without_blocks_and_else_if_chains() {
    insta::assert_snapshot!(outline(
        "IF @@SERVERNAME = N'SQL01' PRINT N'primary' ELSE IF @@SERVERNAME = N'SQL02' PRINT N'secondary'; ELSE RAISERROR (N'unknown server', 16, 1)
IF OBJECT_ID(N'dbo.Orders') IS NULL CREATE TABLE dbo.Orders (Id int)
IF (SELECT COUNT(*) FROM sys.availability_groups WHERE name = N'AG_Orders') = 0 CREATE AVAILABILITY GROUP [AG_Orders] FOR REPLICA ON N'SQL01' WITH (ENDPOINT_URL = N'TCP://sql01:5022')
"
    ));
}

#[test]
fn nested_blocks_and_case_inside_conditions() {
    insta::assert_snapshot!(outline(
        "BEGIN
    IF CASE WHEN @a > 1 THEN 1 ELSE 0 END = 1
    BEGIN
        BEGIN
            SELECT CASE @b WHEN 1 THEN 'one' ELSE 'other' END AS word
        END
        SET @c = 1
    END
END
"
    ));
}

#[test]
fn try_catch_and_while() {
    insta::assert_snapshot!(outline(
        "BEGIN TRY
    BEGIN TRANSACTION
    ALTER AVAILABILITY GROUP [AG_Orders] ADD DATABASE [Orders]
    COMMIT
END TRY
BEGIN CATCH
    IF @@TRANCOUNT > 0 ROLLBACK;
    THROW;
END CATCH
DECLARE @i int = 0
WHILE @i < 3
BEGIN
    SET @i += 1
    IF @i = 2 CONTINUE
    WAITFOR DELAY '00:00:01'
END
"
    ));
}

#[test]
fn procedure_bodies_run_to_the_end_of_the_batch() {
    insta::assert_snapshot!(outline(
        "CREATE OR ALTER PROCEDURE dbo.SetUpLink @port int = 5022, @name AS sysname
WITH EXECUTE AS OWNER
AS
BEGIN
    SET NOCOUNT ON
    DECLARE @sql nvarchar(max) = N'CREATE ENDPOINT [Hadr_endpoint] AS TCP (LISTENER_PORT = ' + CAST(@port AS nvarchar(10)) + N')'
    EXEC sp_executesql @sql
    CREATE CERTIFICATE [Cert_SQL01] WITH SUBJECT = N'link'
END
GO
CREATE TRIGGER trg_audit ON dbo.Orders AFTER INSERT, UPDATE, DELETE AS
IF UPDATE(Status) INSERT INTO dbo.Audit (Id) SELECT Id FROM inserted
GO
CREATE FUNCTION dbo.f (@a int) RETURNS TABLE WITH SCHEMABINDING AS RETURN (SELECT @a AS a)
GO
CREATE VIEW dbo.v WITH SCHEMABINDING AS WITH c AS (SELECT 1 AS a) SELECT a FROM c
"
    ));
}

#[test]
fn go_less_scripts_without_semicolons() {
    insta::assert_snapshot!(outline(
        "USE master
CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MasterKeyPassword)'
CREATE CERTIFICATE [Cert_SQL01] WITH SUBJECT = 'link', EXPIRY_DATE = '20301231'
GRANT CREATE ENDPOINT TO [dba]
GRANT CONNECT ON ENDPOINT::[Hadr_endpoint] TO [public] WITH GRANT OPTION
DENY VIEW SERVER STATE TO [app]
REVOKE EXECUTE ON SCHEMA::dbo FROM [app]
EXECUTE AS LOGIN = N'deployer'
ALTER DATABASE [Orders] SET RECOVERY FULL WITH ROLLBACK IMMEDIATE
ALTER DATABASE [Orders] SET PARTNER OFF
BACKUP DATABASE [Orders] TO DISK = N'D:\\b\\Orders.bak' WITH INIT
REVERT
ALTER AVAILABILITY GROUP [AG_Orders] GRANT CREATE ANY DATABASE
ALTER TABLE dbo.Orders ALTER COLUMN Id bigint NOT NULL
ALTER TABLE dbo.Orders ADD CONSTRAINT fk FOREIGN KEY (C) REFERENCES dbo.C (Id) ON DELETE SET NULL ON UPDATE CASCADE
INSERT INTO dbo.Orders (Id) EXEC dbo.GetIds
INSERT INTO dbo.Orders (Id) SELECT 1 UNION ALL SELECT 2
UPDATE dbo.Orders SET Id = 1 WHERE Id = 2
MERGE dbo.T AS t USING dbo.S AS s ON t.Id = s.Id WHEN MATCHED THEN UPDATE SET t.A = s.A WHEN NOT MATCHED THEN INSERT (Id) VALUES (s.Id);
DECLARE c CURSOR FOR SELECT name FROM sys.databases UNION SELECT N'x'
OPEN c FETCH NEXT FROM c INTO @n CLOSE c DEALLOCATE c
DROP TABLE IF EXISTS dbo.Tmp
SELECT Id FROM dbo.Orders ORDER BY Id OFFSET 0 ROWS FETCH NEXT 5 ROWS ONLY
done: RETURN
"
    ));
}

#[test]
fn templates_and_tool_variables_are_single_tokens() {
    insta::assert_snapshot!(outline(
        "USE <Database_Name, sysname, Sales>
CREATE CERTIFICATE <certificate_name, sysname, Cert_SQL01> WITH SUBJECT = '<subject, nvarchar(128), link>'
USE ${flyway:database}
SELECT * FROM t WHERE a < 5 AND b > 3
"
    ));
}

#[test]
fn arms_of_an_if_are_alternatives() {
    use Arm::*;
    let found = flows(
        "IF NOT EXISTS (SELECT 1 FROM sys.endpoints) CREATE ENDPOINT e AS TCP (LISTENER_PORT = 5022) ELSE ALTER ENDPOINT e STATE = STARTED
ALTER ENDPOINT e STATE = STARTED
WHILE 1 = 0 BREAK
BEGIN TRY SELECT 1 END TRY BEGIN CATCH PRINT N'failed' END CATCH
GO
CREATE PROCEDURE p AS CREATE CERTIFICATE c WITH SUBJECT = 'x'",
    );
    let expected: Vec<(&str, Vec<Arm>)> = vec![
        ("CREATE ENDPOINT", vec![Then]),
        ("ALTER ENDPOINT", vec![Else]),
        ("ALTER ENDPOINT", vec![]),
        ("BREAK", vec![Loop]),
        ("SELECT", vec![]),
        ("PRINT", vec![Catch]),
        ("CREATE PROCEDURE", vec![]),
        ("CREATE CERTIFICATE", vec![Routine]),
    ];
    let found: Vec<(&str, Vec<Arm>)> = found.iter().map(|(h, a)| (h.as_str(), a.clone())).collect();
    assert_eq!(found, expected);
}

#[test]
fn existence_guards() {
    let guard = |condition: &str| {
        let text = format!("IF {condition} SELECT 1");
        let script = split_batches(FileId(0), &text, &ExternalVars::default());
        let tokens = lex_batch(&script.batches[0]).tokens;
        match split(&tokens, &mut 0).remove(0) {
            Node::If(i) => i.guard.map(|g| (g.catalog, g.exists, g.name)),
            other => panic!("not an IF: {other:?}"),
        }
    };
    let absent = |catalog, name: Option<&str>| Some((catalog, false, name.map(str::to_string)));
    assert_eq!(
        guard("NOT EXISTS (SELECT * FROM master.sys.database_mirroring_endpoints)"),
        absent(Catalog::Endpoints, None)
    );
    assert_eq!(
        guard("(NOT EXISTS (SELECT 1 FROM sys.symmetric_keys WHERE symmetric_key_id = 101))"),
        absent(Catalog::Keys, None)
    );
    assert_eq!(
        guard("CERT_ID(N'Cert_SQL01') IS NULL"),
        absent(Catalog::Certificates, Some("Cert_SQL01"))
    );
    assert_eq!(
        guard("EXISTS (SELECT 1 FROM sys.availability_groups WHERE name = N'dag')"),
        Some((Catalog::AvailabilityGroups, true, Some("dag".to_string())))
    );
    // Not a guard: more than the existence test, or a table of the user's.
    assert_eq!(
        guard("NOT EXISTS (SELECT 1 FROM sys.endpoints) AND @force = 0"),
        None
    );
    assert_eq!(guard("EXISTS (SELECT 1 FROM dbo.Orders)"), None);
}

#[test]
fn nesting_deeper_than_the_limit_is_read_flat() {
    let text = "BEGIN ".repeat(5000) + "SELECT 1 " + &"END ".repeat(5000);
    let script = split_batches(FileId(0), &text, &ExternalVars::default());
    let tokens = lex_batch(&script.batches[0]).tokens;
    let tree = split(&tokens, &mut 0);
    let mut count = 0;
    walk(&tree, &Flow::default(), &mut |s, _| {
        count += usize::from(s.head == Head::Select)
    });
    assert_eq!(count, 1);
}

#[test]
fn every_token_is_in_exactly_one_extent() {
    let text = "IF 1 = 1 BEGIN SELECT 1; SELECT 2 END ELSE PRINT 'x'; GRANT SELECT ON t TO u WITH GRANT OPTION";
    let script = split_batches(FileId(0), text, &ExternalVars::default());
    let tokens = lex_batch(&script.batches[0]).tokens;
    let mut covered = vec![0; tokens.len()];
    for (range, _) in extents(&split(&tokens, &mut 0)) {
        for i in range {
            covered[i] += 1;
        }
    }
    assert!(covered.iter().all(|&c| c == 1), "{covered:?}");
}

mod soup {
    //! Random sequences of head words, control of flow and punctuation: the splitter
    //! never panics, always ends, and puts every token but `;` in exactly one extent.

    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "IF",
        "ELSE",
        "BEGIN",
        "END",
        "WHILE",
        "TRY",
        "CATCH",
        "CASE",
        "WHEN",
        "THEN",
        "SELECT",
        "INSERT",
        "INTO",
        "UPDATE",
        "SET",
        "DELETE",
        "MERGE",
        "WITH",
        "AS",
        "EXEC",
        "EXECUTE",
        "GRANT",
        "DENY",
        "REVOKE",
        "TO",
        "FROM",
        "ON",
        "CREATE",
        "ALTER",
        "DROP",
        "PROCEDURE",
        "TABLE",
        "ENDPOINT",
        "AVAILABILITY",
        "GROUP",
        "DATABASE",
        "CERTIFICATE",
        "MASTER",
        "KEY",
        "BACKUP",
        "USE",
        "DECLARE",
        "CURSOR",
        "FOR",
        "UNION",
        "ALL",
        "RETURN",
        "GOTO",
        "THROW",
        "PRINT",
        "COLUMN",
        "EXISTS",
        "NOT",
        "NULL",
        "TRAN",
        "COMMIT",
        "ROLLBACK",
        "x",
        "[y]",
        "'z'",
        "N'w'",
        "@v",
        "1",
        "(",
        ")",
        "(",
        ")",
        ";",
        ",",
        "=",
        ".",
        ":",
        "::",
        "<a, b, c>",
        "${v}",
        "$(v)",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn every_token_is_in_one_extent(pieces in proptest::collection::vec(0..PIECES.len(), 0..60)) {
            let text: Vec<&str> = pieces.iter().map(|&i| PIECES[i]).collect();
            let text = text.join(" ");
            let script = split_batches(FileId(0), &text, &ExternalVars::default());
            let mut next_id = 0;
            for batch in &script.batches {
                let tokens = lex_batch(batch).tokens;
                let tree = split(&tokens, &mut next_id);
                let mut covered = vec![0u32; tokens.len()];
                for (range, _) in extents(&tree) {
                    for i in range {
                        covered[i] += 1;
                    }
                }
                for (i, t) in tokens.iter().enumerate() {
                    let expected = u32::from(!t.is_punct(";"));
                    // A `;` may also end a statement (it is then part of its extent).
                    prop_assert!(
                        covered[i] == expected || (t.is_punct(";") && covered[i] == 1),
                        "token {i} `{}` in {} extents: {text}", t.value, covered[i]
                    );
                }
                let mut count = 0;
                walk(&tree, &Flow::default(), &mut |_, _| count += 1);
                prop_assert!(count <= tokens.len());
            }
        }
    }
}
