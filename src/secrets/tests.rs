//! The scanner on every form of secret, and on the code around secrets that must stay
//! readable.

use super::*;

/// The text as shown: every secret found masked with `*`.
fn mask_text(text: &str) -> String {
    let mut masked = text.to_string();
    mask(&mut masked, find(text).secrets.into_iter().map(|s| s.range));
    reveal(&mut masked);
    masked
}

/// Whether `find` reports a secret (something to mask and report) in `text`.
fn has_secret(text: &str) -> bool {
    !find(text).secrets.is_empty()
}

fn masked_away(text: &str, secrets: &[&str]) -> String {
    let masked = mask_text(text);
    assert_eq!(masked.len(), text.len());
    for secret in secrets {
        assert!(!masked.contains(secret), "{secret} leaked: {masked}");
    }
    masked
}

#[test]
fn masks_passwords_and_keys_keeping_length() {
    let text = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = N'S3cr''et!';\n-- Server=x;Password=hunter2;\n:setvar MasterKeyPassword \"Zz9\"\nCREATE CERTIFICATE c FROM BINARY = 0xAB WITH PRIVATE KEY (BINARY = 0xDEADBEEF, DECRYPTION BY PASSWORD = 'k');\nCREATE CREDENTIAL [https://x.blob.core.windows.net/b] WITH IDENTITY = 'SHARED ACCESS SIGNATURE', SECRET = 'sv=2022&sig=Abc123';";
    let masked = masked_away(
        text,
        &["S3cr", "hunter2", "Zz9", "DEADBEEF", "= 'k'", "sig=Abc123"],
    );
    assert!(
        masked.contains("0xAB"),
        "the public certificate blob is not a secret"
    );
    let prose = "-- moved with its private key.\nCREATE CERTIFICATE c FROM BINARY = 0xABCD\nWITH PRIVATE KEY (BINARY = 0xEF01);";
    let masked = masked_away(prose, &["EF01"]);
    assert!(masked.contains("0xABCD"), "{masked}");
}

#[test]
fn masks_every_way_of_writing_a_password() {
    let text = "\
ALTER LOGIN sa WITH PASSWORD = 'NewPw#1' OLD_PASSWORD = 'OldPw#1';
CREATE LOGIN l WITH PASSWORD = 0x0200AABBCCDD HASHED;
DECLARE @MasterKeyPassword nvarchar(128) = N'DeclPw#1';
SET @pwd = 'SetPw#1';
EXEC sp_addlinkedsrvlogin @rmtsrvname = 'x', @useself = 'false', @rmtuser = 'u', @rmtpassword = 'RmtPw#1';
EXEC sp_addlogin 'bob', 'PosPw#1', 'master';
EXEC sp_password 'OldPos#1', 'NewPos#1', 'bob';
EXEC sp_addlinkedsrvlogin 'srv', 'false', NULL, 'u',
 'LinkPw#1';
SELECT CERTPRIVATEKEY(CERT_ID(N'c'), N'EncPw#1', N'DecPw#1');
CREATE SYMMETRIC KEY k WITH KEY_SOURCE = 'Phrase#1', ALGORITHM = AES_256 ENCRYPTION BY CERTIFICATE c;
-- run: sqlcmd -S sql01 -U sa -P CliPw#1 -i link.sql
:connect sql01 -U sa -P ConnPw#1
-- Invoke-Sqlcmd -ServerInstance x -Username sa -Password 'PsPw#1'
";
    masked_away(
        text,
        &[
            "NewPw#1", "OldPw#1", "AABBCCDD", "DeclPw#1", "SetPw#1", "RmtPw#1", "PosPw#1",
            "OldPos#1", "NewPos#1", "LinkPw#1", "EncPw#1", "DecPw#1", "Phrase#1", "CliPw#1",
            "ConnPw#1", "PsPw#1",
        ],
    );
}

#[test]
fn references_and_ordinary_code_stay_readable() {
    let text = "CREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(MasterKeyPwd)';\nEXEC sp_addlogin @loginame = 'bob', @passwd = @pw;\nSELECT name FROM t WHERE id = 1; -- sqlcmd -p prints statistics\nEXEC sp_addlogin 'bob', 'q', 'master';";
    let masked = mask_text(text);
    assert!(masked.contains("'$(MasterKeyPwd)'"), "{masked}");
    assert!(masked.contains("@passwd = @pw"), "{masked}");
    assert!(masked.contains("@loginame = 'bob'"), "{masked}");
    assert!(masked.contains("sqlcmd -p prints"), "{masked}");
    assert!(
        masked.contains("sp_addlogin 'bob', '*', 'master'"),
        "{masked}"
    );
}

