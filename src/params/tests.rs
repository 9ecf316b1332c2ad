use super::*;
use crate::span::{FileId, LineIndex, Span};
use std::path::Path;

const FILE: FileId = FileId(7);

fn parse(text: &str, format: ParamsFormat) -> Params {
    parse_params(text, FILE, format)
        .unwrap_or_else(|e| panic!("{format:?} should parse, got {e:?}\n{text}"))
}

fn error(text: &str, format: ParamsFormat) -> ParamsError {
    match parse_params(text, FILE, format) {
        Ok(params) => panic!("{format:?} should fail, got {params:?}\n{text}"),
        Err(error) => error,
    }
}

/// The text a span covers, after checking it is in this file.
fn at(text: &str, span: Span) -> &str {
    assert_eq!(span.file, FILE);
    &text[span.range()]
}

fn error_at(text: &str, error: &ParamsError) -> String {
    at(text, error.span.expect("error without a span")).to_owned()
}

fn value_text<'t, T>(text: &'t str, value: &Option<Value<T>>) -> &'t str {
    at(text, value.as_ref().expect("missing value").span)
}

// ---------------------------------------------------------------------------
// One set-up written in the three formats: non-ASCII text before and among
// the values checks that spans are byte offsets.

const SAMPLE_TOML: &str = r#"# Paramètres du lien — ✓
[sql_server]
name = "SQLPRD04"                 # @@SERVERNAME
fqdn = "sqlprd04.ops.example.net"
ip = "10.30.8.14"
endpoint_port = 5022
version = 2022

[managed_instance]
name = "mi-ledger-weu-01"
fqdn = "mi-ledger-weu-01.3f9c2a7e5b1d.database.windows.net"

[[link]]
availability_group = "AG_Ledger"
distributed_availability_group = "dag-ledger"
instance_availability_group = "AG_Ledger_MI"
databases = ["Ledger", "Rechnungsübersicht"]
initial_primary = "sql_server"
mode = "multi"

[[link]]
availability_group = "AG_Sales"
databases = "Sales"
initial_primary = "managed_instance"
"#;

const SAMPLE_YAML: &str = r#"# Paramètres du lien — ✓
sql_server:
  name: SQLPRD04                  # @@SERVERNAME
  fqdn: sqlprd04.ops.example.net
  ip: 10.30.8.14
  endpoint_port: 5022
  version: 2022
managed_instance:
  name: mi-ledger-weu-01
  fqdn: "mi-ledger-weu-01.3f9c2a7e5b1d.database.windows.net"
link:
  - availability_group: AG_Ledger
    distributed_availability_group: 'dag-ledger'
    instance_availability_group: AG_Ledger_MI
    databases: [Ledger, "Rechnungsübersicht"]
    initial_primary: sql_server
    mode: multi
  - availability_group: AG_Sales
    databases: Sales
    initial_primary: managed_instance
"#;

const SAMPLE_JSON: &str = r#"{
  "sql_server": {
    "name": "SQLPRD04",
    "fqdn": "sqlprd04.ops.example.net",
    "ip": "10.30.8.14",
    "endpoint_port": 5022,
    "version": 2022
  },
  "managed_instance": {"name": "mi-ledger-weu-01", "fqdn": "mi-ledger-weu-01.3f9c2a7e5b1d.database.windows.net"},
  "link": [
    {
      "availability_group": "AG_Ledger",
      "distributed_availability_group": "dag-ledger",
      "instance_availability_group": "AG_Ledger_MI",
      "databases": ["Ledger", "Rechnungsübersicht"],
      "initial_primary": "sql_server",
      "mode": "multi"
    },
    {"availability_group":"AG_Sales","databases":"Sales","initial_primary":"managed_instance"}
  ]
}
"#;

const SAMPLES: [(&str, ParamsFormat); 3] = [
    (SAMPLE_TOML, ParamsFormat::Toml),
    (SAMPLE_YAML, ParamsFormat::Yaml),
    (SAMPLE_JSON, ParamsFormat::Json),
];

/// A string value's span covers the value, with its quotes when it has some.
fn assert_string_span(text: &str, value: &Option<Value<String>>) {
    let value = value.as_ref().expect("missing value");
    let written = at(text, value.span);
    assert_eq!(written.trim_matches(['"', '\'']), value.value, "{written}");
}

