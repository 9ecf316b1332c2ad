//! Secrets in shell scripts, on top of the text patterns of [`crate::secrets`]: the
//! values of password-like parameters (`-Password`, `--admin-password`, `az … -p`,
//! `sqlcmd -P`, `--client-secret`, `--account-key`, `curl -u user:pass`), the literals
//! given to `ConvertTo-SecureString`, and the assignments those values come from.

use super::shell::{Command, Word};
use crate::secrets::{Secret, SecretKind};
use std::ops::Range;

/// Every secret of a shell script (sorted, without duplicates).
/// `commands`: the script's commands, read once by the caller.
pub fn find(text: &str, commands: &[Command]) -> Vec<Secret> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for command in commands {
        let program = command
            .name
            .first()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        let secure_string = program == "convertto-securestring";
        for argument in &command.arguments {
            let Some(word) = &argument.value else {
                continue;
            };
            match &argument.flag {
                Some((flag, _)) if is_secret_flag(flag, &program) => mark(word, text, &mut ranges),
                Some((flag, _)) if matches!(flag.as_str(), "-u" | "--user") => {
                    // `curl -u user:password`
                    if let Word::Known { span, .. } = word {
                        let range = unquoted(text, span.range());
                        if let Some(colon) = text[range.clone()].find(':') {
                            ranges.push(range.start + colon + 1..range.end);
                        }
                    }
                }
                Some((flag, _)) if secure_string && flag.eq_ignore_ascii_case("-String") => {
                    mark(word, text, &mut ranges)
                }
                None if secure_string => mark(word, text, &mut ranges),
                _ => {}
            }
        }
    }
    // `'secret' | ConvertTo-SecureString -AsPlainText`: the literal is another pipeline
    // element; every quoted literal of such a line is masked.
    for (start, line) in lines_with(text, "convertto-securestring") {
        quoted_literals(line, start, &mut ranges);
    }
    let mut found = crate::secrets::find(text);
    found.extend(
        ranges
            .into_iter()
            .filter(|r| r.start < r.end)
            .map(|range| Secret {
                range,
                kind: SecretKind::Password,
                literal: true,
                setvar: false,
            }),
    );
    found.sort_by_key(|s| (s.range.start, s.range.end));
    found.dedup_by(|b, a| {
        b.range.start < a.range.end && a.range.start <= b.range.start && {
            a.range.end = a.range.end.max(b.range.end);
            true
        }
    });
    found
}

/// `-Password`, `--admin-password`, `-p` (but `sqlcmd -p` is statistics; its password is `-P`).
fn is_secret_flag(flag: &str, program: &str) -> bool {
    let bare = flag.trim_start_matches('-').to_ascii_lowercase();
    if bare == "p" {
        return program != "sqlcmd" || flag == "-P";
    }
    let key = bare.ends_with("key") && !bare.contains("public");
    crate::secrets::is_secret_name(&bare) || bare.contains("token") || key
}

/// The value as written, and the literal a variable got it from.
fn mark(word: &Word, text: &str, out: &mut Vec<Range<usize>>) {
    match word {
        Word::Known {
            span, defined_at, ..
        } => {
            out.push(unquoted(text, span.range()));
            if let Some(at) = defined_at {
                out.push(unquoted(text, at.range()));
            }
        }
        Word::List { items, .. } => items.iter().for_each(|w| mark(w, text, out)),
        Word::Unknown { .. } => {}
    }
}

/// A range without one pair of surrounding quotes.
fn unquoted(text: &str, range: Range<usize>) -> Range<usize> {
    let written = text.get(range.clone()).unwrap_or_default();
    let quoted = written.len() >= 2
        && ['\'', '"']
            .iter()
            .any(|q| written.starts_with(*q) && written.ends_with(*q));
    if quoted {
        range.start + 1..range.end - 1
    } else {
        range
    }
}

/// The lines holding `word` (ASCII case-insensitive), with their start offsets.
fn lines_with<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = (usize, &'t str)> {
    text.split_inclusive('\n')
        .scan(0, |start, line| {
            let at = *start;
            *start += line.len();
            Some((at, line))
        })
        .filter(move |(_, line)| line.to_ascii_lowercase().contains(word))
}

/// The insides of `'…'` and `"…"` on one line.
fn quoted_literals(line: &str, start: usize, out: &mut Vec<Range<usize>>) {
    let mut open: Option<(char, usize)> = None;
    for (i, c) in line.char_indices() {
        match open {
            None if c == '\'' || c == '"' => open = Some((c, i + 1)),
            Some((q, from)) if c == q => {
                out.push(start + from..start + i);
                open = None;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azure::shell::Dialect;
    use crate::span::FileId;

    fn masked(text: &str, dialect: Dialect) -> Vec<&str> {
        find(
            text,
            &crate::azure::shell::commands(FileId(0), text, dialect),
        )
        .iter()
        .map(|s| &text[s.range.clone()])
        .collect()
    }

    #[test]
    fn password_parameters_and_secure_strings() {
        let sh = "az sql mi create -g rg -n mi -u sa -p PwA3Secret --admin-password 'Pw8SecretHotel'\ncurl -u admin:PwA8Secret https://x\nsqlcmd -S s -p -P \"PwSql1\" -i a.sql\naz storage blob upload --account-key KeyZ9 --public-key notsecret\n";
        let found = masked(sh, Dialect::Posix);
        for secret in [
            "PwA3Secret",
            "Pw8SecretHotel",
            "PwA8Secret",
            "PwSql1",
            "KeyZ9",
        ] {
            assert!(found.contains(&secret), "{secret}: {found:?}");
        }
        assert!(!found.iter().any(|f| f.contains("notsecret")), "{found:?}");
        let ps = "$c = 'PwVar7'\nNew-Object PSCredential('sa', (ConvertTo-SecureString 'PwB9Secret' -AsPlainText -Force))\n'PwB7Secret' | ConvertTo-SecureString -AsPlainText -Force\nConvertTo-SecureString -AsPlainText -Force -String 'PwB5Secret'\nConnect-Thing -Credential x -ClientSecret $c\n";
        let found = masked(ps, Dialect::PowerShell);
        for secret in ["PwB9Secret", "PwB7Secret", "PwB5Secret", "PwVar7"] {
            assert!(found.contains(&secret), "{secret}: {found:?}");
        }
    }
}