#[test]
fn comments_before_the_equals_sign_do_not_hide_a_password() {
    masked_away(
        "CREATE MASTER KEY ENCRYPTION BY PASSWORD /* x */ = 'Sup3rSecret!Pw16';\nALTER LOGIN a WITH PASSWORD -- new\n = 'Other#Pw2';",
        &["Sup3rSecret", "Other#Pw2"],
    );
}

#[test]
fn an_unclosed_password_masks_its_line_only() {
    // Not closed on its line: only the rest of its line is the value.
    let masked = masked_away(
        "PASSWORD = 'Sup3rSecret!Pw3\nGO\nSELECT 1;\n",
        &["Sup3rSecret"],
    );
    assert!(masked.ends_with("\nGO\nSELECT 1;\n"), "{masked}");
}

/// Each case found by an adversarial review: the secret must not survive masking.
#[test]
fn review_cases_are_masked() {
    let cases: &[(&str, &str)] = &[
        (
            "CREATE MASTER KEY ENCRYPTION BY PASSWORD 'LeakNoEq1!Abc';",
            "LeakNoEq1",
        ),
        (
            "EXEC('CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''LeakDyn2!xx''');",
            "LeakDyn2",
        ),
        (
            "EXEC sp_executesql N'CREATE LOGIN [y] WITH PASSWORD = N''LeakDyn3!xx''';",
            "LeakDyn3",
        ),
        (
            "CREATE LOGIN [l] WITH PASSWORD = '@Dm1nLeak#2024';",
            "Dm1nLeak",
        ),
        (
            "CREATE LOGIN [l] WITH PASSWORD = N'$(Sup3r)LeakParen(1)';",
            "LeakParen",
        ),
        (
            "-- :setvar MasterKeyPassword \"LeakCommented1\"",
            "LeakCommented1",
        ),
        ("/* :setvar SaPassword \"LeakBlock3\" */", "LeakBlock3"),
        (
            ":setvar  MasterKeyPassword \"LeakSetvar2Sp!\"",
            "LeakSetvar2Sp",
        ),
        (
            ":setvar SaPass \"LeakUsed7\"\nCREATE LOGIN a WITH PASSWORD = '$(SaPass)';",
            "LeakUsed7",
        ),
        (
            "DECLARE @pwd AS nvarchar(128) = N'LeakDeclAs1';",
            "LeakDeclAs1",
        ),
        ("DECLARE @pw nvarchar(128) = N'LeakDeclPw2';", "LeakDeclPw2"),
        (
            "DECLARE @PrivateKey varbinary(max) = 0xA1B2C3D4E5;",
            "A1B2C3D4E5",
        ),
        ("WITH PRIVATE  KEY (BINARY = 0xDEADBEEF01)", "DEADBEEF01"),
        (
            "WITH PRIVATE\nKEY /*c*/ (BINARY = 0xDEADBEEF02)",
            "DEADBEEF02",
        ),
        (
            "WITH PRIVATE KEY (BINARY = 0xDEADBEEF03\\\nFACEB00C04)",
            "FACEB00C04",
        ),
        ("-- sqlcmd -S s -U sa -PLeakNoSpace1", "LeakNoSpace1"),
        ("-- sqlcmd -S s -U sa\t-P LeakTab2", "LeakTab2"),
        ("EXEC sp_addlogin 'bob',/*pw*/'LeakPos2x';", "LeakPos2x"),
        (
            "EXEC sp_setapprole 'r', {Encrypt N'LeakApprole4'}, 'odbc';",
            "LeakApprole4",
        ),
        ("-- Server=x;User ID=sa;Password=Leak Space2;", "Space2"),
        ("-- Driver={ODBC};Pwd={LeakBrace;3};", "3}"),
        ("-- {\"password\":\"LeakJson1x\"}", "LeakJson1x"),
        (
            "SELECT DECRYPTBYPASSPHRASE('LeakPhrase5', @c);",
            "LeakPhrase5",
        ),
        (
            "# $p = ConvertTo-SecureString 'LeakSecStr10' -AsPlainText -Force",
            "LeakSecStr10",
        ),
    ];
    for (text, secret) in cases {
        let masked = mask_text(text);
        assert!(!masked.contains(secret), "{secret} leaked: {masked}");
    }
}

