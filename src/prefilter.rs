//! A cheap byte-level test that skips what cannot hold a finding, before any tokenizing.
//!
//! Most `.sql` files of a repository (tables, procedures, migrations) have nothing to do
//! with the link. A file is linted only if it holds a word some rule looks for; a batch of
//! a linted file is tokenized only if it holds a word of a link statement. The words are
//! single words, so a keyword pair split by a comment (`AVAILABILITY /* … */ GROUP`) is
//! still found, and batches are tested after `$(var)` substitution, so a keyword that
//! comes from a variable is found too. `tests/prefilter.rs` checks that linting with and
//! without it gives the same output on every fixture.

use crate::words::Words;
use std::sync::OnceLock;

/// The statements milink-lint reads, by head, and the words each of them always
/// contains. The prefilter tests batches for these words, so a batch it skips cannot
/// hold a statement the extractor would read: linting with and without the prefilter
/// gives the same result by construction. (Defined here, the earlier stage; the
/// statement reader and the extractor use it from here.)
pub const LINK_HEADS: &[(&str, &[&str])] = &[
    ("CREATE / ALTER AVAILABILITY GROUP", &["availability"]),
    ("CREATE / ALTER ENDPOINT", &["endpoint"]),
    ("CREATE CERTIFICATE", &["certificate"]),
    ("CREATE MASTER KEY", &["master"]),
    // Only `SET RECOVERY` and `SET HADR` are read.
    ("ALTER DATABASE", &["recovery", "hadr"]),
    ("BACKUP DATABASE", &["backup"]),
    ("USE", &["use"]),
    ("EXEC of the link procedures", LINK_PROCEDURES),
];

/// The system procedures of a link set-up that the rules look at.
pub const LINK_PROCEDURES: &[&str] = &["sp_multidb_milink", "sp_get_endpoint_certificate"];

/// Words of the statements the extractor reads: for each link head, the words every
/// such statement contains ([`LINK_HEADS`]), and the marker of suppression comments.
fn statement_words() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        LINK_HEADS
            .iter()
            .flat_map(|(_, words)| words.iter().copied())
            .chain(["milink-lint"])
            .collect()
    })
}

/// Words that make a whole file worth reading even without a link statement: SQLCMD and
/// stray byte-order marks (ML504). Secrets are looked for only in the files read (see
/// [`crate::masking`]): a file without a link statement or SQLCMD has no finding, so its
/// text is never shown, with or without the prefilter. The SQLCMD words are short and
/// are found by [`has_sqlcmd_marker`] instead: a two-byte word makes the word search
/// stop at every common pair of letters.
const FILE_WORDS: &[&str] = &["\u{feff}"];

/// SQLCMD commands that start with `:` (after it, case-insensitively).
const COLON_COMMANDS: &[&[u8]] = &[b"r", b"on", b"setvar", b"connect"];

/// Whether the text holds `$(`, `!!` or a `:r` / `:on` / `:setvar` / `:connect`
/// anywhere (the words of [`FILE_WORDS`]' doc), found with memchr.
fn has_sqlcmd_marker(text: &str) -> bool {
    let bytes = text.as_bytes();
    let after_colon = |at: usize| {
        let rest = &bytes[at + 1..];
        COLON_COMMANDS
            .iter()
            .any(|c| rest.len() >= c.len() && rest[..c.len()].eq_ignore_ascii_case(c))
    };
    memchr::memmem::find(bytes, b"$(").is_some()
        || memchr::memmem::find(bytes, b"!!").is_some()
        || memchr::memchr_iter(b':', bytes).any(after_colon)
}

fn all_file_words() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        statement_words()
            .iter()
            .chain(FILE_WORDS)
            .copied()
            .collect()
    })
}

fn statements() -> &'static Words {
    static A: OnceLock<Words> = OnceLock::new();
    A.get_or_init(|| Words::new(statement_words().iter().copied()))
}

fn files() -> &'static Words {
    static A: OnceLock<Words> = OnceLock::new();
    A.get_or_init(|| Words::new(all_file_words().iter().copied()))
}

/// Any match, where a short word like `use` must stand alone (`user` does not count).
fn any_word(automaton: &Words, words: &[&str], text: &str) -> bool {
    let bytes = text.as_bytes();
    let boundary = |b: Option<&u8>| b.is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
    let mut found = false;
    automaton.search(bytes, |pattern, range| {
        found = words.get(pattern) != Some(&"use")
            || (boundary(range.start.checked_sub(1).and_then(|i| bytes.get(i)))
                && boundary(bytes.get(range.end)));
        found
    });
    found || crate::placeholder::documentation(text).next().is_some()
}

/// Whether a file can hold a finding: it has a word some rule looks for.
pub fn file_is_relevant(text: &str) -> bool {
    has_sqlcmd_marker(text) || any_word(files(), all_file_words(), text)
}