fn assert_every_span_covers_its_value(text: &str, params: &Params) {
    assert_eq!(params.file, FILE);
    let sql = &params.sql_server;
    for value in [&sql.name, &sql.fqdn, &sql.ip] {
        assert_string_span(text, value);
    }
    assert_eq!(value_text(text, &sql.endpoint_port), "5022");
    assert_eq!(value_text(text, &sql.version), "2022");
    for value in [&params.managed_instance.name, &params.managed_instance.fqdn] {
        assert_string_span(text, value);
    }
    for link in &params.links {
        for value in [
            &link.availability_group,
            &link.distributed_availability_group,
            &link.instance_availability_group,
        ] {
            if value.is_some() {
                assert_string_span(text, value);
            }
        }
        for database in link.databases.as_ref().unwrap() {
            assert_string_span(text, &Some(database.clone()));
        }
    }
    let first = &params.links[0];
    assert_eq!(
        value_text(text, &first.initial_primary).trim_matches('"'),
        "sql_server"
    );
    assert_eq!(value_text(text, &first.mode).trim_matches('"'), "multi");
}

#[test]
fn every_value_has_the_span_of_its_text_in_each_format() {
    for (text, format) in SAMPLES {
        let params = parse(text, format);
        assert_every_span_covers_its_value(text, &params);
    }
}

#[test]
fn toml_values() {
    let params = parse(SAMPLE_TOML, ParamsFormat::Toml);
    let sql = &params.sql_server;
    assert_eq!(sql.name.as_ref().unwrap().value, "SQLPRD04");
    assert_eq!(sql.endpoint_port.as_ref().unwrap().value, 5022);
    assert_eq!(sql.version.as_ref().unwrap().value, 2022);
    assert_eq!(params.links.len(), 2);
    let first = &params.links[0];
    assert_eq!(
        first.initial_primary.as_ref().unwrap().value,
        InitialPrimary::SqlServer
    );
    assert_eq!(first.mode.as_ref().unwrap().value, LinkMode::Multi);
    let names: Vec<&str> = first
        .databases
        .as_ref()
        .unwrap()
        .iter()
        .map(|d| d.value.as_str())
        .collect();
    assert_eq!(names, ["Ledger", "Rechnungsübersicht"]);
    let second = &params.links[1];
    assert_eq!(
        second.initial_primary.as_ref().unwrap().value,
        InitialPrimary::ManagedInstance
    );
    assert_eq!(second.mode, None, "mode is optional (single by default)");
    assert_eq!(LinkMode::default(), LinkMode::Single);
}

#[test]
fn databases_span_covers_the_whole_array_in_each_format() {
    for (text, format) in SAMPLES {
        let params = parse(text, format);
        let list = at(text, params.links[0].databases_span.unwrap());
        assert!(
            list.starts_with('[') && list.ends_with(']'),
            "{format:?}: {list}"
        );
        assert!(list.contains("Ledger") && list.contains("Rechnungsübersicht"));
        // A single name is a one-element list spanning that string.
        let single = &params.links[1];
        assert_eq!(single.databases.as_ref().unwrap().len(), 1);
        assert_eq!(
            at(text, single.databases_span.unwrap()).trim_matches('"'),
            "Sales"
        );
    }
}

#[test]
fn link_span_covers_the_whole_entry_in_each_format() {
    for (text, format) in SAMPLES {
        let params = parse(text, format);
        let first = at(text, params.links[0].span);
        let second = at(text, params.links[1].span);
        let expected_start = match format {
            ParamsFormat::Toml => "[[link]]",
            ParamsFormat::Yaml => "availability_group",
            ParamsFormat::Json => "{",
        };
        assert!(first.starts_with(expected_start), "{format:?}: {first}");
        assert!(first.contains("AG_Ledger") && first.contains("multi"));
        assert!(!first.contains("AG_Sales"), "{format:?}: {first}");
        assert!(second.contains("AG_Sales") && second.contains("managed_instance"));
        if format == ParamsFormat::Json {
            assert!(first.ends_with('}') && second.ends_with('}'));
        }
    }
}