#[test]
fn review_false_positives_stay_readable() {
    for (text, kept) in [
        (":setvar SQLServerPublicKey 0x3082AB", "0x3082AB"),
        (":setvar KeyVaultName kv-ledger-prod", "kv-ledger-prod"),
        (":connect SQLPRD04 -U sa -P $(SaPwd)", "-P $(SaPwd)"),
        (
            "CREATE MASTER KEY ENCRYPTION BY PASSWORD = $(MasterKeyPassword);",
            "$(MasterKeyPassword);",
        ),
    ] {
        let masked = mask_text(text);
        assert!(masked.contains(kept), "{masked}");
        assert!(!has_secret(text), "{text}");
    }
}

#[test]
fn masking_keeps_offsets_and_hides_character_widths() {
    let text = "CREATE LOGIN [l] WITH PASSWORD = N'Pässwörd€1'; SELECT '<DAGName>';";
    let masked = mask_text(text);
    assert_eq!(masked.len(), text.len());
    assert_eq!(masked.find("SELECT"), text.find("SELECT"));
    // One `*` per byte: 14 bytes, whatever the characters were.
    assert!(masked.contains("N'**************'"), "{masked}");
}

#[test]
fn scans_stay_linear_on_hostile_input() {
    for text in [
        "PRIVATE KEY (".repeat(20_000),
        "sp_addlogin ".repeat(20_000),
        "CERTPRIVATEKEY(".repeat(20_000),
    ] {
        assert!(find(&text).secrets.is_empty());
    }
}

#[test]
fn unterminated_values_do_not_panic() {
    for text in [
        "PASSWORD = N'abc",
        "PASSWORD =",
        "sp_addlogin 'a', '",
        "PRIVATE KEY (BINARY = 0x",
        "-- sqlcmd -P",
        "DECLARE @pwd nvarchar(",
        "CERTPRIVATEKEY(",
    ] {
        let _ = mask_text(text);
    }
}

#[test]
fn references_and_placeholders_are_not_secrets() {
    assert!(has_secret("PASSWORD = 'Real#Pw1'"));
    assert!(has_secret(":setvar MasterKeyPwd \"Real#Pw1\""));
    for text in [
        "PASSWORD = '$(Pw)'",
        "PASSWORD = '<strong_password>'",
        "PASSWORD = @pw",
        "-- sqlcmd -v MasterKeyPassword=\"…\"",
        "PASSWORD = '$(LoginPart1)$(LoginPart2)'",
        "Invoke-Sqlcmd -Password $SqlAdminPassword -Query $q",
        "sqlcmd -P $env:SQL_PWD -i x.sql",
    ] {
        assert!(!has_secret(text), "{text}");
    }
    let found = find("PASSWORD = '$(LoginPart1)$(LoginPart2)'");
    assert_eq!(found.password_vars, ["LoginPart1", "LoginPart2"]);
}

/// The forms an adversarial test got out of the first version.
#[test]
fn forms_that_leaked_before() {
    for (text, secret) in [
        ("CREATE MASTER KEY ENCRYPTION BY PASSWORD Zq7wordBare42;", "Zq7wordBare42"),
        ("OPEN MASTER KEY DECRYPTION BY PASSWORD Kp3bare9x", "Kp3bare9x"),
        ("PASSWORD = 'Mq4#Rv8!Lp2\\\nQ7#x';", "Q7#x"),
        ("EXEC('CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''Ap0s''''tr0phe!Zq9'';')", "tr0phe"),
        ("EXEC('CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''' + 'Pc1!Xy' + 'Wv8#Tail' + ''';')", "Wv8#Tail"),
        ("EXEC('CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''' + 'Pc1!Xy' + 'Wv8#Tail' + ''';')", "Pc1!Xy"),
        ("-- sqlcmd -S srv -U sa -P Tq1!Ab,Cd9#x -i step.sql", "Cd9#x"),
        (":connect srv -U sa -P Tq1!Ab,Cd9#y", "Cd9#y"),
        ("SELECT 'Server=x;Password=Tq3!Ij''Kl7#z;Database=y'", "Kl7#z"),
        ("$cs = 'Server=x;Pwd=Ab\"cD9#x;'", "cD9#x"),
        ("-- {\"password\":\"Js1\\\"Tail#Zz9\"}", "Tail#Zz9"),
        ("sqlcmd -S x -i a.sql -v MasterKeyPassword=\"Vq2!Mm7#\"", "Vq2!Mm7#"),
        ("Invoke-Sqlcmd -ServerInstance x -Pass 'Pp1!Qq8#' -Query q", "Pp1!Qq8#"),
        ("Invoke-Sqlcmd -ServerInstance x -Passwo 'Pp2!Qq8#' -Query q", "Pp2!Qq8#"),
        ("sqlcmd -S x --password=Ab,Cd#Tail9 -i a.sql", "Tail9"),
        ("$c = 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Ak9+Zz/Yy==;EndpointSuffix=core.windows.net'", "Ak9+Zz"),
        ("$u = 'https://a.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig=Sg7%2BAbc%3D'", "Sg7%2BAbc"),
        ("$sas = 'sv=2022-11-02&ss=b&srt=co&sp=rl&sig=Sg8Abcdef'", "Sg8Abcdef"),
        ("curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.Zm9vYmFy'", "eyJhbGciOiJ"),
        ("-- backup to https://svc:Up9!word@files.example.net/share", "Up9!word"),
        ("az keyvault secret set --vault-name kv --name mk --value 'Kv5!Secret#x'", "Kv5!Secret"),
        ("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----", "MIIEvQIBADAN"),
        ("$password = \"Ps5!dq\"", "Ps5!dq"),
        ("sqlcmd -S x -pwd Pw6!x -i y", "Pw6!x"),
    ] {
        let masked = mask_text(text);
        assert!(!masked.contains(secret), "{secret} leaked: {masked}");
    }
}