/// Words of the shell commands [`crate::azure::commands`] reads: the Az cmdlets
/// (`New-AzSqlInstanceLink`, `…ServerTrustCertificate`), `az sql mi link|partner-cert`
/// and the script runners.
const SHELL_WORDS: &[&str] = &[
    "azsqlinstance",
    "link",
    "partner-cert",
    "sqlcmd",
    "invoke-dbaquery",
];

fn shells() -> &'static Words {
    static A: OnceLock<Words> = OnceLock::new();
    A.get_or_init(|| Words::new(SHELL_WORDS.iter().copied()))
}

/// Whether a shell script can hold a command the Azure checks read.
pub fn shell_is_relevant(text: &str) -> bool {
    let mut found = false;
    shells().search(text.as_bytes(), |_, _| {
        found = true;
        true
    });
    found
}

/// Whether a batch (after `$(var)` substitution) can hold a modeled statement.
pub fn batch_is_relevant(text: &str) -> bool {
    any_word(statements(), statement_words(), text)
}

/// What reading one script gave.
pub enum Outcome {
    /// A script to lint, and whether it holds a word some rule looks for (the prefilter's
    /// test, made with or without `--no-prefilter`: only such a script is looked at for
    /// secrets, so that both give the same report).
    Script(String, crate::source::Decoded, bool),
    /// A PowerShell / shell / cmd script that may call the Azure side or run the scripts.
    Shell(String, crate::source::Decoded, crate::language::Dialect),
    /// Decoded, but without a word any rule looks for (see [`prefilter`]); its name when
    /// it was read as Windows-1252 (the run's note names every such file).
    Irrelevant { guessed: Option<String> },
    /// Not readable as a script (ML004).
    Unreadable(String, crate::files::Unreadable),
}

/// The name of a file that was read as Windows-1252 because it is not UTF-8.
pub fn guessed_name(name: &str, decoded: &crate::source::Decoded) -> Option<String> {
    (decoded.encoding == crate::source::Encoding::Windows1252Guess).then(|| name.to_string())
}

pub fn classify(read: crate::read::Read, no_prefilter: bool) -> Outcome {
    let (name, decoded) = match read {
        crate::read::Read::Text { name, decoded } => (name, decoded),
        crate::read::Read::Unreadable { name, why } => return Outcome::Unreadable(name, why),
    };
    if let Some(dialect) = crate::language::Dialect::of(&name) {
        return if no_prefilter || shell_is_relevant(&decoded.text) {
            Outcome::Shell(name, decoded, dialect)
        } else {
            Outcome::Irrelevant {
                guessed: guessed_name(&name, &decoded),
            }
        };
    }
    let utf16_without_bom = matches!(
        decoded.encoding,
        crate::source::Encoding::Utf16LeNoBom | crate::source::Encoding::Utf16BeNoBom
    );
    let relevant = file_is_relevant(&decoded.text);
    if no_prefilter || utf16_without_bom || relevant {
        Outcome::Script(name, decoded, relevant)
    } else {
        Outcome::Irrelevant {
            guessed: guessed_name(&name, &decoded),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_statements_are_relevant() {
        assert!(batch_is_relevant("CREATE AVAILABILITY GROUP [x]"));
        assert!(batch_is_relevant(
            "create availability /* the link */ group [x]"
        ));
        assert!(batch_is_relevant("USE [master]"));
        assert!(batch_is_relevant("use Orders;"));
        assert!(batch_is_relevant("SELECT '<DAGName>'"));
    }

    #[test]
    fn ordinary_code_is_not() {
        assert!(!batch_is_relevant(
            "CREATE TABLE dbo.Users (Id int); SELECT user_name(), causes FROM t WHERE a < b"
        ));
        assert!(!file_is_relevant(
            "CREATE PROCEDURE dbo.p AS SELECT 1;\nGO\n"
        ));
    }

    #[test]
    fn files_with_sqlcmd_are_relevant() {
        // A password outside a link script is not this tool's business (no finding).
        assert!(!file_is_relevant("CREATE LOGIN x WITH PASSWORD = 'p';"));
        assert!(file_is_relevant("SELECT '$(Db)';"));
        assert!(file_is_relevant("SELECT 1;\u{feff}"));
        for command in [
            ":R other.sql",
            ":On Error exit",
            ":SETVAR Db x",
            ":Connect sql01",
            "!!dir",
        ] {
            assert!(
                file_is_relevant(&format!("SELECT 1\nGO\n{command}\n")),
                "{command}"
            );
        }
        assert!(!file_is_relevant(
            "GRANT CONNECT ON SCHEMA::dbo TO x; SELECT '10:45' + N'!'"
        ));
    }
}