/// Spans blanked, so the formats can be compared on values alone.
fn without_spans(mut params: Params) -> Params {
    fn blank<T>(value: &mut Option<Value<T>>) {
        if let Some(value) = value {
            value.span = Span::new(FILE, 0..0);
        }
    }
    let sql = &mut params.sql_server;
    for value in [&mut sql.name, &mut sql.fqdn, &mut sql.ip] {
        blank(value);
    }
    blank(&mut sql.endpoint_port);
    blank(&mut sql.version);
    blank(&mut params.managed_instance.name);
    blank(&mut params.managed_instance.fqdn);
    for link in &mut params.links {
        link.span = Span::new(FILE, 0..0);
        link.databases_span = link.databases_span.map(|_| Span::new(FILE, 0..0));
        for value in [
            &mut link.availability_group,
            &mut link.distributed_availability_group,
            &mut link.instance_availability_group,
        ] {
            blank(value);
        }
        for database in link.databases.iter_mut().flatten() {
            database.span = Span::new(FILE, 0..0);
        }
        blank(&mut link.initial_primary);
        blank(&mut link.mode);
    }
    params
}

#[test]
fn the_same_content_gives_the_same_values_in_the_three_formats() {
    let toml = without_spans(parse(SAMPLE_TOML, ParamsFormat::Toml));
    let yaml = without_spans(parse(SAMPLE_YAML, ParamsFormat::Yaml));
    let json = without_spans(parse(SAMPLE_JSON, ParamsFormat::Json));
    assert_eq!(toml, yaml);
    assert_eq!(toml, json);
}

#[test]
fn format_follows_the_extension() {
    assert_eq!(
        ParamsFormat::from_path(Path::new("p.yaml")),
        ParamsFormat::Yaml
    );
    assert_eq!(
        ParamsFormat::from_path(Path::new("p.YML")),
        ParamsFormat::Yaml
    );
    assert_eq!(
        ParamsFormat::from_path(Path::new("p.json")),
        ParamsFormat::Json
    );
    assert_eq!(
        ParamsFormat::from_path(Path::new("p.toml")),
        ParamsFormat::Toml
    );
    assert_eq!(
        ParamsFormat::from_path(Path::new("params")),
        ParamsFormat::Toml
    );
}

// ---------------------------------------------------------------------------
// TOML

#[test]
fn toml_empty_file_is_valid() {
    for text in ["", "\n\n", "# nothing yet\n"] {
        let params = parse(text, ParamsFormat::Toml);
        assert_eq!(params.sql_server, SqlServerParams::default());
        assert_eq!(params.managed_instance, ManagedInstanceParams::default());
        assert!(params.links.is_empty());
    }
}

#[test]
fn toml_single_link_table_is_one_entry() {
    let text = "[link]\navailability_group = \"AG\"\ndatabases = [\"Ledger\"]\n\n[sql_server]\n";
    let params = parse(text, ParamsFormat::Toml);
    assert_eq!(params.links.len(), 1);
    assert_eq!(
        at(text, params.links[0].span),
        "[link]\navailability_group = \"AG\"\ndatabases = [\"Ledger\"]"
    );
}

#[test]
fn toml_inline_and_dotted_tables() {
    let text = "sql_server.name = \"A\"\nlink = { availability_group = \"AG\" }\n";
    let params = parse(text, ParamsFormat::Toml);
    assert_eq!(value_text(text, &params.sql_server.name), "\"A\"");
    assert_eq!(
        at(text, params.links[0].span),
        "{ availability_group = \"AG\" }"
    );
}

#[test]
fn toml_link_without_keys_is_still_an_entry() {
    let text = "[[link]]\n[[link]]\nmode = \"single\"\n";
    let params = parse(text, ParamsFormat::Toml);
    assert_eq!(params.links.len(), 2);
    assert_eq!(at(text, params.links[0].span), "[[link]]");
    assert_eq!(
        params.links[1].mode.as_ref().unwrap().value,
        LinkMode::Single
    );
}

#[test]
fn toml_unknown_key_points_at_the_key_with_a_suggestion() {
    let text = "[link]\navailabilty_group = \"AG\"\n";
    let e = error(text, ParamsFormat::Toml);
    assert_eq!(e.message, "unknown key `availabilty_group` in [link]");
    assert_eq!(error_at(text, &e), "availabilty_group");
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `availability_group`?")
    );
}