#[test]
fn a_password_kept_in_a_variable_is_masked_where_it_is_set() {
    let text = "DECLARE @key nvarchar(128) = N'Dk4!Value#x';\nEXEC('CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''' + @key + N''';');";
    let masked = mask_text(text);
    assert!(!masked.contains("Dk4!Value"), "{masked}");
    assert!(masked.contains("''' + @key + N''';'"), "{masked}");
}

#[test]
fn variables_used_as_a_password_are_reported() {
    let found =
        find(":setvar Key1 \"Sv1!abc\"\nCREATE MASTER KEY ENCRYPTION BY PASSWORD = '$(Key1)';");
    assert_eq!(found.password_vars, ["Key1"]);
    assert_eq!(found.secrets.len(), 1, "the :setvar value");
    assert_eq!(found.assignments.len(), 1);
    let found = find("sqlcmd -S x -i a.sql -v Key2=\"abc def\" Other=1");
    let names: Vec<&str> = found.assignments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Key2", "Other"]);
    let found = find("Invoke-Sqlcmd -InputFile a.sql -Variable \"Key3=abc\", \"B=2\"");
    let names: Vec<&str> = found.assignments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Key3", "B"]);
}

#[test]
fn long_secrets_are_masked_whole() {
    let long = "A".repeat(4095) + "é" + &"Z".repeat(3000);
    let text = format!("PASSWORD = '{long}';");
    let masked = mask_text(&text);
    assert!(!masked.contains("AA") && !masked.contains("ZZ") && !masked.contains('é'));
    let hex = "AB".repeat(20_000);
    let text = format!("CREATE CERTIFICATE c FROM BINARY = 0x01 WITH PRIVATE KEY (BINARY = 0x{hex}, DECRYPTION BY PASSWORD = 'Kd1!x');");
    let masked = mask_text(&text);
    assert!(
        !masked.contains("ABAB") && !masked.contains("Kd1!x"),
        "the tail of the key"
    );
}

#[test]
fn ordinary_code_around_secrets_stays_readable() {
    for (text, kept) in [
        (
            "Invoke-Sqlcmd -ServerInstance x -InputFile a.sql -PassThru",
            "-PassThru",
        ),
        (
            "$p = Join-Path -Path $root -ChildPath x",
            "Join-Path -Path $root",
        ),
        ("Invoke-Sqlcmd -Query $q -Parameter x", "-Parameter x"),
        (
            "Invoke-Sqlcmd -Password $SqlAdminPassword -Query $q",
            "$SqlAdminPassword",
        ),
        ("$SqlAdminPassword = Read-Host -AsSecureString", "Read-Host"),
        ("-- encrypted by password below", "below"),
        ("SELECT password_hash FROM sys.sql_logins", "sys.sql_logins"),
        ("pwsh -File deploy.ps1", "deploy.ps1"),
    ] {
        let masked = mask_text(text);
        assert!(masked.contains(kept), "{masked}");
    }
}
