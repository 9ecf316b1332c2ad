//! The whole pipeline on arbitrary bytes: decode → SQLCMD → lex → extract → rules →
//! every output format. No input may panic, the output must be deterministic, and a
//! secret planted in the input never appears in any format.
//!
//! The first byte chooses whether a parameters file is given (bit 0), which secret form
//! is planted (bits 1–3) and which secret (bit 4); the second byte, at which line of the
//! first script it is planted. The rest is split at 0xFF bytes (never valid UTF-8) into
//! up to three scripts, so cross-file rules and `:r` between scripts are reached.

#![no_main]

use libfuzzer_sys::fuzz_target;
use milink_lint::{lint_sources, report, LintOptions, SourceInput};

const PARAMS: &str = include_str!("../../fixtures/ok/sqlcmd-variables/params.toml");

/// Two secrets: ASCII with symbols, and one with multi-byte characters.
const SECRETS: [&str; 2] = ["Fz9!Pl4nted#Qx", "Zé9!Mü4ltî#Qy"];

/// A line that writes `secret` where a secret goes.
fn planted(form: u8, secret: &str) -> String {
    match form % 8 {
        0 => format!("CREATE MASTER KEY ENCRYPTION BY PASSWORD = '{secret}';"),
        1 => format!(":setvar MasterKeyPassword \"{secret}\""),
        2 => format!("-- sqlcmd -S sqlord02 -U sa -P {secret} -i link.sql"),
        3 => format!("OPEN MASTER KEY DECRYPTION BY PASSWORD {secret};"),
        4 => format!("EXEC('CREATE MASTER KEY ENCRYPTION BY PASSWORD = ''{secret}'';');"),
        5 => format!("-- Server=tcp:sqlord02;User ID=sa;Password={secret};"),
        6 => format!("CREATE CREDENTIAL [c] WITH IDENTITY = 'u', SECRET = N'{secret}';"),
        _ => format!(
            "BACKUP CERTIFICATE [c] TO FILE = 'c.cer' WITH PRIVATE KEY (FILE = 'c.pvk', ENCRYPTION BY PASSWORD = '{secret}');"
        ),
    }
}

/// The first script with `line` inserted at the start of its `at`-th line.
fn insert_line(script: &[u8], at: u8, line: &str) -> Vec<u8> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            script
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    let cut = starts[at as usize % starts.len()];
    let mut out = script[..cut].to_vec();
    out.extend_from_slice(line.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&script[cut..]);
    out
}

/// Five-character pieces of `secret`, lower-cased.
fn pieces(secret: &str) -> Vec<String> {
    let chars: Vec<char> = secret.to_lowercase().chars().collect();
    chars.windows(5).map(|w| w.iter().collect()).collect()
}

fn render_all(data: &[u8]) -> Option<(String, &'static str)> {
    let (control, rest) = match data {
        [control, line, rest @ ..] => ((*control, *line), rest),
        _ => ((0, 0), data),
    };
    let with_params = control.0 & 1 == 1;
    let secret = SECRETS[usize::from(control.0 >> 4 & 1)];
    let mut scripts: Vec<Vec<u8>> = rest.splitn(3, |b| *b == 0xFF).map(<[u8]>::to_vec).collect();
    // The input may hold a piece of the secret itself (the fuzzer learns it from the
    // comparison below): then it may be shown where the input wrote it.
    let lower = String::from_utf8_lossy(rest).to_lowercase();
    let free = !pieces(secret).iter().any(|p| lower.contains(p.as_str()));
    scripts[0] = insert_line(&scripts[0], control.1, &planted(control.0 >> 1, secret));
    let sources = scripts
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| SourceInput {
            name: format!("script_{i}.sql"),
            bytes,
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
    let all = [
        report::human::render_plain(&report, false),
        report::json::render(&report),
        report::sarif::render(&report),
        report::github::render(&report),
        report::gitlab::render(&report),
        report::junit::render(&report),
    ]
    .concat();
    Some((all, if free { secret } else { "" }))
}

fuzz_target!(|data: &[u8]| {
    let first = render_all(data);
    let second = render_all(data);
    assert_eq!(first, second, "output is not deterministic");
    if let Some((all, secret)) = first {
        if !secret.is_empty() {
            let shown = all.to_lowercase();
            for piece in pieces(secret) {
                assert!(!shown.contains(&piece), "the planted secret leaks: {piece}");
            }
        }
    }
});