#[test]
fn toml_unknown_key_in_each_table() {
    let cases = [
        (
            "[sql_server]\nendpont_port = 1\n",
            "[sql_server]",
            "endpoint_port",
        ),
        (
            "[managed_instance]\nfdqn = \"x\"\n",
            "[managed_instance]",
            "fqdn",
        ),
        (
            "[[link]]\n[[link]]\ninital_primary = \"x\"\n",
            "[link]",
            "initial_primary",
        ),
    ];
    for (text, table, near) in cases {
        let e = error(text, ParamsFormat::Toml);
        assert!(
            e.message.ends_with(&format!(" in {table}")),
            "{}",
            e.message
        );
        assert_eq!(e.help, Some(format!("did you mean `{near}`?")));
        assert!(text[e.span.unwrap().range()]
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_'));
    }
}

#[test]
fn toml_unknown_top_level_table() {
    let text = "[sql_sever]\nname = \"A\"\n";
    let e = error(text, ParamsFormat::Toml);
    assert_eq!(e.message, "unknown key `sql_sever` at the top level");
    assert_eq!(error_at(text, &e), "sql_sever");
    assert_eq!(e.help.as_deref(), Some("did you mean `sql_server`?"));
}

#[test]
fn toml_unknown_key_without_a_near_miss_lists_the_keys_or_the_right_table() {
    let e = error("[managed_instance]\nregion = \"weu\"\n", ParamsFormat::Toml);
    assert_eq!(
        e.help.as_deref(),
        Some("the keys allowed here are `name` or `fqdn`")
    );
    let e = error("[sql_server]\ndatabases = [\"A\"]\n", ParamsFormat::Toml);
    assert_eq!(e.help.as_deref(), Some("`databases` belongs in [link]"));
    let e = error("[sql_server.extra]\n", ParamsFormat::Toml);
    assert_eq!(e.message, "unknown key `extra` in [sql_server]");
}

#[test]
fn toml_endpoint_port_must_be_a_port_number() {
    let text = "[sql_server]\nendpoint_port = \"5022\"\n";
    let e = error(text, ParamsFormat::Toml);
    assert_eq!(
        e.message,
        "`sql_server.endpoint_port` must be a TCP port number, found the string \"5022\""
    );
    assert_eq!(error_at(text, &e), "\"5022\"");
    assert_eq!(e.help.as_deref(), Some("write the number without quotes"));

    for bad in ["0", "65536", "-1", "99999999999999999999"] {
        let text = format!("[sql_server]\nendpoint_port = {bad}\n");
        let e = error(&text, ParamsFormat::Toml);
        assert!(e.message.contains("between 1 and 65535"), "{}", e.message);
        assert_eq!(error_at(&text, &e), bad);
    }
    let text = "[sql_server]\nendpoint_port = 5022.0\n";
    assert_eq!(error_at(text, &error(text, ParamsFormat::Toml)), "5022.0");
    let ok = parse("[sql_server]\nendpoint_port = 65535\n", ParamsFormat::Toml);
    assert_eq!(ok.sql_server.endpoint_port.unwrap().value, 65535);
}

#[test]
fn toml_version_must_be_a_supported_release() {
    for year in [2016, 2017, 2019, 2022, 2025] {
        let params = parse(
            &format!("[sql_server]\nversion = {year}\n"),
            ParamsFormat::Toml,
        );
        assert_eq!(params.sql_server.version.unwrap().value, year);
    }
    let text = "[sql_server]\nversion = 2018\n";
    let e = error(text, ParamsFormat::Toml);
    assert_eq!(
        e.message,
        "`sql_server.version` must be one of 2016, 2017, 2019, 2022 or 2025, found 2018"
    );
    assert_eq!(error_at(text, &e), "2018");
    let e = error("[sql_server]\nversion = 16\n", ParamsFormat::Toml);
    assert_eq!(
        e.help.as_deref(),
        Some("SQL Server 16.x is SQL Server 2022: write 2022")
    );
    let text = "[sql_server]\nversion = \"2022\"\n";
    assert_eq!(error_at(text, &error(text, ParamsFormat::Toml)), "\"2022\"");
}

#[test]
fn toml_ip_must_be_an_address() {
    for good in ["10.30.8.14", "fe80::1", "::1"] {
        let params = parse(
            &format!("[sql_server]\nip = \"{good}\"\n"),
            ParamsFormat::Toml,
        );
        assert_eq!(params.sql_server.ip.unwrap().value, good);
    }
    let text = "[sql_server]\nip = \"10.30.8.256\"\n";
    let e = error(text, ParamsFormat::Toml);
    assert_eq!(
        e.message,
        "`sql_server.ip` is not an IPv4 or IPv6 address: \"10.30.8.256\""
    );
    assert_eq!(error_at(text, &e), "\"10.30.8.256\"");
    let e = error("[sql_server]\nip = \"sqlprd04.ops\"\n", ParamsFormat::Toml);
    assert_eq!(
        e.help.as_deref(),
        Some("a host name belongs in `sql_server.fqdn`")
    );
    let e = error(
        "[sql_server]\nip = \"10.30.8.14:5022\"\n",
        ParamsFormat::Toml,
    );
    assert!(e.help.unwrap().contains("endpoint_port"));
}

#[test]
fn toml_initial_primary_and_mode_accept_only_their_words() {
    let cases = [
        ("initial_primary = \"sqlserver\"", "\"sql_server\""),
        (
            "initial_primary = \"managed-instance\"",
            "\"managed_instance\"",
        ),
        ("initial_primary = \"SQL Server\"", "\"sql_server\""),
        ("mode = \"MULTI\"", "\"multi\""),
        ("mode = \"singel\"", "\"single\""),
    ];
    for (line, near) in cases {
        let text = format!("[link]\n{line}\n");
        let e = error(&text, ParamsFormat::Toml);
        let written = line.split_once(" = ").unwrap().1;
        assert_eq!(error_at(&text, &e), written);
        assert_eq!(e.help, Some(format!("did you mean {near}?")));
    }
    let e = error("[link]\ninitial_primary = \"azure\"\n", ParamsFormat::Toml);
    assert_eq!(
        e.message,
        "`link.initial_primary` must be \"sql_server\" or \"managed_instance\", found \"azure\""
    );
    assert_eq!(e.help, None);
    let e = error("[link]\nmode = \"dual\"\n", ParamsFormat::Toml);
    assert!(
        e.message.contains("\"single\" or \"multi\""),
        "{}",
        e.message
    );
}

#[test]
fn toml_databases_is_a_list_of_names_or_one_name() {
    let text = "[link]\ndatabases = \"Ledger\"\n";
    let params = parse(text, ParamsFormat::Toml);
    let databases = params.links[0].databases.as_ref().unwrap();
    assert_eq!(databases.len(), 1);
    assert_eq!(databases[0].value, "Ledger");
    assert_eq!(at(text, databases[0].span), "\"Ledger\"");

    let text = "[link]\ndatabases = [\"A\", 5]\n";
    let e = error(text, ParamsFormat::Toml);
    assert_eq!(error_at(text, &e), "5");
    assert!(
        e.message.starts_with("`link.databases` must be"),
        "{}",
        e.message
    );

    let text = "[link]\ndatabases = []\n";
    let e = error(text, ParamsFormat::Toml);
    assert_eq!(e.message, "`link.databases` is an empty list");
    assert_eq!(error_at(text, &e), "[]");

    let text = "[link]\ndatabases = 3\n";
    assert_eq!(error_at(text, &error(text, ParamsFormat::Toml)), "3");
}

#[test]
fn toml_wrong_types_are_reported_at_the_value() {
    let cases = [
        ("[sql_server]\nname = 5\n", "5", "the number 5"),
        (
            "[sql_server]\nname = true\n",
            "true",
            "the true/false value true",
        ),
        ("[sql_server]\nname = [\"A\"]\n", "[\"A\"]", "a list"),
        ("[sql_server]\nname = { a = 1 }\n", "{ a = 1 }", "a table"),
        (
            "[sql_server]\nname = 2016-01-01\n",
            "2016-01-01",
            "the date 2016-01-01",
        ),
        ("[link]\nmode = 1\n", "1", "the number 1"),
        ("sql_server = 5\n", "5", "the number 5"),
        ("link = \"AG\"\n", "\"AG\"", "the string \"AG\""),
        ("link = [1]\n", "1", "the number 1"),
    ];
    for (text, value, found) in cases {
        let e = error(text, ParamsFormat::Toml);
        assert_eq!(error_at(text, &e), value, "{text}");
        assert!(
            e.message.ends_with(&format!(", found {found}")),
            "{}",
            e.message
        );
    }
    let e = error("[sql_server]\nname = 5\n", ParamsFormat::Toml);
    assert_eq!(
        e.message,
        "`sql_server.name` must be a string, found the number 5"
    );
    assert_eq!(e.help.as_deref(), Some("write the value in double quotes"));
    let e = error("link = 5\n", ParamsFormat::Toml);
    assert_eq!(
        e.message,
        "`link` must be a table or a list of them, found the number 5"
    );
}

#[test]
fn toml_empty_string_is_an_error() {
    let text = "[managed_instance]\nname = \"\"\n";
    let e = error(text, ParamsFormat::Toml);
    assert_eq!(e.message, "`managed_instance.name` is empty");
    assert_eq!(error_at(text, &e), "\"\"");
}

#[test]
fn toml_duplicate_keys_point_at_the_duplicate() {
    let text = "[sql_server]\nname = \"A\"\nname = \"B\"\n";
    let e = error(text, ParamsFormat::Toml);
    assert_eq!(e.message, "duplicate key `name`");
    assert_eq!(e.span.unwrap().start as usize, text.rfind("name").unwrap());

    let text = "[sql_server]\nname = \"A\"\n[sql_server]\nfqdn = \"B\"\n";
    let e = error(text, ParamsFormat::Toml);
    assert_eq!(e.message, "duplicate key `sql_server`");
    assert_eq!(
        e.span.unwrap().start as usize,
        text.rfind("sql_server").unwrap()
    );
}

#[test]
fn toml_syntax_errors_point_at_the_offending_place() {
    let text = "[sql_server]\nname \"A\"\n";
    let e = error(text, ParamsFormat::Toml);
    assert!(
        e.message.starts_with("TOML syntax error: "),
        "{}",
        e.message
    );
    assert!(!e.message.contains('\n'));
    let span = e.span.unwrap();
    assert_eq!(
        LineIndex::new(text)
            .line_col(text, span.start as usize)
            .line,
        2
    );

    let text = "[sql_server]\nname = \"A\n";
    let e = error(text, ParamsFormat::Toml);
    assert!(e.span.unwrap().start as usize >= text.find("\"A").unwrap());
}

// ---------------------------------------------------------------------------
// YAML

#[test]
fn yaml_single_link_mapping_and_flow_entries() {
    let text = "link:\n  availability_group: AG\n  databases:\n    - A\n    - B\n";
    let params = parse(text, ParamsFormat::Yaml);
    assert_eq!(params.links.len(), 1);
    let link = &params.links[0];
    assert_eq!(
        at(text, link.span),
        "availability_group: AG\n  databases:\n    - A\n    - B"
    );
    assert_eq!(at(text, link.databases_span.unwrap()), "- A\n    - B");

    let text =
        "link:\n  - {availability_group: AG1}\n  - {availability_group: AG2, databases: [X]}\n";
    let params = parse(text, ParamsFormat::Yaml);
    assert_eq!(at(text, params.links[0].span), "{availability_group: AG1}");
    assert_eq!(
        at(text, params.links[1].span),
        "{availability_group: AG2, databases: [X]}"
    );
}

#[test]
fn yaml_empty_file_and_empty_values_are_valid() {
    for text in ["", "# nothing yet\n", "sql_server:\n  name: ~\nlink:\n"] {
        let params = parse(text, ParamsFormat::Yaml);
        assert_eq!(params.sql_server, SqlServerParams::default());
        assert!(params.links.is_empty());
    }
}

#[test]
fn yaml_unquoted_numbers_are_text_where_text_is_expected() {
    let text = "sql_server:\n  name: 12345\nlink:\n  databases: [2024, Ledger]\n";
    let params = parse(text, ParamsFormat::Yaml);
    assert_eq!(params.sql_server.name.unwrap().value, "12345");
    let databases = params.links[0].databases.as_ref().unwrap();
    assert_eq!(databases[0].value, "2024");
    assert_eq!(at(text, databases[0].span), "2024");
}

#[test]
fn yaml_unknown_keys() {
    let text = "link:\n  availabilty_group: AG\n";
    let e = error(text, ParamsFormat::Yaml);
    assert_eq!(e.message, "unknown key `availabilty_group` in `link`");
    assert_eq!(error_at(text, &e), "availabilty_group");
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `availability_group`?")
    );

    let text = "# ✓\nsql_sever:\n  name: A\n";
    let e = error(text, ParamsFormat::Yaml);
    assert_eq!(e.message, "unknown key `sql_sever` at the top level");
    assert_eq!(error_at(text, &e), "sql_sever");

    let text = "link:\n  - availability_group: A\n  - modes: multi\n";
    let e = error(text, ParamsFormat::Yaml);
    assert_eq!(error_at(text, &e), "modes");
    assert_eq!(e.help.as_deref(), Some("did you mean `mode`?"));
}

