//! Secrets in shell scripts, on top of the text patterns of [`crate::secrets`]: the
//! values of password-like parameters (`-Password`, `--admin-password`, `az … -p`,
//! `sqlcmd -P`, `--client-secret`, `--account-key`, `curl -u user:pass`), the literals
//! given to `ConvertTo-SecureString`, and the assignments those values come from.

use super::shell::{Command, Word};
use crate::secrets::{Found, Origin, Secret, SecretKind};
use std::ops::Range;

/// Every secret of a shell script (sorted, without duplicates), with the text forms of
/// [`crate::secrets::find`]. `commands`: the script's commands, read once by the caller.
pub fn find(text: &str, commands: &[Command]) -> Found {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut assignments = Vec::new();
    for command in commands {
        let program = command
            .name
            .first()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        let secure_string = program == "convertto-securestring";
        let runner = matches!(program.as_str(), "sqlcmd" | "invoke-sqlcmd");
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
                // `-AsPlainText` and `-Force` are switches: a word after them is the string.
                Some((flag, _))
                    if secure_string
                        && ["-String", "-AsPlainText", "-Force"]
                            .iter()
                            .any(|f| flag.eq_ignore_ascii_case(f)) =>
                {
                    mark(word, text, &mut ranges)
                }
                Some((flag, _)) if runner && is_variable_flag(flag) => {
                    variables(word, text, &mut assignments)
                }
                None if secure_string => mark(word, text, &mut ranges),
                _ => {}
            }
        }
    }
    let mut found = crate::secrets::find(text);
    for assignment in assignments {
        if !found
            .assignments
            .iter()
            .any(|a| a.range == assignment.range)
        {
            if crate::secrets::is_secret_name(&assignment.name) {
                ranges.push(assignment.range.clone());
            }
            found.assignments.push(assignment);
        }
    }
    found.secrets.extend(
        ranges
            .into_iter()
            .filter(|r| r.start < r.end)
            .map(|range| Secret {
                range,
                kind: SecretKind::Password,
                origin: Origin::Value,
            }),
    );
    found.secrets.sort_by_key(|s| (s.range.start, s.range.end));
    found.secrets.dedup_by(|later, kept| {
        let overlaps = later.range.start < kept.range.end;
        if overlaps {
            kept.range.end = kept.range.end.max(later.range.end);
        }
        overlaps
    });
    found
}

/// `-Password` and its PowerShell prefixes (`-Pass`), `--admin-password`; `-P` of the
/// SQL Server command-line tools (`sqlcmd -p` is statistics) and `-p` of `az login`.
/// Elsewhere `-p` / `-P` is a flag of its own (`mkdir -p`, `ssh -p` port, `grep -P`):
/// the variable it takes is no secret, and stays checked as a name.
fn is_secret_flag(flag: &str, program: &str) -> bool {
    let bare = flag.trim_start_matches('-').to_ascii_lowercase();
    if bare == "p" {
        let tool = program.rsplit(['/', '\\']).next().unwrap_or(program);
        let tool = tool.strip_suffix(".exe").unwrap_or(tool);
        return match tool {
            "sqlcmd" | "osql" | "isql" | "bcp" => flag == "-P",
            "az" => true,
            _ => false,
        };
    }
    if bare.len() >= 4 && "password".starts_with(&bare) {
        return true;
    }
    let key = bare.ends_with("key") && !bare.contains("public");
    crate::secrets::is_secret_name(&bare) || bare.contains("token") || key
}

/// `sqlcmd -v` / `Invoke-Sqlcmd -Variable`.
fn is_variable_flag(flag: &str) -> bool {
    let bare = flag.trim_start_matches('-').to_ascii_lowercase();
    bare == "v" || (bare.len() >= 3 && "variable".starts_with(&bare))
}

/// `NAME=value` words: where each value is written (in the word itself, or in the
/// literal of the variable it came from).
fn variables(word: &Word, text: &str, out: &mut Vec<crate::secrets::Assignment>) {
    match word {
        Word::Known {
            value,
            span,
            defined_at,
            ..
        } => {
            let Some((name, _)) = value.split_once('=') else {
                return;
            };
            let written = unquoted(text, span.range());
            let range = match text.get(written.clone()).and_then(|w| w.find('=')) {
                Some(eq) if !text[written.clone()].starts_with('$') => {
                    written.start + eq + 1..written.end
                }
                _ => match defined_at {
                    Some(at) => unquoted(text, at.range()),
                    None => return,
                },
            };
            out.push(crate::secrets::Assignment {
                name: name.trim().to_string(),
                range,
                setvar: false,
            });
        }
        Word::List { items, .. } => items.iter().for_each(|w| variables(w, text, out)),
        Word::Unknown { .. } => {}
    }
}

/// The value as written (unless it is only a reference: `-Password $pw` shows `$pw`),
/// and the literal a variable got it from.
fn mark(word: &Word, text: &str, out: &mut Vec<Range<usize>>) {
    match word {
        Word::Known {
            span, defined_at, ..
        } => {
            let written = unquoted(text, span.range());
            let reference = text.get(written.clone()).is_some_and(|w| {
                w.starts_with(['$', '%']) || (w.starts_with('!') && w.ends_with('!'))
            });
            if !reference {
                out.push(written);
            }
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
        .secrets
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

    #[test]
    fn references_stay_readable_and_variables_are_assignments() {
        let ps = "$pw = 'PwRef1!x'\nInvoke-Sqlcmd -ServerInstance s -Password $pw -InputFile a.sql -Variable \"MkKey=Mk1!x\", \"Db=Ledger\" -PassThru\n";
        let commands = crate::azure::shell::commands(FileId(0), ps, Dialect::PowerShell);
        let found = find(ps, &commands);
        let shown: Vec<&str> = found.secrets.iter().map(|s| &ps[s.range.clone()]).collect();
        assert_eq!(shown, ["PwRef1!x"]);
        let names: Vec<&str> = found.assignments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["MkKey", "Db"]);
        assert_eq!(&ps[found.assignments[0].range.clone()], "Mk1!x");
    }

    #[test]
    fn a_short_p_is_a_password_only_for_the_tools_that_take_one() {
        let sh = "MI=mi_treasury\nmkdir -p \"/tmp/$MI\"\nssh -p 2222 host\ngrep -P 'a+b' x\n/opt/mssql-tools18/bin/sqlcmd -S s -P PwPath1 -i a.sql\nsqlcmd.exe -S s -P PwExe2\n";
        assert_eq!(masked(sh, Dialect::Posix), ["PwPath1", "PwExe2"]);
    }
}
