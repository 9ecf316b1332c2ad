//! The whole pipeline on arbitrary bytes: decode → SQLCMD → lex → extract → rules →
//! every output format. No input may panic, and the output must be deterministic.
//!
//! The input is split at 0xFF bytes (never valid UTF-8) into up to three scripts, so
//! cross-file rules and `:r` between scripts are reached; the first byte's low bit
//! chooses whether a parameters file is given.

#![no_main]

use libfuzzer_sys::fuzz_target;
use milink_lint::{lint_sources, report, LintOptions, SourceInput};

const PARAMS: &str = include_str!("../../fixtures/ok/sqlcmd-variables/params.toml");

fn render_all(data: &[u8]) -> Option<String> {
    let (with_params, rest) = match data.split_first() {
        Some((first, rest)) => (first & 1 == 1, rest),
        None => (false, data),
    };
    let sources = rest
        .splitn(3, |b| *b == 0xFF)
        .enumerate()
        .map(|(i, bytes)| SourceInput {
            name: format!("script_{i}.sql"),
            bytes: bytes.to_vec(),
        })
        .collect();
    let params = with_params.then(|| SourceInput {
        name: "params.toml".into(),
        bytes: PARAMS.as_bytes().to_vec(),
    });
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
            report::github::render(&report),
            report::gitlab::render(&report),
            report::junit::render(&report),
        ]
        .concat(),
    )
}

fuzz_target!(|data: &[u8]| {
    let first = render_all(data);
    let second = render_all(data);
    assert_eq!(first, second, "output is not deterministic");
});