#[test]
fn yaml_type_errors_are_reported_at_the_value() {
    let cases = [
        ("sql_server:\n  endpoint_port: \"5022\"\n", "\"5022\""),
        ("sql_server:\n  version: '2022'\n", "'2022'"),
        ("sql_server:\n  name: [A]\n", "[A]"),
        ("sql_server: 5\n", "5"),
        ("link:\n  - 5\n", "5"),
        ("link:\n  mode: true\n", "true"),
    ];
    for (text, value) in cases {
        let e = error(text, ParamsFormat::Yaml);
        assert_eq!(error_at(text, &e), value, "{}", e.message);
    }
    let e = error(
        "sql_server:\n  endpoint_port: \"5022\"\n",
        ParamsFormat::Yaml,
    );
    assert_eq!(
        e.message,
        "`sql_server.endpoint_port` must be a TCP port number, found the string \"5022\""
    );
    let e = error("sql_server: 5\n", ParamsFormat::Yaml);
    assert_eq!(
        e.message,
        "`sql_server` must be a mapping, found the number 5"
    );
    let e = error("- a\n", ParamsFormat::Yaml);
    assert!(
        e.message
            .starts_with("the parameters file must be a mapping"),
        "{}",
        e.message
    );
}

#[test]
fn yaml_validation_uses_the_same_checks() {
    let text = "sql_server:\n  endpoint_port: 70000\n";
    assert_eq!(error_at(text, &error(text, ParamsFormat::Yaml)), "70000");
    let text = "link:\n  initial_primary: managed-instance\n";
    let e = error(text, ParamsFormat::Yaml);
    assert_eq!(error_at(text, &e), "managed-instance");
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean \"managed_instance\"?")
    );
}

