//! The same script saved as UTF-8 and as UTF-16 LE with BOM and CRLF (as SSMS does)
//! gives the same findings at the same line and column; SQLCMD variables resolve
//! case-insensitively and findings point at the `$(Var)` use.

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
