//! The Azure side on arbitrary bytes: a PowerShell, sh or cmd script next to a correct
//! T-SQL set-up, or an export given as the parameters file (the first byte's low two
//! bits choose). No input may panic, and the output must be deterministic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use milink_lint::{lint_sources, report, LintOptions, SourceInput};

const SETUP: &str =
    include_str!("../../fixtures/broken/ML601-azure-link-name-mismatch/setup_link.sql");

fn render_all(data: &[u8]) -> Option<String> {
    let (kind, rest) = match data.split_first() {
        Some((first, rest)) => (first & 3, rest),
        None => (0, data),
    };
    let input = |name: &str, bytes: &[u8]| SourceInput {
        name: name.into(),
        bytes: bytes.to_vec(),
    };
    let mut sources = vec![input("setup_link.sql", SETUP.as_bytes())];
    let mut params = None;
    match kind {
        0 => sources.push(input("create_link.ps1", rest)),
        1 => sources.push(input("create_link.sh", rest)),
        2 => sources.push(input("create_link.cmd", rest)),
        _ => params = Some(input("link.json", rest)),
    }
    let options = LintOptions {
        today: milink_lint::date::Date::new(2026, 11, 26),
        ..LintOptions::default()
    };
    let report = lint_sources(sources, params, &options).ok()?;
    Some(
        [
            report::human::render_plain(&report, false),
            report::json::render(&report),
            report::sarif::render(&report),
        ]
        .concat(),
    )
}

fuzz_target!(|data: &[u8]| {
    let first = render_all(data);
    let second = render_all(data);
    assert_eq!(first, second, "output is not deterministic");
});