#[test]
fn yaml_duplicate_keys_and_syntax_errors() {
    let text = "sql_server:\n  name: A\n  name: B\n";
    let e = error(text, ParamsFormat::Yaml);
    assert_eq!(e.message, "duplicate key `name`");
    assert_eq!(e.span.unwrap().start as usize, text.rfind("name").unwrap());

    let text = "sql_server:\n  name: \"A\n";
    let e = error(text, ParamsFormat::Yaml);
    assert!(
        e.message.starts_with("YAML syntax error: "),
        "{}",
        e.message
    );
    assert_eq!(error_at(text, &e), "\"");

    let text = "sql_server:\n  name: A\n bad\n";
    let e = error(text, ParamsFormat::Yaml);
    assert!(e.span.is_some());
    assert!(
        !e.message.contains("line"),
        "the span gives the place: {}",
        e.message
    );
}

// ---------------------------------------------------------------------------
// JSON

#[test]
fn json_must_be_strict() {
    let cases = [
        ("{\"sql_server\": {\"name\": \"A\",}}", ","),
        ("{\"sql_server\": {\"name\": 'A'}}", "'"),
        ("// comment\n{}", "/"),
        ("{\"sql_server\": {/* c */}}", "/"),
        ("{sql_server: {}}", "s"),
        ("{\"sql_server\": {}} extra", "e"),
    ];
    for (text, offending) in cases {
        let e = error(text, ParamsFormat::Json);
        assert!(
            e.message.starts_with("JSON syntax error: "),
            "{}",
            e.message
        );
        assert_eq!(error_at(text, &e), offending, "{}", e.message);
        assert!(e.help.is_some());
    }
    let e = error("{\"link\": [1, 2,]}", ParamsFormat::Json);
    assert_eq!(e.message, "JSON syntax error: trailing comma");
}

#[test]
fn json_error_columns_are_converted_from_bytes() {
    // serde_json counts columns in bytes: the ✓ (3 bytes each) must not shift the span.
    let text = "{\"sql_server\": {\"name\": \"✓✓✓\" \"fqdn\": \"x\"}}";
    let e = error(text, ParamsFormat::Json);
    assert_eq!(
        e.span.unwrap().start as usize,
        text.find(" \"fqdn").unwrap() + 1
    );
}

#[test]
fn json_empty_file_is_valid() {
    for text in ["", " \n", "{}"] {
        let params = parse(text, ParamsFormat::Json);
        assert!(params.links.is_empty());
        assert_eq!(params.sql_server, SqlServerParams::default());
    }
}

#[test]
fn json_unknown_keys_point_at_the_key() {
    let text = "{\"sql_server\": {\"name\": \"✓\", \"nme\": \"A\"}}";
    let e = error(text, ParamsFormat::Json);
    assert_eq!(e.message, "unknown key `nme` in `sql_server`");
    assert_eq!(error_at(text, &e), "\"nme\"");
    assert_eq!(e.help.as_deref(), Some("did you mean `name`?"));

    let text = "{\"sql_sever\": {}}";
    let e = error(text, ParamsFormat::Json);
    assert_eq!(error_at(text, &e), "\"sql_sever\"");
    assert_eq!(e.help.as_deref(), Some("did you mean `sql_server`?"));
}

#[test]
fn json_types_are_strict() {
    let cases = [
        ("{\"sql_server\": {\"name\": 123}}", "123", "the number 123"),
        (
            "{\"sql_server\": {\"endpoint_port\": \"5022\"}}",
            "\"5022\"",
            "the string \"5022\"",
        ),
        (
            "{\"link\": {\"databases\": [\"A\", null]}}",
            "null",
            "an empty value",
        ),
        ("{\"link\": 5}", "5", "the number 5"),
    ];
    for (text, value, found) in cases {
        let e = error(text, ParamsFormat::Json);
        assert_eq!(error_at(text, &e), value);
        assert!(
            e.message.ends_with(&format!(", found {found}")),
            "{}",
            e.message
        );
    }
    let e = error("[]", ParamsFormat::Json);
    assert!(
        e.message
            .starts_with("the parameters file must be an object"),
        "{}",
        e.message
    );
}

#[test]
fn json_duplicate_keys_are_errors() {
    let text = "{\"sql_server\": {\"name\": \"A\", \"name\": \"B\"}}";
    let e = error(text, ParamsFormat::Json);
    assert_eq!(e.message, "duplicate key `name`");
    assert_eq!(
        e.span.unwrap().start as usize,
        text.rfind("\"name\"").unwrap()
    );
}

#[test]
fn json_escapes_are_decoded() {
    let text = "{\"sql_server\": {\"name\": \"A\\u00e9\\ud83d\\ude00\"}}";
    let params = parse(text, ParamsFormat::Json);
    let name = params.sql_server.name.unwrap();
    assert_eq!(name.value, "Aé😀");
    assert_eq!(at(text, name.span), "\"A\\u00e9\\ud83d\\ude00\"");
}

// ---------------------------------------------------------------------------
// Robustness

#[test]
fn truncated_files_never_panic_and_error_spans_stay_on_the_text() {
    let formats = [ParamsFormat::Toml, ParamsFormat::Yaml, ParamsFormat::Json];
    for (text, _) in SAMPLES {
        for format in formats {
            for end in (0..=text.len()).filter(|&end| text.is_char_boundary(end)) {
                let prefix = &text[..end];
                let Err(e) = parse_params(prefix, FILE, format) else {
                    continue;
                };
                if let Some(span) = e.span {
                    assert!(
                        prefix.get(span.range()).is_some(),
                        "{format:?} span {span:?} off the text for {prefix:?}: {e:?}"
                    );
                }
            }
        }
    }
}
